/**
 * Where a programme's money went, from the chain alone: the allocation tree from finance down to
 * every holder and project, each holder's counters (state, so they are exact), the beneficiaries it
 * paid (counted, never listed by key: the public sees how many and how much), pending proposals and
 * the audit findings on any of it. `relief tree`, `relief report`, the demo and the explorer's
 * programme page read it the same way. Logs are read in chunks of at most 5,000 blocks.
 */
import type { Log, Provider } from "ethers";

import type { ReliefLedger } from "../../types/ethers-contracts/contracts/relief/ReliefLedger.js";
import { logRangeOf, queryInChunks } from "../chain.js";
import { requireRelief, type Deployment } from "../deployment.js";
import { LedgerError } from "../errors.js";
import {
  type FindingView,
  type HoldingView,
  type ProgrammeView,
  type ProjectView,
  getFinding,
  getHolding,
  getProgramme,
  getProject,
} from "./ledger.js";
import { BENEFICIARY } from "./vocabulary.js";

/** Beneficiary payments of one holder: counts and sums, no keys. */
export interface PaymentTotals {
  /** Distinct beneficiaries paid (approved). */
  readonly beneficiaries: number;
  /** Approved payments (a beneficiary paid in several periods counts once per period). */
  readonly payments: number;
  readonly amount: bigint;
  /** Proposed, awaiting approval. */
  readonly pending: number;
  readonly pendingAmount: bigint;
  readonly rejected: number;
}

export interface TreeNode {
  readonly holding: HoldingView;
  /** Depth below finance (0 = finance). */
  readonly depth: number;
  readonly payments: PaymentTotals;
  readonly children: readonly TreeNode[];
  /** Projects this holder created and funds. */
  readonly projects: readonly ProjectView[];
}

export interface ProgrammeTree {
  readonly programme: ProgrammeView;
  readonly root: TreeNode;
  /** Every node, root first, depth-first. */
  readonly nodes: readonly TreeNode[];
  readonly projects: readonly ProjectView[];
  readonly findings: readonly FindingView[];
  /** Sums over the tree, for the check appropriated = Σ(available + reserved) + disbursed. */
  readonly totals: {
    readonly available: bigint;
    readonly reserved: bigint;
    readonly disbursed: bigint;
    readonly beneficiaries: number;
  };
}

type Parsed = { name: string; args: Record<string, unknown>; log: Log };

/** Every log of the relief ledger whose topic `position` is `value`, parsed, in chain order. */
async function logsWithTopic(
  relief: ReliefLedger,
  provider: Provider,
  events: readonly string[],
  position: 1 | 2 | 3,
  value: string | null,
  toBlock: number,
): Promise<Parsed[]> {
  const address = await relief.getAddress();
  const topic0 = events.map((e) => relief.interface.getEvent(e as never)!.topicHash);
  const topics: (string | string[] | null)[] = [topic0, null, null, null].slice(0, position + 1);
  topics[position] = value;
  const logs = await queryInChunks(
    (fromBlock, to) => provider.getLogs({ address, topics, fromBlock, toBlock: to }),
    0,
    toBlock,
    { chunk: logRangeOf(provider) },
  );
  return logs.map((log) => {
    const p = relief.interface.parseLog(log)!;
    const args: Record<string, unknown> = {};
    p.fragment.inputs.forEach((input, i) => (args[input.name] = p.args[i]));
    return { name: p.name, args, log };
  });
}

function emptyTotals(): { -readonly [K in keyof PaymentTotals]: PaymentTotals[K] } {
  return { beneficiaries: 0, payments: 0, amount: 0n, pending: 0, pendingAmount: 0n, rejected: 0 };
}

