/**
 * Tables in files, both ways. Reading: a CSV (UTF-8) or XLSX file, decided by content, into raw rows
 * with the line numbers the user sees; the header row located by column aliases; the data rows read
 * one by one into valid rows and {@link RowError}s (the donation and beneficiary files). Writing:
 * reports as CSV (csv-stringify, with a BOM so Excel reads UTF-8) or XLSX (exceljs), one table per
 * section or sheet.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

import { parse as parseCsv } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";

import { LedgerError } from "./errors.js";

/** What is wrong with one cell of one row. */
export interface RowError {
  readonly line: number;
  /** The worksheet, named when the workbook has more than one. */
  readonly sheet?: string;
  readonly field: string;
  readonly value: string;
  readonly reason: string;
}

/** One line for a row error: `line 7, amount "1.234": at most 2 decimal places (fen)`. */
export function formatRowError(e: RowError): string {
  const where = e.sheet !== undefined ? `sheet ${JSON.stringify(e.sheet)} line ${e.line}` : `line ${e.line}`;
  return `${where}, ${e.field} ${JSON.stringify(e.value)}: ${e.reason}`;
}

/** How many rows the errors are about (one row may have several errors). */
export function refusedRowCount(errors: readonly RowError[]): number {
  return new Set(errors.map((e) => `${e.sheet ?? ""}\u0000${e.line}`)).size;
}

