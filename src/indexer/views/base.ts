/**
 * What the API answers, computed from the index. Domain pages call the project's own read
 * functions (`buildReport`, `traceDonation`, `batchHistory`, `programmeTree`) over a deployment
 * connected to an {@link IndexedProvider}: their logs come from the index, their few state reads
 * from the node. Generic pages (blocks, transactions, addresses, search) are plain queries.
 *
 * One file of views per domain (charity.ts, trace.ts, relief.ts), each class extending the one before,
 * chain.ts last: `IndexViews`, with the generic pages and search. This file: what they share.
 */
import { Network, getAddress, type JsonRpcApiProvider } from "ethers";

import { creditCodeFromBytes18 } from "../../credit-code.js";
import { connectDeployment, type Deployment } from "../../deployment.js";
import { ORG_KINDS, roleLabel } from "../../roles.js";
import { decodeCode, formatGln } from "../../trace/vocabulary.js";
import type {
  ArgValue,
  BatchSummary,
  EventRecord,
  Json,
  LocationName,
  NamedRecord,
  OrgRecord,
  PeriodName,
  PublicNameIndex,
  SearchHit,
  TxSummary,
} from "../api-types.js";
import { num, sql, type IndexDb } from "../db.js";
import { IndexedProvider } from "../indexed-provider.js";
import type { Indexer } from "../indexer.js";
import type { NodeWatch } from "../node-watch.js";

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

/** The columns of an event row as the views read it (with its block's time). */
const EVENT_COLUMNS = [
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
] as const;

/** What every view reads with: the index, its indexer, and the deployment whose logs it serves. */
export class ViewsBase {
  readonly db: IndexDb;

  readonly indexer: Indexer;
  /** The deployment, its logs read from the index. */

  readonly d: Deployment;

  protected readonly names = new Map<number, Map<string, OrgRecord>>();

  #publicNames: { at: number; index: PublicNameIndex } | undefined;

  /** Whether the node answers (absent: always asked, without a time-out). */
  readonly watch: NodeWatch | undefined;

  constructor(db: IndexDb, indexer: Indexer, upstream: JsonRpcApiProvider, deployment: Deployment, watch?: NodeWatch) {
    this.db = db;
    this.indexer = indexer;
    this.watch = watch;
    const network = new Network(`chain-${deployment.chainId}`, deployment.chainId);
    const provider = new IndexedProvider(db, upstream, network, () => indexer.indexedBlock(), watch);
    this.d = connectDeployment(deployment.chainId, deployment.addresses, provider);
  }

  /** The registry's organisations as of the indexed block (cached per block). */
  async orgs(): Promise<OrgRecord[]> {
    const at = await this.indexer.indexedBlock();
    const cached = this.names.get(at);
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
    this.names.clear();
    this.names.set(at, byAccount);
    return [...byAccount.values()];
  }

