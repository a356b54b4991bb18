/**
 * The charity CLI against a local Anvil (chain ids 7800–7899), as users run it:
 *
 * - throughput: `charity import` of a 10,000-row CSV, and in the same run a bare ethers script
 *   (bench/lib/bare-import.ts) sending the same batches for another charity (same gas per batch);
 * - faults: the node is killed (SIGKILL, so it keeps only its last 5-second state dump) at several
 *   points of an import, started again, and the import re-run; lost and doubled records are counted
 *   from the chain's events, and every receipt is checked against the commitment on chain;
 * - concurrency: two `charity import`s of the same file with the same receipts file at once, then
 *   (if either stopped) the user's re-run; the same counts.
 *
 *   tsx bench/cli.ts [--quick]
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { loadReceipts } from "../src/charity/receipts.js";
import { projectIdOf, refHashOf, donationIdOf } from "../src/charity/ids.js";
import { loadDeployment } from "../src/deployment.js";
import { CharityLedger__factory } from "../types/ethers-contracts/index.js";
import { QUICK, ROOT, writeResult } from "./lib/common.js";
import { type BenchChain, type Run, run, startBenchChain, within } from "./lib/chain.js";

const started = Date.now();
const THROUGHPUT_ROWS = QUICK ? 2_000 : 10_000;
const FAULT_ROWS = QUICK ? 1_000 : 2_000;
const KILL_POINTS = QUICK ? [0.3, 0.7] : [0.15, 0.4, 0.65, 0.9];
const CONCURRENT_ROWS = QUICK ? 500 : 1_000;

const CIVIL_AFFAIRS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const CHARITY_A = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"; // dev account 2
const CHARITY_B = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"; // dev account 3

const dir = await mkdtemp(join(tmpdir(), "zhixin-bench-cli-"));
const chain: BenchChain = await startBenchChain(Math.floor(Math.random() * 100));
/** The error a run ended with: its first line that says Error, else its last line. */
const firstLine = (r: Run) => {
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("npm warn"));
  return (lines.find((l) => /error/i.test(l)) ?? lines.slice(-1)[0] ?? "").trim().slice(0, 300);
};

