/**
 * The council's operations read back from its events (CallScheduled, CallSalt, CallExecuted, Cancelled),
 * in chunks of at most 5,000 blocks: what the governance CLI lists, executes and cancels.
 */
import { type Provider, ZeroHash, getAddress, id } from "ethers";

import { queryInChunks } from "../chain.js";
import { type Deployment, requireCouncil } from "../deployment.js";
import { LedgerError } from "../errors.js";
import { listOrganisations } from "../registry.js";
import type { CouncilOperation } from "./council.js";
import { type DescribedCall, describeCall } from "./describe.js";

/** An operation with its history and its meaning. */
export interface ListedOperation extends CouncilOperation {
  readonly status: "waiting" | "ready" | "executed" | "cancelled";
  readonly proposer: string;
  readonly proposerName?: string;
  readonly scheduledBlock: number;
  readonly scheduledTx: string;
  readonly executedBlock?: number;
  readonly cancelledBlock?: number;
  readonly description: DescribedCall;
  /** Who may still cancel it (the council's cancellers), empty once executed or cancelled. */
  readonly cancellers: string[];
}

/** Every operation the council scheduled, newest first. */
export async function listOperations(d: Deployment, options: { fromBlock?: number } = {}): Promise<ListedOperation[]> {
  const council = requireCouncil(d);
  const provider = council.runner?.provider as Provider | null | undefined;
  if (provider === null || provider === undefined) throw new LedgerError("the council is not connected to a node");
  const head = await provider.getBlockNumber();
  const from = options.fromBlock ?? 0;
  const logs = await queryInChunks((a, b) => council.queryFilter("*" as never, a, b), from, head);
  const names = new Map((await listOrganisations(d)).map((o) => [o.account.toLowerCase(), o.name]));
  const nameOf = (a: string) => names.get(a.toLowerCase());
  const now = BigInt((await provider.getBlock("latest"))?.timestamp ?? 0);

  const salts = new Map<string, string>();
  const ops = new Map<string, Omit<ListedOperation, "cancellers" | "status"> & { status: ListedOperation["status"] }>();
  const cancellers = new Set<string>();
  const CANCELLER = id("CANCELLER_ROLE");
  for (const log of logs) {
    const parsed = council.interface.parseLog(log);
    if (parsed === null) continue;
    const a = parsed.args;
    switch (parsed.name) {
      case "CallSalt":
        salts.set(a.id as string, a.salt as string);
        break;
      case "CallScheduled": {
        const opId = a.id as string;
        if (ops.has(opId)) break; // the later calls of a batch: listed by their first
        const tx = await provider.getTransaction(log.transactionHash);
        const block = await provider.getBlock(log.blockNumber);
        const proposer = getAddress(tx?.from ?? "0x0000000000000000000000000000000000000000");
        const name = nameOf(proposer);
        ops.set(opId, {
          id: opId,
          target: getAddress(a.target as string),
          value: a.value as bigint,
          data: a.data as string,
          predecessor: a.predecessor as string,
          salt: ZeroHash,
          readyAt: BigInt(block?.timestamp ?? 0) + (a.delay as bigint),
          status: "waiting",
          proposer,
          ...(name !== undefined ? { proposerName: name } : {}),
          scheduledBlock: log.blockNumber,
          scheduledTx: log.transactionHash,
          description: describeCall(d.addresses, a.target as string, a.data as string, nameOf),
        });
        break;
      }
      case "CallExecuted": {
        const op = ops.get(a.id as string);
        if (op !== undefined) ops.set(op.id, { ...op, status: "executed", executedBlock: log.blockNumber });
        break;
      }
      case "Cancelled": {
        const op = ops.get(a.id as string);
        if (op !== undefined) ops.set(op.id, { ...op, status: "cancelled", cancelledBlock: log.blockNumber });
        break;
      }
      case "RoleGranted":
      case "RoleRevoked":
        if (a.role === CANCELLER) {
          if (parsed.name === "RoleGranted") cancellers.add(getAddress(a.account as string));
          else cancellers.delete(getAddress(a.account as string));
        }
        break;
    }
  }
  return [...ops.values()]
    .map((op) => {
      const open = op.status === "waiting";
      return {
        ...op,
        salt: salts.get(op.id) ?? ZeroHash,
        status: open && now >= op.readyAt ? ("ready" as const) : op.status,
        cancellers: open ? [...cancellers] : [],
      };
    })
    .sort((x, y) => y.scheduledBlock - x.scheduledBlock);
}

/** One operation by id (or a unique prefix of it). */
export async function findOperation(d: Deployment, opId: string): Promise<ListedOperation> {
  const q = opId.trim().toLowerCase();
  if (!/^0x[0-9a-f]{4,64}$/.test(q)) throw new LedgerError(`not an operation id: ${opId} (0x followed by hex digits)`);
  const matches = (await listOperations(d)).filter((o) => o.id.toLowerCase().startsWith(q));
  if (matches.length === 0)
    throw new LedgerError(`the council has no operation ${opId}: see npx hardhat governance list`);
  if (matches.length > 1) throw new LedgerError(`${opId} matches ${matches.length} operations: give more of the id`);
  return matches[0]!;
}
