import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { publishedReports } from "../../src/charity/statistics.js";
import { printTable } from "../../src/format.js";
import { organisationNamer } from "../../src/registry.js";
import { jsonText, openReader, runTask, yuan } from "../common.js";

/** `charity stats show [period]`: the published statistics reports, read back from the chain. */
export default async function (a: { period: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const d = await openReader(hre);
    const period = a.period.trim() === "" ? undefined : a.period;
    const reports = await publishedReports(d, period);
    if (a.json) return console.log(jsonText(reports));
    if (reports.length === 0) {
      return console.log(
        period === undefined ? "no statistics published yet" : `no statistics published for ${period.trim()}`,
      );
    }
    const nameOf = await organisationNamer(d);
    for (const r of reports) {
      const t = r.totals;
      console.log(
        `\n${r.period ?? r.periodId} published by ${nameOf(r.publishedBy)} in block ${r.blockNumber}, tx ${r.txHash}`,
      );
      printTable(
        ["figure", "value"],
        [
          ["report document (keccak-256)", r.reportHash],
          ["received", `${yuan(t.received)} in ${t.donationCount} donations`],
          ["reversed", yuan(t.reversed)],
          ["programme spent", yuan(t.programmeSpent)],
          ["administrative spent", yuan(t.adminSpent)],
          ["goods valued", yuan(t.goodsValuation)],
          ["projects", String(t.projectCount)],
        ],
      );
    }
  });
}
