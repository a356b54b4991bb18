/**
 * Money is a `bigint` number of fen (分) everywhere; yuan (元) strings exist only at the edges
 * (files people fill in, what is printed). Never a JavaScript `number`: 0.1 + 0.2 is not 0.3.
 */
import { InvalidInputError } from "./errors.js";

/** The largest amount accepted: 2^88 - 1 fen, what the ledger's uint88 hand-over amounts hold. */
export const MAX_FEN = (1n << 88n) - 1n;

const PLAIN = /^[0-9]+$/;
const GROUPED = /^[0-9]{1,3}(?:,[0-9]{3})+$/;

/**
 * Parses an amount in yuan into fen: `1234`, `1234.5`, `1,234.56`, `¥1,234.56`, `￥ 1234 元`, and
 * full-width digits (`１２３`). Zero parses (the caller decides whether it is allowed); empty,
 * negative, more than two decimals, misplaced thousands separators, anything that is not a plain
 * decimal number and amounts above {@link MAX_FEN} throw an {@link InvalidInputError} naming the
 * field and the value.
 */
export function parseYuan(text: string, field = "amount"): bigint {
  const fail = (problem: string): never => {
    throw new InvalidInputError(field, text, problem);
  };
  // NFKC turns full-width digits, comma, full stop and ￥ into their ASCII (and ¥) forms.
  let s = text.normalize("NFKC").trim();
  if (s === "") fail("is empty");
  let negative = false;
  if (s.startsWith("-")) {
    negative = true;
    s = s.slice(1).trim();
  }
  if (s.startsWith("¥")) s = s.slice(1).trim();
  if (s.startsWith("-")) {
    negative = true;
    s = s.slice(1).trim();
  }
  if (s.endsWith("元")) s = s.slice(0, -1).trim();
  if (negative) fail("must not be negative");
  const dot = s.indexOf(".");
  const whole = dot < 0 ? s : s.slice(0, dot);
  const fraction = dot < 0 ? "" : s.slice(dot + 1);
  if (!/^[0-9,]+$/.test(whole) || (dot >= 0 && !/^[0-9]+$/.test(fraction))) {
    fail("not an amount in yuan (digits, optionally thousands separators and up to 2 decimals)");
  }
  if (!PLAIN.test(whole) && !GROUPED.test(whole)) {
    fail("malformed thousands separators (write 1,234,567.89 or 1234567.89)");
  }
  if (fraction.length > 2) fail("at most 2 decimal places (fen)");
  const fen = BigInt(whole.replaceAll(",", "")) * 100n + BigInt(fraction.padEnd(2, "0"));
  if (fen > MAX_FEN) fail(`too large: at most ${formatYuan(MAX_FEN)} yuan`);
  return fen;
}

/**
 * Formats fen as yuan with two decimals and thousands separators (unless `grouping: false`):
 * `1,234.56`, `¥1,234.56`, `-¥0.05`, `1234.56`.
 */
export function formatYuan(fen: bigint, opts: { symbol?: boolean; grouping?: boolean } = {}): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const digits = (abs / 100n).toString();
  const whole = opts.grouping === false ? digits : digits.replace(/\B(?=(?:[0-9]{3})+$)/g, ",");
  const cents = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${opts.symbol === true ? "¥" : ""}${whole}.${cents}`;
}

/** The sum of amounts of fen: the one way money is added up (bigint, never a `number`). */
export function sumFen(amounts: Iterable<bigint>): bigint {
  let total = 0n;
  for (const a of amounts) total += a;
  return total;
}
