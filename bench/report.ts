/**
 * Writes bench/RESULTS.md from bench/results/*.json: every figure in it comes from a recorded run,
 * with the machine and date it ran on. A bench with no results is listed as not run.
 *
 *   tsx bench/report.ts
 */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { BENCH_DIR, type Machine, machine, readResult } from "./lib/common.js";
import type { Breakdown } from "./lib/query-probes.js";
import type { PageResult, RenderResults } from "./render.js";

interface Base {
  readonly machine: Machine;
  readonly seconds: number;
  readonly quick: boolean;
}
interface Floor {
  intrinsic: number;
  calldata: number;
  calldataBytes: number;
  logs: number;
  logCount: number;
  storage: number;
  refund: number;
  total: number;
}
interface Op {
  domain: string;
  op: string;
  per: number;
  txGas: number;
  gas: number;
  floor: Floor;
  floorPerOp: number;
  ratio: number;
  writesFormula: string;
  breakdown: {
    sstore: number;
    sstoreCount: number;
    sload: number;
    sloadCount: number;
    permissionHub: number;
    permissionCalls: number;
    logs: number;
    refund: number;
    other: number;
  };
  baseline?: { txGas: number; gas: number; times: number };
}
interface Gas extends Base {
  operations: Op[];
  capacity: { design: string; how: string; txGas: number; per: number; perBlock: number; perSecond: number }[];
  filledBlock: { sent: number; included: number; donations: number; blockGasUsed: number; blockGasLimit: number };
}
interface Audit {
  rows: number;
  onChain: number;
  lost: number;
  doubled: number;
  receiptMismatches: number;
  missingReceipts: number;
  receiptLinesDoubled?: number;
}
interface Cli extends Base {
  throughput: {
    rows: number;
    batch: number;
    cli: { seconds: number; recorded: number; rowsPerSecond: number };
    bare: { seconds: number; recorded: number; rowsPerSecond: number };
    cliShareOfBare: number;
  };
  faults: (Audit & {
    killAt: number;
    onChainAtKill: number;
    onChainAfterRestart: number;
    rolledBack: number;
    importExitedWhileNodeDown: boolean;
    importHung: boolean;
    importExit: number;
    importError: string;
    reruns: number;
    rerunExit: number;
  })[];
  concurrency: Audit & {
    importers: { exit: number; summary: string; error: string }[];
    beforeRerun: Audit;
    rerunExit: number;
    rerunSummary: string;
  };
}
interface Bad extends Base {
  cases: number;
  passed: number;
  results: {
    command: string;
    input: string;
    exit: number;
    clear: boolean;
    blocksWritten: number;
    wroteFile: boolean;
    pass: boolean;
    message: string;
  }[];
}
interface Pii extends Base {
  domains: string[];
  blocks: number;
  transactionInputs: number;
  logPartsScanned: number;
  bytesScanned: number;
  demoTexts: number;
  hits: unknown[];
  sampleFiles: string[];
  sampleFileHits: unknown[];
  control: Record<string, number>;
}
interface Static extends Base {
  solhint: {
    command: string;
    exitCode: number;
    files: number;
    issues: number;
    securityIssues: number;
    securityRules: { rule: string; level: string }[];
    offRules: string[];
  };
  push0: {
    deployed: { name: string; bytes: number; push0: number }[];
    artifacts: { name: string; push0: number }[];
    baselinesParis: { name: string; push0: number }[];
    controlShanghai: { name: string; push0: number }[];
  };
}
interface Fuzz extends Base {
  profile: string;
  suites: {
    name: string;
    grep: string;
    points: { runs: number; seconds: number; tests?: number }[];
    secondsPerRun: number;
    fixedSeconds: number;
    estimatedSecondsAt10000: number;
    /** What `.ci/run` runs (the rest: a suite timed alone, for the record). */
    ci?: boolean;
  }[];
  /** What one CI run spends on the deep profile: all of it. */
  estimatedMinutes: number;
  ciStepLimitMinutes?: number;
  met?: boolean;
}

interface IndexerFaults extends Base {
  how: string;
  donations: number;
  referenceEvents: number;
  runs: {
    killPoint: number;
    killedAtBlock: number;
    head: number;
    pausedMessage: boolean;
    reran: number;
    caughtUp: boolean;
    seconds: number;
    events: number;
    lost: number;
    doubled: number;
    different: number;
    extra: number;
    identical: boolean;
    stderr: string[];
  }[];
  met: boolean;
}

const n = (x: number) => x.toLocaleString("en-US");
const yes = (ok: boolean) => (ok ? "yes" : "**no**");
const ran = (b: Base) =>
  `${b.machine.date.slice(0, 16).replace("T", " ")} UTC, ${b.seconds.toFixed(0)} s, load average at the end ${(b.machine.loadAverage ?? ["?"]).join(" / ")}${b.quick ? ", **--quick sizes**" : ""}`;