function must(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr}\n${r.stdout}`);
  return r;
}

async function csv(name: string, project: string, prefix: string, rows: number): Promise<string> {
  const lines = ["流水号,项目,金额,捐赠人,渠道"];
  const channels = ["银行", "支付宝", "微信", "现金", "其他"];
  for (let i = 0; i < rows; i++) {
    const yuan = 1 + ((i * 7919) % 5000);
    lines.push(`${prefix}-${i},${project},${yuan}.${String(i % 100).padStart(2, "0")},捐赠人${i},${channels[i % 5]}`);
  }
  const path = join(dir, name);
  await writeFile(path, lines.join("\n") + "\n");
  return path;
}

async function openProject(code: string, charity: string) {
  must(
    await chain.hardhat([
      "charity",
      "project",
      "propose",
      code,
      "--target",
      "100,000,000",
      "--permit-hash",
      "0x" + "11".repeat(32),
      "--from",
      charity,
    ]),
    `propose ${code}`,
  );
  must(await chain.hardhat(["charity", "project", "approve", code, "--from", CIVIL_AFFAIRS]), `approve ${code}`);
}

const ledger = async () => {
  const d = await loadDeployment(chain.provider());
  return CharityLedger__factory.connect(d.addresses.CharityLedger!, chain.provider());
};
const donationCount = async (code: string, charity = CHARITY_A) =>
  (await (await ledger()).project(projectIdOf(charity, code))).donationCount;

/**
 * What the chain holds for a project against the file's rows: every `DonationRecorded` event of the
 * project, each donation id's count, and each receipt's commitment against the one on chain.
 */
async function audit(code: string, charity: string, prefix: string, rows: number, receiptsPath: string) {
  const l = await ledger();
  // The charity's reference key, as civil affairs would be given it.
  const refKey = must(await chain.hardhat(["charity", "ref-key", "--from", charity]), "ref-key").stdout.trim();
  const events = await l.queryFilter(l.filters.DonationRecorded(undefined, projectIdOf(charity, code)), 0, "latest");
  const seen = new Map<string, { count: number; commitment: string }>();
  for (const e of events) {
    const id = e.args.donationId.toLowerCase();
    const s = seen.get(id);
    seen.set(id, { count: (s?.count ?? 0) + 1, commitment: e.args.donorCommitment });
  }
  const receipts = await loadReceipts(receiptsPath);
  let lost = 0;
  let receiptMismatches = 0;
  let missingReceipts = 0;
  for (let i = 0; i < rows; i++) {
    const ref = `${prefix}-${i}`;
    const id = donationIdOf(charity, refHashOf(refKey, ref)).toLowerCase();
    const onChain = seen.get(id);
    if (onChain === undefined) {
      lost++;
      continue;
    }
    const r = receipts.get(ref);
    if (r === undefined) missingReceipts++;
    else if (r.commitment.toLowerCase() !== onChain.commitment.toLowerCase()) receiptMismatches++;
  }
  // Receipts-file lines per ref: two importers at once may both write one.
  const text = await readFile(receiptsPath, "utf8").catch(() => "");
  const perRef = new Map<string, number>();
  for (const line of text.split("\n").slice(1)) {
    if (line.trim() === "") continue;
    const ref = line.split(",")[0] ?? "";
    perRef.set(ref, (perRef.get(ref) ?? 0) + 1);
  }
  const receiptLinesDoubled = [...perRef.values()].reduce((n, c) => n + c - 1, 0);
  const doubledEvents = [...seen.values()].reduce((n, s) => n + s.count - 1, 0);
  const count = Number(await donationCount(code));
  return {
    rows,
    onChain: seen.size,
    donationCount: count,
    lost,
    doubled: doubledEvents + Math.max(0, count - seen.size),
    receiptMismatches,
    missingReceipts,
    receiptLinesDoubled,
  };
}

const importArgs = (file: string, receipts: string, from: string) => [
  "charity",
  "import",
  file,
  "--receipts",
  receipts,
  "--from",
  from,
];

try {
  console.log(`chain ${chain.chainId} at ${chain.url()}; deploying`);
  must(await chain.hardhat(["run", "scripts/deploy-local.ts"]), "deploy");
  const address = (await loadDeployment(chain.provider())).addresses.CharityLedger!;

  // ------------------------------------------------------------ throughput
  console.log(`throughput: ${THROUGHPUT_ROWS} rows`);
  await openProject("BENCH-CLI", CHARITY_A);
  await openProject("BENCH-BARE", CHARITY_B);
  const cliFile = await csv("cli.csv", "BENCH-CLI", "TP", THROUGHPUT_ROWS);
  const bareFile = await csv("bare.csv", "BENCH-BARE", "TP", THROUGHPUT_ROWS);
  const cliRun = must(
    await chain.hardhat(importArgs(cliFile, join(dir, "cli-receipts.csv"), CHARITY_A)),
    "charity import",
  );
  const bareRun = must(
    await run(
      "npx",
      ["tsx", "bench/lib/bare-import.ts", chain.url(), address, bareFile, "BENCH-BARE", "3"],
      process.env,
      ROOT,
    ).done,
    "bare import",
  );
  const cliCount = Number(await donationCount("BENCH-CLI"));
  const bareCount = Number(await donationCount("BENCH-BARE", CHARITY_B));
  const throughput = {
    rows: THROUGHPUT_ROWS,
    batch: 100,
    cli: { seconds: cliRun.seconds, recorded: cliCount, rowsPerSecond: Math.round(cliCount / cliRun.seconds) },
    bare: { seconds: bareRun.seconds, recorded: bareCount, rowsPerSecond: Math.round(bareCount / bareRun.seconds) },
    cliShareOfBare: Math.round((bareRun.seconds / cliRun.seconds) * 1000) / 1000,
  };
  console.log(JSON.stringify(throughput));

  // ------------------------------------------------------------ faults
  const faults = [];
  for (const [k, point] of KILL_POINTS.entries()) {
    const code = `BENCH-FAULT-${k}`;
    const prefix = `F${k}`;
    await openProject(code, CHARITY_A);
    // The project is in the node's saved state (dumped every 5 s) before the import starts: a restart
    // rolls back donations, not the project they go to.
    await new Promise((r) => setTimeout(r, 6_000));
    const file = await csv(`fault-${k}.csv`, code, prefix, FAULT_ROWS);
    const receipts = join(dir, `fault-${k}-receipts.csv`);
    const target = Math.floor(FAULT_ROWS * point);
    const first = chain.spawnHardhat(importArgs(file, receipts, CHARITY_A));
    let atKill = 0;
    let firstExit: Run | undefined;
    void first.done.then((r) => (firstExit = r));
    for (;;) {
      atKill = Number(await donationCount(code));
      if (atKill >= target || firstExit !== undefined) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await chain.kill();
    // The import should stop with an error once its node is gone; give it 15 s, then 15 s more with the
    // node back, before calling it hung and ending it.
    let firstRun = await within(first.done, 15_000);
    const exitedWhileDown = firstRun !== undefined;
    await chain.start();
    if (firstRun === undefined) firstRun = await within(first.done, 15_000);
    const hung = firstRun === undefined;
    if (firstRun === undefined) {
      first.kill();
      firstRun = await first.done;
    }
    const afterRestart = Number(await donationCount(code));
    let reruns = 0;
    let rerun: Run;
    do {
      rerun = await chain.hardhat(importArgs(file, receipts, CHARITY_A));
      reruns++;
    } while (rerun.code !== 0 && reruns < 3);
    const result = {
      killAt: point,
      onChainAtKill: atKill,
      onChainAfterRestart: afterRestart,
      rolledBack: atKill - afterRestart,
      importExitedWhileNodeDown: exitedWhileDown,
      importHung: hung,
      importExit: firstRun.code,
      importError: firstLine(firstRun),
      importLastOutput: firstRun.stdout.trim().split("\n").slice(-1)[0] ?? "",
      reruns,
      rerunExit: rerun.code,
      rerunSummary: rerun.stdout.trim().split("\n").slice(-1)[0] ?? "",
      ...(await audit(code, CHARITY_A, prefix, FAULT_ROWS, receipts)),
    };
    console.log(JSON.stringify(result));
    faults.push(result);
  }

  // ------------------------------------------------------------ concurrency
  const concCode = "BENCH-CONCURRENT";
  await openProject(concCode, CHARITY_A);
  const concFile = await csv("concurrent.csv", concCode, "C", CONCURRENT_ROWS);
  const concReceipts = join(dir, "concurrent-receipts.csv");
  const [a, b] = await Promise.all([
    chain.hardhat(importArgs(concFile, concReceipts, CHARITY_A)),
    chain.hardhat(importArgs(concFile, concReceipts, CHARITY_A)),
  ]);
  const beforeRerun = await audit(concCode, CHARITY_A, "C", CONCURRENT_ROWS, concReceipts);
  const rerun = await chain.hardhat(importArgs(concFile, concReceipts, CHARITY_A));
  const concurrency = {
    importers: [
      { exit: a.code, summary: a.stdout.trim().split("\n").slice(-1)[0] ?? "", error: firstLine(a) },
      { exit: b.code, summary: b.stdout.trim().split("\n").slice(-1)[0] ?? "", error: firstLine(b) },
    ],
    beforeRerun,
    rerunExit: rerun.code,
    rerunSummary: rerun.stdout.trim().split("\n").slice(-1)[0] ?? "",
    rerunError: firstLine(rerun),
    ...(await audit(concCode, CHARITY_A, "C", CONCURRENT_ROWS, concReceipts)),
  };
  console.log(JSON.stringify(concurrency));

  const path = await writeResult("cli", started, {
    node: "Anvil from @foundry-rs/anvil (npm run chain's settings: paris, gas price 0, automine, state every 5 s)",
    throughput,
    faults,
    concurrency,
  });
  console.log(`written ${path}`);
} finally {
  await chain.dispose();
  await rm(dir, { recursive: true, force: true });
}
