/** Reading EPCIS JSON: path-naming readers, canonical JSON for evidence hashes, and the event fields the ledger records. */
import canonicalize from "canonicalize";
import { isHexString, keccak256, toUtf8Bytes } from "ethers";

import { BIZ_STEPS, type BizStep, OBSERVATION_STEPS, QUANTITY_SCALE, batchIdOf } from "../vocabulary.js";
import { parseEpcClass, parseLocationId } from "./identifiers.js";
import {
  type BatchQuantity,
  type BatchRef,
  EpcisError,
  type EpcisWarning,
  ZX_CONTEXT_FILE,
  ZX_PREFIX,
  inNamespace,
  knownNamespaces,
} from "./types.js";

// ---------------------------------------------------------------- JSON helpers

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v)}`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

/** `path` extended by a key or an index. */
export function at(path: string, key: string | number): string {
  if (typeof key === "number") return `${path === "$" ? "" : path}[${key}]`;
  const part = /^[A-Za-z_@$][\w:@$-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (path === "" || path === "$") return part;
  return part.startsWith("[") ? path + part : `${path}.${part}`;
}

/** RFC 8785 (JCS) canonical JSON of a JSON value. */
export function canonicalJson(value: unknown, path = "$"): string {
  let out: string | undefined;
  try {
    out = canonicalize(value);
  } catch (e) {
    throw new EpcisError(path, `cannot be canonicalised (RFC 8785): ${(e as Error).message}`);
  }
  if (out === undefined) throw new EpcisError(path, "is not a JSON value");
  return out;
}

/** keccak256 of the UTF-8 canonical JSON (RFC 8785) of `value`: the evidence hash of an EPCIS event. */
export function evidenceHashOf(value: unknown): string {
  return keccak256(toUtf8Bytes(canonicalJson(value)));
}

/** Reads an object's fields, remembering which were used. */
export class Reader {
  private readonly used = new Set<string>();
  constructor(
    readonly obj: JsonObject,
    readonly path: string,
  ) {}
  has(key: string): boolean {
    return Object.hasOwn(this.obj, key) && this.obj[key] !== undefined;
  }
  take(key: string): unknown {
    this.used.add(key);
    return this.obj[key];
  }
  p(key: string): string {
    return at(this.path, key);
  }
  rest(): string[] {
    return Object.keys(this.obj).filter((k) => !this.used.has(k));
  }
}

export class Session {
  readonly warnings: EpcisWarning[] = [];
  constructor(readonly strict: boolean) {}
  warn(path: string, message: string): void {
    if (this.strict) throw new EpcisError(path, `${message} (strict mode)`);
    this.warnings.push({ path, message });
  }
}

export const KEPT = "; kept in the evidence hash";

export const UNSUPPORTED_FIELDS: Readonly<Record<string, string>> = {
  epcList: "instance-level EPCs are not recorded on chain (the ledger tracks lots)",
  childEPCs: "instance-level EPCs are not recorded on chain (the ledger tracks lots)",
  inputEPCList: "instance-level EPCs are not recorded on chain (the ledger tracks lots)",
  outputEPCList: "instance-level EPCs are not recorded on chain (the ledger tracks lots)",
  parentID: "the aggregation's parent is not recorded on chain (its children are)",
  sensorElementList: "sensor data is not recorded on chain",
  certificationInfo: "certification information is not recorded on chain (an inspector records results with certify)",
  persistentDisposition: "persistent dispositions are not recorded on chain",
  bizTransactionList: "business transactions are not recorded on chain",
  sourceList: "sources are not recorded on chain",
  destinationList: "destinations are recorded only for shipping (the possessing_party or owning_party receiver)",
  transformationID: "transformation ids are not recorded on chain",
  readPoint: "the read point is not recorded on chain (the business location is)",
};

const EPCIS_CONTEXT_FILE_NAME = "epcis-context.jsonld";

/** Prefixes a JSON-LD `@context` binds to a namespace of the ledger (`zx`, whatever it is bound to, included). */
export function zxPrefixes(context: unknown): string[] {
  const out: string[] = [];
  const items = Array.isArray(context) ? context : [context];
  for (const item of items) {
    // The namespace's own context document binds `zx` (see namespaceContext in ./export.ts).
    if (typeof item === "string" && item.endsWith(`/${ZX_CONTEXT_FILE}`) && item !== EPCIS_CONTEXT_FILE_NAME) {
      const ns = item.slice(0, -ZX_CONTEXT_FILE.length);
      if (knownNamespaces().includes(ns) || ns.endsWith("/ns/")) out.push(ZX_PREFIX);
    }
    if (!isObject(item)) continue;
    for (const [k, v] of Object.entries(item)) {
      const iri = isObject(v) ? v["@id"] : v;
      if (typeof iri !== "string" || k.startsWith("@")) continue;
      if (k === ZX_PREFIX || knownNamespaces().includes(iri)) out.push(k);
    }
  }
  return out;
}

/** Where an event's zx: fields are. */
export class Zx {
  constructor(private readonly prefixes: readonly string[]) {}
  key(r: Reader, name: string): string | undefined {
    for (const p of this.prefixes) if (r.has(`${p}:${name}`)) return `${p}:${name}`;
    for (const ns of knownNamespaces()) if (r.has(ns + name)) return ns + name;
    return undefined;
  }
  isZx(key: string): boolean {
    return inNamespace(key) !== undefined || this.prefixes.some((p) => key.startsWith(`${p}:`));
  }
}

// ---------------------------------------------------------------- values

export function str(v: unknown, path: string, what = "a string"): string {
  if (typeof v !== "string" || v.trim() === "") throw new EpcisError(path, `must be ${what}, got ${describe(v)}`, v);
  return v.trim();
}

export function bytes32(v: unknown, path: string): string {
  if (typeof v !== "string" || !isHexString(v, 32)) {
    throw new EpcisError(path, `must be 0x followed by 64 hex digits, got ${describe(v)}`, v);
  }
  return v.toLowerCase();
}

export function uint(v: unknown, path: string, max: bigint): bigint {
  let n: bigint | undefined;
  if (typeof v === "number" && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === "string" && /^\d+$/.test(v)) n = BigInt(v);
  if (n === undefined || n < 0n || n > max) {
    throw new EpcisError(path, `must be a whole number from 0 to ${max}, got ${describe(v)}`, v);
  }
  return n;
}

/** A JSON number as thousandths: positive, at most three decimals, exact. */
function quantityOf(v: unknown, path: string): bigint {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    throw new EpcisError(path, `must be a positive number, got ${describe(v)}`, v);
  }
  const s = String(v);
  if (v * 1000 > Number.MAX_SAFE_INTEGER) {
    throw new EpcisError(path, `is too large to be read exactly from JSON (at most 9007199254740.991)`, v);
  }
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (m === null || (m[2] ?? "").length > 3) {
    throw new EpcisError(path, `must have at most three decimals (the ledger stores thousandths), got ${s}`, v);
  }
  return BigInt(m[1]!) * QUANTITY_SCALE + BigInt((m[2] ?? "").padEnd(3, "0"));
}

function uomOf(v: unknown, path: string): string {
  if (v === undefined) return "H87";
  if (typeof v !== "string" || !/^[A-Z0-9]{2,3}$/.test(v)) {
    throw new EpcisError(
      path,
      `must be a UN/CEFACT Rec. 20 unit code (KGM, GRM, LTR, H87, XBX...), got ${describe(v)}`,
      v,
    );
  }
  return v;
}

/** Percent-decodes a URI component; `path` names it in the error. */
export function parseEventTime(r: Reader, s: Session): bigint {
  const raw = r.take("eventTime");
  const path = r.p("eventTime");
  if (raw === undefined) throw new EpcisError(path, "is required (an xsd:dateTime such as 2026-03-01T09:30:00+08:00)");
  const offsetRaw = r.take("eventTimeZoneOffset");
  let offset: string | undefined;
  if (offsetRaw === undefined) {
    s.warn(r.p("eventTimeZoneOffset"), "is required by EPCIS 2.0 and missing");
  } else if (typeof offsetRaw !== "string" || !/^[+-]\d{2}:\d{2}$/.test(offsetRaw)) {
    throw new EpcisError(r.p("eventTimeZoneOffset"), `must be +hh:mm or -hh:mm, got ${describe(offsetRaw)}`, offsetRaw);
  } else {
    offset = offsetRaw;
  }
  const m =
    typeof raw === "string"
      ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(raw.trim())
      : null;
  if (m === null) {
    throw new EpcisError(path, `must be an xsd:dateTime such as 2026-03-01T09:30:00+08:00, got ${describe(raw)}`, raw);
  }
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const zone = m[8] ?? offset;
  if (zone === undefined) throw new EpcisError(path, "has no time zone and eventTimeZoneOffset is missing", raw);
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
  const check = new Date(ms);
  if (
    mo < 1 ||
    mo > 12 ||
    check.getUTCDate() !== d ||
    check.getUTCMonth() !== mo - 1 ||
    h > 23 ||
    mi > 59 ||
    sec > 59 ||
    check.getUTCFullYear() !== y
  ) {
    throw new EpcisError(path, `is not a valid date and time: ${JSON.stringify(raw)}`, raw);
  }
  let shift = 0;
  if (zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const [zh, zm] = zone.slice(1).split(":").map(Number) as [number, number];
    if (zh > 14 || zm > 59) throw new EpcisError(path, `has an invalid time zone offset ${zone}`, raw);
    shift = sign * (zh * 60 + zm) * 60_000;
  }
  const seconds = Math.floor((ms - shift) / 1000);
  if (seconds < 0) throw new EpcisError(path, "must not be before 1970-01-01T00:00:00Z", raw);
  return BigInt(seconds);
}

/** bizLocation.id, else readPoint.id → GLN; 0n when neither. */
export function parseLocation(r: Reader, s: Session): bigint {
  const read = (key: "bizLocation" | "readPoint"): { gln: bigint; id: string } | undefined => {
    if (!r.has(key)) return undefined;
    const v = r.take(key);
    const path = r.p(key);
    if (!isObject(v)) throw new EpcisError(path, `must be an object with an id, got ${describe(v)}`, v);
    const lr = new Reader(v, path);
    const id = str(lr.take("id"), lr.p("id"), "a location identifier");
    for (const k of lr.rest()) s.warn(lr.p(k), `is not recorded on chain${KEPT}`);
    try {
      const { gln, extension } = parseLocationId(id, lr.p("id"));
      if (extension !== "") {
        s.warn(
          lr.p("id"),
          `location extension ${JSON.stringify(extension)} is not recorded on chain (only the GLN is)${KEPT}`,
        );
      }
      return { gln, id };
    } catch (e) {
      if (e instanceof EpcisError && !/^(urn:epc:id:sgln:|https?:\/\/.*\/414\/)/.test(id)) {
        s.warn(lr.p("id"), `${JSON.stringify(id)} is not a GLN; the location is recorded as not stated${KEPT}`);
        return { gln: 0n, id };
      }
      throw e;
    }
  };
  const biz = read("bizLocation");
  const rp = read("readPoint");
  if (biz !== undefined) {
    if (rp !== undefined && rp.id !== biz.id) s.warn(r.p("readPoint"), UNSUPPORTED_FIELDS.readPoint! + KEPT);
    return biz.gln;
  }
  return rp?.gln ?? 0n;
}

/** A CBV name or URI → its bare name ("" when it is not a CBV business step or disposition URI). */
export function bareVocab(v: string, kind: "bizstep" | "disp" | "sdt"): string {
  const web = { bizstep: "BizStep", disp: "Disp", sdt: "SDT" }[kind];
  const m = new RegExp(`^(?:urn:epcglobal:cbv:${kind}:|https?://(?:ref|ns)\\.gs1\\.org/cbv/${web}-)(.+)$`).exec(v);
  if (m !== null) return m[1]!;
  return /^[a-z_]+$/.test(v) ? v : "";
}

