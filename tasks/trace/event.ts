import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import * as ledger from "../../src/trace/ledger.js";
import { OBSERVATION_STEPS, parseBatchRef, parseBizStep } from "../../src/trace/vocabulary.js";
import { mined, runTask, session } from "../common.js";
import { type ContextArgs, contextOf } from "./common.js";

export default async function (a: ContextArgs & { batch: string; step: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const step = parseBizStep(a.step);
    if (!OBSERVATION_STEPS.includes(step)) {
      throw new LedgerError(
        `${step} changes custody or status: use its own command (trace ship, accept, split, merge, transform, sell, destroy); trace event takes ${OBSERVATION_STEPS.join(", ")}`,
      );
    }
    const ctx = await contextOf(a);
    const s = await session(hre, a.from, requireTrace);
    const w = await ledger.recordEvent(s.deployment, s.signer, id, step, ctx, s.overrides);
    console.log(`recorded ${step} on ${a.batch.trim()} ${mined(w)}`);
  });
}
