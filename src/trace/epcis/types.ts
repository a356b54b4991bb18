/** EPCIS 2.0 in and out of the trace ledger: constants, the error, and the shapes of parsed events and ledger actions (see ./import.ts). */
import { InvalidInputError } from "../../errors.js";
import { type BizStep } from "../vocabulary.js";
import type { UnitAction } from "./serial.js";

/** The EPCIS 2.0 JSON-LD context, versioned (what exports write). */
export const EPCIS_CONTEXT_VERSIONED = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
/** The unversioned address, as some documents give it. */
export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";
/**
 * The namespace earlier exports used for the ledger's extension fields; still read. Exports now use the
 * deployment's own namespace ({@link epcisNamespace}).
 */
export const ZX_NAMESPACE = "https://zhixin-ledger.example/epcis/";
/** The prefix the ledger's extension fields are written under; read under any prefix bound to a known namespace. */
export const ZX_PREFIX = "zx";
/** The file of the namespace's JSON-LD context, under the namespace (served by the explorer at `/ns/`). */
export const ZX_CONTEXT_FILE = "context.jsonld";

/**
 * The deployment's namespace for the ledger's EPCIS extension fields: `ZHIXIN_EPCIS_NAMESPACE`, else the
 * public explorer URL (`ZHIXIN_PUBLIC_URL`, or `publicUrl`) followed by `/ns/`; undefined when neither is
 * configured.
 */
export function epcisNamespace(publicUrl?: string): string | undefined {
  const ns = process.env.ZHIXIN_EPCIS_NAMESPACE?.trim();
  if (ns !== undefined && ns !== "") return ns.endsWith("/") || ns.endsWith("#") ? ns : `${ns}/`;
  const base = (publicUrl ?? process.env.ZHIXIN_PUBLIC_URL)?.trim();
  if (base === undefined || base === "") return undefined;
  return `${base.replace(/\/+$/, "")}/ns/`;
}

/** The namespaces whose fields are the ledger's: this deployment's and the earlier placeholder. */
export function knownNamespaces(): string[] {
  const ns = epcisNamespace();
  return ns !== undefined && ns !== ZX_NAMESPACE ? [ns, ZX_NAMESPACE] : [ZX_NAMESPACE];
}

/** `iri` without a known namespace in front (`rest`), or undefined when it is in none. */
export function inNamespace(iri: string, extra: readonly string[] = []): { ns: string; rest: string } | undefined {
  for (const ns of [...extra, ...knownNamespaces()]) if (iri.startsWith(ns)) return { ns, rest: iri.slice(ns.length) };
  return undefined;
}

/** The event types the ledger maps. */
export const EPCIS_EVENT_TYPES = ["ObjectEvent", "AggregationEvent", "TransformationEvent"] as const;
export type EpcisEventType = (typeof EPCIS_EVENT_TYPES)[number];

/** CBV 2.0 business steps (the ledger has codes for a subset, plus `transforming`). */
export const CBV_BIZ_STEPS = new Set([
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

export const MAX_SPLIT = 100;
export const MAX_INPUTS = 32;
export const PPM = 1_000_000n;
export const MAX_RATIO = 2n ** 32n - 1n;
export const MAX_QUANTITY = 2n ** 128n - 1n;

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
  /**
   * The id the chain records the action under, once (`eventIdsFor`): the event's `eventKey` for its first action,
   * keccak256(abi.encode(eventKey, index)) for the second and later. Absent: none.
   */
  readonly eventId?: string;
  /** The CBV disposition code the event states (vocabulary.ts DISPOSITIONS), absent or 0 for none. */
  readonly disposition?: number;
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
  /** The event's eventID (as given, else its GS1 event hash ID). */
  readonly eventID: string;
  /** The 32-byte key of `eventID` ({@link eventKeyOf}): the idempotency key the ledger is given. */
  readonly eventKey: string;
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
  | (ActionBase & { kind: "recall"; batch: BatchRef; reasonHash: string; recallId?: number })
  /**
   * From an event with an `errorDeclaration`: the event it repeats (same eventID) is declared wrong. It is
   * never recorded as that event: it is a correction referencing it (`eventKey`), with the corrective events.
   */
  | (ActionBase & {
      kind: "correct";
      batches: BatchRef[];
      /** The chain ids of the declared event's actions (its `eventKey` alone when it names none the ledger records). */
      declaredIds: string[];
      declarationTime: bigint;
      reason?: string;
      correctiveEventIDs: string[];
    });

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
  readonly type: EpcisEventType | "AssociationEvent" | "TransactionEvent";
  /** As given, else the GS1 event hash ID computed from the event (`eventIDComputed`). */
  readonly eventID: string;
  readonly eventIDComputed: boolean;
  /** {@link eventKeyOf} of `eventID`. */
  readonly eventKey: string;
  /** keccak256 of `canonical`. */
  readonly evidenceHash: string;
  /** The event's RFC 8785 canonical JSON. */
  readonly canonical: string;
  readonly actions: EpcisAction[];
  /** TraceUnits calls of an event about serialised items or containers (serial.ts); `actions` is then empty. */
  readonly unitActions?: UnitAction[];
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
  /** Every unit event's TraceUnits calls, in order (recorded after `actions`: lots never depend on units). */
  readonly unitActions: UnitAction[];
  readonly warnings: EpcisWarning[];
  /** With `tolerant`: the events that cannot be recorded, each with the reason. */
  readonly refused: RefusedEvent[];
}

/** An event of a document the ledger cannot record, and why. */
export interface RefusedEvent {
  readonly path: string;
  readonly type: string;
  readonly eventID: string;
  readonly error: EpcisError;
}

export interface ParseEpcisOptions {
  /** Throw an EpcisError at the first warning instead of listing it. */
  readonly strict?: boolean;
  /**
   * Read every event of a document even when some cannot be recorded: those go to `refused` with their
   * reason instead of throwing (a partner's document is imported as far as the ledger can represent it).
   */
  readonly tolerant?: boolean;
}