/** A business step the ledger records: every one of CBV 2.0's 41 steps has a ledger code of its own. */
export function ledgerStep(v: unknown, path: string): BizStep {
  const raw = str(v, path, "a CBV business step");
  const bare = bareVocab(raw, "bizstep");
  if (Object.hasOwn(BIZ_STEPS, bare)) return bare as BizStep;
  throw new EpcisError(path, `${JSON.stringify(raw)} is not a known CBV business step`, v);
}

export type StepKind = "observe" | "ship" | "accept" | "sell" | "destroy";

export function stepKind(step: BizStep, path: string, type: string): StepKind {
  if (step === "shipping") return "ship";
  if (step === "receiving") return "accept";
  if (step === "retail_selling") return "sell";
  if (step === "destroying") return "destroy";
  if (OBSERVATION_STEPS.includes(step)) return "observe";
  if (step === "commissioning") {
    throw new EpcisError(path, `commissioning is recorded from an ObjectEvent with action ADD, not ${type}`, step);
  }
  throw new EpcisError(path, `${step} is recorded from a TransformationEvent, not ${type}`, step);
}

/** Dispositions each kind of step may state without being reported, and the status the ledger sets. */
const DISPOSITIONS: Readonly<Record<string, { ok: readonly string[]; status: string }>> = {
  commission: { ok: ["active"], status: "active" },
  observe: {
    ok: [
      "active",
      "in_progress",
      "sellable_accessible",
      "sellable_not_accessible",
      "container_closed",
      "container_open",
      "conformant",
      "available",
    ],
    status: "unchanged (active)",
  },
  certify: { ok: ["conformant", "non_conformant", "active", "in_progress"], status: "unchanged" },
  recall: { ok: ["recalled"], status: "recalled" },
  ship: { ok: ["in_transit"], status: "in_transit" },
  accept: { ok: ["active", "in_progress", "sellable_accessible", "sellable_not_accessible"], status: "active" },
  sell: { ok: ["retail_sold"], status: "retail_sold" },
  destroy: { ok: ["destroyed"], status: "destroyed" },
  transformation: {
    ok: ["active", "in_progress"],
    status: "active for the outputs, inactive (consumed) for the inputs",
  },
};

