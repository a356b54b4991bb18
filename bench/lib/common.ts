/**
 * What the benchmarks share: where results go, the machine they ran on, the baseline contracts'
 * compilation (solcjs, the project's one compiler, same settings as hardhat.config.ts), and the
 * command-line flags every bench takes (`--quick` for smaller sizes).
 */
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(BENCH_DIR);
export const RESULTS_DIR = join(BENCH_DIR, "results");

/** `--quick` on the command line or BENCH_QUICK=1: smaller sizes, for a fast look. */
export const QUICK = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";

export interface Machine {
  readonly date: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly ramGiB: number;
  readonly node: string;
  readonly platform: string;
  /** 1-, 5- and 15-minute load averages when the result was written (other work on the machine skews timings). */
  readonly loadAverage: readonly number[];
}

export function machine(): Machine {
  return {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** JSON with bigints as decimal strings. */
export const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x), 2);

/** Writes bench/results/<name>.json with the machine and the time it took. */
export async function writeResult(name: string, startedAt: number, data: unknown): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.json`);
  await writeFile(
    path,
    json({
      bench: name,
      quick: QUICK,
      machine: machine(),
      seconds: (Date.now() - startedAt) / 1000,
      ...(data as object),
    }) + "\n",
  );
  return path;
}

export async function readResult<T>(name: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(join(RESULTS_DIR, `${name}.json`), "utf8")) as T;
  } catch {
    return undefined;
  }
}

export interface Compiled {
  readonly abi: unknown[];
  readonly bytecode: string;
  readonly deployedBytecode: string;
}

/**
 * Compiles bench/contracts/StoreEverything.sol with solcjs 0.8.28 from the npm `solc` package,
 * optimizer on (200 runs), EVM paris: the settings of hardhat.config.ts (another EVM only for the
 * PUSH0 scanner's control). Nothing is downloaded.
 */
export async function compileBaselines(evmVersion = "paris"): Promise<Record<string, Compiled>> {
  // @ts-expect-error -- solc ships no type declarations
  const { default: solc } = (await import("solc")) as unknown as {
    default: { compile(input: string): string; version(): string };
  };
  const file = "StoreEverything.sol";
  const source = await readFile(join(BENCH_DIR, "contracts", file), "utf8");
  const input = {
    language: "Solidity",
    sources: { [file]: { content: source } },
    settings: {
      evmVersion,
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<
      string,
      Record<string, { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>
    >;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const out: Record<string, Compiled> = {};
  for (const [name, c] of Object.entries(output.contracts[file] ?? {})) {
    out[name] = {
      abi: c.abi,
      bytecode: "0x" + c.evm.bytecode.object,
      deployedBytecode: "0x" + c.evm.deployedBytecode.object,
    };
  }
  return out;
}
