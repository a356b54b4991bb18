/**
 * Child process of bench/indexer.ts: catches one index up with the chain and prints, as one JSON
 * line, how many events it wrote, how long the catch-up took and the process's peak memory
 * (maxRSS) and its RSS once the database is open, so that the figures cover the indexer alone, not
 * the benchmark that made the data.
 * With `--create` it only creates the (empty) database and reports that step's peak: PGlite runs
 * initdb in WebAssembly the first time, which costs more memory than the indexing itself.
 *   node [V8 flags] --import tsx bench/lib/index-once.ts <rpc url> <dir or postgres url> [--create]
 */
import { loadDeployment } from "../../src/deployment.js";
import { openIndexDb } from "../../src/indexer/db.js";
import { Indexer } from "../../src/indexer/indexer.js";
import { explorerRpc } from "../../src/indexer/rpc.js";

const [url, where, flag] = process.argv.slice(2);
if (url === undefined || where === undefined)
  throw new Error("usage: index-once.ts <rpc url> <dir | postgres url> [--create]");
const location = where.startsWith("postgres") ? { url: where } : { dir: where };
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

if (flag === "--create") {
  const t0 = performance.now();
  const db = await openIndexDb(location);
  await db.destroy();
  console.log(
    JSON.stringify({ events: 0, seconds: (performance.now() - t0) / 1000, maxRssMb: peakMb(), openRssMb: 0 }),
  );
} else {
  const provider = await explorerRpc(url); // as `hardhat explorer` makes it
  const deployment = await loadDeployment(provider);
  const db = await openIndexDb(location);
  const indexer = new Indexer({ db, provider, deployment });
  await indexer.init();
  const openRssMb = rssMb();
  const t0 = performance.now();
  const events = await indexer.catchUp();
  const seconds = (performance.now() - t0) / 1000;
  console.error(`indexed to block ${await indexer.indexedBlock()} of ${indexer.head}`);
  await db.destroy();
  provider.destroy();
  console.log(JSON.stringify({ events, seconds, maxRssMb: peakMb(), openRssMb }));
}