/** Orders errors by sheet (first seen) and line, keeping each row's errors in the order found. */
export function sortRowErrors(errors: readonly RowError[]): RowError[] {
  const sheets = [...new Set(errors.map((e) => e.sheet ?? ""))];
  return errors
    .map((e, i) => ({ e, i }))
    .sort(
      (a, b) => sheets.indexOf(a.e.sheet ?? "") - sheets.indexOf(b.e.sheet ?? "") || a.e.line - b.e.line || a.i - b.i,
    )
    .map(({ e }) => e);
}
/** A header's text as aliases are written: NFKC, lower case, no spaces, no backtick, no bracketed part. */
export function headerKey(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/^`/, "")
    .replace(/\s+/g, "")
    .replace(/[(\[【][^)\]】]*[)\]】]/g, "");
}

/** Header text → field and its rank among the field's names: case, spaces and a bracketed part do not matter. */
function headerField<F extends string>(
  text: string,
  aliases: Record<F, readonly string[]>,
): { field: F; rank: number } | undefined {
  const key = headerKey(text);
  if (key === "") return undefined;
  for (const [field, names] of Object.entries(aliases) as [F, readonly string[]][]) {
    const rank = names.indexOf(key);
    if (rank >= 0) return { field, rank };
  }
  return undefined;
}

/** One row of a table file, its cells as text. */
export interface RawRow {
  readonly line: number;
  readonly cells: readonly string[];
  /** Columns (0-based) holding a spreadsheet number beyond 15 significant digits, which Excel does not keep. */
  readonly inexact?: ReadonlySet<number>;
  /** Columns (0-based) whose cell is a spreadsheet number (not text). */
  readonly numeric?: ReadonlySet<number>;
  /** Columns (0-based) whose cell is a formula (its last computed value is read). */
  readonly formula?: ReadonlySet<number>;
  /** The row is hidden in the spreadsheet. */
  readonly hidden?: boolean;
  /** Some non-empty cell of the row is struck through. */
  readonly struck?: boolean;
}

/** One worksheet (a CSV file is one sheet without a name). */
export interface RawSheet {
  readonly name?: string;
  readonly rows: RawRow[];
}

export const INEXACT =
  "a number with more than 15 digits: Excel keeps only 15, so the last ones may be lost; " +
  "format the column as text and type it again";

/**
 * Reads a CSV (UTF-8) or XLSX file, decided by content, into raw rows with the line numbers the
 * user sees: a CSV's rows, or a workbook's first sheet. Throws a {@link LedgerError} for a file that
 * is missing, larger than `maxBytes` (named as `<what> files`), not UTF-8, an old .xls or not a
 * readable workbook.
 */
export async function readTableFile(path: string, maxBytes: number, what: string): Promise<RawRow[]> {
  return (await readTableSheets(path, maxBytes, what))[0]!.rows;
}

/** {@link readTableFile}, every worksheet of a workbook (in the workbook's order; a CSV is one sheet). */
export async function readTableSheets(path: string, maxBytes: number, what: string): Promise<RawSheet[]> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new LedgerError(`${path} is not a file`);
    size = s.size;
  } catch (e) {
    if (e instanceof LedgerError) throw e;
    throw new LedgerError(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (size > maxBytes) {
    throw new LedgerError(
      `${path} is ${(size / 1024 / 1024).toFixed(1)} MB: ${what} files over ${maxBytes / 1024 / 1024} MB are refused, split it into several files`,
    );
  }
  const bytes = await readFile(path);
  return isZip(bytes) ? await readXlsx(path, bytes) : [{ rows: readCsv(path, bytes) }];
}

function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

// ------------------------------------------------------------------------------------------ CSV

function readCsv(path: string, bytes: Buffer): RawRow[] {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw new LedgerError(`${path} is an old Excel .xls file: save it as .xlsx or as "CSV UTF-8"`);
  }
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new LedgerError(`${path} is UTF-16 text: save it as "CSV UTF-8 (comma delimited)"`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new LedgerError(
      `${path} is not UTF-8 (first bad bytes on line ${firstNonUtf8Line(bytes)}); it is probably GBK/GB18030 ` +
        `as Excel saves "CSV (comma delimited)" on Chinese Windows: in Excel choose Save As → "CSV UTF-8 (comma delimited)"`,
    );
  }
  if (text.startsWith("\ufeff")) text = text.slice(1);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes(",")
    ? ","
    : firstLine.includes("\t")
      ? "\t"
      : firstLine.includes(";")
        ? ";"
        : ",";
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      info: true,
    }) as unknown as typeof records;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new LedgerError(
      `${path} is not valid CSV${line !== undefined ? ` (line ${line})` : ""}: ${(e as Error).message}`,
    );
  }
  // csv-parse reports the line a record ends on; it starts on the line after the previous one.
  const rows: RawRow[] = [];
  let previousEnd = 0;
  for (const { record, info } of records) {
    rows.push({ line: previousEnd + 1, cells: record });
    previousEnd = info.lines;
  }
  return rows;
}

function firstNonUtf8Line(bytes: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    line++;
    start = end + 1;
  }
  return line;
}

// ----------------------------------------------------------------------------------------- XLSX

async function readXlsx(path: string, bytes: Buffer): Promise<RawSheet[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; Node's is what it reads.
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new LedgerError(`${path} is a zip file but not a readable XLSX workbook: ${(e as Error).message}`);
  }
  if (workbook.worksheets.length === 0) throw new LedgerError(`${path} has no worksheet`);
  const several = workbook.worksheets.length > 1;
  return workbook.worksheets.map((sheet) => {
    const rows: RawRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: string[] = [];
      const inexact = new Set<number>();
      const numeric = new Set<number>();
      const formula = new Set<number>();
      let struck = false;
      for (let c = 1; c <= row.cellCount; c++) {
        const cell = row.getCell(c);
        let value = cell.value;
        if (value !== null && typeof value === "object" && ("formula" in value || "sharedFormula" in value)) {
          formula.add(c - 1);
          value = (value as { result?: ExcelJS.CellValue }).result ?? null;
        }
        const text = cellText(value);
        cells.push(text);
        if (typeof value === "number") numeric.add(c - 1);
        if (typeof value === "number" && Math.abs(value) >= 1e15) inexact.add(c - 1);
        if (text.trim() !== "" && cell.font?.strike === true) struck = true;
      }
      rows.push({ line: rowNumber, cells, inexact, numeric, formula, hidden: row.hidden, struck });
    });
    return { ...(several ? { name: sheet.name } : {}), rows };
  });
}

/** A cell's value as the text a user would have typed. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) {
    // exceljs gives a spreadsheet's wall-clock date and time as UTC.
    return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  }
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("formula" in value || "sharedFormula" in value) {
    return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  }
  if ("hyperlink" in value) return String(value.text);
  if ("error" in value) return value.error;
  return String(value);
}

/**
 * A spreadsheet number as text: at most 15 significant digits, as Excel itself keeps and shows them,
 * so a computed 0.30000000000000004 reads as 0.3; integers too large for that stay exact digits.
 */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) >= 1e15) return BigInt(n).toString();
  const s = n.toPrecision(15);
  if (s.includes("e")) return String(n);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

// ------------------------------------------------------------------------------------ validation

/** Whether every cell of a row is blank. */
export function isEmptyRow(r: RawRow): boolean {
  return r.cells.every((c) => clean(c) === "");
}

/** A cell as read: NFC, trimmed, without the backtick 微信 bills put before every field. */
export function clean(text: string): string {
  return text.normalize("NFC").trim().replace(/^`/, "").trim();
}

