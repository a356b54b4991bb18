import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, runTask, session, positiveInt } from "../common.js";
import { projectOf } from "./common.js";

export default async function (
  a: { code: string; index?: string; evidenceFile: string; evidenceHash: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const index = positiveInt("--index", a.index, 32);
    const evidence = await requiredDocumentHash(
      "evidence",
      { file: a.evidenceFile, hash: a.evidenceHash },
      "milestone's evidence",
      "evidence",
    );
    const s = await session(hre, a.from, requireRelief);
    const j = await projectOf(s.deployment, a.code, s.signer.address);
    const w = await ledger.submitMilestone(s.deployment, s.signer, j.projectId, index - 1, evidence, s.overrides);
    console.log(`project ${a.code.trim()}: milestone ${index} of ${j.milestoneCount} submitted ${mined(w)}`);
  });
}
