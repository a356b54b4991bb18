import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import * as ledger from "../../src/relief/ledger.js";
import { appendPaymentNotices } from "../../src/relief/notices.js";
import { newReliefReceiptCode, reliefReceiptHash } from "../../src/relief/receipt-code.js";
import { organisationNamer } from "../../src/registry.js";
import { mined, required, runTask, session, positiveInt, amountOption, yuan } from "../common.js";
import { keyOf, programmeOf, projectOf } from "./common.js";

export default async function (
  a: {
    programme: string;
    period: string;
    idNumber: string;
    key: string;
    project: string;
    milestone: string;
    amount?: string;
    paymentRef?: string;
    paymentSalt?: string;
    notices: string;
    from: string;
  },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const amount = amountOption("--amount", a.amount);
    const paymentRef = required("--payment-ref", a.paymentRef).trim();
    const salt = a.paymentSalt === undefined || a.paymentSalt.trim() === "" ? ledger.newPaymentSalt() : a.paymentSalt;
    const paymentRefHash = ledger.paymentCommitment(salt.trim().toLowerCase(), paymentRef);
    const keepSalt = () => {
      console.log(`  payment reference committed as ${paymentRefHash}`);
      console.log(`  salt ${salt.trim().toLowerCase()}: keep it with the payment record (it proves the reference)`);
    };
    if (a.project !== "") {
      if (a.idNumber !== "" || a.key !== "") throw new LedgerError("give a beneficiary or --project, not both");
      const milestone = positiveInt("--milestone", a.milestone, 32);
      const s = await session(hre, a.from, requireRelief);
      const j = await projectOf(s.deployment, a.project, s.signer.address);
      const w = await ledger.proposeProjectPayment(
        s.deployment,
        s.signer,
        { projectId: j.projectId, milestone: milestone - 1, amount, paymentRefHash },
        s.overrides,
      );
      console.log(`proposed ${yuan(amount)} for milestone ${milestone} of project ${a.project.trim()} ${mined(w)}`);
      console.log(`  disbursement ${w.value}: it counts once another organisation approves it`);
      keepSalt();
      return;
    }
    const period = positiveInt("--period", a.period, 65_535);
    const { key, shown } = await keyOf(hre, a);
    const s = await session(hre, a.from, requireRelief);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    const w = await ledger.proposeDisbursement(
      s.deployment,
      s.signer,
      { programmeId: p.programmeId, period, key, amount, paymentRefHash },
      s.overrides,
    );
    console.log(`proposed ${yuan(amount)} to ${shown} for period ${period} of ${a.programme.trim()} ${mined(w)}`);
    console.log(`  disbursement ${w.value}: it counts once another organisation approves it`);
    keepSalt();
    // The household's receipt code: its hash on chain, the code only on the village's notice.
    const receiptCode = newReliefReceiptCode();
    const b = await ledger.bindReceipt(s.deployment, s.signer, w.value, reliefReceiptHash(receiptCode), s.overrides);
    const nameOf = await organisationNamer(s.deployment);
    await appendPaymentNotices(a.notices, [
      {
        receiptCode,
        programme: a.programme.trim(),
        period,
        amount,
        village: nameOf(s.signer.address),
        beneficiary: shown,
        disbursementId: w.value,
        txHash: w.txHash,
      },
    ]);
    console.log(`  receipt code ${receiptCode} bound ${mined(b)}; payment notice added to ${a.notices}`);
  });
}
