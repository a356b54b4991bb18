/**
 * Reads a charity's donation list: a CSV (UTF-8) or XLSX file, one donation per row, headers in
 * English or Chinese. File-level problems (unreadable, wrong encoding, missing column) throw a
 * {@link LedgerError}; row-level problems are collected as {@link RowError}s with the line number
 * the user sees in the file, so one pass tells them everything to fix.
 */
import { stat, readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";

import { InvalidInputError } from "../credit-code.js";
import { LedgerError } from "../errors.js";
import { parseYuan } from "../money.js";
import { channelOf } from "./ids.js";

/** Files larger than this are refused (split them). */
export const MAX_DONATION_FILE_BYTES = 50 * 1024 * 1024;

/** One valid donation row. */
export interface DonationRow {
  /** Line in the file as the user sees it (1-based, the header included). */
  readonly line: number;
  /** External reference: bank transaction id, receipt number. */
  readonly ref: string;
  /** The project's code as written in the file. */
  readonly project: string;
  readonly amountFen: bigint;
  /** YYYY-MM-DD. */
  readonly date?: string;
  /** The donor's name: stays on this machine (only a salted commitment goes on chain). */
  readonly donor?: string;
  /** `ICharityLedger.Channel` value. */
  readonly channel: number;
  /** Absolute path of the evidence file. */
  readonly evidencePath?: string;
}

/** What is wrong with one cell of one row. */
export interface RowError {
  readonly line: number;
  readonly field: string;
  readonly value: string;
  readonly reason: string;
}

/** One line for a row error: `line 7, amount "1.234": at most 2 decimal places (fen)`. */
export function formatRowError(e: RowError): string {
  return `line ${e.line}, ${e.field} ${JSON.stringify(e.value)}: ${e.reason}`;
}

type Field = "ref" | "project" | "amount" | "date" | "donor" | "channel" | "evidence";

const HEADER_ALIASES: Record<Field, readonly string[]> = {
  ref: ["ref", "reference", "流水号", "收据号"],
  project: ["project", "项目", "项目编号"],
  amount: ["amount", "金额"],
  date: ["date", "日期"],
  donor: ["donor", "捐赠人"],
  channel: ["channel", "渠道"],
  evidence: ["evidence", "凭证"],
};
const REQUIRED: readonly Field[] = ["ref", "project", "amount"];

/** Header text → field: case, spaces and a unit in brackets (`金额（元）`, `Amount (yuan)`) do not matter. */
function headerField<F extends string>(text: string, aliases: Record<F, readonly string[]>): F | undefined {
  const key = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\s+/g, "")
    .replace(/\(.*\)$/, "");
  for (const [field, names] of Object.entries(aliases) as [F, readonly string[]][]) {
    if (names.includes(key)) return field;
  }
  return undefined;
}

