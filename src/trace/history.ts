/**
 * A batch's history from the chain's events alone: every batch it was made from (across merges,
 * splits and transformations) back to the commissioned origins, each one's events in order, the
 * chain of custody, certificates and recalls. `trace history`, `trace epcis export`, the demo
 * and the explorer's batch page read it the same way. Logs are read in chunks of at most 5,000
 * blocks (src/chain.ts).
 */
import type { Log, Provider } from "ethers";

import type { TraceLedger } from "../../types/ethers-contracts/contracts/trace/TraceLedger.js";
import { logRangeOf, queryInChunks } from "../chain.js";
import { LedgerError } from "../errors.js";
import {
  type BizStep,
  DISPOSITIONS,
  ERROR_REASONS,
  RECALL_ACTIONS,
  bizStepName,
  decodeCode,
  unitCode,
} from "./vocabulary.js";

export type StepKind = BizStep | "certificate" | "recall" | "recall_acknowledged" | "shipment_cancelled";

/** What every step says: the batch, who acted, where, when, on which evidence, in which transaction. */
interface StepBase {
  readonly batchId: string;
  /** The acting organisation. */
  readonly org: string;
  /** Receiver of a shipment, sender of a reception. */
  readonly counterparty?: string;
  readonly location: bigint;
  readonly eventTime: bigint;
  readonly evidenceHash: string;
  readonly txHash: string;
  readonly blockNumber: number;
  readonly logIndex: number;
  /** The EPCIS eventID the event was recorded under (absent: none). */
  readonly eventId?: string;
  /** The quantity the step moved, sold, destroyed or observed (thousandths of `uom`; absent: the whole batch). */
  readonly quantity?: string;
  readonly uom?: string;
  /** The CBV disposition the document stated. */
  readonly disposition?: string;
  /** An errorDeclaration by the recorder: the event did not happen as recorded (`reason`), see `correctiveIds`. */
  readonly correction?: { readonly reason: string; readonly correctiveIds: readonly string[]; readonly txHash: string };
}

/** A split: the parent's lot into `outputs` (batch ids) with their lot codes and quantities (thousandths). */
export interface SplitDetail {
  readonly operation: "split";
  readonly outputs: readonly string[];
  readonly lotCodes: readonly string[];
  readonly quantities: readonly string[];
}
/** A merge of `inputs` into this batch. */
export interface MergeDetail {
  readonly operation: "merge";
  readonly inputs: readonly string[];
  readonly quantity: string;
}
/** A transformation of `inputs` into this batch of another product. */
export interface TransformDetail {
  readonly operation: "transform";
  readonly inputs: readonly string[];
  readonly quantity: string;
  readonly uom: string;
  readonly ratioPpm: number;
  readonly giCertificate: number;
}

/** Kind-specific facts, by the step's `kind`. */
export type TraceStepDetail =
  | { readonly kind: "commissioning"; readonly detail: CommissionDetail }
  | { readonly kind: "transforming"; readonly detail: SplitDetail | MergeDetail | TransformDetail }
  | {
      readonly kind: "certificate";
      readonly detail: { readonly passed: boolean; readonly validUntil: string; readonly reportHash: string };
    }
  | { readonly kind: "recall"; readonly detail: { readonly recallId: number; readonly reasonHash: string } }
  | {
      readonly kind: "recall_acknowledged";
      readonly detail: {
        readonly recallId: number;
        readonly action: string;
        readonly quantity: string;
        /** The quantity in the recalled batch's unit, converted along the lineage. */
        readonly accounted: string;
      };
    }
  | { readonly kind: "shipment_cancelled"; readonly detail: { readonly refused: boolean } }
  | {
      readonly kind: Exclude<BizStep, "commissioning" | "transforming">;
      readonly detail: Readonly<Record<string, never>>;
    };

/** A commissioning: the lot, its quantity (thousandths of `uom`) and GI certificate (0: none). */
export interface CommissionDetail {
  readonly lotCode: string;
  readonly quantity: string;
  readonly uom: string;
  readonly giCertificate: number;
}

/** One thing that happened to one batch; `detail` is typed by `kind`. */
export type TraceStep = StepBase & TraceStepDetail;

