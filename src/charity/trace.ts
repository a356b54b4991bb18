/**
 * Where a donation's money went. Within a project, donations (and grants in) and outflows
 * (disbursements, grants out) are matched first-in first-out: each event carries the project's
 * cumulative inflow after it, so a donation occupies the inflow range
 * [inflowAfter - amount, inflowAfter), and the outflows, replayed in event order, use the inflow
 * from its start onwards. A reversal takes back exactly the reversed donation's own range (its
 * `DonationReversed` event names where the range starts): the ledger refuses a reversal once any
 * outflow could have reached that range, so the range is still whole, and later outflows step
 * over it. So a reversed donation's trace says reversed, and no other donor's trace changes. What
 * no outflow has reached is still held. No extra state is needed on chain: an independent client
 * replaying the same events computes the same figures.
 */
import type { Provider } from "ethers";

import type { CharityLedger } from "../../types/ethers-contracts/index.js";
import { logRangeOf, queryInChunks } from "../chain.js";
import { LedgerError } from "../errors.js";
import { PURPOSES } from "./vocabulary.js";

export type OutflowKind = "disbursement" | "grant" | "reversal";

/** An outflow of a project, with its place in the project's cumulative outflow. */
export interface Outflow {
  readonly kind: OutflowKind;
  /** Disbursement id, the receiving project's id for a grant, or the reversed donation's id. */
  readonly id: string;
  readonly amount: bigint;
  readonly outflowAfter: bigint;
  /** A reversal: where the reversed donation's inflow range starts. */
  readonly inflowBefore?: bigint;
  readonly recipient?: string;
  readonly purpose?: number;
  readonly toProjectId?: string;
  readonly confirmed?: boolean;
  readonly txHash: string;
}

/** The part of an outflow paid from one donation. */
export interface Use extends Outflow {
  /** How much of this outflow came from the donation. */
  readonly share: bigint;
}

export interface DonationTrace {
  readonly donationId: string;
  readonly projectId: string;
  readonly amount: bigint;
  readonly recordedBy: string;
  /** The donor's salted commitment (no name) and the channel the money came through, as recorded. */
  readonly donorCommitment: string;
  readonly channel: number;
  /** The day the charity received it (days since 1970-01-01; 0: not stated), src/charity/business-date.ts. */
  readonly receivedOn: number;
  readonly txHash: string;
  readonly blockNumber: number;
  readonly uses: readonly Use[];
  /** Still held by the project. */
  readonly held: bigint;
  /** The donation was reversed: its whole amount left the project by this correction. */
  readonly reversal?: Outflow;
}

/**
 * The first-in first-out allocation of the inflow range [start, end) over a project's outflows,
 * every one since the project began, in event order. Reversals take out their own donation's
 * range (`inflowBefore`, `amount`) and are stepped over by the outflows after them. Pure: the
 * explorer and the indexer call it with their own data.
 */
export function allocateFifo(
  start: bigint,
  end: bigint,
  outflows: readonly Outflow[],
): { uses: Use[]; held: bigint; reversal?: Outflow } {
  const uses: Use[] = [];
  /** Reversed ranges the pointer has not passed yet, by start (the ledger puts each ahead of it). */
  const holes: [bigint, bigint][] = [];
  let reversal: Outflow | undefined;
  let pointer = 0n;
  for (const o of outflows) {
    if (o.kind === "reversal") {
      const from = o.inflowBefore ?? o.outflowAfter - o.amount;
      const to = from + o.amount;
      if (from === start && to === end) reversal = o;
      holes.push([from, to]);
      holes.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      continue;
    }
    let left = o.amount;
    let share = 0n;
    while (left > 0n) {
      while (holes.length > 0 && holes[0]![0] <= pointer) {
        const [, holeEnd] = holes.shift()!;
        if (holeEnd > pointer) pointer = holeEnd;
      }
      const next = holes.length > 0 ? holes[0]![0] : undefined;
      const take = next !== undefined && next - pointer < left ? next - pointer : left;
      const lo = start > pointer ? start : pointer;
      const hi = end < pointer + take ? end : pointer + take;
      if (hi > lo) share += hi - lo;
      pointer += take;
      left -= take;
    }
    if (share > 0n) uses.push({ ...o, share });
  }
  if (reversal !== undefined) return { uses: [...uses, { ...reversal, share: end - start }], held: 0n, reversal };
  // Other reversed ranges never overlap this one: a donation's range is its own.
  const from = start > pointer ? start : pointer;
  return { uses, held: end > from ? end - from : 0n };
}

