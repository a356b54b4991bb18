/**
 * Sends a contract write the way every Zhixin Ledger tool does: simulate it first (so a refusal
 * costs nothing and is decoded into a readable error), then send it as a legacy transaction
 * and wait for it to be mined.
 */
import type { ContractTransactionResponse, TransactionReceipt } from "ethers";

import { confirmed, type LegacyOverrides } from "./chain.js";
import { explainError } from "./errors.js";

/** The part of a typechain write method this needs (its arguments are checked through `Parameters`). */
interface WriteMethod {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches any typechain signature
  staticCall: (...args: any[]) => Promise<unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send: (...args: any[]) => Promise<ContractTransactionResponse>;
}

/** What a write produced, as the ledgers' operations return it. */
export interface Write<T = undefined> {
  readonly value: T;
  readonly txHash: string;
  readonly blockNumber: number;
}

export function written<T>(value: T, receipt: { hash: string; blockNumber: number }): Write<T> {
  return { value, txHash: receipt.hash, blockNumber: receipt.blockNumber };
}

export interface Sent<R> {
  /** What the simulated call returned (the id a write creates, a count). */
  readonly result: R;
  readonly receipt: TransactionReceipt;
}

/** Simulates, then sends `method(...args)` with the legacy overrides; errors come back decoded. */
export async function sendChecked<M extends WriteMethod>(
  method: M,
  args: Parameters<M["send"]>,
  overrides: LegacyOverrides,
): Promise<Sent<Awaited<ReturnType<M["staticCall"]>>>> {
  const call = [...args, overrides];
  try {
    const result = (await method.staticCall(...call)) as Awaited<ReturnType<M["staticCall"]>>;
    const receipt = await confirmed(await method.send(...call));
    return { result, receipt };
  } catch (e) {
    throw explainError(e);
  }
}

/** {@link sendChecked}, returning what the ledgers' operations return: the call's result and where it was mined. */
export async function sendWrite<T>(
  method: WriteMethod,
  args: readonly unknown[],
  overrides: LegacyOverrides,
): Promise<Write<T>> {
  const { result, receipt } = await sendChecked(method, args as never, overrides);
  return written(result as T, receipt);
}
