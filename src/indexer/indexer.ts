/**
 * The indexer: follows the chain over JSON-RPC and stores every event of the deployment's
 * contracts, the transactions that emitted them (decoded calls) and their blocks.
 *
 * - Logs are read with `eth_getLogs` over at most 5,000 blocks a call (consortium nodes refuse
 *   larger ranges), retried with back-off.
 * - Each range is written in one database transaction together with the cursor (last block read
 *   and its hash), so a crash or a kill at any point leaves the index at a range boundary and a
 *   restart continues from there: nothing lost, nothing doubled. A range with more than a few
 *   thousand events is written in pieces of whole blocks, each in a transaction with its cursor,
 *   so that the blocks and rows held at once do not grow with the chain's density.
 * - Before each pass the cursor's block hash is compared with the node's: when the node was
 *   reset or the chain reorganised, the blocks above the last one that still matches are dropped
 *   and read again.
 */
import { toQuantity, type JsonRpcApiProvider } from "ethers";

import { MAX_LOG_RANGE, queryInChunks } from "../chain.js";
import type { Deployment } from "../deployment.js";
import {
  CallDecoder,
  LogDecoder,
  bytes32Refs,
  checksummed,
  deploymentContracts,
  jsonArgs,
  type IndexedContract,
} from "./decode.js";
import {
  getMeta,
  setMeta,
  sql,
  type BlocksTable,
  type EventsTable,
  type IndexDb,
  type RefsTable,
  type TransactionsTable,
} from "./db.js";

/** A raw block as `eth_getBlockByNumber` answers (the fields used). */
interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  transactions: {
    hash: string;
    from: string;
    to: string | null;
    input: string;
    value: string;
    transactionIndex: string;
  }[];
}

/** A raw log as `eth_getLogs` answers (hex numbers). */
interface RpcLog {
  address: string;
  blockHash: string;
  blockNumber: string;
  data: string;
  logIndex: string;
  topics: string[];
  transactionHash: string;
  transactionIndex: string;
}

/** A log with its numbers read. */
type ReadLog = Omit<RpcLog, "blockNumber" | "transactionIndex"> & {
  blockNumber: number;
  index: number;
  transactionIndex: number;
};

/** The logs of a range of blocks, in the chain's order, and the blocks that hold them (and `to`). */
interface ReadRange {
  readonly from: number;
  readonly to: number;
  readonly logs: ReadLog[];
  readonly blocks: Map<number, RpcBlock>;
}

/** Progress of a pass, after each range. */
export interface IndexProgress {
  readonly from: number;
  readonly to: number;
  readonly head: number;
  /** Events written by this range. */
  readonly events: number;
}

export interface IndexerOptions {
  readonly db: IndexDb;
  /** JSON-RPC provider of the node (requests made together are sent as one batch). */
  readonly provider: JsonRpcApiProvider;
  readonly deployment: Deployment;
  /** First block to read (the deployment's first block; 0 by default). */
  readonly fromBlock?: number;
  /** Most blocks per `eth_getLogs` call, at most 5,000 (fewer where the chain is dense). */
  readonly range?: number;
  readonly onProgress?: (p: IndexProgress) => void;
  readonly log?: (line: string) => void;
  /** Fewest new events after which the planner statistics are refreshed (default 10,000). */
  readonly analyzeAfter?: number;
  /** Events after which a range is cut (at a block boundary) into another transaction (default 2,000). */
  readonly eventsPerWrite?: number;
}

/** The index was built for another chain or deployment. */
export class IndexMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IndexMismatchError";
  }
}

const ROWS_PER_INSERT = 500;
/**
 * Events a range is written in pieces of (whole blocks, so a block with more stays one piece). A
 * range of 20,000 events written at once peaked at about 470 MB with PGlite; in pieces of 2,000,
 * with calls sized for `EVENTS_PER_CALL`, the same catch-up peaks at about 400 MB at the same rate
 * (bench/RESULTS.md, "Indexer backfill").
 */
