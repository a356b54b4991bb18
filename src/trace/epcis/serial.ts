/**
 * EPCIS 2.0 events about serialised items and logistic units, mapped to TraceUnits calls
 * (contracts/interfaces/ITraceUnits.sol); the lot-level events stay with import.ts.
 *
 * Which events are mapped here ("unit events"): every AssociationEvent and TransactionEvent; an
 * AggregationEvent whose `parentID` is an SSCC; an ObjectEvent whose `epcList` names SGTINs or SSCCs. Other
 * events return `undefined` and import.ts maps them as before.
 *
 * Identifiers:
 * - `urn:epc:id:sgtin:<companyPrefix>.<indicator+itemRef>.<serial>` and Digital Link `.../01/<GTIN>/21/<serial>`
 *   → an item of product GTIN-14 with that serial (`TraceUnits.itemId`);
 * - `urn:epc:id:sscc:<companyPrefix>.<extension+serialRef>` and Digital Link `.../00/<SSCC>` → a container,
 *   `containerId(assigner, sscc)`, the assigner found on chain when the call is recorded (serial-record.ts);
 * - `urn:epc:idpat:...` (a pattern, class-level) is refused: it names neither instances nor a lot;
 * - other EPCs (GRAI crates, GIAI sensors and assets, SGLN) are associated as keccak256 of the URI: asset
 *   identifiers of companies, not personal data. A GSRN (a service relation, which may be a person) or other
 *   EPCs in a TransactionEvent's epcList are not written at all: only the evidence hash binds them.
 *
 * Mapping:
 * - ObjectEvent ADD commissioning → `commissionItems`, one call per product (and lot, from `ilmd`-free
 *   `quantityList`-free events: no lot); OBSERVE shipping → `shipUnit` per unit (receiver: destinationList's
 *   possessing_party, else owning_party); OBSERVE receiving → `acceptUnit` per unit; OBSERVE with an
 *   observation step → `observeUnits`. Other steps (selling, destroying) and DELETE are refused: the contract
 *   does not retire serialised items.
 * - AggregationEvent with an SSCC parent: ADD → `pack` (children: items, SSCCs, and `childQuantityList` lots
 *   as batch ids); DELETE → `unpack` (the children must be listed); OBSERVE shipping / receiving → ship or
 *   accept the container, another observation step → observe it.
 * - AssociationEvent ADD / DELETE → `association` (parent, children incl. `childQuantityList` lots as batch
 *   ids); OBSERVE is refused (it changes no association).
 * - TransactionEvent (ADD, DELETE; OBSERVE read as ADD) and any unit event's `bizTransactionList` →
 *   `transaction`: each business transaction as keccak256(evidenceHash ‖ "<type> <id>"), salted with the
 *   event's evidence hash so that a document number is never guessable from the chain; the units, and the
 *   lots of its `quantityList` as batch ids.
 * - An event with an `errorDeclaration` → `correctUnits`: the recorder declares the event it repeats (same
 *   eventID) in error with TraceUnits' `correctEvent`, naming the corrective events; never recorded as the event
 *   it retracts.
 *
 * `eventId`: the chain id of each action, as for lot events (`eventIdsFor` in ./eventhash.ts): the event's key
 * (keccak256 of its `eventID`, GS1's event hash ID when it has none) for the first action, keccak256(abi.encode(key,
 * index)) for the others; TraceUnits records it once per organisation (`Context.eventId`).
 */
import { keccak256, solidityPackedKeccak256, toUtf8Bytes } from "ethers";

import { BIZ_STEPS, type BizStep, OBSERVATION_STEPS, batchIdOf, gs1CheckDigit, validGs1 } from "../vocabulary.js";
import { eventIdsFor } from "./eventhash.js";
import { parseEpcClass } from "./identifiers.js";
import {
  type JsonObject,
  KEPT,
  Reader,
  Session,
  at,
  bareVocab,
  canonicalJson,
  describe,
  isObject,
  ledgerStep,
  parseEventTime,
  parseLocation,
  readErrorDeclaration,
  receiverOf,
  str,
  takeAction,
} from "./read.js";
import { type ChainContext, EpcisError } from "./types.js";

