/**
 * Runs the CLI as a user would (`npx hardhat … --network localhost`) against an Anvil node the
 * test starts on a free port, with its own chain id, data folder and deployment records.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { JsonRpcProvider } from "ethers";

import { startAnvil, type RunningAnvil } from "../../src/dev/anvil.js";

const exec = promisify(execFile);
export const ROOT = new URL("../..", import.meta.url).pathname;

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** stderr without npm's own configuration warnings. */
export const errorLines = (r: Run) => r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("npm warn"));

export interface LocalChain {
  readonly chainId: number;
  readonly dataDir: string;
  url(): string;
  /** `npx hardhat <args> --network localhost` against this chain. */
  hardhat(...args: string[]): Promise<Run>;
  blockNumber(): Promise<number>;
  /** Stops the node (it saves its state) and starts it again on the same data and port. */
  restart(): Promise<void>;
  /** Stops the node and removes its data and deployment records. */
  dispose(): Promise<void>;
}

/**
 * Starts a chain whose id is in [base, base + 50): test files pick distinct bases so that
 * their deployment records (deploy/deployments/chain-<id>, git-ignored) never meet.
 */
export async function startLocalChain(base: number): Promise<LocalChain> {
  const chainId = base + Math.floor(Math.random() * 50);
  const dataDir = await mkdtemp(join(tmpdir(), "zhixin-chain-"));
  let anvil: RunningAnvil = await startAnvil({ chainId, dataDir });
  return {
    chainId,
    dataDir,
    url: () => anvil.url,
    async hardhat(...args: string[]): Promise<Run> {
      try {
        // ZHIXIN_TEST_NO_COMPILE=1: `hardhat run` skips its build (the caller built already).
        const run =
          args[0] === "run" && process.env.ZHIXIN_TEST_NO_COMPILE === "1"
            ? ["run", "--no-compile", ...args.slice(1)]
            : args;
        const { stdout, stderr } = await exec("npx", ["hardhat", ...run, "--network", "localhost"], {
          cwd: ROOT,
          env: { ...process.env, ZHIXIN_LOCAL_RPC_URL: anvil.url, ZHIXIN_LOCAL_CHAIN_ID: String(chainId) },
          maxBuffer: 16 * 1024 * 1024,
        });
        return { code: 0, stdout, stderr };
      } catch (e) {
        const err = e as { code: number; stdout: string; stderr: string };
        return { code: err.code, stdout: err.stdout, stderr: err.stderr };
      }
    },
    blockNumber: () => new JsonRpcProvider(anvil.url).getBlockNumber(),
    async restart() {
      const port = anvil.port;
      await anvil.stop();
      anvil = await startAnvil({ chainId, dataDir, port });
    },
    async dispose() {
      await anvil.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(join(ROOT, "deploy/deployments", `chain-${chainId}`), { recursive: true, force: true });
    },
  };
}

/** The sample charity and civil-affairs accounts (deploy/organisations/jiangmen.json). */
export const SAMPLE_CHARITY = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
export const SAMPLE_CIVIL_AFFAIRS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

/**
 * Deploys the ledgers on `chain` and has the sample charity propose fundraising project `code` (target ¥100,000)
 * and civil affairs approve it, through the CLI; throws with the CLI's stderr if a step fails.
 */
export async function deployWithApprovedProject(chain: LocalChain, code: string): Promise<void> {
  const steps: string[][] = [
    ["run", "scripts/deploy-local.ts"],
    [
      "charity",
      "project",
      "propose",
      code,
      "--target",
      "100,000",
      "--permit-hash",
      "0x" + "11".repeat(32),
      "--from",
      SAMPLE_CHARITY,
    ],
    ["charity", "project", "approve", code, "--from", SAMPLE_CIVIL_AFFAIRS],
  ];
  for (const args of steps) {
    const r = await chain.hardhat(...args);
    if (r.code !== 0) throw new Error(`npx hardhat ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  }
}
