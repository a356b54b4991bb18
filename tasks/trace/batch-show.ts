import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { printTable } from "../../src/format.js";
import { organisationNamer } from "../../src/registry.js";
import * as ledger from "../../src/trace/ledger.js";
import { formatQuantity, parseBatchRef } from "../../src/trace/vocabulary.js";
import { jsonText, openReader, runTask } from "../common.js";
import { time } from "./common.js";

export default async function (a: { batch: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const d = await openReader(hre);
    const b = await ledger.requireBatch(d, id);
    if (a.json) return console.log(jsonText(b));
    const nameOf = await organisationNamer(d);
    console.log(`batch ${id}`);
    printTable(
      ["field", "value"],
      [
        ["product", b.productCode],
        ["quantity", `${formatQuantity(b.quantity)} ${b.uom}`],
        ["status", b.recalled ? `${b.status} — RECALLED` : b.status],
        ["custodian", `${nameOf(b.custodian)} (${b.custodian})`],
        ...(b.receiver !== undefined ? [["shipped to", `${nameOf(b.receiver)} (${b.receiver})`]] : []),
        [
          "certificate",
          b.cert === "none"
            ? "none"
            : `${b.cert}${b.cert === "passed" ? `, valid until ${time(b.certValidUntil)}` : ""}`,
        ],
        ["GI certificate", b.giCertificate === 0 ? "none" : String(b.giCertificate)],
        ["parents", b.parents.length === 0 ? "none (commissioned)" : b.parents.join(", ")],
        ["sellable now", b.sellable ? "yes" : "no"],
      ],
    );
  });
}
