import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { organisationNamer } from "../../src/registry.js";
import { decodeCode, formatQuantity, unitCode } from "../../src/trace/vocabulary.js";
import { jsonText, openReader, runTask, positiveInt } from "../common.js";
import { time } from "./common.js";

export default async function (a: { certificate: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const id = positiveInt("certificate", a.certificate);
    const d = await openReader(hre);
    const trace = requireTrace(d);
    if (id > (await trace.giCertificateCount())) throw new LedgerError(`no GI certificate ${id} on this chain`);
    const g = await trace.giCertificate(id);
    const productCode = decodeCode(await trace.productCodeAt(g.productSeq));
    const view = {
      certificate: id,
      producer: g.producer,
      product: productCode,
      unit: unitCode(g.uom),
      ceiling: formatQuantity(g.ceiling),
      labelled: formatQuantity(g.labelled),
      remaining: formatQuantity(g.ceiling - g.labelled),
      validUntil: time(g.validUntil),
    };
    if (a.json) return console.log(jsonText(view));
    const nameOf = await organisationNamer(d);
    console.log(`GI certificate ${id}: ${view.product} by ${nameOf(g.producer)}, valid until ${view.validUntil}`);
    console.log(`  ceiling ${view.ceiling} ${view.unit}, labelled ${view.labelled}, remaining ${view.remaining}`);
  });
}
