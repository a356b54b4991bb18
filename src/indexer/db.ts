/**
 * The indexer's database: embedded PGlite (PostgreSQL compiled to WebAssembly, in a folder, no
 * set-up) by default, a PostgreSQL server when `DATABASE_URL` is set. Both speak the same SQL,
 * so one schema, one set of migrations (Kysely's Migrator) and one typed query builder (Kysely)
 * serve both.
 */
import { mkdir } from "node:fs/promises";

import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import { Migrator, type Migration, type MigrationProvider } from "kysely/migration";
import pg from "pg";

/** Key-value facts of the index: chain id, the cursor. */
export interface MetaTable {
  key: string;
  value: string;
}

/** Blocks that hold at least one indexed event. */
export interface BlocksTable {
  number: number;
  hash: string;
  parent_hash: string;
  timestamp: string;
  tx_count: number;
}

/** Transactions to the deployment's contracts that emitted events, with their decoded call. */
export interface TransactionsTable {
  hash: string;
  block_number: number;
  tx_index: number;
  from_address: string;
  to_address: string;
  contract: string;
  function_name: string;
  selector: string;
  /** Decoded arguments as JSON text. */
  args: string;
  event_count: number;
}

/** Every event of the deployment's contracts: raw (for `eth_getLogs` answers) and decoded. */
export interface EventsTable {
  block_number: number;
  log_index: number;
  block_hash: string;
  tx_hash: string;
  tx_index: number;
  address: string;
  contract: string;
  event_name: string;
  topic0: string;
  topic1: string | null;
  topic2: string | null;
  topic3: string | null;
  data: string;
  /** Decoded arguments as JSON text. */
  args: string;
}

/** Every 32-byte value an event carries outside its topics (document hashes, commitments, lot codes). */
export interface RefsTable {
  value: string;
  block_number: number;
  log_index: number;
  /** The argument's path, e.g. `evidenceHash` or `context.evidenceHash`. */
  field: string;
}

/**
 * The node's answers to the contract reads the pages make (a batch's state, a disbursement's
 * confirmation, a programme's balances), kept so that a page can answer from the index while the node
 * is down. `key` is the call (`to:data`); `block` is the indexed block when the node answered.
 */
export interface CallsTable {
  key: string;
  result: string;
  block: number;
}

export interface IndexSchema {
  meta: MetaTable;
  calls: CallsTable;
  blocks: BlocksTable;
  transactions: TransactionsTable;
  events: EventsTable;
  refs: RefsTable;
}

export type IndexDb = Kysely<IndexSchema>;

/** The migrations, in order. Never edit a released one: add the next. */
const MIGRATIONS: Record<string, Migration> = {
  "0001_initial": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("meta")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("blocks")
        .addColumn("number", "integer", (c) => c.primaryKey())
        .addColumn("hash", "text", (c) => c.notNull())
        .addColumn("parent_hash", "text", (c) => c.notNull())
        .addColumn("timestamp", "bigint", (c) => c.notNull())
        .addColumn("tx_count", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("transactions")
        .addColumn("hash", "text", (c) => c.primaryKey())
        .addColumn("block_number", "integer", (c) => c.notNull())
        .addColumn("tx_index", "integer", (c) => c.notNull())
        .addColumn("from_address", "text", (c) => c.notNull())
        .addColumn("to_address", "text", (c) => c.notNull())
        .addColumn("contract", "text", (c) => c.notNull())
        .addColumn("function_name", "text", (c) => c.notNull())
        .addColumn("selector", "text", (c) => c.notNull())
        .addColumn("args", "text", (c) => c.notNull())
        .addColumn("event_count", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("transactions_order")
        .on("transactions")
        .columns(["block_number", "tx_index"])
        .execute();
      await db.schema
        .createIndex("transactions_from")
        .on("transactions")
        .columns(["from_address", "block_number", "tx_index"])
        .execute();
      await db.schema
        .createTable("events")
        .addColumn("block_number", "integer", (c) => c.notNull())
        .addColumn("log_index", "integer", (c) => c.notNull())
        .addColumn("block_hash", "text", (c) => c.notNull())
        .addColumn("tx_hash", "text", (c) => c.notNull())
        .addColumn("tx_index", "integer", (c) => c.notNull())
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("contract", "text", (c) => c.notNull())
        .addColumn("event_name", "text", (c) => c.notNull())
        .addColumn("topic0", "text", (c) => c.notNull())
        .addColumn("topic1", "text")
        .addColumn("topic2", "text")
        .addColumn("topic3", "text")
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("args", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("events_pk", ["block_number", "log_index"])
        .execute();
      await db.schema.createIndex("events_topic1").on("events").columns(["topic1", "block_number"]).execute();
      await db.schema.createIndex("events_topic2").on("events").columns(["topic2", "block_number"]).execute();
      await db.schema.createIndex("events_topic3").on("events").columns(["topic3", "block_number"]).execute();
      await db.schema.createIndex("events_kind").on("events").columns(["topic0", "block_number"]).execute();
      await db.schema.createIndex("events_tx").on("events").column("tx_hash").execute();
      await db.schema
        .createTable("refs")
        .addColumn("value", "text", (c) => c.notNull())
        .addColumn("block_number", "integer", (c) => c.notNull())
        .addColumn("log_index", "integer", (c) => c.notNull())
        .addColumn("field", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("refs_value").on("refs").columns(["value", "block_number"]).execute();
      await db.schema.createIndex("refs_block").on("refs").column("block_number").execute();
    },
  },
  /** A contract's page counts and lists the transactions sent to it. */
  "0002_transactions_to": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex("transactions_to")
        .on("transactions")
        .columns(["to_address", "block_number", "tx_index"])
        .execute();
    },
  },
  "0003_calls": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("calls")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("result", "text", (c) => c.notNull())
        .addColumn("block", "integer", (c) => c.notNull())
        .execute();
    },
  },
};

class InCodeMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/** Where the index lives: a PostgreSQL URL, or a folder for embedded PGlite, or memory. */
export interface IndexLocation {
  /** `postgres://…`; wins over `dir`. */
  readonly url?: string;
  /** Folder of the embedded database; memory when absent. */
  readonly dir?: string;
}

/** Describes a location for people (the URL without its password). */
export function describeLocation(l: IndexLocation): string {
  if (l.url !== undefined) return l.url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
  return l.dir !== undefined ? `PGlite in ${l.dir}` : "PGlite in memory";
}

/**
 * PGlite's buffer cache. PostgreSQL's default, 128 MB, lives inside PGlite's WebAssembly memory,
 * which never shrinks, and PGlite starts with it touched: 16 MB cut the explorer's RSS once the
 * index is open by about 110 MB and its backfill peak by about as much, at the same rate (bench/
 * RESULTS.md, "Indexer backfill"). The index's files stay in the operating system's page cache,
 * which gives the memory back when it is wanted elsewhere.
 */
export const PGLITE_SHARED_BUFFERS = "16MB";

/** Opens the index database and brings its schema up to date. */
export async function openIndexDb(location: IndexLocation): Promise<IndexDb> {
  let db: IndexDb;
  if (location.url !== undefined) {
    db = new Kysely<IndexSchema>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: location.url, max: 4 }) }),
    });
  } else {
    if (location.dir !== undefined) await mkdir(location.dir, { recursive: true });
    const options = { startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`] };
    const pglite = location.dir !== undefined ? new PGlite(location.dir, options) : new PGlite(options);
    db = new Kysely<IndexSchema>({ dialect: new PGliteDialect({ pglite }) });
  }
  try {
    await migrate(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return db;
}

/** Applies the pending migrations; throws with the failing migration's name. */
export async function migrate(db: IndexDb): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeMigrations(), migrationTableName: "zhixin_migrations" });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error !== undefined || failed !== undefined) {
    throw new Error(
      `migrating the index database failed${failed ? ` at ${failed.migrationName}` : ""}: ${(error as Error | undefined)?.message ?? "unknown error"}`,
    );
  }
  return (results ?? []).map((r) => r.migrationName);
}

export async function getMeta(db: IndexDb, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

export async function setMeta(db: Kysely<IndexSchema>, key: string, value: string): Promise<void> {
  await db
    .insertInto("meta")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/** Every row of every table in a fixed order: what the restart test compares. */
export async function dumpIndex(db: IndexDb) {
  return {
    meta: await db.selectFrom("meta").selectAll().orderBy("key").execute(),
    blocks: await db.selectFrom("blocks").selectAll().orderBy("number").execute(),
    transactions: await db.selectFrom("transactions").selectAll().orderBy("block_number").orderBy("tx_index").execute(),
    events: await db.selectFrom("events").selectAll().orderBy("block_number").orderBy("log_index").execute(),
    refs: await db
      .selectFrom("refs")
      .selectAll()
      .orderBy("block_number")
      .orderBy("log_index")
      .orderBy("field")
      .orderBy("value")
      .execute(),
  };
}

/** int8 columns come back as strings from `pg` and as bigint from PGlite. */
export function num(v: string | number | bigint): number {
  return Number(v);
}

export { sql };