export function checkDisposition(r: Reader, s: Session, kind: string): void {
  if (!r.has("disposition")) {
    r.take("disposition");
    return;
  }
  const v = r.take("disposition");
  const raw = str(v, r.p("disposition"), "a CBV disposition");
  const bare = bareVocab(raw, "disp");
  const rule = DISPOSITIONS[kind]!;
  if (!rule.ok.includes(bare)) {
    s.warn(
      r.p("disposition"),
      `disposition ${JSON.stringify(raw)} is not recorded; the ledger's status after this step is ${rule.status}${KEPT}`,
    );
  }
}

export interface Entry {
  readonly path: string;
  readonly productCode: string;
  readonly lotCode: string;
  readonly batchId: string;
  readonly quantity?: bigint;
  readonly uom: string;
}

export function quantityList(r: Reader, s: Session, key: string, needQuantity: boolean): Entry[] {
  if (!r.has(key)) {
    r.take(key);
    return [];
  }
  const v = r.take(key);
  const path = r.p(key);
  if (!Array.isArray(v))
    throw new EpcisError(path, `must be a list of {epcClass, quantity, uom}, got ${describe(v)}`, v);
  return v.map((item, i) => {
    const p = at(path, i);
    if (!isObject(item))
      throw new EpcisError(p, `must be an object {epcClass, quantity, uom}, got ${describe(item)}`, item);
    const er = new Reader(item, p);
    const cls = str(er.take("epcClass"), er.p("epcClass"), "a class-level identifier with a lot");
    const { productCode, lotCode } = parseEpcClass(cls, er.p("epcClass"));
    const q = er.take("quantity");
    if (q === undefined && needQuantity)
      throw new EpcisError(er.p("quantity"), "is required for this step (a positive number)");
    const quantity = q === undefined ? undefined : quantityOf(q, er.p("quantity"));
    const uom = uomOf(er.take("uom"), er.p("uom"));
    for (const k of er.rest()) s.warn(er.p(k), `is not recorded on chain${KEPT}`);
    return {
      path: p,
      productCode,
      lotCode,
      batchId: batchIdOf(productCode, lotCode),
      ...(quantity !== undefined ? { quantity } : {}),
      uom,
    };
  });
}

