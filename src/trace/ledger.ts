/**
 * The traceability ledger's writes and reads, as the CLI, the demo, the indexer and the tests use
 * them. Quantities are bigint thousandths of the unit; every write is simulated before it is sent
 * (src/tx.ts), so a refusal comes back as one readable line and costs nothing.
 */
import { type Signer, ZeroHash } from "ethers";

import type { ITraceLedger, TraceLedger } from "../../types/ethers-contracts/contracts/trace/TraceLedger.js";
import type { LegacyOverrides } from "../chain.js";
import { requireTrace, type Deployment } from "../deployment.js";
import { LedgerError } from "../errors.js";
import { sendWrite, type Write } from "../tx.js";
import {
  BATCH_STATUSES,
  BIZ_STEPS,
  CATEGORIES,
  CERT_RESULTS,
  type BatchStatus,
  type BizStep,
  type Category,
  decodeCode,
  unitCode,
} from "./vocabulary.js";

/**
 * Where and when, the evidence document's hash, and what the event document says of itself: its EPCIS
 * eventID (a bytes32 hash, ZeroHash for none: the chain records an id once), its quantity (thousandths of
 * `uom`; 0n = the whole batch) and unit (`0x000000` = the batch's), and its CBV disposition code (0: none).
 */
export interface Context {
  readonly location: bigint;
  readonly eventTime: bigint;
  readonly evidenceHash: string;
  readonly eventId: string;
  readonly quantity: bigint;
  readonly uom: string;
  readonly disposition: number;
}

/** What an event may state beyond where and when: see `Context`. */
export interface EventFacts {
  readonly eventId?: string;
  readonly quantity?: bigint;
  /** A UN/CEFACT code as the chain stores it (`unitHex("KGM")`). */
  readonly uom?: string;
  readonly disposition?: number;
}

/** A context at `location` now, or at a given time, with the event's own facts when it states them. */
export function context(
  location: bigint,
  evidenceHash: string = ZeroHash,
  eventTime?: bigint,
  facts: EventFacts = {},
): Context {
  return {
    location,
    eventTime: eventTime ?? BigInt(Math.floor(Date.now() / 1000)),
    evidenceHash,
    eventId: facts.eventId ?? ZeroHash,
    quantity: facts.quantity ?? 0n,
    uom: facts.uom ?? "0x000000",
    disposition: facts.disposition ?? 0,
  };
}

export interface BatchView {
  readonly batchId: string;
  readonly productCode: string;
  readonly custodian: string;
  readonly custodianRole: number;
  readonly status: BatchStatus;
  readonly recalled: boolean;
  readonly recalledDirectly: boolean;
  readonly uom: string;
  readonly quantity: bigint;
  readonly cert: (typeof CERT_RESULTS)[number];
  readonly certValidUntil: bigint;
  readonly giCertificate: number;
  readonly parents: readonly string[];
  readonly receiver: string | undefined;
  readonly sellable: boolean;
  /** The latest event time recorded on the batch (event order). */
  readonly lastEventTime: bigint;
  /** What left the batch in part (thousandths of its unit). */
  readonly flows: { readonly sold: bigint; readonly destroyed: bigint; readonly shippedOff: bigint };
}

export interface ProductView {
  readonly productCode: string;
  readonly producer: string;
  readonly category: Category;
  readonly geographicIndication: boolean;
}

function ledgerFor(d: Deployment, signer: Signer): TraceLedger {
  return requireTrace(d).connect(signer);
}

export function registerProduct(
  d: Deployment,
  signer: Signer,
  p: { productCode: string; category: number; producer: string; geographicIndication: boolean; metadataHash: string },
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(
    ledgerFor(d, signer).registerProduct,
    [p.productCode, p.category, p.producer, p.geographicIndication, p.metadataHash],
    o,
  );
}

export function setInspectionRequired(
  d: Deployment,
  signer: Signer,
  category: number,
  required: boolean,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).setInspectionRequired, [category, required], o);
}

