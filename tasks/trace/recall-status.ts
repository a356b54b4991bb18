import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { descendantsOf } from "../../src/trace/history.js";
import { formatQuantity, unitCode } from "../../src/trace/vocabulary.js";
import { jsonText, openReader, runTask, positiveInt } from "../common.js";

export default async function (a: { recall: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const recallId = positiveInt("recall", a.recall);
    const d = await openReader(hre);
    const trace = requireTrace(d);
    if (recallId > (await trace.recallCount())) throw new LedgerError(`no recall ${recallId} on this chain`);
    const r = await trace.recallInfo(recallId);
    const reach = await descendantsOf(trace, trace.runner!.provider!, r.batchId);
    const uom = unitCode(r.uom);
    const effectiveness = r.affected === 0n ? 0 : Math.min(1, Number((r.accounted * 10_000n) / r.affected) / 10_000);
    const view = {
      recall: Number(recallId),
      batchId: r.batchId,
      reach: reach.length + 1,
      affected: formatQuantity(r.affected),
      accounted: formatQuantity(r.accounted),
      unit: uom,
      acknowledgements: Number(r.acknowledgements),
      effectiveness,
    };
    if (a.json) return console.log(jsonText(view));
    console.log(`recall ${recallId} of ${r.batchId}: reaches ${view.reach} batch(es)`);
    console.log(
      `  accounted for ${view.accounted} of ${view.affected} ${uom} (${(effectiveness * 100).toFixed(1)}%) in ${view.acknowledgements} acknowledgement(s)`,
    );
  });
}
