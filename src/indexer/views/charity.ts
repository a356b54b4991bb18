/** The charity ledger's views: projects, donations and statistics. */
import { getAddress } from "ethers";

import { buildReport, type CharityReport } from "../../charity/report.js";
import { parseReceiptCode } from "../../charity/receipt-code.js";
import { traceDonation } from "../../charity/trace.js";
import { requireCharity } from "../../deployment.js";
import { LedgerError } from "../../errors.js";
import { sumFen } from "../../money.js";
import type { CharityProjectDetail, CharityProjectSummary, CharityStats, DonationDetail } from "../api-types.js";
import { num } from "../db.js";
import { BadRequestError, NotFoundError, ViewsBase, toJson } from "./base.js";

export class CharityViews extends ViewsBase {
  async charityProjects(): Promise<CharityProjectSummary[]> {
    const report = await this.charityReport({});
    const states = await this.charityProjectStates(report);
    return report.projects.map((p) => ({ ...toJson(p), ...states.get(p.projectId)! }));
  }

  /** The charity report over the index: every log decoded once, typed; the views build on it. */
  protected charityReport(scope: { projectId?: string }): Promise<CharityReport> {
    const ledger = requireCharity(this.d);
    return buildReport(ledger, ledger.runner!.provider!, scope);
  }

  /** Each project's status and proposal terms: the terms from the report's decoded proposals, the status from the index. */
  protected async charityProjectStates(report: CharityReport) {
    const rows = await this.db
      .selectFrom("events")
      .select(["event_name", "topic1"])
      .where("contract", "=", "CharityLedger")
      .where("event_name", "in", ["ProjectApproved", "ProjectClosed"])
      .orderBy("block_number")
      .orderBy("log_index")
      .execute();
    const out = new Map<
      string,
      {
        status: "proposed" | "approved" | "closed";
        target: string;
        permitHash: string;
        metadataHash: string;
        code: string;
        name?: string;
      }
    >();
    const names = await this.publicNames();
    for (const e of report.events.proposed) {
      const { projectId, target, permitHash, metadataHash, code } = e.args;
      const name = names.records.find((r) => r.kind === "charity-project" && r.id === projectId.toLowerCase())?.name;
      out.set(projectId, {
        status: "proposed",
        target: target.toString(),
        permitHash,
        metadataHash,
        code,
        ...(name !== undefined ? { name } : {}),
      });
    }
    for (const r of rows) {
      const s = out.get(r.topic1!);
      if (s) s.status = r.event_name === "ProjectApproved" ? "approved" : "closed";
    }
    return out;
  }

