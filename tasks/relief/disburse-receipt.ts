import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { parseBytes32 } from "../../src/hash.js";
import { organisationNamer } from "../../src/registry.js";
import * as ledger from "../../src/relief/ledger.js";
import { appendPaymentNotices } from "../../src/relief/notices.js";
import { newReliefReceiptCode, reliefReceiptHash } from "../../src/relief/receipt-code.js";
import { mined, runTask, session } from "../common.js";

/** Binds a receipt code to a beneficiary payment proposed without one (or whose binding failed) and adds its notice. */
export default async function (
  a: { id: string; beneficiary: string; notices: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const id = parseBytes32("disbursement id", a.id);
    const s = await session(hre, a.from, requireRelief);
    const x = await ledger.getDisbursement(s.deployment, id);
    if (x === undefined) throw new LedgerError(`no disbursement ${id} on this chain`);
    const receiptCode = newReliefReceiptCode();
    const w = await ledger.bindReceipt(s.deployment, s.signer, id, reliefReceiptHash(receiptCode), s.overrides);
    const nameOf = await organisationNamer(s.deployment);
    await appendPaymentNotices(a.notices, [
      {
        receiptCode,
        programme: x.programmeId,
        period: x.period,
        amount: x.amount,
        village: nameOf(x.holder),
        beneficiary: a.beneficiary.trim() !== "" ? a.beneficiary.trim() : x.recipient,
        disbursementId: id,
        txHash: w.txHash,
      },
    ]);
    console.log(`receipt code ${receiptCode} bound to disbursement ${id} ${mined(w)}`);
    console.log(`  payment notice added to ${a.notices} (the code stays there; only its hash is on chain)`);
  });
}