const EVENTS_PER_WRITE = 2_000;
/** Events an `eth_getLogs` call is sized for once the chain's density is known (see `#adaptSpan`). */
const EVENTS_PER_CALL = 4_000;
/** Blocks of the first `eth_getLogs` call of an indexer, before it knows the chain's density. */
const FIRST_SPAN = 100;
/** Fewest new events after which the planner statistics are refreshed (see `#analyzeIfGrown`). */
const ANALYZE_AFTER_ROWS = 10_000;

export class Indexer {
  readonly db: IndexDb;
  readonly provider: JsonRpcApiProvider;
  readonly contracts: IndexedContract[];
  readonly #byAddress: Map<string, IndexedContract & { decoder: LogDecoder; calls: CallDecoder }>;
  readonly #range: number;
  /** Blocks of the next `eth_getLogs` call: at most `#range`, fewer where the chain is dense. */
  #span: number;
  /** Events written by this indexer since it was made (a catch-up cut short counts what it wrote). */
  #written = 0;
  /** Events written since the planner statistics were last refreshed, and the events counted then. */
  #sinceAnalyze = 0;
  #analyzedRows = 0;
  readonly #analyzeAfter: number;
  readonly #eventsPerWrite: number;
  readonly #from: number;
  readonly #chainId: bigint;
  readonly #onProgress?: (p: IndexProgress) => void;
  readonly #log: (line: string) => void;
  #head = -1;

