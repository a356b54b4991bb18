/**
 * The indexer's JSON-RPC provider: ethers' JsonRpcProvider (batching, ids, error mapping) with the
 * HTTP exchange done by Node's built-in fetch (undici). ethers' own transport grows the response by
 * copying it for every chunk and decodes UTF-8 in JavaScript, which took half of a backfill's CPU time
 * on blocks full of batched donations (bench/RESULTS.md); here the body is read once and parsed by
 * `Response.json()`.
 */
import {
  JsonRpcProvider,
  type JsonRpcApiProviderOptions,
  type JsonRpcError,
  type JsonRpcPayload,
  type JsonRpcResult,
  type Networkish,
} from "ethers";

/** How long one HTTP exchange may take (ethers' default too). */
const TIMEOUT_MS = 300_000;

export class FetchJsonRpcProvider extends JsonRpcProvider {
  readonly #urls: readonly string[];
  /** The node answering now: the first that answered, kept until it fails. */
  #current = 0;

  /**
   * `url`: one node, or several nodes of the same chain: when the node in use cannot be reached or
   * answers with an HTTP error, the next one is asked (in order, round), so the explorer follows the
   * chain while one node is down. Blocks the nodes disagree on are the indexer's reorganisation case.
   */
  constructor(url: string | readonly string[], network?: Networkish, options?: JsonRpcApiProviderOptions) {
    const urls = typeof url === "string" ? [url] : url;
    if (urls.length === 0) throw new Error("FetchJsonRpcProvider needs at least one node URL");
    super(urls[0], network, options);
    this.#urls = urls;
  }

  /** The URL of the node in use. */
  get nodeUrl(): string {
    return this.#urls[this.#current]!;
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    let failure: Error | undefined;
    for (let tried = 0; tried < this.#urls.length; tried++) {
      const index = (this.#current + tried) % this.#urls.length;
      try {
        const results = await this.#exchange(this.#urls[index]!, payload);
        this.#current = index;
        return results;
      } catch (e) {
        failure ??= e as Error;
      }
    }
    throw failure!;
  }

  async #exchange(url: string, payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      // fetch says "fetch failed"; what happened (connect ECONNREFUSED 127.0.0.1:8545, …) is its cause.
      const cause = (e as { cause?: { message?: string } }).cause;
      throw new Error(cause?.message ?? (e as Error).message, { cause: e });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      throw new Error(`the node answered HTTP ${response.status} ${response.statusText}: ${text.slice(0, 200)}`);
    }
    // Error objects ({ id, error }) are among the results, as ethers' own transport returns them.
    const body = (await response.json()) as JsonRpcResult | JsonRpcError | (JsonRpcResult | JsonRpcError)[];
    return (Array.isArray(body) ? body : [body]) as JsonRpcResult[];
  }
}

/**
 * Batches of at most 100 requests, sent at once: the indexer's and the pages' node reads come in
 * sequential rounds, and ethers' default 10 ms wait before each round was most of a batch page's
 * time (bench/RESULTS.md, query cost).
 */
export const EXPLORER_RPC_OPTIONS = { batchMaxCount: 100, batchStallTime: 0 } as const;

/**
 * The explorer's provider for a node's URL, or for several nodes' URLs (failing over between them):
 * its network asked once, then fixed.
 */
export async function explorerRpc(url: string | readonly string[]): Promise<FetchJsonRpcProvider> {
  const probe = new FetchJsonRpcProvider(url);
  try {
    const network = await probe.getNetwork();
    return new FetchJsonRpcProvider(url, network, { ...EXPLORER_RPC_OPTIONS, staticNetwork: network });
  } finally {
    probe.destroy();
  }
}

/** `ZHIXIN_EXPLORER_RPC_URLS`: several nodes of the network, comma-separated, for the explorer to fail over between. */
export function explorerNodeUrls(): string[] | undefined {
  const urls = (process.env.ZHIXIN_EXPLORER_RPC_URLS ?? "")
    .split(",")
    .map((u) => u.trim())
    .filter((u) => u !== "");
  return urls.length > 0 ? urls : undefined;
}
