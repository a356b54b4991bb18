/**
 * Reports of the charity ledger, built from its events (read in chunks of ≤ 5,000 blocks):
 * per project donations, outflows and balance; per charity and per year the ratios China's
 * Charity Law (慈善法) and its implementing rules ask for:
 *  - programme spending of a year ≥ 70 % of the previous year's income;
 *  - administrative costs ≤ 10 % of the year's total spending.
 * A breach is flagged; a ratio without a base (no income the year before) is not judged.
 */
import type { Provider } from "ethers";

import type { CharityLedger } from "../../types/ethers-contracts/index.js";
import { logRangeOf, queryInChunks } from "../chain.js";
import { formatYuan } from "../money.js";
import type { Table } from "../table-file.js";

export const PROGRAMME_MIN_PERCENT = 70n;
export const ADMIN_MAX_PERCENT = 10n;

export interface ProjectLine {
  readonly projectId: string;
  readonly charity: string;
  readonly donations: number;
  readonly received: bigint;
  readonly grantedIn: bigint;
  readonly programme: bigint;
  readonly administrative: bigint;
  readonly grantedOut: bigint;
  readonly reversed: bigint;
  readonly balance: bigint;
}

export interface CharityYear {
  readonly charity: string;
  readonly year: number;
  readonly income: bigint;
  readonly programme: bigint;
  readonly administrative: bigint;
  /** Programme spending as a percentage (2 decimals, in hundredths) of the previous year's income; undefined without a base. */
  readonly programmeRatio?: bigint;
  /** Administrative costs as a percentage (in hundredths) of this year's spending; undefined without spending. */
  readonly adminRatio?: bigint;
  readonly breaches: readonly string[];
}

/** The ledger's events a report is built from, decoded once (typed), each kind in chain order. */
export type CharityEvents = Awaited<ReturnType<typeof readEvents>>;

export interface CharityReport {
  readonly projects: readonly ProjectLine[];
  readonly years: readonly CharityYear[];
  /** The events the report was built from: views list and chart these instead of decoding the logs again. */
  readonly events: CharityEvents;
  /** Block number → block timestamp (seconds) of every block holding one of the report's flows. */
  readonly blockTime: ReadonlyMap<number, number>;
}

interface Flow {
  readonly projectId: string;
  readonly block: number;
  readonly kind: "donation" | "grantIn" | "programme" | "administrative" | "grantOut" | "reversal";
  readonly amount: bigint;
}

/** Percentage in hundredths: 7000n is 70.00 %. */
function percent(part: bigint, whole: bigint): bigint | undefined {
  return whole === 0n ? undefined : (part * 10_000n) / whole;
}

