import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireCouncil } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { executeOperation, waitUntilReady } from "../../src/governance/council.js";
import { findOperation } from "../../src/governance/operations.js";
import { jsonText, mined, openSession, runTask } from "../common.js";

export default async function (
  args: { id: string; wait: boolean; json: boolean; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const { deployment: d, signer, overrides } = await openSession(hre, args.from);
    const op = await findOperation(d, args.id);
    if (op.status === "executed") throw new LedgerError(`operation ${op.id} was executed in block ${op.executedBlock}`);
    if (op.status === "cancelled")
      throw new LedgerError(`operation ${op.id} was cancelled in block ${op.cancelledBlock}`);
    const council = requireCouncil(d);
    if (op.status === "waiting") {
      if (!args.wait)
        throw new LedgerError(
          `operation ${op.id} is not ready before ${new Date(Number(op.readyAt) * 1000).toISOString()} (chain time): run again then, or add --wait`,
        );
      await waitUntilReady(council, op);
    }
    const done = await executeOperation(council, signer, op, overrides);
    if (args.json) {
      console.log(jsonText({ id: op.id, en: op.description.en, zh: op.description.zh, ...done }));
      return;
    }
    console.log(`executed ${op.id} ${mined(done)}: ${op.description.zh} / ${op.description.en}`);
  });
}
