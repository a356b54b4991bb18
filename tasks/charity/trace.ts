import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { isHexString } from "ethers";

import { parseReceiptCode } from "../../src/charity/receipts.js";
import { describeTrace, donationIdByPrefix, traceDonation } from "../../src/charity/trace.js";
import { requireCharity } from "../../src/deployment.js";
import { organisationNamer } from "../../src/registry.js";
import { jsonText, openReader, runTask, yuan } from "../common.js";

export default async function (args: { donation: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const ledger = requireCharity(d);
    const provider = ledger.runner!.provider!;
    const query = args.donation.trim();
    const donationId = isHexString(query, 32)
      ? query
      : await donationIdByPrefix(ledger, provider, parseReceiptCode(query).donationIdPrefix);
    const trace = await traceDonation(ledger, provider, donationId);
    if (args.json) {
      console.log(jsonText(trace));
      return;
    }
    const nameOf = await organisationNamer(d);
    console.log(`donation ${donationId} (project ${trace.projectId}, recorded by ${nameOf(trace.recordedBy)})`);
    console.log(describeTrace(trace, nameOf, yuan));
  });
}
