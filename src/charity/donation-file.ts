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

import { InvalidInputError, LedgerError } from "../errors.js";
import { MAX_FEN, formatYuan, parseYuan } from "../money.js";
import { channelOf } from "./ids.js";

/** Files larger than this are refused (split them). */
export const MAX_DONATION_FILE_BYTES = 50 * 1024 * 1024;

/** One valid donation row. */
export interface DonationRow {
  /** Line in the file as the user sees it (1-based, the header included). */
  readonly line: number;
  /** The worksheet the row is on, named when the workbook has more than one. */
  readonly sheet?: string;
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

type Field =
  "ref" | "project" | "amount" | "date" | "donor" | "channel" | "evidence" | "status" | "direction" | "debit";

/**
 * Header names of each field, as the platforms' and banks' exports and clerks write them, compared
 * in lower case without spaces or a bracketed part. When several columns name one field, the one
 * whose name comes first here is read (微信订单号 before 商户订单号, 交易日期 before 交易时间).
 */
const HEADER_ALIASES: Record<Field, readonly string[]> = {
  ref: [
    "ref",
    "reference",
    "流水号",
    "收据号",
    "订单号",
    "捐赠订单号",
    "捐款订单号",
    "交易单号",
    "交易流水号",
    "微信订单号",
    "支付宝交易号",
    "账务流水号",
    "银行流水号",
    "交易号",
    "orderid",
    "orderno",
    "transactionid",
    "serialno",
    "商户订单号",
    "业务流水号",
    "商户单号",
  ],
  project: ["project", "项目", "项目编号", "项目代码", "projectcode"],
  amount: [
    "amount",
    "金额",
    "捐赠金额",
    "捐款金额",
    "订单金额",
    "收入金额",
    "贷方发生额",
    "贷方金额",
    "入账金额",
    "收入",
    "credit",
  ],
  date: [
    "date",
    "日期",
    "捐赠日期",
    "捐款日期",
    "捐赠时间",
    "捐款时间",
    "交易日期",
    "入账日期",
    "记账日期",
    "交易时间",
    "支付时间",
    "发生时间",
    "入账时间",
  ],
  donor: [
    "donor",
    "捐赠人",
    "捐款人",
    "捐赠人姓名",
    "捐赠人昵称",
    "捐赠单位",
    "捐赠方",
    "捐赠者",
    "对方户名",
    "付款人",
    "付款方",
    "付款人名称",
    "交易对方",
  ],
  channel: ["channel", "渠道", "支付方式", "收款方式", "支付渠道", "付款方式", "交易渠道"],
  evidence: ["evidence", "凭证"],
  status: ["status", "状态", "交易状态", "当前状态", "支付状态", "订单状态", "捐赠状态"],
  direction: ["收/支", "收支", "收支类型", "借贷", "借贷标志", "收支方向", "direction"],
  debit: ["debit", "借方发生额", "借方金额", "支出金额", "出账金额"],
};
const REQUIRED: readonly Field[] = ["ref", "project", "amount"];

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

/**
 * The unit an amount header gives in brackets: `金额（万元）` ×10,000, `金额（元）` / `(yuan)` / `（+元）`
 * ×1, a bracket naming no unit (`贷方发生额（收入）`) ×1, any other unit (`千元`, `美元`, `USD`) not converted.
 */
export function headerUnit(text: string): { scale: bigint } | { unit: string } {
  const brackets = [...text.normalize("NFKC").matchAll(/[(\[【]([^)\]】]*)[)\]】]/g)].map((m) => m[1]!.trim());
  let scale = 1n;
  for (const b of brackets) {
    const u = b.replace(/^[+\-\s]+/, "").toLowerCase();
    if (["万元", "万", "人民币万元"].includes(u)) scale = 10_000n;
    else if (["元", "yuan", "rmb", "cny", "¥", "人民币", "人民币元", "元人民币"].includes(u)) continue;
    else if (/元|万|千|百|亿|角|分|\$|usd|hkd|eur|美|港|欧|日元|英镑|k$/.test(u)) return { unit: b };
  }
  return { scale };
}

