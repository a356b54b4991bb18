/**
 * GS1 EPCIS 2.0 JSON / JSON-LD in and out of the trace ledger (contracts/interfaces/ITraceLedger.sol).
 *
 * `parseEpcisDocument` reads an EPCISDocument (`type: "EPCISDocument"`, `epcisBody.eventList`; an
 * EPCISQueryDocument's `epcisBody.queryResults.resultsBody.eventList` too) or a single event, and turns
 * each event into the ledger calls it stands for ("actions"). Nothing is sent: the caller resolves
 * organisations, checks chain state and submits. `exportEpcis` goes the other way, from the facts the
 * ledger's logs hold to an EPCISDocument; parsing an export gives back the same actions.
 *
 * What identifies a batch: a class-level identifier with a lot, in `quantityList`, `childQuantityList`,
 * `inputQuantityList` or `outputQuantityList` entries `{epcClass, quantity, uom}`:
 * - `urn:epc:class:lgtin:<companyPrefix>.<indicator+itemRef>.<lot>`: the product code is the GTIN-14
 *   (indicator, company prefix, item reference, computed check digit), the lot code the percent-decoded lot;
 * - a GS1 Digital Link `https://id.gs1.org/01/<gtin>/10/<lot>` (any host; GTIN-8/12/13 are padded to 14
 *   digits and their check digit verified);
 * - `https://zhixin-ledger.example/epcis/class/<product>/<lot>`: what `exportEpcis` writes for a product
 *   code that is not a GTIN-14 (the ledger accepts any ASCII code).
 * Instance-level EPCs (`epcList`, `childEPCs`, `inputEPCList`, `outputEPCList`) cannot be recorded. The
 * quantity is a JSON number with at most three decimals (the ledger stores thousandths); `uom` is a
 * UN/CEFACT Rec. 20 code, and a missing `uom` (a count of instances, per EPCIS) is read as H87 (piece).
 *
 * Mapping (one action per quantity entry unless said otherwise; every action of an event shares its
 * context):
 * - ObjectEvent ADD with bizStep commissioning → `commission`. ADD with any other step is rejected, and
 *   so is commissioning with OBSERVE or DELETE.
 * - ObjectEvent OBSERVE: an observation step (inspecting, packing, storing... see OBSERVATION_STEPS) →
 *   `observe`; shipping → `ship`; receiving → `accept`; retail_selling → `sell`; destroying → `destroy`.
 *   The receiver of a shipment is not an EPCIS field: `ship.to` is the `destinationList` entry of type
 *   possessing_party (custody is what the ledger moves), else owning_party, as the string the document
 *   gives (e.g. `urn:epc:id:pgln:...`); the caller resolves it to an account.
 * - ObjectEvent DELETE → `destroy`, whatever its bizStep (a step other than destroying or decommissioning
 *   is reported).
 * - AggregationEvent: packing a parent (pallet, case: `parentID`) is not a change of batch: the parent
 *   is not recorded, and each `childQuantityList` entry gets the action its bizStep maps to as above
 *   (so `observe` with packing for ADD without a bizStep, unpacking for DELETE without one). It is not
 *   mapped to `merge`: a parent typically holds lots of several products, and packing must not consume
 *   the lots.
 * - TransformationEvent (bizStep is not recorded; any CBV step, or a URI that is then reported):
 *   - one input and several outputs of the same product and unit whose quantities add up to the
 *     input's → `split` (2..100 outputs);
 *   - several inputs and one output, all of one product and unit, conserving the total → `merge`
 *     (2..32 inputs);
 *   - otherwise one output → `transform` (1..32 inputs, which the ledger requires to share a unit),
 *     ratioPpm = round(output / total input × 1e6), moved within the range for which the ledger's
 *     `floor(total × ratioPpm / 1e6)` equals the declared output when such a ratio exists (reported
 *     when none does). An event carrying `zx:ratioPpm` (as exported) is always a transform, with that
 *     ratio, which must give the declared output;
 *   - several outputs that are not a split (different products or units, or not conserving the total,
 *     or several inputs) → an error naming the path: the ledger records one output per transformation.
 * - `eventTime` (its own offset, else `eventTimeZoneOffset`) → unix seconds, fractions dropped.
 * - `bizLocation.id`, else `readPoint.id`, as `urn:epc:id:sgln:<companyPrefix>.<locationRef>.<ext>` or
 *   Digital Link `.../414/<gln>` → the GLN-13 (check digit computed for SGLN, verified for Digital Link).
 *   An extension other than "0" (SGLN) or `/254/<ext>` (Digital Link) is reported and dropped; a
 *   location that is not a GLN is reported and recorded as 0 (not stated).
 * - `disposition` is not recorded: the ledger keeps a status of its own. One that disagrees with the
 *   status the step leaves is reported.
 * - Extension fields under the namespace `https://zhixin-ledger.example/epcis/` (prefix `zx` in what
 *   `exportEpcis` writes; recognised under whatever prefix the document's or event's `@context` binds
 *   it to): `zx:evidenceHash`, `zx:txHash`, `zx:actor`, `zx:blockNumber` (what the ledger recorded,
 *   returned in `ParsedEvent.recorded`), `zx:ratioPpm` and `zx:giCertificate` (transform, commission),
 *   `zx:certificate` on an inspecting ObjectEvent (→ `certify`) and `zx:recall` (→ `recall`).
 *
 * Evidence: each event's `evidenceHash` is keccak256 of its RFC 8785 (JCS) canonical JSON, UTF-8, of the
 * event object exactly as given (including its own `@context`, if any). Key order and whitespace do not
 * change it. Every field the mapping does not use (sensorElementList, certificationInfo, ilmd, epcList,
 * bizTransactionList, sourceList, persistentDisposition, errorDeclaration, other extensions...) is
 * listed in `warnings` and stays bound by that hash. Document-level fields (epcisHeader...) are bound by
 * `documentHash` only. Invalid input throws `EpcisError`, whose message starts with the JSON path
 * (`epcisBody.eventList[2].quantityList[0].quantity: must be a positive number`).
 */
import canonicalize from "canonicalize";
import { getAddress, isAddress, isHexString, keccak256, toUtf8Bytes } from "ethers";

import { InvalidInputError } from "../errors.js";
import {
  BIZ_STEPS,
  type BizStep,
  OBSERVATION_STEPS,
  QUANTITY_SCALE,
  batchIdOf,
  bizStepName,
  encodeCode,
  formatQuantity,
  gs1CheckDigit,
  validGs1,
} from "./vocabulary.js";

/** The EPCIS 2.0 JSON-LD context. */
export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";
/** The namespace of the ledger's extension fields, bound to the prefix `zx` in exports. */
export const ZX_NAMESPACE = "https://zhixin-ledger.example/epcis/";
export const ZX_PREFIX = "zx";

/** The event types the ledger maps. */
export const EPCIS_EVENT_TYPES = ["ObjectEvent", "AggregationEvent", "TransformationEvent"] as const;
export type EpcisEventType = (typeof EPCIS_EVENT_TYPES)[number];