  constructor(o: IndexerOptions) {
    this.db = o.db;
    this.provider = o.provider;
    this.contracts = deploymentContracts(o.deployment);
    this.#byAddress = new Map(
      this.contracts.map((c) => [
        c.address.toLowerCase(),
        { ...c, decoder: new LogDecoder(c.iface), calls: new CallDecoder(c.iface) },
      ]),
    );
    this.#range = Math.min(o.range ?? MAX_LOG_RANGE, MAX_LOG_RANGE);
    if (this.#range < 1) throw new Error(`the log range must be at least 1 block, got ${o.range}`);
    this.#span = Math.min(this.#range, FIRST_SPAN);
    this.#from = o.fromBlock ?? 0;
    this.#chainId = o.deployment.chainId;
    this.#onProgress = o.onProgress;
    this.#log = o.log ?? (() => {});
    this.#analyzeAfter = o.analyzeAfter ?? ANALYZE_AFTER_ROWS;
    this.#eventsPerWrite = o.eventsPerWrite ?? EVENTS_PER_WRITE;
    if (this.#eventsPerWrite < 1) throw new Error(`eventsPerWrite must be at least 1, got ${o.eventsPerWrite}`);
  }

  /** What the index was built for: `chain 750: OrgRegistry=0x…,…`. */
  get identity(): string {
    const parts = this.contracts.map((c) => `${c.name}=${c.address}`).sort();
    return `chain ${this.#chainId}: ${parts.join(",")}`;
  }

  /** Records what the index is for, or refuses an index made for another chain or deployment. */
  async init(): Promise<void> {
    const recorded = await getMeta(this.db, "identity");
    if (recorded === undefined) {
      await setMeta(this.db, "identity", this.identity);
      await setMeta(this.db, "cursor", String(this.#from - 1));
      await setMeta(this.db, "cursor_hash", "");
    } else if (recorded !== this.identity) {
      throw new IndexMismatchError(
        `this index holds ${recorded}, not ${this.identity}: give another database (--db or DATABASE_URL), or --reset to start it again`,
      );
    }
  }

  /** The last block read into the index (-1 before the first). */
  async indexedBlock(): Promise<number> {
    return Number((await getMeta(this.db, "cursor")) ?? "-1");
  }

  /** The node's latest block when last asked. */
  get head(): number {
    return this.#head;
  }

  /** Reads every block up to the node's latest; returns the events written. */
  async catchUp(signal?: AbortSignal): Promise<number> {
    await this.#rewindIfChanged();
    this.#head = await this.provider.getBlockNumber();
    const before = this.#written;
    const read = (from: number): Promise<ReadRange> | undefined => {
      if (from > this.#head || signal?.aborted === true) return undefined;
      const reading = this.#readRange(from, Math.min(this.#head, from + this.#span - 1));
      reading.catch(() => {}); // awaited below, unless the write before it failed
      return reading;
    };
    let next = read((await this.indexedBlock()) + 1);
    while (next !== undefined && signal?.aborted !== true) {
      const range = await next;
      const { from, to } = range;
      this.#adaptSpan(range);
      // The node answers the next range while this one is written.
      next = read(to + 1);
      const events = await this.#writeRange(range);
      this.#written += events;
      await this.#analyzeIfGrown(events);
      this.#onProgress?.({ from, to, head: this.#head, events });
    }
    return this.#written - before;
  }

  /**
   * Sizes the next `eth_getLogs` call from the last one's density, for about `EVENTS_PER_CALL`
   * events (a node's answer is held whole): at once smaller where the chain is dense, at most twice
   * as large where it is sparse, never more than the range the indexer was given. The density is
   * the range's, or that of its last tenth where that is denser: a range whose blocks fill up
   * towards its end (a chain coming into use) is followed by as dense a range.
   */
  #adaptSpan({ from, to, logs }: ReadRange): void {
    const blocks = to - from + 1;
    const tail = Math.max(1, Math.floor(blocks / 10));
    const first = logs.findIndex((l) => l.blockNumber > to - tail);
    const density = Math.max(logs.length / blocks, first < 0 ? 0 : (logs.length - first) / tail);
    const fit = density === 0 ? this.#range : Math.floor(EVENTS_PER_CALL / density);
    this.#span = Math.max(1, Math.min(this.#range, this.#span * 2, fit));
  }

  /**
   * Refreshes the database's planner statistics once the events grew by a tenth (at least 10,000
   * rows) since the last time. PGlite runs no autovacuum: without statistics, the planner read every
   * donation to find one by id: 1.8 s with a million events in the query bench recorded without it
   * (commit af760ac), 12.6 ms with it (bench/RESULTS.md, "Query cost growth").
   */
  async #analyzeIfGrown(events: number): Promise<void> {
    this.#sinceAnalyze += events;
    if (this.#sinceAnalyze < Math.max(this.#analyzeAfter, this.#analyzedRows / 10)) return;
    await sql`analyze`.execute(this.db);
    this.#analyzedRows += this.#sinceAnalyze;
    this.#sinceAnalyze = 0;
  }

  /**
   * Catches up like {@link catchUp}, but a node that stops answering (killed, restarted, a network
   * cut) is waited for with back-off, reported once, instead of ending the catch-up: a long backfill
   * goes on from the last indexed block when the node is back. Returns the events written, or early
   * when `signal` aborts. An index made for another chain or deployment is still an error.
   */
  async catchUpPatiently(signal: AbortSignal, intervalMs = 1_000): Promise<number> {
    const before = this.#written;
    let failing = false;
    let wait = intervalMs;
    while (!signal.aborted) {
      try {
        await this.catchUp(signal);
        if (failing) this.#log("the node answers again; indexing goes on");
        break;
      } catch (e) {
        if (e instanceof IndexMismatchError) throw e;
        if (!failing) this.#log(`indexing paused: ${(e as Error).message}; retrying`);
        failing = true;
        wait = Math.min(wait * 2, 15_000);
      }
      await sleep(wait, signal);
    }
    return this.#written - before;
  }

  /**
   * Follows the chain until `signal` aborts: catches up, waits `intervalMs`, again. A node that
   * stops answering is retried with back-off (reported once), never the end of the process.
   */
  async follow(signal: AbortSignal, intervalMs = 1_000): Promise<void> {
    while (!signal.aborted) {
      await this.catchUpPatiently(signal, intervalMs);
      await sleep(intervalMs, signal);
    }
  }

  async #rewindIfChanged(): Promise<void> {
    const cursor = await this.indexedBlock();
    if (cursor < this.#from) return;
    const hash = await getMeta(this.db, "cursor_hash");
    const block = (await this.provider.send("eth_getBlockByNumber", [toQuantity(cursor), false])) as RpcBlock | null;
    if (block !== null && block.hash === hash) return;

    // Find the highest indexed block the node still has.
    const stored = await this.db.selectFrom("blocks").select(["number", "hash"]).orderBy("number", "desc").execute();
    let keep = this.#from - 1;
    let keepHash = "";
    for (let i = 0; i < stored.length; i += 50) {
      const slice = stored.slice(i, i + 50);
      const found = await Promise.all(
        slice.map(
          (b) => this.provider.send("eth_getBlockByNumber", [toQuantity(b.number), false]) as Promise<RpcBlock | null>,
        ),
      );
      const match = slice.findIndex((b, j) => found[j]?.hash === b.hash);
      if (match >= 0) {
        keep = slice[match]!.number;
        keepHash = slice[match]!.hash;
        break;
      }
    }
    this.#log(
      `the chain changed under the index (node reset or reorganisation) above block ${keep}: dropping the blocks indexed above it and reading them again`,
    );
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom("calls").where("block", ">", keep).execute();
      await tx.deleteFrom("refs").where("block_number", ">", keep).execute();
      await tx.deleteFrom("events").where("block_number", ">", keep).execute();
      await tx.deleteFrom("transactions").where("block_number", ">", keep).execute();
      await tx.deleteFrom("blocks").where("number", ">", keep).execute();
      await setMeta(tx, "cursor", String(keep));
      await setMeta(tx, "cursor_hash", keepHash);
    });
  }

