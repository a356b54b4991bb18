import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, runTask, session, amountOption, yuan } from "../common.js";
import { type DocArgs, programmeOf } from "./common.js";

export default async function (
  a: { code: string; amount?: string; from: string } & DocArgs,
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const amount = amountOption("--amount", a.amount);
    const doc = await requiredDocumentHash(
      "appropriation document",
      { file: a.documentFile, hash: a.documentHash },
      "appropriation document",
      "document",
    );
    const s = await session(hre, a.from, requireRelief);
    const p = await programmeOf(s.deployment, a.code, s.signer.address);
    const w = await ledger.appropriate(s.deployment, s.signer, p.programmeId, amount, doc, s.overrides);
    console.log(`programme ${a.code.trim()} raised by ${yuan(amount)} to ${yuan(p.appropriated + amount)} ${mined(w)}`);
  });
}
