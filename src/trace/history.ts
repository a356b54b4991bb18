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
import { type BizStep, RECALL_ACTIONS, bizStepName, decodeCode, unitCode } from "./vocabulary.js";

export type StepKind = BizStep | "certificate" | "recall" | "recall_acknowledged" | "shipment_cancelled";

/** One thing that happened to one batch. */
export interface TraceStep {
  readonly batchId: string;
  readonly kind: StepKind;
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
  /** Kind-specific facts: inputs/outputs, quantities, certificate result, recall id... */
  readonly detail: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

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
}

function step(
  p: Parsed,
  batchId: string,
  kind: StepKind,
  org: string,
  ctx: Ctx | undefined,
  detail: TraceStep["detail"] = {},
  counterparty?: string,
): TraceStep {
  return {
    batchId,
    kind,
    org,
    ...(counterparty !== undefined ? { counterparty } : {}),
    location: ctx?.location ?? 0n,
    eventTime: ctx?.eventTime ?? 0n,
    evidenceHash: ctx?.evidenceHash ?? "0x" + "0".repeat(64),
    txHash: p.log.transactionHash,
    blockNumber: p.log.blockNumber,
    logIndex: p.log.index,
    detail,
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
          step(p, String(a.batchId), "commissioning", String(a.producer), ctx, {
            lotCode: decodeCode(String(a.lotCode)),
            quantity: String(a.quantity),
            uom: unitCode(String(a.uom)),
            giCertificate: Number(a.giCertificate),
          }),
        );
        break;
      case "BatchObserved":
        steps.push(step(p, String(a.batchId), bizStepName(a.bizStep as bigint), String(a.org), ctx));
        break;
      case "BatchShipped":
        steps.push(step(p, String(a.batchId), "shipping", String(a.from), ctx, {}, String(a.to)));
        break;
      case "BatchReceived":
        steps.push(step(p, String(a.batchId), "receiving", String(a.to), ctx, {}, String(a.from)));
        break;
      case "ShipmentCancelled":
        steps.push(
          step(
            p,
            String(a.batchId),
            "shipment_cancelled",
            String(a.by),
            undefined,
            { refused: Boolean(a.refused) },
            String(a.receiver),
          ),
        );
        break;
      case "BatchSplit":
        steps.push(
          step(p, String(a.parent), "transforming", String(a.org), ctx, {
            operation: "split",
            outputs: (a.children as string[]).map(String),
            lotCodes: (a.lotCodes as string[]).map((x) => decodeCode(String(x))),
            quantities: (a.quantities as bigint[]).map(String),
          }),
        );
        break;
      case "BatchesMerged":
        steps.push(
          step(p, String(a.output), "transforming", String(a.org), ctx, {
            operation: "merge",
            inputs: (a.inputs as string[]).map(String),
            quantity: String(a.quantity),
          }),
        );
        break;
      case "BatchTransformed": {
        const t = a.transformation as unknown as { ratioPpm: bigint; outputUom: string; giCertificate: bigint };
        steps.push(
          step(p, String(a.output), "transforming", String(a.org), ctx, {
            operation: "transform",
            inputs: (a.inputs as string[]).map(String),
            quantity: String(a.quantity),
            uom: unitCode(String(t.outputUom)),
            ratioPpm: Number(t.ratioPpm),
            giCertificate: Number(t.giCertificate),
          }),
        );
        break;
      }
      case "BatchSold":
        steps.push(step(p, String(a.batchId), "retail_selling", String(a.retailer), ctx));
        break;
      case "BatchDestroyed":
        steps.push(step(p, String(a.batchId), "destroying", String(a.org), ctx));
        break;
      case "CertificateRecorded":
        steps.push(
          step(p, String(a.batchId), "certificate", String(a.inspector), undefined, {
            passed: Boolean(a.passed),
            validUntil: String(a.validUntil),
            reportHash: String(a.reportHash),
          }),
        );
        break;
      case "BatchRecalled":
        steps.push(
          step(p, String(a.batchId), "recall", String(a.regulator), undefined, {
            recallId: Number(a.recallId),
            reasonHash: String(a.reasonHash),
          }),
        );
        break;
      case "RecallAcknowledged":
        steps.push(
          step(p, String(a.batchId), "recall_acknowledged", String(a.holder), undefined, {
            recallId: Number(a.recallId),
            action: RECALL_ACTIONS[Number(a.action)] ?? "none",
            quantity: String(a.quantity),
          }),
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
  const steps = toSteps(parsed, idSet);

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

/**
 * Every batch made from `batchId` (splits, merges and transformations, transitively), from the
 * creating events. Used to show a recall's reach.
 */
export async function descendantsOf(ledger: TraceLedger, provider: Provider, batchId: string): Promise<string[]> {
  const latest = await provider.getBlockNumber();
  const chunk = { chunk: logRangeOf(provider) };
  const [splits, merges, transforms] = await Promise.all([
    queryInChunks((a, b) => ledger.queryFilter(ledger.filters.BatchSplit(), a, b), 0, latest, chunk),
    queryInChunks((a, b) => ledger.queryFilter(ledger.filters.BatchesMerged(), a, b), 0, latest, chunk),
    queryInChunks((a, b) => ledger.queryFilter(ledger.filters.BatchTransformed(), a, b), 0, latest, chunk),
  ]);
  const children = new Map<string, string[]>();
  const link = (parent: string, child: string) => {
    const k = parent.toLowerCase();
    children.set(k, [...(children.get(k) ?? []), child.toLowerCase()]);
  };
  for (const e of splits) for (const c of e.args.children) link(e.args.parent, c);
  for (const e of merges) for (const i of e.args.inputs) link(i, e.args.output);
  for (const e of transforms) for (const i of e.args.inputs) link(i, e.args.output);
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
