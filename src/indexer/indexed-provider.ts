/**
 * An ethers provider that answers `eth_getLogs` and the block number from the index and passes
 * every other request (contract reads, blocks) to the node. Connect the deployment's contracts to
 * it and the project's own read functions (`batchHistory`, `traceDonation`, `buildReport`,
 * `programmeTree`...) run over the index unchanged: the CLI and the explorer compute the same
 * answers from the same code, the explorer without scanning the chain.
 */
import {
  AbstractProvider,
  getAddress,
  type JsonRpcApiProvider,
  type Network,
  type PerformActionFilter,
  type PerformActionRequest,
} from "ethers";

import type { IndexDb } from "./db.js";

/** A log as the JSON-RPC answer carries it, which ethers formats. */
interface RawLog {
  address: string;
  blockHash: string;
  blockNumber: number;
  data: string;
  index: number;
  removed: boolean;
  topics: string[];
  transactionHash: string;
  transactionIndex: number;
}

function blockOf(tag: string | undefined, latest: number, fallback: number): number {
  if (tag === undefined || tag === "latest" || tag === "safe" || tag === "finalized") return tag ? latest : fallback;
  if (tag === "earliest") return 0;
  if (tag === "pending") return latest;
  return Number(BigInt(tag));
}

/** The logs of the index that match an `eth_getLogs` filter, in chain order. */
export async function indexedLogs(db: IndexDb, filter: PerformActionFilter, latest: number): Promise<RawLog[]> {
  if ("blockHash" in filter && filter.blockHash !== undefined) {
    const block = await db
      .selectFrom("blocks")
      .select("number")
      .where("hash", "=", filter.blockHash)
      .executeTakeFirst();
    if (block === undefined) return [];
    return indexedLogs(
      db,
      { ...filter, blockHash: undefined, fromBlock: String(block.number), toBlock: String(block.number) } as never,
      latest,
    );
  }
  const f = filter as {
    address?: string | string[];
    topics?: (string | string[] | null)[];
    fromBlock?: string;
    toBlock?: string;
  };
  const from = blockOf(f.fromBlock, latest, latest);
  const to = Math.min(blockOf(f.toBlock, latest, latest), latest);
  let q = db
    .selectFrom("events")
    .select([
      "address",
      "block_hash",
      "block_number",
      "data",
      "log_index",
      "topic0",
      "topic1",
      "topic2",
      "topic3",
      "tx_hash",
      "tx_index",
    ])
    .where("block_number", ">=", from)
    .where("block_number", "<=", to);
  if (f.address !== undefined) {
    const list = (Array.isArray(f.address) ? f.address : [f.address]).map((a) => getAddress(a));
    q = q.where("address", "in", list);
  }
  const columns = ["topic0", "topic1", "topic2", "topic3"] as const;
  (f.topics ?? []).forEach((t, i) => {
    if (t === null || t === undefined || i > 3) return;
    const values = (Array.isArray(t) ? t : [t]).map((v) => v.toLowerCase());
    q = q.where(columns[i]!, "in", values);
  });
  const rows = await q.orderBy("block_number").orderBy("log_index").execute();
  return rows.map((r) => ({
    address: r.address,
    blockHash: r.block_hash,
    blockNumber: r.block_number,
    data: r.data,
    index: r.log_index,
    removed: false,
    topics: [r.topic0, r.topic1, r.topic2, r.topic3].filter((x): x is string => x !== null),
    transactionHash: r.tx_hash,
    transactionIndex: r.tx_index,
  }));
}

export class IndexedProvider extends AbstractProvider {
  /**
   * One `eth_getLogs` here is one SQL query over the index, whatever the range, so the project's
   * read functions ask for the whole chain at once instead of 5,000-block chunks (see `logRangeOf`).
   */
  readonly maxLogRange = Number.POSITIVE_INFINITY;
  readonly #db: IndexDb;
  readonly #upstream: JsonRpcApiProvider;
  readonly #indexedBlock: () => Promise<number>;

  constructor(db: IndexDb, upstream: JsonRpcApiProvider, network: Network, indexedBlock: () => Promise<number>) {
    super(network, { cacheTimeout: -1 });
    this.#db = db;
    this.#upstream = upstream;
    this.#indexedBlock = indexedBlock;
  }

  override async _detectNetwork(): Promise<Network> {
    return this.#upstream.getNetwork();
  }

  override async _perform<T = unknown>(req: PerformActionRequest): Promise<T> {
    switch (req.method) {
      case "getBlockNumber":
        return (await this.#indexedBlock()) as T;
      case "getLogs":
        return (await indexedLogs(this.#db, req.filter, await this.#indexedBlock())) as T;
      default:
        return (await this.#upstream._perform(req)) as T;
    }
  }
}
