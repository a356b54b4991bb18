import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { buildReport, reportTables } from "../../src/charity/report.js";
import { resolveProject } from "../../src/charity/ledger.js";
import { writeReportFile } from "../../src/table-file.js";
import { InvalidInputError } from "../../src/errors.js";
import { requireCharity } from "../../src/deployment.js";
import { printTable } from "../../src/format.js";
import { listOrganisations } from "../../src/registry.js";
import { jsonText, openReader, runTask, organisationOption } from "../common.js";

interface Args {
  project: string;
  charity: string;
  format: string;
  out: string;
  json: boolean;
}

export default async function (args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const format = args.format.trim().toLowerCase();
    if (format !== "table" && format !== "csv" && format !== "xlsx") {
      throw new InvalidInputError("--format", args.format, "must be table, csv or xlsx");
    }
    const d = await openReader(hre);
    const ledger = requireCharity(d);
    const scope = {
      ...(args.project !== "" ? { projectId: await resolveProject(d, args.project) } : {}),
      ...(args.charity !== "" ? { charity: (await organisationOption(d, "--charity", args.charity)).account } : {}),
    };
    const report = await buildReport(ledger, ledger.runner!.provider!, scope);
    const names = new Map((await listOrganisations(d)).map((o) => [o.account, o.name]));
    if (args.json) {
      // Machine-readable: amounts in fen as decimal strings (as the explorer's API), organisations with names.
      const codes = new Map(report.events.proposed.map((e) => [e.args.projectId, e.args.code]));
      return console.log(
        jsonText({
          unit: "fen",
          projects: report.projects.map((p) => ({
            ...p,
            code: codes.get(p.projectId) ?? "",
            charityName: names.get(p.charity) ?? "",
          })),
          years: report.years.map((y) => ({ ...y, charityName: names.get(y.charity) ?? "" })),
        }),
      );
    }
    const tables = reportTables(report, (a) => names.get(a) ?? a);
    if (format === "table") {
      for (const t of tables) {
        console.log(`\n${t.name}`);
        printTable(t.header, t.rows);
      }
      return;
    }
    const out = args.out !== "" ? args.out : `charity-report.${format}`;
    await writeReportFile(tables, format, out);
    console.log(`wrote ${out}: ${report.projects.length} projects, ${report.years.length} charity-years`);
  });
}
