/**
 * Counters for bench/query.ts: how many SQL queries an answer makes and how many JSON-RPC requests
 * it sends to the node, with the time spent in each (summed per request; requests sent together
 * overlap), so a figure can be explained rather than only read.
 */
import {
  JsonRpcProvider,
  type JsonRpcApiProviderOptions,
  type JsonRpcPayload,
  type JsonRpcResult,
  type Networkish,
} from "ethers";
import {
  CompiledQuery,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";

import { FetchJsonRpcProvider } from "../../src/indexer/rpc.js";

/** The slowest statement of an answer, with the plan PostgreSQL chose for it. */
export interface SlowestSql {
  sql: string;
  parameters: string[];
  ms: number;
  /** `EXPLAIN ANALYZE` of the statement, run again right after. */
  plan: string[];
}

/** Counts the queries of a Kysely instance (`db.withPlugin(counter)`) while `counting`. */
export class SqlCounter implements KyselyPlugin {
  counting = false;
  queries = 0;
  ms = 0;
  slowest: { query: CompiledQuery; ms: number } | undefined;
  readonly #started = new WeakMap<QueryId, { t0: number; query: CompiledQuery }>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: only raw statements are run
  readonly #db: Kysely<any>;

  /** `db`: the instance without the plugin (to compile the statements and explain them). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.counting) {
      this.queries++;
      const query = this.#db.getExecutor().compileQuery(args.node, args.queryId);
      this.#started.set(args.queryId, { t0: performance.now(), query });
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const s = this.#started.get(args.queryId);
    if (s !== undefined) {
      const ms = performance.now() - s.t0;
      this.ms += ms;
      if (this.slowest === undefined || ms > this.slowest.ms) this.slowest = { query: s.query, ms };
    }
    return args.result;
  }

  /** The slowest statement counted, explained (EXPLAIN ANALYZE runs it once more). */
  async explainSlowest(): Promise<SlowestSql | undefined> {
    const s = this.slowest;
    if (s === undefined) return undefined;
    const r = await this.#db.executeQuery<Record<string, string>>(
      CompiledQuery.raw(`EXPLAIN ANALYZE ${s.query.sql}`, [...s.query.parameters]),
    );
    return {
      sql: s.query.sql,
      parameters: s.query.parameters.map(String),
      ms: Math.round(s.ms * 10) / 10,
      plan: r.rows.map((row) => Object.values(row)[0] ?? ""),
    };
  }
}

/** What {@link probe} reads from a provider. */
export interface Counted {
  counting: boolean;
  requests: number;
  ms: number;
  readonly methods: Map<string, number>;
}

async function counted(
  c: Counted,
  payload: JsonRpcPayload | JsonRpcPayload[],
  send: () => Promise<JsonRpcResult[]>,
): Promise<JsonRpcResult[]> {
  const t0 = performance.now();
  try {
    return await send();
  } finally {
    if (c.counting) {
      const list = Array.isArray(payload) ? payload : [payload];
      c.requests += list.length;
      for (const p of list) c.methods.set(p.method, (c.methods.get(p.method) ?? 0) + 1);
      c.ms += performance.now() - t0;
    }
  }
}

/** ethers' plain JsonRpcProvider, counting the requests it sends (a batch counts each of its requests). */
export class CountingProvider extends JsonRpcProvider implements Counted {
  counting = false;
  requests = 0;
  ms = 0;
  readonly methods = new Map<string, number>();

  constructor(url: string, network: Networkish, options?: JsonRpcApiProviderOptions) {
    super(url, network, options);
  }

  override _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    return counted(this, payload, () => super._send(payload));
  }
}

/** The explorer's and indexer's provider (src/indexer/rpc.ts: HTTP through Node's fetch), counting likewise. */
export class CountingFetchProvider extends FetchJsonRpcProvider implements Counted {
  counting = false;
  requests = 0;
  ms = 0;
  readonly methods = new Map<string, number>();

  constructor(url: string, network: Networkish, options?: JsonRpcApiProviderOptions) {
    super(url, network, options);
  }

  override _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    return counted(this, payload, () => super._send(payload));
  }
}

export interface Breakdown {
  totalMs: number;
  sqlQueries: number;
  sqlMs: number;
  nodeRequests: number;
  nodeMs: number;
  nodeMethods: Record<string, number>;
  slowestSql?: SlowestSql;
}

/** Runs `fn` once with the counters on. */
export async function probe(fn: () => Promise<unknown>, node: Counted, sql?: SqlCounter): Promise<Breakdown> {
  node.requests = 0;
  node.ms = 0;
  node.methods.clear();
  node.counting = true;
  if (sql !== undefined) {
    sql.queries = 0;
    sql.ms = 0;
    sql.slowest = undefined;
    sql.counting = true;
  }
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    node.counting = false;
    if (sql !== undefined) sql.counting = false;
  }
  const r = (x: number) => Math.round(x * 10) / 10;
  const totalMs = r(performance.now() - t0);
  const slowestSql = await sql?.explainSlowest();
  return {
    totalMs,
    sqlQueries: sql?.queries ?? 0,
    sqlMs: r(sql?.ms ?? 0),
    nodeRequests: node.requests,
    nodeMs: r(node.ms),
    nodeMethods: Object.fromEntries([...node.methods].sort()),
    ...(slowestSql !== undefined ? { slowestSql } : {}),
  };
}
