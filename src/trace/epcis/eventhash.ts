/**
 * GS1's event hash ID (CBV 2.0 §8.9): a syntax-independent identity of an EPCIS event, used as the
 * `eventID` of an event that has none, and as the idempotency key of imports.
 *
 * The pre-hash string is, with no separators: `eventType=<type>`, then the event's fields in the
 * canonical property order (eventTime as UTC with milliseconds, eventTimeZoneOffset, epcList, parentID,
 * inputEPCList, childEPCs, quantityList, childQuantityList, inputQuantityList, outputEPCList,
 * outputQuantityList, action, transformationID, bizStep, disposition, persistentDisposition, readPoint,
 * bizLocation, bizTransactionList, sourceList, destinationList, sensorElementList), then ilmd and every
 * user extension with its key expanded to `{namespace}localName`. Repeated values are sorted lexically;
 * CBV values become their web URIs (`https://ref.gs1.org/cbv/BizStep-shipping`), EPC URNs their canonical
 * GS1 Digital Link (`https://id.gs1.org/01/<GTIN-14>/21/<serial>`), numbers lose trailing zeros. Not
 * hashed: eventID, recordTime, errorDeclaration, certificationInfo, comments. The ID is
 * `ni:///sha-256;<hex>?ver=CBV2.0` (RFC 6920). The published vector of GS1's reference implementation
 * (RalphTro/epcis-event-hash-generator, epcisDocWithSingleEvent) is a test (test/trace/epcis-eventid.ts).
 */
import { createHash } from "node:crypto";

import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";

import { gs1CheckDigit } from "../vocabulary.js";
import type { ChainContext } from "./types.js";

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const CBV_WEB: Readonly<Record<string, string>> = {
  bizStep: "BizStep",
  disposition: "Disp",
  set: "Disp",
  unset: "Disp",
  bizTransactionType: "BTT",
  sdt: "SDT",
  reason: "ER",
};
const URN_KIND: Readonly<Record<string, string>> = {
  bizstep: "BizStep",
  disp: "Disp",
  btt: "BTT",
  sdt: "SDT",
  er: "ER",
};

/** A CBV value (bare name, URN or web URI) as its CBV 2.0 web URI; other values unchanged. */
function cbvValue(v: string, web?: string): string {
  const urn = /^urn:epcglobal:cbv:(bizstep|disp|btt|sdt|er):(.+)$/.exec(v);
  if (urn !== null) return `https://ref.gs1.org/cbv/${URN_KIND[urn[1]!]}-${urn[2]}`;
  const old = /^https?:\/\/(?:ns\.gs1\.org\/voc|ref\.gs1\.org\/cbv)\/(Bizstep|BizStep|Disp|BTT|SDT|ER)-(.+)$/.exec(v);
  if (old !== null) return `https://ref.gs1.org/cbv/${old[1] === "Bizstep" ? "BizStep" : old[1]}-${old[2]}`;
  if (web !== undefined && /^[a-z_]+$/.test(v)) return `https://ref.gs1.org/cbv/${web}-${v}`;
  return v;
}

function key14(prefix: string, ref: string): string {
  const body = ref[0]! + prefix + ref.slice(1);
  return body + gs1CheckDigit(body);
}

