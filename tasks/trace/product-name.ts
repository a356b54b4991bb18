import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireNames } from "../../src/deployment.js";
import { nameProduct, parseName } from "../../src/names/ledger.js";
import { parseProductCode } from "../../src/trace/vocabulary.js";
import { mined, required, runTask, session } from "../common.js";

export default async function (a: { code: string; name?: string; from: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const productCode = parseProductCode(a.code);
    const name = parseName(required("--name", a.name), "--name");
    const s = await session(hre, a.from, requireNames);
    const w = await nameProduct(s.deployment, s.signer, productCode, name, s.overrides);
    console.log(`product ${a.code.trim()} is named ${name} ${mined(w)}`);
  });
}
