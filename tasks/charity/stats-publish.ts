import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { id } from "ethers";

import { publishStatistics } from "../../src/charity/ledger.js";
import { openSession, required, runTask, mined, yuan } from "../common.js";
import { docHash } from "./common.js";

interface Args {
  period: string;
  reportFile: string;
  reportHash: string;
  from: string;
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const period = required("period", args.period).trim();
    const reportHash = await docHash("report", args.reportFile, args.reportHash);
    const s = await openSession(hre, args.from);
    const w = await publishStatistics(s.deployment, s.signer, id(period), reportHash, s.overrides);
    const t = w.value;
    console.log(`published statistics for ${period} ${mined(w)}
  received        ${yuan(t.received)} in ${t.donationCount} donations
  reversed        ${yuan(t.reversed)}
  programme spent ${yuan(t.programmeSpent)}
  admin spent     ${yuan(t.adminSpent)}
  goods valued    ${yuan(t.goodsValuation)}
  projects        ${t.projectCount}`);
  });
}
