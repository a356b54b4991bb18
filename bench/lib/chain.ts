/**
 * A local Anvil for the CLI benchmarks (chain ids 7800–7899, so their deployment records never meet
 * the tests' 7500–7699), with what the fault benchmarks need beyond test/helpers/cli.ts: killing the
 * node without warning (SIGKILL: no final state dump) and starting it again on the same data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { JsonRpcProvider } from "ethers";

import { startAnvil, type RunningAnvil } from "../../src/dev/anvil.js";
import { ROOT } from "./common.js";

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export interface BenchChain {
  readonly chainId: number;
  readonly dataDir: string;
  url(): string;
  provider(): JsonRpcProvider;
  env(): NodeJS.ProcessEnv;
  /** Starts `npx hardhat <args> --network localhost` against this chain. */
  spawnHardhat(args: string[], cwd?: string): { child: ChildProcess; done: Promise<Run>; kill(): void };
  hardhat(args: string[], cwd?: string): Promise<Run>;
  /** SIGKILL: the node dies at once, keeping only the state it dumped last (every `stateInterval` s). */
  kill(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT) {
  const t0 = Date.now();
  // Its own process group, so that a hung run can be ended with everything it started.
  const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<Run>((resolve) =>
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr, seconds: (Date.now() - t0) / 1000 })),
  );
  const kill = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // exited already
    }
  };
  return { child, done, kill };
}

/** Resolves with the run, or with undefined when it has not ended within `ms`. */
export async function within(done: Promise<Run>, ms: number): Promise<Run | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
  const result = await Promise.race([done, timeout]);
  clearTimeout(timer);
  return result;
}

export async function startBenchChain(offset: number, stateInterval = 5): Promise<BenchChain> {
  const chainId = 7800 + (offset % 100);
  const dataDir = await mkdtemp(join(tmpdir(), "zhixin-bench-chain-"));
  let anvil: RunningAnvil | undefined;
  let provider: JsonRpcProvider | undefined;
  const start = async () => {
    // A restarted node comes back where it was: on the same port, so clients can reconnect.
    anvil = await startAnvil({ chainId, dataDir, stateInterval, port: anvil?.port });
    provider = new JsonRpcProvider(anvil.url, chainId, { staticNetwork: true });
  };
  await start();
  const env = () => ({
    ...process.env,
    ZHIXIN_LOCAL_RPC_URL: anvil!.url,
    ZHIXIN_LOCAL_CHAIN_ID: String(chainId),
  });
  const spawnHardhat = (args: string[], cwd = ROOT) =>
    run("npx", ["hardhat", ...args, "--network", "localhost"], env(), cwd);
  return {
    chainId,
    dataDir,
    url: () => anvil!.url,
    provider: () => provider!,
    env,
    spawnHardhat,
    // A run that has not ended after 5 minutes is ended and reported as hung (exit code -2).
    async hardhat(args, cwd) {
      const r = spawnHardhat(args, cwd);
      const ended = await within(r.done, 300_000);
      if (ended !== undefined) return ended;
      r.kill();
      const killed = await r.done;
      return { ...killed, code: -2, stderr: killed.stderr + "\nhung: ended by the benchmark after 300 s" };
    },
    async kill() {
      provider?.destroy();
      const child = anvil!.process;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGKILL");
      await exited;
    },
    start,
    async dispose() {
      provider?.destroy();
      await anvil?.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(join(ROOT, "deploy/deployments", `chain-${chainId}`), { recursive: true, force: true });
    },
  };
}