/**
 * Where an export's data ends: 微信's summary (`总交易单数`) and 支付宝's end marker
 * (`#---账务明细列表结束---`) start the export's own totals, which are not rows to import.
 */
export function endsData(r: RawRow): boolean {
  const first = clean(r.cells.find((c) => clean(c) !== "") ?? "");
  return /^总交易单数/.test(first) || /^#?-{3,}.*结束/.test(first);
}

/** What locateColumns found: the header row(s), the data's first row and each field's column. */
export interface Located<F extends string> {
  /** Index in `raw` of the (last) header row: the data is below it. */
  readonly headerIndex: number;
  readonly columns: Map<F, number>;
  /** Each field's header text as written. */
  readonly headers: Map<F, string>;
  /** The header's line (the first line of a two-row header). */
  readonly headerLine: number;
}

/** How many fields a row names as headers. */
export function headerScore<F extends string>(r: RawRow | undefined, aliases: Record<F, readonly string[]>): number {
  if (r === undefined) return 0;
  return new Set(r.cells.map((c) => headerField(c, aliases)?.field).filter((f) => f !== undefined)).size;
}

/**
 * Whether `below` is the lower row of a two-row header under `header`: it names a field, and each
 * of its cells names one, repeats the cell above (a merged cell) or, when it names two fields or
 * more, is no number or date (a data row never does that: `收入` in a 收/支 column is data).
 */
function continuesHeader<F extends string>(
  header: RawRow,
  below: RawRow | undefined,
  aliases: Record<F, readonly string[]>,
): boolean {
  const score = headerScore(below, aliases);
  if (below === undefined || score === 0) return false;
  const cells = below.cells.map(clean);
  const named = (c: string, i: number) =>
    c === "" || headerField(c, aliases) !== undefined || c === clean(header.cells[i] ?? "");
  if (cells.every(named)) return true;
  return score >= 2 && cells.every((c, i) => named(c, i) || !/^[0-9¥,.\s/:-]+$/.test(c.normalize("NFKC")));
}

/**
 * Finds the header row (the row naming the most known columns among the first 30 non-empty ones,
 * so titles, account lines and a 微信 bill's 16 preamble lines are skipped), a second header row
 * right below it (a two-row header: `捐赠信息` over `流水号 | 捐赠单位`), and the column of
 * each field named, by the fields' aliases. Where two columns name one field the better-ranked
 * alias is read. Throws one {@link LedgerError} naming every required column missing (with
 * `hints`, e.g. an option that stands in for it), or for an empty file or no row below the header.
 */
