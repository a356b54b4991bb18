/**
 * How long the `deep` profile (hardhat.config.ts: invariants at 10,000 runs of depth 50, fuzz tests at
 * 10,000 runs) takes on this machine, without spending that long: every fuzz test together, and
 * every invariant suite together, as `.ci/run` runs them (one `hardhat test solidity` each; Hardhat
 * runs the suites of one command side by side on the cores), are run at two small run counts, and the
 * time is extrapolated linearly (fixed cost + cost per run) to 10,000. Every CI run spends the whole
 * profile; the goal is that it fits in CI's 90 minutes beside the rest (about 20 minutes): at most
 * 60 minutes. Each invariant suite is also timed alone, for the record (those times do not add up to
 * the whole: alone, a suite leaves the second core idle).
 *
 *   tsx bench/fuzz-time.ts [--quick]
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";

import { QUICK, ROOT, writeResult } from "./lib/common.js";
import { run } from "./lib/chain.js";

const started = Date.now();
const TARGET = 10_000;
const POINTS = QUICK ? [20, 60] : [50, 200];
/** The deep-fuzz step of one CI run may take this long (CI allows 90 minutes in all). */
const CI_STEP_LIMIT_MINUTES = 60;

/** The test files with invariant suites, as `.ci/run`'s `--grep invariant_` finds them. */
async function invariantFiles(): Promise<string[]> {
  const files = (await readdir(join(ROOT, "test"), { recursive: true })).filter((f) => f.endsWith(".t.sol")).sort();
  const withInvariants = [];
  for (const f of files) {
    if (/function invariant_/.test(await readFile(join(ROOT, "test", f), "utf8"))) withInvariants.push(`test/${f}`);
  }
  return withInvariants;
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
const plan: { name: string; grep: string; files: string[]; ci: boolean }[] = [
  { name: "every fuzz test (as CI runs them)", grep: "testFuzz_", files: [], ci: true },
  { name: "every invariant suite (as CI runs them)", grep: "invariant_", files: [], ci: true },
  ...(await invariantFiles()).map((f) => ({
    name: `alone: ${f.replace(/^test\/|\.t\.sol$/g, "")} invariants`,
    grep: "invariant_",
    files: [f],
    ci: false,
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
const total = suites.filter((x) => x.ci).reduce((sum, x) => sum + x.estimatedSecondsAt10000, 0);
const estimatedMinutes = minutes(total);
console.log(`estimated: ${estimatedMinutes} min for the whole deep profile, which every CI run spends`);
await writeResult("fuzz", started, {
  profile: "deep (hardhat.config.ts): invariant runs 10,000, depth 50; fuzz runs 10,000",
  target: TARGET,
  suites,
  estimatedMinutes,
  ciStepLimitMinutes: CI_STEP_LIMIT_MINUTES,
  met: estimatedMinutes <= CI_STEP_LIMIT_MINUTES,
});
