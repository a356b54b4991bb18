/**
 * What the API answers, computed from the index. Domain pages call the project's own read
 * functions (`buildReport`, `traceDonation`, `batchHistory`, `programmeTree`) over a deployment
 * connected to an {@link IndexedProvider}: their logs come from the index, their few state reads
 * from the node. Generic pages (blocks, transactions, addresses, search) are plain queries.
 */
import { Network, getAddress, isAddress, zeroPadValue, type JsonRpcApiProvider } from "ethers";

import { confirmationDepth } from "../chain.js";
import { buildReport } from "../charity/report.js";
import { parseReceiptCode } from "../charity/receipt-code.js";
import { traceDonation } from "../charity/trace.js";
import { creditCodeFromBytes18 } from "../credit-code.js";
import { connectDeployment, requireCharity, requireRelief, requireTrace, type Deployment } from "../deployment.js";
import { LedgerError } from "../errors.js";
import { CATEGORIES as RELIEF_CATEGORIES } from "../relief/ledger.js";
import { programmeTree } from "../relief/tree.js";
import { ORG_KINDS, PUBLIC_ROLE, ROLES, roleLabel } from "../roles.js";
import { batchHistory } from "../trace/history.js";
import { getBatch, getProduct } from "../trace/ledger.js";
import { BATCH_STATUSES, decodeCode, dispositionOf, encodeCode } from "../trace/vocabulary.js";
import type {
  AddressDetail,
  ArgValue,
  BatchPage,
  BatchSummary,
  BlockDetail,
  BlockSummary,
  CharityProjectDetail,
  CharityProjectSummary,
  CharityStats,
  DocumentRecords,
  DonationDetail,
  EventRecord,
  Json,
  OrgRecord,
  Page,
  PermissionsView,
  ProgrammePage,
  ProgrammeSummary,
  SearchHit,
  Status,
  TxDetail,
  TxSummary,
} from "./api-types.js";
import { num, sql, type IndexDb } from "./db.js";
import { governanceView, type GovernanceView } from "./views/governance.js";
import { IndexedProvider } from "./indexed-provider.js";
import type { Indexer } from "./indexer.js";

/** A request the API refuses (HTTP 400) or cannot find (HTTP 404). */
export class NotFoundError extends Error {
  readonly statusCode = 404;
}
export class BadRequestError extends Error {
  readonly statusCode = 400;
}

/** Converts any value to its JSON form (bigint → decimal string, Date → ISO). */
export function toJson<T>(value: T): Json<T> {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as Json<T>;
}

/** The read side of one index. */
export class IndexViews {
  readonly db: IndexDb;
  readonly indexer: Indexer;
  /** The deployment, its logs read from the index. */
  readonly d: Deployment;
  readonly #names = new Map<number, Map<string, OrgRecord>>();

  constructor(db: IndexDb, indexer: Indexer, upstream: JsonRpcApiProvider, deployment: Deployment) {
    this.db = db;
    this.indexer = indexer;
    const network = new Network(`chain-${deployment.chainId}`, deployment.chainId);
    const provider = new IndexedProvider(db, upstream, network, () => indexer.indexedBlock());
    this.d = connectDeployment(deployment.chainId, deployment.addresses, provider);
  }

  // ------------------------------------------------------------------------------ generic

  async status(): Promise<Status> {
    const [events, txs] = await Promise.all([
      this.db
        .selectFrom("events")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom("transactions")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow(),
    ]);
    return {
      chainId: this.d.chainId.toString(),
      indexedBlock: await this.indexer.indexedBlock(),
      headBlock: this.indexer.head,
      finalBlock: this.indexer.head - confirmationDepth() + 1,
      confirmations: confirmationDepth(),
      contracts: this.indexer.contracts.map((c) => ({ name: c.name, address: c.address })),
      events: num(events.n),
      transactions: num(txs.n),
    };
  }

