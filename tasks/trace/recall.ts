import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import { descendantsOf } from "../../src/trace/history.js";
import * as ledger from "../../src/trace/ledger.js";
import { parseBatchRef } from "../../src/trace/vocabulary.js";
import { mined, runTask, session } from "../common.js";

export default async function (
  a: { batch: string; reasonFile: string; reasonHash: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const reasonHash = await requiredDocumentHash(
      "reason hash",
      { file: a.reasonFile, hash: a.reasonHash },
      "recall notice",
      "reason",
    );
    const s = await session(hre, a.from, requireTrace);
    const w = await ledger.recall(s.deployment, s.signer, id, reasonHash, s.overrides);
    const trace = requireTrace(s.deployment);
    const reach = await descendantsOf(trace, trace.runner!.provider!, id);
    console.log(`recall ${w.value}: ${a.batch.trim()} and ${reach.length} batch(es) made from it ${mined(w)}`);
  });
}
