import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { parseBytes32, requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, runTask, session, yuan } from "../common.js";

export default async function (
  a: { id: string; reasonFile: string; reasonHash: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const id = parseBytes32("disbursement id", a.id);
    const reason = await requiredDocumentHash("reason", { file: a.reasonFile, hash: a.reasonHash }, "reason", "reason");
    const s = await session(hre, a.from, requireRelief);
    const x = await ledger.getDisbursement(s.deployment, id);
    if (x === undefined) throw new LedgerError(`no disbursement ${id} on this chain`);
    const w = await ledger.rejectDisbursement(s.deployment, s.signer, id, reason, s.overrides);
    console.log(`rejected; ${yuan(x.amount)} is available to the proposer again ${mined(w)}`);
  });
}
