/** The relief ledger's views: programmes and their trees. */
import { requireRelief } from "../../deployment.js";
import { LedgerError } from "../../errors.js";
import { CATEGORIES as RELIEF_CATEGORIES } from "../../relief/vocabulary.js";
import { programmeTree } from "../../relief/tree.js";
import { logRangeOf, queryInChunks } from "../../chain.js";
import { ATTESTATIONS, attestationDefinitionHash } from "../../relief/attestations.js";
import { ROLES, roleLabel } from "../../roles.js";
import type { ProgrammePage, ProgrammeSummary, RequiredAttestation, ReliefReceiptView } from "../api-types.js";
import { num } from "../db.js";
import { BadRequestError, NotFoundError, toJson } from "./base.js";
import { type Args, type FlowLanguage, type FlowRow, type Flows, argBig, argText, flowWord, namer } from "./flows.js";
import { TraceViews } from "./trace.js";

export class ReliefViews extends TraceViews {
  async programmes(): Promise<ProgrammeSummary[]> {
    const relief = requireRelief(this.d);
    const rows = await this.eventQuery()
      .where("e.contract", "=", "ReliefLedger")
      .where("e.event_name", "=", "ProgrammeCreated")
      .orderBy("e.block_number", "desc")
      .execute();
    return Promise.all(
      rows.map(async (r) => {
        const id = r.topic1!;
        const p = await relief.programme(id);
        const named = await this.namedRecord(id);
        return {
          programmeId: id,
          code: named?.code ?? (JSON.parse(r.args) as { code: string }).code,
          ...(named?.name !== undefined ? { name: named.name } : {}),
          finance: p.finance,
          category: RELIEF_CATEGORIES[Number(p.category)] ?? "other",
          fiscalYear: Number(p.fiscalYear),
          appropriated: p.appropriated.toString(),
          allocated: p.allocated.toString(),
          released: (await this.released(id, p.finance)).toString(),
          disbursed: p.disbursed.toString(),
          returned: p.returned.toString(),
          timestamp: num(r.timestamp),
        };
      }),
    );
  }

