import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { beneficiaryKey, householdHash, maskIdNumber } from "../../src/relief/key.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, required, runTask, session } from "../common.js";
import { reliefSecret } from "./common.js";

export default async function (
  a: { idNumber: string; household: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const secret = await reliefSecret(hre);
    const key = beneficiaryKey(secret, required("--id-number", a.idNumber));
    const household = householdHash(secret, required("--household", a.household));
    const s = await session(hre, a.from, requireRelief);
    const w = await ledger.registerBeneficiary(s.deployment, s.signer, key, household, s.overrides);
    console.log(`beneficiary ${maskIdNumber(a.idNumber.trim())} registered as key ${key} ${mined(w)}`);
  });
}
