import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import * as ledger from "../../src/trace/ledger.js";
import { parseBatchRef } from "../../src/trace/vocabulary.js";
import { mined, runTask, session } from "../common.js";

export default async function (a: { batch: string; from: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const id = parseBatchRef(a.batch);
    const s = await session(hre, a.from, requireTrace);
    const w = await ledger.cancelShipment(s.deployment, s.signer, id, s.overrides);
    console.log(`shipment of ${a.batch.trim()} ended without hand-over ${mined(w)}`);
  });
}
