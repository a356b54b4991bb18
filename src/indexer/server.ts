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
import { NodeUnreachableError, NodeWatch, isNodeFailure, withTimeout } from "./node-watch.js";
import { IndexViews } from "./views/chain.js";
import { warmPages } from "./warm.js";
import type { VerificationReporter } from "../verification/report.js";

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
  /** API requests per minute per client address (see `ApiOptions.rateLimit`). */
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
  /** Whether the node answers, as the pages see it. */
  readonly watch: NodeWatch;
  /**
   * The highest block whose records' pages have been computed once with the node's answers kept in
   * the index (-1 before the first round): up to it, every page can answer with the node down.
   */
  readonly warmedBlock: () => number;
  /** Stops following, closes the server and the database. */
  close(): Promise<void>;
}

/** Wipes an index (for `--reset`). */
export async function resetIndex(location: IndexLocation): Promise<void> {
  const db = await openIndexDb(location);
  try {
    await db.transaction().execute(async (tx) => {
      for (const t of ["calls", "refs", "events", "transactions", "blocks", "meta"] as const)
        await tx.deleteFrom(t).execute();
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
    const watch = new NodeWatch(o.provider);
    const views = new IndexViews(db, indexer, o.provider, o.deployment, watch);
    const verification = keptVerification(verificationReporter(o.provider, { ...o.deployment.addresses }), watch);
    const app = await buildApi(views, {
      explorerDir: o.explorerDir ?? EXPLORER_DIST,
      ...(o.rateLimit !== undefined ? { rateLimit: o.rateLimit } : {}),
      verification,
    });
    const address = await app.listen({ host: o.host ?? "127.0.0.1", port: o.port ?? 0 });
    const following = indexer
      .follow(abort.signal, o.pollMs ?? 1_000)
      .catch((e: Error) => log(`indexing stopped: ${e.message}`));
    let warmed = -1;
    const watching = (async () => {
      while (!abort.signal.aborted) {
        await watch.probe();
        const indexed = await indexer.indexedBlock().catch(() => warmed);
        if (watch.reachable && indexed > warmed) {
          try {
            const failures = watch.failures;
            // The contracts page's check, kept from the first round on (it recompiles metadata: not awaited).
            if (warmed === -1) verification.report().catch(() => {});
            await warmPages(views, warmed + 1, indexed);
            // A page computed with a kept answer (the node failed half-way) is computed again next round.
            if (watch.failures === failures) warmed = indexed;
          } catch (e) {
            if (!abort.signal.aborted) log(`keeping pages' node answers: ${(e as Error).message}`);
          }
        }
        await new Promise((r) => setTimeout(r, o.pollMs ?? 1_000));
      }
    })();
    return {
      url: address.replace("[::1]", "localhost"),
      db,
      indexer,
      views,
      watch,
      warmedBlock: () => warmed,
      async close() {
        abort.abort();
        await following;
        await watching;
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

/**
 * The contracts page's verification with its last report kept: while the node is unreachable, or when a
 * new check takes longer than the pages' node time-out (it also recompiles metadata), the last report is
 * given (its `checkedAt` says when); none yet: the check is waited for while the node answers, else the
 * node-unreachable error.
 */
function keptVerification(inner: VerificationReporter, watch: NodeWatch): VerificationReporter {
  let last: Awaited<ReturnType<VerificationReporter["report"]>> | undefined;
  return {
    async report() {
      if (watch.reachable) {
        const checking = inner.report().then((r) => (last = r));
        checking.catch(() => {}); // a check given up on below may still fail later
        try {
          return last === undefined ? await checking : await withTimeout(checking);
        } catch (e) {
          if (!(e instanceof NodeUnreachableError) && !isNodeFailure(e)) throw e;
          if (!(e instanceof NodeUnreachableError)) watch.mark(false);
        }
      }
      if (last !== undefined) return last;
      throw new NodeUnreachableError();
    },
    source: (contract, file) => inner.source(contract, file),
  };
}
