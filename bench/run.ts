/**
 * `npm run bench`: runs every benchmark, each in a process of its own, writes bench/results/*.json and
 * regenerates bench/RESULTS.md. `npm run bench -- --quick` for smaller sizes; `--only gas,cli` for
 * some of them; `--skip fuzz` to leave one out (the others' last results stay in the report).
 */
import { QUICK, ROOT } from "./lib/common.js";
import { run } from "./lib/chain.js";

const arg = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i < 0 ? undefined : (process.argv[i + 1] ?? "").split(",");
};
const BENCHES: { name: string; cmd: string[] }[] = [
  { name: "gas", cmd: ["hardhat", "run", "bench/gas.ts"] },
  { name: "cli", cmd: ["tsx", "bench/cli.ts"] },
  // Four geth Clique signers (README, "A real consortium network"; needs bash scripts/install-geth.sh).
  { name: "consortium", cmd: ["tsx", "bench/consortium.ts"] },
  { name: "indexer", cmd: ["tsx", "bench/indexer.ts"] },
  // Under the V8 flag `hardhat explorer` restarts itself with (tasks/explorer/serve.ts).
  { name: "query", cmd: ["tsx", "--liftoff-only", "bench/query.ts"] },
  { name: "indexer-faults", cmd: ["tsx", "bench/indexer-faults.ts"] },
  { name: "bad-input", cmd: ["tsx", "bench/bad-input.ts"] },
  { name: "pii", cmd: ["hardhat", "run", "bench/pii.ts"] },
  { name: "static", cmd: ["hardhat", "run", "bench/static.ts"] },
  // The QR batch page and the donation page in Chromium, desktop and Slow-4G phone (issue 20).
  { name: "render", cmd: ["tsx", "bench/render.ts"] },
  { name: "fuzz", cmd: ["tsx", "bench/fuzz-time.ts"] },
];
const only = arg("--only");
const skip = arg("--skip") ?? [];
const env = { ...process.env, ...(QUICK ? { BENCH_QUICK: "1" } : {}) };
let failed = 0;
for (const b of BENCHES) {
  if ((only !== undefined && !only.includes(b.name)) || skip.includes(b.name)) continue;
  console.log(`\n== ${b.name}: npx ${b.cmd.join(" ")}`);
  const r = run("npx", b.cmd, env, ROOT);
  r.child.stdout?.on("data", (x: Buffer) => process.stdout.write(x));
  r.child.stderr?.on("data", (x: Buffer) =>
    process.stderr.write(
      x
        .toString()
        .split("\n")
        .filter((l) => !l.startsWith("npm warn"))
        .join("\n"),
    ),
  );
  const done = await r.done;
  console.log(`== ${b.name}: exit ${done.code} in ${done.seconds} s`);
  if (done.code !== 0) failed++;
}
const report = await run("npx", ["tsx", "bench/report.ts"], env, ROOT).done;
process.stdout.write(report.stdout);
process.stderr.write(report.stderr);
process.exit(failed > 0 || report.code !== 0 ? 1 : 0);
