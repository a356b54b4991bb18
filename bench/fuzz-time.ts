/**
 * How long the `deep` profile (hardhat.config.ts: invariants at 10,000 runs of depth 50, fuzz tests at
 * 10,000 runs) takes on this machine, without spending that long: the invariant suites and the fuzz
 * tests are run at two small run counts, and the time is extrapolated linearly (fixed cost + cost per
 * run) to 10,000. `--full` runs the real thing instead (`npm run test:fuzz`).
 *
 *   tsx bench/fuzz-time.ts [--quick] [--full]
 */
import { QUICK, ROOT, writeResult } from "./lib/common.js";
import { run } from "./lib/chain.js";

const started = Date.now();
const TARGET = 10_000;
const POINTS = QUICK ? [20, 60] : [50, 200];

async function timed(runs: number, grep: string) {
  const r = await run(
    "npx",
    ["hardhat", "test", "solidity", "--test-profile", "deep", "--grep", grep],
    { ...process.env, ZHIXIN_FUZZ_RUNS: String(runs) },
    ROOT,
  ).done;
  if (r.code !== 0) throw new Error(`deep profile at ${runs} runs failed:\n${r.stdout}\n${r.stderr}`);
  const passing = /(\d+) passing/.exec(r.stdout)?.[1];
  return { runs, seconds: r.seconds, tests: passing === undefined ? undefined : Number(passing) };
}

// Compile once first, so the timings do not include it.
await run("npx", ["hardhat", "build", "--quiet"], process.env, ROOT).done;
const suites = [];
for (const [name, grep] of [
  ["invariants (invariant_*)", "invariant_"],
  ["fuzz tests (testFuzz_*)", "testFuzz_"],
] as const) {
  const points = [];
  for (const n of POINTS) {
    const t = await timed(n, grep);
    console.log(`${name}: ${n} runs in ${t.seconds} s (${t.tests ?? "?"} tests)`);
    points.push(t);
  }
  const [a, b] = [points[0]!, points[1]!];
  const perRun = Math.max(0, (b.seconds - a.seconds) / (b.runs - a.runs));
  const fixed = Math.max(0, a.seconds - perRun * a.runs);
  suites.push({
    name,
    grep,
    points,
    secondsPerRun: Math.round(perRun * 1000) / 1000,
    fixedSeconds: Math.round(fixed * 10) / 10,
    estimatedSecondsAt10000: Math.round(fixed + perRun * TARGET),
  });
}
const total = suites.reduce((s, x) => s + x.estimatedSecondsAt10000, 0);
console.log(`estimated: ${Math.round(total / 60)} min for the deep profile at ${TARGET} runs`);
await writeResult("fuzz", started, {
  profile: "deep (hardhat.config.ts): invariant runs 10,000, depth 50; fuzz runs 10,000",
  target: TARGET,
  suites,
  estimatedMinutes: Math.round((total / 60) * 10) / 10,
});
