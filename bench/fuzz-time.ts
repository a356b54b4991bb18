/**
 * How long the `deep` profile (hardhat.config.ts: invariants at 10,000 runs of depth 50, fuzz tests at
 * 10,000 runs) takes on this machine, without spending that long: every fuzz test together, and each
 * group of invariant suites that `.ci/run` runs in turn (its `groups=(…)` line, read from the file),
 * are run at two small run counts, and the time is extrapolated linearly (fixed cost + cost per run)
 * to 10,000. A CI run spends the fuzz tests plus one group; the goal is that the largest such step
 * fits in CI's 90 minutes beside the rest (about 20 minutes): at most 60 minutes.
 *
 *   tsx bench/fuzz-time.ts [--quick]
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { QUICK, ROOT, writeResult } from "./lib/common.js";
import { run } from "./lib/chain.js";

const started = Date.now();
const TARGET = 10_000;
const POINTS = QUICK ? [20, 60] : [50, 200];
/** The deep-fuzz step of one CI run may take this long (CI allows 90 minutes in all). */
const CI_STEP_LIMIT_MINUTES = 60;

async function ciGroups(): Promise<string[][]> {
  const text = await readFile(join(ROOT, ".ci/run"), "utf8");
  const line = /^groups=\((.*)\)$/m.exec(text)?.[1];
  if (line === undefined) throw new Error(".ci/run has no groups=(…) line");
  return [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]!.split(/\s+/).filter((f) => f !== ""));
}

async function timed(runs: number, grep: string, files: readonly string[]) {
  const r = await run(
    "npx",
    ["hardhat", "test", "solidity", "--no-compile", "--test-profile", "deep", "--grep", grep, ...files],
    { ...process.env, ZHIXIN_FUZZ_RUNS: String(runs) },
    ROOT,
  ).done;
  if (r.code !== 0) throw new Error(`deep profile at ${runs} runs failed:\n${r.stdout}\n${r.stderr}`);
  const passing = /(\d+) passing/.exec(r.stdout)?.[1];
  return { runs, seconds: r.seconds, tests: passing === undefined ? undefined : Number(passing) };
}

// Compile once first, so the timings do not include it.
await run("npx", ["hardhat", "build", "--quiet"], process.env, ROOT).done;
const groups = await ciGroups();
const plan: { name: string; grep: string; files: string[]; ciGroup?: number }[] = [
  { name: "every fuzz test (each CI run)", grep: "testFuzz_", files: [] },
  ...groups.map((files, i) => ({
    name: `invariants, CI group ${i}: ${files.map((f) => f.replace(/^test\/|\.t\.sol$/g, "")).join(" + ")}`,
    grep: "invariant_",
    files,
    ciGroup: i,
  })),
];
const suites = [];
for (const s of plan) {
  const points = [];
  for (const n of POINTS) {
    const t = await timed(n, s.grep, s.files);
    console.log(`${s.name}: ${n} runs in ${t.seconds} s (${t.tests ?? "?"} tests)`);
    points.push(t);
  }
  const [a, b] = [points[0]!, points[1]!];
  const perRun = Math.max(0, (b.seconds - a.seconds) / (b.runs - a.runs));
  const fixed = Math.max(0, a.seconds - perRun * a.runs);
  suites.push({
    ...s,
    points,
    secondsPerRun: Math.round(perRun * 1000) / 1000,
    fixedSeconds: Math.round(fixed * 10) / 10,
    estimatedSecondsAt10000: Math.round(fixed + perRun * TARGET),
  });
}
const minutes = (s: number) => Math.round((s / 60) * 10) / 10;
const total = suites.reduce((sum, x) => sum + x.estimatedSecondsAt10000, 0);
const fuzzTests = suites[0]!.estimatedSecondsAt10000;
const largestGroup = Math.max(...suites.slice(1).map((x) => x.estimatedSecondsAt10000));
const ciStepMinutes = minutes(fuzzTests + largestGroup);
console.log(`estimated: ${minutes(total)} min for the whole deep profile; ${ciStepMinutes} min for CI's largest step`);
await writeResult("fuzz", started, {
  profile: "deep (hardhat.config.ts): invariant runs 10,000, depth 50; fuzz runs 10,000",
  target: TARGET,
  suites,
  estimatedMinutes: minutes(total),
  ciStepMinutes,
  ciStepLimitMinutes: CI_STEP_LIMIT_MINUTES,
  met: ciStepMinutes <= CI_STEP_LIMIT_MINUTES,
});
