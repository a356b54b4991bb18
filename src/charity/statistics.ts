/**
 * Published statistics reports read back from the chain (`charity stats show`): civil affairs
 * publishes a report (`charity stats publish <period>`) and the ledger snapshots its own totals into
 * the same event, so a published total cannot disagree with the records. A period is named by its
 * label's keccak-256 (`id("2026-Q3")`); the label itself is not on chain, so it is matched by hashing.
 */
import { id, type Provider } from "ethers";

import { logRangeOf, queryInChunks } from "../chain.js";
import { requireCharity, type Deployment } from "../deployment.js";

export interface PublishedTotals {
  readonly received: bigint;
  readonly reversed: bigint;
  readonly programmeSpent: bigint;
  readonly adminSpent: bigint;
  readonly goodsValuation: bigint;
  readonly donationCount: bigint;
  readonly projectCount: bigint;
}

export interface PublishedReport {
  readonly periodId: string;
  /** The label, when the caller named the period (its hash matched). */
  readonly period?: string;
  readonly publishedBy: string;
  readonly reportHash: string;
  readonly totals: PublishedTotals;
  readonly blockNumber: number;
  readonly txHash: string;
  /** Block time, seconds. */
  readonly timestamp: number;
}

/** The period id of a label, as `charity stats publish` computes it. */
export function periodIdOf(label: string): string {
  return id(label.trim());
}

/** Every published report, oldest first; only the one of `period` when given. */
export async function publishedReports(d: Deployment, period?: string): Promise<PublishedReport[]> {
  const ledger = requireCharity(d);
  const provider = ledger.runner!.provider! as Provider;
  const latest = await provider.getBlockNumber();
  const periodId = period === undefined ? undefined : periodIdOf(period);
  const events = await queryInChunks(
    (a, b) => ledger.queryFilter(ledger.filters.StatisticsPublished(periodId), a, b),
    0,
    latest,
    { chunk: logRangeOf(provider) },
  );
  const out: PublishedReport[] = [];
  for (const e of events) {
    const t = e.args.totals;
    const block = await provider.getBlock(e.blockNumber);
    out.push({
      periodId: e.args.periodId,
      ...(period !== undefined ? { period: period.trim() } : {}),
      publishedBy: e.args.by,
      reportHash: e.args.reportHash,
      totals: {
        received: t.received,
        reversed: t.reversed,
        programmeSpent: t.programmeSpent,
        adminSpent: t.adminSpent,
        goodsValuation: t.goodsValuation,
        donationCount: t.donationCount,
        projectCount: t.projectCount,
      },
      blockNumber: e.blockNumber,
      txHash: e.transactionHash,
      timestamp: block?.timestamp ?? 0,
    });
  }
  return out;
}
