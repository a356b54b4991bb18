/**
 * The governance view: the council's operations (scheduled, executed, cancelled) decoded into words,
 * with when each can take effect and who may still cancel it, and the ledgers closed at the manager
 * (the emergency brake's and the council's `TargetClosed`). Read from the index's events table only:
 * the indexer stores the council's and the brake's events like every other contract's.
 */
import { getAddress, id } from "ethers";

import type { FoundationAddresses } from "../../deployment.js";
import { describeCall, contractAt } from "../../governance/describe.js";
import type { IndexDb } from "../db.js";

/** One council operation (a TimelockController id; a batch's calls are listed one by one). */
export interface GovernanceOperation {
  readonly id: string;
  readonly status: "waiting" | "ready" | "executed" | "cancelled";
  /** The department's key that scheduled it (the schedule transaction's sender). */
  readonly proposer: string;
  readonly proposerName?: string;
  readonly scheduledBlock: number;
  readonly scheduledAt: number;
  /** Unix time (s) from which it may be executed. */
  readonly readyAt: number;
  readonly executedBlock?: number;
  readonly cancelledBlock?: number;
  readonly calls: {
    readonly target: string;
    readonly contract?: string;
    readonly fn?: string;
    readonly data: string;
    readonly en: string;
    readonly zh: string;
  }[];
  /** Who may still cancel it: the council's cancellers, while it is not executed or cancelled. */
  readonly cancellers: { account: string; name?: string }[];
}

/** A ledger (or any target) closed at the manager, as the last TargetClosed event says. */
export interface ClosedTarget {
  readonly target: string;
  readonly contract?: string;
  readonly closedBlock: number;
  readonly closedAt: number;
  /** The guardian that braked it, when the emergency brake closed it. */
  readonly guardian?: string;
  readonly guardianName?: string;
  readonly reasonHash?: string;
}

/** GET /api/governance */
export interface GovernanceView {
  readonly council?: string;
  readonly minDelay?: number;
  readonly now: number;
  readonly operations: GovernanceOperation[];
  readonly proposers: { account: string; name?: string }[];
  readonly closed: ClosedTarget[];
}

interface Row {
  block_number: number;
  log_index: number;
  tx_hash: string;
  contract: string;
  event_name: string;
  args: string;
  timestamp: string | number;
}

const PROPOSER_ROLE = id("PROPOSER_ROLE");
const CANCELLER_ROLE = id("CANCELLER_ROLE");

/** The governance view as of the indexed block; `now` is the indexed head's time (s). */
export async function governanceView(
  db: IndexDb,
  addresses: FoundationAddresses,
  nameOf: (account: string) => string | undefined,
  now: number,
): Promise<GovernanceView> {
  const rows = (await db
    .selectFrom("events as e")
    .innerJoin("blocks as b", "b.number", "e.block_number")
    .innerJoin("transactions as t", "t.hash", "e.tx_hash")
    .select([
      "e.block_number",
      "e.log_index",
      "e.tx_hash",
      "e.contract",
      "e.event_name",
      "e.args",
      "b.timestamp",
      "t.from_address as from",
    ])
    .where((eb) =>
      eb.or([
        eb("e.contract", "in", ["Council", "EmergencyBrake"]),
        eb.and([eb("e.contract", "=", "AccessManager"), eb("e.event_name", "=", "TargetClosed")]),
      ]),
    )
    .orderBy("e.block_number")
    .orderBy("e.log_index")
    .execute()) as (Row & { from: string })[];

  const ops = new Map<string, GovernanceOperation & { calls: GovernanceOperation["calls"] }>();
  const roleMembers = new Map<string, Set<string>>([
    [PROPOSER_ROLE, new Set()],
    [CANCELLER_ROLE, new Set()],
  ]);
  let minDelay: number | undefined;
  const closed = new Map<string, ClosedTarget>();
  const named = (account: string) => {
    const name = nameOf(account);
    return name === undefined ? { account: getAddress(account) } : { account: getAddress(account), name };
  };
  for (const r of rows) {
    const a = JSON.parse(r.args) as Record<string, string>;
    if (r.contract === "Council") {
      switch (r.event_name) {
        case "CallScheduled": {
          const existing = ops.get(a.id!);
          const target = getAddress(a.target!);
          const words = describeCall(addresses, target, a.data!, nameOf);
          const call = {
            target,
            ...(words.contract !== undefined ? { contract: words.contract } : {}),
            ...(words.fn !== undefined ? { fn: words.fn } : {}),
            data: a.data!,
            en: words.en,
            zh: words.zh,
          };
          if (existing !== undefined && existing.scheduledBlock === r.block_number) {
            existing.calls.push(call);
            break;
          }
          const proposer = named(r.from);
          ops.set(a.id!, {
            id: a.id!,
            status: "waiting",
            proposer: proposer.account,
            ...(proposer.name !== undefined ? { proposerName: proposer.name } : {}),
            scheduledBlock: r.block_number,
            scheduledAt: Number(r.timestamp),
            readyAt: Number(r.timestamp) + Number(a.delay),
            calls: [call],
            cancellers: [],
          });
          break;
        }
        case "CallExecuted": {
          const op = ops.get(a.id!);
          if (op !== undefined) ops.set(a.id!, { ...op, status: "executed", executedBlock: r.block_number });
          break;
        }
        case "Cancelled": {
          const op = ops.get(a.id!);
          if (op !== undefined) ops.set(a.id!, { ...op, status: "cancelled", cancelledBlock: r.block_number });
          break;
        }
        case "MinDelayChange":
          minDelay = Number(a.newDuration);
          break;
        case "RoleGranted":
        case "RoleRevoked": {
          const set = roleMembers.get(a.role!);
          if (set !== undefined) {
            if (r.event_name === "RoleGranted") set.add(getAddress(a.account!));
            else set.delete(getAddress(a.account!));
          }
          break;
        }
      }
    } else if (r.contract === "EmergencyBrake" && r.event_name === "LedgerClosed") {
      const target = getAddress(a.ledger!);
      const prev = closed.get(target);
      if (prev !== undefined) {
        const g = named(a.guardian!);
        closed.set(target, {
          ...prev,
          guardian: g.account,
          ...(g.name !== undefined ? { guardianName: g.name } : {}),
          reasonHash: a.reasonHash!,
        });
      }
    } else if (r.contract === "AccessManager") {
      const target = getAddress(a.target!);
      if (String(a.closed) === "true") {
        const contract = contractAt(addresses, target);
        closed.set(target, {
          target,
          ...(contract !== undefined ? { contract } : {}),
          closedBlock: r.block_number,
          closedAt: Number(r.timestamp),
        });
      } else closed.delete(target);
    }
  }
  const cancellers = [...roleMembers.get(CANCELLER_ROLE)!].map(named);
  const operations = [...ops.values()]
    .map((op) => {
      const open = op.status === "waiting";
      const status = open && now >= op.readyAt ? ("ready" as const) : op.status;
      return { ...op, status, cancellers: open ? cancellers : [] };
    })
    .sort((x, y) => y.scheduledBlock - x.scheduledBlock);
  return {
    ...(addresses.Council !== undefined ? { council: addresses.Council } : {}),
    ...(minDelay !== undefined ? { minDelay } : {}),
    now,
    operations,
    proposers: [...roleMembers.get(PROPOSER_ROLE)!].map(named),
    closed: [...closed.values()],
  };
}