export function refOf(e: Entry): BatchRef {
  return {
    productCode: e.productCode,
    lotCode: e.lotCode,
    batchId: e.batchId,
    ...(e.quantity !== undefined ? { quantity: e.quantity, uom: e.uom } : {}),
  };
}

export function quantified(e: Entry): BatchQuantity {
  return { productCode: e.productCode, lotCode: e.lotCode, batchId: e.batchId, quantity: e.quantity!, uom: e.uom };
}

export function takeInstanceList(r: Reader, s: Session, key: string): void {
  if (!r.has(key)) return;
  const v = r.take(key);
  if (Array.isArray(v) && v.length === 0) return;
  s.warn(r.p(key), UNSUPPORTED_FIELDS[key]! + KEPT);
}

export function takeAction(r: Reader): "ADD" | "OBSERVE" | "DELETE" {
  const v = r.take("action");
  if (v !== "ADD" && v !== "OBSERVE" && v !== "DELETE") {
    throw new EpcisError(r.p("action"), `must be ADD, OBSERVE or DELETE, got ${describe(v)}`, v);
  }
  return v;
}

export function uniqueBatches(entries: readonly Entry[], what: string): void {
  const seen = new Map<string, string>();
  for (const e of entries) {
    const before = seen.get(e.batchId);
    if (before !== undefined) throw new EpcisError(at(e.path, "epcClass"), `names the same lot as ${before}: ${what}`);
    seen.set(e.batchId, e.path);
  }
}

