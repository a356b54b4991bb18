/**
 * Display formatting. Money arrives as integer fen in decimal strings and is formatted with
 * bigint arithmetic only (never a JavaScript number), by src/money.ts; quantities are integer
 * thousandths of a unit (src/trace/vocabulary.ts).
 */
import { formatYuan as yuan, sumFen as addFen } from "../../src/money.js";
import { formatQuantity as quantity } from "../../src/trace/vocabulary.js";

const FEN = /^-?[0-9]+$/;

function group(digits: string): string {
  return digits.replace(/\B(?=(?:[0-9]{3})+$)/g, ",");
}

/** Whether a value is an integer in a decimal string (fen, thousandths, counters). */
export function isIntegerString(value: unknown): value is string {
  return typeof value === "string" && FEN.test(value);
}

/** Fen (decimal string or bigint) as yuan: `¥1,234.56`, `-¥0.05`; anything else is returned as is. */
export function formatYuan(fen: string | bigint): string {
  if (typeof fen === "string" && !FEN.test(fen)) return fen;
  return yuan(BigInt(fen), { symbol: true });
}

/** 10,000 yuan in fen: from here on, Chinese pages say amounts in 万元. */
const WAN_FEN = 1_000_000n;

/**
 * A large amount in 万元 for Chinese readers: fen ≥ 10,000 yuan as `¥173.00万` (hundredths of 万,
 * rounded half up); undefined below that or for anything that is not fen. The exact figure goes beside
 * it (a tooltip).
 */
export function formatWan(fen: string | bigint): string | undefined {
  if (typeof fen === "string" && !FEN.test(fen)) return undefined;
  const v = BigInt(fen);
  const abs = v < 0n ? -v : v;
  if (abs < WAN_FEN) return undefined;
  const hundredths = (abs + 5_000n) / 10_000n;
  const whole = group((hundredths / 100n).toString());
  return `${v < 0n ? "-" : ""}¥${whole}.${(hundredths % 100n).toString().padStart(2, "0")}万`;
}

/** The fen of a yuan text as {@link formatYuan} writes it (`¥1,234.56`, `-¥0.05`); undefined otherwise. */
export function fenOfYuanText(text: string): bigint | undefined {
  const m = /^(-?)¥([0-9,]+)\.([0-9]{2})$/.exec(text.trim());
  if (m === null) return undefined;
  const fen = BigInt(m[2]!.replace(/,/g, "") + m[3]!);
  return m[1] === "-" ? -fen : fen;
}

/** Sum of fen strings, as bigint. */
export function sumFen(values: readonly string[]): bigint {
  return addFen(values.filter((v) => FEN.test(v)).map(BigInt));
}

/** Fen as a yuan number for chart axes only (display, never arithmetic on money). */
export function fenToChartYuan(fen: string | bigint): number {
  const v = typeof fen === "bigint" ? fen : FEN.test(fen) ? BigInt(fen) : 0n;
  return Number(v / 100n) + Number(v % 100n) / 100;
}

/** Fen as a plain decimal yuan string without symbol or grouping, for CSV files: `1234.56`. */
export function yuanPlain(fen: string | bigint): string {
  return yuan(BigInt(fen), { grouping: false });
}

/** A quantity in thousandths of a unit: `12.5`, `1,000`. */
export function formatQuantity(thousandths: string | bigint): string {
  if (typeof thousandths === "string" && !FEN.test(thousandths)) return thousandths;
  const v = BigInt(thousandths);
  const [whole, fraction] = quantity(v < 0n ? -v : v).split(".");
  return `${v < 0n ? "-" : ""}${group(whole!)}${fraction === undefined ? "" : "." + fraction}`;
}

/** A percentage in hundredths: 7000 → `70.00 %`; undefined → `—`. */
export function formatPercent(hundredths: string | bigint | undefined): string {
  if (hundredths === undefined || (typeof hundredths === "string" && !FEN.test(hundredths))) return "—";
  const v = BigInt(hundredths);
  return `${v / 100n}.${(v % 100n).toString().padStart(2, "0")} %`;
}

/** `0x1234…abcd` */
export function shortHex(hex: string, head = 6, tail = 4): string {
  return hex.length <= head + tail + 1 ? hex : `${hex.slice(0, head)}…${hex.slice(-tail)}`;
}

/** Unix seconds as local date and time in the UI language. */
export function formatTime(unixSeconds: number | string, lang: string): string {
  const n = Number(unixSeconds);
  if (!Number.isFinite(n) || n <= 0) return "—";
  return new Date(n * 1000).toLocaleString(lang === "en" ? "en-GB" : "zh-CN", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** Unix seconds as a date only. */
export function formatDate(unixSeconds: number | string, lang: string): string {
  const n = Number(unixSeconds);
  if (!Number.isFinite(n) || n <= 0) return "—";
  return new Date(n * 1000).toLocaleDateString(lang === "en" ? "en-GB" : "zh-CN");
}

/** A count with thousands separators. */
export function formatCount(n: number | string): string {
  return group(String(n));
}

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function isHash(v: string): boolean {
  return HEX32.test(v);
}

export function isAddress(v: string): boolean {
  return ADDRESS.test(v);
}
