/**
 * The council: OpenZeppelin's TimelockController, the only holder of ADMIN (with the emergency brake).
 * Every rule change goes schedule → delay → execute; a department's key proposes, any department may
 * cancel while the operation waits, anyone may execute once it is ready. The one helper that tests, the
 * demo, the CLI and the upgrade scripts share.
 */
import { type Provider, type Signer, ZeroHash, hexlify, randomBytes } from "ethers";

import { type LegacyOverrides, legacyOverrides } from "../chain.js";
import { type Deployment, requireCouncil } from "../deployment.js";
import { LedgerError } from "../errors.js";
import { sendChecked } from "../tx.js";
import { type Words, describeCall } from "./describe.js";
import type { TimelockController } from "../../types/ethers-contracts/index.js";

/** A call the council makes. */
export interface CouncilCall {
  readonly target: string;
  readonly data: string;
  readonly value?: bigint;
}

/** A scheduled operation, as the council stores it (its id is `hashOperation` of the rest). */
export interface CouncilOperation {
  readonly id: string;
  readonly target: string;
  readonly value: bigint;
  readonly data: string;
  readonly predecessor: string;
  readonly salt: string;
  /** Unix time (s) from which it may be executed. */
  readonly readyAt: bigint;
}

/** Where an operation stands (TimelockController.OperationState). */
export type OperationState = "unset" | "waiting" | "ready" | "done";
const STATES: readonly OperationState[] = ["unset", "waiting", "ready", "done"];

/** The council's operation cannot go on in its state. */
export class CouncilOperationError extends LedgerError {
  constructor(
    readonly operationId: string,
    readonly state: OperationState,
    message: string,
  ) {
    super(message);
    this.name = "CouncilOperationError";
  }
}

/** The overrides given, or the node's legacy ones (its gas price: 0 on free-gas chains). */
async function overridesFor(council: TimelockController, given?: LegacyOverrides): Promise<LegacyOverrides> {
  if (given !== undefined) return given;
  const provider = council.runner?.provider;
  if (provider === null || provider === undefined) throw new LedgerError("the council is not connected to a node");
  return legacyOverrides(provider);
}

/** The state of operation `id`. */
export async function operationState(council: TimelockController, id: string): Promise<OperationState> {
  return STATES[Number(await council.getOperationState(id))] ?? "unset";
}

/**
 * Schedules `call` on the council as `proposer` (a department's key holding PROPOSER_ROLE). The delay is
 * the council's minimum unless a longer one is given; the salt is random unless given.
 */
export async function scheduleOperation(
  council: TimelockController,
  proposer: Signer,
  call: CouncilCall,
  options: { delay?: bigint; salt?: string; predecessor?: string; overrides?: LegacyOverrides } = {},
): Promise<CouncilOperation & { txHash: string }> {
  const value = call.value ?? 0n;
  const predecessor = options.predecessor ?? ZeroHash;
  const salt = options.salt ?? hexlify(randomBytes(32));
  const minDelay = await council.getMinDelay();
  const delay = options.delay ?? minDelay;
  const c = council.connect(proposer);
  const { receipt } = await sendChecked(
    c.schedule,
    [call.target, value, call.data, predecessor, salt, delay],
    await overridesFor(council, options.overrides),
  );
  const id = await council.hashOperation(call.target, value, call.data, predecessor, salt);
  const readyAt = await council.getTimestamp(id);
  return { id, target: call.target, value, data: call.data, predecessor, salt, readyAt, txHash: receipt.hash };
}

/**
 * Waits until operation `op` may be executed: on a development node (Hardhat's in-process network,
 * Anvil) it moves the clock forward; on a real chain (geth, Besu, which cannot time-travel) it waits
 * for a block at or after `readyAt`, polling every `pollMs`.
 */