  async blocks(limit: number, before?: number): Promise<Page<BlockSummary>> {
    let q = this.db.selectFrom("blocks").selectAll();
    if (before !== undefined) q = q.where("number", "<", before);
    const rows = await q
      .orderBy("number", "desc")
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((r) => ({
      number: r.number,
      hash: r.hash,
      timestamp: num(r.timestamp),
      transactions: r.tx_count,
    }));
    return rows.length > limit ? { items, next: String(items[items.length - 1]!.number) } : { items };
  }

  async block(n: number): Promise<BlockDetail> {
    const b = await this.db.selectFrom("blocks").selectAll().where("number", "=", n).executeTakeFirst();
    if (b === undefined) throw new NotFoundError(`block ${n} holds no ledger transaction, or is not indexed yet`);
    const txs = await this.#txQuery().where("t.block_number", "=", n).orderBy("t.tx_index").execute();
    return {
      number: b.number,
      hash: b.hash,
      parentHash: b.parent_hash,
      timestamp: num(b.timestamp),
      transactions: b.tx_count,
      txs: txs.map(txSummary),
    };
  }

  #txQuery() {
    return this.db
      .selectFrom("transactions as t")
      .innerJoin("blocks as b", "b.number", "t.block_number")
      .select([
        "t.hash",
        "t.block_number",
        "t.tx_index",
        "t.from_address",
        "t.to_address",
        "t.contract",
        "t.function_name",
        "t.selector",
        "t.args",
        "t.event_count",
        "b.timestamp",
      ]);
  }

  async txs(limit: number, before?: string, from?: string): Promise<Page<TxSummary>> {
    let q = this.#txQuery();
    if (from !== undefined) q = q.where("t.from_address", "=", from);
    if (before !== undefined) q = q.where(olderThan(before, "t.block_number", "t.tx_index"));
    const rows = await q
      .orderBy("t.block_number", "desc")
      .orderBy("t.tx_index", "desc")
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(txSummary);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, next: `${last.blockNumber}:${last.index}` } : { items };
  }

  async tx(hash: string): Promise<TxDetail> {
    const h = hash.toLowerCase();
    const t = await this.#txQuery().where("t.hash", "=", h).executeTakeFirst();
    if (t === undefined)
      throw new NotFoundError(`transaction ${hash} is not a ledger transaction, or is not indexed yet`);
    const events = await this.#eventQuery().where("e.tx_hash", "=", h).orderBy("e.log_index").execute();
    return {
      ...txSummary(t),
      selector: t.selector,
      args: JSON.parse(t.args) as Record<string, ArgValue>,
      eventsList: events.map(eventRecord),
    };
  }

  #eventQuery() {
    return this.db
      .selectFrom("events as e")
      .innerJoin("blocks as b", "b.number", "e.block_number")
      .select([
        "e.block_number",
        "e.log_index",
        "e.tx_hash",
        "e.address",
        "e.contract",
        "e.event_name",
        "e.args",
        "e.topic1",
        "e.topic2",
        "e.topic3",
        "b.timestamp",
      ]);
  }

  /** The registry's organisations as of the indexed block (cached per block). */
  async orgs(): Promise<OrgRecord[]> {
    const at = await this.indexer.indexedBlock();
    const cached = this.#names.get(at);
    if (cached !== undefined) return [...cached.values()];
    const rows = await this.db
      .selectFrom("events")
      .select(["event_name", "args", "block_number"])
      .where("contract", "=", "OrgRegistry")
      .where("event_name", "in", ["OrganisationRegistered", "OrganisationSuspended", "OrganisationReinstated"])
      .orderBy("block_number")
      .orderBy("log_index")
      .execute();
    const byAccount = new Map<string, OrgRecord>();
    for (const r of rows) {
      const a = JSON.parse(r.args) as Record<string, string>;
      const account = getAddress(a.account!);
      if (r.event_name === "OrganisationRegistered") {
        const kind = ORG_KINDS.find((k) => k.kind === Number(a.kind));
        byAccount.set(account, {
          account,
          name: a.name!,
          kind: kind?.label ?? `kind ${a.kind}`,
          kindZh: kind?.zh ?? "",
          creditCode: creditCodeFromBytes18(a.creditCode!),
          status: "active",
          registeredBlock: r.block_number,
        });
      } else {
        const o = byAccount.get(account);
        if (o)
          byAccount.set(account, { ...o, status: r.event_name === "OrganisationSuspended" ? "suspended" : "active" });
      }
    }
    this.#names.clear();
    this.#names.set(at, byAccount);
    return [...byAccount.values()];
  }

  async #org(account: string): Promise<OrgRecord | undefined> {
    await this.orgs();
    return [...this.#names.values()][0]?.get(getAddress(account));
  }

  async address(address: string): Promise<AddressDetail> {
    if (!isAddress(address)) throw new BadRequestError(`not an address: ${address}`);
    const a = getAddress(address);
    const [organisation, roles, txs] = await Promise.all([
      this.#org(a),
      this.#rolesOf(a),
      this.db
        .selectFrom("transactions")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("from_address", "=", a)
        .executeTakeFirstOrThrow(),
    ]);
    const contract = this.indexer.contracts.find((c) => c.address === a)?.name;
    return {
      address: a,
      ...(organisation ? { organisation } : {}),
      ...(contract ? { contract } : {}),
      roles,
      transactions: num(txs.n),
    };
  }

  /** Events naming an address: emitted by it (a contract) or with it in a topic. */
  async addressEvents(address: string, limit: number, before?: string): Promise<Page<EventRecord>> {
    if (!isAddress(address)) throw new BadRequestError(`not an address: ${address}`);
    const a = getAddress(address);
    const topic = zeroPadValue(a, 32).toLowerCase();
    let q = this.#eventQuery().where((eb) =>
      eb.or([
        eb("e.address", "=", a),
        eb("e.topic1", "=", topic),
        eb("e.topic2", "=", topic),
        eb("e.topic3", "=", topic),
      ]),
    );
    if (before !== undefined) q = q.where(olderThan(before, "e.block_number", "e.log_index"));
    const rows = await q
      .orderBy("e.block_number", "desc")
      .orderBy("e.log_index", "desc")
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(eventRecord);
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, next: `${last.blockNumber}:${last.logIndex}` } : { items };
  }

  /** Role memberships from the AccessManager's events. */
  async #memberships(): Promise<Map<string, Map<string, number>>> {
    const rows = await this.db
      .selectFrom("events")
      .select(["event_name", "args", "block_number"])
      .where("contract", "=", "AccessManager")
      .where("event_name", "in", ["RoleGranted", "RoleRevoked"])
      .orderBy("block_number")
      .orderBy("log_index")
      .execute();
    const members = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const a = JSON.parse(r.args) as Record<string, string>;
      const role = a.roleId!;
      const set = members.get(role) ?? new Map<string, number>();
      if (r.event_name === "RoleGranted") {
        if (!set.has(a.account!)) set.set(a.account!, r.block_number);
      } else set.delete(a.account!);
      members.set(role, set);
    }
    return members;
  }

  async #rolesOf(account: string): Promise<string[]> {
    const out: string[] = [];
    for (const [role, set] of await this.#memberships()) if (set.has(account)) out.push(roleLabel(BigInt(role)));
    return out;
  }

  async permissions(): Promise<PermissionsView> {
    const members = await this.#memberships();
    const rows = await this.db
      .selectFrom("events")
      .select(["args"])
      .where("contract", "=", "AccessManager")
      .where("event_name", "=", "TargetFunctionRoleUpdated")
      .orderBy("block_number")
      .orderBy("log_index")
      .execute();
    const fnRole = new Map<string, { target: string; selector: string; role: string }>();
    for (const r of rows) {
      const a = JSON.parse(r.args) as Record<string, string>;
      fnRole.set(`${a.target}:${a.selector}`, { target: a.target!, selector: a.selector!, role: a.roleId! });
    }
    const orgs = new Map((await this.orgs()).map((o) => [o.account, o.name]));
    const contractAt = new Map(this.indexer.contracts.map((c) => [c.address, c]));
    const roleIds = new Set<string>([...ROLES.map((r) => r.id.toString()), ...members.keys(), PUBLIC_ROLE.toString()]);
    for (const f of fnRole.values()) roleIds.add(f.role);
    const roles = [...roleIds]
      .map((id) => {
        const def = ROLES.find((r) => r.id.toString() === id);
        const functions = [...fnRole.values()]
          .filter((f) => f.role === id)
          .map((f) => {
            const c = contractAt.get(getAddress(f.target));
            const fn = c?.iface.getFunction(f.selector);
            return { contract: c?.name ?? f.target, function: fn?.name ?? f.selector, selector: f.selector };
          })
          .sort((x, y) => x.contract.localeCompare(y.contract) || x.function.localeCompare(y.function));
        const list = [...(members.get(id) ?? new Map<string, number>())].map(([account, since]) => {
          const name = orgs.get(getAddress(account));
          return name !== undefined ? { account, name, since } : { account, since };
        });
        return {
          id,
          label: def?.label ?? roleLabel(BigInt(id)),
          zh: def?.zh ?? (BigInt(id) === PUBLIC_ROLE ? "公众" : ""),
          members: list,
          functions,
        };
      })
      .filter((r) => r.members.length > 0 || r.functions.length > 0)
      .sort((x, y) => (BigInt(x.id) < BigInt(y.id) ? -1 : 1));
    return { manager: this.d.addresses.AccessManager, roles };
  }

  /** The council's operations in words and the closed ledgers (src/indexer/views/governance.ts). */
  async governance(): Promise<GovernanceView> {
    const names = new Map((await this.orgs()).map((o) => [o.account, o.name]));
    const latest = await this.db
      .selectFrom("blocks")
      .select("timestamp")
      .orderBy("number", "desc")
      .limit(1)
      .executeTakeFirst();
    // The chain's clock decides readiness; a development chain's may run ahead of the wall clock.
    const now = Math.max(Math.floor(Date.now() / 1000), latest === undefined ? 0 : num(latest.timestamp));
    return governanceView(this.db, this.d.addresses, (a) => names.get(getAddress(a)), now);
  }

  /** Events that carry `value` (a 32-byte id or hash) in a topic or an argument. */
  async #eventsWith(value: string, limit = 50) {
    const v = value.toLowerCase();
    const byTopic = await this.#eventQuery()
      .where((eb) => eb.or([eb("e.topic1", "=", v), eb("e.topic2", "=", v), eb("e.topic3", "=", v)]))
      .orderBy("e.block_number")
      .orderBy("e.log_index")
      .limit(limit)
      .execute();
    const byRef = await this.db
      .selectFrom("refs as r")
      .innerJoin("events as e", (j) =>
        j.onRef("e.block_number", "=", "r.block_number").onRef("e.log_index", "=", "r.log_index"),
      )
      .innerJoin("blocks as b", "b.number", "e.block_number")
      .select([
        "e.block_number",
        "e.log_index",
        "e.tx_hash",
        "e.address",
        "e.contract",
        "e.event_name",
        "e.args",
        "e.topic1",
        "e.topic2",
        "e.topic3",
        "b.timestamp",
        "r.field",
      ])
      .where("r.value", "=", v)
      .orderBy("e.block_number")
      .orderBy("e.log_index")
      .limit(limit)
      .execute();
    return { byTopic, byRef };
  }

  async documents(hash: string): Promise<DocumentRecords> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) throw new BadRequestError(`not a 32-byte hash: ${hash}`);
    const { byTopic, byRef } = await this.#eventsWith(hash, 200);
    const records = [
      ...byRef.map((r) => ({ ...eventRecord(r), field: r.field })),
      ...byTopic.map((r) => ({ ...eventRecord(r), field: this.#topicName(r, hash) })),
    ].sort((x, y) => x.blockNumber - y.blockNumber || x.logIndex - y.logIndex);
    return { hash: hash.toLowerCase(), records };
  }

  /** The name of the indexed argument whose topic holds `hash`. */
  #topicName(r: { contract: string; event_name: string; topic1: string | null; topic2: string | null }, hash: string) {
    const h = hash.toLowerCase();
    const position = r.topic1 === h ? 0 : r.topic2 === h ? 1 : 2;
    const iface = this.indexer.contracts.find((c) => c.name === r.contract)?.iface;
    const indexed = iface?.getEvent(r.event_name)?.inputs.filter((i) => i.indexed === true) ?? [];
    return indexed[position]?.name ?? `topic${position + 1}`;
  }

  async search(text: string): Promise<SearchHit[]> {
    const q = text.trim();
    if (q === "") throw new BadRequestError("type something to search for");
    const hits: SearchHit[] = [];
    if (/^\d{1,12}$/.test(q)) {
      const b = await this.db.selectFrom("blocks").select("number").where("number", "=", Number(q)).executeTakeFirst();
      if (b) hits.push({ kind: "block", label: `#${q}`, path: `/block/${q}` });
    }
    if (isAddress(q)) {
      const a = getAddress(q);
      const org = await this.#org(a);
      const contract = this.indexer.contracts.find((c) => c.address === a);
      hits.push({
        kind: org ? "organisation" : contract ? "contract" : "address",
        label: org?.name ?? contract?.name ?? a,
        path: `/address/${a}`,
      });
    }
    if (/^0x[0-9a-fA-F]{64}$/.test(q)) hits.push(...(await this.#searchBytes32(q.toLowerCase())));
    if (/^ZX[-\s]?/i.test(q)) {
      try {
        const { donationIdPrefix } = parseReceiptCode(q);
        const id = await this.#donationByPrefix(donationIdPrefix);
        if (id !== undefined)
          hits.push({ kind: "donation", label: q.toUpperCase(), path: `/charity/donation/${encodeURIComponent(q)}` });
      } catch {
        // not a receipt code: other searches below
      }
    }
    if (/^0x[0-9a-fA-F]{16}$/.test(q)) {
      const id = await this.#donationByPrefix(q);
      if (id !== undefined) hits.push({ kind: "donation", label: id, path: `/charity/donation/${id}` });
    }
    // Organisation names (part of), codes (lot codes, product codes) as text.
    if (!q.startsWith("0x")) {
      const lower = q.toLowerCase();
      for (const o of await this.orgs()) {
        if (o.name.toLowerCase().includes(lower) || o.creditCode === q.toUpperCase())
          hits.push({ kind: "organisation", label: o.name, path: `/address/${o.account}` });
      }
      let code: string | undefined;
      try {
        code = encodeCode("code", q);
      } catch {
        code = undefined;
      }
      if (code !== undefined) {
        const known = new Set(hits.map((h) => h.path));
        for (const h of await this.#searchBytes32(code.toLowerCase(), q)) if (!known.has(h.path)) hits.push(h);
      }
    }
    return hits.slice(0, 50);
  }

  async #donationByPrefix(prefix: string): Promise<string | undefined> {
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

  async #searchBytes32(v: string, label?: string): Promise<SearchHit[]> {
    const hits: SearchHit[] = [];
    const seen = new Set<string>();
    const add = (h: SearchHit) => {
      if (!seen.has(h.path)) {
        seen.add(h.path);
        hits.push(h);
      }
    };
    const tx = await this.db.selectFrom("transactions").select("hash").where("hash", "=", v).executeTakeFirst();
    if (tx) add({ kind: "transaction", label: v, path: `/tx/${v}` });
    const block = await this.db.selectFrom("blocks").select("number").where("hash", "=", v).executeTakeFirst();
    if (block) add({ kind: "block", label: `#${block.number}`, path: `/block/${block.number}` });
    const { byTopic, byRef } = await this.#eventsWith(v);
    for (const e of byTopic) {
      const first = e.topic1 === v;
      const kind = first ? TOPIC1_KINDS[`${e.contract}.${e.event_name}`] : undefined;
      if (kind === "donation") add({ kind, label: label ?? v, path: `/charity/donation/${v}` });
      else if (kind === "charity-project") add({ kind, label: label ?? v, path: `/charity/project/${v}` });
      else if (kind === "batch") add({ kind, label: label ?? v, path: `/batch/${v}` });
      else if (kind === "programme") add({ kind, label: label ?? v, path: `/relief/programme/${v}` });
      else if (kind === "relief-project") {
        const args = JSON.parse(e.args) as Record<string, string>;
        add({ kind, label: label ?? v, path: `/relief/programme/${args.programmeId}` });
      } else if (kind === "product") add({ kind, label: label ?? decodeCode(v), path: `/documents?hash=${v}` });
    }
    let documents = false;
    for (const e of byRef) {
      const lot = e.field.endsWith("lotCode") || e.field.endsWith("lotCodes[]");
      documents ||= !lot;
      if (lot) {
        const args = JSON.parse(e.args) as Record<string, unknown>;
        const batch =
          e.event_name === "BatchCommissioned" ||
          e.event_name === "BatchesMerged" ||
          e.event_name === "BatchTransformed"
            ? (e.topic1 ?? undefined)
            : e.event_name === "BatchSplit"
              ? (args.children as string[])[(args.lotCodes as string[]).indexOf(v)]
              : undefined;
        if (batch) add({ kind: "batch", label: label ?? decodeCode(v), path: `/batch/${batch}` });
      }
    }
    if (documents || (byTopic.length > 0 && hits.length === 0))
      add({ kind: "document", label: label ?? v, path: `/documents?hash=${v}` });
    return hits;
  }

  // ------------------------------------------------------------------------------ charity

  async charityProjects(): Promise<CharityProjectSummary[]> {
    const ledger = requireCharity(this.d);
    const report = await buildReport(ledger, ledger.runner!.provider!, {});
    const states = await this.#charityProjectStates();
    return report.projects.map((p) => ({ ...toJson(p), ...states.get(p.projectId)! }));
  }

  async #charityProjectStates() {
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
    const state = (await this.#charityProjectStates()).get(id);
    if (line === undefined || state === undefined) throw new NotFoundError(`no charity project ${projectId}`);
    const rows = await this.#eventQuery()
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
    else if (/^0x[0-9a-fA-F]{16}$/.test(r)) id = await this.#donationByPrefix(r);
    else {
      let prefix: string;
      try {
        prefix = parseReceiptCode(r).donationIdPrefix;
      } catch (e) {
        throw new BadRequestError((e as Error).message);
      }
      id = await this.#donationByPrefix(prefix);
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
    const rec = await this.#eventQuery()
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
    const rows = await this.#eventQuery()
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
    const sum = (f: (p: (typeof report.projects)[number]) => bigint) => report.projects.reduce((s, p) => s + f(p), 0n);
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

  // ------------------------------------------------------------------------------ traceability

  async batches(limit: number, before?: string): Promise<Page<BatchSummary>> {
    let q = this.#eventQuery()
      .where("e.contract", "=", "TraceLedger")
      .where("e.event_name", "in", ["BatchCommissioned", "BatchSplit", "BatchesMerged", "BatchTransformed"]);
    if (before !== undefined) q = q.where(olderThan(before, "e.block_number", "e.log_index"));
    const rows = await q
      .orderBy("e.block_number", "desc")
      .orderBy("e.log_index", "desc")
      .limit(limit + 1)
      .execute();
    const items: BatchSummary[] = [];
    for (const r of rows.slice(0, limit)) {
      const a = JSON.parse(r.args) as Record<string, ArgValue>;
      const base = { blockNumber: r.block_number, timestamp: num(r.timestamp) };
      if (r.event_name === "BatchSplit") {
        const children = a.children as string[];
        const parentRow = await this.#batchCreation(a.parent as string);
        children.forEach((c, i) =>
          items.push({
            batchId: c,
            productCode: parentRow?.productCode ?? "",
            lotCode: decodeCode((a.lotCodes as string[])[i]!),
            quantity: (a.quantities as string[])[i]!,
            uom: parentRow?.uom ?? "",
            producer: a.org as string,
            origin: "split",
            ...base,
          }),
        );
      } else {
        const created = await this.#batchCreation(r.topic1!);
        if (created)
          items.push({
            ...created,
            origin: ORIGIN[r.event_name] ?? "commissioned",
            producer: created.producer,
            ...base,
          });
      }
    }
    const lastRow = rows[Math.min(rows.length, limit) - 1];
    return rows.length > limit && lastRow ? { items, next: `${lastRow.block_number}:${lastRow.log_index}` } : { items };
  }

  /** How a batch came to be, from its creating event (following splits to the parent's product). */
  async #batchCreation(
    batchId: string,
  ): Promise<
    | { batchId: string; productCode: string; lotCode: string; quantity: string; uom: string; producer: string }
    | undefined
  > {
    const history = await batchHistory(requireTrace(this.d), this.d.trace!.runner!.provider!, batchId).catch(
      () => undefined,
    );
    const self = history?.lineage.find((b) => b.batchId === batchId);
    if (self === undefined) return undefined;
    const creating = history!.steps.find((s) => s.batchId === batchId);
    return {
      batchId,
      productCode: self.productCode,
      lotCode: self.lotCode,
      quantity: self.quantity.toString(),
      uom: self.uom,
      producer: creating?.org ?? "",
    };
  }

  async batch(ref: string): Promise<BatchPage> {
    const r = ref.trim();
    if (!/^0x[0-9a-fA-F]{64}$/.test(r)) throw new BadRequestError(`not a batch id: ${ref}`);
    const id = r.toLowerCase();
    const view = await getBatch(this.d, id);
    if (view === undefined) throw new NotFoundError(`no batch ${ref} on this chain`);
    const ledger = requireTrace(this.d);
    const history = await batchHistory(ledger, ledger.runner!.provider!, id);
    const productKey = encodeCode("product", view.productCode).toLowerCase();
    const product = await getProduct(this.d, productKey);
    const productRow = await this.db
      .selectFrom("events")
      .select("args")
      .where("contract", "=", "TraceLedger")
      .where("event_name", "=", "ProductRegistered")
      .where("topic1", "=", productKey)
      .executeTakeFirst();
    const productArgs = productRow ? (JSON.parse(productRow.args) as Record<string, string>) : undefined;
    const hashes = [...new Set(history.steps.map((s) => s.txHash.toLowerCase()))];
    const times: Record<string, number> = {};
    if (hashes.length > 0) {
      const rows = await this.#txQuery().where("t.hash", "in", hashes).execute();
      for (const t of rows) times[t.hash] = num(t.timestamp);
    }
    const now = BigInt(Math.floor(Date.now() / 1000));
    const certificates = history.steps
      .filter((s) => s.kind === "certificate")
      .map((s) => {
        const validUntil = Number(s.detail.validUntil ?? 0);
        const passed = s.detail.passed === true;
        return {
          batchId: s.batchId,
          inspector: s.org,
          passed,
          validUntil,
          reportHash: String(s.detail.reportHash ?? ""),
          valid: passed && BigInt(validUntil) >= now,
        };
      })
      .reverse();
    const recalls = history.steps
      .filter((s) => s.kind === "recall")
      .map((s) => ({
        recallId: Number(s.detail.recallId ?? 0),
        batchId: s.batchId,
        regulator: s.org,
        reasonHash: String(s.detail.reasonHash ?? ""),
      }));
    const self = history.lineage.find((b) => b.batchId.toLowerCase() === id);
    return {
      batch: {
        batchId: id,
        productCode: view.productCode,
        lotCode: self?.lotCode ?? "",
        quantity: view.quantity.toString(),
        uom: view.uom,
        status: view.status,
        custodian: view.custodian,
        ...(view.receiver !== undefined ? { pendingReceiver: view.receiver } : {}),
        recalled: view.recalled,
        disposition: dispositionOf(BATCH_STATUSES.indexOf(view.status), view.recalled),
      },
      ...(product !== undefined
        ? {
            product: {
              productCode: product.productCode,
              producer: product.producer,
              category: product.category,
              geographicIndication: product.geographicIndication,
              metadataHash: productArgs?.metadataHash ?? "",
            },
          }
        : {}),
      history: toJson(history),
      times,
      certificates,
      recalls,
    };
  }

  // ------------------------------------------------------------------------------ relief

  async programmes(): Promise<ProgrammeSummary[]> {
    const relief = requireRelief(this.d);
    const rows = await this.#eventQuery()
      .where("e.contract", "=", "ReliefLedger")
      .where("e.event_name", "=", "ProgrammeCreated")
      .orderBy("e.block_number", "desc")
      .execute();
    return Promise.all(
      rows.map(async (r) => {
        const id = r.topic1!;
        const p = await relief.programme(id);
        return {
          programmeId: id,
          finance: p.finance,
          category: RELIEF_CATEGORIES[Number(p.category)] ?? "other",
          fiscalYear: Number(p.fiscalYear),
          appropriated: p.appropriated.toString(),
          allocated: p.allocated.toString(),
          disbursed: p.disbursed.toString(),
          returned: p.returned.toString(),
          timestamp: num(r.timestamp),
        };
      }),
    );
  }

  async programme(programmeId: string): Promise<ProgrammePage> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(programmeId)) throw new BadRequestError(`not a programme id: ${programmeId}`);
    try {
      return toJson(await programmeTree(this.d, programmeId.toLowerCase()));
    } catch (e) {
      if (e instanceof LedgerError) throw new NotFoundError(e.message);
      throw e;
    }
  }
}

const TOPIC1_KINDS: Record<string, SearchHit["kind"]> = {
  "CharityLedger.DonationRecorded": "donation",
  "CharityLedger.ProjectProposed": "charity-project",
  "TraceLedger.BatchCommissioned": "batch",
  "TraceLedger.BatchesMerged": "batch",
  "TraceLedger.BatchTransformed": "batch",
  "TraceLedger.ProductRegistered": "product",
  "ReliefLedger.ProgrammeCreated": "programme",
  "ReliefLedger.ProjectCreated": "relief-project",
};

const ORIGIN: Record<string, BatchSummary["origin"]> = {
  BatchCommissioned: "commissioned",
  BatchesMerged: "merged",
  BatchTransformed: "transformed",
};

/** Rows before a page cursor `block:index` in (block, index) order: `(block, index) < (b, i)`. */
function olderThan(cursor: string, block: string, index: string) {
  const [b, i] = parseCursor(cursor);
  return sql<boolean>`(${sql.ref(block)}, ${sql.ref(index)}) < (${b}, ${i})`;
}

function parseCursor(text: string): [number, number] {
  const m = /^(\d{1,12})(?::(\d{1,9}))?$/.exec(text);
  if (m === null) throw new BadRequestError(`not a page cursor: ${text}`);
  return [Number(m[1]), m[2] !== undefined ? Number(m[2]) : 2_147_483_647];
}

function txSummary(t: {
  hash: string;
  block_number: number;
  tx_index: number;
  from_address: string;
  to_address: string;
  contract: string;
  function_name: string;
  event_count: number;
  timestamp: string | number | bigint;
}): TxSummary {
  return {
    hash: t.hash,
    blockNumber: t.block_number,
    index: t.tx_index,
    timestamp: num(t.timestamp),
    from: t.from_address,
    to: t.to_address,
    contract: t.contract,
    function: t.function_name,
    events: t.event_count,
  };
}

function eventRecord(e: {
  block_number: number;
  log_index: number;
  tx_hash: string;
  address: string;
  contract: string;
  event_name: string;
  args: string;
  timestamp: string | number | bigint;
}): EventRecord {
  return {
    blockNumber: e.block_number,
    logIndex: e.log_index,
    txHash: e.tx_hash,
    timestamp: num(e.timestamp),
    address: e.address,
    contract: e.contract,
    event: e.event_name,
    args: JSON.parse(e.args) as Record<string, ArgValue>,
  };
}
