/**
 * The key service's storage: the append-only request log (a hash chain), the nonces seen, and the
 * anchors written on chain. Embedded PGlite in a folder by default (or in memory for tests); one
 * process owns it.
 *
 * Each log entry says who asked for how many keys when, never an ID number; its hash covers its
 * fields and the previous entry's hash, so the last hash (the head) commits to the whole log.
 * Anchoring the head on chain (KeyServiceAnchor) makes a later rewrite of any entry visible to
 * anyone holding the log: {@link verifyLog} recomputes the chain from the entries alone.
 */
import { PGlite } from "@electric-sql/pglite";
import { AbiCoder, ZeroHash, keccak256 } from "ethers";

import type { AnchorView, LogEntry } from "./protocol.js";

/** The fields of an entry that its hash covers, without the hash. */
export type EntryFields = Omit<LogEntry, "hash">;

/** The hash of an entry: keccak256 of its ABI-encoded fields, the previous head first. */
export function entryHash(e: EntryFields): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "uint256", "uint256", "address", "string", "uint256", "uint256", "string", "bytes32"],
      [e.previous, e.index, e.at, e.account, e.role, e.keys, e.households, e.keyVersion, e.bodyHash],
    ),
  );
}

/** Whether a log (entries from the first, in order) is an unbroken hash chain; its head and length. */
export function verifyLog(
  entries: readonly LogEntry[],
): { ok: true; head: string; count: number } | { ok: false; index: number; reason: string } {
  let previous = ZeroHash;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.index !== i + 1) return { ok: false, index: i + 1, reason: `entry ${i + 1} is numbered ${e.index}` };
    if (e.previous !== previous)
      return { ok: false, index: e.index, reason: `entry ${e.index} does not follow entry ${e.index - 1}` };
    if (entryHash(e) !== e.hash)
      return { ok: false, index: e.index, reason: `entry ${e.index} was changed after it was written` };
    previous = e.hash;
  }
  return { ok: true, head: previous, count: entries.length };
}

/** A request refused because its nonce was used already. */
export class ReplayedNonceError extends Error {
  constructor(readonly account: string) {
    super(`this request was sent before (its nonce is used): sign a new request`);
    this.name = "ReplayedNonceError";
  }
}

/** A request refused by the per-account limits; `retryAfter` in seconds. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message);
    this.name = "RateLimitedError";
  }
}

/** Per-account limits, counted from the log itself (so they hold across restarts). */
export interface Limits {
  /** Requests per account per minute. */
  readonly requestsPerMinute: number;
  /** Keys plus household hashes per account per hour. */
  readonly keysPerHour: number;
}

const rowToEntry = (r: Record<string, unknown>): LogEntry => ({
  index: Number(r.idx),
  at: Number(r.at),
  account: String(r.account),
  role: String(r.role),
  keys: Number(r.keys),
  households: Number(r.households),
  keyVersion: String(r.key_version),
  bodyHash: String(r.body_hash),
  previous: String(r.previous),
  hash: String(r.hash),
});

