import { join } from "node:path";
import { fileURLToPath } from "node:url";

import cliProgress from "cli-progress";
import { BrowserProvider, type JsonRpcApiProvider } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { loadDeployment } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { describeLocation, openIndexDb, type IndexLocation } from "../../src/indexer/db.js";
import { IndexMismatchError, Indexer } from "../../src/indexer/indexer.js";
import { explorerNodeUrls, explorerRpc } from "../../src/indexer/rpc.js";
import { resetIndex, startExplorer } from "../../src/indexer/server.js";
import { runTask } from "../common.js";

export interface ExplorerArgs {
  db: string;
  host: string;
  port: number;
  rateLimit: number;
  fromBlock: number;
  poll: number;
  range: number;
  reset: boolean;
  once: boolean;
}

const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** A JSON-RPC provider that batches requests: straight to the URL for HTTP networks. */
async function rpcProvider(hre: HardhatRuntimeEnvironment): Promise<JsonRpcApiProvider> {
  const connection = await hre.network.getOrCreate();
  const { networkConfig } = connection;
  if (networkConfig.type === "http") {
    return explorerRpc(explorerNodeUrls() ?? (await networkConfig.url.getUrl()));
  }
  return new BrowserProvider(connection.provider);
}

/** The V8 flag the explorer runs PGlite under, and its negation, which keeps V8's defaults. */
const LIFTOFF_ONLY = "--liftoff-only";
const V8_DEFAULTS = "--no-liftoff-only";

/**
 * Replaces this process (same process id, same arguments, same terminal) with a Node started with
 * `--liftoff-only`, for an index in PGlite, when the explorer was started from the command line.
 * With V8's defaults, its optimising compiler (TurboFan) compiles one large PGlite WebAssembly
 * function once the backfill makes it hot: a few seconds and about 600 MB for that moment, the
 * larger part of the backfill's peak; with the baseline compiler only (Liftoff) PGlite indexes at
 * the same rate (bench/RESULTS.md, "Indexer backfill"). V8 reads its flags when Node starts and
 * Node refuses them in NODE_OPTIONS, hence a new process image rather than a flag set from here.
 * `node --no-liftoff-only node_modules/.bin/hardhat explorer …` keeps V8's defaults. Returns only
 * when nothing is to be done.
 */
function restartUnderLiftoff(): void {
  if (process.execve === undefined) return;
  if (process.execArgv.includes(LIFTOFF_ONLY) || process.execArgv.includes(V8_DEFAULTS)) return;
  // Run as `hardhat explorer …`; a task run from code (a test, a script) stays in its process.
  if (!process.argv.slice(2).includes("explorer")) return;
  console.log(
    `restarting Node with ${LIFTOFF_ONLY} (V8's baseline WebAssembly compiler: PGlite's backfill peaks at half the memory; ${V8_DEFAULTS} keeps V8's defaults)`,
  );
  process.execve(process.execPath, [process.execPath, LIFTOFF_ONLY, ...process.execArgv, ...process.argv.slice(1)]);
}

export default async function (args: ExplorerArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    if (args.port < 0 || args.port > 65_535) throw new LedgerError(`--port must be 0..65535, got ${args.port}`);
    if (args.rateLimit < 0)
      throw new LedgerError(`--rate-limit must be at least 1 (0: the default), got ${args.rateLimit}`);
    if (args.range < 1 || args.range > 5_000)
      throw new LedgerError(`--range must be 1..5000 blocks, got ${args.range}`);
    if (args.fromBlock < 0) throw new LedgerError(`--from-block must not be negative, got ${args.fromBlock}`);
    const url = process.env.DATABASE_URL;
    if (url === undefined || url === "") restartUnderLiftoff();
    const provider = await rpcProvider(hre);
    const deployment = await loadDeployment(provider);
    const location: IndexLocation =
      url !== undefined && url !== ""
        ? { url }
        : { dir: args.db !== "" ? args.db : join(PROJECT_DIR, ".zhixin", "index", `chain-${deployment.chainId}`) };
    if (args.reset) {
      await resetIndex(location);
      console.log(`emptied the index (${describeLocation(location)})`);
    }

    const bar = new cliProgress.SingleBar(
      { format: "indexing |{bar}| block {value}/{total} · {events} events · {eta_formatted} left", etaBuffer: 20 },
      cliProgress.Presets.shades_classic,
    );
    let events = 0;
    let started = false;
    const tty = process.stdout.isTTY === true;
    const onProgress = (p: { from: number; to: number; head: number; events: number }) => {
      events += p.events;
      if (!tty) {
        console.log(`indexed blocks ${p.from}-${p.to} of ${p.head}: ${p.events} events`);
        return;
      }
      if (!started) {
        bar.start(p.head, p.to, { events });
        started = true;
      }
      bar.setTotal(p.head);
      bar.update(p.to, { events });
      if (p.to >= p.head) {
        bar.stop();
        started = false;
      }
    };
    const log = (line: string) => console.log(line);

    try {
      if (args.once) {
        const db = await openIndexDb(location);
        try {
          const indexer = new Indexer({
            db,
            provider,
            deployment,
            fromBlock: args.fromBlock,
            range: args.range,
            onProgress,
            log,
          });
          await indexer.init();
          const written = await indexer.catchUp();
          console.log(
            `index at block ${await indexer.indexedBlock()}: ${written} new events (${describeLocation(location)})`,
          );
        } finally {
          await db.destroy();
        }
        return;
      }
      const explorer = await startExplorer({
        provider,
        deployment,
        location,
        host: args.host,
        port: args.port,
        ...(args.rateLimit > 0 ? { rateLimit: args.rateLimit } : {}),
        pollMs: args.poll,
        range: args.range,
        fromBlock: args.fromBlock,
        onProgress,
        log,
      });
      console.log(`\nExplorer 浏览器: ${explorer.url}/\nAPI: ${explorer.url}/api/openapi.json\nCtrl-C to stop`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await explorer.close();
    } catch (e) {
      if (e instanceof IndexMismatchError) throw new LedgerError(e.message);
      if ((e as NodeJS.ErrnoException).code === "EADDRINUSE")
        throw new LedgerError(`port ${args.port} on ${args.host} is in use: choose another with --port`);
      throw e;
    } finally {
      provider.destroy();
    }
  });
}