/** The allocation tree of a programme. */
export async function programmeTree(d: Deployment, programmeId: string): Promise<ProgrammeTree> {
  const relief = requireRelief(d);
  const provider = relief.runner?.provider;
  if (provider === null || provider === undefined) throw new Error("programmeTree needs a connected deployment");
  const programme = await getProgramme(d, programmeId);
  if (programme === undefined) throw new LedgerError(`no programme ${programmeId} on this chain`);
  const toBlock = await provider.getBlockNumber();

  const [allocations, decisions, created] = await Promise.all([
    logsWithTopic(relief, provider, ["Allocated"], 1, programmeId, toBlock),
    logsWithTopic(
      relief,
      provider,
      ["DisbursementProposed", "DisbursementApproved", "DisbursementRejected"],
      2,
      programmeId,
      toBlock,
    ),
    logsWithTopic(relief, provider, ["ProjectCreated"], 2, programmeId, toBlock),
  ]);
  const flows = [...allocations, ...decisions].sort(
    (a, b) => a.log.blockNumber - b.log.blockNumber || a.log.index - b.log.index,
  );

  // Holders in the order they first received money; the latest proposal of each disbursement id.
  const holders = [programme.finance];
  const proposals = new Map<string, { holder: string; key: string; amount: bigint; kind: number; status: string }>();
  const allocationIds: bigint[] = [];
  for (const { name, args } of flows) {
    if (name === "Allocated") {
      allocationIds.push(args.allocationId as bigint);
      if (!holders.includes(args.to as string)) holders.push(args.to as string);
    } else if (name === "DisbursementProposed") {
      proposals.set(args.disbursementId as string, {
        holder: args.holder as string,
        key: args.recipient as string,
        amount: args.amount as bigint,
        kind: Number(args.kind),
        status: "proposed",
      });
    } else {
      const p = proposals.get(args.disbursementId as string);
      if (p !== undefined) p.status = name === "DisbursementApproved" ? "approved" : "rejected";
    }
  }

  const payments = new Map<string, ReturnType<typeof emptyTotals>>();
  const paidKeys = new Map<string, Set<string>>();
  for (const p of proposals.values()) {
    if (p.kind !== BENEFICIARY) continue;
    const t = payments.get(p.holder) ?? emptyTotals();
    payments.set(p.holder, t);
    if (p.status === "approved") {
      t.payments++;
      t.amount += p.amount;
      const keys = paidKeys.get(p.holder) ?? new Set<string>();
      keys.add(p.key);
      paidKeys.set(p.holder, keys);
      t.beneficiaries = keys.size;
    } else if (p.status === "proposed") {
      t.pending++;
      t.pendingAmount += p.amount;
    } else {
      t.rejected++;
    }
  }

  const [holdings, projects] = await Promise.all([
    Promise.all(holders.map((h) => getHolding(d, programmeId, h))),
    Promise.all(created.map((c) => getProject(d, c.args.projectId as string))),
  ]);
  const projectList = projects.filter((p): p is ProjectView => p !== undefined);

  const byParent = new Map<string, HoldingView[]>();
  for (const h of holdings.slice(1)) {
    const list = byParent.get(h.parent ?? "") ?? [];
    list.push(h);
    byParent.set(h.parent ?? "", list);
  }
  const nodes: TreeNode[] = [];
  const build = (holding: HoldingView, depth: number): TreeNode => {
    const node: TreeNode = {
      holding,
      depth,
      payments: payments.get(holding.holder) ?? emptyTotals(),
      children: [],
      projects: projectList.filter((p) => p.holder === holding.holder),
    };
    nodes.push(node);
    (node.children as TreeNode[]).push(...(byParent.get(holding.holder) ?? []).map((h) => build(h, depth + 1)));
    return node;
  };
  const root = build(holdings[0]!, 0);

  // Findings on the programme, its allocations, disbursements, projects and the beneficiaries it paid.
  const targets = new Set<string>([
    programmeId.toLowerCase(),
    ...allocationIds.map((id) => `0x${id.toString(16).padStart(64, "0")}`),
    ...[...proposals.keys()].map((k) => k.toLowerCase()),
    ...projectList.map((p) => p.projectId.toLowerCase()),
    ...[...paidKeys.values()].flatMap((s) => [...s].map((k) => k.toLowerCase())),
  ]);
  const recorded = await logsWithTopic(relief, provider, ["FindingRecorded"], 1, null, toBlock);
  const findings = (
    await Promise.all(
      recorded
        .filter((f) => targets.has((f.args.target as string).toLowerCase()))
        .map((f) => getFinding(d, Number(f.args.findingId))),
    )
  ).filter((f): f is FindingView => f !== undefined);

  const sum = (f: (n: TreeNode) => bigint) => nodes.reduce((s, n) => s + f(n), 0n);
  return {
    programme,
    root,
    nodes,
    projects: projectList,
    findings,
    totals: {
      available: sum((n) => n.holding.available) + projectList.reduce((s, p) => s + p.available, 0n),
      reserved: sum((n) => n.holding.reserved) + projectList.reduce((s, p) => s + p.reserved, 0n),
      disbursed: sum((n) => n.holding.disbursed) + projectList.reduce((s, p) => s + p.paid, 0n),
      beneficiaries: new Set([...paidKeys.values()].flatMap((s) => [...s])).size,
    },
  };
}