/** CBV 2.0 business steps (the ledger has codes for a subset, plus `transforming`). */
const CBV_BIZ_STEPS = new Set([
  "accepting",
  "arriving",
  "assembling",
  "collecting",
  "commissioning",
  "consigning",
  "creating_class_instance",
  "cycle_counting",
  "decommissioning",
  "departing",
  "destroying",
  "disassembling",
  "dispensing",
  "encoding",
  "entering_exiting",
  "holding",
  "inspecting",
  "installing",
  "killing",
  "loading",
  "other",
  "packing",
  "picking",
  "receiving",
  "removing",
  "repackaging",
  "repairing",
  "replacing",
  "reserving",
  "retail_selling",
  "sampling",
  "sensor_reporting",
  "shipping",
  "staging_outbound",
  "stock_taking",
  "stocking",
  "storing",
  "transporting",
  "unloading",
  "unpacking",
  "void_shipping",
]);

const MAX_SPLIT = 100;
const MAX_INPUTS = 32;
const PPM = 1_000_000n;
const MAX_RATIO = 2n ** 32n - 1n;
const MAX_QUANTITY = 2n ** 128n - 1n;

// ---------------------------------------------------------------- types

/** Invalid EPCIS input: `path` is the JSON path of the offending value (`$` for the whole input). */
export class EpcisError extends InvalidInputError {
  constructor(
    readonly path: string,
    problem: string,
    value?: unknown,
  ) {
    super(path, value, problem);
    this.name = "EpcisError";
    this.message = `${path}: ${problem}`;
  }
}

/** Something in the input the ledger does not record; it stays bound by the evidence hash. */
export interface EpcisWarning {
  readonly path: string;
  readonly message: string;
}

/** ITraceLedger.Context. */
export interface ChainContext {
  /** GLN-13, 0n when not stated. */
  readonly location: bigint;
  /** Unix seconds. */
  readonly eventTime: bigint;
  /** keccak256 of the event's canonical JSON. */
  readonly evidenceHash: string;
}

/** A batch named by an EPCIS quantity entry. */
export interface BatchRef {
  readonly productCode: string;
  readonly lotCode: string;
  /** `batchIdOf(productCode, lotCode)`. */
  readonly batchId: string;
  /** In thousandths of `uom`, when the entry states it. */
  readonly quantity?: bigint;
  readonly uom?: string;
}

export interface BatchQuantity extends BatchRef {
  readonly quantity: bigint;
  readonly uom: string;
}

interface ActionBase {
  /** JSON path of the event. */
  readonly path: string;
  readonly context: ChainContext;
}

/** A ledger call an EPCIS event stands for. Quantities are thousandths of the unit. */
export type EpcisAction =
  | (ActionBase & {
      kind: "commission";
      productCode: string;
      lotCode: string;
      batchId: string;
      quantity: bigint;
      uom: string;
      giCertificate?: number;
    })
  | (ActionBase & { kind: "observe"; batch: BatchRef; bizStep: BizStep; bizStepCode: number })
  /** `to`: the receiving party as the document names it (destinationList), for the caller to resolve. */
  | (ActionBase & { kind: "ship"; batch: BatchRef; to?: string })
  | (ActionBase & { kind: "accept"; batch: BatchRef })
  | (ActionBase & {
      kind: "split";
      batch: BatchQuantity;
      parts: { lotCode: string; batchId: string; quantity: bigint }[];
    })
  | (ActionBase & {
      kind: "merge";
      inputs: BatchQuantity[];
      productCode: string;
      lotCode: string;
      batchId: string;
      quantity: bigint;
      uom: string;
    })
  | (ActionBase & {
      kind: "transform";
      inputs: BatchQuantity[];
      outputProduct: string;
      outputLot: string;
      outputUom: string;
      /** The declared output; the ledger records floor(total input × ratioPpm / 1e6). */
      outputQuantity: bigint;
      batchId: string;
      ratioPpm: number;
      giCertificate?: number;
    })
  | (ActionBase & { kind: "sell"; batch: BatchRef })
  | (ActionBase & { kind: "destroy"; batch: BatchRef })
  /** Only from `zx:certificate` (an export of CertificateRecorded). */
  | (ActionBase & { kind: "certify"; batch: BatchRef; passed: boolean; validUntil: bigint; reportHash: string })
  /** Only from `zx:recall` (an export of BatchRecalled). */
  | (ActionBase & { kind: "recall"; batch: BatchRef; reasonHash: string; recallId?: number });

export type EpcisActionKind = EpcisAction["kind"];

/** What an exported event says the ledger recorded (`zx:` fields). */
export interface RecordedFacts {
  readonly evidenceHash?: string;
  readonly txHash?: string;
  readonly actor?: string;
  readonly blockNumber?: number;
}

export interface ParsedEvent {
  readonly path: string;
  readonly type: EpcisEventType;
  readonly eventID?: string;
  /** keccak256 of `canonical`. */
  readonly evidenceHash: string;
  /** The event's RFC 8785 canonical JSON. */
  readonly canonical: string;
  readonly actions: EpcisAction[];
  readonly recorded?: RecordedFacts;
}

export interface ParsedEpcis {
  /** Whether the input was a document or a single event. */
  readonly kind: "document" | "event";
  /** keccak256 of the whole input's canonical JSON. */
  readonly documentHash: string;
  readonly events: ParsedEvent[];
  /** Every event's actions, in order. */
  readonly actions: EpcisAction[];
  readonly warnings: EpcisWarning[];
}

export interface ParseEpcisOptions {
  /** Throw an EpcisError at the first warning instead of listing it. */
  readonly strict?: boolean;
}