const table = (head: string[], rows: (string | number)[][]) =>
  [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map((c) => String(c).replaceAll("|", "\\|")).join(" | ")} |`),
  ].join("\n");

const m = machine();
let cpuInfo = m.cpuModel;
try {
  cpuInfo = execFileSync("sh", ["-c", "nproc; grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], {
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .map((s) => s.trim())
    .join(" × ");
} catch {
  // keep os.cpus()
}

const gas = await readResult<Gas>("gas");
const cli = await readResult<Cli>("cli");
const bad = await readResult<Bad>("bad-input");
const pii = await readResult<Pii>("pii");
const st = await readResult<Static>("static");
const fuzz = await readResult<Fuzz>("fuzz");
const idxFaults = await readResult<IndexerFaults>("indexer-faults");

const out: string[] = [];
const p = (...lines: string[]) => out.push(...lines, "");

p(
  "# Benchmark results",
  "",
  "Generated by `npm run bench` (bench/report.ts) from the JSON files in `bench/results/`; do not edit by hand.",
  "Every figure below was measured by the run named beside it; nothing is typed in.",
);
p(
  "## Machine",
  table(
    ["", ""],
    [
      ["report written", m.date],
      ["CPU", `${cpuInfo} (nproc × model)`],
      ["RAM", `${m.ramGiB} GiB`],
      ["Node.js", m.node],
      ["platform", m.platform],
    ],
  ),
);

// ---------------------------------------------------------------- gas
if (gas === undefined) p("## Gas vs floor", "_not run_");
else {
  p(
    "## Gas vs floor",
    `Run: ${ran(gas)}. Hardhat's in-process EDR with hardfork \`merge\` (= paris, the contracts' target), 30M-gas blocks.`,
    "Each write is a transaction of its own on a ledger in use (non-zero counters, pending hand-overs, a recall",
    "elsewhere), so its storage is cold as in production. **Measured** is the receipt's `gasUsed` (per donation for",
    "batches). **Floor** = 21,000 + calldata (16/non-zero byte, 4/zero byte of the real calldata) + logs (375 + 375 ×",
    "topics + 8 × data bytes + the data's memory) + the storage writes the operation's rules require (new slot",
    "22,100 = 20,000 + 2,100 cold; update 5,000 = 2,900 + 2,100 cold; clear 5,000 − 4,800 refund). Reads, the",
    "permission check and code are not in the floor. Goal: measured ≤ 1.15 × floor.",
  );
  p(
    table(
      ["domain", "operation", "measured", "floor", "× floor", "≤ 1.15?"],
      gas.operations.map((o) => [o.domain, o.op, n(o.gas), n(o.floorPerOp), o.ratio.toFixed(2), yes(o.ratio <= 1.15)]),
    ),
  );
  p(
    "### The floor of each operation",
    "Per transaction (divide by the batch size for the per-donation figure): intrinsic + calldata (bytes) + logs +",
    "storage writes, with the writes the rules require.",
    "",
    table(
      ["operation", "21,000 + calldata + logs + storage − refund = floor", "storage writes the rules require"],
      gas.operations.map((o) => [
        o.op,
        `21,000 + ${n(o.floor.calldata)} (${n(o.floor.calldataBytes)} B) + ${n(o.floor.logs)} (${o.floor.logCount} log${o.floor.logCount === 1 ? "" : "s"}) + ${n(o.floor.storage)}${o.floor.refund > 0 ? ` − ${n(o.floor.refund)}` : ""} = ${n(o.floor.total)}`,
        o.writesFormula,
      ]),
    ),
  );
  p(
    "### Where the gas above the floor goes",
    "From a `debug_traceTransaction` of each measured transaction (the ledger's own frame; per transaction):",
    "SSTORE and SLOAD are what those opcodes charged (a cold slot's 2,100 falls on whichever touches it first, often",
    "an SLOAD); permission hub is every call to the AccessManager (`restricted`'s `canCall` and the domain checks'",
    "`hasRole`), the callee included; other is ABI decoding, hashing, memory, jumps and checks.",
    "",
    table(
      [
        "operation",
        "measured",
        "floor",
        "above floor",
        "SSTORE (n)",
        "SLOAD (n)",
        "permission hub (calls)",
        "logs",
        "other",
      ],
      gas.operations.map((o) => [
        o.op,
        n(o.txGas),
        n(o.floor.total),
        n(o.txGas - o.floor.total),
        `${n(o.breakdown.sstore)} (${o.breakdown.sstoreCount})`,
        `${n(o.breakdown.sload)} (${o.breakdown.sloadCount})`,
        `${n(o.breakdown.permissionHub)} (${o.breakdown.permissionCalls})`,
        n(o.breakdown.logs),
        n(o.breakdown.other),
      ]),
    ),
  );
  const withBase = gas.operations.filter((o) => o.baseline !== undefined);
  p(
    "## Versus a store-everything design",
    "`bench/contracts/StoreEverything.sol` (bench only, never deployed) keeps every field of every donation,",
    "disbursement, batch and trace event in a struct in storage, with arrays and per-project index lists, the way most",
    "open-source charity and traceability contracts do; same information (hashes and commitments, no personal",
    "data), same uniqueness and balance rules, and a cheaper permission check (a `mapping(address => bool)`).",
    "Compiled with the same solcjs 0.8.28, optimizer 200 runs, paris. Goal: Zhixin Ledger ≥ 4 × cheaper.",
    "Operations of the relief ledger and split have no baseline.",
    "",
    table(
      ["operation", "Zhixin Ledger", "store-everything", "× cheaper", "≥ 4 ×?"],
      withBase.map((o) => [
        o.op,
        n(o.gas),
        n(o.baseline!.gas),
        o.baseline!.times.toFixed(2),
        yes(o.baseline!.times >= 4),
      ]),
    ),
  );
  const f = gas.filledBlock;
  p(
    "## Capacity",
    "Donations per 30M-gas block from the measured transaction gas (whole transactions per block × donations per",
    "transaction), and per second at 2-second blocks (QBFT-like). Goal: ≥ 1,000 per block.",
    "",
    table(
      ["design", "how", "gas per transaction", "donations per block", "per second", "≥ 1,000?"],
      gas.capacity.map((c) => [
        c.design,
        c.how,
        c.txGas > 0 ? n(c.txGas) : "—",
        n(c.perBlock),
        n(c.perSecond),
        yes(c.perBlock >= 1000),
      ]),
    ),
    "",
    `Checked by filling a real block: with automine off, ${f.sent} batches of 100 were sent with the node's gas`,
    `estimate; the next block took ${f.included} of them (**${n(f.donations)} donations**, ${n(f.blockGasUsed)} of ${n(f.blockGasLimit)} gas).`,
  );
}