/** A serialised item or a container an event names. */
export type UnitRef =
  | { readonly kind: "item"; readonly epc: string; readonly gtin: string; readonly serial: string }
  | { readonly kind: "container"; readonly epc: string; readonly sscc: bigint };

/** An association's parent or child: a unit on chain, a batch, or another EPC (its hash). */
export type AssociationKey =
  | { readonly kind: "unit"; readonly unit: UnitRef }
  | { readonly kind: "batch"; readonly batchId: string; readonly epc: string }
  | { readonly kind: "other"; readonly epc: string; readonly hash: string };

interface UnitActionBase {
  /** JSON path of the event. */
  readonly path: string;
  readonly context: ChainContext;
  /** The EPCIS eventID as bytes32 (see the module comment). */
  readonly eventId: string;
}

/** A TraceUnits call an EPCIS event stands for. */
export type UnitAction =
  | (UnitActionBase & { kind: "commissionItems"; gtin: string; serials: string[] })
  /** `lotEpcs`: the class-level identifiers the `batches` come from, in order. */
  | (UnitActionBase & { kind: "pack"; sscc: bigint; units: UnitRef[]; batches: string[]; lotEpcs: string[] })
  | (UnitActionBase & { kind: "unpack"; sscc: bigint; units: UnitRef[]; batches: string[] })
  | (UnitActionBase & { kind: "observeUnits"; units: UnitRef[]; bizStep: BizStep })
  /** `to`: the receiving party as the document names it (destinationList), for the caller to resolve. */
  | (UnitActionBase & { kind: "shipUnit"; unit: UnitRef; to?: string })
  | (UnitActionBase & { kind: "acceptUnit"; unit: UnitRef })
  | (UnitActionBase & {
      kind: "association";
      parent: AssociationKey;
      children: AssociationKey[];
      add: boolean;
    })
  | (UnitActionBase & {
      kind: "transaction";
      add: boolean;
      transactions: string[];
      units: UnitRef[];
      batches: string[];
      lotEpcs: string[];
    })
  /** An errorDeclaration: the recorder declares the event it repeats in error (`declaredIds`: its actions' ids). */
  | (UnitActionBase & {
      kind: "correctUnits";
      declaredIds: string[];
      reason?: string;
      correctiveEventIDs: string[];
    });

export type UnitActionKind = UnitAction["kind"];

/** What parseUnitEvent found in one event. */
export interface ParsedUnitEvent {
  readonly path: string;
  readonly type: "ObjectEvent" | "AggregationEvent" | "AssociationEvent" | "TransactionEvent";
  readonly eventID?: string;
  readonly evidenceHash: string;
  readonly canonical: string;
  readonly unitActions: UnitAction[];
}

// ---------------------------------------------------------------- identifiers

function decodePct(s: string, path: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new EpcisError(path, `has a malformed percent escape in ${JSON.stringify(s)}`, s);
  }
}

function serialOf(raw: string, path: string, epc: string): string {
  const serial = decodePct(raw, path);
  if (!/^[\x21-\x7e]{1,20}$/.test(serial)) {
    throw new EpcisError(
      path,
      `serial ${JSON.stringify(serial)} must be 1 to 20 printable characters (GS1 AI 21)`,
      epc,
    );
  }
  return serial;
}