export function locateColumns<F extends string>(
  path: string,
  raw: readonly RawRow[],
  aliases: Record<F, readonly string[]>,
  required: readonly F[],
  hints: Partial<Record<F, string>> = {},
): Located<F> {
  const firstRows = raw
    .map((_, i) => i)
    .filter((i) => !isEmptyRow(raw[i]!))
    .slice(0, 30);
  let headerIndex = firstRows[0] ?? -1;
  let best = 0;
  for (const i of firstRows) {
    const score = headerScore(raw[i], aliases);
    if (score > best) [headerIndex, best] = [i, score];
  }
  if (raw[headerIndex] === undefined) throw new LedgerError(`${path} is empty: no header row`);
  // A two-row header: the row below (or above) names fields too.
  const headerRows = [headerIndex];
  if (best > 0 && continuesHeader(raw[headerIndex]!, raw[headerIndex + 1], aliases)) headerRows.push(headerIndex + 1);
  const headerLine = raw[headerRows[0]!]!.line;
  headerIndex = headerRows[headerRows.length - 1]!;

  const chosen = new Map<F, { column: number; rank: number; text: string }>();
  const problems: string[] = [];
  const width = Math.max(...headerRows.map((i) => raw[i]!.cells.length));
  for (let c = 0; c < width; c++) {
    // The lower row of a two-row header names the column; the upper one when the lower is blank.
    let found: { field: F; rank: number; text: string } | undefined;
    for (const i of [...headerRows].reverse()) {
      const text = clean(raw[i]!.cells[c] ?? "");
      const f = headerField(text, aliases);
      if (f !== undefined) {
        found = { ...f, text };
        break;
      }
    }
    if (found === undefined) continue;
    const previous = chosen.get(found.field);
    if (previous === undefined || found.rank < previous.rank) {
      chosen.set(found.field, { column: c, rank: found.rank, text: found.text });
    } else if (found.rank === previous.rank && previous.column !== c) {
      problems.push(
        `columns ${JSON.stringify(previous.text)} and ${JSON.stringify(found.text)} both give the ${found.field}; keep one`,
      );
    }
  }
  const columns = new Map<F, number>([...chosen].map(([f, v]) => [f, v.column]));
  const headers = new Map<F, string>([...chosen].map(([f, v]) => [f, v.text]));
  const found = headerRows
    .flatMap((i) => raw[i]!.cells)
    .map(clean)
    .filter((c) => c !== "")
    .map((c) => JSON.stringify(c));
  for (const field of required) {
    if (columns.has(field)) continue;
    const names = aliases[field].filter((a) => a !== field.toLowerCase()).slice(0, 8);
    problems.push(`missing column "${field}" (${names.join(" / ")})${hints[field] ?? ""}`);
  }
  if (problems.length > 0) {
    throw new LedgerError(
      `${path}: ${problems.join("; ")}; headers found on line ${headerLine}: ${found.length > 0 ? [...new Set(found)].join(", ") : "none"}`,
    );
  }
  if (!raw.slice(headerIndex + 1).some((r) => !isEmptyRow(r))) {
    throw new LedgerError(`${path} has its header row (line ${headerLine}) but no rows below it: nothing to import`);
  }
  return { headerIndex, columns, headers, headerLine };
}

/**
 * The sheets to read: `sheet` by name, or `all` for every sheet that looks like a `what` (its
 * header names at least two of `required`' fields); without it the first such sheet, refusing when
 * several look like one (a second sheet is never skipped silently).
 */
export function chooseSheets<F extends string>(
  path: string,
  sheets: readonly RawSheet[],
  aliases: Record<F, readonly string[]>,
  required: readonly F[],
  sheet: string | undefined,
  what: string,
): RawSheet[] {
  const names = sheets.map((s) => JSON.stringify(s.name ?? "")).join(", ");
  const wanted = sheet?.trim() ?? "";
  if (wanted !== "" && wanted.toLowerCase() !== "all" && sheets.length === 1 && sheets[0]!.name === undefined) {
    throw new LedgerError(`${path}: --sheet ${JSON.stringify(wanted)}: the file is a CSV, it has no sheets`);
  }
  const named = sheets.find((s) => s.name === wanted);
  if (named !== undefined) return [named];
  const looksLikeData = sheets.filter((s) => {
    const nonEmpty = s.rows.filter((r) => !isEmptyRow(r)).slice(0, 30);
    return nonEmpty.some((r) => {
      const fields = new Set(r.cells.map((c) => headerField(clean(c), aliases)?.field));
      return required.filter((f) => fields.has(f)).length >= Math.min(2, required.length);
    });
  });
  if (wanted.toLowerCase() === "all") {
    if (looksLikeData.length === 0) throw new LedgerError(`${path}: no sheet looks like a ${what} (sheets: ${names})`);
    return looksLikeData;
  }
  if (wanted !== "") throw new LedgerError(`${path} has no sheet ${JSON.stringify(wanted)}; its sheets: ${names}`);
  if (looksLikeData.length > 1) {
    const [read, ...others] = looksLikeData.map((s) => JSON.stringify(s.name ?? ""));
    throw new LedgerError(
      `${path}: read sheet ${read}, but ${others.join(", ")} ${others.length === 1 ? "looks" : "look"} like a ${what} too: ` +
        `name the sheet to import with --sheet <name>, or --sheet all to import every one`,
    );
  }
  return [looksLikeData[0] ?? sheets[0]!];
}

/**
 * Reads a table file sheet by sheet ({@link chooseSheets} picks them by `aliases`): `readSheet`
 * turns each into rows and row errors, which come back in sheet order (with each sheet's `columns`
 * line when it gives one). `what` names the file in size errors, `listName` what a sheet holds.
 */
