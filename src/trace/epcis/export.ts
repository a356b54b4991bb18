/** The ledger's facts (from its logs) as an EPCIS 2.0 document (see ./import.ts for the mapping). */
import { getAddress } from "ethers";

import { LedgerError } from "../../errors.js";
import type { BatchHistory } from "../history.js";

import { type BizStep, bizStepName, formatQuantity } from "../vocabulary.js";
import { epcClassOf, locationIdOf } from "./identifiers.js";
import type { JsonObject } from "./read.js";
import { eventHashId } from "./eventhash.js";
import {
  EPCIS_CONTEXT_VERSIONED,
  MAX_QUANTITY,
  ZX_CONTEXT_FILE,
  ZX_NAMESPACE,
  ZX_PREFIX,
  epcisNamespace,
} from "./types.js";

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
  /** The party identifier of an account (its PGLN, see {@link pglnParty}); the namespace's account IRI by default. */
  readonly partyOf?: (address: string) => string | undefined;
  /** The namespace of the ledger's extension fields ({@link epcisNamespace} by default). */
  readonly namespace?: string;
}

/** A `partyOf` giving `urn:epc:id:pgln:` of an account's GLN from a directory (GLN-13 → account), when registered. */
export function pglnParty(
  directory: ReadonlyMap<string, string>,
  opts: Pick<ExportEpcisOptions, "companyPrefixLength" | "identifiers"> = {},
): (address: string) => string | undefined {
  const byAccount = new Map([...directory.entries()].map(([gln, account]) => [account.toLowerCase(), gln]));
  return (address) => {
    const gln = byAccount.get(address.toLowerCase());
    if (gln === undefined) return undefined;
    return locationIdOf(BigInt(gln), opts)
      .replace(/^urn:epc:id:sgln:(\d+)\.(\d*)\.0$/, "urn:epc:id:pgln:$1.$2")
      .replace("/414/", "/417/");
  };
}

/** The JSON-LD context document of the namespace `ns` (served by the explorer at `<ns>context.jsonld`). */
export function namespaceContext(ns: string): JsonObject {
  const xsd = "http://www.w3.org/2001/XMLSchema#";
  const term = (name: string, type?: string) => ({
    "@id": `${ns}${name}`,
    ...(type !== undefined ? { "@type": type } : {}),
  });
  return {
    "@context": {
      "@version": 1.1,
      [ZX_PREFIX]: ns,
      [`${ZX_PREFIX}:evidenceHash`]: term("evidenceHash"),
      [`${ZX_PREFIX}:txHash`]: term("txHash"),
      [`${ZX_PREFIX}:actor`]: term("actor"),
      [`${ZX_PREFIX}:blockNumber`]: term("blockNumber", `${xsd}integer`),
      [`${ZX_PREFIX}:ratioPpm`]: term("ratioPpm", `${xsd}integer`),
      [`${ZX_PREFIX}:giCertificate`]: term("giCertificate", `${xsd}integer`),
      [`${ZX_PREFIX}:certificate`]: {
        "@id": `${ns}certificate`,
        "@context": {
          passed: term("passed", `${xsd}boolean`),
          validUntil: term("validUntil", `${xsd}integer`),
          reportHash: term("reportHash"),
        },
      },
      [`${ZX_PREFIX}:recall`]: {
        "@id": `${ns}recall`,
        "@context": { recallId: term("recallId", `${xsd}integer`), reasonHash: term("reasonHash") },
      },
    },
  };
}

