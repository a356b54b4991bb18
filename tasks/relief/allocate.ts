import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, organisationOption, runTask, session, amountOption, yuan } from "../common.js";
import { type DocArgs, programmeOf, projectOf } from "./common.js";

export default async function (
  a: { programme: string; to: string; project: string; amount?: string; from: string } & DocArgs,
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const amount = amountOption("--amount", a.amount);
    if ((a.to === "") === (a.project === "")) throw new LedgerError("give --to <organisation> or --project <code>");
    const doc = await requiredDocumentHash(
      "allocation document (资金拨付文件)",
      { file: a.documentFile, hash: a.documentHash },
      "allocation document (资金拨付文件)",
      "document",
    );
    const s = await session(hre, a.from, requireRelief);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    if (a.project !== "") {
      const j = await projectOf(s.deployment, a.project, s.signer.address);
      if (j.programmeId.toLowerCase() !== p.programmeId.toLowerCase()) {
        throw new LedgerError(`project ${a.project.trim()} belongs to another programme (${j.programmeId})`);
      }
      const w = await ledger.fundProject(s.deployment, s.signer, j.projectId, amount, doc, s.overrides);
      console.log(`allocation ${w.value}: ${yuan(amount)} into project ${a.project.trim()} ${mined(w)}`);
      return;
    }
    const to = await organisationOption(s.deployment, "--to", a.to);
    const w = await ledger.allocate(s.deployment, s.signer, p.programmeId, to.account, amount, doc, s.overrides);
    console.log(`allocation ${w.value}: ${yuan(amount)} of ${a.programme.trim()} to ${to.name} ${mined(w)}`);
  });
}
