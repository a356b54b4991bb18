import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireTrace } from "../../src/deployment.js";
import { documentHash } from "../../src/hash.js";
import * as ledger from "../../src/trace/ledger.js";
import { formatQuantity, parseBatchRef, parseQuantity, parseRecallAction } from "../../src/trace/vocabulary.js";
import { mined, runTask, session, positiveInt } from "../common.js";

export default async function (
  a: {
    recall: string;
    batch: string;
    action: string;
    quantity: string;
    evidenceFile: string;
    evidenceHash: string;
    from: string;
  },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const recallId = BigInt(positiveInt("recall", a.recall));
    const id = parseBatchRef(a.batch);
    const action = parseRecallAction(a.action);
    const evidenceHash = await documentHash("evidence hash", { file: a.evidenceFile, hash: a.evidenceHash });
    const s = await session(hre, a.from, requireTrace);
    const b = await ledger.requireBatch(s.deployment, id);
    let quantity = b.quantity;
    if (a.quantity.trim() !== "") quantity = parseQuantity(a.quantity, "--quantity");
    else if (recallId <= (await requireTrace(s.deployment).recallCount())) {
      // In the recall's unit, at most the recalled quantity (a batch in another unit may count more).
      const affected = (await requireTrace(s.deployment).recallInfo(recallId)).affected;
      if (quantity > affected) quantity = affected;
    }
    const w = await ledger.acknowledgeRecall(
      s.deployment,
      s.signer,
      { recallId, batchId: id, action, quantity, evidenceHash },
      s.overrides,
    );
    console.log(
      `recall ${recallId}: ${a.action.trim()} ${formatQuantity(quantity)} ${b.uom} of ${a.batch.trim()} ${mined(w)}`,
    );
  });
}
