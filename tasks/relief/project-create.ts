import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { InvalidInputError } from "../../src/errors.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/relief/ledger.js";
import { nameReliefProject, parseName } from "../../src/names/ledger.js";
import { parseCodeRef } from "../../src/code-ref.js";
import { mined, organisationOption, runTask, session, positiveInt, amountOption, yuan } from "../common.js";
import { type DocArgs, programmeOf } from "./common.js";

export default async function (
  a: {
    code: string;
    programme?: string;
    implementer?: string;
    budget?: string;
    milestones?: string;
    name: string;
    from: string;
  } & DocArgs,
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const code = parseCodeRef("--code", a.code);
    if (!("code" in code)) throw new InvalidInputError("--code", a.code, "a new project needs a code, not a 0x id");
    const name = a.name.trim() === "" ? undefined : parseName(a.name, "--name");
    const budget = amountOption("--budget", a.budget);
    const milestoneCount = positiveInt("--milestones", a.milestones, 32);
    const metadataHash = await requiredDocumentHash(
      "project document (plan, budget)",
      { file: a.documentFile, hash: a.documentHash },
      "project document (plan, budget)",
      "document",
    );
    const s = await session(hre, a.from, requireRelief);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    const implementer = await organisationOption(s.deployment, "--implementer", a.implementer);
    const w = await ledger.createProject(
      s.deployment,
      s.signer,
      {
        code: code.code,
        programmeId: p.programmeId,
        implementer: implementer.account,
        budget,
        milestoneCount,
        metadataHash,
      },
      s.overrides,
    );
    console.log(
      `project ${a.code.trim()} created under ${a.programme!.trim()}: ${implementer.name}, budget ${yuan(budget)}, ${milestoneCount} milestone(s) ${mined(w)}`,
    );
    console.log(`  id ${w.value}`);
    if (name !== undefined) {
      const n = await nameReliefProject(s.deployment, s.signer, w.value, name, s.overrides);
      console.log(`  named ${name} ${mined(n)}`);
    }
  });
}
