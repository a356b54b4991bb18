import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/trace/ledger.js";
import { parseBatchRef } from "../../src/trace/vocabulary.js";
import { mined, runTask, session } from "../common.js";

export default async function (
  a: { batch: string; decisionFile: string; decisionHash: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const decisionHash = await requiredDocumentHash(
      "decision hash",
      { file: a.decisionFile, hash: a.decisionHash },
      "re-inspection decision",
      "decision",
    );
    const s = await session(hre, a.from, requireTrace);
    const w = await ledger.allowReinspection(s.deployment, s.signer, id, decisionHash, s.overrides);
    console.log(`re-inspection allowed: ${a.batch.trim()} is open to a new inspection ${mined(w)}`);
  });
}
