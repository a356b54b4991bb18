import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { proposeReversal, rejectReversal } from "../../src/charity/ledger.js";
import { parseBytes32 } from "../../src/hash.js";
import { openSession, runTask, mined } from "../common.js";
import { docHash } from "./common.js";

interface Args {
  donation: string;
  reasonFile: string;
  reasonHash: string;
  from: string;
}

/** Shared body of `charity reverse propose` (by the charity) and `reverse reject` (by civil affairs). */
export function reversalAction(step: "propose" | "reject") {
  return async (args: Args, hre: HardhatRuntimeEnvironment) =>
    runTask(async () => {
      const donationId = parseBytes32("donation id", args.donation);
      const reasonHash = await docHash("reason", args.reasonFile, args.reasonHash);
      const s = await openSession(hre, args.from);
      const write = step === "propose" ? proposeReversal : rejectReversal;
      const w = await write(s.deployment, s.signer, donationId, reasonHash, s.overrides);
      console.log(
        step === "propose"
          ? `proposed reversing donation ${donationId}; civil affairs must approve it. ${mined(w)}`
          : `rejected the reversal of donation ${donationId}; it stands. ${mined(w)}`,
      );
    });
}