  async #readRange(from: number, to: number): Promise<ReadRange> {
    const address = this.contracts.map((c) => c.address);
    // Raw answers: ethers' Log objects cost more to build than everything else the indexer does.
    const raw = await queryInChunks(
      (a, b) =>
        this.provider.send("eth_getLogs", [{ address, fromBlock: toQuantity(a), toBlock: toQuantity(b) }]) as Promise<
          RpcLog[]
        >,
      from,
      to,
      { chunk: this.#range },
    );
    const logs = raw
      .map((l) => ({
        ...l,
        blockNumber: Number(l.blockNumber),
        index: Number(l.logIndex),
        transactionIndex: Number(l.transactionIndex),
      }))
      // Nodes answer in this order; a piece must hold whole blocks.
      .sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
    const numbers = [...new Set([...logs.map((l) => l.blockNumber), to])];
    const blocks = new Map<number, RpcBlock>();
    for (let i = 0; i < numbers.length; i += 200) {
      const part = numbers.slice(i, i + 200);
      const got = await Promise.all(
        part.map((n) => this.provider.send("eth_getBlockByNumber", [toQuantity(n), true]) as Promise<RpcBlock | null>),
      );
      got.forEach((b, j) => {
        if (b === null) throw new Error(`the node does not know block ${part[j]} any more (reorganised?)`);
        blocks.set(part[j]!, b);
      });
    }
    return { from, to, logs, blocks };
  }

  /** Writes a range's logs in pieces of whole blocks, each with the cursor at its end; the last at `to`. */
  async #writeRange({ logs, to, blocks }: ReadRange): Promise<number> {
    let written = 0;
    let piece: ReadLog[] = [];
    for (let i = 0; i < logs.length; i++) {
      const log = logs[i]!;
      piece.push(log);
      const next = logs[i + 1];
      if (piece.length >= this.#eventsPerWrite && next !== undefined && next.blockNumber !== log.blockNumber) {
        written += await this.#write(piece, log.blockNumber, blocks);
        piece = [];
      }
    }
    return written + (await this.#write(piece, to, blocks));
  }

