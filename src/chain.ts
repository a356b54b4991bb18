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

/**
 * Waits for a sent transaction and fails loudly when it was dropped or reverted; with `timeoutMs`,
 * ethers' TIMEOUT error when it is not mined in time.
 */
export async function confirmed(tx: ContractTransactionResponse, timeoutMs?: number): Promise<TransactionReceipt> {
  const receipt = await tx.wait(1, timeoutMs);
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

/** Options of {@link queryInChunks}. */
export interface ChunkOptions {
  /** Largest range per call (default 5,000 blocks). */
  readonly chunk?: number;
  /** Attempts per chunk before giving up (default 4), with exponential back-off. */
  readonly attempts?: number;
  readonly onChunk?: (from: number, to: number) => void;
}

/**
 * Runs a log query over [from, to] in chunks of at most 5,000 blocks, retrying each chunk
 * on failure (nodes time out or rate-limit on large ranges), and concatenates the results.
 */
export async function queryInChunks<T>(
  query: (from: number, to: number) => Promise<T[]>,
  from: number,
  to: number,
  options: ChunkOptions = {},
): Promise<T[]> {
  const out: T[] = [];
  const attempts = options.attempts ?? 4;
  for (const [a, b] of blockRanges(from, to, options.chunk ?? MAX_LOG_RANGE)) {
    for (let attempt = 1; ; attempt++) {
      try {
        out.push(...(await query(a, b)));
        break;
      } catch (e) {
        if (attempt >= attempts) {
          throw new Error(`reading logs of blocks ${a}-${b} failed ${attempts} times: ${(e as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** (attempt - 1)));
      }
    }
    options.onChunk?.(a, b);
  }
  return out;
}
