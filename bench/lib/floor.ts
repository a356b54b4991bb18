/**
 * The gas floor of a transaction, from first principles (Berlin/London pricing, as on an EVM
 * `paris` chain):
 *
 *   floor = 21,000 (intrinsic)
 *         + calldata: 16 per non-zero byte, 4 per zero byte of the real calldata
 *         + per log: 375 + 375 × topics + 8 × data bytes + the memory holding the data
 *           (3 × words + words² / 512, counted from empty memory: a lower bound)
 *         + the storage writes the operation's rules require, each at the price of its transition:
 *             new      zero → non-zero        20,000 + 2,100 cold slot = 22,100
 *             update   non-zero → non-zero     2,900 + 2,100 cold slot =  5,000
 *             clear    non-zero → zero         2,900 + 2,100 cold slot =  5,000, refund 4,800
 *         − refunds (at most a fifth of the gas used, EIP-3529)
 *
 * Nothing else is counted: no reads, no permission check, no code, no call to another contract.
 * It is the least any contract could pay to make the same state change and emit the same events.
 */
import { getBytes } from "ethers";

export const TX_BASE = 21_000;
export const SSTORE_NEW = 22_100;
export const SSTORE_UPDATE = 5_000;
export const SSTORE_CLEAR = 5_000;
export const CLEAR_REFUND = 4_800;

export type Transition = "new" | "update" | "clear";

/** One storage slot the rules require to be written, and why. */
export interface RequiredWrite {
  readonly slot: string;
  readonly transition: Transition;
  /** How many such slots (e.g. one per child of a split). */
  readonly count?: number;
}

export function calldataCost(data: string): { bytes: number; zero: number; gas: number } {
  const b = getBytes(data);
  let zero = 0;
  for (const x of b) if (x === 0) zero++;
  return { bytes: b.length, zero, gas: zero * 4 + (b.length - zero) * 16 };
}

export function memoryCost(bytes: number): number {
  const words = Math.ceil(bytes / 32);
  return 3 * words + Math.floor((words * words) / 512);
}

export function logCost(log: { topics: readonly string[]; data: string }): number {
  const bytes = getBytes(log.data).length;
  return 375 + 375 * log.topics.length + 8 * bytes + memoryCost(bytes);
}

export function storageCost(writes: readonly RequiredWrite[]): { gas: number; refund: number } {
  let gas = 0;
  let refund = 0;
  for (const w of writes) {
    const n = w.count ?? 1;
    if (w.transition === "new") gas += SSTORE_NEW * n;
    else if (w.transition === "update") gas += SSTORE_UPDATE * n;
    else {
      gas += SSTORE_CLEAR * n;
      refund += CLEAR_REFUND * n;
    }
  }
  return { gas, refund };
}

export interface Floor {
  readonly intrinsic: number;
  readonly calldata: number;
  readonly calldataBytes: number;
  readonly logs: number;
  readonly logCount: number;
  readonly storage: number;
  readonly refund: number;
  readonly total: number;
}

export function floorOf(
  data: string,
  logs: readonly { topics: readonly string[]; data: string }[],
  writes: readonly RequiredWrite[],
): Floor {
  const cd = calldataCost(data);
  const logGas = logs.reduce((s, l) => s + logCost(l), 0);
  const st = storageCost(writes);
  const gross = TX_BASE + cd.gas + logGas + st.gas;
  const refund = Math.min(st.refund, Math.floor(gross / 5));
  return {
    intrinsic: TX_BASE,
    calldata: cd.gas,
    calldataBytes: cd.bytes,
    logs: logGas,
    logCount: logs.length,
    storage: st.gas,
    refund,
    total: gross - refund,
  };
}

/** The storage part of the formula as text: `22,100 × 1 (donation record) + 5,000 × 3 (...)`. */
export function describeWrites(writes: readonly RequiredWrite[]): string {
  if (writes.length === 0) return "none";
  return writes
    .map((w) => {
      const price = w.transition === "new" ? "22,100" : w.transition === "update" ? "5,000" : "(5,000 − 4,800 refund)";
      return `${price}${(w.count ?? 1) > 1 ? ` × ${w.count}` : ""} ${w.slot}`;
    })
    .join(" + ");
}
