/** The chain's views: status, blocks, transactions, addresses, organisations, permissions, documents, search; with every domain's views, the read side of one index. */
import { getAddress, isAddress, zeroPadValue } from "ethers";

import { confirmationDepth } from "../../chain.js";
import { parseReceiptCode } from "../../charity/receipt-code.js";
import { PUBLIC_ROLE, ROLES, roleLabel } from "../../roles.js";
import { decodeCode, encodeCode, parseProductCode } from "../../trace/vocabulary.js";
import type {
  AddressDetail,
  ArgValue,
  BlockDetail,
  BlockSummary,
  DocumentRecords,
  EventRecord,
  NamedRecord,
  Page,
  PermissionsView,
  SearchHit,
  Status,
  TxDetail,
  TxSummary,
} from "../api-types.js";
import { num } from "../db.js";
import { BadRequestError, NotFoundError, TOPIC1_KINDS, eventRecord, olderThan, txSummary } from "./base.js";
import { governanceView, type GovernanceView } from "./governance.js";
import { ReliefViews } from "./relief.js";
import { PAGES } from "../routes.js";

/** The read side of one index. */
export class IndexViews extends ReliefViews {
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
      node: this.watch === undefined || this.watch.reachable ? "reachable" : "unreachable",
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
    const txs = await this.txQuery().where("t.block_number", "=", n).orderBy("t.tx_index").execute();
    return {
      number: b.number,
      hash: b.hash,
      parentHash: b.parent_hash,
      timestamp: num(b.timestamp),
      transactions: b.tx_count,
      txs: txs.map(txSummary),
    };
  }

  /** Transactions, newest first; with `account`, those it sent or that were sent to it (a contract). */
  async txs(limit: number, before?: string, account?: string): Promise<Page<TxSummary>> {
    let q = this.txQuery();
    if (account !== undefined)
      q = q.where((eb) => eb.or([eb("t.from_address", "=", account), eb("t.to_address", "=", account)]));
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
    const t = await this.txQuery().where("t.hash", "=", h).executeTakeFirst();
    if (t === undefined)
      throw new NotFoundError(`transaction ${hash} is not a ledger transaction, or is not indexed yet`);
    const events = await this.eventQuery().where("e.tx_hash", "=", h).orderBy("e.log_index").execute();
    return {
      ...txSummary(t),
      selector: t.selector,
      args: JSON.parse(t.args) as Record<string, ArgValue>,
      eventsList: events.map(eventRecord),
    };
  }

  async address(address: string): Promise<AddressDetail> {
    if (!isAddress(address)) throw new BadRequestError(`not an address: ${address}`);
    const a = getAddress(address);
    const count = (column: "from_address" | "to_address") =>
      this.db
        .selectFrom("transactions")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where(column, "=", a)
        .executeTakeFirstOrThrow();
    const [organisation, roles, sent, received, both] = await Promise.all([
      this.org(a),
      this.rolesOf(a),
      count("from_address"),
      count("to_address"),
      // A contract calling itself would count twice.
      this.db
        .selectFrom("transactions")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("from_address", "=", a)
        .where("to_address", "=", a)
        .executeTakeFirstOrThrow(),
    ]);
    const contract = this.indexer.contracts.find((c) => c.address === a)?.name;
    return {
      address: a,
      ...(organisation ? { organisation } : {}),
      ...(contract ? { contract } : {}),
      roles,
      transactions: num(sent.n) + num(received.n) - num(both.n),
      transactionsSent: num(sent.n),
      transactionsReceived: num(received.n),
    };
  }

  /** Events naming an address: emitted by it (a contract) or with it in a topic. */
  async addressEvents(address: string, limit: number, before?: string): Promise<Page<EventRecord>> {
    if (!isAddress(address)) throw new BadRequestError(`not an address: ${address}`);
    const a = getAddress(address);
    const topic = zeroPadValue(a, 32).toLowerCase();
    let q = this.eventQuery().where((eb) =>
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

  /** The council's operations in words and the closed ledgers (views/governance.ts). */
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

  async permissions(): Promise<PermissionsView> {
    const members = await this.memberships();
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

  /**
   * The records anchoring a document, found by its keccak-256 (what the ledgers anchor) or its SHA-256 (bound to
   * the keccak-256 on DocumentDigests). A SHA-256 leads only to the records its binder itself sent: a binding is
   * one organisation's word about a file it hashed, so an organisation binding a forged SHA-256 to another's
   * document finds nothing but its own records; every binding is listed with who made it.
   */
  async documents(hash: string): Promise<DocumentRecords> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) throw new BadRequestError(`not a 32-byte hash: ${hash}`);
    const v = hash.toLowerCase();
    const anchoring = async (keccak: string) => {
      const { byTopic, byRef } = await this.eventsWith(keccak, 200);
      const records = [
        ...byRef
          .filter((r) => r.contract !== "DocumentDigests")
          .map((r) => ({ ...eventRecord(r), field: r.field, keccak256: keccak })),
        ...byTopic
          .filter((r) => r.contract !== "DocumentDigests")
          .map((r) => ({ ...eventRecord(r), field: this.topicName(r, keccak), keccak256: keccak })),
      ];
      const senders = await this.sendersOf(records.map((r) => r.txHash));
      return { records, senders };
    };
    const bindingRows = await this.eventQuery()
      .where("e.contract", "=", "DocumentDigests")
      .where("e.event_name", "=", "DigestsBound")
      .where((eb) => eb.or([eb("e.topic1", "=", v), eb("e.topic2", "=", v)]))
      .orderBy("e.block_number")
      .orderBy("e.log_index")
      .limit(200)
      .execute();
    const direct = await anchoring(v);
    const matched: DocumentRecords["matched"] = [];
    if (direct.records.length > 0 || bindingRows.some((r) => r.topic1 === v)) matched.push("keccak256");
    const records = [...direct.records];
    const bindings: DocumentRecords["bindings"][number][] = [];
    for (const row of bindingRows) {
      const a = JSON.parse(row.args) as { keccak256Digest: string; sha256Digest: string; by: string };
      const keccak = a.keccak256Digest.toLowerCase();
      const by = getAddress(a.by);
      const target = keccak === v ? direct : await anchoring(keccak);
      const byAnchorer = target.records.some((r) => target.senders.get(r.txHash) === by);
      if (a.sha256Digest.toLowerCase() === v && byAnchorer) {
        if (!matched.includes("sha256")) matched.push("sha256");
        for (const r of target.records)
          if (
            target.senders.get(r.txHash) === by &&
            !records.some((x) => x.txHash === r.txHash && x.logIndex === r.logIndex && x.field === r.field)
          )
            records.push(r);
      }
      const org = await this.org(by);
      bindings.push({
        keccak256: keccak,
        sha256: a.sha256Digest.toLowerCase(),
        by,
        ...(org !== undefined ? { byName: org.name } : {}),
        byAnchorer,
        txHash: row.tx_hash,
        blockNumber: row.block_number,
        timestamp: num(row.timestamp),
      });
    }
    records.sort((x, y) => x.blockNumber - y.blockNumber || x.logIndex - y.logIndex);
    return { hash: v, matched, bindings, records };
  }

  /** The sender of each transaction, by hash (checksummed). */
  private async sendersOf(txHashes: string[]): Promise<Map<string, string>> {
    if (txHashes.length === 0) return new Map();
    const rows = await this.db
      .selectFrom("transactions")
      .select(["hash", "from_address"])
      .where("hash", "in", [...new Set(txHashes)])
      .execute();
    return new Map(rows.map((r) => [r.hash, getAddress(r.from_address)]));
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
      const org = await this.org(a);
      const contract = this.indexer.contracts.find((c) => c.address === a);
      hits.push({
        kind: org ? "organisation" : contract ? "contract" : "address",
        label: org?.name ?? contract?.name ?? a,
        path: `/address/${a}`,
      });
    }
    if (/^0x[0-9a-fA-F]{64}$/.test(q)) hits.push(...(await this.searchBytes32(q.toLowerCase())));
    if (/^ZX[-\s]?/i.test(q)) {
      try {
        const { donationIdPrefix } = parseReceiptCode(q);
        const id = await this.donationByPrefix(donationIdPrefix);
        if (id !== undefined)
          hits.push({ kind: "donation", label: q.toUpperCase(), path: `/charity/donation/${encodeURIComponent(q)}` });
      } catch {
        // not a receipt code: other searches below
      }
    }
    if (/^0x[0-9a-fA-F]{16}$/.test(q)) {
      const id = await this.donationByPrefix(q);
      if (id !== undefined) hits.push({ kind: "donation", label: id, path: `/charity/donation/${id}` });
    }
    // Organisation names (part of), codes (lot codes, product codes) as text.
    if (!q.startsWith("0x")) {
      const lower = q.toLowerCase();
      for (const o of await this.orgs()) {
        if (o.name.toLowerCase().includes(lower) || o.creditCode === q.toUpperCase())
          hits.push({ kind: "organisation", label: o.name, path: `/address/${o.account}` });
      }
      const known = new Set(hits.map((h) => h.path));
      const add = (h: SearchHit) => {
        if (!known.has(h.path)) {
          known.add(h.path);
          hits.push(h);
        }
      };
      for (const h of await this.searchNames(q)) add(h);
      let code: string | undefined;
      try {
        code = encodeCode("code", q);
      } catch {
        code = undefined;
      }
      if (code !== undefined) {
        for (const h of await this.searchBytes32(code.toLowerCase(), q)) add(h);
        // Lot codes in another case than the one recorded (`xhcp-2026-d01`).
        for (const lot of await this.lotCodesLike(q))
          for (const h of await this.searchBytes32(lot.hex, lot.code)) add(h);
      }
    }
    return hits.slice(0, 50);
  }

  /**
   * Public codes and names (case-insensitive; a whole code first, then parts of codes and names): charity
   * projects, programmes and their periods, relief projects, products (also by GTIN-8/12/13/14) and
   * locations (by name or GLN-13).
   */
  protected async searchNames(q: string): Promise<SearchHit[]> {
    const lower = q.toLowerCase();
    const names = await this.publicNames();
    let gtin: string | undefined;
    if (/^\d{8,14}$/.test(q)) {
      try {
        gtin = decodeCode(parseProductCode(q));
      } catch {
        gtin = undefined;
      }
    }
    const exact: SearchHit[] = [];
    const partial: SearchHit[] = [];
    const label = (r: NamedRecord) => (r.name !== undefined ? `${r.name} (${r.code})` : r.code);
    for (const r of names.records) {
      const code = r.code.toLowerCase();
      const whole = code === lower || (r.kind === "product" && gtin !== undefined && r.code === gtin);
      const part = !whole && (code.includes(lower) || (r.name?.toLowerCase().includes(lower) ?? false));
      if (!whole && !part) continue;
      const path =
        r.kind === "charity-project"
          ? `/charity/project/${r.id}`
          : r.kind === "programme"
            ? `/relief/programme/${r.id}`
            : r.kind === "relief-project"
              ? `/relief/programme/${r.programmeId}`
              : PAGES.productBatches(r.code);
      (whole ? exact : partial).push({ kind: r.kind, label: label(r), path });
    }
    for (const p of names.periods) {
      const whole = p.code.toLowerCase() === lower;
      if (!whole && !p.name.toLowerCase().includes(lower)) continue;
      const programme = names.records.find((r) => r.kind === "programme" && r.id === p.programmeId);
      (whole ? exact : partial).push({
        kind: "programme",
        label: `${programme !== undefined ? label(programme) : p.programmeId} · ${p.name} (${p.code})`,
        path: `/relief/programme/${p.programmeId}`,
      });
    }
    for (const l of names.locations) {
      const whole = l.gln === q;
      if (!whole && !l.name.toLowerCase().includes(lower)) continue;
      (whole ? exact : partial).push({
        kind: "location",
        label: `${l.name} (GLN ${l.gln})`,
        path: `/address/${l.org}`,
      });
    }
    return [...exact, ...partial];
  }

  /** Recorded lot codes equal to `q` but for case, with their bytes32 form. */
  protected async lotCodesLike(q: string): Promise<{ code: string; hex: string }[]> {
    const lower = q.toLowerCase();
    const rows = await this.db
      .selectFrom("refs")
      .select("value")
      .distinct()
      .where((eb) =>
        eb.or([eb("field", "like", "%lotCode"), eb("field", "like", "%lotCodes[]"), eb("field", "like", "%outputLot")]),
      )
      .execute();
    return rows
      .map((r) => ({ code: decodeCode(r.value), hex: r.value }))
      .filter((l) => l.code !== q && l.code.toLowerCase() === lower);
  }

  protected async searchBytes32(v: string, label?: string): Promise<SearchHit[]> {
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
    const { byTopic, byRef } = await this.eventsWith(v);
    for (const e of byTopic) {
      const first = e.topic1 === v;
      const kind = first ? TOPIC1_KINDS[`${e.contract}.${e.event_name}`] : undefined;
      if (kind === "donation") add({ kind, label: label ?? v, path: `/charity/donation/${v}` });
      else if (kind === "charity-project") add({ kind, label: label ?? v, path: `/charity/project/${v}` });
      else if (kind === "batch") add({ kind, label: label ?? v, path: PAGES.batch(v) });
      else if (kind === "programme") add({ kind, label: label ?? v, path: `/relief/programme/${v}` });
      else if (kind === "relief-project") {
        const args = JSON.parse(e.args) as Record<string, string>;
        add({ kind, label: label ?? v, path: `/relief/programme/${args.programmeId}` });
      } else if (kind === "product") {
        const named = await this.namedRecord(v);
        const code = decodeCode(v);
        add({
          kind,
          label: named?.name !== undefined ? `${named.name} (${code})` : (label ?? code),
          path: PAGES.productBatches(code),
        });
      }
    }
    let documents = false;
    for (const e of byRef) {
      const lot = e.field.endsWith("lotCode") || e.field.endsWith("lotCodes[]") || e.field.endsWith("outputLot");
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
        if (batch) add({ kind: "batch", label: label ?? decodeCode(v), path: PAGES.batch(batch) });
      }
    }
    if (documents || (byTopic.length > 0 && hits.length === 0))
      add({ kind: "document", label: label ?? v, path: `/documents?hash=${v}` });
    return hits;
  }
}