export function issueGiCertificate(
  d: Deployment,
  signer: Signer,
  g: { producer: string; productCode: string; uom: string; ceiling: bigint; validUntil: bigint; documentHash: string },
  o: LegacyOverrides,
): Promise<Write<bigint>> {
  return sendWrite(
    ledgerFor(d, signer).issueGiCertificate,
    [g.producer, g.productCode, g.uom, g.ceiling, g.validUntil, g.documentHash],
    o,
  );
}

export function commissionBatch(
  d: Deployment,
  signer: Signer,
  c: ITraceLedger.CommissionStruct,
  ctx: Context,
  o: LegacyOverrides,
): Promise<Write<string>> {
  return sendWrite(ledgerFor(d, signer).commissionBatch, [c, ctx], o);
}

export function recordEvent(
  d: Deployment,
  signer: Signer,
  batchId: string,
  step: BizStep,
  ctx: Context,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).recordEvent, [batchId, BIZ_STEPS[step], ctx], o);
}

export function ship(d: Deployment, signer: Signer, batchId: string, to: string, ctx: Context, o: LegacyOverrides) {
  return sendWrite<undefined>(ledgerFor(d, signer).ship, [batchId, to, ctx], o);
}

/** Ships `ctx.quantity` of the batch (less than it holds) as a new batch under `lotCode`; returns its id. */
export function shipPart(
  d: Deployment,
  signer: Signer,
  p: { batchId: string; lotCode: string; to: string },
  ctx: Context,
  o: LegacyOverrides,
): Promise<Write<string>> {
  return sendWrite(ledgerFor(d, signer).shipPart, [p.batchId, p.lotCode, p.to, ctx], o);
}

/** The product's producer declares 1 `from` = `ppm` millionths of `to` (units as `unitHex` gives them). */
export function declareConversion(
  d: Deployment,
  signer: Signer,
  c: { productCode: string; from: string; to: string; ppm: bigint },
  o: LegacyOverrides,
) {
  return sendWrite<undefined>(ledgerFor(d, signer).declareConversion, [c.productCode, c.from, c.to, c.ppm], o);
}

/** The recorder of event `eventId` declares it in error (an EPCIS errorDeclaration), naming corrective events. */
export function correctEvent(
  d: Deployment,
  signer: Signer,
  c: { eventId: string; reason: number; correctiveIds: readonly string[] },
  o: LegacyOverrides,
) {
  return sendWrite<undefined>(ledgerFor(d, signer).correctEvent, [c.eventId, c.reason, [...c.correctiveIds]], o);
}

export function accept(d: Deployment, signer: Signer, batchId: string, ctx: Context, o: LegacyOverrides) {
  return sendWrite<undefined>(ledgerFor(d, signer).accept, [batchId, ctx], o);
}

export function cancelShipment(d: Deployment, signer: Signer, batchId: string, o: LegacyOverrides) {
  return sendWrite<undefined>(ledgerFor(d, signer).cancelShipment, [batchId], o);
}

export function split(
  d: Deployment,
  signer: Signer,
  batchId: string,
  parts: readonly { lotCode: string; quantity: bigint }[],
  ctx: Context,
  o: LegacyOverrides,
): Promise<Write<string[]>> {
  return sendWrite(
    ledgerFor(d, signer).split,
    [batchId, parts.map((p) => p.lotCode), parts.map((p) => p.quantity), ctx],
    o,
  );
}

export function merge(
  d: Deployment,
  signer: Signer,
  inputs: readonly string[],
  lotCode: string,
  ctx: Context,
  o: LegacyOverrides,
): Promise<Write<string>> {
  return sendWrite(ledgerFor(d, signer).merge, [[...inputs], lotCode, ctx], o);
}

export function transform(
  d: Deployment,
  signer: Signer,
  inputs: readonly string[],
  t: ITraceLedger.TransformationStruct,
  ctx: Context,
  o: LegacyOverrides,
): Promise<Write<string>> {
  return sendWrite(ledgerFor(d, signer).transform, [[...inputs], t, ctx], o);
}

export function sell(d: Deployment, signer: Signer, batchId: string, ctx: Context, o: LegacyOverrides) {
  return sendWrite<undefined>(ledgerFor(d, signer).sell, [batchId, ctx], o);
}

