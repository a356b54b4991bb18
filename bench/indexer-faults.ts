/**
 * The indexer under node faults: `npx hardhat explorer` (the indexer and its API, as an operator runs it)
 * backfills a chain of N donations in small ranges; when its progress passes a kill point the node
 * (Anvil) is killed with SIGKILL, and started again on the same port and data a few seconds later.
 * The explorer is left alone: it must carry on by itself once the node is back, or, when it has
 * stopped, the operator runs it again. Its index is then compared with a reference index built
 * without faults: events lost, doubled and different are counted (goal 0, 0 and 0).
 *
 * The chain is not written to during the backfill and its state is dumped every second, so a
 * restarted node holds every block: whatever the explorer misses is its own fault.
 *   tsx bench/indexer-faults.ts [--quick]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { freePort } from "../src/dev/anvil.js";
import { dumpIndex, openIndexDb } from "../src/indexer/db.js";
import { startBenchChain, run, type Run } from "./lib/chain.js";
import { importBenchDonations, openBenchProject } from "./lib/donations.js";
import { QUICK, ROOT, writeResult } from "./lib/common.js";

const DONATIONS = QUICK ? 2_000 : 10_000;
const BATCH = 20; // donations per transaction: a block each, so the backfill has many ranges to be killed between
const RANGE = 25; // blocks per eth_getLogs call of the explorer under test
const KILL_POINTS = QUICK ? [0.3, 0.7] : [0.2, 0.4, 0.6, 0.8];
const DOWN_MS = 3_000; // how long the node stays down
const CATCH_UP_MS = 120_000; // after the restart, the explorer must have caught up within this

const started = Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chain = await startBenchChain(Math.floor(Math.random() * 100), 1);
await rm(join(ROOT, "deploy/deployments", `chain-${chain.chainId}`), { recursive: true, force: true });
const work = await mkdtemp(join(tmpdir(), "zhixin-bench-indexer-faults-"));

type Row = Record<string, unknown>;
const key = (e: Row) => `${String(e.block_number)}:${String(e.log_index)}`;
const text = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" || typeof x === "number" ? String(x) : x));

async function dump(dir: string) {
  const db = await openIndexDb({ dir });
  try {
    return await dumpIndex(db);
  } finally {
    await db.destroy();
  }
}

try {
  const deployed = await chain.hardhat(["run", "scripts/deploy-local.ts"]);
  if (deployed.code !== 0) throw new Error(`deploy failed:\n${deployed.stderr}`);
  const provider = chain.provider();
  await openBenchProject(chain, "BENCH-FAULTS");
  await importBenchDonations(chain, {
    dir: work,
    code: "BENCH-FAULTS",
    prefix: "FAULT",
    from: 0,
    to: DONATIONS,
    batchSize: BATCH,
  });
  const head = await provider.getBlockNumber();
  await sleep(3_000); // two state dumps: a restarted node has every block
  console.log(`chain ${chain.chainId}: ${DONATIONS} donations, head block ${head}`);

  // The reference: the same backfill with nothing going wrong.
  const referenceDir = join(work, "reference");
  const ref = await run("npx", ["tsx", "bench/lib/index-once.ts", chain.url(), referenceDir], chain.env(), ROOT).done;
  if (ref.code !== 0) throw new Error(`reference index failed:\n${ref.stderr}`);
  const reference = await dump(referenceDir);
  const referenceRows = new Map((reference.events as Row[]).map((e) => [key(e), text(e)]));
  console.log(`reference index: ${reference.events.length} events`);

  const runs = [];
  for (const point of KILL_POINTS) {
    const dir = join(work, `faulty-${point}`);
    const port = await freePort();
    const args = ["explorer", "--db", dir, "--port", String(port), "--range", String(RANGE), "--poll", "300"];
    let indexedTo = 0;
    let killedAt: number | undefined;
    let paused = false;
    const starts: Run[] = [];
    const t0 = Date.now();

    const launch = () => {
      const p = chain.spawnHardhat(args);
      let buffer = "";
      p.child.stdout!.on("data", (b: Buffer) => {
        buffer += b.toString();
        for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          const m = /^indexed blocks (\d+)-(\d+) of (\d+)/.exec(line);
          if (m !== null) {
            indexedTo = Math.max(indexedTo, Number(m[2]));
          }
          if (/indexing paused/.test(line)) paused = true;
        }
      });
      return p;
    };
    let p = launch();
    // Kill the node once the backfill passes the kill point.
    while (killedAt === undefined) {
      const ended = await Promise.race([p.done, sleep(20).then(() => undefined)]);
      if (ended !== undefined) throw new Error(`the explorer stopped before the kill point:\n${ended.stderr}`);
      if (indexedTo >= point * head) {
        killedAt = indexedTo;
        await chain.kill();
      }
    }
    await sleep(DOWN_MS);
    const stoppedWhileDown = await Promise.race([p.done, sleep(10).then(() => undefined)]);
    await chain.start();
    // The explorer carries on by itself; if it has stopped, the operator runs it again.
    let reran = 0;
    if (stoppedWhileDown !== undefined) {
      starts.push(stoppedWhileDown);
      p = launch();
      reran++;
    }
    let caughtUp = false;
    const deadline = Date.now() + CATCH_UP_MS;
    while (Date.now() < deadline) {
      const status = await fetch(`http://127.0.0.1:${port}/api/status`)
        .then(async (r) => (r.ok ? ((await r.json()) as { indexedBlock: number }) : undefined))
        .catch(() => undefined);
      if (status !== undefined && status.indexedBlock >= head) {
        caughtUp = true;
        break;
      }
      const ended = await Promise.race([p.done, sleep(200).then(() => undefined)]);
      if (ended !== undefined) {
        starts.push(ended);
        if (reran >= 3) break;
        p = launch();
        reran++;
      }
    }
    p.kill();
    await p.done;
    const seconds = (Date.now() - t0) / 1000;

    const faulty = await dump(dir);
    const seen = new Map<string, number>();
    let different = 0;
    for (const e of faulty.events as Row[]) {
      const k = key(e);
      seen.set(k, (seen.get(k) ?? 0) + 1);
      const r = referenceRows.get(k);
      if (r !== undefined && r !== text(e)) different++;
    }
    const lost = [...referenceRows.keys()].filter((k) => !seen.has(k)).length;
    const doubled = [...seen.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
    const extra = [...seen.keys()].filter((k) => !referenceRows.has(k)).length;
    const identical = text(faulty) === text(reference);
    const result = {
      killPoint: point,
      killedAtBlock: killedAt,
      head,
      pausedMessage: paused,
      reran,
      caughtUp,
      seconds: Number(seconds.toFixed(1)),
      events: faulty.events.length,
      lost,
      doubled,
      different,
      extra,
      identical,
      stderr: starts.map((s) => s.stderr.trim().split("\n").pop() ?? "").filter((l) => l !== ""),
    };
    runs.push(result);
    console.log(
      `kill at ${Math.round(point * 100)} % (block ${killedAt} of ${head}): ${caughtUp ? "caught up" : "DID NOT catch up"} ` +
        `${reran === 0 ? "by itself" : `after ${reran} re-run(s)`}; lost ${lost}, doubled ${doubled}, different ${different}, ` +
        `identical to the reference: ${identical}`,
    );
    await rm(dir, { recursive: true, force: true });
  }
  await writeResult("indexer-faults", started, {
    how:
      `\`npx hardhat explorer --range ${RANGE}\` backfilling ${DONATIONS.toLocaleString("en-US")} donations (${BATCH} per block) from Anvil; ` +
      `the node is killed (SIGKILL) when the backfill passes the kill point and started again on the same port ${DOWN_MS / 1000} s later`,
    donations: DONATIONS,
    referenceEvents: reference.events.length,
    runs,
    met: runs.every((r) => r.caughtUp && r.lost === 0 && r.doubled === 0 && r.different === 0 && r.identical),
  });
} finally {
  await chain.dispose();
  await rm(work, { recursive: true, force: true });
}
