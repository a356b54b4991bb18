import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { approveReversal } from "../../src/charity/ledger.js";
import { parseBytes32 } from "../../src/hash.js";
import { openSession, runTask, mined } from "../common.js";

export default async function (args: { donation: string; from: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const donationId = parseBytes32("donation id", args.donation);
    const s = await openSession(hre, args.from);
    const w = await approveReversal(s.deployment, s.signer, donationId, s.overrides);
    console.log(`reversed donation ${donationId} ${mined(w)}`);
  });
}
