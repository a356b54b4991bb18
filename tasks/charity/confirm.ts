import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { confirmReceipt } from "../../src/charity/ledger.js";
import { parseBytes32 } from "../../src/hash.js";
import { openSession, runTask, mined } from "../common.js";
import { docHash } from "./common.js";

interface Args {
  id: string;
  receiptFile: string;
  receiptHash: string;
  from: string;
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const id = parseBytes32("id", args.id);
    const receiptHash = await docHash("receipt", args.receiptFile, args.receiptHash);
    const s = await openSession(hre, args.from);
    const w = await confirmReceipt(s.deployment, s.signer, id, receiptHash, s.overrides);
    console.log(`confirmed receipt of ${w.value} ${id} ${mined(w)}`);
  });
}