/** All outflows of a project from `fromBlock` on, in event order, with confirmation states. */
export async function projectOutflows(
  ledger: CharityLedger,
  projectId: string,
  fromBlock: number,
  toBlock: number,
): Promise<Outflow[]> {
  const chunk = logRangeOf(ledger.runner?.provider);
  const q = <T>(fn: (a: number, b: number) => Promise<T[]>) => queryInChunks(fn, fromBlock, toBlock, { chunk });
  const [paid, granted, reversed] = await Promise.all([
    q((a, b) => ledger.queryFilter(ledger.filters.Disbursed(undefined, projectId), a, b)),
    q((a, b) => ledger.queryFilter(ledger.filters.Granted(projectId), a, b)),
    q((a, b) => ledger.queryFilter(ledger.filters.DonationReversed(undefined, projectId), a, b)),
  ]);
  const outflows: (Outflow & { order: [number, number] })[] = [];
  for (const e of paid) {
    const state = await ledger.disbursement(e.args.disbursementId);
    outflows.push({
      kind: "disbursement",
      id: e.args.disbursementId,
      amount: e.args.amount,
      outflowAfter: e.args.outflowAfter,
      recipient: e.args.recipient,
      purpose: Number(e.args.purpose),
      confirmed: state.state === 2n,
      txHash: e.transactionHash,
      order: [e.blockNumber, e.index],
    });
  }
  for (const e of granted) {
    outflows.push({
      kind: "grant",
      id: e.args.toProjectId,
      toProjectId: e.args.toProjectId,
      amount: e.args.amount,
      outflowAfter: e.args.fromOutflowAfter,
      txHash: e.transactionHash,
      order: [e.blockNumber, e.index],
    });
  }
  for (const e of reversed) {
    outflows.push({
      kind: "reversal",
      id: e.args.donationId,
      amount: e.args.amount,
      inflowBefore: e.args.inflowBefore,
      outflowAfter: e.args.outflowAfter,
      txHash: e.transactionHash,
      order: [e.blockNumber, e.index],
    });
  }
  outflows.sort((x, y) => x.order[0] - y.order[0] || x.order[1] - y.order[1]);
  return outflows.map(({ order: _order, ...o }) => o);
}

/** Where the money of one cash donation went, read from the chain's events. */
export async function traceDonation(
  ledger: CharityLedger,
  provider: Provider,
  donationId: string,
): Promise<DonationTrace> {
  const latest = await provider.getBlockNumber();
  const [recorded] = await queryInChunks(
    (a, b) => ledger.queryFilter(ledger.filters.DonationRecorded(donationId), a, b),
    0,
    latest,
    { chunk: logRangeOf(provider) },
  );
  if (recorded === undefined) throw new LedgerError(`no cash donation ${donationId} is recorded on this chain`);
  const { projectId, amount, inflowAfter, by } = recorded.args;
  // Outflows before the donation decide where the pointer stands when it arrives: replay from the project's start.
  const [proposed] = await queryInChunks(
    (a, b) => ledger.queryFilter(ledger.filters.ProjectProposed(projectId), a, b),
    0,
    recorded.blockNumber,
    { chunk: logRangeOf(provider) },
  );
  const outflows = await projectOutflows(ledger, projectId, proposed?.blockNumber ?? 0, latest);
  const { uses, held, reversal } = allocateFifo(inflowAfter - amount, inflowAfter, outflows);
  return {
    donationId,
    projectId,
    amount,
    recordedBy: by,
    donorCommitment: recorded.args.donorCommitment,
    channel: Number(recorded.args.channel),
    receivedOn: Number(recorded.args.receivedOn),
    txHash: recorded.transactionHash,
    blockNumber: recorded.blockNumber,
    uses,
    held,
    ...(reversal !== undefined ? { reversal } : {}),
  };
}

/** The id of the cash donation whose id starts with `prefix` (what a receipt code carries). */
export async function donationIdByPrefix(ledger: CharityLedger, provider: Provider, prefix: string): Promise<string> {
  const p = prefix.toLowerCase();
  const events = await queryInChunks(
    (a, b) => ledger.queryFilter(ledger.filters.DonationRecorded(), a, b),
    0,
    await provider.getBlockNumber(),
    { chunk: logRangeOf(provider) },
  );
  const found = events.filter((e) => e.args.donationId.toLowerCase().startsWith(p));
  if (found.length === 0) throw new LedgerError(`no donation on this chain matches receipt prefix ${prefix}`);
  return found[0]!.args.donationId;
}

/**
 * One line a person reads: `¥100.00 → ¥60.00 to 江门市中心医院 (programme, confirmed), ¥40.00 still held`.
 * `nameOf` gives an organisation's or a project's name for an address or project id.
 */
export function describeTrace(
  t: DonationTrace,
  nameOf: (addressOrProjectId: string) => string,
  yuan: (fen: bigint) => string,
): string {
  const parts = t.uses.map((u) => {
    if (u.kind === "grant") return `${yuan(u.share)} granted to project ${nameOf(u.toProjectId ?? u.id)}`;
    if (u.kind === "reversal") return `${yuan(u.share)} reversed: recorded in error and taken back by a correction`;
    const state = u.confirmed === true ? "confirmed" : "pending confirmation";
    return `${yuan(u.share)} to ${nameOf(u.recipient ?? "")} (${PURPOSES[u.purpose ?? 0]}, ${state})`;
  });
  if (t.held > 0n || parts.length === 0) parts.push(`${yuan(t.held)} still held`);
  return `${yuan(t.amount)} → ${parts.join(", ")}`;
}
