/**
 * The relief report's tables (`relief report`): a programme's holders, projects and findings, or a
 * holder's programmes; money in yuan, organisations by name.
 */
import type { Deployment } from "../deployment.js";
import { LedgerError } from "../errors.js";
import { formatYuan } from "../money.js";
import type { Table } from "../table-file.js";
import * as ledger from "./ledger.js";
import { SEVERITIES } from "./vocabulary.js";
import { holderProgrammes, programmeTree } from "./tree.js";

const y = (fen: bigint) => formatYuan(fen);

/** The money columns of a holder's position in a programme. */
const HOLDING_HEADER = ["received", "allocated on", "disbursed", "returned", "reserved", "available"];

/** A holding's money cells; `received` is the appropriation for the programme's finance. */
function holdingCells(h: ledger.HoldingView, received: bigint): string[] {
  return [received, h.allocated, h.disbursed, h.returned, h.reserved, h.available].map(y);
}

/** A programme's holders (its tree), projects and findings. */
export async function programmeReportTables(
  d: Deployment,
  programmeId: string,
  nameOf: (address: string) => string,
): Promise<Table[]> {
  const p = await ledger.getProgramme(d, programmeId);
  if (p === undefined) throw new LedgerError(`no programme ${programmeId} on this chain`);
  const t = await programmeTree(d, programmeId);
  return [
    {
      name: "holders",
      header: ["holder", "parent", ...HOLDING_HEADER, "beneficiaries", "payments"],
      rows: t.nodes.map((n) => [
        nameOf(n.holding.holder),
        n.holding.parent === undefined ? "" : nameOf(n.holding.parent),
        ...holdingCells(n.holding, n.depth === 0 ? p.appropriated : n.holding.received),
        String(n.payments.beneficiaries),
        String(n.payments.payments),
      ]),
    },
    {
      name: "projects",
      header: ["project", "holder", "implementer", "status", "budget", "funded", "paid", "returned", "milestones"],
      rows: t.projects.map((j) => [
        j.projectId,
        nameOf(j.holder),
        nameOf(j.implementer),
        j.status,
        y(j.budget),
        y(j.funded),
        y(j.paid),
        y(j.returned),
        `${j.milestonesSubmitted.length}/${j.milestoneCount}`,
      ]),
    },
    {
      name: "findings",
      header: ["finding", "target kind", "target", "severity", "status", "respondent"],
      rows: t.findings.map((f) => [
        String(f.findingId),
        f.targetKind,
        f.target,
        SEVERITIES[f.severity] ?? "",
        f.status,
        nameOf(f.respondent),
      ]),
    },
  ];
}

/** The programmes `holder` holds money of, with its position in each. */
export async function holderReportTables(
  d: Deployment,
  holder: string,
  nameOf: (address: string) => string,
): Promise<Table[]> {
  const lines = await holderProgrammes(d, holder);
  return [
    {
      name: "programmes",
      header: ["programme", "category", "year", "parent", ...HOLDING_HEADER],
      rows: lines.map(({ programme: p, holding: h }) => [
        p.programmeId,
        p.category,
        String(p.fiscalYear),
        h.parent === undefined ? "" : nameOf(h.parent),
        ...holdingCells(h, p.finance === holder ? p.appropriated : h.received),
      ]),
    },
  ];
}

/**
 * The programme report for machines (`relief report --json`): the programme, each holder of its tree
 * with its counters and anonymised payment totals, projects and findings. Amounts are bigint fen (the
 * CLI prints them as decimal strings); organisations carry their names.
 */
export async function programmeReportJson(d: Deployment, programmeId: string, nameOf: (address: string) => string) {
  const t = await programmeTree(d, programmeId);
  const p = t.programme;
  return {
    unit: "fen",
    programme: p,
    holders: t.nodes.map((n) => ({
      holder: n.holding.holder,
      name: nameOf(n.holding.holder),
      parent: n.holding.parent ?? null,
      depth: n.depth,
      received: n.depth === 0 ? p.appropriated : n.holding.received,
      allocated: n.holding.allocated,
      disbursed: n.holding.disbursed,
      returned: n.holding.returned,
      reserved: n.holding.reserved,
      available: n.holding.available,
      beneficiaries: n.payments.beneficiaries,
      payments: n.payments.payments,
      paymentsAmount: n.payments.amount,
    })),
    projects: t.projects.map((j) => ({ ...j, holderName: nameOf(j.holder), implementerName: nameOf(j.implementer) })),
    findings: t.findings.map((f) => ({ ...f, respondentName: nameOf(f.respondent) })),
    totals: t.totals,
  };
}

/** The holder report for machines (`relief report --holder … --json`): each programme and the holder's position in it. */
export async function holderReportJson(d: Deployment, holder: string, nameOf: (address: string) => string) {
  const lines = await holderProgrammes(d, holder);
  return {
    unit: "fen",
    holder,
    name: nameOf(holder),
    programmes: lines.map(({ programme: p, holding: h }) => ({
      programmeId: p.programmeId,
      category: p.category,
      fiscalYear: p.fiscalYear,
      parent: h.parent ?? null,
      received: p.finance === holder ? p.appropriated : h.received,
      allocated: h.allocated,
      disbursed: h.disbursed,
      returned: h.returned,
      reserved: h.reserved,
      available: h.available,
    })),
  };
}
