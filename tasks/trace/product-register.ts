import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { documentHash } from "../../src/hash.js";
import * as ledger from "../../src/trace/ledger.js";
import { InvalidInputError } from "../../src/errors.js";
import { nameProduct, parseName } from "../../src/names/ledger.js";
import { CATEGORIES, parseCategory, parseProductCode } from "../../src/trace/vocabulary.js";
import { mined, organisationOption, required, runTask, session } from "../common.js";

export default async function (
  a: {
    code: string;
    category?: string;
    producer: string;
    gi: boolean;
    metadataFile: string;
    name: string;
    from: string;
  },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const productCode = parseProductCode(a.code);
    const category = parseCategory(required("--category", a.category));
    const metadataHash = await documentHash("metadata hash", { file: a.metadataFile });
    const name = a.name.trim() === "" ? undefined : parseName(a.name, "--name");
    const s = await session(hre, a.from, requireTrace);
    const producer =
      a.producer === "" ? s.signer.address : (await organisationOption(s.deployment, "--producer", a.producer)).account;
    if (name !== undefined && producer.toLowerCase() !== s.signer.address.toLowerCase())
      throw new InvalidInputError(
        "--name",
        a.name,
        "only the producer names its product: register without --name, then the producer runs `trace product name`",
      );
    const w = await ledger.registerProduct(
      s.deployment,
      s.signer,
      { productCode, category, producer, geographicIndication: a.gi, metadataHash },
      s.overrides,
    );
    console.log(`registered product ${a.code.trim()} (${CATEGORIES[category]}${a.gi ? ", GI" : ""}) ${mined(w)}`);
    if (name !== undefined) {
      const n = await nameProduct(s.deployment, s.signer, productCode, name, s.overrides);
      console.log(`named it ${name} ${mined(n)}`);
    }
  });
}
