import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/trace/ledger.js";
import { formatQuantity, parseProductCode, parseQuantity, parseUnit } from "../../src/trace/vocabulary.js";
import { mined, organisationOption, required, runTask, session } from "../common.js";
import { parseValidUntil, time } from "./common.js";

export default async function (
  a: {
    producer?: string;
    product?: string;
    ceiling?: string;
    unit: string;
    validUntil?: string;
    documentFile: string;
    documentHash: string;
    from: string;
  },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const productCode = parseProductCode(required("--product", a.product));
    const ceiling = parseQuantity(required("--ceiling", a.ceiling), "--ceiling");
    const unit = parseUnit(a.unit);
    const validUntil = parseValidUntil("--valid-until", required("--valid-until", a.validUntil));
    const doc = await requiredDocumentHash(
      "document hash",
      { file: a.documentFile, hash: a.documentHash },
      "certificate",
      "document",
    );
    const s = await session(hre, a.from, requireTrace);
    const producer = (await organisationOption(s.deployment, "--producer", a.producer)).account;
    const w = await ledger.issueGiCertificate(
      s.deployment,
      s.signer,
      { producer, productCode, uom: unit.hex, ceiling, validUntil, documentHash: doc },
      s.overrides,
    );
    console.log(
      `GI certificate ${w.value} issued: ${formatQuantity(ceiling)} ${unit.code} of ${a.product!.trim()} until ${time(validUntil)} ${mined(w)}`,
    );
  });
}