/** An instance-level EPC → an item or a container; `undefined` for other EPCs; throws for patterns. */
export function parseInstanceEpc(uri: string, path: string): UnitRef | undefined {
  const v = uri.trim();
  if (v.startsWith("urn:epc:idpat:")) {
    throw new EpcisError(
      path,
      "is a class-level pattern (idpat): it names neither serialised items nor a lot, so no custody can be recorded for it",
      v,
    );
  }
  const sgtin = /^urn:epc:id:sgtin:(\d+)\.(\d+)\.(.+)$/.exec(v);
  if (sgtin !== null) {
    const [, cp, ir, serial] = sgtin as unknown as [string, string, string, string];
    if (cp.length < 6 || cp.length > 12 || cp.length + ir.length !== 13) {
      throw new EpcisError(path, "an SGTIN needs a company prefix and indicator plus item reference of 13 digits", v);
    }
    const body = ir[0]! + cp + ir.slice(1);
    return { kind: "item", epc: v, gtin: body + gs1CheckDigit(body), serial: serialOf(serial, path, v) };
  }
  const sscc = /^urn:epc:id:sscc:(\d+)\.(\d+)$/.exec(v);
  if (sscc !== null) {
    const [, cp, sr] = sscc as unknown as [string, string, string];
    if (cp.length < 6 || cp.length > 12 || cp.length + sr.length !== 17) {
      throw new EpcisError(path, "an SSCC needs a company prefix and extension plus serial reference of 17 digits", v);
    }
    const body = sr[0]! + cp + sr.slice(1);
    return { kind: "container", epc: v, sscc: BigInt(body + gs1CheckDigit(body)) };
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
    if (i >= 0 && segs[i + 2] === "21" && segs[i + 3] !== undefined) {
      const gtin = segs[i + 1]!;
      if (!/^(\d{8}|\d{12,14})$/.test(gtin) || !validGs1(gtin)) {
        throw new EpcisError(path, `GTIN ${gtin} in the Digital Link is not a GTIN with a valid check digit`, v);
      }
      return { kind: "item", epc: v, gtin: gtin.padStart(14, "0"), serial: serialOf(segs[i + 3]!, path, v) };
    }
    const j = segs.indexOf("00");
    if (j >= 0 && segs[j + 1] !== undefined) {
      const n = segs[j + 1]!;
      if (!/^\d{18}$/.test(n) || gs1CheckDigit(n.slice(0, 17)) !== Number(n[17])) {
        throw new EpcisError(path, `SSCC ${n} in the Digital Link is not 18 digits with a valid check digit`, v);
      }
      return { kind: "container", epc: v, sscc: BigInt(n) };
    }
  }
  return undefined;
}

/** A business transaction as recorded: salted with the event's evidence hash (see the module comment). */
export function transactionHashOf(evidenceHash: string, type: string, id: string): string {
  return solidityPackedKeccak256(["bytes32", "string"], [evidenceHash, `${type} ${id}`]);
}

// ---------------------------------------------------------------- events

function epcList(r: Reader, key: string): { epc: string; path: string }[] {
  if (!r.has(key)) {
    r.take(key);
    return [];
  }
  const v = r.take(key);
  const path = r.p(key);
  if (!Array.isArray(v)) throw new EpcisError(path, `must be a list of EPC URIs, got ${describe(v)}`, v);
  return v.map((x, i) => ({ epc: str(x, at(path, i), "an EPC URI"), path: at(path, i) }));
}

function unitsOf(list: readonly { epc: string; path: string }[]): { units: UnitRef[]; others: typeof list } {
  const units: UnitRef[] = [];
  const others: { epc: string; path: string }[] = [];
  const seen = new Set<string>();
  for (const x of list) {
    const u = parseInstanceEpc(x.epc, x.path);
    if (u === undefined) {
      others.push(x);
      continue;
    }
    const key = u.kind === "item" ? `${u.gtin}/${u.serial}` : String(u.sscc);
    if (seen.has(key)) throw new EpcisError(x.path, "names a unit listed before in the same event", x.epc);
    seen.add(key);
    units.push(u);
  }
  return { units, others };
}

/** Lots of a quantity list as batch ids (their quantities are not what a unit event records). */
function lotBatches(r: Reader, s: Session, key: string): { batchId: string; epc: string }[] {
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
    if (!isObject(item)) throw new EpcisError(p, `must be an object {epcClass, quantity, uom}, got ${describe(item)}`);
    const cls = str(item.epcClass, at(p, "epcClass"), "a class-level identifier with a lot");
    if (cls.startsWith("urn:epc:idpat:")) {
      throw new EpcisError(
        at(p, "epcClass"),
        "is a class-level pattern (idpat): it names no lot, so it cannot be packed, associated or bound",
        cls,
      );
    }
    const { productCode, lotCode } = parseEpcClass(cls, at(p, "epcClass"));
    if (item.quantity !== undefined) s.warn(at(p, "quantity"), `a lot's quantity is not recorded by this step${KEPT}`);
    return { batchId: batchIdOf(productCode, lotCode), epc: cls };
  });
}

