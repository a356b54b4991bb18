import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireCouncil } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { cancelOperation } from "../../src/governance/council.js";
import { findOperation } from "../../src/governance/operations.js";
import { jsonText, openSession, runTask } from "../common.js";

export default async function (args: { id: string; json: boolean; from: string }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { deployment: d, signer, overrides } = await openSession(hre, args.from);
    const op = await findOperation(d, args.id);
    if (op.status === "executed")
      throw new LedgerError(`operation ${op.id} was executed already, in block ${op.executedBlock}`);
    if (op.status === "cancelled")
      throw new LedgerError(`operation ${op.id} was cancelled already, in block ${op.cancelledBlock}`);
    const done = await cancelOperation(requireCouncil(d), signer, op.id, overrides);
    if (args.json) {
      console.log(jsonText({ id: op.id, en: op.description.en, zh: op.description.zh, ...done }));
      return;
    }
    console.log(`cancelled ${op.id}, tx ${done.txHash}: ${op.description.zh} / ${op.description.en}`);
  });
}
