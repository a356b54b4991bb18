/**
 * Upgrade safety of the ledgers, with OpenZeppelin's own checks (`@openzeppelin/upgrades-core`) over
 * Hardhat 3's build info: every upgradeable contract (src/upgradeable.ts) must be upgrade-safe code (no
 * constructor logic, no immutable, no selfdestruct or delegatecall) and keep a storage layout compatible
 * with the one recorded for its deployed version in deploy/layouts/<Contract>.json.
 *
 *   tsx scripts/upgrade-layouts.ts            check every contract against its recorded layout (after a build)
 *   tsx scripts/upgrade-layouts.ts --record   record the current layouts (once a new version is deployed)
 *
 * Hardhat 3 keeps a build info in two files (`<id>.json` with the solc input, `<id>.output.json` with
 * the output) and names sources `project/<path>`; the storage layouts are compiled in for these files
 * only (hardhat.config.ts). test/upgrade/upgrade.ts runs the same checks, and shows a version 2 with
 * an incompatible layout refused.
 */
import { readFile, readdir, stat, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import upgradesCore from "@openzeppelin/upgrades-core";
import prettier from "prettier";
import type { StorageLayout, ValidationRunData } from "@openzeppelin/upgrades-core";

import { UPGRADEABLE_CONTRACTS, type UpgradeableContract } from "../src/upgradeable.js";

const { getContractVersion, getErrors, getStorageUpgradeReport, solcInputOutputDecoder, validate } = upgradesCore;
const { withValidationDefaults } = upgradesCore;

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUILD_INFO = join(ROOT, "artifacts", "build-info");
export const LAYOUTS = join(ROOT, "deploy", "layouts");

/** A compiled contract, named by its source file and contract name. */
export interface ContractRef {
  readonly source: string;
  readonly name: string;
}

/** What the checks found about one contract. */
export interface UpgradeCheck {
  readonly contract: string;
  /** Upgrade-unsafe code (a constructor with logic, an immutable, selfdestruct, delegatecall…). */
  readonly unsafe: string[];
  /** Storage layout changes that would corrupt the state behind the proxy, explained; empty if compatible. */
  readonly layout: string;
  readonly ok: boolean;
}

interface Hh3BuildInfo {
  readonly solcVersion: string;
  readonly userSourceNameMap: Record<string, string>;
  readonly input: { sources: Record<string, unknown>; settings?: unknown };
}

type SolcOutput = Parameters<typeof validate>[0];
type SolcInput = NonNullable<Parameters<typeof validate>[3]>;

/** Renames `project/<path>` sources to `<path>` so that names read as in the repository. */
function remap<T>(record: Record<string, T> | undefined, names: Map<string, string>): Record<string, T> | undefined {
  if (record === undefined) return undefined;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [names.get(k) ?? k, v]));
}

/** The newest build info whose compilation job was `source` (Hardhat compiles each file on its own). */
async function buildInfoOf(source: string): Promise<{ input: SolcInput; output: SolcOutput; solcVersion: string }> {
  let newest: { file: string; mtime: number } | undefined;
  for (const file of await readdir(BUILD_INFO)) {
    if (!file.endsWith(".json") || file.endsWith(".output.json")) continue;
    const text = await readFile(join(BUILD_INFO, file), "utf8");
    if (!text.includes(`"${source}"`)) continue;
    const info = JSON.parse(text) as Hh3BuildInfo;
    if (info.userSourceNameMap[source] === undefined) continue;
    const { mtimeMs } = await stat(join(BUILD_INFO, file));
    if (newest === undefined || mtimeMs > newest.mtime) newest = { file, mtime: mtimeMs };
  }
  if (newest === undefined) throw new Error(`no build info compiles ${source}: run \`npx hardhat build\` first`);
  const info = JSON.parse(await readFile(join(BUILD_INFO, newest.file), "utf8")) as Hh3BuildInfo;
  const outputFile = join(BUILD_INFO, newest.file.replace(/\.json$/, ".output.json"));
  const raw = JSON.parse(await readFile(outputFile, "utf8")) as { output?: SolcOutput } & SolcOutput;
  const output = raw.output ?? raw;
  const names = new Map(Object.entries(info.userSourceNameMap).map(([user, canonical]) => [canonical, user]));
  // Sources other than the job's own keep their canonical names (npm/…, project/…): only `source` matters.
  const input = { ...info.input, sources: remap(info.input.sources, names)! } as unknown as SolcInput;
  const renamed = {
    ...output,
    sources: remap(output.sources, names)!,
    contracts: remap(output.contracts, names)!,
  } as SolcOutput;
  return { input, output: renamed, solcVersion: info.solcVersion };
}