/**
 * `2026-07-01`, `2026/7/1`, `2026.7.1`, `2026年7月1日`, `20260701`, optionally followed by a time,
 * or an Excel serial date (a whole number from 20000 to 80000: 1954 to 2119), as YYYY-MM-DD.
 */
export function parseDate(text: string): string | undefined {
  const t = text.normalize("NFKC").trim().replace(/^`/, "").trim();
  const serial = /^([0-9]{5})(?:\.[0-9]+)?$/.exec(t);
  if (serial !== null) {
    const n = Number(serial[1]);
    if (n < 20_000 || n > 80_000) return undefined;
    return new Date(Date.UTC(1899, 11, 30) + n * 86_400_000).toISOString().slice(0, 10);
  }
  const m =
    /^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?(?:(?:[T\s]).*)?$/.exec(t) ??
    /^([0-9]{4})([0-9]{2})([0-9]{2})(?:(?:[T\s]).*)?$/.exec(t);
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return undefined;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Why a date cell is not a date: a pointed reason for `7月12日` (no year), else the forms accepted. */
function dateProblem(text: string): string {
  if (/^[0-9]{1,2}\s*[月/.-]\s*[0-9]{1,2}\s*日?$/.test(text.normalize("NFKC").trim())) {
    return "no year: write 2026年7月12日 or 2026-07-12";
  }
  return "not a date (write 2026-07-01, 2026/7/1, 2026年7月1日 or 20260701)";
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

/** What a donation file is read with: values the file does not give, and which sheet to read. */
export interface ReadDonationOptions {
  /** The project code of rows without one (and of every row when the file has no project column). */
  readonly project?: string;
  /** The channel of every row (bank, 微信, …): the file's channel column, if any, is not read. */
  readonly channel?: string;
  /** The worksheet to read (its name), or `all` for every sheet that looks like a donation list. */
  readonly sheet?: string;
}

/**
 * Reads a donation file (CSV or XLSX, decided by content) into valid rows and row errors.
 * Throws a {@link LedgerError} when the file as a whole cannot be used: every missing column and
 * every unit it cannot convert in one message, or several sheets of donations and no `sheet`.
 */
export async function readDonationFile(
  path: string,
  opts: ReadDonationOptions = {},
): Promise<{ rows: DonationRow[]; errors: RowError[]; columns: string[] }> {
  let channel: number | undefined;
  if (opts.channel !== undefined && opts.channel.trim() !== "") {
    channel = channelOfCell(opts.channel);
    if (channel === undefined) throw new InvalidInputError("--channel", opts.channel, CHANNEL_HINT);
  }
  const project = opts.project?.trim() ?? "";
  const required = REQUIRED.filter((f) => !(f === "project" && project !== ""));
  const sheets = chooseSheets(
    path,
    await readTableSheets(path, MAX_DONATION_FILE_BYTES, "donation"),
    HEADER_ALIASES,
    required,
    opts.sheet,
    "donation list",
  );
  const rows: DonationRow[] = [];
  const errors: RowError[] = [];
  const columns: string[] = [];
  const firstLineOfRef = new Map<string, string>();
  for (const sheet of sheets) {
    const read = await validateRows(path, sheet, required, { project, channel }, firstLineOfRef);
    rows.push(...read.rows);
    errors.push(...read.errors);
    columns.push(read.columns);
  }
  return { rows, errors, columns };
}

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
function endsData(r: RawRow): boolean {
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
function headerScore<F extends string>(r: RawRow | undefined, aliases: Record<F, readonly string[]>): number {
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

const CHANNEL_HINT =
  "unknown channel: use bank/银行/转账/公对公转账/POS刷卡, alipay/支付宝, wechat/微信, cash/现金 or other/其他 (扫码, QQ钱包, 配捐)";

/** Channels as clerks and exports write them, besides `channelOf`'s names. */
const MORE_CHANNELS: Readonly<Record<string, number>> = {
  公对公转账: 0,
  对公转账: 0,
  网银: 0,
  网银转账: 0,
  银行汇款: 0,
  汇款: 0,
  跨行转账: 0,
  pos: 0,
  pos刷卡: 0,
  刷卡: 0,
  财付通: 2,
  微信转账: 2,
  微信扫码: 2,
  支付宝扫码: 1,
  支付宝转账: 1,
  扫码: 4,
  qq钱包: 4,
  配捐: 4,
  "/": 4,
};

function channelOfCell(text: string): number | undefined {
  const key = text.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  return channelOf(key) ?? MORE_CHANNELS[key];
}

/** A row's status or 收/支 that is a completed payment received. */
const PAID = new Set([
  "已支付",
  "支付成功",
  "成功",
  "success",
  "已收钱",
  "已到账",
  "已完成",
  "完成",
  "交易成功",
  "已入账",
  "已收款",
  "收款成功",
  "已捐赠",
  "捐赠成功",
  "paid",
]);
const REFUNDED = /退|refund|撤销|冲正|撤回|关闭|失败|未支付|待支付|closed|revoked|fail|cancel/i;
const TOTAL = /合计|小计|总计|共计/;

/** Parses Chinese capital numerals (`壹万元整`, `贰仟叁佰元伍角`) into fen, or undefined. */
function parseCapital(text: string): bigint | undefined {
  const digits: Record<string, bigint> = {
    零: 0n,
    〇: 0n,
    壹: 1n,
    一: 1n,
    贰: 2n,
    貳: 2n,
    二: 2n,
    两: 2n,
    叁: 3n,
    參: 3n,
    三: 3n,
    肆: 4n,
    四: 4n,
    伍: 5n,
    五: 5n,
    陆: 6n,
    陸: 6n,
    六: 6n,
    柒: 7n,
    七: 7n,
    捌: 8n,
    八: 8n,
    玖: 9n,
    九: 9n,
  };
  const small: Record<string, bigint> = { 拾: 10n, 十: 10n, 佰: 100n, 百: 100n, 仟: 1000n, 千: 1000n };
  let total = 0n;
  let section = 0n;
  let number = 0n;
  let yuan: bigint | undefined;
  let jiao = 0n;
  let fen = 0n;
  for (const ch of text) {
    if (ch in digits) number = digits[ch]!;
    else if (ch in small) {
      section += (number === 0n ? 1n : number) * small[ch]!;
      number = 0n;
    } else if (ch === "万" || ch === "萬") {
      total += (section + number) * 10_000n;
      section = number = 0n;
    } else if (ch === "亿" || ch === "億") {
      total = (total + section + number) * 100_000_000n;
      section = number = 0n;
    } else if (ch === "元" || ch === "圆" || ch === "圓") {
      yuan = total + section + number;
      total = section = number = 0n;
    } else if (ch === "角") {
      jiao = number;
      number = 0n;
    } else if (ch === "分") {
      fen = number;
      number = 0n;
    } else if (ch !== "整" && ch !== "正") return undefined;
  }
  return (yuan ?? total + section + number) * 100n + jiao * 10n + fen;
}

/**
 * An amount cell in fen: yuan as {@link parseYuan} reads them, `5万` / `5万元` (×10,000), a column
 * in 万元 (`scale`), Chinese capitals (`壹万元整`). A spreadsheet formula's value is taken only when
 * it is exact to the fen; any other value with more precision than a fen is refused.
 */
function parseAmountCell(text: string, scale: bigint, formula: boolean): bigint {
  const fail = (problem: string): never => {
    throw new InvalidInputError("amount", text, problem);
  };
  let s = text.normalize("NFKC").trim().replace(/^`/, "").trim();
  if (s === "") fail("is empty");
  if (
    /^[零〇壹一贰貳二两叁參三肆四伍五陆陸六柒七捌八玖九拾十佰百仟千万萬亿億元圆圓角分整正]+$/.test(s) &&
    /[壹贰貳叁參肆伍陆陸柒捌玖拾佰仟]/.test(s)
  ) {
    const fen = parseCapital(s);
    if (fen === undefined || fen === 0n) fail("not an amount in Chinese capitals (write 壹万元整 or 10000)");
    return fen!;
  }
  if (/^-|^¥\s*-|^\(.*\)$/.test(s)) fail("negative: a refund or an outgoing payment, not a donation");
  s = s
    .replace(/^(?:¥|人民币|rmb|cny)\s*/i, "")
    .replace(/元$/, "")
    .trim();
  let cellScale = scale;
  if (/万$/.test(s)) {
    if (scale !== 1n) fail("written in 万 under a header in 万元: write the figure only");
    cellScale = 10_000n;
    s = s.slice(0, -1).trim();
  }
  if (cellScale === 1n && !formula) return parseYuan(s);
  const m = /^([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?$/.exec(s);
  if (m === null) return parseYuan(s); // its message says what is wrong
  const decimals = m[2] ?? "";
  const scaled = BigInt(m[1]!.replaceAll(",", "") + decimals) * cellScale * 100n;
  const divisor = 10n ** BigInt(decimals.length);
  if (scaled % divisor !== 0n) {
    const exact = `${(scaled / divisor / 100n).toString()}.${(((scaled * 1000n) / divisor) % 100_000n).toString().padStart(5, "0")}…`;
    fail(
      formula
        ? `a formula's value, ${exact} yuan, is not exact to the fen: round it in the sheet (=ROUND(…, 2))` +
            (cellScale !== 1n ? " after the ×10,000 of 万元" : "")
        : `more precise than a fen once ×10,000 (${exact} yuan)`,
    );
  }
  const fen = scaled / divisor;
  if (fen > MAX_FEN) fail(`too large: at most ${formatYuan(MAX_FEN)} yuan`);
  return fen;
}

async function validateRows(
  path: string,
  sheet: RawSheet,
  required: readonly Field[],
  given: { project: string; channel: number | undefined },
  firstLineOfRef: Map<string, string>,
): Promise<{ rows: DonationRow[]; errors: RowError[]; columns: string }> {
  const raw = sheet.rows;
  const where = sheet.name !== undefined ? `${path} sheet ${JSON.stringify(sheet.name)}` : path;
  const { headerIndex, columns, headers } = locateColumns(where, raw, HEADER_ALIASES, required, {
    project: ", or give the project's code with --project",
  });
  const unit = headerUnit(headers.get("amount") ?? "");
  if ("unit" in unit) {
    throw new LedgerError(
      `${where}: the amount column ${JSON.stringify(headers.get("amount"))} is in the unit "${unit.unit}", which is not converted: ` +
        `give the amounts in 元 (or 万元) and name the unit in the header, e.g. 金额（元）`,
    );
  }
  const sheetName = sheet.name !== undefined ? { sheet: sheet.name } : {};
  // Which header gave each field, and which headers were not read: nothing is dropped without a word.
  const readHeaders = new Set(headers.values());
  const notRead = [
    ...new Set(
      raw
        .slice(0, headerIndex + 1)
        .slice(-2)
        .filter((r) => headerScore(r, HEADER_ALIASES) > 0)
        .flatMap((r) => r.cells.map(clean))
        .filter((c) => c !== "" && !readHeaders.has(c)),
    ),
  ];
  const columnsRead =
    `${sheet.name !== undefined ? `sheet ${JSON.stringify(sheet.name)}: ` : ""}columns read: ` +
    [...headers].map(([f, h]) => `${f} ← ${JSON.stringify(h)}`).join(", ") +
    (given.project !== "" && !headers.has("project") ? `, project ← --project ${given.project}` : "") +
    (given.channel !== undefined ? `, channel ← --channel` : "") +
    `; not read: ${notRead.length > 0 ? notRead.map((h) => JSON.stringify(h)).join(", ") : "none"}`;
  const folder = dirname(resolve(path));
  const evidenceExists = new Map<string, Promise<boolean>>();
  const rows: DonationRow[] = [];
  const errors: RowError[] = [];
  let sinceTotal = 0n;

  for (const r of raw.slice(headerIndex + 1)) {
    if (endsData(r)) break;
    if (isEmptyRow(r)) continue;
    const cell = (field: Field): string => {
      const i = columns.get(field);
      return i === undefined ? "" : clean(r.cells[i] ?? "");
    };
    const rowErrors: RowError[] = [];
    const fail = (field: string, value: string, reason: string) =>
      rowErrors.push({ line: r.line, ...sheetName, field, value, reason });

    const totalCell = r.cells.map(clean).find((c) => TOTAL.test(c.replace(/\s+/g, "")));
    if (totalCell !== undefined) {
      let says = "";
      try {
        says = `, this row says ${formatYuan(parseAmountCell(cell("amount"), unit.scale, false), { symbol: true })}`;
      } catch {
        // a total row's amount that does not parse says nothing more
      }
      fail(
        "total",
        totalCell,
        `a total row, not a donation: delete it (the rows accepted above it add up to ${formatYuan(sinceTotal, { symbol: true })}${says})`,
      );
      sinceTotal = 0n;
    } else if (r.struck === true) {
      fail(
        "row",
        "struck through",
        "a struck-through row (a cancelled or returned entry?): delete it, or remove the strikethrough if it stands",
      );
    } else if (r.hidden === true) {
      fail(
        "row",
        "hidden",
        "a hidden row (Excel hides it, the importer does not): delete it, or unhide it if it stands",
      );
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    for (const [field, i] of columns) if (r.inexact?.has(i) === true) fail(field, cell(field), INEXACT);

    const direction = cell("direction");
    if (direction !== "") {
      const d = direction.normalize("NFKC").toLowerCase();
      if (/^(支出|支|借|出|expense|debit|out)$/.test(d)) {
        fail("direction", direction, "an outgoing payment (支出), not a donation: delete the row");
      } else if (!/^(收入|收|贷|入|income|credit|in)$/.test(d)) {
        fail("direction", direction, "neither 收入 nor 支出: not a donation received; delete the row");
      }
    }
    const status = cell("status");
    if (status !== "") {
      const st = status.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
      if (REFUNDED.test(st)) {
        fail("status", status, "a refunded or cancelled payment, not a donation: delete the row");
      } else if (!PAID.has(st)) {
        fail("status", status, `not a completed payment (${[...PAID].slice(0, 6).join(", ")}, …): delete the row`);
      }
    }
    const debit = cell("debit");
    const isDebit = debit !== "" && !/^[¥\s0.,-]*$/.test(debit.normalize("NFKC"));
    if (isDebit) fail("debit", debit, "an outgoing payment (a debit / 支出), not a donation: delete the row");

    const ref = cell("ref");
    if (ref === "") fail("ref", ref, "is empty");
    else {
      const here = `${sheet.name !== undefined ? `sheet ${JSON.stringify(sheet.name)} ` : ""}line ${r.line}`;
      const first = firstLineOfRef.get(ref);
      if (first !== undefined) fail("ref", ref, `duplicate: the same ref is on ${first}`);
      else firstLineOfRef.set(ref, here);
      if (/^[0-9.]+e\+?[0-9]+$/i.test(ref)) {
        fail(
          "ref",
          ref,
          "a number Excel shortened to scientific notation: format the column as text and type it again",
        );
      }
    }

    const project = cell("project") || given.project;
    if (project === "") fail("project", project, "is empty");

    const amountText = cell("amount");
    let amountFen = 0n;
    if (!isDebit) {
      try {
        const i = columns.get("amount")!;
        amountFen = parseAmountCell(amountText, unit.scale, r.formula?.has(i) === true);
        if (amountFen === 0n) fail("amount", amountText, "must be more than zero");
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        fail("amount", amountText, e.problem);
      }
    }

    const dateText = cell("date");
    let date: string | undefined;
    if (dateText !== "") {
      date = parseDate(dateText);
      if (date === undefined) fail("date", dateText, dateProblem(dateText));
    }

    let channel = given.channel;
    if (channel === undefined) {
      const channelText = cell("channel");
      channel = channelOfCell(channelText);
      if (channel === undefined) fail("channel", channelText, CHANNEL_HINT);
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
    sinceTotal += amountFen;
    rows.push({
      line: r.line,
      ...sheetName,
      ref,
      project,
      amountFen,
      ...(date !== undefined ? { date } : {}),
      ...(donor !== "" ? { donor } : {}),
      channel: channel!,
      ...(evidencePath !== undefined ? { evidencePath } : {}),
    });
  }
  return { rows, errors, columns: columnsRead };
}
