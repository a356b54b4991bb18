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

import { num, type IndexDb } from "./db.js";
import { NodeUnreachableError, type NodeWatch } from "./node-watch.js";

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

/** The key of a contract read in the `calls` table. */
function callKey(tx: { to?: string | null; data?: string | null }): string | undefined {
  if (typeof tx.to !== "string" || typeof tx.data !== "string") return undefined;
  return `${tx.to.toLowerCase()}:${tx.data.toLowerCase()}`;
}

/**
 * A block of the index as a JSON-RPC block (without transactions): the index keeps its number, hash,
 * parent and time, which is what the project's read functions use; the rest is zero.
 */
async function indexedBlockAnswer(db: IndexDb, tag: unknown): Promise<Record<string, unknown> | undefined> {
  if (typeof tag !== "string" || !/^0x[0-9a-f]+$/i.test(tag)) return undefined;
  const b = await db
    .selectFrom("blocks")
    .selectAll()
    .where("number", "=", Number(BigInt(tag)))
    .executeTakeFirst();
  if (b === undefined) return undefined;
  const zero = "0x0";
  return {
    number: "0x" + b.number.toString(16),
    hash: b.hash,
    parentHash: b.parent_hash,
    timestamp: "0x" + num(b.timestamp).toString(16),
    nonce: "0x0000000000000000",
    difficulty: zero,
    gasLimit: zero,
    gasUsed: zero,
    miner: "0x0000000000000000000000000000000000000000",
    extraData: "0x",
    baseFeePerGas: null,
    transactions: [],
  };
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
  readonly #watch: NodeWatch | undefined;

  /**
   * With a `watch`, every node call has at most `NODE_TIMEOUT_MS` and none is made while the node is
   * unreachable; a contract read's answer is kept in the index (`calls`) and given back when the node
   * cannot be asked; block headers come from the index. Without one, requests go to the node as they are.
   */
  constructor(
    db: IndexDb,
    upstream: JsonRpcApiProvider,
    network: Network,
    indexedBlock: () => Promise<number>,
    watch?: NodeWatch,
  ) {
    super(network, { cacheTimeout: -1 });
    this.#db = db;
    this.#upstream = upstream;
    this.#indexedBlock = indexedBlock;
    this.#watch = watch;
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
        break;
    }
    const watch = this.#watch;
    if (watch === undefined) return (await this.#upstream._perform(req)) as T;
    if (req.method === "getBlock" && !req.includeTransactions && "blockTag" in req) {
      const block = await indexedBlockAnswer(this.#db, req.blockTag);
      if (block !== undefined) return block as T;
    }
    if (req.method !== "call") return await watch.call(() => this.#upstream._perform(req) as Promise<T>);
    const key = callKey(req.transaction);
    try {
      const result = await watch.call(() => this.#upstream._perform(req) as Promise<T>);
      if (key !== undefined && typeof result === "string") {
        const block = await this.#indexedBlock();
        await this.#db
          .insertInto("calls")
          .values({ key, result, block })
          .onConflict((oc) => oc.column("key").doUpdateSet({ result, block }))
          .execute();
      }
      return result;
    } catch (e) {
      if (!(e instanceof NodeUnreachableError) || key === undefined) throw e;
      const kept = await this.#db.selectFrom("calls").select("result").where("key", "=", key).executeTakeFirst();
      if (kept === undefined) throw e;
      return kept.result as T;
    }
  }
}
