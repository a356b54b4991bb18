/**
 * Whether the node answers, as the explorer's pages need to know it. Pages answer from the index;
 * the node is asked only for the head and for the few contract reads a page makes (whose answers the
 * index keeps, see `IndexedProvider`). Every node call made for a page gets at most
 * {@link NODE_TIMEOUT_MS}; once one fails, the node counts as unreachable and the pages stop asking it
 * (answering from the index under a banner) until a probe gets an answer again.
 */
import type { JsonRpcApiProvider } from "ethers";

/** The longest a page waits for the node, per call. */
export const NODE_TIMEOUT_MS = 3_000;

/** The node did not answer (refused, timed out, an HTTP error): what the API reports as `node-unreachable`. */
export class NodeUnreachableError extends Error {
  readonly code = "node-unreachable";
  constructor(readonly detail?: string) {
    super("the blockchain node is not reachable; the page's data is not in the index yet");
  }
}

/** `work`, or a {@link NodeUnreachableError} after `ms`. */
export function withTimeout<T>(work: Promise<T>, ms: number = NODE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NodeUnreachableError(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * True for a failure to reach the node (connection refused or reset, a time-out, an HTTP error), false
 * for an answer of the node (a revert, a JSON-RPC error).
 */
export function isNodeFailure(e: unknown): boolean {
  if (e instanceof NodeUnreachableError) return true;
  const err = e as { code?: string; message?: string; shortMessage?: string; cause?: unknown };
  if (err.code === "CALL_EXCEPTION" || err.code === "INVALID_ARGUMENT" || err.code === "BAD_DATA") return false;
  if (err.code === "NETWORK_ERROR" || err.code === "TIMEOUT" || err.code === "SERVER_ERROR") return true;
  const text = `${err.shortMessage ?? ""} ${err.message ?? ""}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|socket|fetch failed|timeout|timed out|terminated|the node answered HTTP|other side closed|UND_ERR/i.test(
    text,
  );
}

export class NodeWatch {
  #reachable = true;
  #since = Date.now();
  #probing: Promise<void> | undefined;
  #failures = 0;

  constructor(readonly upstream: JsonRpcApiProvider) {}

  /** Whether the node answered the last call made to it. */
  get reachable(): boolean {
    return this.#reachable;
  }

  /** When the node last changed between reachable and unreachable (ms since the epoch). */
  get since(): number {
    return this.#since;
  }

  /** How many node calls have failed so far (a round of work that saw none used only fresh answers). */
  get failures(): number {
    return this.#failures;
  }

  /** Records the outcome of a call to the node. */
  mark(reachable: boolean): void {
    if (!reachable) this.#failures++;
    if (reachable === this.#reachable) return;
    this.#reachable = reachable;
    this.#since = Date.now();
  }

  /** Asks the node its block number (at most {@link NODE_TIMEOUT_MS}); records the outcome. */
  probe(): Promise<void> {
    this.#probing ??= withTimeout(this.upstream.send("eth_blockNumber", []))
      .then(
        () => this.mark(true),
        () => this.mark(false),
      )
      .finally(() => (this.#probing = undefined));
    return this.#probing;
  }

  /**
   * A node call made for a page: skipped at once (a {@link NodeUnreachableError}) while the node is
   * unreachable, else given {@link NODE_TIMEOUT_MS}; a failure to reach the node marks it unreachable.
   */
  async call<T>(work: () => Promise<T>): Promise<T> {
    if (!this.#reachable) throw new NodeUnreachableError("the node did not answer the last probe");
    try {
      const out = await withTimeout(work());
      this.mark(true);
      return out;
    } catch (e) {
      if (isNodeFailure(e)) {
        this.mark(false);
        throw new NodeUnreachableError((e as Error).message);
      }
      throw e;
    }
  }
}
