import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, runTask, session, positiveInt } from "../common.js";
import { type DocArgs } from "./common.js";

export default async function (a: { finding: string; from: string } & DocArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const id = positiveInt("finding", a.finding);
    const doc = await requiredDocumentHash(
      "response",
      { file: a.documentFile, hash: a.documentHash },
      "response",
      "document",
    );
    const s = await session(hre, a.from, requireRelief);
    const w = await ledger.answerFinding(s.deployment, s.signer, id, doc, s.overrides);
    console.log(`finding ${id} answered ${mined(w)}`);
  });
}
