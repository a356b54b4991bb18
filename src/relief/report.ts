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