/** The storage of one key service. */
export class KeyServiceStore {
  /** Appends are serialised: each reads the head it chains on. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: PGlite) {}

  /** Opens (creating) the store in `dir`, or in memory when `dir` is undefined. */
  static async open(dir?: string): Promise<KeyServiceStore> {
    const db = dir !== undefined ? new PGlite(dir) : new PGlite();
    await db.exec(`
      CREATE TABLE IF NOT EXISTS log (
        idx integer PRIMARY KEY, at bigint NOT NULL, account text NOT NULL, role text NOT NULL,
        keys integer NOT NULL, households integer NOT NULL, key_version text NOT NULL,
        body_hash text NOT NULL, previous text NOT NULL, hash text NOT NULL);
      CREATE INDEX IF NOT EXISTS log_account_at ON log (account, at);
      CREATE TABLE IF NOT EXISTS nonces (
        account text NOT NULL, nonce text NOT NULL, at bigint NOT NULL, PRIMARY KEY (account, nonce));
      CREATE TABLE IF NOT EXISTS anchors (
        count integer PRIMARY KEY, head text NOT NULL, tx_hash text NOT NULL, at bigint NOT NULL);
      -- Append-only: the database itself refuses to change or remove an entry.
      CREATE OR REPLACE FUNCTION log_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'the key service log is append-only'; END $$ LANGUAGE plpgsql;
      DROP TRIGGER IF EXISTS log_append_only ON log;
      CREATE TRIGGER log_append_only BEFORE UPDATE OR DELETE ON log
        FOR EACH ROW EXECUTE FUNCTION log_append_only();
    `);
    return new KeyServiceStore(db);
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    await this.db.close();
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f, f);
    this.queue = run.catch(() => {});
    return run;
  }

  /** The head (zero when empty) and the number of entries. */
  async head(): Promise<{ head: string; count: number }> {
    const r = await this.db.query<{ idx: number; hash: string }>("SELECT idx, hash FROM log ORDER BY idx DESC LIMIT 1");
    const last = r.rows[0];
    return last === undefined ? { head: ZeroHash, count: 0 } : { head: last.hash, count: Number(last.idx) };
  }

  /** Entries `from`..`to` (1-based, inclusive), in order. */
  async entries(from = 1, to = 2_147_483_647): Promise<LogEntry[]> {
    const r = await this.db.query<Record<string, unknown>>(
      "SELECT * FROM log WHERE idx >= $1 AND idx <= $2 ORDER BY idx",
      [from, to],
    );
    return r.rows.map(rowToEntry);
  }

  /**
   * Claims the nonce, checks the account's limits and appends the entry, all or nothing: a replayed
   * nonce or an account over its limits leaves the log as it was.
   */
  async append(e: Omit<EntryFields, "index" | "previous">, nonce: string, limits: Limits): Promise<LogEntry> {
    return this.serial(async () => {
      const seen = await this.db.query("SELECT 1 FROM nonces WHERE account = $1 AND nonce = $2", [e.account, nonce]);
      if (seen.rows.length > 0) throw new ReplayedNonceError(e.account);

      const minute = await this.db.query<{ n: number; first: string | null }>(
        "SELECT count(*)::int AS n, min(at)::text AS first FROM log WHERE account = $1 AND at > $2",
        [e.account, e.at - 60_000],
      );
      const m = minute.rows[0]!;
      if (m.n >= limits.requestsPerMinute) {
        const retry = Math.max(1, Math.ceil((Number(m.first) + 60_000 - e.at) / 1000));
        throw new RateLimitedError(
          `${e.account} sent ${m.n} requests in the last minute, the most the key service takes: retry in ${retry} s`,
          retry,
        );
      }
      const hour = await this.db.query<{ n: number; first: string | null }>(
        "SELECT coalesce(sum(keys + households), 0)::int AS n, min(at)::text AS first FROM log WHERE account = $1 AND at > $2",
        [e.account, e.at - 3_600_000],
      );
      const h = hour.rows[0]!;
      const asked = e.keys + e.households;
      if (h.n + asked > limits.keysPerHour) {
        const retry = h.first === null ? 3600 : Math.max(1, Math.ceil((Number(h.first) + 3_600_000 - e.at) / 1000));
        throw new RateLimitedError(
          `${e.account} asked for ${h.n} keys in the last hour; ${asked} more would pass the limit of ${limits.keysPerHour} an hour: retry in ${retry} s, or ask the service's operator for a higher limit`,
          retry,
        );
      }

      const { head, count } = await this.head();
      const fields: EntryFields = { ...e, index: count + 1, previous: head };
      const entry: LogEntry = { ...fields, hash: entryHash(fields) };
      await this.db.transaction(async (tx) => {
        await tx.query("INSERT INTO nonces (account, nonce, at) VALUES ($1, $2, $3)", [e.account, nonce, e.at]);
        await tx.query(
          "INSERT INTO log (idx, at, account, role, keys, households, key_version, body_hash, previous, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
          [
            entry.index,
            entry.at,
            entry.account,
            entry.role,
            entry.keys,
            entry.households,
            entry.keyVersion,
            entry.bodyHash,
            entry.previous,
            entry.hash,
          ],
        );
      });
      return entry;
    });
  }

  /** Forgets nonces older than `before` (ms): requests that old are refused by their timestamp anyway. */
  async pruneNonces(before: number): Promise<void> {
    await this.db.query("DELETE FROM nonces WHERE at < $1", [before]);
  }

  async recordAnchor(a: AnchorView): Promise<void> {
    await this.db.query(
      "INSERT INTO anchors (count, head, tx_hash, at) VALUES ($1, $2, $3, $4) ON CONFLICT (count) DO NOTHING",
      [a.count, a.head, a.txHash, a.at],
    );
  }

  async anchors(): Promise<AnchorView[]> {
    const r = await this.db.query<{ count: number; head: string; tx_hash: string; at: string }>(
      "SELECT count, head, tx_hash, at::text AS at FROM anchors ORDER BY count",
    );
    return r.rows.map((x) => ({ count: Number(x.count), head: x.head, txHash: x.tx_hash, at: Number(x.at) }));
  }
}
