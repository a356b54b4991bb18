import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { PURPOSES, parsePurpose } from "../../src/charity/vocabulary.js";
import { disburse, resolveProject } from "../../src/charity/ledger.js";
import { openSession, runTask, amountOption, mined, organisationOption, yuan } from "../common.js";
import { docHash } from "./common.js";

interface Args {
  project: string;
  to?: string;
  amount?: string;
  purpose: string;
  evidenceFile: string;
  evidenceHash: string;
  from: string;
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const amountFen = amountOption("--amount", args.amount);
    const purpose = parsePurpose(args.purpose);
    const evidenceHash = await docHash("evidence", args.evidenceFile, args.evidenceHash);
    const s = await openSession(hre, args.from);
    const projectId = await resolveProject(s.deployment, args.project, s.signer.address);
    const to = await organisationOption(s.deployment, "--to", args.to);
    const w = await disburse(
      s.deployment,
      s.signer,
      { projectId, recipient: to.account, purpose, amountFen, evidenceHash },
      s.overrides,
    );
    console.log(
      `disbursed ${yuan(amountFen)} (${PURPOSES[purpose]}) from ${args.project} to ${to.name}: disbursement ${w.value}, pending the recipient's confirmation, ${mined(w)}`,
    );
  });
}
