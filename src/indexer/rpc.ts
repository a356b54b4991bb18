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
  readonly #url: string;

  constructor(url: string, network?: Networkish, options?: JsonRpcApiProviderOptions) {
    super(url, network, options);
    this.#url = url;
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    let response: Response;
    try {
      response = await fetch(this.#url, {
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

/** The explorer's provider for a node's URL: its network asked once, then fixed. */
export async function explorerRpc(url: string): Promise<FetchJsonRpcProvider> {
  const probe = new JsonRpcProvider(url);
  try {
    const network = await probe.getNetwork();
    return new FetchJsonRpcProvider(url, network, { ...EXPLORER_RPC_OPTIONS, staticNetwork: network });
  } finally {
    probe.destroy();
  }
}
