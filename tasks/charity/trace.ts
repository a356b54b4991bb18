import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { isHexString } from "ethers";

import { parseReceiptCode } from "../../src/charity/receipts.js";
import { describeTrace, donationIdByPrefix, traceDonation } from "../../src/charity/trace.js";
import { requireCharity } from "../../src/deployment.js";
import { listOrganisations } from "../../src/registry.js";
import { openReader, runTask } from "../common.js";
import { yuan } from "./common.js";

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
      console.log(JSON.stringify(trace, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2));
      return;
    }
    const names = new Map((await listOrganisations(d)).map((o) => [o.account.toLowerCase(), o.name]));
    const nameOf = (key: string) => names.get(key.toLowerCase()) ?? key;
    console.log(`donation ${donationId} (project ${trace.projectId}, recorded by ${nameOf(trace.recordedBy)})`);
    console.log(describeTrace(trace, nameOf, yuan));
  });
}
