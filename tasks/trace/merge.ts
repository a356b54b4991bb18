import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import * as ledger from "../../src/trace/ledger.js";
import { encodeCode } from "../../src/trace/vocabulary.js";
import { mined, runTask, session } from "../common.js";
import { type ContextArgs, contextOf, batchList } from "./common.js";

export default async function (a: ContextArgs & { lot: string; inputs?: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const inputs = batchList(a.inputs, "--inputs");
    const lotCode = encodeCode("lot", a.lot);
    const ctx = await contextOf(a);
    const s = await session(hre, a.from, requireTrace);
    const w = await ledger.merge(s.deployment, s.signer, inputs, lotCode, ctx, s.overrides);
    console.log(`merged ${inputs.length} batches into lot ${a.lot.trim()}: batch ${w.value} ${mined(w)}`);
  });
}