export async function waitUntilReady(
  council: TimelockController,
  op: Pick<CouncilOperation, "id" | "readyAt">,
  options: { advance?: boolean; pollMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const provider = council.runner?.provider as Provider | null | undefined;
  if (provider === null || provider === undefined) throw new LedgerError("the council is not connected to a node");
  const state = await operationState(council, op.id);
  if (state === "unset" || state === "done")
    throw new CouncilOperationError(
      op.id,
      state,
      `operation ${op.id} is ${state === "done" ? "executed already" : "not scheduled (or was cancelled)"}`,
    );
  const latest = async () => BigInt((await provider.getBlock("latest"))?.timestamp ?? 0);
  if ((await latest()) >= op.readyAt) return;
  if (options.advance !== false && (await advanceClock(provider, op.readyAt - (await latest())))) return;
  const deadline = Date.now() + (options.timeoutMs ?? Number(op.readyAt - (await latest())) * 1000 + 120_000);
  while ((await latest()) < op.readyAt) {
    if (Date.now() > deadline)
      throw new LedgerError(`operation ${op.id} is still not ready: no block at or after ${op.readyAt} yet`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 1000));
  }
}

/** Moves a development node's clock `seconds` forward and mines a block; false when the node cannot. */
async function advanceClock(provider: Provider, seconds: bigint): Promise<boolean> {
  const send = (provider as { send?: (method: string, params: unknown[]) => Promise<unknown> }).send;
  if (typeof send !== "function") return false;
  try {
    await send.call(provider, "evm_increaseTime", [Number(seconds)]);
    await send.call(provider, "evm_mine", []);
    return true;
  } catch {
    return false; // geth, Besu: no time travel
  }
}

/** Executes a ready operation (anyone may: the council's executor role is open). */
export async function executeOperation(
  council: TimelockController,
  executor: Signer,
  op: Omit<CouncilOperation, "readyAt" | "id">,
  overrides?: LegacyOverrides,
): Promise<{ txHash: string; blockNumber: number }> {
  const base = await overridesFor(council, overrides);
  const { receipt } = await sendChecked(
    council.connect(executor).execute,
    [op.target, op.value, op.data, op.predecessor, op.salt],
    // A call that carries value (none of the ledgers' does) sends it along.
    (op.value > 0n ? { ...base, value: op.value } : base) as LegacyOverrides,
  );
  return { txHash: receipt.hash, blockNumber: receipt.blockNumber };
}

/** Cancels a waiting (or ready, not executed) operation as `canceller` (a department's key). */
export async function cancelOperation(
  council: TimelockController,
  canceller: Signer,
  id: string,
  overrides?: LegacyOverrides,
): Promise<{ txHash: string }> {
  const { receipt } = await sendChecked(
    council.connect(canceller).cancel,
    [id],
    await overridesFor(council, overrides),
  );
  return { txHash: receipt.hash };
}

/** Who acts for the council in {@link throughCouncil}: the proposer, and who executes (the proposer by default). */
export interface CouncilSigners {
  readonly proposer: Signer;
  readonly executor?: Signer;
}

/**
 * Makes the council perform `call`: schedule as `proposer`, wait out the delay (moving a development
 * node's clock; waiting on a real chain), execute. Accepts a deployment or the council contract itself;
 * given a deployment, the result carries the call in words and `log` (if given) says each step.
 */
export async function throughCouncil(
  councilOrDeployment: TimelockController | Deployment,
  signers: CouncilSigners,
  call: CouncilCall,
  options: { overrides?: LegacyOverrides; salt?: string; delay?: bigint; log?: (line: string) => void } = {},
): Promise<CouncilOperation & { txHash: string; blockNumber: number; words?: Words }> {
  const deployment = "chainId" in councilOrDeployment ? councilOrDeployment : undefined;
  const council = deployment !== undefined ? requireCouncil(deployment) : (councilOrDeployment as TimelockController);
  const words = deployment !== undefined ? describeCall(deployment.addresses, call.target, call.data) : undefined;
  const what = words !== undefined ? `${words.zh} / ${words.en}` : `${call.data.slice(0, 10)} on ${call.target}`;
  const op = await scheduleOperation(council, signers.proposer, call, options);
  options.log?.(`  council: scheduled ${op.id.slice(0, 10)} (${what}), ready at ${op.readyAt}`);
  await waitUntilReady(council, op);
  const done = await executeOperation(council, signers.executor ?? signers.proposer, op, options.overrides);
  options.log?.(`  council: executed ${op.id.slice(0, 10)} in block ${done.blockNumber}`);
  return { ...op, ...done, ...(words !== undefined ? { words } : {}) };
}