/** A batch of the lineage, as its creating event describes it. */
export interface LineageBatch {
  readonly batchId: string;
  readonly productCode: string;
  readonly lotCode: string;
  readonly quantity: bigint;
  readonly uom: string;
  /** How it came to be. */
  readonly origin: "commissioned" | "split" | "merged" | "transformed";
  readonly parents: readonly string[];
  /** Distance from the asked batch (0 = itself). */
  readonly depth: number;
}

export interface BatchHistory {
  readonly batchId: string;
  readonly lineage: readonly LineageBatch[];
  /** Every step of every batch of the lineage, in chain order. */
  readonly steps: readonly TraceStep[];
  /** Custody of the asked batch and its ancestors: who held it from which step. */
  readonly custody: readonly { batchId: string; org: string; since: bigint; txHash: string }[];
}

type Parsed = { name: string; args: Record<string, unknown> & unknown[]; log: Log };

async function logsFor(
  ledger: TraceLedger,
  provider: Provider,
  ids: readonly string[],
  fromBlock: number,
  toBlock: number,
): Promise<Parsed[]> {
  const address = await ledger.getAddress();
  const iface = ledger.interface;
  const recallTopics = [iface.getEvent("BatchRecalled").topicHash, iface.getEvent("RecallAcknowledged").topicHash];
  const chunk = { chunk: logRangeOf(provider) };
  const [byFirst, bySecond] = await Promise.all([
    queryInChunks(
      (a, b) => provider.getLogs({ address, topics: [null, [...ids]], fromBlock: a, toBlock: b }),
      fromBlock,
      toBlock,
      chunk,
    ),
    queryInChunks(
      (a, b) => provider.getLogs({ address, topics: [recallTopics, null, [...ids]], fromBlock: a, toBlock: b }),
      fromBlock,
      toBlock,
      chunk,
    ),
  ]);
  const seen = new Set<string>();
  const out: Parsed[] = [];
  for (const log of [...byFirst, ...bySecond]) {
    const key = `${log.transactionHash}:${log.index}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const parsed = iface.parseLog(log);
    if (parsed === null) continue;
    // Shipments and receptions name the batch first; a recall by id might also match topic 1
    // by chance (a recall id is small), so recall events are taken from the second query only.
    if (
      (parsed.name === "BatchRecalled" || parsed.name === "RecallAcknowledged") &&
      !ids.includes(String(log.topics[2]))
    ) {
      continue;
    }
    out.push({ name: parsed.name, args: parsed.args as unknown as Parsed["args"], log });
  }
  return out.sort((x, y) => x.log.blockNumber - y.log.blockNumber || x.log.index - y.log.index);
}

interface Ctx {
  location: bigint;
  eventTime: bigint;
  evidenceHash: string;
  eventId?: string;
  quantity?: bigint;
  uom?: string;
  disposition?: bigint;
}

const ZERO_ID = "0x" + "0".repeat(64);

/** The event's own facts from its context: id, stated quantity and unit, disposition (absent when not stated). */
function facts(ctx: Ctx | undefined, quantity?: bigint): Partial<StepBase> {
  const out: { eventId?: string; quantity?: string; uom?: string; disposition?: string } = {};
  if (ctx?.eventId !== undefined && ctx.eventId !== ZERO_ID) out.eventId = ctx.eventId;
  const q = quantity ?? ctx?.quantity ?? 0n;
  if (q !== 0n) {
    out.quantity = String(q);
    // A quantity from the event's args is in the batch's unit; a stated one in the context's, when given.
    const uom = quantity === undefined && ctx?.uom !== undefined ? unitCode(ctx.uom) : "";
    if (uom !== "") out.uom = uom;
  }
  const d = Number(ctx?.disposition ?? 0n);
  if (d !== 0) out.disposition = DISPOSITIONS[d] ?? String(d);
  return out;
}

function step(
  p: Parsed,
  batchId: string,
  which: TraceStepDetail,
  org: string,
  ctx: Ctx | undefined,
  counterparty?: string,
  quantity?: bigint,
): TraceStep {
  return {
    batchId,
    ...which,
    org,
    ...(counterparty !== undefined ? { counterparty } : {}),
    location: ctx?.location ?? 0n,
    eventTime: ctx?.eventTime ?? 0n,
    evidenceHash: ctx?.evidenceHash ?? ZERO_ID,
    txHash: p.log.transactionHash,
    blockNumber: p.log.blockNumber,
    logIndex: p.log.index,
    ...facts(ctx, quantity),
  };
}

/** Steps from the parsed logs, for the batches in `ids` (events naming other batches are skipped). */
function toSteps(parsed: readonly Parsed[], ids: ReadonlySet<string>): TraceStep[] {
  const steps: TraceStep[] = [];
  for (const p of parsed) {
    const a = p.args;
    const ctx = a.context as Ctx | undefined;
    switch (p.name) {
      case "BatchCommissioned":
        steps.push(
          step(
            p,
            String(a.batchId),
            {
              kind: "commissioning",
              detail: {
                lotCode: decodeCode(String(a.lotCode)),
                quantity: String(a.quantity),
                uom: unitCode(String(a.uom)),
                giCertificate: Number(a.giCertificate),
              },
            },
            String(a.producer),
            ctx,
          ),
        );
        break;
      case "BatchObserved":
        steps.push(
          step(
            p,
            String(a.batchId),
            {
              kind: bizStepName(a.bizStep as bigint) as Exclude<BizStep, "commissioning" | "transforming">,
              detail: {},
            },
            String(a.org),
            ctx,
          ),
        );
        break;
      case "BatchPartShipped": {
        // The parent ships a part of itself; the part (a batch of its own) is shipped.
        const q = a.quantity as bigint;
        for (const id of [String(a.parent), String(a.part)]) {
          steps.push(step(p, id, { kind: "shipping", detail: {} }, String(a.from), ctx, String(a.to), q));
        }
        break;
      }
      case "BatchShipped":
        steps.push(step(p, String(a.batchId), { kind: "shipping", detail: {} }, String(a.from), ctx, String(a.to)));
        break;
      case "BatchReceived":
        steps.push(step(p, String(a.batchId), { kind: "receiving", detail: {} }, String(a.to), ctx, String(a.from)));
        break;
      case "ShipmentCancelled":
        steps.push(
          step(
            p,
            String(a.batchId),
            { kind: "shipment_cancelled", detail: { refused: Boolean(a.refused) } },
            String(a.by),
            undefined,
            String(a.receiver),
          ),
        );
        break;
      case "BatchSplit":
        steps.push(
          step(
            p,
            String(a.parent),
            {
              kind: "transforming",
              detail: {
                operation: "split" as const,
                outputs: (a.children as string[]).map(String),
                lotCodes: (a.lotCodes as string[]).map((x) => decodeCode(String(x))),
                quantities: (a.quantities as bigint[]).map(String),
              },
            },
            String(a.org),
            ctx,
          ),
        );
        break;
      case "BatchesMerged":
        steps.push(
          step(
            p,
            String(a.output),
            {
              kind: "transforming",
              detail: {
                operation: "merge" as const,
                inputs: (a.inputs as string[]).map(String),
                quantity: String(a.quantity),
              },
            },
            String(a.org),
            ctx,
          ),
        );
        break;
      case "BatchTransformed": {
        const t = a.transformation as unknown as { ratioPpm: bigint; outputUom: string; giCertificate: bigint };
        steps.push(
          step(
            p,
            String(a.output),
            {
              kind: "transforming",
              detail: {
                operation: "transform" as const,
                inputs: (a.inputs as string[]).map(String),
                quantity: String(a.quantity),
                uom: unitCode(String(t.outputUom)),
                ratioPpm: Number(t.ratioPpm),
                giCertificate: Number(t.giCertificate),
              },
            },
            String(a.org),
            ctx,
          ),
        );
        break;
      }
      case "BatchSold":
        steps.push(
          step(
            p,
            String(a.batchId),
            { kind: "retail_selling", detail: {} },
            String(a.retailer),
            ctx,
            undefined,
            a.quantity as bigint,
          ),
        );
        break;
      case "BatchDestroyed":
        steps.push(
          step(
            p,
            String(a.batchId),
            { kind: "destroying", detail: {} },
            String(a.org),
            ctx,
            undefined,
            a.quantity as bigint,
          ),
        );
        break;
      case "CertificateRecorded":
        steps.push(
          step(
            p,
            String(a.batchId),
            {
              kind: "certificate",
              detail: {
                passed: Boolean(a.passed),
                validUntil: String(a.validUntil),
                reportHash: String(a.reportHash),
              },
            },
            String(a.inspector),
            undefined,
          ),
        );
        break;
      case "BatchRecalled":
        steps.push(
          step(
            p,
            String(a.batchId),
            {
              kind: "recall",
              detail: {
                recallId: Number(a.recallId),
                reasonHash: String(a.reasonHash),
              },
            },
            String(a.regulator),
            undefined,
          ),
        );
        break;
      case "RecallAcknowledged":
        steps.push(
          step(
            p,
            String(a.batchId),
            {
              kind: "recall_acknowledged",
              detail: {
                recallId: Number(a.recallId),
                action: RECALL_ACTIONS[Number(a.action)] ?? "none",
                quantity: String(a.quantity),
                accounted: String(a.accounted),
              },
            },
            String(a.holder),
            undefined,
          ),
        );
        break;
      default:
        break;
    }
  }
  return steps.filter((s) => ids.has(s.batchId.toLowerCase()));
}

/** The lineage of `batchId` (itself first, then ancestors breadth-first, each once). */
export async function lineageOf(
  ledger: TraceLedger,
  batchId: string,
): Promise<{ id: string; parents: string[]; depth: number }[]> {
  const out: { id: string; parents: string[]; depth: number }[] = [];
  const seen = new Set<string>([batchId.toLowerCase()]);
  let frontier = [{ id: batchId.toLowerCase(), depth: 0 }];
  while (frontier.length > 0) {
    const next: { id: string; depth: number }[] = [];
    const parentsLists = await Promise.all(frontier.map((f) => ledger.parentsOf(f.id)));
    frontier.forEach((f, i) => {
      const parents = [...parentsLists[i]!].map((x) => x.toLowerCase());
      out.push({ id: f.id, parents, depth: f.depth });
      for (const p of parents) {
        if (!seen.has(p)) {
          seen.add(p);
          next.push({ id: p, depth: f.depth + 1 });
        }
      }
    });
    frontier = next;
  }
  return out;
}

/** The full history of a batch back to its origins. */
export async function batchHistory(ledger: TraceLedger, provider: Provider, batchId: string): Promise<BatchHistory> {
  const id = batchId.toLowerCase();
  const b = await ledger.batch(id);
  if (b.status === 0n) throw new LedgerError(`no batch ${batchId} on this chain`);
  const lineage = await lineageOf(ledger, id);
  const ids = lineage.map((l) => l.id);
  const latest = await provider.getBlockNumber();
  // Split children are created by an event naming their parent; include parents' logs (they are in `ids`).
  const parsed = await logsFor(ledger, provider, ids, 0, latest);
  const idSet = new Set(ids);
  const steps = await withCorrections(ledger, provider, toSteps(parsed, idSet), latest);

  const created = new Map<string, LineageBatch>();
  const depthOf = new Map(lineage.map((l) => [l.id, l]));
  for (const p of parsed) {
    const a = p.args;
    const add = (batch: string, v: Omit<LineageBatch, "batchId" | "parents" | "depth">) => {
      const l = depthOf.get(batch.toLowerCase());
      if (l === undefined) return;
      created.set(l.id, { batchId: l.id, parents: l.parents, depth: l.depth, ...v });
    };
    if (p.name === "BatchCommissioned") {
      add(String(a.batchId), {
        productCode: decodeCode(String(a.productCode)),
        lotCode: decodeCode(String(a.lotCode)),
        quantity: a.quantity as bigint,
        uom: unitCode(String(a.uom)),
        origin: "commissioned",
      });
    } else if (p.name === "BatchSplit") {
      const children = (a.children as string[]).map(String);
      const lots = (a.lotCodes as string[]).map(String);
      const qs = a.quantities as bigint[];
      children.forEach((c, i) =>
        add(c, { productCode: "", lotCode: decodeCode(lots[i]!), quantity: qs[i]!, uom: "", origin: "split" }),
      );
    } else if (p.name === "BatchPartShipped") {
      add(String(a.part), {
        productCode: "",
        lotCode: decodeCode(String(a.lotCode)),
        quantity: a.quantity as bigint,
        uom: "",
        origin: "split",
      });
    } else if (p.name === "BatchesMerged") {
      add(String(a.output), {
        productCode: "",
        lotCode: decodeCode(String(a.lotCode)),
        quantity: a.quantity as bigint,
        uom: "",
        origin: "merged",
      });
    } else if (p.name === "BatchTransformed") {
      const t = a.transformation as unknown as { outputProduct: string; outputLot: string; outputUom: string };
      add(String(a.output), {
        productCode: decodeCode(String(t.outputProduct)),
        lotCode: decodeCode(String(t.outputLot)),
        quantity: a.quantity as bigint,
        uom: unitCode(String(t.outputUom)),
        origin: "transformed",
      });
    }
  }
  // Split and merged batches share their parents' product and unit: ancestors (deeper) resolve first.
  for (const l of [...lineage].reverse()) {
    const c = created.get(l.id);
    if (c === undefined || (c.productCode !== "" && c.uom !== "")) continue;
    const parent = created.get(c.parents[0] ?? "");
    created.set(l.id, { ...c, productCode: parent?.productCode ?? "", uom: parent?.uom ?? "" });
  }
  const resolved = lineage.flatMap((l) => created.get(l.id) ?? []);

  const custody: BatchHistory["custody"][number][] = [];
  for (const s of steps) {
    if (s.kind === "commissioning" || s.kind === "receiving") {
      custody.push({ batchId: s.batchId, org: s.org, since: s.eventTime, txHash: s.txHash });
    } else if (s.kind === "transforming" && s.detail.operation !== "split") {
      custody.push({ batchId: s.batchId, org: s.org, since: s.eventTime, txHash: s.txHash });
    }
  }
  return { batchId: id, lineage: resolved, steps, custody };
}

/** Marks the steps an errorDeclaration corrected (EventCorrected, by the steps' event ids and organisations). */
async function withCorrections(
  ledger: TraceLedger,
  provider: Provider,
  steps: TraceStep[],
  latest: number,
): Promise<TraceStep[]> {
  const eventIds = [...new Set(steps.flatMap((s) => (s.eventId !== undefined ? [s.eventId] : [])))];
  if (eventIds.length === 0) return steps;
  const address = await ledger.getAddress();
  const topic = ledger.interface.getEvent("EventCorrected").topicHash;
  const logs = await queryInChunks(
    (a, b) => provider.getLogs({ address, topics: [topic, eventIds], fromBlock: a, toBlock: b }),
    0,
    latest,
    { chunk: logRangeOf(provider) },
  );
  const corrections = new Map<string, NonNullable<StepBase["correction"]>>();
  for (const log of logs) {
    const e = ledger.interface.parseLog(log);
    if (e === null) continue;
    // Event ids are kept per organisation: a correction is of the step its organisation recorded.
    corrections.set(`${String(e.args.eventId)}|${String(e.args.org)}`.toLowerCase(), {
      reason: ERROR_REASONS[Number(e.args.reason)] ?? String(e.args.reason),
      correctiveIds: (e.args.correctiveIds as string[]).map(String),
      txHash: log.transactionHash,
    });
  }
  return steps.map((s) => {
    const c = s.eventId !== undefined ? corrections.get(`${s.eventId}|${s.org}`.toLowerCase()) : undefined;
    return c === undefined ? s : { ...s, correction: c };
  });
}

/**
 * Every batch made from `batchId` (splits, merges and transformations, transitively), from the
 * creating events. Used to show a recall's reach.
 */
export async function descendantsOf(ledger: TraceLedger, provider: Provider, batchId: string): Promise<string[]> {
  const latest = await provider.getBlockNumber();
  const chunk = { chunk: logRangeOf(provider) };
  const [splits, merges, transforms, parts] = await Promise.all([
    queryInChunks((a, b) => ledger.queryFilter(ledger.filters.BatchSplit(), a, b), 0, latest, chunk),
    queryInChunks((a, b) => ledger.queryFilter(ledger.filters.BatchesMerged(), a, b), 0, latest, chunk),
    queryInChunks((a, b) => ledger.queryFilter(ledger.filters.BatchTransformed(), a, b), 0, latest, chunk),
    queryInChunks((a, b) => ledger.queryFilter(ledger.filters.BatchPartShipped(), a, b), 0, latest, chunk),
  ]);
  const children = new Map<string, string[]>();
  const link = (parent: string, child: string) => {
    const k = parent.toLowerCase();
    children.set(k, [...(children.get(k) ?? []), child.toLowerCase()]);
  };
  for (const e of splits) for (const c of e.args.children) link(e.args.parent, c);
  for (const e of merges) for (const i of e.args.inputs) link(i, e.args.output);
  for (const e of transforms) for (const i of e.args.inputs) link(i, e.args.output);
  for (const e of parts) link(e.args.parent, e.args.part);
  const out: string[] = [];
  const seen = new Set<string>();
  const stack = [batchId.toLowerCase()];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const c of children.get(id) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}