  /** Writes the events of a piece of a range, its transactions and blocks, and the cursor at `to`. */
  async #write(logs: ReadLog[], to: number, range: Map<number, RpcBlock>): Promise<number> {
    const blocks = new Map<number, RpcBlock>();
    for (const n of [...logs.map((l) => l.blockNumber), to]) blocks.set(n, range.get(n)!);

    const eventRows: EventsTable[] = [];
    const refRows: RefsTable[] = [];
    const eventsPerTx = new Map<string, number>();
    for (const log of logs) {
      const contract = this.#byAddress.get(log.address.toLowerCase())!;
      const parsed = contract.decoder.decode(log.topics, log.data);
      const row: EventsTable = {
        block_number: log.blockNumber,
        log_index: log.index,
        block_hash: log.blockHash,
        tx_hash: log.transactionHash,
        tx_index: log.transactionIndex,
        address: contract.address,
        contract: contract.name,
        event_name: parsed?.name ?? "unknown",
        topic0: log.topics[0] ?? "0x",
        topic1: log.topics[1] ?? null,
        topic2: log.topics[2] ?? null,
        topic3: log.topics[3] ?? null,
        data: log.data,
        args: parsed ? JSON.stringify(jsonArgs(parsed.inputs, parsed.values)) : "{}",
      };
      eventRows.push(row);
      if (parsed !== undefined) {
        for (const r of bytes32Refs(parsed.inputs, parsed.values)) {
          refRows.push({ value: r.value, field: r.field, block_number: log.blockNumber, log_index: log.index });
        }
      }
      eventsPerTx.set(log.transactionHash, (eventsPerTx.get(log.transactionHash) ?? 0) + 1);
    }

    const blockRows: BlocksTable[] = [];
    const txRows: TransactionsTable[] = [];
    const withLogs = new Set(logs.map((l) => l.blockNumber));
    for (const [n, b] of blocks) {
      if (!withLogs.has(n)) continue;
      let count = 0;
      for (const t of b.transactions) {
        const events = eventsPerTx.get(t.hash);
        if (events === undefined) continue;
        count++;
        const to = t.to !== null ? this.#byAddress.get(t.to.toLowerCase()) : undefined;
        const call = to?.calls.decode(t.input, BigInt(t.value));
        txRows.push({
          hash: t.hash,
          block_number: n,
          tx_index: Number(t.transactionIndex),
          from_address: checksummed(t.from),
          to_address: t.to !== null ? checksummed(t.to) : "",
          contract: to?.name ?? "",
          function_name: call?.name ?? "",
          selector: t.input.slice(0, 10),
          args: JSON.stringify(call !== undefined ? jsonArgs(call.inputs, call.values) : {}),
          event_count: events,
        });
      }
      blockRows.push({
        number: n,
        hash: b.hash,
        parent_hash: b.parentHash,
        timestamp: BigInt(b.timestamp).toString(),
        tx_count: count,
      });
    }

    const last = blocks.get(to)!;
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < blockRows.length; i += ROWS_PER_INSERT)
        await tx
          .insertInto("blocks")
          .values(blockRows.slice(i, i + ROWS_PER_INSERT))
          .execute();
      for (let i = 0; i < txRows.length; i += ROWS_PER_INSERT)
        await tx
          .insertInto("transactions")
          .values(txRows.slice(i, i + ROWS_PER_INSERT))
          .execute();
      for (let i = 0; i < eventRows.length; i += ROWS_PER_INSERT)
        await tx
          .insertInto("events")
          .values(eventRows.slice(i, i + ROWS_PER_INSERT))
          .execute();
      for (let i = 0; i < refRows.length; i += ROWS_PER_INSERT)
        await tx
          .insertInto("refs")
          .values(refRows.slice(i, i + ROWS_PER_INSERT))
          .execute();
      await setMeta(tx, "cursor", String(to));
      await setMeta(tx, "cursor_hash", last.hash);
    });
    return eventRows.length;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