// ---------------------------------------------------------------- JSON helpers

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v)}`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

/** `path` extended by a key or an index. */
function at(path: string, key: string | number): string {
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
class Reader {
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

class Session {
  readonly warnings: EpcisWarning[] = [];
  constructor(readonly strict: boolean) {}
  warn(path: string, message: string): void {
    if (this.strict) throw new EpcisError(path, `${message} (strict mode)`);
    this.warnings.push({ path, message });
  }
}

const KEPT = "; kept in the evidence hash";

const UNSUPPORTED_FIELDS: Readonly<Record<string, string>> = {
  epcList: "instance-level EPCs are not recorded on chain (the ledger tracks lots)",
  childEPCs: "instance-level EPCs are not recorded on chain (the ledger tracks lots)",
  inputEPCList: "instance-level EPCs are not recorded on chain (the ledger tracks lots)",
  outputEPCList: "instance-level EPCs are not recorded on chain (the ledger tracks lots)",
  parentID: "the aggregation's parent is not recorded on chain (its children are)",
  sensorElementList: "sensor data is not recorded on chain",
  certificationInfo: "certification information is not recorded on chain (an inspector records results with certify)",
  persistentDisposition: "persistent dispositions are not recorded on chain",
  errorDeclaration: "an error declaration cannot retract what the ledger recorded; record a correcting event",
  bizTransactionList: "business transactions are not recorded on chain",
  sourceList: "sources are not recorded on chain",
  destinationList: "destinations are recorded only for shipping (the possessing_party or owning_party receiver)",
  transformationID: "transformation ids are not recorded on chain",
  readPoint: "the read point is not recorded on chain (the business location is)",
};

/** Prefixes a JSON-LD `@context` binds to ZX_NAMESPACE. */
function zxPrefixes(context: unknown): string[] {
  const out: string[] = [];
  const items = Array.isArray(context) ? context : [context];
  for (const item of items) {
    if (!isObject(item)) continue;
    for (const [k, v] of Object.entries(item)) {
      const iri = isObject(v) ? v["@id"] : v;
      if (iri === ZX_NAMESPACE && !k.startsWith("@")) out.push(k);
    }
  }
  return out;
}

/** Where an event's zx: fields are. */
class Zx {
  constructor(private readonly prefixes: readonly string[]) {}
  key(r: Reader, name: string): string | undefined {
    for (const p of this.prefixes) if (r.has(`${p}:${name}`)) return `${p}:${name}`;
    if (r.has(ZX_NAMESPACE + name)) return ZX_NAMESPACE + name;
    return undefined;
  }
  isZx(key: string): boolean {
    return key.startsWith(ZX_NAMESPACE) || this.prefixes.some((p) => key.startsWith(`${p}:`));
  }
}

// ---------------------------------------------------------------- values

function str(v: unknown, path: string, what = "a string"): string {
  if (typeof v !== "string" || v.trim() === "") throw new EpcisError(path, `must be ${what}, got ${describe(v)}`, v);
  return v.trim();
}

function bytes32(v: unknown, path: string): string {
  if (typeof v !== "string" || !isHexString(v, 32)) {
    throw new EpcisError(path, `must be 0x followed by 64 hex digits, got ${describe(v)}`, v);
  }
  return v.toLowerCase();
}

function uint(v: unknown, path: string, max: bigint): bigint {
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
function decodePct(s: string, path: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new EpcisError(path, `has a malformed percent escape in ${JSON.stringify(s)}`, s);
  }
}

function code(field: "product" | "lot", value: string, path: string): string {
  try {
    encodeCode(field, value);
  } catch (e) {
    if (e instanceof InvalidInputError) {
      throw new EpcisError(path, `${field} code ${JSON.stringify(value)} ${e.problem} (the ledger's limit)`, value);
    }
    throw e;
  }
  return value;
}

/** A class-level identifier with a lot → product (GTIN-14) and lot codes. */
export function parseEpcClass(uri: string, path = "epcClass"): { productCode: string; lotCode: string } {
  const v = uri.trim();
  if (v.startsWith(ZX_NAMESPACE + "class/")) {
    const m = /^([^/]+)\/([^/]+)$/.exec(v.slice(ZX_NAMESPACE.length + 6));
    if (m === null)
      throw new EpcisError(path, `must be ${ZX_NAMESPACE}class/<product>/<lot>, got ${JSON.stringify(v)}`, v);
    return {
      productCode: code("product", decodePct(m[1]!, path), path),
      lotCode: code("lot", decodePct(m[2]!, path), path),
    };
  }
  const lgtin = /^urn:epc:class:lgtin:(\d+)\.(\d+)\.(.+)$/.exec(v);
  if (lgtin !== null) {
    const [, cp, ir, lot] = lgtin as unknown as [string, string, string, string];
    if (cp.length < 6 || cp.length > 12 || cp.length + ir.length !== 13) {
      throw new EpcisError(
        path,
        "an LGTIN needs a 6 to 12 digit company prefix and an indicator plus item reference, 13 digits together",
        v,
      );
    }
    const body = ir[0]! + cp + ir.slice(1);
    return { productCode: body + gs1CheckDigit(body), lotCode: code("lot", decodePct(lot, path), path) };
  }
  if (/^https?:\/\//.test(v)) {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      throw new EpcisError(path, `is not a valid URI: ${JSON.stringify(v)}`, v);
    }
    const segs = url.pathname.split("/").filter((s) => s !== "");
    const i = segs.indexOf("01");
    if (i >= 0 && segs[i + 2] === "10" && segs[i + 3] !== undefined) {
      const gtin = segs[i + 1]!;
      if (!/^(\d{8}|\d{12,14})$/.test(gtin) || !validGs1(gtin)) {
        throw new EpcisError(path, `GTIN ${gtin} in the Digital Link is not a GTIN with a valid check digit`, v);
      }
      if (segs.length > i + 4) {
        throw new EpcisError(path, "identifies more than a lot (e.g. a serial number): the ledger tracks lots", v);
      }
      return { productCode: gtin.padStart(14, "0"), lotCode: code("lot", decodePct(segs[i + 3]!, path), path) };
    }
  }
  throw new EpcisError(
    path,
    `must identify a lot: urn:epc:class:lgtin:<companyPrefix>.<indicator+itemRef>.<lot> or a GS1 Digital Link .../01/<GTIN>/10/<lot>, got ${JSON.stringify(v)}`,
    v,
  );
}

/** A location identifier → GLN-13 and an extension ("" for none). */
export function parseLocationId(uri: string, path = "id"): { gln: bigint; extension: string } {
  const v = uri.trim();
  const sgln = /^urn:epc:id:sgln:(\d+)\.(\d*)\.(.+)$/.exec(v);
  if (sgln !== null) {
    const [, cp, ref, ext] = sgln as unknown as [string, string, string, string];
    if (cp.length < 6 || cp.length > 12 || cp.length + ref.length !== 12) {
      throw new EpcisError(
        path,
        "an SGLN needs a 6 to 12 digit company prefix and a location reference, 12 digits together",
        v,
      );
    }
    const extension = decodePct(ext, path);
    return { gln: BigInt(cp + ref + gs1CheckDigit(cp + ref)), extension: extension === "0" ? "" : extension };
  }
  if (/^https?:\/\//.test(v)) {
    let url: URL | undefined;
    try {
      url = new URL(v);
    } catch {
      url = undefined;
    }
    const segs = url?.pathname.split("/").filter((s) => s !== "") ?? [];
    const i = segs.indexOf("414");
    if (i >= 0 && segs[i + 1] !== undefined) {
      const gln = segs[i + 1]!;
      if (!/^\d{13}$/.test(gln) || !validGs1(gln)) {
        throw new EpcisError(path, `GLN ${gln} in the Digital Link is not 13 digits with a valid check digit`, v);
      }
      let extension = "";
      if (segs[i + 2] === "254" && segs[i + 3] !== undefined) extension = decodePct(segs[i + 3]!, path);
      return { gln: BigInt(gln), extension };
    }
  }
  throw new EpcisError(path, `is not a GLN (urn:epc:id:sgln:... or a Digital Link .../414/<GLN>)`, v);
}

