import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { LedgerError } from "../../src/errors.js";
import { parseBytes32 } from "../../src/hash.js";
import { organisationNamer } from "../../src/registry.js";
import * as ledger from "../../src/relief/ledger.js";
import { jsonText, openReader, runTask, yuan } from "../common.js";

export default async function (a: { id: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const id = parseBytes32("disbursement id", a.id);
    const d = await openReader(hre);
    const x = await ledger.getDisbursement(d, id);
    if (x === undefined) throw new LedgerError(`no disbursement ${id} on this chain`);
    const receiptHash = await ledger.receiptHashOf(d, id);
    if (a.json) return console.log(jsonText({ ...x, receiptHash: receiptHash ?? null }));
    const nameOf = await organisationNamer(d);
    console.log(`disbursement ${id}: ${x.status}`);
    console.log(`  programme   ${x.programmeId}`);
    console.log(`  proposer    ${nameOf(x.holder)}`);
    console.log(
      `  to          ${x.kind} ${x.recipient}, ${x.kind === "project" ? "milestone" : "period"} ${x.kind === "project" ? x.period + 1 : x.period}`,
    );
    console.log(`  amount      ${yuan(x.amount)}`);
    console.log(`  payment ref ${x.paymentRefHash} (salted commitment; approve names it with the amount)`);
    if (x.decidedBy !== undefined) console.log(`  decided by  ${nameOf(x.decidedBy)}`);
    console.log(
      receiptHash === undefined
        ? "  receipt     none (relief disburse receipt gives the household a code)"
        : `  receipt     code hash ${receiptHash} (the code is on the village's payment notice)`,
    );
  });
}
