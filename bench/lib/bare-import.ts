/**
 * The bare baseline of the CLI throughput benchmark: the least a script can do to put a CSV of
 * donations on chain. Parses the file with csv-parse, turns yuan into fen, and sends the same
 * `recordDonations` batches as `charity import` (legacy transactions, gas price 0, gas estimated by the
 * node), one after the other, each waited for by polling its receipt every 20 ms. No checks, no receipts
 * file, no simulation, no progress bar.
 *
 *   tsx bench/lib/bare-import.ts <rpc url> <ledger address> <csv> <project code> <account index> [batch]
 */
import { readFile } from "node:fs/promises";

import { parse } from "csv-parse/sync";
import {
  HDNodeWallet,
  JsonRpcProvider,
  NonceManager,
  ZeroHash,
  concat,
  hexlify,
  id as keccakText,
  keccak256,
  randomBytes,
  toUtf8Bytes,
} from "ethers";

import { CharityLedger__factory } from "../../types/ethers-contracts/index.js";

const [url, address, file, project, index, batchText] = process.argv.slice(2);
if (url === undefined || address === undefined || file === undefined || project === undefined || index === undefined) {
  throw new Error("usage: bare-import.ts <rpc url> <ledger address> <csv> <project code> <account index> [batch]");
}
const batchSize = Number(batchText ?? 100);
const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
/** Waits for a receipt by asking for it every 20 ms (ethers' `wait()` polls every 4 s and stalls on Anvil). */
async function receipt(hash: string) {
  for (;;) {
    const r = await provider.getTransactionReceipt(hash);
    if (r !== null) return r;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const wallet = HDNodeWallet.fromPhrase(
  "test test test test test test test test test test test junk",
  undefined,
  `m/44'/60'/0'/0/${index}`,
).connect(provider);
const ledger = CharityLedger__factory.connect(address, new NonceManager(wallet));
const rows = parse(await readFile(file, "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
const channels: Record<string, number> = { 银行: 0, 支付宝: 1, 微信: 2, 现金: 3, 其他: 4 };
const refKey = hexlify(randomBytes(32));
const donations = rows.map((r) => {
  const [yuan = "0", fen = ""] = (r["金额"] ?? "0").replaceAll(",", "").split(".");
  return {
    // Keyed like the ledger's importer (src/charity/ids.ts refHashOf), with a key of this run's.
    refHash: keccak256(concat([refKey, toUtf8Bytes(r["流水号"] ?? "")])),
    amount: BigInt(yuan) * 100n + BigInt((fen + "00").slice(0, 2)),
    donorCommitment: keccakText(hexlify(randomBytes(16)) + (r["捐赠人"] ?? "")),
    channel: channels[r["渠道"] ?? ""] ?? 4,
    evidenceHash: ZeroHash,
    receivedOn: 0,
  };
});
const projectId = await ledger.projectIdOf(wallet.address, project);
let recorded = 0n;
for (let i = 0; i < donations.length; i += batchSize) {
  const tx = await ledger.recordDonations(projectId, donations.slice(i, i + batchSize), { type: 0, gasPrice: 0n });
  const r = await receipt(tx.hash);
  if (r?.status !== 1) throw new Error(`batch at row ${i} failed`);
  recorded += BigInt(Math.min(batchSize, donations.length - i));
}
console.log(`${recorded} donations sent`);
provider.destroy();