function transactionsOf(r: Reader, evidenceHash: string): string[] {
  if (!r.has("bizTransactionList")) {
    r.take("bizTransactionList");
    return [];
  }
  const v = r.take("bizTransactionList");
  const path = r.p("bizTransactionList");
  if (!Array.isArray(v)) throw new EpcisError(path, `must be a list of {type, bizTransaction}, got ${describe(v)}`);
  return v.map((item, i) => {
    const p = at(path, i);
    if (!isObject(item)) throw new EpcisError(p, `must be an object {type, bizTransaction}, got ${describe(item)}`);
    const id = str(item.bizTransaction, at(p, "bizTransaction"), "a business transaction identifier");
    const type =
      item.type === undefined ? "" : bareVocab(str(item.type, at(p, "type"), "a type"), "bizstep") || String(item.type);
    return transactionHashOf(evidenceHash, type, id);
  });
}

function hasSsccParent(ev: JsonObject): boolean {
  const p = ev.parentID;
  if (typeof p !== "string") return false;
  return /^urn:epc:id:sscc:/.test(p.trim()) || /^https?:\/\/[^/]+\/(.*\/)?00\/\d{18}/.test(p.trim());
}

function namesUnits(list: unknown): boolean {
  return (
    Array.isArray(list) &&
    list.some(
      (x) =>
        typeof x === "string" &&
        (/^urn:epc:id:(sgtin|sscc):/.test(x.trim()) || /^https?:\/\/[^/]+\/(.*\/)?(01\/\d+\/21\/|00\/\d{18})/.test(x)),
    )
  );
}

/** Whether parseUnitEvent maps this event (see the module comment). */
export function isUnitEvent(ev: JsonObject): boolean {
  const type = ev.type;
  if (type === "AssociationEvent" || type === "TransactionEvent") return true;
  if (type === "AggregationEvent") return hasSsccParent(ev);
  if (type === "ObjectEvent") return namesUnits(ev.epcList);
  return false;
}

function stepOf(r: Reader): BizStep | undefined {
  if (!r.has("bizStep")) {
    r.take("bizStep");
    return undefined;
  }
  return ledgerStep(r.take("bizStep"), r.p("bizStep"));
}

const SILENT = new Set(["type", "@context", "eventID", "recordTime", "disposition", "readPoint"]);

/**
 * Maps a unit event to TraceUnits actions, or returns `undefined` for an event import.ts maps. Throws
 * `EpcisError` naming the path of what cannot be recorded and why.
 */
