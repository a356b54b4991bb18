import { makeError, type ContractTransactionResponse, type Provider, type TransactionReceipt } from "ethers";

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

/** The node no longer knows a transaction it had: it restarted from an earlier state or dropped it. */
export class TransactionForgottenError extends Error {
  constructor(readonly hash: string) {
    super(`the node no longer knows transaction ${hash}: it restarted from an earlier state or dropped it`);
    this.name = "TransactionForgottenError";
  }
}

/**
 * How many blocks make a write final: its own block and the ones built on it (`ZHIXIN_CONFIRMATIONS`,
 * default 1, the block itself: Anvil, Hardhat and Besu QBFT never reorganise a sealed block). A Clique
 * chain of n signers can replace its latest blocks when a partition heals: ask for n/2 + 1 or more there
 * (README, "A real consortium network"). The CLI waits for this depth before it says a write is done, and
 * the explorer marks the blocks above it as unconfirmed.
 */
export function confirmationDepth(): number {
  const n = Number(process.env.ZHIXIN_CONFIRMATIONS ?? 1);
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/**
 * Waits for a sent transaction to be mined and buried under {@link confirmationDepth} blocks, asking the
 * node for its receipt (every 50 ms at first, then every second), and fails loudly when it reverted
 * (ethers' checks), when the node, having known it, no longer does ({@link TransactionForgottenError}: a
 * node killed and restarted from its last saved state comes back without it, and nothing would ever mine
 * it), and, with `timeoutMs`, when it is not final in time (ethers' TIMEOUT error). A transaction whose
 * block a reorganisation dropped goes back to waiting until it is mined again. A node that does not
 * answer for a while is waited for.
 */
export async function confirmed(
  tx: ContractTransactionResponse,
  timeoutMs?: number,
  depth: number = confirmationDepth(),
): Promise<TransactionReceipt> {
  const provider = tx.provider;
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  let known = false;
  let minedIn: number | undefined;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    const receipt = await provider.getTransactionReceipt(tx.hash).catch(() => undefined);
    if (receipt !== null && receipt !== undefined) {
      known = true;
      minedIn = receipt.blockNumber;
      if (depth <= 1) break;
      const head = await provider.getBlockNumber().catch(() => undefined);
      if (head !== undefined && head - receipt.blockNumber + 1 >= depth) {
        // Still in the canonical chain at that depth (a reorganisation may have moved it meanwhile)?
        const block = await provider.getBlock(receipt.blockNumber).catch(() => undefined);
        if (block?.hash === receipt.blockHash) break;
      }
    }
    if (receipt === null) {
      const seen = await provider.getTransaction(tx.hash).catch(() => undefined);
      if (seen !== null && seen !== undefined) known = true;
      else if (seen === null && known) throw new TransactionForgottenError(tx.hash);
    }
    if (Date.now() >= deadline) {
      const where =
        minedIn === undefined ? "was not mined" : `was mined in block ${minedIn} but not buried under ${depth} blocks`;
      throw makeError(`transaction ${tx.hash} ${where} within ${timeoutMs} ms`, "TIMEOUT", {
        operation: "wait",
        reason: "timeout",
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, deadline - Date.now()))));
  }
  // Mined: ethers' own checks (a reverted transaction throws CALL_EXCEPTION with its receipt).
  const receipt = await tx.wait(1);
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

/**
 * The block range one `eth_getLogs` call may span through `provider`: {@link MAX_LOG_RANGE} for a
 * node, or what the provider declares in a numeric `maxLogRange` property. A provider that answers
 * logs from an index (the explorer's IndexedProvider) declares no limit, so a read over the whole
 * chain is one query whatever the chain's height.
 */
export function logRangeOf(provider: unknown): number {
  const declared = (provider as { maxLogRange?: unknown } | null | undefined)?.maxLogRange;
  return typeof declared === "number" && declared >= 1 ? declared : MAX_LOG_RANGE;
}

/** Options of {@link queryInChunks}. */
export interface ChunkOptions {
  /** Largest range per call (default 5,000 blocks; see {@link logRangeOf}). */
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
