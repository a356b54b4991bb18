/**
 * Donations on a bench chain, recorded as a charity records them: a project proposed by the sample
 * charity and approved by civil affairs, and rows written to a CSV and sent with `charity import`.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { id } from "ethers";

import { approveProject, proposeProject } from "../../src/charity/ledger.js";
import { loadDeployment } from "../../src/deployment.js";
import type { BenchChain } from "./chain.js";

export const CIVIL_AFFAIRS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
export const CHARITY = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

/** Proposes and approves project `code` (target ¥10 trillion), with the sample charity and civil affairs. */
export async function openBenchProject(chain: BenchChain, code: string): Promise<void> {
  const provider = chain.provider();
  const d = await loadDeployment(provider);
  const o = { type: 0 as const, gasPrice: 0n };
  const { value: projectId } = await proposeProject(
    d,
    await provider.getSigner(CHARITY),
    { code, targetFen: 10n ** 15n, permitHash: id("permit") },
    o,
  );
  await approveProject(d, await provider.getSigner(CIVIL_AFFAIRS), projectId, o);
}

/**
 * Records donations `<prefix>-<from>` … `<prefix>-<to - 1>` to project `code` (¥1–¥500, anonymous, by
 * bank) with `charity import` as the sample charity, the CSV and the receipts in `dir`.
 */
export async function importBenchDonations(
  chain: BenchChain,
  o: { dir: string; code: string; prefix: string; from: number; to: number; batchSize?: number },
): Promise<void> {
  const rows = ["流水号,项目,金额,捐赠人,渠道"];
  for (let k = o.from; k < o.to; k++) rows.push(`${o.prefix}-${k},${o.code},${1 + (k % 500)}.00,,银行`);
  const file = join(o.dir, `${o.prefix}-${o.from}-${o.to}.csv`);
  await writeFile(file, rows.join("\n") + "\n");
  const batch = o.batchSize === undefined ? [] : ["--batch-size", String(o.batchSize)];
  const receipts = join(o.dir, `${o.prefix}-receipts.csv`);
  const r = await chain.hardhat(["charity", "import", file, "--receipts", receipts, ...batch, "--from", CHARITY]);
  if (r.code !== 0) throw new Error(`charity import failed:\n${r.stderr}`);
}
