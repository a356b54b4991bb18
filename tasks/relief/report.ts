import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InvalidInputError, LedgerError } from "../../src/errors.js";
import { printTable } from "../../src/format.js";
import { organisationNamer } from "../../src/registry.js";
import { writeReportFile } from "../../src/table-file.js";
import {
  holderReportJson,
  holderReportTables,
  programmeReportJson,
  programmeReportTables,
} from "../../src/relief/report.js";
import { jsonText, openReader, organisationOption, runTask } from "../common.js";
import { programmeOf } from "./common.js";

export default async function (
  a: { programme: string; holder: string; format: string; out: string; json: boolean },
  hre: HardhatRuntimeEnvironment,
) {
  return runTask(async () => {
    if ((a.programme === "") === (a.holder === "")) throw new LedgerError("give --programme or --holder");
    const format = a.format.trim().toLowerCase();
    if (format !== "table" && format !== "csv" && format !== "xlsx") {
      throw new InvalidInputError("--format", a.format, "must be table, csv or xlsx");
    }
    if (format !== "table" && a.out === "") throw new LedgerError(`--format ${format} needs --out <file>`);
    const d = await openReader(hre);
    const nameOf = await organisationNamer(d);
    if (a.json) {
      return console.log(
        jsonText(
          a.programme !== ""
            ? await programmeReportJson(d, (await programmeOf(d, a.programme)).programmeId, nameOf)
            : await holderReportJson(d, (await organisationOption(d, "--holder", a.holder)).account, nameOf),
        ),
      );
    }
    const tables =
      a.programme !== ""
        ? await programmeReportTables(d, (await programmeOf(d, a.programme)).programmeId, nameOf)
        : await holderReportTables(d, (await organisationOption(d, "--holder", a.holder)).account, nameOf);
    if (format === "table") {
      for (const t of tables) {
        console.log(`# ${t.name}`);
        printTable(t.header, t.rows);
      }
      return;
    }
    await writeReportFile(tables, format, a.out);
    console.log(`report written to ${a.out} (${tables.map((t) => `${t.rows.length} ${t.name}`).join(", ")})`);
  });
}
