import type { TFunction } from "i18next";

import type { CharityStats } from "../../src/indexer/api-types.js";
import { type Cell, toCsv } from "./csv.js";
import { formatPercent, yuanPlain } from "./format.js";

/**
 * The charity statistics as one CSV file in the UI language: totals, months, the Charity Law
 * ratios per charity and year, and projects, each section headed by its name. Amounts in yuan
 * with two decimals; organisations by name and address.
 */
export function charityStatsCsv(stats: CharityStats, t: TFunction, nameOf: (address: string) => string): string {
  const y = (fen: string) => yuanPlain(fen);
  const rows: Cell[][] = [];
  const totals = stats.totals;
  rows.push([t("csv.totals")]);
  rows.push([t("charity.projects"), t("charity.donations"), ...yuanHeads(t)]);
  rows.push([
    totals.projects,
    totals.donations,
    y(totals.received),
    y(totals.programme),
    y(totals.administrative),
    y(totals.balance),
  ]);
  rows.push([]);
  rows.push([t("csv.months")]);
  rows.push([
    t("charity.month"),
    t("charity.donations"),
    t("csv.yuan", { what: t("charity.monthReceived") }),
    t("csv.yuan", { what: t("charity.monthSpent") }),
  ]);
  for (const m of stats.months) rows.push([m.month, m.donations, y(m.received), y(m.spent)]);
  rows.push([]);
  rows.push([t("csv.years")]);
  rows.push([
    t("charity.charity"),
    t("charity.address"),
    t("charity.year"),
    t("csv.yuan", { what: t("charity.income") }),
    t("csv.yuan", { what: t("charity.programme") }),
    t("csv.yuan", { what: t("charity.administrative") }),
    t("charity.programmeRatio"),
    t("charity.adminRatio"),
    t("charity.breaches"),
  ]);
  for (const r of stats.years) {
    rows.push([
      nameOf(r.charity),
      r.charity,
      r.year,
      y(r.income),
      y(r.programme),
      y(r.administrative),
      formatPercent(r.programmeRatio),
      formatPercent(r.adminRatio),
      r.breaches.join("; "),
    ]);
  }
  rows.push([]);
  rows.push([t("csv.projects")]);
  rows.push([
    t("charity.projectId"),
    t("charity.charity"),
    t("charity.status"),
    t("charity.donations"),
    t("csv.yuan", { what: t("charity.target") }),
    t("csv.yuan", { what: t("charity.received") }),
    t("csv.yuan", { what: t("charity.grantedIn") }),
    t("csv.yuan", { what: t("charity.programme") }),
    t("csv.yuan", { what: t("charity.administrative") }),
    t("csv.yuan", { what: t("charity.grantedOut") }),
    t("csv.yuan", { what: t("charity.reversed") }),
    t("csv.yuan", { what: t("charity.balance") }),
  ]);
  for (const p of stats.projects) {
    rows.push([
      p.projectId,
      nameOf(p.charity),
      t(`charity.projectStatus.${p.status}`),
      p.donations,
      y(p.target),
      y(p.received),
      y(p.grantedIn),
      y(p.programme),
      y(p.administrative),
      y(p.grantedOut),
      y(p.reversed),
      y(p.balance),
    ]);
  }
  return toCsv(rows);
}

function yuanHeads(t: TFunction): string[] {
  return [
    t("csv.yuan", { what: t("charity.received") }),
    t("csv.yuan", { what: t("charity.programme") }),
    t("csv.yuan", { what: t("charity.administrative") }),
    t("csv.yuan", { what: t("charity.balance") }),
  ];
}
