/**
 * The relief vocabulary: programme categories (with their Chinese names), the statuses of
 * disbursements, projects and findings, what a finding is about, severities, recipient kinds, and
 * their parsers. Codes equal the contract's enums (contracts/interfaces/IReliefLedger.sol).
 */
import { InvalidInputError } from "../errors.js";

export const CATEGORIES = [
  "industry",
  "education",
  "housing",
  "medical",
  "employment",
  "infrastructure",
  "other",
] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_ZH: Readonly<Record<Category, string>> = {
  industry: "产业扶持",
  education: "教育资助",
  housing: "住房保障",
  medical: "医疗救助",
  employment: "就业帮扶",
  infrastructure: "基础设施",
  other: "其他",
};
export const DISBURSEMENT_STATUSES = ["none", "proposed", "approved", "rejected"] as const;
export type DisbursementStatus = (typeof DISBURSEMENT_STATUSES)[number];
export const PROJECT_STATUSES = ["none", "active", "accepted"] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const TARGET_KINDS = ["programme", "allocation", "disbursement", "beneficiary", "project"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export const FINDING_STATUSES = ["none", "open", "answered", "closed"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const SEVERITIES = ["", "low", "medium", "high"] as const;
/** Recipient kinds (IReliefLedger.RecipientKind). */
export const BENEFICIARY = 0;
export const PROJECT = 1;

/** Parses a category in English or Chinese. */
export function parseCategory(text: string): number {
  const t = text.trim().toLowerCase();
  const i = CATEGORIES.findIndex((c) => c === t || CATEGORY_ZH[c] === text.trim());
  if (i < 0) throw new InvalidInputError("category", text, `must be one of ${CATEGORIES.join(", ")}`);
  return i;
}

/** Parses a finding's severity: low, medium, high or 1–3. */
export function parseSeverity(text: string): number {
  const t = text.trim().toLowerCase();
  const i = SEVERITIES.findIndex(
    (s, n) => s !== "" && (s === t || String(n) === t || { low: "低", medium: "中", high: "高" }[s] === t),
  );
  if (i < 1) throw new InvalidInputError("severity", text, "must be low, medium or high");
  return i;
}

/** Parses what a finding is about. */
export function parseTargetKind(text: string): number {
  const i = TARGET_KINDS.indexOf(text.trim().toLowerCase() as TargetKind);
  if (i < 0) throw new InvalidInputError("target kind", text, `must be one of ${TARGET_KINDS.join(", ")}`);
  return i;
}