  async charityProject(projectId: string): Promise<CharityProjectDetail> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(projectId)) throw new BadRequestError(`not a project id: ${projectId}`);
    const id = projectId.toLowerCase();
    const report = await this.charityReport({ projectId: id });
    const line = report.projects[0];
    const state = (await this.charityProjectStates(report)).get(id);
    if (line === undefined || state === undefined) throw new NotFoundError(`no charity project ${projectId}`);
    const confirmedIds = new Set(
      (
        await this.db
          .selectFrom("events")
          .select("topic1")
          .where("contract", "=", "CharityLedger")
          .where("event_name", "=", "DisbursementConfirmed")
          .execute()
      ).map((r) => r.topic1),
    );
    const time = (block: number) => report.blockTime.get(block) ?? 0;
    const { donations: recorded, paid, grants } = report.events;
    const donations: CharityProjectDetail["donationsList"] = recorded.map((e) => ({
      donationId: e.args.donationId,
      amount: e.args.amount.toString(),
      channel: Number(e.args.channel),
      donorCommitment: e.args.donorCommitment,
      txHash: e.transactionHash,
      timestamp: time(e.blockNumber),
    }));
    const disbursements: CharityProjectDetail["disbursements"] = paid.map((e) => ({
      disbursementId: e.args.disbursementId,
      recipient: e.args.recipient,
      purpose: e.args.purpose === 1n ? "administrative" : "programme",
      amount: e.args.amount.toString(),
      confirmed: confirmedIds.has(e.args.disbursementId),
      txHash: e.transactionHash,
      timestamp: time(e.blockNumber),
    }));
    const donors = new Set(recorded.map((e) => e.args.donorCommitment));
    const toRecipient = new Map<string, bigint>();
    for (const e of paid) toRecipient.set(e.args.recipient, (toRecipient.get(e.args.recipient) ?? 0n) + e.args.amount);
    const grantsOut = new Map<string, bigint>();
    for (const e of grants.filter((g) => g.args.fromProjectId === id))
      grantsOut.set(e.args.toProjectId, (grantsOut.get(e.args.toProjectId) ?? 0n) + e.args.amount);
    const names = new Map((await this.orgs()).map((o) => [o.account, o.name]));
    // Projects by their public name (or code), as every page shows them.
    const projectLabel = async (pid: string) => {
      const r = await this.namedRecord(pid);
      return r !== undefined ? `project ${r.name ?? r.code}` : `project ${pid.slice(0, 10)}`;
    };
    const projectNode = await projectLabel(id);
    const nodes: CharityProjectDetail["sankey"]["nodes"] = [
      { name: "donors", kind: "donors" },
      { name: projectNode, kind: "project" },
    ];
    const links: CharityProjectDetail["sankey"]["links"] = [];
    const inflow = line.received + line.grantedIn;
    if (inflow > 0n) links.push({ source: "donors", target: projectNode, value: inflow.toString() });
    for (const [recipient, amount] of toRecipient) {
      const name = names.get(getAddress(recipient)) ?? recipient;
      nodes.push({ name, kind: "recipient" });
      links.push({ source: projectNode, target: name, value: amount.toString() });
    }
    for (const [to, amount] of grantsOut) {
      const name = await projectLabel(to);
      nodes.push({ name, kind: "grant" });
      links.push({ source: projectNode, target: name, value: amount.toString() });
    }
    if (line.reversed > 0n) {
      nodes.push({ name: "reversed", kind: "reversal" });
      links.push({ source: projectNode, target: "reversed", value: line.reversed.toString() });
    }
    if (line.balance > 0n) {
      nodes.push({ name: "held", kind: "held" });
      links.push({ source: projectNode, target: "held", value: line.balance.toString() });
    }
    return {
      ...toJson(line),
      status: state.status,
      target: state.target,
      permitHash: state.permitHash,
      metadataHash: state.metadataHash,
      code: state.code,
      ...(state.name !== undefined ? { name: state.name } : {}),
      donors: donors.size,
      sankey: { nodes, links },
      donationsList: donations.reverse().slice(0, 200),
      disbursements: disbursements.reverse(),
    };
  }

  async donation(ref: string): Promise<DonationDetail> {
    const r = ref.trim();
    let id: string | undefined;
    if (/^0x[0-9a-fA-F]{64}$/.test(r)) id = r.toLowerCase();
    else if (/^0x[0-9a-fA-F]{16}$/.test(r)) id = await this.donationByPrefix(r);
    else {
      let prefix: string;
      try {
        prefix = parseReceiptCode(r).donationIdPrefix;
      } catch (e) {
        throw new BadRequestError((e as Error).message);
      }
      id = await this.donationByPrefix(prefix);
    }
    if (id === undefined) throw new NotFoundError(`no donation matches ${ref}`);
    const ledger = requireCharity(this.d);
    let trace;
    try {
      trace = await traceDonation(ledger, ledger.runner!.provider!, id);
    } catch (e) {
      if (e instanceof LedgerError) throw new NotFoundError(e.message);
      throw e;
    }
    const block = await this.db
      .selectFrom("blocks")
      .select("timestamp")
      .where("number", "=", trace.blockNumber)
      .executeTakeFirst();
    return {
      ...toJson(trace),
      timestamp: block !== undefined ? num(block.timestamp) : 0,
      reversed: trace.reversal !== undefined,
    };
  }

  async charityStats(): Promise<CharityStats> {
    const report = await this.charityReport({});
    const states = await this.charityProjectStates(report);
    const projects = report.projects.map((p) => ({ ...toJson(p), ...states.get(p.projectId)! }));
    const months = new Map<string, { donations: number; received: bigint; spent: bigint }>();
    const monthOf = (block: number) =>
      new Date(((report.blockTime.get(block) ?? 0) + 8 * 3600) * 1000).toISOString().slice(0, 7);
    const add = (block: number, f: (m: { donations: number; received: bigint; spent: bigint }) => void) => {
      const month = monthOf(block);
      const m = months.get(month) ?? { donations: 0, received: 0n, spent: 0n };
      f(m);
      months.set(month, m);
    };
    const { donations: recorded, paid, reversals } = report.events;
    for (const e of recorded)
      add(e.blockNumber, (m) => {
        m.donations++;
        m.received += e.args.amount;
      });
    for (const e of reversals) add(e.blockNumber, (m) => (m.received -= e.args.amount));
    for (const e of paid) add(e.blockNumber, (m) => (m.spent += e.args.amount));
    const donors = new Set(recorded.map((e) => e.args.donorCommitment));
    const donations = recorded.length;
    const sum = (f: (p: (typeof report.projects)[number]) => bigint) => sumFen(report.projects.map(f));
    return {
      totals: {
        projects: report.projects.length,
        donations,
        donors: donors.size,
        received: sum((p) => p.received).toString(),
        reversed: sum((p) => p.reversed).toString(),
        programme: sum((p) => p.programme).toString(),
        administrative: sum((p) => p.administrative).toString(),
        balance: sum((p) => p.balance).toString(),
      },
      months: [...months]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([month, m]) => ({
          month,
          donations: m.donations,
          received: m.received.toString(),
          spent: m.spent.toString(),
        })),
      years: toJson(report.years) as CharityStats["years"],
      projects,
    };
  }

  protected async donationByPrefix(prefix: string): Promise<string | undefined> {
    const p = prefix.toLowerCase();
    const row = await this.db
      .selectFrom("events")
      .select("topic1")
      .where("contract", "=", "CharityLedger")
      .where("event_name", "=", "DonationRecorded")
      .where("topic1", ">=", p)
      .where("topic1", "<=", p + "f".repeat(66 - p.length))
      .limit(2)
      .execute();
    if (row.length > 1) throw new BadRequestError(`more than one donation starts with ${prefix}: give the whole id`);
    return row[0]?.topic1 ?? undefined;
  }
}
