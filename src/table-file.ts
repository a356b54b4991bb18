/**
 * Tables in files: reports written as CSV (csv-stringify, with a BOM so Excel reads UTF-8) or XLSX
 * (exceljs), one table per section or sheet.
 */
import { writeFile } from "node:fs/promises";

import ExcelJS from "exceljs";
import { stringify } from "csv-stringify/sync";

/** A named table of text cells (money already in yuan). */
export type Table = { name: string; header: string[]; rows: string[][] };

/** Writes `tables` to `path` as CSV (one `# name` section each) or XLSX (one sheet each). */
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
