import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import { organisationNamer } from "../../src/registry.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, runTask, session, amountOption, yuan } from "../common.js";
import { type DocArgs, programmeOf } from "./common.js";

export default async function (
  a: { programme: string; amount?: string; from: string } & DocArgs,
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const amount = amountOption("--amount", a.amount);
    const doc = await requiredDocumentHash(
      "return document (why the money is unused)",
      { file: a.documentFile, hash: a.documentHash },
      "return document (why the money is unused)",
      "document",
    );
    const s = await session(hre, a.from, requireRelief);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    const h = await ledger.getHolding(s.deployment, p.programmeId, s.signer.address);
    const w = await ledger.returnFunds(s.deployment, s.signer, p.programmeId, amount, doc, s.overrides);
    const nameOf = await organisationNamer(s.deployment);
    console.log(`${yuan(amount)} of ${a.programme.trim()} returned to ${nameOf(h.parent ?? "")} ${mined(w)}`);
  });
}