export function parseUnitEvent(
  ev: JsonObject,
  rawPath: string,
  s: Session,
  eventKey: string,
): ParsedUnitEvent | undefined {
  if (!isUnitEvent(ev)) return undefined;
  const path = rawPath === "" ? "$" : rawPath;
  const type = ev.type as ParsedUnitEvent["type"];
  const canonical = canonicalJson(ev, path);
  const evidenceHash = keccak256(toUtf8Bytes(canonical));
  const r = new Reader(ev, rawPath);
  if (r.has("errorDeclaration"))
    return unitCorrection(ev, rawPath, s, eventKey, { path, type, canonical, evidenceHash });
  const eventTime = parseEventTime(r, s);
  const location = parseLocation(r, s);
  const base = { path, context: { location, eventTime, evidenceHash }, eventId: eventKey };
  const action = takeAction(r);
  const out: UnitAction[] = [];
  let units: UnitRef[] = [];
  let lots: { batchId: string; epc: string }[] = [];

  if (type === "ObjectEvent") {
    const found = unitsOf(epcList(r, "epcList"));
    units = found.units;
    for (const o of found.others) s.warn(o.path, `is not a serialised item or container: not recorded on chain${KEPT}`);
    if (r.has("quantityList")) {
      r.take("quantityList");
      s.warn(
        r.p("quantityList"),
        `lots in an event of serialised items are not recorded: record them in an event of their own${KEPT}`,
      );
    }
    const step = stepOf(r);
    if (action === "ADD") {
      if (step !== "commissioning") {
        throw new EpcisError(
          r.p("action"),
          `ADD of serialised items is recorded only with bizStep commissioning (got ${step ?? "none"})`,
        );
      }
      const byProduct = new Map<string, string[]>();
      for (const u of units) {
        if (u.kind !== "item")
          throw new EpcisError(
            r.p("epcList"),
            "an SSCC is assigned by packing (AggregationEvent ADD), not commissioned",
            u.epc,
          );
        byProduct.set(u.gtin, [...(byProduct.get(u.gtin) ?? []), u.serial]);
      }
      for (const [gtin, serials] of byProduct) out.push({ ...base, kind: "commissionItems", gtin, serials });
    } else if (action === "DELETE") {
      throw new EpcisError(r.p("action"), "serialised items are not decommissioned or destroyed on chain (lots are)");
    } else {
      if (step === undefined) throw new EpcisError(r.p("bizStep"), "is required to map an ObjectEvent to a step");
      out.push(...movement(base, step, units, r, s, "an ObjectEvent"));
    }
  } else if (type === "AggregationEvent") {
    const parent = parseInstanceEpc(str(r.take("parentID"), r.p("parentID"), "an SSCC"), r.p("parentID"));
    if (parent?.kind !== "container") throw new EpcisError(r.p("parentID"), "must be an SSCC");
    const found = unitsOf(epcList(r, "childEPCs"));
    for (const o of found.others) {
      throw new EpcisError(o.path, "a container holds serialised items, containers and lots only", o.epc);
    }
    const step = stepOf(r);
    if (action === "OBSERVE") {
      if (r.has("childQuantityList")) {
        r.take("childQuantityList");
        s.warn(r.p("childQuantityList"), `an observation of a container does not record its lots${KEPT}`);
      }
      if (step === undefined) throw new EpcisError(r.p("bizStep"), "is required for an AggregationEvent OBSERVE");
      units = [parent];
      out.push(...movement(base, step, units, r, s, "an AggregationEvent"));
    } else {
      lots = lotBatches(r, s, "childQuantityList");
      if (found.units.length + lots.length === 0) {
        throw new EpcisError(
          r.p("childEPCs"),
          action === "ADD"
            ? "must list what is packed"
            : "must list what is unpacked (the ledger does not empty a container implicitly)",
        );
      }
      const expected = action === "ADD" ? "packing" : "unpacking";
      if (step !== undefined && step !== expected) {
        s.warn(r.p("bizStep"), `an AggregationEvent ${action} is recorded as ${expected}, not ${step}${KEPT}`);
      }
      const batches = lots.map((b) => b.batchId);
      out.push(
        action === "ADD"
          ? { ...base, kind: "pack", sscc: parent.sscc, units: found.units, batches, lotEpcs: lots.map((b) => b.epc) }
          : { ...base, kind: "unpack", sscc: parent.sscc, units: found.units, batches },
      );
      units = [parent];
      lots = [];
    }
  } else if (type === "AssociationEvent") {
    if (action === "OBSERVE")
      throw new EpcisError(r.p("action"), "an AssociationEvent OBSERVE changes no association: nothing to record");
    const parentEpc = str(r.take("parentID"), r.p("parentID"), "the parent's identifier");
    const children = epcList(r, "childEPCs").map((x) => keyOf(x.epc, x.path));
    for (const b of lotBatches(r, s, "childQuantityList"))
      children.push({ kind: "batch", batchId: b.batchId, epc: b.epc });
    // A DELETE without children dissociates all of them (EPCIS 2.0); an ADD must say what it associates.
    if (action === "ADD" && children.length === 0) {
      throw new EpcisError(r.p("childEPCs"), "must name what is associated (childEPCs or childQuantityList)");
    }
    r.take("bizStep");
    out.push({
      ...base,
      kind: "association",
      parent: keyOf(parentEpc, r.p("parentID")),
      children,
      add: action === "ADD",
    });
  } else {
    // TransactionEvent
    const found = unitsOf(epcList(r, "epcList"));
    units = found.units;
    for (const o of found.others) s.warn(o.path, `is not a serialised item or container: not recorded on chain${KEPT}`);
    if (r.has("parentID")) {
      const p = parseInstanceEpc(str(r.take("parentID"), r.p("parentID"), "an identifier"), r.p("parentID"));
      if (p !== undefined) units = [p, ...units];
    }
    lots = lotBatches(r, s, "quantityList");
    r.take("bizStep");
    if (action === "OBSERVE")
      s.warn(r.p("action"), "a TransactionEvent OBSERVE is recorded as binding its transactions (ADD)");
  }

  const transactions = transactionsOf(r, evidenceHash);
  if (type === "TransactionEvent" && transactions.length === 0) {
    throw new EpcisError(r.p("bizTransactionList"), "must name at least one business transaction");
  }
  if (transactions.length > 0) {
    out.push({
      ...base,
      kind: "transaction",
      add: action !== "DELETE",
      transactions,
      units,
      batches: lots.map((b) => b.batchId),
      lotEpcs: lots.map((b) => b.epc),
    });
  }
  for (const k of r.rest()) {
    if (SILENT.has(k)) continue;
    const v = ev[k];
    if (Array.isArray(v) && v.length === 0) continue;
    s.warn(r.p(k), `is not recorded on chain${KEPT}`);
  }
  return {
    path,
    type,
    ...(typeof ev.eventID === "string" ? { eventID: ev.eventID } : {}),
    evidenceHash,
    canonical,
    unitActions: withActionIds(eventKey, out),
  };
}