export function sum(entries: readonly Entry[]): bigint {
  return entries.reduce((t, e) => t + e.quantity!, 0n);
}

/** The ship receiver from destinationList: possessing_party, else owning_party. */
export function receiverOf(r: Reader, s: Session): string | undefined {
  if (!r.has("destinationList")) {
    r.take("destinationList");
    return undefined;
  }
  const v = r.take("destinationList");
  const path = r.p("destinationList");
  if (!Array.isArray(v)) throw new EpcisError(path, `must be a list of {type, destination}, got ${describe(v)}`, v);
  const parties: Partial<Record<"possessing_party" | "owning_party", { value: string; path: string }>> = {};
  v.forEach((item, i) => {
    const p = at(path, i);
    if (!isObject(item)) throw new EpcisError(p, `must be an object {type, destination}, got ${describe(item)}`, item);
    const dr = new Reader(item, p);
    const type = bareVocab(str(dr.take("type"), dr.p("type"), "a source/destination type"), "sdt");
    const destination = str(dr.take("destination"), dr.p("destination"), "a destination identifier");
    for (const k of dr.rest()) s.warn(dr.p(k), `is not recorded on chain${KEPT}`);
    if ((type === "possessing_party" || type === "owning_party") && parties[type] === undefined) {
      parties[type] = { value: destination, path: p };
    } else {
      s.warn(p, `destination of type ${type || JSON.stringify(item.type)} is not recorded on chain${KEPT}`);
    }
  });
  const to = parties.possessing_party ?? parties.owning_party;
  if (parties.possessing_party !== undefined && parties.owning_party !== undefined) {
    if (parties.owning_party.value !== parties.possessing_party.value) {
      s.warn(
        parties.owning_party.path,
        `the owning party is not recorded on chain (custody goes to the possessing party)${KEPT}`,
      );
    }
  }
  return to?.value;
}

/** An event's `errorDeclaration`: when it was declared, the CBV reason as given, and the corrective eventIDs. */
export function readErrorDeclaration(r: Reader): {
  declarationTime: bigint;
  reason?: string;
  correctiveEventIDs: string[];
} {
  const v = r.take("errorDeclaration");
  const path = r.p("errorDeclaration");
  if (!isObject(v))
    throw new EpcisError(
      path,
      `must be an object {declarationTime, reason, correctiveEventIDs}, got ${describe(v)}`,
      v,
    );
  const er = new Reader(v, path);
  const dt = er.take("declarationTime");
  if (typeof dt !== "string")
    throw new EpcisError(er.p("declarationTime"), `is required (an xsd:dateTime), got ${describe(dt)}`, dt);
  const ms = Date.parse(dt);
  if (Number.isNaN(ms))
    throw new EpcisError(er.p("declarationTime"), `must be an xsd:dateTime, got ${describe(dt)}`, dt);
  const reason = er.take("reason");
  const ids = er.take("correctiveEventIDs");
  return {
    declarationTime: BigInt(Math.floor(ms / 1000)),
    ...(typeof reason === "string" ? { reason } : {}),
    correctiveEventIDs: Array.isArray(ids) ? ids.filter((x): x is string => typeof x === "string") : [],
  };
}
