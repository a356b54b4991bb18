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
import {
  type Args,
  type FlowLanguage,
  type FlowRow,
  type Flows,
  argBig,
  argText,
  bytes16Text,
  bytes32Text,
  flowWord,
  namer,
  tupleField,
} from "./flows.js";

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
      { status: "proposed" | "approved" | "closed"; target: string; permitHash: string; metadataHash: string }
    >();
    for (const e of report.events.proposed) {
      const { projectId, target, permitHash, metadataHash } = e.args;
      out.set(projectId, { status: "proposed", target: target.toString(), permitHash, metadataHash });
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

  /**
   * Every flow of one charity project from the index (donations, grants in and out, disbursements, goods
   * lots and their dispatches, reversals) with the project's totals: what the flows CSV holds.
   */
  async charityProjectFlows(projectId: string, lang: FlowLanguage): Promise<Flows> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(projectId)) throw new BadRequestError(`not a project id: ${projectId}`);
    const id = projectId.toLowerCase();
    const charityEvents = (names: string[]) =>
      this.eventQuery().where("e.contract", "=", "CharityLedger").where("e.event_name", "in", names);
    const [proposed] = await charityEvents(["ProjectProposed"]).where("e.topic1", "=", id).execute();
    if (proposed === undefined) throw new NotFoundError(`no charity project ${projectId}`);
    const own = await charityEvents([
      "DonationRecorded",
      "Disbursed",
      "GoodsRecorded",
      "DonationReversed",
      "GoodsReversed",
    ])
      .where("e.topic2", "=", id)
      .orderBy("e.block_number")
      .orderBy("e.log_index")
      .execute();
    const grants = await charityEvents(["Granted"])
      .where((eb) => eb.or([eb("e.topic1", "=", id), eb("e.topic2", "=", id)]))
      .orderBy("e.block_number")
      .orderBy("e.log_index")
      .execute();
    const lotIds = own.filter((r) => r.event_name === "GoodsRecorded").map((r) => r.topic1!);
    const dispatches =
      lotIds.length === 0
        ? []
        : await charityEvents(["GoodsDispatched"])
            .where("e.topic2", "in", lotIds)
            .orderBy("e.block_number")
            .orderBy("e.log_index")
            .execute();
    const handoverIds = [
      ...own.filter((r) => r.event_name === "Disbursed").map((r) => r.topic1!),
      ...dispatches.map((r) => r.topic1!),
    ];
    const confirmed = new Set(
      handoverIds.length === 0
        ? []
        : (
            await this.db
              .selectFrom("events")
              .select("topic1")
              .where("contract", "=", "CharityLedger")
              .where("event_name", "in", ["DisbursementConfirmed", "GoodsReceiptConfirmed"])
              .where("topic1", "in", handoverIds)
              .execute()
          ).map((r) => r.topic1),
    );
    const codes = new Map(
      (await charityEvents(["ProjectProposed"]).execute()).map((r) => [
        r.topic1!,
        argText(JSON.parse(r.args) as Args, "code"),
      ]),
    );
    const projectName = (pid: string) => codes.get(pid) || pid;
    const nameOf = namer(new Map((await this.orgs()).map((o) => [o.account, o.name])));
    const w = (k: string) => flowWord(lang, k);
    const me = projectName(id);
    const rows: (FlowRow & { seq: number })[] = [];
    const at = (r: { block_number: number; log_index: number; timestamp: string; tx_hash: string }) => ({
      time: num(r.timestamp),
      block: r.block_number,
      tx: r.tx_hash,
      seq: r.block_number * 100_000 + r.log_index,
    });
    const units = new Map<string, string>();
    const totals = {
      received: 0n,
      grantedIn: 0n,
      programme: 0n,
      administrative: 0n,
      grantedOut: 0n,
      reversed: 0n,
      goods: 0n,
    };
    for (const r of own) {
      const a = JSON.parse(r.args) as Args;
      const base = at(r);
      if (r.event_name === "DonationRecorded") {
        const amount = argBig(a, "amount");
        totals.received += amount;
        rows.push({
          ...base,
          kind: "donation",
          from: `${w("donors")} ${argText(a, "donorCommitment").slice(0, 10)}`,
          to: me,
          amount,
          id: r.topic1!,
          detail: "",
        });
      } else if (r.event_name === "Disbursed") {
        const amount = argBig(a, "amount");
        const administrative = argText(a, "purpose") === "1";
        if (administrative) totals.administrative += amount;
        else totals.programme += amount;
        rows.push({
          ...base,
          kind: "disbursement",
          from: me,
          to: nameOf(argText(a, "recipient")),
          amount,
          detail: w(administrative ? "administrative" : "programme"),
          status: confirmed.has(r.topic1) ? "confirmed" : "pending",
          id: r.topic1!,
        });
      } else if (r.event_name === "GoodsRecorded") {
        const unit = bytes16Text(tupleField(a, "goods", "unit", 3));
        units.set(r.topic1!, unit);
        const valuation = BigInt(tupleField(a, "goods", "valuation", 4) || "0");
        totals.goods += valuation;
        rows.push({
          ...base,
          kind: "goodsLot",
          from: `${w("donors")} ${tupleField(a, "goods", "donorCommitment", 6).slice(0, 10)}`,
          to: me,
          amount: valuation,
          quantity: BigInt(tupleField(a, "goods", "quantity", 2) || "0"),
          unit,
          detail: bytes32Text(tupleField(a, "goods", "itemCode", 1)),
          id: r.topic1!,
        });
      } else if (r.event_name === "DonationReversed") {
        const amount = argBig(a, "amount");
        totals.reversed += amount;
        rows.push({ ...base, kind: "reversal", from: me, to: w("donors"), amount, id: r.topic1! });
      } else if (r.event_name === "GoodsReversed") {
        totals.goods -= argBig(a, "valuation");
        rows.push({
          ...base,
          kind: "goodsReversal",
          from: me,
          to: w("donors"),
          amount: argBig(a, "valuation"),
          quantity: argBig(a, "quantity"),
          unit: units.get(r.topic1!) ?? "",
          id: r.topic1!,
        });
      }
    }
    for (const r of dispatches) {
      const a = JSON.parse(r.args) as Args;
      rows.push({
        ...at(r),
        kind: "goodsDispatch",
        from: me,
        to: nameOf(argText(a, "recipient")),
        quantity: argBig(a, "quantity"),
        unit: units.get(r.topic2!) ?? "",
        detail: r.topic2!,
        status: confirmed.has(r.topic1) ? "confirmed" : "pending",
        id: r.topic1!,
      });
    }
    for (const r of grants) {
      const a = JSON.parse(r.args) as Args;
      const amount = argBig(a, "amount");
      const out = r.topic1 === id;
      if (out) totals.grantedOut += amount;
      else totals.grantedIn += amount;
      rows.push({
        ...at(r),
        kind: out ? "grantOut" : "grantIn",
        from: projectName(r.topic1!),
        to: projectName(r.topic2!),
        amount,
        id: `${r.tx_hash}:${r.log_index}`,
      });
    }
    rows.sort((x, y) => x.seq - y.seq);
    const t = totals;
    const balance = t.received + t.grantedIn - t.programme - t.administrative - t.grantedOut - t.reversed;
    return {
      title: `${me} ${projectId.toLowerCase()}`,
      rows: rows.map(({ seq: _seq, ...r }) => r),
      totals: [
        ["received", t.received],
        ["grantedIn", t.grantedIn],
        ["programme", t.programme],
        ["administrative", t.administrative],
        ["grantedOut", t.grantedOut],
        ["reversed", t.reversed],
        ["balance", balance],
        ["goodsValuation", t.goods],
      ],
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