/** OpenZeppelin's validation of one contract: its run data and its version id. */
async function validationOf(ref: ContractRef): Promise<{ run: ValidationRunData; fqn: string }> {
  const { input, output, solcVersion } = await buildInfoOf(ref.source);
  if (output.contracts[ref.source]?.[ref.name]?.storageLayout === undefined) {
    throw new Error(
      `${ref.source} was compiled without its storage layout: list it in src/upgradeable.ts (hardhat.config.ts asks solc for the layouts of those files)`,
    );
  }
  const run = validate(output, solcInputOutputDecoder(input, output, ROOT), solcVersion, input);
  return { run, fqn: `${ref.source}:${ref.name}` };
}

/** The current storage layout of a compiled contract, and the upgrade-unsafe code OpenZeppelin finds in it. */
export async function layoutOf(ref: ContractRef): Promise<{ layout: StorageLayout; unsafe: string[] }> {
  const { run, fqn } = await validationOf(ref);
  const version = getContractVersion(run, fqn);
  const data = [run];
  const unsafe = getErrors(data, version, withValidationDefaults({})).map((e) => `${e.kind} in ${e.src}`);
  return { layout: upgradesCore.getStorageLayout(data, version), unsafe };
}

/** Whether `updated` may replace the version whose layout is `original` behind the same proxy. */
export async function checkUpgrade(original: StorageLayout, updated: ContractRef): Promise<UpgradeCheck> {
  const { layout, unsafe } = await layoutOf(updated);
  const report = getStorageUpgradeReport(original, layout, withValidationDefaults({}));
  return {
    contract: `${updated.source}:${updated.name}`,
    unsafe,
    layout: report.ok ? "" : report.explain(false),
    ok: report.ok && unsafe.length === 0,
  };
}

/** The layout recorded for the deployed version of `name`. */
export async function recordedLayout(name: UpgradeableContract): Promise<StorageLayout> {
  return JSON.parse(await readFile(join(LAYOUTS, `${name}.json`), "utf8")) as StorageLayout;
}

/** Checks every upgradeable contract as compiled now against its recorded layout. */
export async function checkAll(): Promise<UpgradeCheck[]> {
  const checks: UpgradeCheck[] = [];
  for (const [name, source] of Object.entries(UPGRADEABLE_CONTRACTS) as [UpgradeableContract, string][]) {
    checks.push(await checkUpgrade(await recordedLayout(name), { source, name }));
  }
  return checks;
}

async function record(): Promise<void> {
  await mkdir(LAYOUTS, { recursive: true });
  for (const [name, source] of Object.entries(UPGRADEABLE_CONTRACTS)) {
    const { layout, unsafe } = await layoutOf({ source, name });
    if (unsafe.length > 0) throw new Error(`${name} is not upgrade-safe:\n  ${unsafe.join("\n  ")}`);
    const file = join(LAYOUTS, `${name}.json`);
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    await writeFile(file, await prettier.format(JSON.stringify(layout), options));
    console.log(`recorded the storage layout of ${name} (${layout.storage.length} variables)`);
  }
}

async function main(): Promise<void> {
  if (process.argv.includes("--record")) return record();
  let failed = false;
  for (const c of await checkAll()) {
    if (c.ok) {
      console.log(`${c.contract}: upgrade-safe, storage layout compatible with the recorded one`);
      continue;
    }
    failed = true;
    console.error(`${c.contract}: NOT upgrade-safe`);
    for (const u of c.unsafe) console.error(`  ${u}`);
    if (c.layout !== "") console.error(c.layout.replace(/^/gm, "  "));
  }
  if (failed) process.exit(1);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
