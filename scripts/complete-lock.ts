/**
 * Completes package-lock.json with the other platforms' optional binary packages.
 *
 * The registry this project's machines reach serves only the linux-x64 builds of packages
 * such as @nomicfoundation/edr-* and @foundry-rs/anvil-*; npm then writes a lock without
 * the others, and `npm ci` rejects that lock as out of sync (npm/cli#9846). This adds, for
 * every optional dependency the lock lacks, an entry marked optional with the os/cpu/libc
 * its name states, which `npm ci` skips on other platforms. Run it after `npm install`;
 * `--check` (part of `npm run lint`) fails when the lock needs it.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const LOCK = fileURLToPath(new URL("../package-lock.json", import.meta.url));
const OS = ["darwin", "linux", "win32", "freebsd", "openbsd", "netbsd", "sunos", "aix", "android"];
const CPU: Record<string, string> = { x64: "x64", amd64: "x64", arm64: "arm64", ia32: "ia32", arm: "arm" };
const LIBC: Record<string, string> = { gnu: "glibc", musl: "musl" };

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}

/** os/cpu/libc stated by a platform package's name, e.g. edr-linux-arm64-musl. */
export function platformOf(name: string): Pick<LockEntry, "os" | "cpu" | "libc"> {
  const tokens = name.split("/").pop()!.split("-");
  const os = tokens.find((t) => OS.includes(t));
  const cpu = tokens.map((t) => CPU[t]).find((c) => c !== undefined);
  const libc = tokens.map((t) => LIBC[t]).find((l) => l !== undefined);
  if (os === undefined || cpu === undefined) throw new Error(`cannot tell the platform of ${name} from its name`);
  return { os: [os], cpu: [cpu], ...(libc !== undefined ? { libc: [libc] } : {}) };
}

async function main(): Promise<void> {
  const lock = JSON.parse(await readFile(LOCK, "utf8")) as { packages: Record<string, LockEntry> };
  const added: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
      const nested = `${path === "" ? "" : `${path}/`}node_modules/${dep}`;
      if (lock.packages[nested] !== undefined || lock.packages[`node_modules/${dep}`] !== undefined) continue;
      if (!/^\d+\.\d+\.\d+$/.test(spec))
        throw new Error(`${path} wants ${dep}@${spec}: only exact versions are completed`);
      lock.packages[`node_modules/${dep}`] = {
        version: spec,
        ...(entry.dev === true ? { dev: true } : {}),
        optional: true,
        ...platformOf(dep),
      };
      added.push(`${dep}@${spec}`);
    }
  }
  if (process.argv.includes("--check")) {
    if (added.length > 0) {
      console.error(`package-lock.json lacks ${added.join(", ")}: run \`npm run lock:complete\``);
      process.exit(1);
    }
    return;
  }
  const sorted = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
  );
  await writeFile(LOCK, JSON.stringify({ ...lock, packages: sorted }, null, 2) + "\n");
  console.log(added.length === 0 ? "package-lock.json is complete" : `added ${added.join(", ")}`);
}

await main();
