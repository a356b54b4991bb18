import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import * as ledger from "../../src/trace/ledger.js";
import { parseBatchRef } from "../../src/trace/vocabulary.js";
import { mined, runTask, session } from "../common.js";
import { type ContextArgs, contextOf } from "./common.js";

export default async function (a: ContextArgs & { batch: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const ctx = await contextOf(a);
    const s = await session(hre, a.from, requireTrace);
    const w = await ledger.destroy(s.deployment, s.signer, id, ctx, s.overrides);
    console.log(`destroyed ${a.batch.trim()} ${mined(w)}`);
  });
}
