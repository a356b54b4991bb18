import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import { organisationNamer } from "../../src/registry.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, runTask, session, yuan } from "../common.js";
import { type DocArgs, projectOf } from "./common.js";

export default async function (a: { code: string; from: string } & DocArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const report = await requiredDocumentHash(
      "acceptance report",
      { file: a.documentFile, hash: a.documentHash },
      "acceptance report",
      "document",
    );
    const s = await session(hre, a.from, requireRelief);
    const j = await projectOf(s.deployment, a.code, s.signer.address);
    const w = await ledger.acceptProject(s.deployment, s.signer, j.projectId, report, s.overrides);
    const nameOf = await organisationNamer(s.deployment);
    console.log(
      `project ${a.code.trim()} accepted; ${yuan(j.available)} unspent returned to ${nameOf(j.holder)} ${mined(w)}`,
    );
  });
}
