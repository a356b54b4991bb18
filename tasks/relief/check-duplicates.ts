import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { printTable } from "../../src/format.js";
import { organisationNamer } from "../../src/registry.js";
import { duplicatePayments } from "../../src/relief/tree.js";
import { jsonText, openReader, runTask, positiveInt, yuan } from "../common.js";

export default async function (a: { year: string; json: boolean }, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const year = a.year === "" ? undefined : positiveInt("--year", a.year, 2999);
    const d = await openReader(hre);
    const found = await duplicatePayments(d, year);
    if (a.json) return console.log(jsonText(found));
    if (found.length === 0) {
      console.log(
        `no beneficiary key was paid under more than one programme${year === undefined ? "" : ` in ${year}`}`,
      );
      return;
    }
    const nameOf = await organisationNamer(d);
    console.log(`${found.length} beneficiary key(s) paid under more than one programme in the same fiscal year:`);
    printTable(
      ["key", "year", "programme", "paid by", "period", "amount"],
      found.flatMap((g) =>
        g.payments.map((p) => [
          g.key,
          String(g.fiscalYear),
          p.programmeId,
          nameOf(p.holder),
          String(p.period),
          yuan(p.amount),
        ]),
      ),
    );
  });
}
