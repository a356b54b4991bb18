/**
 * The one-line answers of the two pages the public lands on, shared by the explorer (which draws them)
 * and the server (which puts them in the page's HTML so that a phone shows them before the app has
 * loaded): a batch's verdict and a donation's status. Pure: the explorer imports it.
 */
import type { BatchPage, DonationDetail } from "./api-types.js";

/**
 * A batch's verdict: recalled (itself, or a batch it was made from), a failed inspection, a passing and
 * still valid certificate of its lineage (合格), a passing one that has expired, or no inspection at all.
 */
export type BatchVerdict = "recalled" | "recalledAncestor" | "failed" | "passed" | "expired" | "unchecked";

export function batchVerdict(page: Pick<BatchPage, "batch" | "recalls" | "certificates">): BatchVerdict {
  const self = page.batch.batchId.toLowerCase();
  if (page.recalls.some((r) => r.batchId.toLowerCase() === self)) return "recalled";
  if (page.batch.recalled || page.recalls.length > 0) return "recalledAncestor";
  // Certificates come newest first: the newest of the lineage decides.
  const newest = page.certificates[0];
  if (newest === undefined) return "unchecked";
  if (!newest.passed) return "failed";
  return newest.valid ? "passed" : "expired";
}

/** Whether a verdict warns the buyer (drawn in red, with the complaint line). */
export const isWarning = (v: BatchVerdict) => v === "recalled" || v === "recalledAncestor" || v === "failed";

/**
 * A donation's status: reversed (taken back by a correction), wholly used, partly used, or still held
 * by its project; `pending` when part of its use awaits the recipient's confirmation.
 */
export type DonationStatus = "reversed" | "used" | "partlyUsed" | "held";

export function donationStatus(d: Pick<DonationDetail, "reversed" | "uses" | "held">): {
  status: DonationStatus;
  /** Fen used (reversals are not a use). */
  used: bigint;
  pending: boolean;
} {
  const uses = d.uses.filter((u) => u.kind !== "reversal");
  const used = uses.reduce((sum, u) => sum + BigInt(u.share), 0n);
  const pending = uses.some((u) => u.confirmed === false);
  if (d.reversed) return { status: "reversed", used: 0n, pending: false };
  if (used > 0n && BigInt(d.held) === 0n) return { status: "used", used, pending };
  return { status: used > 0n ? "partlyUsed" : "held", used, pending };
}

/** The market regulator's complaint and report line (全国 12315 平台), dialled from the recall warning. */
export const COMPLAINT_LINE = "12315";
