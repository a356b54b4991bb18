import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireRelief } from "../../src/deployment.js";
import { parseBytes32, requiredDocumentHash } from "../../src/hash.js";
import * as ledger from "../../src/relief/ledger.js";
import { mined, runTask, session } from "../common.js";

export default async function (
  a: { id: string; receiptFile: string; receiptHash: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    const id = parseBytes32("disbursement id", a.id);
    const receipt = await requiredDocumentHash(
      "usage receipt",
      { file: a.receiptFile, hash: a.receiptHash },
      "usage receipt",
      "receipt",
    );
    const s = await session(hre, a.from, requireRelief);
    const w = await ledger.recordUsage(s.deployment, s.signer, id, receipt, s.overrides);
    console.log(`usage receipt ${receipt} recorded for disbursement ${id} ${mined(w)}`);
  });
}
