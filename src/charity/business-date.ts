/**
 * Business dates on chain: a cash donation carries the day the charity received it (`receivedOn`, days
 * since 1970-01-01; 0 when the source does not say), so that monthly figures follow the books and not the
 * day of recording. Pure: the explorer imports it.
 */

const DAY_MS = 86_400_000;
/** Beijing time: the day a record is made, where the books' dates are not given. */
const UTC8_MS = 8 * 3_600_000;

/** "2026-07-11" → its day number (days since 1970-01-01); "" → 0 (not stated). */
export function dayNumberOf(date: string): number {
  if (date === "") return 0;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = ms / DAY_MS;
  if (day < 1 || new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`not a date: ${date}`);
  return day;
}

/** A day number → "YYYY-MM-DD" (undefined for 0: not stated). */
export function dateOfDay(day: number | bigint): string | undefined {
  const n = Number(day);
  if (n === 0) return undefined;
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date in Beijing, "YYYY-MM-DD" (a record made now, with no date given, is dated today). */
export function todayInBeijing(now = Date.now()): string {
  return new Date(now + UTC8_MS).toISOString().slice(0, 10);
}

/** The Beijing calendar date of a block time (seconds). */
export function dateOfBlockTime(seconds: number): string {
  return new Date(seconds * 1000 + UTC8_MS).toISOString().slice(0, 10);
}

/**
 * The business date of a donation: its `receivedOn` when stated, else its block's day in Beijing; and
 * which of the two it is.
 */
export function businessDate(
  receivedOn: number | bigint,
  blockTime: number,
): { date: string; source: "receipt" | "block" } {
  const stated = dateOfDay(receivedOn);
  return stated !== undefined
    ? { date: stated, source: "receipt" }
    : { date: dateOfBlockTime(blockTime), source: "block" };
}
