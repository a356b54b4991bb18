import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { projectIdOf } from "../../src/charity/ids.js";
import { grant } from "../../src/charity/ledger.js";
import { openSession, runTask } from "../common.js";
import { amountOption, docHash, mined, yuan } from "./common.js";

interface Args {
  fromProject: string;
  toProject: string;
  amount?: string;
  evidenceFile: string;
  evidenceHash: string;
  from: string;
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const fromProjectId = projectIdOf(args.fromProject);
    const toProjectId = projectIdOf(args.toProject);
    const amountFen = amountOption("--amount", args.amount);
    const evidenceHash = await docHash("evidence", args.evidenceFile, args.evidenceHash);
    const s = await openSession(hre, args.from);
    const w = await grant(s.deployment, s.signer, { fromProjectId, toProjectId, amountFen, evidenceHash }, s.overrides);
    console.log(`granted ${yuan(amountFen)} from ${args.fromProject} to ${args.toProject} ${mined(w)}`);
  });
}