/** eventTime (with its own offset, else eventTimeZoneOffset) → unix seconds. */
function parseEventTime(r: Reader, s: Session): bigint {
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
function parseLocation(r: Reader, s: Session): bigint {
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
function bareVocab(v: string, kind: "bizstep" | "disp" | "sdt"): string {
  const web = { bizstep: "BizStep", disp: "Disp", sdt: "SDT" }[kind];
  const m = new RegExp(`^(?:urn:epcglobal:cbv:${kind}:|https?://(?:ref|ns)\\.gs1\\.org/cbv/${web}-)(.+)$`).exec(v);
  if (m !== null) return m[1]!;
  return /^[a-z_]+$/.test(v) ? v : "";
}

/** A business step the ledger records. */
function ledgerStep(v: unknown, path: string): BizStep {
  const raw = str(v, path, "a CBV business step");
  const bare = bareVocab(raw, "bizstep");
  if (Object.hasOwn(BIZ_STEPS, bare)) return bare as BizStep;
  if (CBV_BIZ_STEPS.has(bare)) {
    throw new EpcisError(
      path,
      `CBV business step ${bare} has no ledger equivalent (${Object.keys(BIZ_STEPS).join(", ")})`,
      v,
    );
  }
  throw new EpcisError(path, `${JSON.stringify(raw)} is not a known CBV business step`, v);
}

type StepKind = "observe" | "ship" | "accept" | "sell" | "destroy";

function stepKind(step: BizStep, path: string, type: string): StepKind {
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

function checkDisposition(r: Reader, s: Session, kind: string): void {
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

interface Entry {
  readonly path: string;
  readonly productCode: string;
  readonly lotCode: string;
  readonly batchId: string;
  readonly quantity?: bigint;
  readonly uom: string;
}

function quantityList(r: Reader, s: Session, key: string, needQuantity: boolean): Entry[] {
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

function refOf(e: Entry): BatchRef {
  return {
    productCode: e.productCode,
    lotCode: e.lotCode,
    batchId: e.batchId,
    ...(e.quantity !== undefined ? { quantity: e.quantity, uom: e.uom } : {}),
  };
}

function quantified(e: Entry): BatchQuantity {
  return { productCode: e.productCode, lotCode: e.lotCode, batchId: e.batchId, quantity: e.quantity!, uom: e.uom };
}

function takeInstanceList(r: Reader, s: Session, key: string): void {
  if (!r.has(key)) return;
  const v = r.take(key);
  if (Array.isArray(v) && v.length === 0) return;
  s.warn(r.p(key), UNSUPPORTED_FIELDS[key]! + KEPT);
}

function takeAction(r: Reader): "ADD" | "OBSERVE" | "DELETE" {
  const v = r.take("action");
  if (v !== "ADD" && v !== "OBSERVE" && v !== "DELETE") {
    throw new EpcisError(r.p("action"), `must be ADD, OBSERVE or DELETE, got ${describe(v)}`, v);
  }
  return v;
}

function uniqueBatches(entries: readonly Entry[], what: string): void {
  const seen = new Map<string, string>();
  for (const e of entries) {
    const before = seen.get(e.batchId);
    if (before !== undefined) throw new EpcisError(at(e.path, "epcClass"), `names the same lot as ${before}: ${what}`);
    seen.set(e.batchId, e.path);
  }
}

function sum(entries: readonly Entry[]): bigint {
  return entries.reduce((t, e) => t + e.quantity!, 0n);
}

/** The ship receiver from destinationList: possessing_party, else owning_party. */
function receiverOf(r: Reader, s: Session): string | undefined {
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

// ---------------------------------------------------------------- events

interface EventFrame {
  readonly r: Reader;
  readonly s: Session;
  readonly zx: Zx;
  readonly context: ChainContext;
  readonly path: string;
}

function zxTake(f: EventFrame, name: string): { value: unknown; path: string } | undefined {
  const key = f.zx.key(f.r, name);
  if (key === undefined) return undefined;
  return { value: f.r.take(key), path: f.r.p(key) };
}

function giOf(f: EventFrame): number | undefined {
  const g = zxTake(f, "giCertificate");
  if (g === undefined) return undefined;
  const n = Number(uint(g.value, g.path, 2n ** 32n - 1n));
  return n === 0 ? undefined : n;
}

function stepActions(f: EventFrame, kind: StepKind, step: BizStep, entries: readonly Entry[]): EpcisAction[] {
  const base = { path: f.path, context: f.context };
  const to = kind === "ship" ? receiverOf(f.r, f.s) : undefined;
  if (kind === "ship" && to === undefined) {
    f.s.warn(
      f.r.p("destinationList"),
      "names no possessing_party or owning_party receiver: the caller must give the receiving organisation",
    );
  }
  return entries.map((e): EpcisAction => {
    const batch = refOf(e);
    switch (kind) {
      case "observe":
        return { ...base, kind, batch, bizStep: step, bizStepCode: BIZ_STEPS[step] };
      case "ship":
        return { ...base, kind, batch, ...(to !== undefined ? { to } : {}) };
      default:
        return { ...base, kind, batch };
    }
  });
}

function objectEvent(f: EventFrame): EpcisAction[] {
  const { r, s } = f;
  const action = takeAction(r);
  const entries = quantityList(r, s, "quantityList", false);
  takeInstanceList(r, s, "epcList");
  if (entries.length === 0) {
    throw new EpcisError(
      r.p("quantityList"),
      "must list at least one lot (epcClass with a lot, quantity, uom): instance-level epcList alone cannot be recorded",
    );
  }
  const base = { path: f.path, context: f.context };

  if (action === "DELETE") {
    if (r.has("bizStep")) {
      const raw = str(r.take("bizStep"), r.p("bizStep"), "a CBV business step");
      const bare = bareVocab(raw, "bizstep");
      if (bare !== "destroying" && bare !== "decommissioning") {
        s.warn(r.p("bizStep"), `an ObjectEvent DELETE is recorded as destroying, not ${JSON.stringify(raw)}${KEPT}`);
      }
    }
    checkDisposition(r, s, "destroy");
    return entries.map((e) => ({ ...base, kind: "destroy", batch: refOf(e) }));
  }

  if (!r.has("bizStep")) throw new EpcisError(r.p("bizStep"), "is required to map an ObjectEvent to a ledger step");
  const step = ledgerStep(r.take("bizStep"), r.p("bizStep"));
  if (action === "ADD") {
    if (step !== "commissioning") {
      throw new EpcisError(r.p("action"), `ADD is recorded only with bizStep commissioning (got ${step}); use OBSERVE`);
    }
    checkDisposition(r, s, "commission");
    const giCertificate = giOf(f);
    return entries.map((e): EpcisAction => {
      if (e.quantity === undefined) throw new EpcisError(at(e.path, "quantity"), "is required to commission a batch");
      return {
        ...base,
        kind: "commission",
        productCode: e.productCode,
        lotCode: e.lotCode,
        batchId: e.batchId,
        quantity: e.quantity,
        uom: e.uom,
        ...(giCertificate !== undefined ? { giCertificate } : {}),
      };
    });
  }

  // OBSERVE
  if (step === "commissioning") throw new EpcisError(r.p("action"), "commissioning must be an ADD event, got OBSERVE");
  const recall = zxTake(f, "recall");
  if (recall !== undefined) {
    if (!isObject(recall.value))
      throw new EpcisError(recall.path, `must be an object {reasonHash}, got ${describe(recall.value)}`);
    const rr = new Reader(recall.value, recall.path);
    const reasonHash = bytes32(rr.take("reasonHash"), rr.p("reasonHash"));
    const id = rr.has("recallId") ? Number(uint(rr.take("recallId"), rr.p("recallId"), 2n ** 32n - 1n)) : undefined;
    checkDisposition(r, s, "recall");
    return entries.map((e) => ({
      ...base,
      kind: "recall",
      batch: refOf(e),
      reasonHash,
      ...(id !== undefined ? { recallId: id } : {}),
    }));
  }
  const cert = step === "inspecting" ? zxTake(f, "certificate") : undefined;
  if (cert !== undefined) {
    if (!isObject(cert.value)) {
      throw new EpcisError(
        cert.path,
        `must be an object {passed, validUntil, reportHash}, got ${describe(cert.value)}`,
      );
    }
    const cr = new Reader(cert.value, cert.path);
    const passed = cr.take("passed");
    if (typeof passed !== "boolean")
      throw new EpcisError(cr.p("passed"), `must be true or false, got ${describe(passed)}`);
    const validUntil = uint(cr.take("validUntil") ?? 0, cr.p("validUntil"), 2n ** 64n - 1n);
    const reportHash = bytes32(cr.take("reportHash"), cr.p("reportHash"));
    checkDisposition(r, s, "certify");
    return entries.map((e) => ({ ...base, kind: "certify", batch: refOf(e), passed, validUntil, reportHash }));
  }
  const kind = stepKind(step, r.p("bizStep"), "an ObjectEvent");
  checkDisposition(r, s, kind);
  return stepActions(f, kind, step, entries);
}

function aggregationEvent(f: EventFrame): EpcisAction[] {
  const { r, s } = f;
  const action = takeAction(r);
  const entries = quantityList(r, s, "childQuantityList", false);
  takeInstanceList(r, s, "childEPCs");
  if (r.has("parentID")) s.warn(r.p("parentID"), UNSUPPORTED_FIELDS.parentID! + KEPT);
  r.take("parentID");
  if (entries.length === 0) {
    throw new EpcisError(
      r.p("childQuantityList"),
      "must list at least one lot (epcClass with a lot, quantity, uom): instance-level childEPCs alone cannot be recorded",
    );
  }
  let step: BizStep;
  if (r.has("bizStep")) step = ledgerStep(r.take("bizStep"), r.p("bizStep"));
  else if (action === "ADD") step = "packing";
  else if (action === "DELETE") step = "unpacking";
  else throw new EpcisError(r.p("bizStep"), "is required for an AggregationEvent OBSERVE");
  const kind = stepKind(step, r.p("bizStep"), "an AggregationEvent");
  checkDisposition(r, s, kind);
  return stepActions(f, kind, step, entries);
}

function transformationEvent(f: EventFrame): EpcisAction[] {
  const { r, s } = f;
  const inputs = quantityList(r, s, "inputQuantityList", true);
  const outputs = quantityList(r, s, "outputQuantityList", true);
  takeInstanceList(r, s, "inputEPCList");
  takeInstanceList(r, s, "outputEPCList");
  if (inputs.length === 0) {
    throw new EpcisError(
      r.p("inputQuantityList"),
      "must list at least one input lot (instance-level inputEPCList cannot be recorded)",
    );
  }
  if (outputs.length === 0) {
    throw new EpcisError(
      r.p("outputQuantityList"),
      "must list at least one output lot (instance-level outputEPCList cannot be recorded)",
    );
  }
  if (r.has("bizStep")) {
    const raw = str(r.take("bizStep"), r.p("bizStep"), "a business step");
    const bare = bareVocab(raw, "bizstep");
    if (!CBV_BIZ_STEPS.has(bare) && bare !== "transforming") {
      if (!raw.includes(":"))
        throw new EpcisError(r.p("bizStep"), `${JSON.stringify(raw)} is not a known CBV business step`, raw);
      s.warn(r.p("bizStep"), `custom business step ${JSON.stringify(raw)} is not recorded on chain${KEPT}`);
    }
  }
  checkDisposition(r, s, "transformation");
  uniqueBatches(inputs, "each input is a whole batch, consumed once");
  uniqueBatches(outputs, "each output is a new batch");
  const ratio = zxTake(f, "ratioPpm");
  const giCertificate = giOf(f);
  const base = { path: f.path, context: f.context };
  const outPath = r.p("outputQuantityList");
  const inPath = r.p("inputQuantityList");

  if (outputs.length >= 2) {
    const one = "the ledger records one output per transformation: split the event";
    if (ratio !== undefined) throw new EpcisError(ratio.path, `applies to a transformation with one output; ${one}`);
    if (inputs.length !== 1) {
      throw new EpcisError(
        outPath,
        `several outputs need exactly one input (a split), got ${inputs.length} inputs; ${one}`,
      );
    }
    const input = inputs[0]!;
    const first = outputs[0]!;
    for (const o of outputs) {
      if (o.productCode !== first.productCode) {
        throw new EpcisError(
          at(o.path, "epcClass"),
          `product ${o.productCode} differs from ${first.path}'s ${first.productCode}: outputs of several products; ${one}`,
        );
      }
    }
    for (const o of outputs) {
      if (o.productCode !== input.productCode) {
        throw new EpcisError(
          at(o.path, "epcClass"),
          `product ${o.productCode} differs from the input's ${input.productCode}: several outputs must be a split, which keeps the product; ${one}`,
        );
      }
      if (o.uom !== input.uom) {
        throw new EpcisError(at(o.path, "uom"), `must be ${input.uom} like the input: a split keeps the unit`, o.uom);
      }
      if (o.batchId === input.batchId) {
        throw new EpcisError(at(o.path, "epcClass"), "names the input's lot: a split creates new batches");
      }
    }
    const total = sum(outputs);
    if (total !== input.quantity) {
      throw new EpcisError(
        outPath,
        `outputs add up to ${formatQuantity(total)} ${input.uom} but the input is ${formatQuantity(input.quantity!)} ${input.uom}: a split conserves quantity`,
      );
    }
    if (outputs.length > MAX_SPLIT)
      throw new EpcisError(outPath, `a split makes at most ${MAX_SPLIT} batches, got ${outputs.length}`);
    if (giCertificate !== undefined)
      s.warn(outPath, "zx:giCertificate does not apply to a split (the parts keep the parent's label)");
    return [
      {
        ...base,
        kind: "split",
        batch: quantified(input),
        parts: outputs.map((o) => ({ lotCode: o.lotCode, batchId: o.batchId, quantity: o.quantity! })),
      },
    ];
  }

  const out = outputs[0]!;
  for (const i of inputs) {
    if (i.batchId === out.batchId) {
      throw new EpcisError(at(out.path, "epcClass"), `names the same lot as ${i.path}: the output is a new batch`);
    }
  }
  const total = sum(inputs);
  const isMerge =
    ratio === undefined &&
    inputs.length >= 2 &&
    inputs.every((i) => i.productCode === out.productCode && i.uom === out.uom) &&
    total === out.quantity;
  if (isMerge) {
    if (inputs.length > MAX_INPUTS)
      throw new EpcisError(inPath, `a merge takes at most ${MAX_INPUTS} batches, got ${inputs.length}`);
    if (giCertificate !== undefined) s.warn(outPath, "zx:giCertificate does not apply to a merge (labels carry over)");
    return [
      {
        ...base,
        kind: "merge",
        inputs: inputs.map(quantified),
        productCode: out.productCode,
        lotCode: out.lotCode,
        batchId: out.batchId,
        quantity: out.quantity!,
        uom: out.uom,
      },
    ];
  }

  const uom = inputs[0]!.uom;
  for (const i of inputs.slice(1)) {
    if (i.uom !== uom) {
      throw new EpcisError(
        at(i.path, "uom"),
        `must be ${uom} like ${inputs[0]!.path}: the ledger merges or transforms inputs of one unit`,
        i.uom,
      );
    }
  }
  if (inputs.length > MAX_INPUTS)
    throw new EpcisError(inPath, `a transformation takes at most ${MAX_INPUTS} batches, got ${inputs.length}`);
  const o = out.quantity!;
  let ratioPpm: bigint;
  if (ratio !== undefined) {
    ratioPpm = uint(ratio.value, ratio.path, MAX_RATIO);
    if (ratioPpm === 0n) throw new EpcisError(ratio.path, "must be more than zero");
    const onChain = (total * ratioPpm) / PPM;
    if (onChain !== o) {
      throw new EpcisError(
        ratio.path,
        `gives ${formatQuantity(onChain)} ${out.uom} from ${formatQuantity(total)} ${uom}, but the output is ${formatQuantity(o)} ${out.uom}`,
      );
    }
  } else {
    ratioPpm = (2n * o * PPM + total) / (2n * total);
    // The ratios r with floor(total × r / 1e6) = o are [ceil(o·1e6/total), ceil((o+1)·1e6/total) − 1].
    const lo = (o * PPM + total - 1n) / total;
    const hi = ((o + 1n) * PPM + total - 1n) / total - 1n;
    if (lo <= hi) ratioPpm = ratioPpm < lo ? lo : ratioPpm > hi ? hi : ratioPpm;
    if (ratioPpm < 1n || ratioPpm > MAX_RATIO) {
      throw new EpcisError(
        at(out.path, "quantity"),
        `the conversion ${formatQuantity(o)} ${out.uom} from ${formatQuantity(total)} ${uom} is outside what the ledger records (ratioPpm 1 to ${MAX_RATIO})`,
      );
    }
    const onChain = (total * ratioPpm) / PPM;
    if (onChain !== o) {
      s.warn(
        at(out.path, "quantity"),
        `no ratio in millionths gives exactly ${formatQuantity(o)} ${out.uom}; the ledger will record ${formatQuantity(onChain)} ${out.uom} (ratioPpm ${ratioPpm})`,
      );
    }
    if (onChain === 0n) throw new EpcisError(at(out.path, "quantity"), "would be recorded as zero");
  }
  return [
    {
      ...base,
      kind: "transform",
      inputs: inputs.map(quantified),
      outputProduct: out.productCode,
      outputLot: out.lotCode,
      outputUom: out.uom,
      outputQuantity: o,
      batchId: out.batchId,
      ratioPpm: Number(ratioPpm),
      ...(giCertificate !== undefined ? { giCertificate } : {}),
    },
  ];
}

const SILENT_EVENT_FIELDS = new Set(["type", "@context", "eventID", "recordTime"]);

function parseEvent(ev: unknown, path: string, s: Session, docPrefixes: readonly string[]): ParsedEvent {
  if (!isObject(ev)) throw new EpcisError(path, `must be an EPCIS event object, got ${describe(ev)}`, ev);
  const type = ev.type;
  if (!(EPCIS_EVENT_TYPES as readonly unknown[]).includes(type)) {
    if (type === "AssociationEvent" || type === "TransactionEvent") {
      throw new EpcisError(
        at(path, "type"),
        `${type} is not recorded by the ledger (ObjectEvent, AggregationEvent, TransformationEvent are)`,
        type,
      );
    }
    throw new EpcisError(
      at(path, "type"),
      `must be ObjectEvent, AggregationEvent or TransformationEvent, got ${describe(type)}`,
      type,
    );
  }
  const canonical = canonicalJson(ev, path === "" ? "$" : path);
  const evidenceHash = keccak256(toUtf8Bytes(canonical));
  const r = new Reader(ev, path);
  const zx = new Zx([...docPrefixes, ...zxPrefixes(ev["@context"])]);
  const eventTime = parseEventTime(r, s);
  const location = parseLocation(r, s);
  const f: EventFrame = { r, s, zx, context: { location, eventTime, evidenceHash }, path: path === "" ? "$" : path };

  const recorded: { -readonly [K in keyof RecordedFacts]: RecordedFacts[K] } = {};
  const eh = zxTake(f, "evidenceHash");
  if (eh !== undefined) recorded.evidenceHash = bytes32(eh.value, eh.path);
  const tx = zxTake(f, "txHash");
  if (tx !== undefined) recorded.txHash = bytes32(tx.value, tx.path);
  const actor = zxTake(f, "actor");
  if (actor !== undefined) {
    if (typeof actor.value !== "string" || !isAddress(actor.value)) {
      throw new EpcisError(actor.path, `must be an account address, got ${describe(actor.value)}`);
    }
    recorded.actor = getAddress(actor.value);
  }
  const bn = zxTake(f, "blockNumber");
  if (bn !== undefined) recorded.blockNumber = Number(uint(bn.value, bn.path, BigInt(Number.MAX_SAFE_INTEGER)));

  const actions =
    type === "ObjectEvent"
      ? objectEvent(f)
      : type === "AggregationEvent"
        ? aggregationEvent(f)
        : transformationEvent(f);

  const eventID = r.obj.eventID;
  for (const k of r.rest()) {
    if (SILENT_EVENT_FIELDS.has(k)) continue;
    const p = r.p(k);
    if (k === "ilmd" && isObject(r.obj.ilmd)) {
      const keys = Object.keys(r.obj.ilmd);
      if (keys.length === 0) continue;
      for (const ik of keys) s.warn(at(p, ik), `instance/lot master data is not recorded on chain${KEPT}`);
    } else if (UNSUPPORTED_FIELDS[k] !== undefined) {
      const v = r.obj[k];
      if (Array.isArray(v) && v.length === 0) continue;
      s.warn(p, UNSUPPORTED_FIELDS[k] + KEPT);
    } else if (zx.isZx(k)) {
      s.warn(p, `ledger extension field does not apply to this event${KEPT}`);
    } else if (k.includes(":")) {
      s.warn(p, `extension field is not recorded on chain${KEPT}`);
    } else {
      s.warn(p, `field is not recorded on chain${KEPT}`);
    }
  }
  return {
    path: f.path,
    type: type as EpcisEventType,
    ...(typeof eventID === "string" ? { eventID } : {}),
    evidenceHash,
    canonical,
    actions,
    ...(Object.keys(recorded).length > 0 ? { recorded } : {}),
  };
}

const SILENT_DOCUMENT_FIELDS = new Set([
  "@context",
  "type",
  "schemaVersion",
  "creationDate",
  "epcisBody",
  "id",
  "sender",
  "receiver",
  "instanceIdentifier",
]);

/**
 * Maps an EPCIS 2.0 document (or one event) to ledger actions. Throws `EpcisError` naming the JSON path
 * of the first invalid value; lists what the ledger does not record in `warnings`.
 */
export function parseEpcisDocument(json: unknown, opts: ParseEpcisOptions = {}): ParsedEpcis {
  const s = new Session(opts.strict ?? false);
  if (!isObject(json)) {
    throw new EpcisError(
      "$",
      `must be a JSON object (an EPCISDocument or an EPCIS event), got ${describe(json)}`,
      json,
    );
  }
  const documentHash = keccak256(toUtf8Bytes(canonicalJson(json)));
  const type = json.type;
  const prefixes = zxPrefixes(json["@context"]);
  if (type !== "EPCISDocument" && type !== "EPCISQueryDocument") {
    if (type === undefined) {
      throw new EpcisError(
        "type",
        "is missing: must be EPCISDocument or an event type (ObjectEvent, AggregationEvent, TransformationEvent)",
      );
    }
    if (typeof type !== "string" || !/Event$/.test(type)) {
      throw new EpcisError(
        "type",
        `must be EPCISDocument or an event type (ObjectEvent, AggregationEvent, TransformationEvent), got ${describe(type)}`,
        type,
      );
    }
    const event = parseEvent(json, "", s, []);
    return { kind: "event", documentHash, events: [event], actions: [...event.actions], warnings: s.warnings };
  }

  const r = new Reader(json, "");
  const version = r.take("schemaVersion");
  if (version === undefined) s.warn("schemaVersion", "is missing (EPCIS 2.0 documents state 2.0)");
  else if (String(version) !== "2.0" && !/^2\.0(\.\d+)?$/.test(String(version))) {
    throw new EpcisError("schemaVersion", `must be 2.0 (EPCIS 2.0), got ${describe(version)}`, version);
  }
  const body = r.take("epcisBody");
  if (!isObject(body))
    throw new EpcisError("epcisBody", `must be an object with an eventList, got ${describe(body)}`, body);
  const br = new Reader(body, "epcisBody");
  let listPath: string;
  let list: unknown;
  if (type === "EPCISQueryDocument") {
    const qr = br.take("queryResults");
    const rb = isObject(qr) ? qr.resultsBody : undefined;
    listPath = "epcisBody.queryResults.resultsBody.eventList";
    list = isObject(rb) ? rb.eventList : undefined;
    const known = ["resultsBody", "queryName", "subscriptionID"];
    for (const k of isObject(qr) ? Object.keys(qr) : []) {
      if (!known.includes(k)) s.warn(at("epcisBody.queryResults", k), "is not recorded on chain");
    }
  } else {
    listPath = "epcisBody.eventList";
    list = br.take("eventList");
  }
  if (!Array.isArray(list)) throw new EpcisError(listPath, `must be a list of events, got ${describe(list)}`, list);
  for (const k of br.rest()) s.warn(br.p(k), "is not recorded on chain and not bound by any event's evidence hash");
  for (const k of r.rest()) {
    if (SILENT_DOCUMENT_FIELDS.has(k)) continue;
    s.warn(
      k,
      "document-level field is not recorded on chain and not bound by any event's evidence hash (only documentHash)",
    );
  }
  const events = list.map((ev, i) => parseEvent(ev, at(listPath, i), s, prefixes));
  return { kind: "document", documentHash, events, actions: events.flatMap((e) => e.actions), warnings: s.warnings };
}

// ---------------------------------------------------------------- export

/** A lot as the ledger's logs describe it. */
export interface FactBatch {
  readonly productCode: string;
  readonly lotCode: string;
  /** Thousandths of `uom`. */
  readonly quantity: bigint;
  readonly uom: string;
}

interface FactBase {
  /** GLN-13, 0n or absent when not stated. */
  readonly location?: bigint;
  /** Unix seconds (Context.eventTime; the block time for certificates and recalls). */
  readonly eventTime: bigint | number;
  /** Context.evidenceHash (the report or reason hash for certificates and recalls is in its own field). */
  readonly evidenceHash?: string;
  /** The account that acted (msg.sender of the call). */
  readonly actor?: string;
  readonly txHash?: string;
  readonly blockNumber?: number;
}

/**
 * One fact decoded from TraceLedger logs: BatchCommissioned, BatchObserved, BatchShipped,
 * BatchReceived, BatchSplit (the batch fields describe the parent), BatchesMerged, BatchTransformed,
 * BatchSold, BatchDestroyed, CertificateRecorded and BatchRecalled. The events name batches by id;
 * the caller fills in product, lot, quantity and unit from the lineage (src/trace/history.ts).
 */
export type TraceFact =
  | (FactBase & FactBatch & { kind: "commissioned"; giCertificate?: number })
  | (FactBase & FactBatch & { kind: "observed"; bizStep: BizStep | number })
  | (FactBase & FactBatch & { kind: "shipped"; to?: string; toParty?: string })
  | (FactBase & FactBatch & { kind: "received" })
  | (FactBase & FactBatch & { kind: "split"; children: readonly { lotCode: string; quantity: bigint }[] })
  | (FactBase & { kind: "merged"; inputs: readonly FactBatch[]; output: FactBatch })
  | (FactBase & {
      kind: "transformed";
      inputs: readonly FactBatch[];
      output: FactBatch;
      ratioPpm: number | bigint;
      giCertificate?: number;
    })
  | (FactBase & FactBatch & { kind: "sold" })
  | (FactBase & FactBatch & { kind: "destroyed" })
  | (FactBase & FactBatch & { kind: "certificate"; passed: boolean; validUntil: bigint | number; reportHash: string })
  | (FactBase & FactBatch & { kind: "recall"; recallId?: number; reasonHash: string });

export interface ExportEpcisOptions {
  /** The document's creationDate; now by default. */
  readonly creationDate?: Date;
  /** The offset event times are written in (`eventTimeZoneOffset`); +08:00 by default. */
  readonly timeZoneOffset?: string;
  /**
   * Digits of the GS1 company prefix in a GTIN-14 (after the indicator) or GLN, to write LGTIN and SGLN
   * URIs; 7 by default. A function gets the GTIN-14 or GLN-13.
   */
  readonly companyPrefixLength?: number | ((key: string) => number);
  /** `urn` (LGTIN / SGLN, the default) or `digital-link` (https://id.gs1.org/...). */
  readonly identifiers?: "urn" | "digital-link";
  /** The destination party of a shipment from the receiver's address; `zx` account IRI by default. */
  readonly partyOf?: (address: string) => string;
}

/** Percent-escapes a lot for an EPC URI (TDS: anything outside the safe URN characters). */
function escapeEpc(s: string): string {
  return Array.from(new TextEncoder().encode(s))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9!'()*+,\-.:;=_]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

function prefixLength(opts: ExportEpcisOptions, key: string): number {
  const n =
    typeof opts.companyPrefixLength === "function" ? opts.companyPrefixLength(key) : (opts.companyPrefixLength ?? 7);
  if (!Number.isInteger(n) || n < 6 || n > 12)
    throw new RangeError(`GS1 company prefix length must be 6 to 12, got ${n} for ${key}`);
  return n;
}

/** The class identifier of a lot: LGTIN or Digital Link for a GTIN-14 product code, else a zx IRI. */
export function epcClassOf(productCode: string, lotCode: string, opts: ExportEpcisOptions = {}): string {
  if (/^\d{14}$/.test(productCode) && validGs1(productCode)) {
    if (opts.identifiers === "digital-link") {
      return `https://id.gs1.org/01/${productCode}/10/${encodeURIComponent(lotCode)}`;
    }
    const n = prefixLength(opts, productCode);
    return `urn:epc:class:lgtin:${productCode.slice(1, 1 + n)}.${productCode[0]}${productCode.slice(1 + n, 13)}.${escapeEpc(lotCode)}`;
  }
  return `${ZX_NAMESPACE}class/${encodeURIComponent(productCode)}/${encodeURIComponent(lotCode)}`;
}

/** The location identifier of a GLN: SGLN (extension 0) or Digital Link. */
export function locationIdOf(gln: bigint, opts: ExportEpcisOptions = {}): string {
  const g = gln.toString().padStart(13, "0");
  if (!validGs1(g) || g.length !== 13) throw new RangeError(`location ${gln} is not a GLN-13`);
  if (opts.identifiers === "digital-link") return `https://id.gs1.org/414/${g}`;
  const n = prefixLength(opts, g);
  return `urn:epc:id:sgln:${g.slice(0, n)}.${g.slice(n, 12)}.0`;
}

function isoTime(seconds: bigint | number, offset: string): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (m === null) throw new RangeError(`time zone offset must be +hh:mm or -hh:mm, got ${offset}`);
  const shift = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  const local = new Date(Number(seconds) * 1000 + shift).toISOString();
  return local.slice(0, 19) + offset;
}

function quantityNumber(q: bigint): number {
  if (q <= 0n || q > MAX_QUANTITY) throw new RangeError(`quantity ${q} is not a ledger quantity`);
  const n = Number(formatQuantity(q));
  if (n * 1000 > Number.MAX_SAFE_INTEGER)
    throw new RangeError(`quantity ${formatQuantity(q)} is too large to write exactly as a JSON number`);
  return n;
}

/**
 * An EPCISDocument of the ledger's facts: ObjectEvents and TransformationEvents with LGTIN (or Digital
 * Link) classes, CBV bizStep and disposition names, SGLN business locations and decimal quantities; what
 * the ledger recorded (evidence hash, transaction, actor, block) rides in `zx:` fields. Event mapping:
 * commissioned ADD/commissioning/active; observed OBSERVE/<step>/active; shipped OBSERVE/shipping/
 * in_transit with a possessing_party destination; received OBSERVE/receiving/active; sold OBSERVE/
 * retail_selling/retail_sold; destroyed DELETE/destroying/destroyed; certificate OBSERVE/inspecting/
 * conformant or non_conformant with `zx:certificate`; recall OBSERVE/holding/recalled with `zx:recall`;
 * split and merged TransformationEvents with bizStep repackaging; transformed a TransformationEvent with
 * bizStep commissioning (its output is a new lot) and `zx:ratioPpm`.
 */
export function exportEpcis(history: readonly TraceFact[], opts: ExportEpcisOptions = {}): JsonObject {
  const offset = opts.timeZoneOffset ?? "+08:00";
  const entry = (b: FactBatch) => ({
    epcClass: epcClassOf(b.productCode, b.lotCode, opts),
    quantity: quantityNumber(b.quantity),
    uom: b.uom,
  });
  const zx = (k: string) => `${ZX_PREFIX}:${k}`;
  const party = (a: string) => opts.partyOf?.(a) ?? `${ZX_NAMESPACE}account/${getAddress(a)}`;

  const eventList = history.map((f) => {
    const head: JsonObject = { eventTime: isoTime(f.eventTime, offset), eventTimeZoneOffset: offset };
    const where: JsonObject =
      f.location !== undefined && f.location !== 0n ? { bizLocation: { id: locationIdOf(f.location, opts) } } : {};
    const tail: JsonObject = {};
    if (f.evidenceHash !== undefined) tail[zx("evidenceHash")] = f.evidenceHash;
    if (f.txHash !== undefined) tail[zx("txHash")] = f.txHash;
    if (f.actor !== undefined) tail[zx("actor")] = getAddress(f.actor);
    if (f.blockNumber !== undefined) tail[zx("blockNumber")] = f.blockNumber;
    const object = (action: string, bizStep: string, disposition: string, b: FactBatch, extra: JsonObject = {}) => ({
      type: "ObjectEvent",
      ...head,
      action,
      bizStep,
      disposition,
      quantityList: [entry(b)],
      ...where,
      ...extra,
      ...tail,
    });
    const transformation = (
      bizStep: string,
      inputs: readonly FactBatch[],
      outputs: readonly FactBatch[],
      extra: JsonObject = {},
    ) => ({
      type: "TransformationEvent",
      ...head,
      inputQuantityList: inputs.map(entry),
      outputQuantityList: outputs.map(entry),
      bizStep,
      disposition: "active",
      ...where,
      ...extra,
      ...tail,
    });
    switch (f.kind) {
      case "commissioned":
        return object(
          "ADD",
          "commissioning",
          "active",
          f,
          f.giCertificate ? { [zx("giCertificate")]: f.giCertificate } : {},
        );
      case "observed": {
        const step = typeof f.bizStep === "number" ? bizStepName(f.bizStep) : f.bizStep;
        return object("OBSERVE", step, "active", f);
      }
      case "shipped": {
        const to = f.toParty ?? (f.to !== undefined ? party(f.to) : undefined);
        const dest = to !== undefined ? { destinationList: [{ type: "possessing_party", destination: to }] } : {};
        return object("OBSERVE", "shipping", "in_transit", f, dest);
      }
      case "received":
        return object("OBSERVE", "receiving", "active", f);
      case "sold":
        return object("OBSERVE", "retail_selling", "retail_sold", f);
      case "destroyed":
        return object("DELETE", "destroying", "destroyed", f);
      case "certificate":
        return object("OBSERVE", "inspecting", f.passed ? "conformant" : "non_conformant", f, {
          [zx("certificate")]: { passed: f.passed, validUntil: Number(f.validUntil), reportHash: f.reportHash },
        });
      case "recall":
        return object("OBSERVE", "holding", "recalled", f, {
          [zx("recall")]: { ...(f.recallId !== undefined ? { recallId: f.recallId } : {}), reasonHash: f.reasonHash },
        });
      case "split":
        return transformation(
          "repackaging",
          [f],
          f.children.map((c) => ({ productCode: f.productCode, lotCode: c.lotCode, quantity: c.quantity, uom: f.uom })),
        );
      case "merged":
        return transformation("repackaging", f.inputs, [f.output]);
      case "transformed":
        return transformation("commissioning", f.inputs, [f.output], {
          [zx("ratioPpm")]: Number(f.ratioPpm),
          ...(f.giCertificate ? { [zx("giCertificate")]: f.giCertificate } : {}),
        });
    }
  });

  return {
    "@context": [EPCIS_CONTEXT, { [ZX_PREFIX]: ZX_NAMESPACE }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: (opts.creationDate ?? new Date()).toISOString(),
    epcisBody: { eventList },
  };
}
