/** Writes a charity report as CSV (csv-stringify) or XLSX (exceljs); money in yuan, ratios in %. */
import { writeFile } from "node:fs/promises";

import ExcelJS from "exceljs";
import { stringify } from "csv-stringify/sync";

import { formatYuan } from "../money.js";
import { formatPercent, type CharityReport } from "./report.js";

export type Table = { name: string; header: string[]; rows: string[][] };

/** The report as two tables: projects, and charities by year. */
export function reportTables(r: CharityReport, nameOf: (address: string) => string): Table[] {
  const y = (fen: bigint) => formatYuan(fen);
  return [
    {
      name: "projects 项目",
      header: [
        "project",
        "charity",
        "donations",
        "received",
        "granted in",
        "programme",
        "administrative",
        "granted out",
        "reversed",
        "balance",
      ],
      rows: r.projects.map((p) => [
        p.projectId,
        nameOf(p.charity),
        String(p.donations),
        y(p.received),
        y(p.grantedIn),
        y(p.programme),
        y(p.administrative),
        y(p.grantedOut),
        y(p.reversed),
        y(p.balance),
      ]),
    },
    {
      name: "charity law 慈善法比例",
      header: [
        "charity",
        "year",
        "income",
        "programme",
        "administrative",
        "programme / last year's income",
        "admin / spending",
        "breaches",
      ],
      rows: r.years.map((c) => [
        nameOf(c.charity),
        String(c.year),
        y(c.income),
        y(c.programme),
        y(c.administrative),
        formatPercent(c.programmeRatio),
        formatPercent(c.adminRatio),
        c.breaches.join("; ") || "none",
      ]),
    },
  ];
}

export async function writeReportFile(tables: Table[], format: "csv" | "xlsx", path: string): Promise<void> {
  if (format === "csv") {
    const text = tables.map((t) => `# ${t.name}\n` + stringify([t.header, ...t.rows])).join("\n");
    await writeFile(path, "\ufeff" + text); // BOM: Excel opens UTF-8 CSV correctly
    return;
  }
  const book = new ExcelJS.Workbook();
  for (const t of tables) {
    const sheet = book.addWorksheet(t.name.replace(/[\\/?*[\]:]/g, " ").slice(0, 31));
    sheet.addRow(t.header).font = { bold: true };
    for (const row of t.rows) sheet.addRow(row);
    sheet.columns.forEach((c) => (c.width = 18));
  }
  await book.xlsx.writeFile(path);
}
