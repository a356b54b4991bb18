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
 * - ObjectEvent ADD with bizStep commissioning → `commission`. ADD with another step (GS1 allows it: the
 *   objects enter the system there) → `commission`, then that step's action (none for receiving, which
 *   commissioning already is for the recorder), reported. Commissioning with OBSERVE or DELETE is rejected.
 * - Business steps: all 41 of CBV 2.0, each with a ledger code of its own (vocabulary.ts BIZ_STEPS); those
 *   without a function of their own are observations.
 * - `eventID`: kept; an event without one gets its GS1 event hash ID (./eventhash.ts). Each action carries
 *   it and its 32-byte `eventKey`, the import's idempotency key.
 * - An event with an `errorDeclaration` → one `correct` action referencing the declared event (same eventID)
 *   and its batches: never the event it retracts.
 * - `tolerant`: an event that cannot be mapped goes to `refused` with its reason; the others are read.
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
 * bizTransactionList, sourceList, persistentDisposition, other extensions...) is
 * listed in `warnings` and stays bound by that hash. Document-level fields (epcisHeader...) are bound by
 * `documentHash` only. Invalid input throws `EpcisError`, whose message starts with the JSON path
 * (`epcisBody.eventList[2].quantityList[0].quantity: must be a positive number`).
 */
import { getAddress, isAddress, keccak256, toUtf8Bytes } from "ethers";

import { BIZ_STEPS, type BizStep, formatQuantity } from "../vocabulary.js";
import {
  type Entry,
  KEPT,
  Reader,
  Session,
  type StepKind,
  UNSUPPORTED_FIELDS,
  Zx,
  at,
  bareVocab,
  bytes32,
  canonicalJson,
  checkDisposition,
  describe,
  isObject,
  type JsonObject,
  ledgerStep,
  parseEventTime,
  parseLocation,
  readErrorDeclaration,
  quantified,
  quantityList,
  receiverOf,
  refOf,
  stepKind,
  str,
  sum,
  takeAction,
  takeInstanceList,
  uint,
  uniqueBatches,
  zxPrefixes,
} from "./read.js";
import { parseUnitEvent } from "./serial.js";
import {
  CBV_BIZ_STEPS,
  type ChainContext,
  EPCIS_EVENT_TYPES,
  type EpcisAction,
  EpcisError,
  type EpcisEventType,
  MAX_INPUTS,
  MAX_RATIO,
  MAX_SPLIT,
  PPM,
  type ParseEpcisOptions,
  type ParsedEpcis,
  type ParsedEvent,
  type RecordedFacts,
  type RefusedEvent,
  type BatchRef,
} from "./types.js";
import { eventHashId, eventIdsFor, eventKeyOf } from "./eventhash.js";

// ---------------------------------------------------------------- events