export async function readTable<F extends string, T>(
  path: string,
  opts: {
    readonly maxBytes: number;
    readonly what: string;
    readonly listName: string;
    readonly aliases: Record<F, readonly string[]>;
    readonly required: readonly F[];
    readonly sheet?: string;
  },
  readSheet: (sheet: RawSheet) => Promise<{ rows: T[]; errors: RowError[]; columns?: string }>,
): Promise<{ rows: T[]; errors: RowError[]; columns: string[] }> {
  const sheets = chooseSheets(
    path,
    await readTableSheets(path, opts.maxBytes, opts.what),
    opts.aliases,
    opts.required,
    opts.sheet,
    opts.listName,
  );
  const rows: T[] = [];
  const errors: RowError[] = [];
  const columns: string[] = [];
  for (const sheet of sheets) {
    const read = await readSheet(sheet);
    rows.push(...read.rows);
    errors.push(...read.errors);
    if (read.columns !== undefined) columns.push(read.columns);
  }
  return { rows, errors, columns };
}

/** One data row being read: its cells by field, its problems, the evidence file it names. */
export interface RowReader<F extends string> {
  readonly row: RawRow;
  /** The worksheet, when the workbook has more than one (spread into row errors and rows). */
  readonly sheetName: { sheet?: string };
  /** `line N` (with the sheet), for "duplicate: the same … is on <here>". */
  readonly here: string;
  /** The cleaned text of `field`'s cell; empty when the file has no such column. */
  cell(field: F): string;
  /** A problem of this row: the row is refused. */
  fail(field: F | "row" | "total", value: string, reason: string): void;
  /** Whether a problem was found so far. */
  readonly failed: boolean;
  /** A problem listed now, without refusing the row (the row is kept when nothing else fails). */
  report(error: Omit<RowError, "line">): void;
  /** The file an `evidence` cell names, relative to the table file; a missing file fails the row. */
  evidence(text: string): Promise<string | undefined>;
}

/**
 * Reads the data rows of `sheet` below its header (`headerIndex`), skipping empty rows and, with
 * `stopAtEnd`, stopping at the notes under a table: `read` turns each into a valid row, or says
 * what is wrong through the {@link RowReader}. A row with a problem is refused, its problems listed
 * in the order found; `shown` decides how a value appears in an error (masked, for personal data).
 */
export async function readDataRows<F extends string, T>(
  path: string,
  sheet: RawSheet,
  headerIndex: number,
  columns: ReadonlyMap<F, number>,
  read: (r: RowReader<F>) => Promise<T | undefined>,
  opts: { stopAtEnd?: boolean; shown?: (field: string, value: string) => string } = {},
): Promise<{ rows: T[]; errors: RowError[] }> {
  const sheetName = sheet.name !== undefined ? { sheet: sheet.name } : {};
  const folder = dirname(resolve(path));
  const evidenceExists = new Map<string, Promise<boolean>>();
  const rows: T[] = [];
  const errors: RowError[] = [];
  const shown = opts.shown ?? ((_field: string, value: string) => value);
  for (const row of sheet.rows.slice(headerIndex + 1)) {
    if (opts.stopAtEnd === true && endsData(row)) break;
    if (isEmptyRow(row)) continue;
    const rowErrors: RowError[] = [];
    const fail = (field: string, value: string, reason: string) =>
      rowErrors.push({ line: row.line, ...sheetName, field, value: shown(field, value), reason });
    const reader: RowReader<F> = {
      row,
      sheetName,
      here: `${sheet.name !== undefined ? `sheet ${JSON.stringify(sheet.name)} ` : ""}line ${row.line}`,
      cell: (field) => {
        const i = columns.get(field);
        return i === undefined ? "" : clean(row.cells[i] ?? "");
      },
      fail,
      get failed() {
        return rowErrors.length > 0;
      },
      report: (error) => errors.push({ line: row.line, ...error }),
      evidence: async (text) => {
        const evidencePath = resolve(folder, text);
        let exists = evidenceExists.get(evidencePath);
        if (exists === undefined) {
          exists = stat(evidencePath).then(
            (s) => s.isFile(),
            () => false,
          );
          evidenceExists.set(evidencePath, exists);
        }
        if (!(await exists)) fail("evidence", text, `file not found: ${evidencePath}`);
        return evidencePath;
      },
    };
    const value = await read(reader);
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else if (value !== undefined) rows.push(value);
  }
  return { rows, errors };
}

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
