import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireNames } from "../../src/deployment.js";
import { InvalidInputError } from "../../src/errors.js";
import { nameLocation, parseName } from "../../src/names/ledger.js";
import { formatGln, parseGln } from "../../src/trace/vocabulary.js";
import { mined, required, runTask, session } from "../common.js";

export default async function (a: { gln: string; name?: string; from: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const gln = parseGln(a.gln, "gln");
    if (gln === 0n) throw new InvalidInputError("gln", a.gln, "must be a GLN: 13 digits ending in a GS1 check digit");
    const name = parseName(required("--name", a.name), "--name");
    const s = await session(hre, a.from, requireNames);
    const w = await nameLocation(s.deployment, s.signer, gln, name, s.overrides);
    console.log(`location ${formatGln(gln)} of ${s.signer.address} is named ${name} ${mined(w)}`);
  });
}