/** Formats a percentage in hundredths as `70.00 %`. */
export function formatPercent(hundredths: bigint | undefined): string {
  if (hundredths === undefined) return "—";
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, "0")} %`;
}

async function readEvents(ledger: CharityLedger, provider: Provider, scope: { projectId?: string; charity?: string }) {
  const latest = await provider.getBlockNumber();
  const chunk = logRangeOf(provider);
  const q = <T>(fn: (a: number, b: number) => Promise<T[]>) => queryInChunks(fn, 0, latest, { chunk });
  const [proposed, donations, paid, grants, reversals] = await Promise.all([
    q((a, b) => ledger.queryFilter(ledger.filters.ProjectProposed(scope.projectId, scope.charity), a, b)),
    q((a, b) => ledger.queryFilter(ledger.filters.DonationRecorded(undefined, scope.projectId), a, b)),
    q((a, b) => ledger.queryFilter(ledger.filters.Disbursed(undefined, scope.projectId), a, b)),
    q((a, b) => ledger.queryFilter(ledger.filters.Granted(), a, b)),
    q((a, b) => ledger.queryFilter(ledger.filters.DonationReversed(undefined, scope.projectId), a, b)),
  ]);
  return { proposed, donations, paid, grants, reversals };
}

/** Builds the report of one project or of all projects of one charity (or of everything). */
export async function buildReport(
  ledger: CharityLedger,
  provider: Provider,
  scope: { projectId?: string; charity?: string },
): Promise<CharityReport> {
  const events = await readEvents(ledger, provider, scope);
  const { proposed, donations, paid, grants, reversals } = events;
  const charityOf = new Map(proposed.map((e) => [e.args.projectId, e.args.charity]));
  const inScope = (projectId: string) => charityOf.has(projectId);

  const flows: Flow[] = [];
  for (const e of donations)
    flows.push({ projectId: e.args.projectId, block: e.blockNumber, kind: "donation", amount: e.args.amount });
  for (const e of paid) {
    const kind = e.args.purpose === 0n ? "programme" : "administrative";
    flows.push({ projectId: e.args.projectId, block: e.blockNumber, kind, amount: e.args.amount });
  }
  for (const e of grants) {
    flows.push({ projectId: e.args.fromProjectId, block: e.blockNumber, kind: "grantOut", amount: e.args.amount });
    flows.push({ projectId: e.args.toProjectId, block: e.blockNumber, kind: "grantIn", amount: e.args.amount });
  }
  for (const e of reversals)
    flows.push({ projectId: e.args.projectId, block: e.blockNumber, kind: "reversal", amount: e.args.amount });
  const scoped = flows.filter((f) => inScope(f.projectId));

  const projects = [...charityOf].map(([projectId, charity]): ProjectLine => {
    const mine = scoped.filter((f) => f.projectId === projectId);
    const sum = (kind: Flow["kind"]) => mine.filter((f) => f.kind === kind).reduce((s, f) => s + f.amount, 0n);
    const received = sum("donation");
    const grantedIn = sum("grantIn");
    const programme = sum("programme");
    const administrative = sum("administrative");
    const grantedOut = sum("grantOut");
    const reversed = sum("reversal");
    return {
      projectId,
      charity,
      donations: mine.filter((f) => f.kind === "donation").length,
      received,
      grantedIn,
      programme,
      administrative,
      grantedOut,
      reversed,
      balance: received + grantedIn - programme - administrative - grantedOut - reversed,
    };
  });

  // Years by block timestamp (UTC+8, China Standard Time).
  const blockTime = new Map<number, number>();
  const yearOf = new Map<number, number>();
  for (const block of new Set(scoped.map((f) => f.block))) {
    const ts = (await provider.getBlock(block))?.timestamp ?? 0;
    blockTime.set(block, ts);
    yearOf.set(block, new Date((ts + 8 * 3600) * 1000).getUTCFullYear());
  }
  const byCharityYear = new Map<string, { income: bigint; programme: bigint; administrative: bigint }>();
  for (const f of scoped) {
    const key = `${charityOf.get(f.projectId)}|${yearOf.get(f.block)}`;
    const acc = byCharityYear.get(key) ?? { income: 0n, programme: 0n, administrative: 0n };
    if (f.kind === "donation") acc.income += f.amount;
    if (f.kind === "reversal") acc.income -= f.amount;
    if (f.kind === "programme") acc.programme += f.amount;
    if (f.kind === "administrative") acc.administrative += f.amount;
    byCharityYear.set(key, acc);
  }
  const years = [...byCharityYear]
    .map(([key, acc]): CharityYear => {
      const [charity = "", yearText = "0"] = key.split("|");
      const year = Number(yearText);
      const previous = byCharityYear.get(`${charity}|${year - 1}`)?.income ?? 0n;
      const programmeRatio = percent(acc.programme, previous);
      const adminRatio = percent(acc.administrative, acc.programme + acc.administrative);
      const breaches: string[] = [];
      if (programmeRatio !== undefined && programmeRatio < PROGRAMME_MIN_PERCENT * 100n) {
        breaches.push(`programme spending ${formatPercent(programmeRatio)} of last year's income (< 70 %)`);
      }
      if (adminRatio !== undefined && adminRatio > ADMIN_MAX_PERCENT * 100n) {
        breaches.push(`administrative costs ${formatPercent(adminRatio)} of spending (> 10 %)`);
      }
      return { charity, year, ...acc, programmeRatio, adminRatio, breaches };
    })
    .sort((a, b) => a.charity.localeCompare(b.charity) || a.year - b.year);
  return { projects, years, events, blockTime };
}

/** The report as two tables: projects, and charities by year. */
export function reportTables(r: CharityReport, nameOf: (address: string) => string): Table[] {
  const y = (fen: bigint) => formatYuan(fen);
  return [
    {
      name: "projects 项目",
      header: [
        "project",
        "charity",
        "donations",
        "received",
        "granted in",
        "programme",
        "administrative",
        "granted out",
        "reversed",
        "balance",
      ],
      rows: r.projects.map((p) => [
        p.projectId,
        nameOf(p.charity),
        String(p.donations),
        y(p.received),
        y(p.grantedIn),
        y(p.programme),
        y(p.administrative),
        y(p.grantedOut),
        y(p.reversed),
        y(p.balance),
      ]),
    },
    {
      name: "charity law 慈善法比例",
      header: [
        "charity",
        "year",
        "income",
        "programme",
        "administrative",
        "programme / last year's income",
        "admin / spending",
        "breaches",
      ],
      rows: r.years.map((c) => [
        nameOf(c.charity),
        String(c.year),
        y(c.income),
        y(c.programme),
        y(c.administrative),
        formatPercent(c.programmeRatio),
        formatPercent(c.adminRatio),
        c.breaches.join("; ") || "none",
      ]),
    },
  ];
}
