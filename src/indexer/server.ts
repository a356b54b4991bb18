/**
 * The explorer service in one piece: open the index database, catch up with the chain, serve
 * the API and the built explorer, and keep following the chain until closed. `npx hardhat
 * explorer`, `npm run demo` and the tests start it the same way.
 */
import { fileURLToPath } from "node:url";

import type { JsonRpcApiProvider } from "ethers";

import type { Deployment } from "../deployment.js";
import { verificationReporter } from "../verification/report.js";
import { buildApi } from "./api.js";
import { describeLocation, openIndexDb, type IndexDb, type IndexLocation } from "./db.js";
import { Indexer, type IndexProgress } from "./indexer.js";
import { IndexViews } from "./views/chain.js";

/** Where `npm run explorer:build` writes the explorer. */
export const EXPLORER_DIST = fileURLToPath(new URL("../../explorer/dist", import.meta.url));

export interface ExplorerOptions {
  readonly provider: JsonRpcApiProvider;
  readonly deployment: Deployment;
  readonly location: IndexLocation;
  /** 127.0.0.1 unless told otherwise. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly explorerDir?: string;
  readonly rateLimit?: number;
  /** Milliseconds between polls of the node (default 1,000). */
  readonly pollMs?: number;
  readonly fromBlock?: number;
  /** Blocks per `eth_getLogs` call (at most 5,000). */
  readonly range?: number;
  readonly onProgress?: (p: IndexProgress) => void;
  readonly log?: (line: string) => void;
}

export interface RunningExplorer {
  readonly url: string;
  readonly db: IndexDb;
  readonly indexer: Indexer;
  readonly views: IndexViews;
  /** Stops following, closes the server and the database. */
  close(): Promise<void>;
}

/** Wipes an index (for `--reset`). */
export async function resetIndex(location: IndexLocation): Promise<void> {
  const db = await openIndexDb(location);
  try {
    await db.transaction().execute(async (tx) => {
      for (const t of ["refs", "events", "transactions", "blocks", "meta"] as const) await tx.deleteFrom(t).execute();
    });
  } finally {
    await db.destroy();
  }
}

export async function startExplorer(o: ExplorerOptions): Promise<RunningExplorer> {
  const log = o.log ?? (() => {});
  const db = await openIndexDb(o.location);
  const abort = new AbortController();
  try {
    const indexer = new Indexer({
      db,
      provider: o.provider,
      deployment: o.deployment,
      ...(o.fromBlock !== undefined ? { fromBlock: o.fromBlock } : {}),
      ...(o.range !== undefined ? { range: o.range } : {}),
      ...(o.onProgress !== undefined ? { onProgress: o.onProgress } : {}),
      log,
    });
    await indexer.init();
    log(`index: ${describeLocation(o.location)}, ${indexer.identity}`);
    // A node restarted during a long backfill is waited for, not the end of the explorer.
    const written = await indexer.catchUpPatiently(abort.signal, o.pollMs ?? 1_000);
    log(`caught up to block ${await indexer.indexedBlock()} (${written} new events)`);
    const views = new IndexViews(db, indexer, o.provider, o.deployment);
    const app = await buildApi(views, {
      explorerDir: o.explorerDir ?? EXPLORER_DIST,
      ...(o.rateLimit !== undefined ? { rateLimit: o.rateLimit } : {}),
      verification: verificationReporter(o.provider, { ...o.deployment.addresses }),
    });
    const address = await app.listen({ host: o.host ?? "127.0.0.1", port: o.port ?? 0 });
    const following = indexer
      .follow(abort.signal, o.pollMs ?? 1_000)
      .catch((e: Error) => log(`indexing stopped: ${e.message}`));
    return {
      url: address.replace("[::1]", "localhost"),
      db,
      indexer,
      views,
      async close() {
        abort.abort();
        await following;
        await app.close();
        await db.destroy();
      },
    };
  } catch (e) {
    abort.abort();
    await db.destroy();
    throw e;
  }
}