/** `2026-07-01`, `2026/7/1`, `2026.7.1`, `2026年7月1日`, optionally followed by a time, as YYYY-MM-DD. */
export function parseDate(text: string): string | undefined {
  const m = /^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?(?:(?:[T\s]).*)?$/.exec(
    text.normalize("NFKC").trim(),
  );
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return undefined;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** One row of a table file, its cells as text. */
export interface RawRow {
  readonly line: number;
  readonly cells: readonly string[];
  /** Columns (0-based) holding a spreadsheet number beyond 15 significant digits, which Excel does not keep. */
  readonly inexact?: ReadonlySet<number>;
}

export const INEXACT =
  "a number with more than 15 digits: Excel keeps only 15, so the last ones may be lost; " +
  "format the column as text and type it again";

/**
 * Reads a donation file (CSV or XLSX, decided by content) into valid rows and row errors.
 * Throws a {@link LedgerError} when the file as a whole cannot be used.
 */
export async function readDonationFile(path: string): Promise<{ rows: DonationRow[]; errors: RowError[] }> {
  return await validateRows(path, await readTableFile(path, MAX_DONATION_FILE_BYTES, "donation"));
}

/**
 * Reads a CSV (UTF-8) or XLSX file, decided by content, into raw rows with the line numbers the
 * user sees. Throws a {@link LedgerError} for a file that is missing, larger than `maxBytes`
 * (named as `<what> files`), not UTF-8, an old .xls or not a readable workbook.
 */
export async function readTableFile(path: string, maxBytes: number, what: string): Promise<RawRow[]> {
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
  return isZip(bytes) ? await readXlsx(path, bytes) : readCsv(path, bytes);
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

async function readXlsx(path: string, bytes: Buffer): Promise<RawRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; Node's is what it reads.
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new LedgerError(`${path} is a zip file but not a readable XLSX workbook: ${(e as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new LedgerError(`${path} has no worksheet`);
  const rows: RawRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const inexact = new Set<number>();
    for (let c = 1; c <= row.cellCount; c++) {
      const value = row.getCell(c).value;
      cells.push(cellText(value));
      if (typeof value === "number" && Math.abs(value) >= 1e15) inexact.add(c - 1);
    }
    rows.push({ line: rowNumber, cells, inexact });
  });
  return rows;
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
  return r.cells.every((c) => c.trim() === "");
}

/**
 * Finds the header row (the first row naming a known column; a title row or two above it is
 * skipped) and the column of each field named in it, by the fields' aliases (lower case, no spaces).
 * Throws a {@link LedgerError} for an empty file, a field given by two columns, a required one missing or
 * no row below the header.
 */
export function locateColumns<F extends string>(
  path: string,
  raw: readonly RawRow[],
  aliases: Record<F, readonly string[]>,
  required: readonly F[],
): { headerIndex: number; columns: Map<F, number> } {
  const firstRows = raw
    .map((_, i) => i)
    .filter((i) => !isEmptyRow(raw[i]!))
    .slice(0, 10);
  const headerIndex =
    firstRows.find((i) => raw[i]!.cells.some((c) => headerField(c, aliases) !== undefined)) ?? firstRows[0] ?? -1;
  const header = raw[headerIndex];
  if (header === undefined) throw new LedgerError(`${path} is empty: no header row`);

  const columns = new Map<F, number>();
  header.cells.forEach((text, i) => {
    const field = headerField(text, aliases);
    if (field === undefined) return;
    const previous = columns.get(field);
    if (previous !== undefined) {
      throw new LedgerError(
        `${path}: columns ${JSON.stringify(header.cells[previous])} and ${JSON.stringify(text)} both give the ${field}; keep one`,
      );
    }
    columns.set(field, i);
  });
  const found = header.cells.filter((c) => c.trim() !== "").map((c) => JSON.stringify(c.trim()));
  for (const field of required) {
    if (!columns.has(field)) {
      throw new LedgerError(
        `${path}: missing column "${field}" (${aliases[field].filter((a) => a !== field.toLowerCase()).join(" / ")}); ` +
          `headers found on line ${header.line}: ${found.length > 0 ? found.join(", ") : "none"}`,
      );
    }
  }
  if (!raw.slice(headerIndex + 1).some((r) => !isEmptyRow(r))) {
    throw new LedgerError(`${path} has its header row (line ${header.line}) but no rows below it: nothing to import`);
  }
  return { headerIndex, columns };
}

async function validateRows(
  path: string,
  raw: readonly RawRow[],
): Promise<{ rows: DonationRow[]; errors: RowError[] }> {
  const { headerIndex, columns } = locateColumns(path, raw, HEADER_ALIASES, REQUIRED);

  const folder = dirname(resolve(path));
  const evidenceExists = new Map<string, Promise<boolean>>();
  const firstLineOfRef = new Map<string, number>();
  const rows: DonationRow[] = [];
  const errors: RowError[] = [];

  for (const r of raw.slice(headerIndex + 1)) {
    if (isEmptyRow(r)) continue;
    const cell = (field: Field): string => {
      const i = columns.get(field);
      return i === undefined ? "" : (r.cells[i] ?? "").normalize("NFC").trim();
    };
    const rowErrors: RowError[] = [];
    const fail = (field: string, value: string, reason: string) =>
      rowErrors.push({ line: r.line, field, value, reason });
    for (const [field, i] of columns) if (r.inexact?.has(i) === true) fail(field, cell(field), INEXACT);

    const ref = cell("ref");
    if (ref === "") fail("ref", ref, "is empty");
    else {
      const first = firstLineOfRef.get(ref);
      if (first !== undefined) fail("ref", ref, `duplicate: the same ref is on line ${first}`);
      else firstLineOfRef.set(ref, r.line);
      if (/^[0-9.]+e\+?[0-9]+$/i.test(ref)) {
        fail(
          "ref",
          ref,
          "a number Excel shortened to scientific notation: format the column as text and type it again",
        );
      }
    }

    const project = cell("project");
    if (project === "") fail("project", project, "is empty");

    const amountText = cell("amount");
    let amountFen = 0n;
    try {
      amountFen = parseYuan(amountText);
      if (amountFen === 0n) fail("amount", amountText, "must be more than zero");
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      fail("amount", amountText, e.problem);
    }

    const dateText = cell("date");
    let date: string | undefined;
    if (dateText !== "") {
      date = parseDate(dateText);
      if (date === undefined) fail("date", dateText, "not a date (write 2026-07-01 or 2026/7/1)");
    }

    const channelText = cell("channel");
    const channel = channelOf(channelText);
    if (channel === undefined) {
      fail(
        "channel",
        channelText,
        "unknown channel: use bank/银行/转账, alipay/支付宝, wechat/微信, cash/现金 or other/其他",
      );
    }

    const donor = cell("donor");

    const evidenceText = cell("evidence");
    let evidencePath: string | undefined;
    if (evidenceText !== "") {
      evidencePath = resolve(folder, evidenceText);
      let exists = evidenceExists.get(evidencePath);
      if (exists === undefined) {
        exists = stat(evidencePath).then(
          (s) => s.isFile(),
          () => false,
        );
        evidenceExists.set(evidencePath, exists);
      }
      if (!(await exists)) fail("evidence", evidenceText, `file not found: ${evidencePath}`);
    }

    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    rows.push({
      line: r.line,
      ref,
      project,
      amountFen,
      ...(date !== undefined ? { date } : {}),
      ...(donor !== "" ? { donor } : {}),
      channel: channel!,
      ...(evidencePath !== undefined ? { evidencePath } : {}),
    });
  }
  return { rows, errors };
}
