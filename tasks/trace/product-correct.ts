import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/trace/ledger.js";
import { CATEGORIES, parseCategory, parseProductCode } from "../../src/trace/vocabulary.js";
import { mined, organisationOption, runTask, session } from "../common.js";

export default async function (
  a: { code: string; category: string; producer: string; reasonFile: string; reasonHash: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const productCode = parseProductCode(a.code);
    const reasonHash = await requiredDocumentHash(
      "reason hash",
      { file: a.reasonFile, hash: a.reasonHash },
      "correction decision",
      "reason",
    );
    const s = await session(hre, a.from, requireTrace);
    const p = await ledger.getProduct(s.deployment, productCode);
    if (p === undefined) throw new LedgerError(`no product ${a.code.trim()} on this chain`);
    const category = a.category.trim() === "" ? CATEGORIES.indexOf(p.category) : parseCategory(a.category);
    const producer =
      a.producer.trim() === ""
        ? p.producer
        : (await organisationOption(s.deployment, "--producer", a.producer)).account;
    const w = await ledger.correctProduct(
      s.deployment,
      s.signer,
      { productCode, category, producer, reasonHash },
      s.overrides,
    );
    console.log(`corrected product ${a.code.trim()}: ${CATEGORIES[category]}, producer ${producer} ${mined(w)}`);
  });
}
