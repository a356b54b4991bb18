import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { grant, resolveProject } from "../../src/charity/ledger.js";
import { openSession, runTask, amountOption, mined, yuan } from "../common.js";
import { docHash } from "./common.js";

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
    const amountFen = amountOption("--amount", args.amount);
    const evidenceHash = await docHash("evidence", args.evidenceFile, args.evidenceHash);
    const s = await openSession(hre, args.from);
    const fromProjectId = await resolveProject(s.deployment, args.fromProject, s.signer.address);
    const toProjectId = await resolveProject(s.deployment, args.toProject, s.signer.address);
    const w = await grant(s.deployment, s.signer, { fromProjectId, toProjectId, amountFen, evidenceHash }, s.overrides);
    console.log(`granted ${yuan(amountFen)} from ${args.fromProject} to ${args.toProject} ${mined(w)}`);
  });
}
