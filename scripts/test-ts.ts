/**
 * `npm run test:ts`: the mocha tests (`hardhat test mocha`, arguments passed on), in a Node started
 * with `--no-wasm-code-gc`, run once more if that Node is killed by a crash signal.
 *
 * Why: in a process that opens and closes many PGlite databases (WebAssembly), V8 sometimes aborts
 * with `Check failed: jit_page_->allocations_.erase(addr) == 1` while freeing WebAssembly code
 * (nodejs/node#64500, electric-sql/pglite#1053; seen once here, in a CI run's indexer tests). The
 * flag keeps V8 from freeing replaced WebAssembly code during the run, which is where that check
 * fails. A failing test ends the run with an exit code, never with such a signal, so a failure is
 * never run again; a crash is said as such and retried once.
 *   tsx scripts/test-ts.ts [hardhat test mocha arguments]
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const CRASH_SIGNALS = new Set<NodeJS.Signals>(["SIGILL", "SIGSEGV", "SIGABRT", "SIGTRAP", "SIGBUS"]);
const hardhatCli = join(dirname(createRequire(import.meta.url).resolve("hardhat/package.json")), "dist/src/cli.js");

function runMocha(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--no-wasm-code-gc", hardhatCli, "test", "mocha", ...process.argv.slice(2)],
      { stdio: "inherit" },
    );
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

let result = await runMocha();
if (result.signal !== null && CRASH_SIGNALS.has(result.signal)) {
  console.error(
    `\ntest:ts: the Node running the tests crashed (${result.signal}), not a test failure: a known V8 fault with ` +
      "PGlite's WebAssembly (nodejs/node#64500). Running the TypeScript tests once more.\n",
  );
  result = await runMocha();
}
if (result.signal !== null) {
  console.error(`test:ts: the tests' Node was ended by ${result.signal}`);
  process.exit(1);
}
process.exit(result.code ?? 1);
