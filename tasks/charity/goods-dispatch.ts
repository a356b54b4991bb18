import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { dispatchGoods } from "../../src/charity/ledger.js";
import { parseBytes32 } from "../../src/hash.js";
import { openSession, runTask, mined, organisationOption } from "../common.js";
import { docHash, quantityOption } from "./common.js";

interface Args {
  lot: string;
  to?: string;
  quantity?: string;
  evidenceFile: string;
  evidenceHash: string;
  from: string;
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const lotId = parseBytes32("lot id", args.lot);
    const quantity = quantityOption("--quantity", args.quantity);
    const evidenceHash = await docHash("evidence", args.evidenceFile, args.evidenceHash);
    const s = await openSession(hre, args.from);
    const to = await organisationOption(s.deployment, "--to", args.to);
    const w = await dispatchGoods(
      s.deployment,
      s.signer,
      { lotId, recipient: to.account, quantity, evidenceHash },
      s.overrides,
    );
    console.log(
      `dispatched ${quantity} from lot ${lotId} to ${to.name}: dispatch ${w.value}, pending the recipient's confirmation, ${mined(w)}`,
    );
  });
}
