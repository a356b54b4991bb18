/** The charity ledger's views: projects, donations and statistics. */
import { decodeBytes32String, getAddress, toUtf8String } from "ethers";

import { businessDate } from "../../charity/business-date.js";
import { logRangeOf, queryInChunks } from "../../chain.js";

import { buildReport, type CharityReport } from "../../charity/report.js";
import { parseReceiptCode } from "../../charity/receipt-code.js";
import { traceDonation } from "../../charity/trace.js";
import { requireCharity } from "../../deployment.js";
import { LedgerError } from "../../errors.js";
import { sumFen } from "../../money.js";
import type {
  CharityProjectDetail,
  CharityProjectSummary,
  CharityStats,
  DonationDetail,
  GoodsLotView,
  StatisticsReport,
} from "../api-types.js";
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
      ...(e.args.receivedOn !== 0n ? { receivedOn: businessDate(e.args.receivedOn, 0).date } : {}),
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
    const toRecipient = new Map<string, bigint>();
    for (const e of paid) toRecipient.set(e.args.recipient, (toRecipient.get(e.args.recipient) ?? 0n) + e.args.amount);
    const grantsOut = new Map<string, bigint>();
    for (const e of grants.filter((g) => g.args.fromProjectId === id))
      grantsOut.set(e.args.toProjectId, (grantsOut.get(e.args.toProjectId) ?? 0n) + e.args.amount);
    const grantsIn = grants
      .filter((g) => g.args.toProjectId === id)
      .map((e) => ({
        fromProjectId: e.args.fromProjectId,
        amount: e.args.amount.toString(),
        txHash: e.transactionHash,
        timestamp: time(e.blockNumber),
      }));
    const grantedFrom = new Map<string, bigint>();
    for (const g of grantsIn)
      grantedFrom.set(g.fromProjectId, (grantedFrom.get(g.fromProjectId) ?? 0n) + BigInt(g.amount));
    const names = new Map((await this.orgs()).map((o) => [o.account, o.name]));
    // Projects by their public name (or code), as every page shows them.
    const projectLabel = async (pid: string) => {
      const r = await this.namedRecord(pid);
      return r !== undefined ? `project ${r.name ?? r.code}` : `project ${pid.slice(0, 10)}`;
    };
    const projectNode = await projectLabel(id);
    const nodes: CharityProjectDetail["sankey"]["nodes"] = [{ name: projectNode, kind: "project" }];
    const links: CharityProjectDetail["sankey"]["links"] = [];
    // Inflows by source: donations (grouped), and each project that granted money to this one.
    if (line.received > 0n) {
      nodes.unshift({ name: "donors", kind: "donors" });
      links.push({ source: "donors", target: projectNode, value: line.received.toString() });
    }
    for (const [from, amount] of grantedFrom) {
      const name = (await projectLabel(from)).replace(/^project /, "grant from ");
      nodes.unshift({ name, kind: "grantIn" });
      links.push({ source: name, target: projectNode, value: amount.toString() });
    }
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
      reversals: report.events.reversals.length,
      code: state.code,
      ...(state.name !== undefined ? { name: state.name } : {}),
      sankey: { nodes, links },
      grantsIn,
      goods: await this.goodsLots(id),
      donationsList: donations.reverse().slice(0, 200),
      disbursements: disbursements.reverse(),
    };
  }

  /**
   * A project's goods lots (donations in kind) and their hand-overs: quantity received, dispatched to
   * each recipient and confirmed by it, and what is left; from the events alone.
   */
  async goodsLots(projectId: string): Promise<GoodsLotView[]> {
    const ledger = requireCharity(this.d);
    const provider = ledger.runner!.provider!;
    const latest = await provider.getBlockNumber();
    const q = <T>(fn: (a: number, b: number) => Promise<T[]>) =>
      queryInChunks(fn, 0, latest, { chunk: logRangeOf(provider) });
    const recorded = await q((a, b) => ledger.queryFilter(ledger.filters.GoodsRecorded(undefined, projectId), a, b));
    if (recorded.length === 0) return [];
    const [dispatched, confirmed, reversed] = await Promise.all([
      q((a, b) => ledger.queryFilter(ledger.filters.GoodsDispatched(), a, b)),
      q((a, b) => ledger.queryFilter(ledger.filters.GoodsReceiptConfirmed(), a, b)),
      q((a, b) => ledger.queryFilter(ledger.filters.GoodsReversed(undefined, projectId), a, b)),
    ]);
    const times = await this.blockTimes([
      ...recorded.map((e) => e.blockNumber),
      ...dispatched.map((e) => e.blockNumber),
      ...confirmed.map((e) => e.blockNumber),
    ]);
    const receipts = new Map(confirmed.map((e) => [e.args.dispatchId, e]));
    const reversedLots = new Set(reversed.map((e) => e.args.lotId));
    const text = (hex: string, size: 16 | 32) => {
      try {
        return size === 32 ? decodeBytes32String(hex) : toUtf8String(hex).replace(/\0+$/, "");
      } catch {
        return hex;
      }
    };
    return recorded.map((e) => {
      const g = e.args.goods;
      const hand = dispatched.filter((x) => x.args.lotId === e.args.lotId);
      const out = hand.reduce((s, x) => s + x.args.quantity, 0n);
      return {
        lotId: e.args.lotId,
        itemCode: text(g.itemCode, 32),
        quantity: g.quantity.toString(),
        unit: text(g.unit, 16),
        valuation: g.valuation.toString(),
        productBatchId: g.productBatchId,
        donorCommitment: g.donorCommitment,
        evidenceHash: g.evidenceHash,
        recordedBy: e.args.by,
        txHash: e.transactionHash,
        timestamp: times.get(e.blockNumber) ?? 0,
        reversed: reversedLots.has(e.args.lotId),
        dispatched: out.toString(),
        remaining: reversedLots.has(e.args.lotId) ? "0" : (g.quantity - out).toString(),
        dispatches: hand.map((x) => {
          const r = receipts.get(x.args.dispatchId);
          return {
            dispatchId: x.args.dispatchId,
            recipient: x.args.recipient,
            quantity: x.args.quantity.toString(),
            evidenceHash: x.args.evidenceHash,
            txHash: x.transactionHash,
            timestamp: times.get(x.blockNumber) ?? 0,
            confirmed: r !== undefined,
            ...(r !== undefined ? { receiptHash: r.args.receiptHash, confirmedAt: times.get(r.blockNumber) ?? 0 } : {}),
          };
        }),
      };
    });
  }

  /** Block number → timestamp (seconds), from the index. */
  protected async blockTimes(blocks: readonly number[]): Promise<Map<number, number>> {
    const wanted = [...new Set(blocks)];
    if (wanted.length === 0) return new Map();
    const rows = await this.db
      .selectFrom("blocks")
      .select(["number", "timestamp"])
      .where("number", "in", wanted)
      .execute();
    return new Map(rows.map((r) => [r.number, num(r.timestamp)]));
  }

  /**
   * Each published statistics report beside the records it covers: the totals it published (the
   * ledger's counters at that moment) and the same totals summed from the events recorded before it,
   * with the count of each kind of record and each project's line at that moment.
   */
  async statisticsReports(): Promise<StatisticsReport[]> {
    const ledger = requireCharity(this.d);
    const provider = ledger.runner!.provider!;
    const latest = await provider.getBlockNumber();
    const q = <T>(fn: (a: number, b: number) => Promise<T[]>) =>
      queryInChunks(fn, 0, latest, { chunk: logRangeOf(provider) });
    const [published, proposed, donations, paid, reversals, goods, goodsReversed] = await Promise.all([
      q((a, b) => ledger.queryFilter(ledger.filters.StatisticsPublished(), a, b)),
      q((a, b) => ledger.queryFilter(ledger.filters.ProjectProposed(), a, b)),
      q((a, b) => ledger.queryFilter(ledger.filters.DonationRecorded(), a, b)),
      q((a, b) => ledger.queryFilter(ledger.filters.Disbursed(), a, b)),
      q((a, b) => ledger.queryFilter(ledger.filters.DonationReversed(), a, b)),
      q((a, b) => ledger.queryFilter(ledger.filters.GoodsRecorded(), a, b)),
      q((a, b) => ledger.queryFilter(ledger.filters.GoodsReversed(), a, b)),
    ]);
    const times = await this.blockTimes(published.map((e) => e.blockNumber));
    type Positioned = { blockNumber: number; index: number };
    return published.map((p) => {
      const before = <T extends Positioned>(list: readonly T[]) =>
        list.filter((e) => e.blockNumber < p.blockNumber || (e.blockNumber === p.blockNumber && e.index < p.index));
      const d = before(donations);
      const pd = before(paid);
      const r = before(reversals);
      const g = before(goods);
      const gr = before(goodsReversed);
      const sum = (xs: readonly bigint[]) => xs.reduce((s, x) => s + x, 0n);
      const records = {
        received: sum(d.map((e) => e.args.amount)),
        reversed: sum(r.map((e) => e.args.amount)),
        programmeSpent: sum(pd.filter((e) => e.args.purpose === 0n).map((e) => e.args.amount)),
        adminSpent: sum(pd.filter((e) => e.args.purpose === 1n).map((e) => e.args.amount)),
        goodsValuation: sum(g.map((e) => e.args.goods.valuation)) - sum(gr.map((e) => e.args.valuation)),
        donationCount: BigInt(d.length),
        projectCount: BigInt(before(proposed).length),
      };
      const t = p.args.totals;
      const totals = {
        received: t.received,
        reversed: t.reversed,
        programmeSpent: t.programmeSpent,
        adminSpent: t.adminSpent,
        goodsValuation: t.goodsValuation,
        donationCount: t.donationCount,
        projectCount: t.projectCount,
      };
      const matches = (Object.keys(records) as (keyof typeof records)[]).every((k) => records[k] === totals[k]);
      const projects = before(proposed).map((e) => {
        const id = e.args.projectId;
        const mine = <T extends { args: { projectId: string } }>(xs: readonly T[]) =>
          xs.filter((x) => x.args.projectId === id);
        const out = mine(pd);
        return {
          projectId: id,
          code: e.args.code,
          donations: mine(d).length,
          received: sum(mine(d).map((x) => x.args.amount)).toString(),
          reversed: sum(mine(r).map((x) => x.args.amount)).toString(),
          programme: sum(out.filter((x) => x.args.purpose === 0n).map((x) => x.args.amount)).toString(),
          administrative: sum(out.filter((x) => x.args.purpose === 1n).map((x) => x.args.amount)).toString(),
          goodsValuation: (
            sum(mine(g).map((x) => x.args.goods.valuation)) - sum(mine(gr).map((x) => x.args.valuation))
          ).toString(),
        };
      });
      return {
        periodId: p.args.periodId,
        by: p.args.by,
        reportHash: p.args.reportHash,
        blockNumber: p.blockNumber,
        txHash: p.transactionHash,
        timestamp: times.get(p.blockNumber) ?? 0,
        published: toJson(totals),
        records: toJson(records),
        matches,
        counts: {
          donations: d.length,
          reversals: r.length,
          disbursements: pd.length,
          goodsLots: g.length - gr.length,
          projects: before(proposed).length,
        },
        projects,
      };
    });
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
    // Months by business date: a donation in the month its charity received it (`receivedOn`, or the
    // block's day where the source did not say), a reversal in its donation's month (that money never
    // was income), a payment in the month it was recorded (the ledger records payments as they are made).
    const months = new Map<string, { donations: number; received: bigint; spent: bigint }>();
    const add = (month: string, f: (m: { donations: number; received: bigint; spent: bigint }) => void) => {
      const m = months.get(month) ?? { donations: 0, received: 0n, spent: 0n };
      f(m);
      months.set(month, m);
    };
    const blockDay = (block: number) => report.blockTime.get(block) ?? 0;
    const { donations: recorded, paid, reversals } = report.events;
    const monthOfDonation = new Map<string, string>();
    let undated = 0;
    for (const e of recorded) {
      const b = businessDate(e.args.receivedOn, blockDay(e.blockNumber));
      if (b.source === "block") undated++;
      const month = b.date.slice(0, 7);
      monthOfDonation.set(e.args.donationId, month);
      add(month, (m) => {
        m.donations++;
        m.received += e.args.amount;
      });
    }
    for (const e of reversals) {
      const month = monthOfDonation.get(e.args.donationId) ?? businessDate(0, blockDay(e.blockNumber)).date.slice(0, 7);
      add(month, (m) => (m.received -= e.args.amount));
    }
    for (const e of paid)
      add(businessDate(0, blockDay(e.blockNumber)).date.slice(0, 7), (m) => (m.spent += e.args.amount));
    const donations = recorded.length;
    const sum = (f: (p: (typeof report.projects)[number]) => bigint) => sumFen(report.projects.map(f));
    return {
      totals: {
        projects: report.projects.length,
        donations,
        reversals: reversals.length,
        undatedDonations: undated,
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