/** Each action's chain id, in `eventId` and `context.eventId` (see the module comment). */
function withActionIds(eventKey: string, actions: readonly UnitAction[]): UnitAction[] {
  return eventIdsFor(eventKey, actions).map((a) => ({ ...a, eventId: a.context.eventId! }));
}

/**
 * An `errorDeclaration` on a unit event: the correction of the event it repeats (same eventID), whose actions'
 * ids are those of the event without the declaration. Never recorded as that event.
 */
function unitCorrection(
  ev: JsonObject,
  rawPath: string,
  s: Session,
  eventKey: string,
  e: { path: string; type: ParsedUnitEvent["type"]; canonical: string; evidenceHash: string },
): ParsedUnitEvent {
  const { declarationTime, reason, correctiveEventIDs } = readErrorDeclaration(new Reader(ev, rawPath));
  const declared: JsonObject = { ...ev };
  delete declared.errorDeclaration;
  const declaredActions = parseUnitEvent(declared, rawPath, new Session(false), eventKey)?.unitActions ?? [];
  const context = {
    location: 0n,
    eventTime: declarationTime,
    evidenceHash: e.evidenceHash,
  };
  return {
    path: e.path,
    type: e.type,
    ...(typeof ev.eventID === "string" ? { eventID: ev.eventID } : {}),
    evidenceHash: e.evidenceHash,
    canonical: e.canonical,
    unitActions: [
      {
        path: e.path,
        context,
        eventId: eventKey,
        kind: "correctUnits",
        declaredIds: declaredActions.length > 0 ? declaredActions.map((a) => a.eventId) : [eventKey],
        ...(reason !== undefined ? { reason } : {}),
        correctiveEventIDs,
      },
    ],
  };
}

function keyOf(epc: string, path: string): AssociationKey {
  const unit = parseInstanceEpc(epc, path);
  if (unit !== undefined) return { kind: "unit", unit };
  if (epc.startsWith("urn:epc:class:") || /\/10\//.test(epc)) {
    const { productCode, lotCode } = parseEpcClass(epc, path);
    return { kind: "batch", batchId: batchIdOf(productCode, lotCode), epc };
  }
  return { kind: "other", epc, hash: keccak256(toUtf8Bytes(epc.trim())) };
}

function movement(
  base: UnitActionBase,
  step: BizStep,
  units: UnitRef[],
  r: Reader,
  s: Session,
  what: string,
): UnitAction[] {
  if (units.length === 0) throw new EpcisError(r.p("epcList"), "names no serialised item or container");
  if (step === "shipping") {
    const to = receiverOf(r, s);
    if (to === undefined) {
      s.warn(
        r.p("destinationList"),
        "names no possessing_party or owning_party receiver: the caller must give the receiving organisation",
      );
    }
    return units.map((unit) => ({ ...base, kind: "shipUnit", unit, ...(to !== undefined ? { to } : {}) }));
  }
  if (step === "receiving") return units.map((unit) => ({ ...base, kind: "acceptUnit", unit }));
  if (OBSERVATION_STEPS.includes(step)) return [{ ...base, kind: "observeUnits", units, bizStep: step }];
  throw new EpcisError(
    r.p("bizStep"),
    `${step} of serialised items is not recorded (${what} of units records shipping, receiving and observations)`,
    BIZ_STEPS[step],
  );
}