  async programme(programmeId: string): Promise<ProgrammePage> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(programmeId)) throw new BadRequestError(`not a programme id: ${programmeId}`);
    let tree;
    try {
      tree = await programmeTree(this.d, programmeId.toLowerCase());
    } catch (e) {
      if (e instanceof LedgerError) throw new NotFoundError(e.message);
      throw e;
    }
    const p = tree.programme;
    const id = programmeId.toLowerCase();
    const names = await this.publicNames();
    const self = names.records.find((r) => r.kind === "programme" && r.id === id);
    const projectNames: Record<string, { code: string; name?: string }> = {};
    for (const r of names.records)
      if (r.kind === "relief-project" && r.programmeId === id)
        projectNames[r.id] = { code: r.code, ...(r.name !== undefined ? { name: r.name } : {}) };
    return {
      ...toJson(tree),
      released: (await this.released(p.programmeId, p.finance)).toString(),
      attestations: await this.requiredAttestations(Number(p.requiredAttestations)),
      code: self?.code ?? "",
      ...(self?.name !== undefined ? { name: self.name } : {}),
      periodNames: names.periods.filter((n) => n.programmeId === id),
      projectNames,
    };
  }

  /** What a programme's finance allocated down its tree, from the events: its `Allocated` and `ProjectFunded`. */
  protected async released(programmeId: string, finance: string): Promise<bigint> {
    const relief = requireRelief(this.d);
    const provider = relief.runner!.provider!;
    const latest = await provider.getBlockNumber();
    const q = <T>(fn: (a: number, b: number) => Promise<T[]>) =>
      queryInChunks(fn, 0, latest, { chunk: logRangeOf(provider) });
    const [allocated, funded] = await Promise.all([
      q((a, b) => relief.queryFilter(relief.filters.Allocated(programmeId, finance), a, b)),
      q((a, b) => relief.queryFilter(relief.filters.ProjectFunded(programmeId, undefined, finance), a, b)),
    ]);
    return [...allocated, ...funded].reduce((s, e) => s + e.args.amount, 0n);
  }

  /**
   * The attestation kinds of a `requiredAttestations` bit mask, each with its name (when its definition
   * on chain matches one we publish) and the role the chain says attests it (the latest `AttestationDefined`).
   */
  protected async requiredAttestations(mask: number): Promise<RequiredAttestation[]> {
    const relief = requireRelief(this.d);
    const provider = relief.runner!.provider!;
    const latest = await provider.getBlockNumber();
    const defined = await queryInChunks(
      (a, b) => relief.queryFilter(relief.filters.AttestationDefined(), a, b),
      0,
      latest,
      { chunk: logRangeOf(provider) },
    );
    const byKind = new Map(defined.map((e) => [Number(e.args.kind), e.args]));
    const out: RequiredAttestation[] = [];
    for (let kind = 0; kind < 16; kind++) {
      if ((mask & (1 << kind)) === 0) continue;
      const def = byKind.get(kind);
      const known = ATTESTATIONS.find(
        (a) => a.kind === kind && def !== undefined && attestationDefinitionHash(a) === def.definitionHash,
      );
      out.push({
        kind,
        ...(known !== undefined ? { label: known.label, zh: known.zh, en: known.en } : {}),
        ...(def !== undefined
          ? {
              attesterRole: roleLabel(def.attesterRole),
              ...(ROLES.find((r) => r.id === def.attesterRole) !== undefined
                ? { attesterZh: ROLES.find((r) => r.id === def.attesterRole)!.zh }
                : {}),
            }
          : {}),
      });
    }
    return out;
  }

  /**
   * Every hop of a programme's money from the index: the budget and further appropriations, allocations
   * down the tree, project funding, payments (households by village and period, never by key; projects'
   * milestones to their implementers) and returns, with the totals the programme page shows.
   */
  async programmeFlows(programmeId: string, lang: FlowLanguage): Promise<Flows> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(programmeId)) throw new BadRequestError(`not a programme id: ${programmeId}`);
    const id = programmeId.toLowerCase();
    const reliefEvents = (names: string[]) =>
      this.eventQuery().where("e.contract", "=", "ReliefLedger").where("e.event_name", "in", names);
    const [created] = await reliefEvents(["ProgrammeCreated"]).where("e.topic1", "=", id).execute();
    if (created === undefined) throw new NotFoundError(`no programme ${programmeId}`);
    const byProgramme = await reliefEvents(["Appropriated", "Allocated", "ProjectFunded", "FundsReturned"])
      .where("e.topic1", "=", id)
      .execute();
    const decisions = await reliefEvents(["DisbursementProposed", "DisbursementApproved", "DisbursementRejected"])
      .where("e.topic2", "=", id)
      .execute();
    const projects = await reliefEvents(["ProjectCreated"]).where("e.topic2", "=", id).execute();
    const projectCode = new Map(
      projects.map((r) => [r.topic1!, argText(JSON.parse(r.args) as Args, "code") || r.topic1!]),
    );
    const implementer = new Map(projects.map((r) => [r.topic1!, argText(JSON.parse(r.args) as Args, "implementer")]));
    const nameOf = namer(new Map((await this.orgs()).map((o) => [o.account, o.name])));
    const w = (k: string, n?: number) => flowWord(lang, k, n);
    const ca = JSON.parse(created.args) as Args;
    const code = argText(ca, "code") || id;
    const finance = argText(ca, "finance");
    const budget = argBig(ca, "budget");
    const at = (r: { block_number: number; log_index: number; timestamp: string; tx_hash: string }) => ({
      time: num(r.timestamp),
      block: r.block_number,
      tx: r.tx_hash,
      seq: r.block_number * 100_000 + r.log_index,
    });
    const rows: (FlowRow & { seq: number })[] = [
      {
        ...at(created),
        kind: "appropriation",
        from: w("budget"),
        to: nameOf(finance),
        amount: budget,
        id,
        detail: code,
      },
    ];
    const t = { appropriated: budget, allocated: 0n, disbursed: 0n, returned: 0n, pending: 0n };
    const relief = this.d.addresses.ReliefLedger?.toLowerCase();
    for (const r of byProgramme) {
      const a = JSON.parse(r.args) as Args;
      const amount = argBig(a, "amount");
      if (r.event_name === "Appropriated") {
        t.appropriated += amount;
        rows.push({
          ...at(r),
          kind: "appropriation",
          from: w("budget"),
          to: nameOf(argText(a, "by")),
          amount,
          id: `${r.tx_hash}:${r.log_index}`,
        });
      } else if (r.event_name === "Allocated") {
        t.allocated += amount;
        rows.push({
          ...at(r),
          kind: "allocation",
          from: nameOf(argText(a, "from")),
          to: nameOf(argText(a, "to")),
          amount,
          id: argText(a, "allocationId"),
        });
      } else if (r.event_name === "ProjectFunded") {
        t.allocated += amount;
        const pid = argText(a, "projectId");
        rows.push({
          ...at(r),
          kind: "projectFunding",
          from: nameOf(argText(a, "from")),
          to: projectCode.get(pid) ?? pid,
          amount,
          id: argText(a, "allocationId"),
        });
      } else {
        t.returned += amount;
        const from = argText(a, "from");
        rows.push({
          ...at(r),
          kind: "return",
          from: from.toLowerCase() === relief ? w("remainder") : nameOf(from),
          to: nameOf(argText(a, "to")),
          amount,
          id: `${r.tx_hash}:${r.log_index}`,
        });
      }
    }
    // A disbursement's latest proposal, and what became of it (a rejected one may be proposed again).
    const payments = new Map<string, FlowRow & { seq: number }>();
    const ordered = [...decisions].sort((x, y) => x.block_number - y.block_number || x.log_index - y.log_index);
    for (const r of ordered) {
      const a = JSON.parse(r.args) as Args;
      const did = r.topic1!;
      if (r.event_name === "DisbursementProposed") {
        const project = argText(a, "kind") === "1";
        const recipient = argText(a, "recipient");
        const period = Number(argText(a, "period"));
        payments.set(did, {
          ...at(r),
          kind: project ? "projectPayment" : "payment",
          from: nameOf(argText(a, "holder")),
          to: project
            ? `${projectCode.get(recipient) ?? recipient} → ${nameOf(implementer.get(recipient) ?? "")}`
            : w("beneficiary"),
          amount: argBig(a, "amount"),
          detail: project ? w("milestone", period + 1) : w("period", period),
          status: "proposed",
          id: did,
        });
      } else {
        const p = payments.get(did);
        if (p !== undefined)
          payments.set(did, { ...p, status: r.event_name === "DisbursementApproved" ? "approved" : "rejected" });
      }
    }
    for (const p of payments.values()) {
      if (p.status === "approved") t.disbursed += p.amount ?? 0n;
      if (p.status === "proposed") t.pending += p.amount ?? 0n;
      rows.push(p);
    }
    rows.sort((x, y) => x.seq - y.seq);
    return {
      title: `${code} ${id}`,
      rows: rows.map(({ seq: _seq, ...r }) => r),
      totals: [
        ["appropriated", t.appropriated],
        ["allocated", t.allocated],
        ["disbursed", t.disbursed],
        ["pending", t.pending],
        ["returned", t.returned],
      ],
    };
  }

  /**
   * A household's payment by the hash of its receipt code (the explorer hashes the code in the browser):
   * amount, programme, period, the proposing village and the approving department, from the index.
   */
  async reliefReceipt(receiptHash: string): Promise<ReliefReceiptView> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(receiptHash)) throw new BadRequestError(`not a receipt hash: ${receiptHash}`);
    const h = receiptHash.toLowerCase();
    const [bound] = await this.eventQuery()
      .where("e.contract", "=", "ReliefReceipts")
      .where("e.event_name", "=", "ReceiptBound")
      .where("e.topic1", "=", h)
      .execute();
    if (bound === undefined) throw new NotFoundError("no payment has this receipt code");
    const disbursementId = bound.topic2!;
    const decisions = await this.eventQuery()
      .where("e.contract", "=", "ReliefLedger")
      .where("e.event_name", "in", ["DisbursementProposed", "DisbursementApproved", "DisbursementRejected"])
      .where("e.topic1", "=", disbursementId)
      .orderBy("e.block_number")
      .orderBy("e.log_index")
      .execute();
    const proposal = decisions.filter((r) => r.event_name === "DisbursementProposed").at(-1);
    if (proposal === undefined) throw new NotFoundError("no payment has this receipt code");
    const decision = decisions
      .filter(
        (r) =>
          r.event_name !== "DisbursementProposed" &&
          r.block_number * 1e5 + r.log_index > proposal.block_number * 1e5 + proposal.log_index,
      )
      .at(-1);
    const pa = JSON.parse(proposal.args) as Args;
    const programmeId = proposal.topic2!;
    const [created] = await this.eventQuery()
      .where("e.contract", "=", "ReliefLedger")
      .where("e.event_name", "=", "ProgrammeCreated")
      .where("e.topic1", "=", programmeId)
      .execute();
    const ca = created === undefined ? {} : (JSON.parse(created.args) as Args);
    const orgs = new Map((await this.orgs()).map((o) => [o.account, o]));
    const party = (address: string) => {
      const o = orgs.get(address);
      return { account: address, name: o?.name ?? address, kind: o?.kind ?? "" };
    };
    const decider =
      decision === undefined
        ? undefined
        : argText(
            JSON.parse(decision.args) as Args,
            decision.event_name === "DisbursementApproved" ? "approver" : "by",
          );
    return {
      receiptHash: h,
      disbursementId,
      programmeId,
      programmeCode: argText(ca, "code"),
      category: RELIEF_CATEGORIES[Number(argText(ca, "category") || "0")] ?? "other",
      fiscalYear: Number(argText(ca, "fiscalYear") || "0"),
      period: Number(argText(pa, "period")),
      amount: argBig(pa, "amount").toString(),
      status:
        decision === undefined ? "proposed" : decision.event_name === "DisbursementApproved" ? "approved" : "rejected",
      village: party(argText(pa, "holder")),
      ...(decider !== undefined ? { decidedBy: party(decider) } : {}),
      proposedAt: num(proposal.timestamp),
      ...(decision !== undefined ? { decidedAt: num(decision.timestamp) } : {}),
      boundTx: bound.tx_hash,
    };
  }
}
