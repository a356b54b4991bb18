import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { documentHash } from "../../src/hash.js";
import * as ledger from "../../src/trace/ledger.js";
import { CATEGORIES, parseCategory, parseProductCode } from "../../src/trace/vocabulary.js";
import { mined, organisationOption, required, runTask, session } from "../common.js";

export default async function (
  a: { code: string; category?: string; producer: string; gi: boolean; metadataFile: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const productCode = parseProductCode(a.code);
    const category = parseCategory(required("--category", a.category));
    const metadataHash = await documentHash("metadata hash", { file: a.metadataFile });
    const s = await session(hre, a.from, requireTrace);
    const producer =
      a.producer === "" ? s.signer.address : (await organisationOption(s.deployment, "--producer", a.producer)).account;
    const w = await ledger.registerProduct(
      s.deployment,
      s.signer,
      { productCode, category, producer, geographicIndication: a.gi, metadataHash },
      s.overrides,
    );
    console.log(`registered product ${a.code.trim()} (${CATEGORIES[category]}${a.gi ? ", GI" : ""}) ${mined(w)}`);
  });
}
