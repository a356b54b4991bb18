/**
 * Sends a contract write the way every Zhixin Ledger tool does: simulate it first (so a refusal
 * costs nothing and comes back as the decoded revert, a `ChainRefusal`), then send it as a legacy transaction
 * and wait for it to be mined.
 */
import { isError, type ContractTransactionResponse, type Provider, type TransactionReceipt } from "ethers";

import { TransactionForgottenError, confirmationDepth, confirmed, type LegacyOverrides } from "./chain.js";
import { chainRefusalOf } from "./contracts.js";
import { LedgerError } from "./errors.js";

/** How long a sent transaction may wait to be mined before the tool stops waiting (`ZHIXIN_TX_TIMEOUT_S`, default 120 s). */
export function txTimeoutMs(): number {
  const s = Number(process.env.ZHIXIN_TX_TIMEOUT_S ?? 120);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 120_000;
}

/**
 * Why nothing gets final, when the chain itself stopped: it seals on a timer, yet its latest block is older
 * than the time waited (a proof-of-authority network with too few validators running seals nothing).
 * Undefined otherwise.
 */
async function stalledChain(provider: Provider, waitedMs: number): Promise<string | undefined> {
  const head = await provider.getBlock("latest").catch(() => null);
  if (head === null) return undefined;
  const age = Math.floor(Date.now() / 1000) - head.timestamp;
  if (age * 1000 < waitedMs) return undefined;
  // Only a chain that seals on a timer (empty blocks among its last ones: Clique, QBFT) has stopped;
  // a node that mines a block per transaction (Anvil, Hardhat) is idle between them by design.
  const recent = await Promise.all(
    [1, 2, 3, 4, 5]
      .filter((i) => head.number - i >= 0)
      .map((i) => provider.getBlock(head.number - i).catch(() => null)),
  );
  if (!recent.some((b) => b !== null && b.transactions.length === 0)) return undefined;
  return `the chain has made no block for ${age} s (its latest is block ${head.number}), so too few validators are sealing, and it waits in the node's pool until they are back`;
}

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

/** Simulates, then sends `method(...args)` with the legacy overrides; a revert comes back decoded ({@link ChainRefusal}). */
export async function sendChecked<M extends WriteMethod>(
  method: M,
  args: Parameters<M["send"]>,
  overrides: LegacyOverrides,
): Promise<Sent<Awaited<ReturnType<M["staticCall"]>>>> {
  const call = [...args, overrides];
  try {
    const result = (await method.staticCall(...call)) as Awaited<ReturnType<M["staticCall"]>>;
    const tx = await method.send(...call);
    const timeout = txTimeoutMs();
    const receipt = await confirmed(tx, timeout).catch(async (e: unknown) => {
      // A node that died after accepting the transaction may come back without it: never wait forever.
      const again = "Run the same command again; what is already on chain is not written twice";
      if (isError(e, "TIMEOUT")) {
        const stalled = await stalledChain(tx.provider, timeout);
        if (stalled !== undefined)
          throw new LedgerError(
            `transaction ${tx.hash} is not final: ${stalled} (running the same command again never writes twice)`,
          );
        const mined = /was mined in block (\d+)/.exec((e as Error).message)?.[1];
        throw new LedgerError(
          mined === undefined
            ? `transaction ${tx.hash} was not mined within ${timeout / 1000} s: the node may have stopped or restarted. ${again}`
            : `transaction ${tx.hash} was mined in block ${mined} but not buried under ${confirmationDepth()} blocks within ${timeout / 1000} s: the node may have stopped or restarted. ${again}`,
        );
      }
      if (e instanceof TransactionForgottenError) throw new LedgerError(`${e.message}. ${again}`);
      throw e;
    });
    return { result, receipt };
  } catch (e) {
    throw chainRefusalOf(e) ?? e;
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
