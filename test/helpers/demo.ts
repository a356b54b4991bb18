/**
 * `npm run demo` against a test's own Anvil chain (`--network localhost`), exiting once its
 * explorer answers: the demo data the explorer tests read.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

import { ROOT, type LocalChain } from "./cli.js";

const exec = promisify(execFile);

export interface DemoRun {
  readonly stdout: string;
  /** The donors' receipts file the demo wrote (names stay off chain). */
  readonly receiptsFile: string;
  /** One donor's receipt code and name, from that file. */
  readonly receiptCode: string;
  readonly donorName: string;
  /** The villages' payment-notice file the demo wrote (receipt codes stay off chain). */
  readonly noticeFile: string;
  /** One household's payment notice, from that file. */
  readonly paymentNotice: { receiptCode: string; amountYuan: string; period: string; programme: string };
}

export async function runDemoOn(chain: LocalChain): Promise<DemoRun> {
  // ZHIXIN_TEST_NO_COMPILE=1: the caller built already (`hardhat run` would otherwise build the Solidity tests too).
  const noCompile = process.env.ZHIXIN_TEST_NO_COMPILE === "1" ? ["--no-compile"] : [];
  const { stdout } = await exec("npx", ["hardhat", "run", ...noCompile, "scripts/demo.ts", "--network", "localhost"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ZHIXIN_LOCAL_RPC_URL: chain.url(),
      ZHIXIN_LOCAL_CHAIN_ID: String(chain.chainId),
      ZHIXIN_DEMO_EXIT: "1",
      ZHIXIN_EXPLORER_PORT: "0",
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const receiptsFile = /receipts \(names stay off chain\) are in (\S+receipts\.csv)/.exec(stdout)?.[1];
  if (receiptsFile === undefined) throw new Error(`the demo printed no receipts file:\n${stdout}`);
  const [header, ...rows] = (await readFile(receiptsFile, "utf8")).split(/\r?\n/);
  const columns = header!.replace(/^\uFEFF/, "").split(",");
  const code = columns.indexOf("receiptCode");
  const donor = columns.indexOf("donor");
  // A named donor's row (the CSV of the demo has no quoted commas in these columns).
  const named = rows.map((r) => r.split(",")).find((v) => (v[donor] ?? "") !== "" && (v[code] ?? "").startsWith("ZX-"));
  if (named === undefined) throw new Error(`no named donor in ${receiptsFile}`);
  const noticeFile = /payment notices \(receipt codes, never on chain\) are in (\S+relief-notices\.csv)/.exec(
    stdout,
  )?.[1];
  if (noticeFile === undefined) throw new Error(`the demo printed no payment-notice file:\n${stdout}`);
  const [noticeHeader, first] = (await readFile(noticeFile, "utf8")).split(/\r?\n/);
  const nc = noticeHeader!.replace(/^\uFEFF/, "").split(",");
  const nv = first!.split(","); // the first columns hold no commas
  const at = (name: string) => nv[nc.indexOf(name)]!;
  const paymentNotice = {
    receiptCode: at("receiptCode"),
    amountYuan: at("amountYuan"),
    period: at("period"),
    programme: at("programme"),
  };
  return { stdout, receiptsFile, receiptCode: named[code]!, donorName: named[donor]!, noticeFile, paymentNotice };
}
