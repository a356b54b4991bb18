/** The charity ledger's views: projects, donations and statistics. */
import { getAddress } from "ethers";

import { buildReport } from "../../charity/report.js";
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
    const ledger = requireCharity(this.d);
    const report = await buildReport(ledger, ledger.runner!.provider!, {});
    const states = await this.charityProjectStates();
    return report.projects.map((p) => ({ ...toJson(p), ...states.get(p.projectId)! }));
  }

  protected async charityProjectStates() {
    const rows = await this.db
      .selectFrom("events")
      .select(["event_name", "topic1", "args"])
      .where("contract", "=", "CharityLedger")
      .where("event_name", "in", ["ProjectProposed", "ProjectApproved", "ProjectClosed"])
      .orderBy("block_number")
      .orderBy("log_index")
      .execute();
    const out = new Map<
      string,
      { status: "proposed" | "approved" | "closed"; target: string; permitHash: string; metadataHash: string }
    >();
    for (const r of rows) {
      const a = JSON.parse(r.args) as Record<string, string>;
      const id = r.topic1!;
      if (r.event_name === "ProjectProposed")
        out.set(id, {
          status: "proposed",
          target: a.target!,
          permitHash: a.permitHash!,
          metadataHash: a.metadataHash!,
        });
      else {
        const s = out.get(id);
        if (s) s.status = r.event_name === "ProjectApproved" ? "approved" : "closed";
      }
    }
    return out;
  }

  async charityProject(projectId: string): Promise<CharityProjectDetail> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(projectId)) throw new BadRequestError(`not a project id: ${projectId}`);
    const id = projectId.toLowerCase();
    const ledger = requireCharity(this.d);
    const report = await buildReport(ledger, ledger.runner!.provider!, { projectId: id });
    const line = report.projects[0];
    const state = (await this.charityProjectStates()).get(id);
    if (line === undefined || state === undefined) throw new NotFoundError(`no charity project ${projectId}`);
    const rows = await this.eventQuery()
      .where("e.contract", "=", "CharityLedger")
      .where((eb) => eb.or([eb("e.topic1", "=", id), eb("e.topic2", "=", id)]))
      .orderBy("e.block_number")
      .orderBy("e.log_index")
      .execute();
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
    const donations: CharityProjectDetail["donationsList"] = [];
    const disbursements: CharityProjectDetail["disbursements"] = [];
    const donors = new Set<string>();
    const toRecipient = new Map<string, bigint>();
    const grantsOut = new Map<string, bigint>();
    let reversed = 0n;
    for (const r of rows) {
      const a = JSON.parse(r.args) as Record<string, string>;
      if (r.event_name === "DonationRecorded" && r.topic2 === id) {
        donors.add(a.donorCommitment!);
        donations.push({
          donationId: a.donationId!,
          amount: a.amount!,
          channel: Number(a.channel ?? 0),
          donorCommitment: a.donorCommitment!,
          txHash: r.tx_hash,
          timestamp: num(r.timestamp),
        });
      } else if (r.event_name === "Disbursed" && r.topic2 === id) {
        disbursements.push({
          disbursementId: a.disbursementId!,
          recipient: a.recipient!,
          purpose: a.purpose === "1" ? "administrative" : "programme",
          amount: a.amount!,
          confirmed: confirmedIds.has(r.topic1),
          txHash: r.tx_hash,
          timestamp: num(r.timestamp),
        });
        toRecipient.set(a.recipient!, (toRecipient.get(a.recipient!) ?? 0n) + BigInt(a.amount!));
      } else if (r.event_name === "Granted" && r.topic1 === id) {
        grantsOut.set(a.toProjectId!, (grantsOut.get(a.toProjectId!) ?? 0n) + BigInt(a.amount!));
      } else if (r.event_name === "DonationReversed" && r.topic2 === id) {
        reversed += BigInt(a.amount!);
      }
    }
    const names = new Map((await this.orgs()).map((o) => [o.account, o.name]));
    const projectNode = `project ${id.slice(0, 10)}`;
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
      const name = `project ${to.slice(0, 10)}`;
      nodes.push({ name, kind: "grant" });
      links.push({ source: projectNode, target: name, value: amount.toString() });
    }
    if (reversed > 0n) {
      nodes.push({ name: "reversed", kind: "reversal" });
      links.push({ source: projectNode, target: "reversed", value: reversed.toString() });
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
    const rec = await this.eventQuery()
      .where("e.topic1", "=", id)
      .where("e.event_name", "in", ["DonationRecorded", "DonationReversed"])
      .orderBy("e.block_number")
      .execute();
    const recorded = rec.find((x) => x.event_name === "DonationRecorded")!;
    const a = JSON.parse(recorded.args) as Record<string, string>;
    return {
      ...toJson(trace),
      donorCommitment: a.donorCommitment!,
      channel: Number(a.channel ?? 0),
      timestamp: num(recorded.timestamp),
      reversed: rec.some((x) => x.event_name === "DonationReversed"),
    };
  }

  async charityStats(): Promise<CharityStats> {
    const ledger = requireCharity(this.d);
    const report = await buildReport(ledger, ledger.runner!.provider!, {});
    const projects = await this.charityProjects();
    const rows = await this.eventQuery()
      .where("e.contract", "=", "CharityLedger")
      .where("e.event_name", "in", ["DonationRecorded", "Disbursed", "DonationReversed"])
      .orderBy("e.block_number")
      .execute();
    const months = new Map<string, { donations: number; received: bigint; spent: bigint }>();
    const donors = new Set<string>();
    let donations = 0;
    for (const r of rows) {
      const a = JSON.parse(r.args) as Record<string, string>;
      const month = new Date((num(r.timestamp) + 8 * 3600) * 1000).toISOString().slice(0, 7);
      const m = months.get(month) ?? { donations: 0, received: 0n, spent: 0n };
      if (r.event_name === "DonationRecorded") {
        m.donations++;
        m.received += BigInt(a.amount!);
        donors.add(a.donorCommitment!);
        donations++;
      } else if (r.event_name === "DonationReversed") m.received -= BigInt(a.amount!);
      else m.spent += BigInt(a.amount!);
      months.set(month, m);
    }
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
