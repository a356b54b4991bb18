import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { oneKey } from "../../src/relief/key-service-client.js";
import { maskIdNumber } from "../../src/relief/key.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, required, runTask, session } from "../common.js";
import { keySourceFor } from "./common.js";

export default async function (
  a: { idNumber: string; household: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const s = await session(hre, a.from, requireRelief);
    const source = await keySourceFor(hre, s.signer, s.deployment.chainId);
    const { key, householdHash: household } = await oneKey(
      source,
      required("--id-number", a.idNumber),
      required("--household", a.household),
    );
    const w = await ledger.registerBeneficiary(s.deployment, s.signer, key, household!, s.overrides);
    console.log(`beneficiary ${maskIdNumber(a.idNumber.trim())} registered as key ${key} ${mined(w)}`);
  });
}
