import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import * as ledger from "../../src/trace/ledger.js";
import { batchUrl } from "../../src/indexer/routes.js";
import { explorerBaseUrl, writeQr } from "../../src/trace/qr.js";
import { parseBatchRef } from "../../src/trace/vocabulary.js";
import { openReader, runTask } from "../common.js";

export default async function (a: { batch: string; out: string; baseUrl: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const base = explorerBaseUrl(a.baseUrl);
    const d = await openReader(hre);
    const b = await ledger.requireBatch(d, id);
    const name = a.batch.includes("/") ? a.batch.trim() : `${b.productCode}_${id.slice(2, 10)}`;
    const files = await writeQr(a.out, name, batchUrl(base, id));
    console.log(`QR for ${files.url}\n  ${files.png}\n  ${files.svg}`);
  });
}