/** Percent-escapes a lot for an EPC URI (TDS: anything outside the safe URN characters). */
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
  const ns = opts.namespace ?? epcisNamespace() ?? ZX_NAMESPACE;
  const party = (a: string) => opts.partyOf?.(a) ?? `${ns}account/${getAddress(a)}`;
  const context = [EPCIS_CONTEXT_VERSIONED, `${ns}${ZX_CONTEXT_FILE}`];

  const eventList = history.map((f) => {
    const head: JsonObject = { eventTime: isoTime(f.eventTime, offset), eventTimeZoneOffset: offset };
    const where: JsonObject =
      f.location !== undefined && f.location !== 0n ? { bizLocation: { id: locationIdOf(f.location, opts) } } : {};
    if (f.kind === "shipped" && f.actor !== undefined) {
      const from = opts.partyOf?.(f.actor);
      if (from !== undefined) where.sourceList = [{ type: "possessing_party", source: from }];
    }
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

  // Every event gets an eventID: its GS1 event hash ID (the hash leaves eventID out, so an import agrees).
  const withIds = eventList.map((e) => ({ eventID: eventHashId(e, context), ...e }));
  return {
    "@context": context,
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: (opts.creationDate ?? new Date()).toISOString(),
    epcisBody: { eventList: withIds },
  };
}

/**
 * The ledger's facts about a batch's lineage, for the EPCIS export. Certificates and recalls carry no
 * business time: their event time is their block's (`blockTimes`, block number → unix seconds).
 */
export function factsOf(h: BatchHistory, blockTimes: ReadonlyMap<number, number> = new Map()): TraceFact[] {
  const byId = new Map(h.lineage.map((l) => [l.batchId, l]));
  const batchOf = (id: string) => {
    const l = byId.get(id.toLowerCase());
    if (l === undefined) throw new LedgerError(`batch ${id} is not in the lineage`);
    return { productCode: l.productCode, lotCode: l.lotCode, quantity: l.quantity, uom: l.uom };
  };
  // What each batch holds as its steps go by: an event that states no quantity is about all of it then, one
  // that sells, destroys or ships off a part leaves the rest (the chain's own accounting, flowsOf).
  const held = new Map<string, bigint>();
  const atStep = (st: BatchHistory["steps"][number]): FactBatch => {
    const lot = batchOf(st.batchId);
    const id = st.batchId.toLowerCase();
    const now = held.get(id) ?? lot.quantity;
    const stated = st.quantity !== undefined ? BigInt(st.quantity) : undefined;
    if (stated !== undefined && ["retail_selling", "destroying", "shipping"].includes(st.kind) && stated < now)
      held.set(id, now - stated);
    return { ...lot, quantity: stated ?? now, uom: st.uom ?? lot.uom };
  };
  const facts: TraceFact[] = [];
  for (const st of h.steps) {
    const blockTime = blockTimes.get(st.blockNumber);
    if (st.eventTime === 0n && blockTime === undefined && (st.kind === "certificate" || st.kind === "recall")) {
      throw new LedgerError(`the ${st.kind} in block ${st.blockNumber} has no event time: give its block time`);
    }
    const base = {
      location: st.location,
      eventTime: st.eventTime === 0n && blockTime !== undefined ? BigInt(blockTime) : st.eventTime,
      evidenceHash: st.evidenceHash,
      actor: st.org,
      txHash: st.txHash,
      blockNumber: st.blockNumber,
    };
    const b = atStep(st);
    switch (st.kind) {
      case "commissioning":
        facts.push({ ...base, ...b, kind: "commissioned", giCertificate: Number(st.detail.giCertificate ?? 0) });
        break;
      case "shipping":
        facts.push({ ...base, ...b, kind: "shipped", to: st.counterparty ?? "" });
        break;
      case "receiving":
        facts.push({ ...base, ...b, kind: "received" });
        break;
      case "retail_selling":
        facts.push({ ...base, ...b, kind: "sold" });
        break;
      case "destroying":
        facts.push({ ...base, ...b, kind: "destroyed" });
        break;
      case "certificate":
        facts.push({
          ...base,
          ...b,
          kind: "certificate",
          passed: st.detail.passed === true,
          validUntil: BigInt(String(st.detail.validUntil)),
          reportHash: String(st.detail.reportHash),
        });
        break;
      case "recall":
        facts.push({
          ...base,
          ...b,
          kind: "recall",
          recallId: Number(st.detail.recallId),
          reasonHash: String(st.detail.reasonHash),
        });
        break;
      case "transforming": {
        if (st.detail.operation === "split") {
          const lots = st.detail.lotCodes as string[];
          const qs = st.detail.quantities as string[];
          facts.push({
            ...base,
            ...b,
            kind: "split",
            children: lots.map((lotCode, i) => ({ lotCode, quantity: BigInt(qs[i]!) })),
          });
        } else {
          const inputs = (st.detail.inputs as string[]).map(batchOf);
          if (st.detail.operation === "merge") facts.push({ ...base, kind: "merged", inputs, output: b });
          else
            facts.push({
              ...base,
              kind: "transformed",
              inputs,
              output: b,
              ratioPpm: Number(st.detail.ratioPpm),
              giCertificate: Number(st.detail.giCertificate ?? 0),
            });
        }
        break;
      }
      case "shipment_cancelled":
      case "recall_acknowledged":
        break; // no EPCIS event: the ledger's own records
      default:
        facts.push({ ...base, ...b, kind: "observed", bizStep: st.kind });
    }
  }
  return facts;
}
