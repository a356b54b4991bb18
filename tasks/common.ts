/**
 * What every task shares: connecting to the chosen network, finding the deployment,
 * choosing the acting account, and reporting errors in one line.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { Result } from "hardhat/types/utils";
import { SingleBar } from "cli-progress";

import { legacyOverrides, type LegacyOverrides } from "../src/chain.js";
import { loadDeployment, type Deployment } from "../src/deployment.js";
import { bindFileDigests } from "../src/documents/digests.js";
import { InvalidInputError, LedgerError, UserError } from "../src/errors.js";
import { takeHashedFiles } from "../src/hash.js";
import { formatYuan, parseYuan } from "../src/money.js";
import { explain } from "../src/refusals.js";
import { findOrganisation, parseAddress, type Organisation } from "../src/registry.js";

/** A connected session: the deployment, the acting signer and the overrides every write uses. */
export interface Session {
  readonly networkName: string;
  readonly deployment: Deployment;
  readonly signer: HardhatEthersSigner;
  readonly overrides: LegacyOverrides;
}

/** Connects to the network chosen with --network and acts as `from` (default: the first account). */
export async function openSession(hre: HardhatRuntimeEnvironment, from: string): Promise<Session> {
  const connection = await hre.network.getOrCreate();
  const { ethers, networkName, networkConfig } = connection;
  const signers = await ethers.getSigners();
  let signer: HardhatEthersSigner | undefined;
  if (from === "") {
    signer = signers[0];
    if (signer === undefined) throw new LedgerError(`no account is configured for network ${networkName}`);
  } else {
    const address = parseAddress("--from", from);
    signer = signers.find((s) => s.address === address);
    if (signer === undefined) {
      throw new LedgerError(
        `account ${address} is not available on network ${networkName}; available: ${signers.map((s) => s.address).join(", ") || "none"}`,
      );
    }
  }
  const deployment = await loadDeployment(signer);
  const overrides = await legacyOverrides(ethers.provider, networkConfig.gasPrice);
  acting = { networkName, deployment, signer, overrides };
  return acting;
}

/** The session the running task opened last: the organisation that anchored the files it hashed. */
let acting: Session | undefined;

/** {@link openSession}, refusing a deployment without the ledger `need` returns (e.g. `requireTrace`). */
export async function session(
  hre: HardhatRuntimeEnvironment,
  from: string,
  need: (d: Deployment) => unknown,
): Promise<Session> {
  const s = await openSession(hre, from);
  need(s.deployment);
  return s;
}

/** Connects read-only (no account needed). */
export async function openReader(hre: HardhatRuntimeEnvironment): Promise<Deployment> {
  const { ethers } = await hre.network.getOrCreate();
  return loadDeployment(ethers.provider);
}

/**
 * Runs a task body; a refusal or invalid input is printed as one line on stderr and the
 * task fails (exit code 1) without a stack trace. Anything unexpected keeps its stack.
 */
export async function runTask(body: () => Promise<void>): Promise<Result<void, Error>> {
  try {
    takeHashedFiles();
    acting = undefined;
    await body();
    await bindHashedFiles();
    return { success: true, value: undefined };
  } catch (e) {
    const error = explain(e);
    if (error instanceof UserError) {
      console.error(`Error: ${error.message}`);
      return { success: false, error };
    }
    throw error;
  }
}

/**
 * After a command that hashed files (`--*-file` options, evidence columns of an import) and succeeded: the
 * acting organisation binds each file's SHA-256 to the keccak-256 it anchored, all files in one transaction
 * (src/documents/digests.ts), so that the explorer finds the records by either digest. Skipped when the
 * deployment predates DocumentDigests or the account is not an active organisation (the council, a deployer).
 */
async function bindHashedFiles(): Promise<void> {
  const files = takeHashedFiles();
  const s = acting;
  acting = undefined;
  if (files.length === 0 || s === undefined || s.deployment.documentDigests === undefined) return;
  const org = await s.deployment.registry.organisation(s.signer.address);
  if (org.status !== 1n) return;
  for (const w of await bindFileDigests(s.deployment, s.signer, files, s.overrides))
    console.log(
      `bound the SHA-256 of ${w.value} file${w.value === 1 ? "" : "s"} to ${w.value === 1 ? "its" : "their"} keccak-256 ${mined(w)}`,
    );
}

/** The value of a required option; a missing one is refused before anything is sent. */
export function required(flag: string, value: string | undefined): string {
  if (value === undefined || value.trim() === "") throw new LedgerError(`missing ${flag}`);
  return value;
}

/** An organisation named by account, credit code or exact name. */
export async function organisationOption(
  d: Deployment,
  flag: string,
  query: string | undefined,
): Promise<Organisation> {
  const q = required(flag, query);
  const org = await findOrganisation(d, q);
  if (org === undefined) throw new LedgerError(`${flag}: no registered organisation matches ${JSON.stringify(q)}`);
  return org;
}

/** `in block N, tx 0x…` */
export const mined = (w: { blockNumber: number; txHash: string }) => `in block ${w.blockNumber}, tx ${w.txHash}`;

/** JSON for `--json` output, with bigints as decimal strings. */
export const jsonText = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x), 2);

/** A required whole number from 1 to `max` (ids, counts, periods). */
export function positiveInt(field: string, input: string | undefined, max = 2 ** 32 - 1): number {
  const v = required(field, input).trim();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) {
    throw new InvalidInputError(field, input, `must be a whole number from 1 to ${max}`);
  }
  return Number(v);
}

/** A required amount option in yuan, as positive fen. */
export function amountOption(flag: string, value: string | undefined): bigint {
  const fen = parseYuan(required(flag, value), flag);
  if (fen === 0n) throw new InvalidInputError(flag, value, "must be more than zero");
  return fen;
}

/** An amount of fen as yuan with the symbol, for the CLI's lines. */
export const yuan = (fen: bigint) => formatYuan(fen, { symbol: true });

/**
 * A progress bar on stderr for a long write (`what` names the count, e.g. "donations"), started
 * at the first report of progress; `stop` it when done.
 */
export function progressBar(
  label: string,
  what: string,
): {
  onProgress: (done: number, total: number) => void;
  stop: () => void;
} {
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} ${what} | {duration}s`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    hideCursor: true,
  });
  let started = false;
  return {
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