// ---------------------------------------------------------------- CLI
if (cli === undefined) p("## CLI throughput", "_not run_");
else {
  const t = cli.throughput;
  p(
    "## CLI throughput",
    `Run: ${ran(cli)}. Anvil from npm as \`npm run chain\` runs it (paris, gas price 0, a block per transaction).`,
    `\`npx hardhat charity import\` of a ${n(t.rows)}-row CSV (batches of ${t.batch}, wall clock of the whole command,`,
    "Hardhat's start-up included), then in the same run a bare ethers script (`bench/lib/bare-import.ts`: csv-parse,",
    "the same `recordDonations` batches for a second charity, each waited for, nothing else). Goal: ≥ 80 % of bare.",
    "",
    table(
      ["", "seconds", "donations on chain", "rows / s"],
      [
        ["charity import (CLI)", t.cli.seconds.toFixed(1), n(t.cli.recorded), n(t.cli.rowsPerSecond)],
        ["bare ethers script", t.bare.seconds.toFixed(1), n(t.bare.recorded), n(t.bare.rowsPerSecond)],
      ],
    ),
    "",
    `CLI throughput = **${(t.cliShareOfBare * 100).toFixed(0)} %** of bare (goal ≥ 80 %: ${yes(t.cliShareOfBare >= 0.8)}).`,
    ...(t.cliShareOfBare > 1
      ? [
          "",
          "Above 100 %: the bare script, written the ordinary ethers way (the node estimates each batch's gas, then send,",
          "then poll the receipt), took longer here than the CLI (which simulates, sends and waits through Hardhat's",
          "provider). Timings are wall clock on a shared 2-core machine; the load average is recorded above.",
        ]
      : []),
  );
}

// ---------------------------------------------------------------- consortium (geth Clique)
interface Consortium extends Base {
  nodes: number;
  period: number;
  confirmations: number;
  deploySeconds: number;
  import: {
    rows: number;
    batch: number;
    recorded: number;
    seconds: number;
    blocks: number;
    donationsPerSecond: number;
  };
  indexerLag: { samples: number; medianBlocks: number; maxBlocks: number };
  latency: { writes: number[]; medianWriteSeconds: number; medianReadSeconds: number };
  note?: string;
}
const cons = await readResult<Consortium>("consortium");
if (cons === undefined) p("## Consortium network (geth Clique)", "_not run_");
else {
  const anvil = cli?.throughput.cli.rowsPerSecond;
  p(
    "## Consortium network (geth Clique)",
    `Run: ${ran(cons)}. ${cons.nodes} geth v1.13.15 Clique signers on 127.0.0.1, a block every ${cons.period} s, no London, gas`,
    `price 0 (README, "A real consortium network"); every write waits for ${cons.confirmations} confirmations. Deployment and the`,
    `sample organisations (Ignition, 5 confirmations a step): ${cons.deploySeconds} s.`,
    "",
    table(
      ["", "four geth signers, 2-s blocks", "Anvil (CLI throughput above)"],
      [
        [
          `\`charity import\` (batches of ${cons.import.batch}), donations / s`,
          `${cons.import.donationsPerSecond} (${n(cons.import.recorded)} in ${cons.import.seconds} s, ${cons.import.blocks} blocks)`,
          anvil === undefined ? "not run" : n(anvil),
        ],
        [
          "indexer lag behind the head during the import, blocks (median / max)",
          `${cons.indexerLag.medianBlocks} / ${cons.indexerLag.maxBlocks} (${cons.indexerLag.samples} samples, 0.5 s apart)`,
          "",
        ],
        [
          `CLI latency to final, one \`charity donate\` (median; runs)`,
          `${cons.latency.medianWriteSeconds} s (${cons.latency.writes.join(", ")})`,
          "",
        ],
        ["the same CLI's start-up, one `org list` read (median)", `${cons.latency.medianReadSeconds} s`, ""],
      ],
    ),
    "",
    "At 2-second blocks a write is final after about (confirmations + 1) blocks; an import's rate is bound by the block",
    "time and the depth each batch waits for, not by gas (a batch of 100 donations fills a small part of a block).",
    ...(cons.note !== undefined ? ["", `**Note.** ${cons.note}`] : []),
  );
}

