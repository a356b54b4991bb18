import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import * as ledger from "../../src/trace/ledger.js";
import { batchLink, publicBaseUrl, writeQr } from "../../src/trace/qr.js";
import { parseBatchRef } from "../../src/trace/vocabulary.js";
import { openReader, runTask } from "../common.js";
import { requireTrace } from "../../src/deployment.js";
import { batchHistory } from "../../src/trace/history.js";

export default async function (a: { batch: string; out: string; baseUrl: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const base = publicBaseUrl(a.baseUrl);
    const d = await openReader(hre);
    const b = await ledger.requireBatch(d, id);
    // The chain keeps no lot code in the batch's state: it is in the batch's creating event.
    const trace = requireTrace(d);
    const h = await batchHistory(trace, trace.runner!.provider!, id);
    const lotCode = h.lineage.find((l) => l.batchId.toLowerCase() === id.toLowerCase())?.lotCode ?? "";
    const name = a.batch.includes("/") ? a.batch.trim() : `${b.productCode}_${id.slice(2, 10)}`;
    const files = await writeQr(a.out, name, batchLink(base, { batchId: id, productCode: b.productCode, lotCode }));
    console.log(`QR for ${files.url}\n  ${files.png}\n  ${files.svg}`);
  });
}