  /**
   * Every public code (from the creation events) and name (PublicNames' events, the latest counting), as of
   * the indexed block (cached per block): what pages, charts and search show instead of ids.
   */
  async publicNames(): Promise<PublicNameIndex> {
    const at = await this.indexer.indexedBlock();
    if (this.#publicNames?.at === at) return this.#publicNames.index;
    const rows = await this.db
      .selectFrom("events")
      .select(["contract", "event_name", "args", "topic1"])
      .where((eb) =>
        eb.or([
          eb.and([eb("contract", "=", "CharityLedger"), eb("event_name", "=", "ProjectProposed")]),
          eb.and([eb("contract", "=", "ReliefLedger"), eb("event_name", "in", ["ProgrammeCreated", "ProjectCreated"])]),
          eb.and([eb("contract", "=", "TraceLedger"), eb("event_name", "=", "ProductRegistered")]),
          eb("contract", "=", "PublicNames"),
        ]),
      )
      .orderBy("block_number")
      .orderBy("log_index")
      .execute();
    const records = new Map<string, NamedRecord>();
    const periods = new Map<string, PeriodName>();
    const locations = new Map<string, LocationName>();
    const named = (kind: NamedRecord["kind"], id: string, name: string) => {
      const r = records.get(`${kind}:${id}`);
      if (r !== undefined) records.set(`${kind}:${id}`, { ...r, name });
    };
    for (const r of rows) {
      const a = JSON.parse(r.args) as Record<string, string>;
      const id = (r.topic1 ?? "").toLowerCase();
      switch (`${r.contract}.${r.event_name}`) {
        case "CharityLedger.ProjectProposed":
          records.set(`charity-project:${id}`, { kind: "charity-project", id, code: a.code! });
          break;
        case "ReliefLedger.ProgrammeCreated":
          records.set(`programme:${id}`, { kind: "programme", id, code: a.code! });
          break;
        case "ReliefLedger.ProjectCreated":
          records.set(`relief-project:${id}`, {
            kind: "relief-project",
            id,
            code: a.code!,
            programmeId: a.programmeId!.toLowerCase(),
          });
          break;
        case "TraceLedger.ProductRegistered":
          records.set(`product:${id}`, { kind: "product", id, code: decodeCode(id) });
          break;
        case "PublicNames.CharityProjectNamed":
          named("charity-project", id, a.name!);
          break;
        case "PublicNames.ProgrammeNamed":
          named("programme", id, a.name!);
          break;
        case "PublicNames.ReliefProjectNamed":
          named("relief-project", id, a.name!);
          break;
        case "PublicNames.ProductNamed":
          named("product", id, a.name!);
          break;
        case "PublicNames.PeriodNamed":
          periods.set(`${a.programmeId!.toLowerCase()}:${a.period}`, {
            programmeId: a.programmeId!.toLowerCase(),
            period: Number(a.period),
            code: a.code!,
            name: a.name!,
          });
          break;
        case "PublicNames.LocationNamed": {
          const org = getAddress(a.org!);
          const gln = formatGln(BigInt(a.gln!));
          locations.set(`${org}:${gln}`, { org, gln, name: a.name! });
          break;
        }
      }
    }
    const index: PublicNameIndex = {
      records: [...records.values()],
      periods: [...periods.values()],
      locations: [...locations.values()],
    };
    this.#publicNames = { at, index };
    return index;
  }

  /** A record's code and name by id (lower-case hex), if it has a public code. */
  protected async namedRecord(id: string): Promise<NamedRecord | undefined> {
    const v = id.toLowerCase();
    return (await this.publicNames()).records.find((r) => r.id === v);
  }

  protected txQuery() {
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

  protected eventQuery() {
    return this.db
      .selectFrom("events as e")
      .innerJoin("blocks as b", "b.number", "e.block_number")
      .select(EVENT_COLUMNS);
  }

  protected async org(account: string): Promise<OrgRecord | undefined> {
    await this.orgs();
    return [...this.names.values()][0]?.get(getAddress(account));
  }

  /** Role memberships from the AccessManager's events. */
  protected async memberships(): Promise<Map<string, Map<string, number>>> {
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

  protected async rolesOf(account: string): Promise<string[]> {
    const out: string[] = [];
    for (const [role, set] of await this.memberships()) if (set.has(account)) out.push(roleLabel(BigInt(role)));
    return out;
  }

  /** Events that carry `value` (a 32-byte id or hash) in a topic or an argument. */
  protected async eventsWith(value: string, limit = 50) {
    const v = value.toLowerCase();
    const byTopic = await this.eventQuery()
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
      .select([...EVENT_COLUMNS, "r.field"])
      .where("r.value", "=", v)
      .orderBy("e.block_number")
      .orderBy("e.log_index")
      .limit(limit)
      .execute();
    return { byTopic, byRef };
  }

  /** The name of the indexed argument whose topic holds `hash`. */
  protected topicName(
    r: { contract: string; event_name: string; topic1: string | null; topic2: string | null },
    hash: string,
  ) {
    const h = hash.toLowerCase();
    const position = r.topic1 === h ? 0 : r.topic2 === h ? 1 : 2;
    const iface = this.indexer.contracts.find((c) => c.name === r.contract)?.iface;
    const indexed = iface?.getEvent(r.event_name)?.inputs.filter((i) => i.indexed === true) ?? [];
    return indexed[position]?.name ?? `topic${position + 1}`;
  }
}

export const TOPIC1_KINDS: Record<string, SearchHit["kind"]> = {
  "CharityLedger.DonationRecorded": "donation",
  "CharityLedger.ProjectProposed": "charity-project",
  "TraceLedger.BatchCommissioned": "batch",
  "TraceLedger.BatchesMerged": "batch",
  "TraceLedger.BatchTransformed": "batch",
  "TraceLedger.ProductRegistered": "product",
  "ReliefLedger.ProgrammeCreated": "programme",
  "ReliefLedger.ProjectCreated": "relief-project",
};

export const ORIGIN: Record<string, BatchSummary["origin"]> = {
  BatchCommissioned: "commissioned",
  BatchesMerged: "merged",
  BatchTransformed: "transformed",
};

/** Rows before a page cursor `block:index` in (block, index) order: `(block, index) < (b, i)`. */
export function olderThan(cursor: string, block: string, index: string) {
  const [b, i] = parseCursor(cursor);
  return sql<boolean>`(${sql.ref(block)}, ${sql.ref(index)}) < (${b}, ${i})`;
}

export function parseCursor(text: string): [number, number] {
  const m = /^(\d{1,12})(?::(\d{1,9}))?$/.exec(text);
  if (m === null) throw new BadRequestError(`not a page cursor: ${text}`);
  return [Number(m[1]), m[2] !== undefined ? Number(m[2]) : 2_147_483_647];
}

export function txSummary(t: {
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

export function eventRecord(e: {
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
