import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { proposeReversal } from "../../src/charity/ledger.js";
import { parseBytes32 } from "../../src/hash.js";
import { openSession, runTask } from "../common.js";
import { docHash, mined } from "./common.js";

interface Args {
  donation: string;
  reasonFile: string;
  reasonHash: string;
  from: string;
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const donationId = parseBytes32("donation id", args.donation);
    const reasonHash = await docHash("reason", args.reasonFile, args.reasonHash);
    const s = await openSession(hre, args.from);
    const w = await proposeReversal(s.deployment, s.signer, donationId, reasonHash, s.overrides);
    console.log(`proposed reversing donation ${donationId}; civil affairs must approve it. ${mined(w)}`);
  });
}