/** An EPC URI or GS1 Digital Link as the canonical Digital Link on id.gs1.org; other URIs unchanged. */
export function canonicalDigitalLink(uri: string): string {
  const v = uri.trim();
  let m: RegExpExecArray | null;
  if ((m = /^urn:epc:id:sgtin:(\d+)\.(\d+)\.(.+)$/.exec(v)) !== null) {
    return `https://id.gs1.org/01/${key14(m[1]!, m[2]!)}/21/${m[3]}`;
  }
  if ((m = /^urn:epc:class:lgtin:(\d+)\.(\d+)\.(.+)$/.exec(v)) !== null) {
    return `https://id.gs1.org/01/${key14(m[1]!, m[2]!)}/10/${m[3]}`;
  }
  if ((m = /^urn:epc:idpat:sgtin:(\d+)\.(\d+)\.\*$/.exec(v)) !== null) {
    return `https://id.gs1.org/01/${key14(m[1]!, m[2]!)}`;
  }
  if ((m = /^urn:epc:id:sscc:(\d+)\.(\d+)$/.exec(v)) !== null) {
    return `https://id.gs1.org/00/${key14(m[1]!, m[2]!)}`;
  }
  if ((m = /^urn:epc:id:sgln:(\d+)\.(\d*)\.(.+)$/.exec(v)) !== null) {
    const gln = m[1]! + m[2]! + gs1CheckDigit(m[1]! + m[2]!);
    return `https://id.gs1.org/414/${gln}${m[3] === "0" ? "" : `/254/${m[3]}`}`;
  }
  if ((m = /^urn:epc:id:pgln:(\d+)\.(\d*)$/.exec(v)) !== null) {
    return `https://id.gs1.org/417/${m[1]! + m[2]! + gs1CheckDigit(m[1]! + m[2]!)}`;
  }
  if ((m = /^urn:epc:id:(grai|gdti):(\d+)\.(\d*)\.(.*)$/.exec(v)) !== null) {
    const ai = m[1] === "grai" ? "8003" : "253";
    const body = m[2]! + m[3]!;
    return `https://id.gs1.org/${ai}/${m[1] === "grai" ? "0" : ""}${body}${gs1CheckDigit(body)}${m[4]}`;
  }
  if (
    (m = /^https?:\/\/[^/]+(?:\/[^/]*)*?\/(01|00|414|417|253|8003|8004|8006|8010|8017|8018)\/([^?#]+)/.exec(v)) !== null
  ) {
    const segs = `${m[1]}/${m[2]}`.split("/");
    if (segs[0] === "01" && /^\d{8,13}$/.test(segs[1]!)) segs[1] = segs[1]!.padStart(14, "0");
    return `https://id.gs1.org/${segs.join("/")}`;
  }
  return v;
}

function numeric(v: string): string {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return v;
  const n = Number(v);
  return Number.isFinite(n) ? String(n) : v;
}

function canonValue(v: unknown, web?: string): string {
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return String(v);
  const s = String(v).trim();
  const c = cbvValue(s, web);
  if (c !== s) return c;
  const n = numeric(s);
  if (n !== s) return n;
  return canonicalDigitalLink(s);
}

/** ISO 8601 time → UTC with milliseconds (truncated), as the reference implementation writes it. */
function utcMillis(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(t.trim());
  if (m === null) return t.trim();
  const ms = Date.parse(`${m[1]}.${(m[2] ?? "").padEnd(3, "0").slice(0, 3)}${m[3] ?? "Z"}`);
  return Number.isNaN(ms) ? t.trim() : new Date(ms).toISOString();
}

const join = (parts: string[]) => parts.sort().join("");

function kv(name: string, v: unknown, web?: string): string {
  if (v === undefined || v === null || v === "") return "";
  return `${name}=${canonValue(v, web)}`;
}

function epcs(name: string, list: unknown): string {
  if (!Array.isArray(list) || list.length === 0) return "";
  return name + join(list.map((e) => `epc=${canonValue(e)}`));
}

function quantities(name: string, list: unknown): string {
  if (!Array.isArray(list) || list.length === 0) return "";
  return (
    name +
    join(
      list
        .filter(isObj)
        .map((q) => `quantityElement${kv("epcClass", q.epcClass)}${kv("quantity", q.quantity)}${kv("uom", q.uom)}`),
    )
  );
}

function typed(name: string, valueKey: string, web: string, list: unknown): string {
  if (!Array.isArray(list) || list.length === 0) return "";
  return name + join(list.filter(isObj).map((x) => `${kv(valueKey, x[valueKey])}${kv("type", x.type, web)}`));
}

const SENSOR_METADATA = [
  "time",
  "startTime",
  "endTime",
  "deviceID",
  "deviceMetadata",
  "rawData",
  "dataProcessingMethod",
  "bizRules",
];
const SENSOR_REPORT = [
  "type",
  "exception",
  "deviceID",
  "deviceMetadata",
  "rawData",
  "dataProcessingMethod",
  "time",
  "microorganism",
  "chemicalSubstance",
  "value",
  "component",
  "stringValue",
  "booleanValue",
  "hexBinaryValue",
  "uriValue",
  "minValue",
  "maxValue",
  "meanValue",
  "sDev",
  "percRank",
  "percValue",
  "uom",
  "coordinateReferenceSystem",
];

function ordered(obj: Json, order: readonly string[], ns: Namespaces): string {
  let out = "";
  for (const k of order) {
    if (obj[k] === undefined) continue;
    out += /time$/i.test(k) ? kv(k, utcMillis(String(obj[k]))) : kv(k, obj[k], k === "type" ? "Sensor" : undefined);
  }
  const rest = Object.keys(obj).filter((k) => !order.includes(k) && !k.startsWith("@"));
  return out + join(rest.map((k) => generic(ns.expand(k), obj[k], ns)));
}

function sensors(list: unknown, ns: Namespaces): string {
  if (!Array.isArray(list) || list.length === 0) return "";
  return (
    "sensorElementList" +
    join(
      list.filter(isObj).map((el) => {
        const meta = isObj(el.sensorMetadata) ? `sensorMetadata${ordered(el.sensorMetadata, SENSOR_METADATA, ns)}` : "";
        const reports = Array.isArray(el.sensorReport)
          ? join(el.sensorReport.filter(isObj).map((r) => `sensorReport${ordered(r, SENSOR_REPORT, ns)}`))
          : "";
        const rest = Object.keys(el).filter(
          (k) => k !== "sensorMetadata" && k !== "sensorReport" && !k.startsWith("@"),
        );
        return `sensorElement${meta}${reports}${join(rest.map((k) => generic(ns.expand(k), el[k], ns)))}`;
      }),
    )
  );
}

/** A field outside the property order: `key=value`, or the key followed by its sorted children. */
function generic(key: string, v: unknown, ns: Namespaces): string {
  if (Array.isArray(v)) return join(v.map((x) => generic(key, x, ns)));
  if (isObj(v)) {
    if (v["#text"] !== undefined) return kv(key, v["#text"]);
    const keys = Object.keys(v).filter((k) => !k.startsWith("@"));
    return key + join(keys.map((k) => generic(ns.expand(k), v[k], ns)));
  }
  return v === null || v === undefined || v === "" ? key : kv(key, v);
}

/** Prefixes bound by `@context` (document and event), to expand `prefix:name` keys. */
class Namespaces {
  private readonly map = new Map<string, string>();
  add(context: unknown): void {
    for (const c of Array.isArray(context) ? context : [context]) {
      if (!isObj(c)) continue;
      for (const [k, v] of Object.entries(c)) {
        const iri = isObj(v) ? v["@id"] : v;
        if (typeof iri === "string" && !k.startsWith("@")) this.map.set(k, iri);
      }
    }
  }
  expand(key: string): string {
    const i = key.indexOf(":");
    if (i <= 0) return key;
    const ns = this.map.get(key.slice(0, i));
    if (ns === undefined) return key;
    return `{${ns.replace(/[/#]$/, "")}}${key.slice(i + 1)}`;
  }
}

const ORDERED = new Set([
  "type",
  "eventTime",
  "eventTimeZoneOffset",
  "epcList",
  "parentID",
  "inputEPCList",
  "childEPCs",
  "quantityList",
  "childQuantityList",
  "inputQuantityList",
  "outputEPCList",
  "outputQuantityList",
  "action",
  "transformationID",
  "bizStep",
  "disposition",
  "persistentDisposition",
  "readPoint",
  "bizLocation",
  "bizTransactionList",
  "sourceList",
  "destinationList",
  "sensorElementList",
]);
const IGNORED = new Set(["eventID", "recordTime", "errorDeclaration", "certificationInfo", "rdfs:comment", "comment"]);

/** The pre-hash string of an EPCIS 2.0 JSON(-LD) event; `documentContext` is the document's `@context`. */
export function eventPreHash(event: Json, documentContext?: unknown): string {
  const ns = new Namespaces();
  ns.add(documentContext);
  ns.add(event["@context"]);
  const e = event;
  let out = `eventType=${String(e.type)}`;
  if (e.eventTime !== undefined) out += `eventTime=${utcMillis(String(e.eventTime))}`;
  out += kv("eventTimeZoneOffset", e.eventTimeZoneOffset);
  out += epcs("epcList", e.epcList);
  out += kv("parentID", e.parentID);
  out += epcs("inputEPCList", e.inputEPCList);
  out += epcs("childEPCs", e.childEPCs);
  out += quantities("quantityList", e.quantityList);
  out += quantities("childQuantityList", e.childQuantityList);
  out += quantities("inputQuantityList", e.inputQuantityList);
  out += epcs("outputEPCList", e.outputEPCList);
  out += quantities("outputQuantityList", e.outputQuantityList);
  out += kv("action", e.action);
  out += kv("transformationID", e.transformationID);
  out += kv("bizStep", e.bizStep, CBV_WEB.bizStep);
  out += kv("disposition", e.disposition, CBV_WEB.disposition);
  if (isObj(e.persistentDisposition)) {
    const pd = e.persistentDisposition;
    const list = (k: "set" | "unset") =>
      join((Array.isArray(pd[k]) ? pd[k] : pd[k] !== undefined ? [pd[k]] : []).map((x) => kv(k, x, "Disp")));
    const body = list("set") + list("unset");
    if (body !== "") out += `persistentDisposition${body}`;
  }
  if (isObj(e.readPoint) && e.readPoint.id !== undefined) out += `readPoint${kv("id", e.readPoint.id)}`;
  if (isObj(e.bizLocation) && e.bizLocation.id !== undefined) out += `bizLocation${kv("id", e.bizLocation.id)}`;
  out += typed("bizTransactionList", "bizTransaction", CBV_WEB.bizTransactionType!, e.bizTransactionList);
  out += typed("sourceList", "source", CBV_WEB.sdt!, e.sourceList);
  out += typed("destinationList", "destination", CBV_WEB.sdt!, e.destinationList);
  out += sensors(e.sensorElementList, ns);
  const rest = Object.keys(e).filter((k) => !ORDERED.has(k) && !IGNORED.has(k) && !k.startsWith("@"));
  out += join(rest.map((k) => generic(ns.expand(k), e[k], ns)));
  return out;
}

/** `ni:///sha-256;<hex>?ver=CBV2.0` of an event (CBV 2.0 §8.9). */
export function eventHashId(event: Json, documentContext?: unknown): string {
  const hex = createHash("sha256").update(eventPreHash(event, documentContext), "utf8").digest("hex");
  return `ni:///sha-256;${hex}?ver=CBV2.0`;
}

/**
 * The 32-byte key the ledger keeps for an eventID: keccak256 of the UTF-8 eventID (an event hash ID, a
 * urn:uuid, a URL...), the same id TraceLedger's `Context.eventId` takes for an event's first action.
 */
export function eventKeyOf(eventID: string): string {
  return keccak256(toUtf8Bytes(eventID.trim()));
}

/**
 * The chain ids of one event's actions (`Context.eventId`, recorded once by TraceLedger): the event's key
 * ({@link eventKeyOf}) for the first, keccak256(abi.encode(key, index)) for the others (an event naming two lots
 * is two ledger calls, each recorded once).
 */
export function eventIdsFor<A extends { readonly context: ChainContext }>(
  eventKey: string,
  actions: readonly A[],
): A[] {
  return actions.map((a, i) => ({
    ...a,
    context: {
      ...a.context,
      eventId: i === 0 ? eventKey : keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [eventKey, i])),
    },
  }));
}