// ---------------------------------------------------------------- indexer
interface IndexerResult extends Base {
  store: string;
  runs: {
    store?: string;
    nodeFlags?: string;
    donations: number;
    events: number;
    seconds: number;
    eventsPerSecond: number;
    maxRssMb: number;
    openRssMb?: number;
    createSeconds?: number;
    createMaxRssMb?: number;
    eventsPerSecondRuns?: number[];
  }[];
  goal: { eventsPerSecond: number; maxRssMb: number };
  baseline: string;
}
const idx = await readResult<IndexerResult>("indexer");
if (idx === undefined) p("## Indexer backfill", "_not run_");
else {
  // As `hardhat explorer` runs PGlite: in a Node it restarts with --liftoff-only.
  const pglite = idx.runs.filter((r) => (r.store ?? "PGlite") === "PGlite" && r.nodeFlags === "--liftoff-only");
  const defaults = idx.runs.filter((r) => (r.store ?? "PGlite") === "PGlite" && r.nodeFlags !== "--liftoff-only");
  const postgres = idx.runs.filter((r) => r.store === "PostgreSQL");
  const label = (r: IndexerResult["runs"][number]) =>
    r.store === "PostgreSQL"
      ? "PostgreSQL"
      : r.nodeFlags === "--liftoff-only"
        ? "PGlite, as `hardhat explorer` runs it (node --liftoff-only)"
        : `PGlite, V8's defaults${r.nodeFlags !== undefined ? ` (node ${r.nodeFlags})` : ""}`;
  p(
    "## Indexer backfill",
    `Recorded ${ran(idx)}. \`bench/indexer.ts\`: ${idx.store}. Each figure is the catch-up of a new index from block 0`,
    "in a process of its own (`bench/lib/index-once.ts`); peak memory is that process's maxRSS.",
    "",
    table(
      [
        "store",
        "donations on chain",
        "events",
        "catch-up (s)",
        "events/s",
        "events/s of each run",
        "indexer peak MB",
        "once open MB",
        "creating the empty database (s / peak MB)",
      ],
      idx.runs.map((r) => [
        label(r),
        n(r.donations),
        n(r.events),
        r.seconds.toFixed(2),
        n(r.eventsPerSecond),
        r.eventsPerSecondRuns !== undefined ? r.eventsPerSecondRuns.map(n).join(", ") : "—",
        n(r.maxRssMb),
        r.openRssMb !== undefined ? n(r.openRssMb) : "—",
        r.createSeconds !== undefined ? `${r.createSeconds.toFixed(1)} / ${n(r.createMaxRssMb ?? 0)}` : "—",
      ]),
    ),
    "",
    `With PGlite as the explorer runs it (the default): goal ≥ ${n(idx.goal.eventsPerSecond)} events/s: ${yes(pglite.length > 0 && pglite.every((r) => r.eventsPerSecond >= idx.goal.eventsPerSecond))}; ` +
      `goal < ${idx.goal.maxRssMb} MB: ${yes(pglite.length > 0 && pglite.every((r) => r.maxRssMb < idx.goal.maxRssMb))}` +
      (pglite.some((r) => (r.eventsPerSecondRuns?.length ?? 0) > 1)
        ? ` (judged on the median run; the slowest single run: ${n(Math.min(...pglite.flatMap((r) => r.eventsPerSecondRuns ?? [])))} events/s; ` +
          `creating the empty database, once per index, peaks at ${n(Math.max(...pglite.map((r) => r.createMaxRssMb ?? 0)))} MB).`
        : ".") +
      (postgres.length === 0
        ? ""
        : ` With PostgreSQL (DATABASE_URL): ≥ ${n(idx.goal.eventsPerSecond)} events/s at every size: ${yes(postgres.every((r) => r.eventsPerSecond >= idx.goal.eventsPerSecond))}; ` +
          `< ${idx.goal.maxRssMb} MB: ${yes(postgres.every((r) => r.maxRssMb < idx.goal.maxRssMb))}.`) +
      ` Peer baseline: ${idx.baseline}.`,
    "",
    "The indexer holds one node answer of about 4,000 events and the blocks and rows of one piece of at most 2,000",
    "at once, whatever the chain's density (here 100 donations a block, all 20,000 within 270 blocks).",
    '"Once open" is the RSS after opening the database and before the catch-up: Node, the libraries and, for PGlite,',
    "its WebAssembly instance and memory. Creating the empty database is PGlite's initdb, once per index, in a second",
    "WebAssembly instance of PostgreSQL.",
    "",
    "Where PGlite's memory goes. PostgreSQL's buffer cache lives in PGlite's WebAssembly memory, which never shrinks,",
    "and PGlite touches all of it when it opens: the indexer opens PGlite with `shared_buffers=16MB` instead of",
    "PostgreSQL's 128 MB, about 110 MB less from the start (the index's files stay in the operating system's cache).",
    "With V8's defaults, V8's optimising compiler (TurboFan) compiles one large PGlite function once it is hot, a few",
    "seconds and about 600 MB for that moment (`node --trace-wasm-compilation-times`). V8 reads its flags when Node",
    "starts and Node refuses them in NODE_OPTIONS, so `hardhat explorer` replaces its own process (process.execve,",
    "same process id) with a Node started with `--liftoff-only`, V8's baseline WebAssembly compiler only" +
      (defaults.length === 0
        ? "."
        : ": " +
          pglite
            .map((r) => {
              const same = defaults.find((x) => x.donations === r.donations);
              return `${n(r.donations)} donations: peak ${n(r.maxRssMb)} MB${same ? ` (${n(same.maxRssMb)} MB with V8's defaults)` : ""}, ${n(r.eventsPerSecond)} events/s${same ? ` (${n(same.eventsPerSecond)})` : ""}`;
            })
            .join("; ") +
          "."),
    "`node --no-liftoff-only node_modules/.bin/hardhat explorer …` keeps V8's defaults. The query timings below run",
    "under `--liftoff-only` too.",
  );
}

// ---------------------------------------------------------------- query cost growth
interface QueryTiming {
  median: number;
  p95: number;
  reps: number;
}
interface QueryAnswer {
  indexed: QueryTiming;
  raw: QueryTiming;
  ratio: number;
  matched: boolean;
  indexedBreakdown: Breakdown;
  rawBreakdown: Breakdown;
}
interface QueryResult extends Base {
  setup: string;
  queries: { donation: string; batch: string; raw: string; compared: string };
  reps: { indexed: number; indexedWarmUps: number; raw: number; rawWarmUps: number };
  levels: {
    events: number;
    blocks: number;
    indexedEvents: number;
    indexSeconds: number;
    indexEventsPerSecond: number;
    fillSeconds: number;
    indexDbMb: number;
    rssMb: number;
    nodeRssMb?: number;
    nodePeakMb?: number;
    loadAverage: number[];
    donation: QueryAnswer;
    batch: QueryAnswer;
  }[];
  growth: { donation: number; batch: number; donationRaw: number; batchRaw: number };
  goal: { maxMs: number; maxGrowth: number; criterion: string; topLevel: number };
  met: boolean;
  judged: boolean;
  skipped?: { events: number; estimateMinutes: number; dominatedBy: string; detail: string };
  height: {
    note: string;
    blocksAYear: number;
    chunksAYear: number;
    actual: QueryHeight;
    tall: QueryHeight;
    growth: { donation: number; batch: number };
    matched: boolean;
  };
}
interface QueryHeight {
  blocks: number;
  donation: QueryTiming;
  donationLogQueries: number;
  batch: QueryTiming;
  batchLogQueries: number;
}
const qr = await readResult<QueryResult>("query");
if (qr === undefined) p("## Query cost growth", "_not run_");
else {
  const first = qr.levels[0]!;
  const last = qr.levels[qr.levels.length - 1]!;
  const ms = (t: QueryTiming) => `${t.median} (${t.p95})`;
  const top = last.events;
  const p95ok = last.donation.indexed.p95 <= qr.goal.maxMs && last.batch.indexed.p95 <= qr.goal.maxMs;
  const flat = qr.growth.donation <= qr.goal.maxGrowth && qr.growth.batch <= qr.goal.maxGrowth;
  const nodeMem = qr.levels.some((l) => l.nodePeakMb !== undefined);
  p(
    "## Query cost growth",
    `Recorded ${ran(qr)}. \`bench/query.ts\`: ${qr.setup}.`,
    "",
    `- **Donation lookup**: ${qr.queries.donation}.`,
    `- **Batch page**: ${qr.queries.batch}.`,
    `- **Raw**: ${qr.queries.raw}.`,
    `- **Same answers**: ${qr.queries.compared}.`,
    "",
    `Indexed: median (p95) of ${qr.reps.indexed} calls after ${qr.reps.indexedWarmUps} warm-ups; raw: median of ${qr.reps.raw} after ${qr.reps.rawWarmUps}; milliseconds, wall clock (performance.now) in one process.`,
    "",
    table(
      [
        "events indexed",
        "blocks",
        "indexing this level",
        "index on disk",
        ...(nodeMem ? ["bench / Anvil memory"] : []),
        "donation: indexed ms",
        "raw ms",
        "raw ÷ indexed",
        "batch: indexed ms",
        "raw ms",
        "raw ÷ indexed",
        "same answers",
        "load (1 min)",
      ],
      qr.levels.map((l) => [
        n(l.events),
        n(l.blocks),
        `${n(l.indexedEvents)} events in ${l.indexSeconds.toFixed(1)} s of catch-ups (${n(l.indexEventsPerSecond)}/s) while filling took ${l.fillSeconds.toFixed(0)} s`,
        `${n(l.indexDbMb)} MB`,
        ...(nodeMem ? [`${n(l.rssMb)} / ${n(l.nodeRssMb ?? 0)} MB (peak ${n(l.nodePeakMb ?? 0)})`] : []),
        ms(l.donation.indexed),
        l.donation.raw.median,
        l.donation.ratio.toFixed(2),
        ms(l.batch.indexed),
        l.batch.raw.median,
        l.batch.ratio.toFixed(2),
        l.donation.matched && l.batch.matched ? "yes" : "**no**",
        l.loadAverage[0] ?? "?",
      ]),
    ),
    "",
    `Growth of the indexed median from ${n(first.events)} to ${n(last.events)} events: donation lookup × ${qr.growth.donation}, batch page × ${qr.growth.batch} (raw getLogs: × ${qr.growth.donationRaw} and × ${qr.growth.batchRaw}).`,
    "",
    `Goal (benchmarks issue: ≤ ${qr.goal.maxMs} ms at 1M events and flat growth), judged as ${qr.goal.criterion}: ` +
      (qr.judged
        ? `p95 ≤ ${qr.goal.maxMs} ms at ${n(top)}: ${yes(p95ok)}; growth ≤ ${qr.goal.maxGrowth} ×: ${yes(flat)}; goal met: ${yes(qr.met)}.`
        : `**not judged**: the top level run is ${n(top)} events, not ${n(qr.goal.topLevel)}` +
          (qr.skipped !== undefined
            ? ` (${n(qr.skipped.events)} not run: estimated ${qr.skipped.estimateMinutes} min, mostly ${qr.skipped.dominatedBy}: ${qr.skipped.detail}).`
            : ".")),
  );
  p(
    "### Where the time goes",
    "One more call of each answer with the index's SQL queries and the node's JSON-RPC requests counted (times summed",
    "per query or request; requests sent together overlap). The rest is JavaScript and waiting for the node.",
    "",
    table(
      [
        "events",
        "answer",
        "indexed: one call ms",
        "SQL queries (ms)",
        "node requests (ms)",
        "rest ms",
        "slowest SQL ms",
        "raw: node requests (ms)",
      ],
      qr.levels.flatMap((l) =>
        (
          [
            ["donation lookup", l.donation],
            ["batch page", l.batch],
          ] as const
        ).map(([name, a]) => [
          n(l.events),
          name,
          a.indexedBreakdown.totalMs,
          `${a.indexedBreakdown.sqlQueries} (${a.indexedBreakdown.sqlMs})`,
          `${a.indexedBreakdown.nodeRequests} (${a.indexedBreakdown.nodeMs})`,
          (a.indexedBreakdown.totalMs - a.indexedBreakdown.sqlMs - a.indexedBreakdown.nodeMs).toFixed(1),
          a.indexedBreakdown.slowestSql?.ms ?? "—",
          `${a.rawBreakdown.nodeRequests}: ${Object.entries(a.rawBreakdown.nodeMethods)
            .map(([k, v]) => `${v} ${k}`)
            .join(", ")} (${a.rawBreakdown.nodeMs})`,
        ]),
      ),
    ),
  );
  const plan = (name: string, b: Breakdown) =>
    b.slowestSql === undefined
      ? [`${name}: no SQL.`, ""]
      : [
          `${name}: ${b.slowestSql.ms} ms of ${b.sqlMs} ms in SQL (${b.sqlQueries} statements); \`EXPLAIN ANALYZE\` of it, run again:`,
          "",
          "```",
          b.slowestSql.sql,
          `-- parameters: ${b.slowestSql.parameters.join(", ")}`,
          ...b.slowestSql.plan,
          "```",
          "",
        ];
  p(
    `### The slowest SQL statement at ${n(last.events)} events`,
    "",
    ...plan("Donation lookup", last.donation.indexedBreakdown),
    ...plan("Batch page", last.batch.indexedBreakdown),
  );
  const h = qr.height;
  p(
    "### Chain height",
    `${h.note}. A year is ${n(h.blocksAYear)} blocks, ${n(h.chunksAYear)} chunks of 5,000 for every read through a node. Median (p95) of ${qr.reps.indexed} calls after ${qr.reps.indexedWarmUps} warm-ups, ms.`,
    "",
    table(
      ["index height (blocks)", "traceDonation ms", "its log queries", "batchHistory ms", "its log queries"],
      [h.actual, h.tall].map((x) => [
        n(x.blocks),
        ms(x.donation),
        x.donationLogQueries,
        ms(x.batch),
        x.batchLogQueries,
      ]),
    ),
    "",
    `A year taller: traceDonation × ${h.growth.donation}, batchHistory × ${h.growth.batch}; same answers: ${yes(h.matched)}.`,
  );
}

// ---------------------------------------------------------------- reliability table
// Render time of the public's landing pages (bench/render.ts).
const render = await readResult<RenderResults & Base>("render");
if (render === undefined) p("## Page render time", "_not run_");
else {
  const runs = Object.values(render.runs).sort((a, b) => a.date.localeCompare(b.date));
  const kib = (b: number) => `${Math.round(b / 1024)} KiB`;
  const goal = (r: PageResult) => (r.profile === "desktop" ? 1000 : 2000);
  p(
    "## Page render time",
    `Recorded ${ran(render)}. \`bench/render.ts\`: Chromium (/usr/bin/chromium, headless) on the demo's chain, the QR`,
    "page of the recalled batch and a donation's page opened by its receipt code. **Main content** = navigation start",
    "to the first frame after the page's answer (the recall warning, the lot and its quantity; the donation's status",
    "and amount) is in the document and visible. Desktop 1366×900, no throttling; phone 390×844 on Slow 4G",
    `(${render.slow4g.latencyMs} ms round trip, ${render.slow4g.kbitPerSecond} kbit/s down and up, CPU ${render.slow4g.cpuSlowdown}× slower). Median of ${render.loads} cold loads`,
    "(new browser context, cache disabled); requests and bytes (on the wire) of the first load; *data request* = when the",
    "page's own API request started (— : the data came inside the HTML). Goal: ≤ 1,000 ms desktop, ≤ 2,000 ms phone.",
    "Each run is labelled: `before` is the build before issue 20's speed work, the latest run of each label is kept.",
    "After it, the server keeps each landing page as drawn until the next indexed block (the demo's chain is idle during",
    "the run): the first of the loads draws it, the others are served as drawn, as for shoppers scanning the same code.",
    "The machine was shared with other work (load average above): single loads vary by seconds.",
    "",
    table(
      [
        "run",
        "commit",
        "page",
        "profile",
        "main content (median)",
        "5 loads",
        "≤ goal?",
        "first screen?",
        "data request",
        "requests",
        "bytes",
      ],
      runs.flatMap((run) =>
        run.results.map((r) => [
          run.label,
          run.commit,
          r.page,
          r.profile,
          `${n(r.medianMs)} ms`,
          r.loads.map((l) => l.mainContentMs).join(", "),
          yes(r.medianMs <= goal(r)),
          yes(r.loads.every((l) => l.inFirstScreen)),
          r.loads[0]!.dataRequestStartMs === undefined ? "—" : `${n(r.loads[0]!.dataRequestStartMs)} ms`,
          r.loads[0]!.requests,
          kib(r.loads[0]!.bytes),
        ]),
      ),
    ),
  );
}

p("## Reliability and security");
const rows: (string | number)[][] = [];
if (cli !== undefined) {
  const lost = cli.faults.reduce((s, f) => s + f.lost, 0);
  const doubled = cli.faults.reduce((s, f) => s + f.doubled, 0);
  const mism = cli.faults.reduce((s, f) => s + f.receiptMismatches + f.missingReceipts, 0);
  const hung = cli.faults.filter((f) => f.importHung).length;
  rows.push([
    "faults: node killed mid-import, restarted, import re-run",
    `${cli.faults.length} kill points × ${n(cli.faults[0]?.rows ?? 0)} rows`,
    `lost ${lost}, doubled ${doubled}, receipts not matching the chain ${mism}`,
    yes(lost === 0 && doubled === 0 && mism === 0),
  ]);
  rows.push([
    "faults: the killed import stops with an error",
    `${cli.faults.length} kill points`,
    `${hung} of ${cli.faults.length} hung (no exit 30 s after the kill, node back for 15 s of them)`,
    yes(hung === 0),
  ]);
  const c = cli.concurrency;
  rows.push([
    "concurrency: two importers, same file and receipts file, at once",
    `${n(c.rows)} rows`,
    `exits ${c.importers.map((i) => i.exit).join(" and ")}; doubled ${c.beforeRerun.doubled}, lost ${c.beforeRerun.lost} before any re-run; after: lost ${c.lost}, doubled ${c.doubled}, receipts not matching ${c.receiptMismatches + c.missingReceipts}, duplicate receipt lines ${c.receiptLinesDoubled ?? "?"}`,
    yes(c.doubled === 0 && c.beforeRerun.doubled === 0),
  ]);
  rows.push([
    "concurrency: one receipt (one receipt code) per donation",
    `${n(c.rows)} rows`,
    (c.receiptLinesDoubled ?? 1) === 0
      ? "every ref has one receipt line (one run at a time holds the receipts file's lock)"
      : `${c.receiptLinesDoubled ?? "?"} refs have two receipts with different salts; the loser's receipt codes do not match the chain`,
    yes((c.receiptLinesDoubled ?? 1) === 0),
  ]);
}
if (idxFaults !== undefined) {
  const sum = (f: (r: IndexerFaults["runs"][number]) => number) => idxFaults.runs.reduce((t, r) => t + f(r), 0);
  rows.push([
    "faults: node killed mid-backfill of the explorer's indexer, restarted",
    `${idxFaults.runs.length} kill points × ${n(idxFaults.referenceEvents)} events`,
    `lost ${sum((r) => r.lost)}, doubled ${sum((r) => r.doubled)}, different ${sum((r) => r.different)}; ` +
      `${idxFaults.runs.filter((r) => r.identical).length} of ${idxFaults.runs.length} indexes identical to the fault-free one; ` +
      `${idxFaults.runs.filter((r) => r.caughtUp && r.reran === 0).length} caught up by themselves`,
    yes(idxFaults.met),
  ]);
}
if (bad !== undefined) {
  rows.push([
    "bad input: every CLI command that reads a file or a number",
    `${bad.cases} cases`,
    `${bad.passed} give a clear error and write nothing`,
    yes(bad.passed === bad.cases),
  ]);
}
if (fuzz !== undefined) {
  rows.push([
    "fuzz profile `deep` in CI: invariants 10,000 runs × depth 50, fuzz 10,000 runs",
    `every CI run: every fuzz test and all ${fuzz.suites.filter((s) => s.ci === false).length} invariant suites`,
    `the whole profile estimated at ${fuzz.estimatedMinutes} min (limit ${fuzz.ciStepLimitMinutes ?? 60} min beside the rest of CI; extrapolated, see below)`,
    yes(fuzz.met ?? fuzz.estimatedMinutes <= 60),
  ]);
}
if (pii !== undefined) {
  rows.push([
    "PII scan of all demo data (3 domains)",
    `${n(pii.blocks)} blocks, ${n(pii.bytesScanned)} bytes, ${pii.demoTexts} demo texts, ${pii.sampleFiles.length} sample files`,
    `${pii.hits.length + pii.sampleFileHits.length} hits (controls found: ${Object.values(pii.control).every((x) => x > 0) ? "all" : "**not all**"})`,
    yes(pii.hits.length + pii.sampleFileHits.length === 0 && Object.values(pii.control).every((x) => x > 0)),
  ]);
}
if (st !== undefined) {
  rows.push([
    "solhint, recommended + security rules",
    `${st.solhint.files} files of contracts/ and test/`,
    `${st.solhint.issues} issues (${st.solhint.securityIssues} from security rules), exit ${st.solhint.exitCode}`,
    yes(st.solhint.issues === 0 && st.solhint.exitCode === 0),
  ]);
  const dep = st.push0.deployed.reduce((s, d) => s + d.push0, 0);
  const art = st.push0.artifacts.reduce((s, d) => s + d.push0, 0);
  const ctl = st.push0.controlShanghai.every((c) => c.push0 > 0);
  rows.push([
    "no PUSH0 in deployed bytecode",
    `${st.push0.deployed.length} deployed contracts, ${st.push0.artifacts.length} artifacts`,
    `${dep + art} PUSH0 instructions (control compiled for shanghai: ${ctl ? "found" : "**not found**"})`,
    yes(dep + art === 0 && ctl),
  ]);
}
p(rows.length === 0 ? "_not run_" : table(["check", "size", "result", "goal met"], rows));

if (cli !== undefined) {
  p(
    "### Faults in detail",
    "The node (Anvil, state saved every 5 s as `npm run chain` does) is killed with SIGKILL when the project's",
    "donation count passes the kill point, so it restarts from its last dump: what was mined since is rolled back",
    "(an import of 2,000 rows takes about as long as one dump interval, so most restarts roll back the whole import).",
    "Lost and doubled are counted from the project's `DonationRecorded` events after the re-run; receipts ≠ chain",
    "counts rows whose receipt (first line for the ref) has a commitment other than the one on chain.",
    "",
    table(
      [
        "kill at",
        "on chain at kill",
        "after restart",
        "import exit",
        "hung",
        "re-runs",
        "lost",
        "doubled",
        "receipts ≠ chain",
      ],
      cli.faults.map((f) => [
        `${f.killAt * 100} %`,
        n(f.onChainAtKill),
        n(f.onChainAfterRestart),
        `${f.importExit}${f.importError !== "" ? `: ${f.importError.slice(0, 90)}` : ""}`,
        f.importHung ? "**yes**" : "no",
        f.reruns,
        f.lost,
        f.doubled,
        f.receiptMismatches + f.missingReceipts,
      ]),
    ),
  );
  p(
    "### Concurrency in detail",
    table(
      ["importer", "exit", "summary", "error"],
      cli.concurrency.importers.map((i, k) => [k + 1, i.exit, i.summary, i.error.slice(0, 120)]),
    ),
    "",
    `Re-run afterwards: exit ${cli.concurrency.rerunExit}, ${cli.concurrency.rerunSummary}`,
  );
}
if (bad !== undefined) {
  p(
    "### Bad-input corpus",
    `Run: ${ran(bad)}. Pass = exit code 1, a clear error (an \`Error:\` line or row errors naming line and field, no`,
    "stack trace, no Hardhat internal error) and nothing written (no new block, no receipts file).",
    "",
    table(
      ["command", "input", "pass", "message"],
      bad.results.map((r) => [
        r.command,
        r.input,
        r.pass ? "pass" : `**FAIL** (exit ${r.exit}, clear ${r.clear}, blocks ${r.blocksWritten}, file ${r.wroteFile})`,
        r.message,
      ]),
    ),
  );
}
if (idxFaults !== undefined) {
  p(
    "### Indexer under node faults",
    `Run: ${ran(idxFaults)}. ${idxFaults.how}. The chain is not written to during the backfill and its state is dumped`,
    "every second, so the restarted node holds every block. Each index is compared, row by row, with one built without",
    "faults (`bench/lib/index-once.ts`); lost = its events missing, doubled = events stored twice, different = same",
    "position, other content. Re-runs = times the explorer had stopped and was started again (0: it waited for the node).",
    "",
    table(
      [
        "kill at",
        "block at kill",
        "paused and resumed",
        "re-runs",
        "caught up in",
        "events",
        "lost",
        "doubled",
        "different",
        "identical",
      ],
      idxFaults.runs.map((r) => [
        `${Math.round(r.killPoint * 100)} %`,
        `${n(r.killedAtBlock)} of ${n(r.head)}`,
        r.pausedMessage ? "yes" : "no",
        r.reran,
        r.caughtUp ? `${r.seconds} s` : "**did not**",
        n(r.events),
        r.lost,
        r.doubled,
        r.different,
        r.identical ? "yes" : "**no**",
      ]),
    ),
  );
}
if (fuzz !== undefined) {
  p(
    "### Fuzz profile timing",
    `Run: ${ran(fuzz)}. Profile ${fuzz.profile}. Each row was run at two small run counts; time = fixed + per run ×`,
    "runs, extrapolated to 10,000. Each invariant suite checks all its rules after every call in one campaign (a",
    "campaign per rule repeated the same calls once per rule), reading each record once per check, and an assertion",
    "calls the cheatcode only when it fails (`CheapAssertions` in test/utils/CheapAssertions.sol): the check after every",
    "call was about 90 % of a campaign's time. `.ci/run` runs the whole profile on every run: the fuzz tests, then",
    "the invariant suites, each in one command that runs its suites side by side on the 2 cores; the estimate is the",
    "sum of those two rows. A suite timed alone leaves a core idle, so those rows do not add up to the whole.",
    "",
    table(
      ["suite", "measured", "s per run", "fixed s", "estimated at 10,000"],
      fuzz.suites.map((s) => [
        s.name,
        s.points.map((x) => `${x.runs} runs: ${x.seconds.toFixed(0)} s`).join("; "),
        s.secondsPerRun,
        s.fixedSeconds,
        `${(s.estimatedSecondsAt10000 / 60).toFixed(1)} min`,
      ]),
    ),
  );
}
if (pii !== undefined) {
  p(
    "### PII scan",
    `Run: ${ran(pii)}. Demo stories: ${pii.domains.join(", ")}. Every transaction input and every log topic and data of`,
    `all ${n(pii.blocks)} blocks (${n(pii.transactionInputs)} inputs, ${n(pii.logPartsScanned)} log parts) searched for resident ID numbers`,
    "(valid check character), mobile numbers, and the demos' own donor names, household names, ID numbers, household",
    `references and document wording; sample files: ${pii.sampleFiles.join(", ")}. Hits: ${pii.hits.length + pii.sampleFileHits.length}.`,
  );
}
if (st !== undefined) {
  p(
    "### Static checks",
    `Run: ${ran(st)}. \`${st.solhint.command}\` with .solhint.json: solhint:recommended plus the security rules`,
    st.solhint.securityRules.map((r) => `\`${r.rule}\` (${r.level})`).join(", ") + ".",
    `Rules switched off in .solhint.json: ${st.solhint.offRules.map((r) => `\`${r}\``).join(", ")}.`,
    "",
    table(
      ["deployed contract", "runtime bytes", "PUSH0"],
      st.push0.deployed.map((d) => [d.name, n(d.bytes), d.push0]),
    ),
  );
}

await writeFile(join(BENCH_DIR, "RESULTS.md"), out.join("\n"));
// Formatted as `npm run lint` (prettier --check .) expects, with the results it was made from.
execFileSync("npx", ["prettier", "--write", "--log-level", "warn", "bench/RESULTS.md", "bench/results/"], {
  cwd: join(BENCH_DIR, ".."),
  stdio: "inherit",
});
console.log(`written ${join(BENCH_DIR, "RESULTS.md")}`);
