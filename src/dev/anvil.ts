/**
 * Anvil (from the npm package `@foundry-rs/anvil`) as the local stand-in for a free-gas
 * consortium chain: gas price 0, base fee 0, a fixed chain id, state kept on disk.
 * Used by `npm run chain` and by the tests that need a JSON-RPC node.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

export interface AnvilOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port?: number;
  readonly chainId?: number;
  /** Seconds between blocks; undefined mines a block per transaction (on demand). */
  readonly blockTime?: number;
  /** Folder for `state.json`; undefined keeps nothing. */
  readonly dataDir?: string;
  /** Seconds between state dumps while running (a crash loses at most this much). */
  readonly stateInterval?: number;
  readonly accounts?: number;
  /** Where Anvil's own output goes. */
  readonly stdio?: "inherit" | "ignore";
}

export interface RunningAnvil {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Stops Anvil with SIGINT (it saves its state) and waits for it to exit. */
  stop(): Promise<void>;
}

const ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64" };

/** Path of the platform's Anvil binary shipped by `@foundry-rs/anvil-<os>-<arch>`. */
export function anvilBinary(): string {
  const require = createRequire(import.meta.url);
  const pkg = `@foundry-rs/anvil-${process.platform}-${ARCH[process.arch] ?? process.arch}`;
  try {
    return join(
      dirname(require.resolve(`${pkg}/package.json`)),
      "bin",
      process.platform === "win32" ? "anvil.exe" : "anvil",
    );
  } catch {
    throw new Error(
      `Anvil has no binary for ${process.platform}/${process.arch} (package ${pkg} is not installed): run npm ci under Node >= 22.13`,
    );
  }
}

/** A TCP port on 127.0.0.1 that is free right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** The arguments Anvil gets for these options (`history`: where it swaps out past states). */
export function anvilArgs(o: AnvilOptions & { port: number; history?: string }): string[] {
  const args = [
    "--host",
    "127.0.0.1",
    "--port",
    String(o.port),
    "--chain-id",
    String(o.chainId ?? 750),
    "--accounts",
    String(o.accounts ?? 20),
    "--gas-price",
    "0",
    "--base-fee",
    "0",
    "--hardfork",
    "paris",
  ];
  if (o.blockTime !== undefined) args.push("--block-time", String(o.blockTime));
  if (o.dataDir !== undefined) {
    args.push("--state", join(o.dataDir, "state.json"), "--preserve-historical-states");
    args.push("--state-interval", String(o.stateInterval ?? 5));
    // Past blocks' states that do not fit in memory go to disk (a few MB a block with the ledgers
    // deployed). By default they go to ~/.foundry/anvil/tmp, where a killed node leaves them for ever.
    if (o.history !== undefined) args.push("--cache-path", o.history);
  }
  return args;
}

/** Prefix of the folders in the data folder where one Anvil process swaps out past states. */
const HISTORY = "history-";

async function rpcReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** Starts Anvil and resolves once it answers JSON-RPC. */
export async function startAnvil(options: AnvilOptions = {}): Promise<RunningAnvil> {
  const port = options.port === undefined || options.port === 0 ? await freePort() : options.port;
  let history: string | undefined;
  if (options.dataDir !== undefined) {
    await mkdir(options.dataDir, { recursive: true });
    // What an earlier node swapped out is of no use to this one (state.json holds the history);
    // each process gets its own folder, removed when it exits, however it exits.
    for (const f of await readdir(options.dataDir))
      if (f.startsWith(HISTORY)) await rm(join(options.dataDir, f), { recursive: true, force: true });
    history = join(options.dataDir, `${HISTORY}${port}-${Date.now()}`);
  }
  const child = spawn(anvilBinary(), anvilArgs({ ...options, port, history }), {
    stdio: options.stdio === "inherit" ? "inherit" : "ignore",
  });
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code) => {
      exited = code;
      if (history === undefined) resolve();
      else void rm(history, { recursive: true, force: true }).finally(resolve);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await rpcReady(url))) {
    if (exited !== undefined) throw new Error(`anvil exited with code ${exited} before answering on ${url}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`anvil did not answer on ${url} within 30 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    process: child,
    async stop() {
      if (exited === undefined) {
        child.kill("SIGINT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exit;
        clearTimeout(timer);
      }
    },
  };
}
