import type { ContractTransactionResponse, Provider, TransactionReceipt } from "ethers";

/** Overrides every write of Zhixin Ledger sends: a legacy (type-0) transaction with an explicit gas price. */
export interface LegacyOverrides {
  readonly type: 0;
  readonly gasPrice: bigint;
}

/**
 * Legacy overrides for a chain: the configured gas price (0 on free-gas consortium chains),
 * or the node's `eth_gasPrice` when none is configured (the in-process network).
 */
export async function legacyOverrides(provider: Provider, configured?: bigint | "auto"): Promise<LegacyOverrides> {
  if (typeof configured === "bigint") return { type: 0, gasPrice: configured };
  const fee = await provider.getFeeData();
  return { type: 0, gasPrice: fee.gasPrice ?? 0n };
}

/** Waits for a sent transaction and fails loudly when it was dropped or reverted. */
export async function confirmed(tx: ContractTransactionResponse): Promise<TransactionReceipt> {
  const receipt = await tx.wait();
  if (receipt === null) throw new Error(`transaction ${tx.hash} was not mined`);
  return receipt;
}

/** The largest block range one `eth_getLogs` call may span on a consortium chain. */
export const MAX_LOG_RANGE = 5_000;

/** Splits [from, to] into inclusive ranges of at most `size` blocks. */
export function* blockRanges(from: number, to: number, size = MAX_LOG_RANGE): Generator<[number, number]> {
  if (size < 1) throw new Error(`block range size must be positive, got ${size}`);
  for (let start = from; start <= to; start += size) yield [start, Math.min(to, start + size - 1)];
}
