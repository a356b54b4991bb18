import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { parseBytes32 } from "../../src/hash.js";
import { organisationNamer } from "../../src/registry.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, required, runTask, session, amountOption, yuan } from "../common.js";

export default async function (
  a: { id: string; amount?: string; paymentRefHash?: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const id = parseBytes32("disbursement id", a.id);
    // The terms the approver reviewed: the ledger refuses the approval if the proposal now says otherwise.
    const amount = amountOption("--amount", a.amount);
    const paymentRefHash = parseBytes32("--payment-ref-hash", required("--payment-ref-hash", a.paymentRefHash));
    const s = await session(hre, a.from, requireRelief);
    const x = await ledger.getDisbursement(s.deployment, id);
    if (x === undefined) throw new LedgerError(`no disbursement ${id} on this chain`);
    const w = await ledger.approveDisbursement(s.deployment, s.signer, id, { amount, paymentRefHash }, s.overrides);
    const nameOf = await organisationNamer(s.deployment);
    console.log(`approved ${yuan(x.amount)} proposed by ${nameOf(x.holder)} ${mined(w)}`);
  });
}