interface EventFrame {
  readonly r: Reader;
  readonly s: Session;
  readonly zx: Zx;
  readonly context: ChainContext;
  readonly path: string;
  /** What every action of the event shares. */
  readonly base: { path: string; context: ChainContext; eventID: string; eventKey: string };
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
  const base = f.base;
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
  const base = f.base;

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
    // ADD: the lots enter the system with this event. With a step other than commissioning (GS1 allows
    // e.g. ADD receiving), the lot is commissioned by the recording party, then the step is recorded
    // (receiving is what commissioning already gives: custody to the recorder).
    let then: EpcisAction[] = [];
    if (step !== "commissioning") {
      const kind = stepKind(step, r.p("bizStep"), "an ObjectEvent");
      s.warn(
        r.p("action"),
        `ADD with bizStep ${step} is recorded as commissioning the lot${kind === "accept" ? "" : `, then ${step}`}${KEPT}`,
      );
      checkDisposition(r, s, kind);
      if (kind !== "accept") then = stepActions(f, kind, step, entries);
    } else {
      checkDisposition(r, s, "commission");
    }
    const giCertificate = giOf(f);
    const commissions = entries.map((e): EpcisAction => {
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
    return [...commissions, ...then];
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
  const base = f.base;
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

/** The batches an action names. */
function batchesOf(a: EpcisAction): BatchRef[] {
  switch (a.kind) {
    case "commission":
    case "merge":
      return [{ productCode: a.productCode, lotCode: a.lotCode, batchId: a.batchId }];
    case "transform":
      return [{ productCode: a.outputProduct, lotCode: a.outputLot, batchId: a.batchId }];
    case "correct":
      return a.batches;
    default:
      return [a.batch];
  }
}

/** An `errorDeclaration`: the correction of the event whose eventID it repeats. */
function correction(f: EventFrame, ev: JsonObject, docContext: unknown, docPrefixes: readonly string[]): EpcisAction {
  const { r } = f;
  const { declarationTime, reason, correctiveEventIDs } = readErrorDeclaration(r);
  // The batches of the declared event and the chain ids of its actions, when the ledger could represent it.
  let batches: BatchRef[] = [];
  let declaredIds: string[] = [f.base.eventKey];
  try {
    const copy: JsonObject = { ...ev };
    delete copy.errorDeclaration;
    const declared = parseEvent(copy, f.path, new Session(false), docContext, docPrefixes).actions;
    batches = declared.flatMap(batchesOf);
    if (declared.length > 0) declaredIds = declared.map((a) => a.context.eventId ?? f.base.eventKey);
  } catch {
    batches = [];
  }
  return {
    ...f.base,
    kind: "correct",
    batches,
    declaredIds,
    declarationTime,
    ...(reason !== undefined ? { reason } : {}),
    correctiveEventIDs,
  };
}

function parseEvent(
  ev: unknown,
  path: string,
  s: Session,
  docContext: unknown,
  docPrefixes: readonly string[],
): ParsedEvent {
  if (!isObject(ev)) throw new EpcisError(path, `must be an EPCIS event object, got ${describe(ev)}`, ev);
  // Serialised items, SSCC containers, associations and business transactions: serial.ts.
  // The event's id as given, else its GS1 event hash ID; its key is the chain id of its first action.
  const givenID = ev.eventID;
  if (givenID !== undefined && (typeof givenID !== "string" || givenID.trim() === "")) {
    throw new EpcisError(at(path, "eventID"), `must be a URI, got ${describe(givenID)}`, givenID);
  }
  const eventID = typeof givenID === "string" ? givenID.trim() : eventHashId(ev, docContext);
  const eventKey = eventKeyOf(eventID);
  const unitEvent = parseUnitEvent(ev, path, s, eventKey);
  if (unitEvent !== undefined) {
    return { ...unitEvent, eventID, eventIDComputed: givenID === undefined, eventKey, actions: [] };
  }
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
  const p = path === "" ? "$" : path;
  const context = { location, eventTime, evidenceHash };
  const f: EventFrame = { r, s, zx, context, path: p, base: { path: p, context, eventID, eventKey } };

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

  if (r.has("errorDeclaration")) {
    const action = correction(f, ev, docContext, docPrefixes);
    return {
      path: p,
      type: type as EpcisEventType,
      eventID,
      eventIDComputed: givenID === undefined,
      eventKey,
      evidenceHash,
      canonical,
      actions: [action],
      ...(Object.keys(recorded).length > 0 ? { recorded } : {}),
    };
  }

  const actions = eventIdsFor(
    eventKey,
    type === "ObjectEvent"
      ? objectEvent(f)
      : type === "AggregationEvent"
        ? aggregationEvent(f)
        : transformationEvent(f),
  );

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
    path: p,
    type: type as EpcisEventType,
    eventID,
    eventIDComputed: givenID === undefined,
    eventKey,
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
    const event = parseEvent(json, "", s, undefined, []);
    return {
      kind: "event",
      documentHash,
      events: [event],
      actions: [...event.actions],
      unitActions: [...(event.unitActions ?? [])],
      warnings: s.warnings,
      refused: [],
    };
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
  const events: ParsedEvent[] = [];
  const refused: RefusedEvent[] = [];
  list.forEach((ev, i) => {
    const p = at(listPath, i);
    try {
      events.push(parseEvent(ev, p, s, json["@context"], prefixes));
    } catch (e) {
      if (!(opts.tolerant ?? false) || !(e instanceof EpcisError) || !isObject(ev)) throw e;
      const id = typeof ev.eventID === "string" ? ev.eventID : eventHashId(ev, json["@context"]);
      refused.push({ path: p, type: String(ev.type), eventID: id, error: e });
    }
  });
  return {
    kind: "document",
    documentHash,
    events,
    actions: events.flatMap((e) => e.actions),
    unitActions: events.flatMap((e) => e.unitActions ?? []),
    warnings: s.warnings,
    refused,
  };
}