/** One programme a holder has money in, with its counters. */
export interface HolderLine {
  readonly programme: ProgrammeView;
  readonly holding: HoldingView;
}

/** Every programme `holder` is finance of or received money under. */
export async function holderProgrammes(d: Deployment, holder: string): Promise<HolderLine[]> {
  const relief = requireRelief(d);
  const provider = relief.runner?.provider;
  if (provider === null || provider === undefined) throw new Error("holderProgrammes needs a connected deployment");
  const padded = `0x${holder.toLowerCase().replace(/^0x/, "").padStart(64, "0")}`;
  const toBlock = await provider.getBlockNumber();
  const [received, created] = await Promise.all([
    logsWithTopic(relief, provider, ["Allocated"], 3, padded, toBlock),
    logsWithTopic(relief, provider, ["ProgrammeCreated"], 2, padded, toBlock),
  ]);
  const ids = [...new Set([...created, ...received].map((l) => l.args.programmeId as string))];
  return Promise.all(
    ids.map(async (id) => ({ programme: (await getProgramme(d, id))!, holding: await getHolding(d, id, holder) })),
  );
}

/** A beneficiary key paid under more than one programme in the same fiscal year. */
export interface DuplicatePayment {
  readonly key: string;
  readonly fiscalYear: number;
  readonly payments: readonly {
    programmeId: string;
    disbursementId: string;
    holder: string;
    amount: bigint;
    period: number;
  }[];
}

/**
 * Keys paid (approved) under several programmes of the same fiscal year, for auditors: not a breach
 * by itself (a household may qualify for housing and education aid), but what an audit looks at first.
 */
export async function duplicatePayments(d: Deployment, fiscalYear?: number): Promise<DuplicatePayment[]> {
  const relief = requireRelief(d);
  const provider = relief.runner?.provider;
  if (provider === null || provider === undefined) throw new Error("duplicatePayments needs a connected deployment");
  const toBlock = await provider.getBlockNumber();
  const logs = await logsWithTopic(
    relief,
    provider,
    ["DisbursementProposed", "DisbursementApproved", "DisbursementRejected"],
    1,
    null,
    toBlock,
  );
  const latest = new Map<string, { args: Record<string, unknown>; approved: boolean }>();
  for (const { name, args } of logs) {
    const id = args.disbursementId as string;
    if (name === "DisbursementProposed") {
      if (Number(args.kind) === BENEFICIARY) latest.set(id, { args, approved: false });
    } else {
      const p = latest.get(id);
      if (p !== undefined) p.approved = name === "DisbursementApproved";
    }
  }
  const years = new Map<string, number>();
  const yearOf = async (programmeId: string) => {
    let y = years.get(programmeId);
    if (y === undefined) {
      y = (await getProgramme(d, programmeId))?.fiscalYear ?? 0;
      years.set(programmeId, y);
    }
    return y;
  };
  const groups = new Map<string, DuplicatePayment>();
  for (const [disbursementId, { args, approved }] of latest) {
    if (!approved) continue;
    const programmeId = args.programmeId as string;
    const year = await yearOf(programmeId);
    if (fiscalYear !== undefined && year !== fiscalYear) continue;
    const key = args.recipient as string;
    const g = groups.get(`${key}/${year}`) ?? { key, fiscalYear: year, payments: [] };
    groups.set(`${key}/${year}`, g);
    (g.payments as DuplicatePayment["payments"][number][]).push({
      programmeId,
      disbursementId,
      holder: args.holder as string,
      amount: args.amount as bigint,
      period: Number(args.period),
    });
  }
  return [...groups.values()].filter((g) => new Set(g.payments.map((p) => p.programmeId)).size > 1);
}
