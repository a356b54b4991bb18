import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { printTable } from "../../src/format.js";
import { organisationNamer } from "../../src/registry.js";
import { listBatches } from "../../src/trace/batches.js";
import { decodeCode, formatQuantity, parseProductCode } from "../../src/trace/vocabulary.js";
import { jsonText, openReader, runTask } from "../common.js";

/** `trace batches`: every batch, how it came to be and where it is now. */
export default async function (a: { product: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const lines = await listBatches(
      d,
      a.product.trim() === "" ? {} : { productCode: decodeCode(parseProductCode(a.product)) },
    );
    if (a.json) return console.log(jsonText(lines));
    if (lines.length === 0) return console.log("no batches");
    const nameOf = await organisationNamer(d);
    printTable(
      ["batch", "product", "lot", "origin", "quantity", "status", "custodian"],
      lines.map((l) => [
        l.batchId,
        l.productCode,
        l.lotCode,
        l.origin,
        `${formatQuantity(l.state.quantity)} ${l.state.uom}`,
        l.state.recalled ? `${l.state.status} — RECALLED` : l.state.status,
        nameOf(l.state.custodian),
      ]),
    );
    console.log(`${lines.length} batches`);
  });
}