export function destroy(d: Deployment, signer: Signer, batchId: string, ctx: Context, o: LegacyOverrides) {
  return sendWrite<undefined>(ledgerFor(d, signer).destroy, [batchId, ctx], o);
}

export function certify(
  d: Deployment,
  signer: Signer,
  batchId: string,
  c: { passed: boolean; validUntil: bigint; reportHash: string },
  o: LegacyOverrides,
) {
  return sendWrite<undefined>(ledgerFor(d, signer).certify, [batchId, c.passed, c.validUntil, c.reportHash], o);
}

/** MARKET_REGULATOR: reopen a failed batch to inspection (the decision document's hash is recorded). */
export function allowReinspection(
  d: Deployment,
  signer: Signer,
  batchId: string,
  decisionHash: string,
  o: LegacyOverrides,
) {
  return sendWrite<undefined>(ledgerFor(d, signer).allowReinspection, [batchId, decisionHash], o);
}

/** MARKET_REGULATOR: correct a product's category and producer. */
export function correctProduct(
  d: Deployment,
  signer: Signer,
  p: { productCode: string; category: number; producer: string; reasonHash: string },
  o: LegacyOverrides,
) {
  return sendWrite<undefined>(
    ledgerFor(d, signer).correctProduct,
    [p.productCode, p.category, p.producer, p.reasonHash],
    o,
  );
}

export function recall(d: Deployment, signer: Signer, batchId: string, reasonHash: string, o: LegacyOverrides) {
  return sendWrite<bigint>(ledgerFor(d, signer).recall, [batchId, reasonHash], o);
}

export function acknowledgeRecall(
  d: Deployment,
  signer: Signer,
  a: { recallId: bigint; batchId: string; action: number; quantity: bigint; evidenceHash: string },
  o: LegacyOverrides,
) {
  return sendWrite<undefined>(
    ledgerFor(d, signer).acknowledgeRecall,
    [a.recallId, a.batchId, a.action, a.quantity, a.evidenceHash],
    o,
  );
}

// ---------------------------------------------------------------- reads

export async function getProduct(d: Deployment, productCode: string): Promise<ProductView | undefined> {
  const p = await requireTrace(d).product(productCode);
  if (p.seq === 0n) return undefined;
  return {
    productCode: decodeCode(productCode),
    producer: p.producer,
    category: CATEGORIES[Number(p.category)] ?? "agricultural",
    geographicIndication: p.geographicIndication,
  };
}

export async function getBatch(d: Deployment, batchId: string): Promise<BatchView | undefined> {
  const ledger = requireTrace(d);
  const b = await ledger.batch(batchId);
  if (b.status === 0n) return undefined;
  const [recalled, parents, sellable, productCode, flows] = await Promise.all([
    ledger.isRecalled(batchId),
    ledger.parentsOf(batchId),
    ledger.isSellable(batchId),
    ledger.productCodeAt(b.productSeq),
    ledger.flowsOf(batchId),
  ]);
  return {
    batchId,
    productCode: decodeCode(productCode),
    custodian: b.custodian,
    custodianRole: Number(b.custodianRole),
    status: BATCH_STATUSES[Number(b.status)] ?? "none",
    recalled,
    recalledDirectly: b.recalled,
    uom: unitCode(b.uom),
    quantity: b.quantity,
    cert: CERT_RESULTS[Number(b.cert)] ?? "none",
    certValidUntil: b.certValidUntil,
    giCertificate: Number(b.giCertificate),
    parents: [...parents],
    receiver: b.status === 2n ? b.receiver : undefined,
    sellable,
    lastEventTime: b.lastEventTime,
    flows: { sold: flows.sold, destroyed: flows.destroyed, shippedOff: flows.shippedOff },
  };
}

export async function requireBatch(d: Deployment, batchId: string): Promise<BatchView> {
  const b = await getBatch(d, batchId);
  if (b === undefined) throw new LedgerError(`no batch ${batchId} on this chain`);
  return b;
}
