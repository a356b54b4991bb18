import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { LedgerError } from "../../src/errors.js";
import { organisationNamer } from "../../src/registry.js";
import * as ledger from "../../src/trace/ledger.js";
import { parseProductCode } from "../../src/trace/vocabulary.js";
import { jsonText, openReader, runTask } from "../common.js";

export default async function (a: { code: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const p = await ledger.getProduct(d, parseProductCode(a.code));
    if (p === undefined) throw new LedgerError(`no product ${a.code.trim()} on this chain`);
    if (a.json) return console.log(jsonText(p));
    const nameOf = await organisationNamer(d);
    console.log(`product ${p.productCode}: ${p.category}${p.geographicIndication ? ", geographic indication" : ""}`);
    console.log(`  producer  ${nameOf(p.producer)} (${p.producer})`);
  });
}
