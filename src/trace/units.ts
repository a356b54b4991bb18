/**
 * Serialised items and SSCC containers (contracts/trace/TraceUnits.sol): writes and reads as the EPCIS
 * import, the demo, the indexer and the tests use them. Every write is simulated before it is sent
 * (src/tx.ts), so a refusal comes back as one readable line and costs nothing.
 */
import { AbiCoder, type Signer, ZeroHash, encodeBytes32String, keccak256 } from "ethers";

import type { LegacyOverrides } from "../chain.js";
import { queryInChunks } from "../chain.js";
import { requireTraceUnits, type Deployment } from "../deployment.js";
import { InvalidInputError } from "../errors.js";
import { sendWrite, type Write } from "../tx.js";
import { gs1CheckDigit } from "./vocabulary.js";

export const UNIT_STATUSES = ["none", "active", "in_transit"] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

/** ITraceUnits.Context: where and when a step happened, the document that describes it and its event id. */
export interface UnitContext {
  readonly location: bigint;
  readonly eventTime: bigint;
  readonly evidenceHash: string;
  /** The EPCIS event id the organisation records the step under, once (absent: none). */
  readonly eventId?: string;
}

/** The fields TraceUnits takes, whatever else a lot event's context carries. */
const unitCtx = (c: UnitContext) => ({
  location: c.location,
  eventTime: c.eventTime,
  evidenceHash: c.evidenceHash,
  eventId: c.eventId ?? ZeroHash,
});

const ITEM_TAG = encodeBytes32String("sgtin");
const CONTAINER_TAG = encodeBytes32String("sscc");
const abi = AbiCoder.defaultAbiCoder();

/** A serial number (GS1 AI 21): 1 to 20 printable ASCII characters without spaces, left-aligned in bytes32. */
export function encodeSerial(serial: string): string {
  if (!/^[\x21-\x7e]{1,20}$/.test(serial)) {
    throw new InvalidInputError("serial", serial, "must be 1 to 20 printable ASCII characters without spaces");
  }
  return encodeBytes32String(serial);
}

/** An SSCC: 18 digits ending in a GS1 check digit. */
export function parseSscc(input: string): bigint {
  const v = input.trim();
  if (!/^\d{18}$/.test(v) || gs1CheckDigit(v.slice(0, 17)) !== Number(v[17])) {
    throw new InvalidInputError("sscc", input, "must be 18 digits ending in a GS1 check digit");
  }
  return BigInt(v);
}

export function formatSscc(n: bigint): string {
  return n.toString().padStart(18, "0");
}

/** `TraceUnits.itemId`: keccak256(abi.encode("sgtin", productCode, serial)); both as bytes32. */
export function itemIdOf(productCode: string, serial: string): string {
  return keccak256(abi.encode(["bytes32", "bytes32", "bytes32"], [ITEM_TAG, productCode, serial]));
}

/** `TraceUnits.containerId`: keccak256(abi.encode("sscc", assigner, sscc)). */
export function containerIdOf(assigner: string, sscc: bigint): string {
  return keccak256(abi.encode(["bytes32", "address", "uint64"], [CONTAINER_TAG, assigner, sscc]));
}

export interface UnitHolding {
  readonly holder: string;
  readonly role: number;
  readonly status: UnitStatus;
}

export async function holderOf(d: Deployment, unitId: string): Promise<UnitHolding | undefined> {
  const [holder, role, status] = await requireTraceUnits(d).holderOf(unitId);
  if (Number(status) === 0) return undefined;
  return { holder, role: Number(role), status: UNIT_STATUSES[Number(status)]! };
}

export async function receiverOf(d: Deployment, unitId: string): Promise<string | undefined> {
  const r = await requireTraceUnits(d).receiverOf(unitId);
  return /^0x0{40}$/i.test(r) ? undefined : r;
}

/**
 * The containers with SSCC `sscc`, one per organisation that assigned it (from the `UnitsPacked` records that
 * created them, read in chunks of at most 5,000 blocks).
 */
export async function containersWithSscc(d: Deployment, sscc: bigint): Promise<{ id: string; assigner: string }[]> {
  const units = requireTraceUnits(d);
  const latest = await units.runner!.provider!.getBlockNumber();
  const logs = await queryInChunks((a, b) => units.queryFilter(units.filters.UnitsPacked(), a, b), 0, latest);
  return logs
    .filter((l) => l.args.created && l.args.sscc === sscc)
    .map((l) => ({ id: l.args.containerId, assigner: l.args.assigner }));
}

function unitsFor(d: Deployment, signer: Signer) {
  return requireTraceUnits(d).connect(signer);
}

export function commissionItems(
  d: Deployment,
  signer: Signer,
  productCode: string,
  lotCode: string,
  serials: readonly string[],
  ctx: UnitContext,
  o: LegacyOverrides,
): Promise<Write<string[]>> {
  return sendWrite(unitsFor(d, signer).commissionItems, [productCode, lotCode, [...serials], unitCtx(ctx)], o);
}

export function pack(
  d: Deployment,
  signer: Signer,
  assigner: string,
  sscc: bigint,
  units: readonly string[],
  batches: readonly string[],
  ctx: UnitContext,
  o: LegacyOverrides,
): Promise<Write<string>> {
  return sendWrite(unitsFor(d, signer).pack, [assigner, sscc, [...units], [...batches], unitCtx(ctx)], o);
}

export function unpack(
  d: Deployment,
  signer: Signer,
  containerId: string,
  units: readonly string[],
  batches: readonly string[],
  ctx: UnitContext,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite<undefined>(unitsFor(d, signer).unpack, [containerId, [...units], [...batches], unitCtx(ctx)], o);
}

export function observe(
  d: Deployment,
  signer: Signer,
  units: readonly string[],
  bizStep: number,
  ctx: UnitContext,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite<undefined>(unitsFor(d, signer).observe, [[...units], bizStep, unitCtx(ctx)], o);
}

export function shipUnit(
  d: Deployment,
  signer: Signer,
  unitId: string,
  to: string,
  ctx: UnitContext,
  o: LegacyOverrides,
) {
  return sendWrite<undefined>(unitsFor(d, signer).ship, [unitId, to, unitCtx(ctx)], o);
}

export function acceptUnit(d: Deployment, signer: Signer, unitId: string, ctx: UnitContext, o: LegacyOverrides) {
  return sendWrite<undefined>(unitsFor(d, signer).accept, [unitId, unitCtx(ctx)], o);
}

export function recordAssociation(
  d: Deployment,
  signer: Signer,
  eventId: string,
  parent: string,
  children: readonly string[],
  add: boolean,
  ctx: UnitContext,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite<undefined>(
    unitsFor(d, signer).recordAssociation,
    [eventId, parent, [...children], add, unitCtx(ctx)],
    o,
  );
}

export function recordTransaction(
  d: Deployment,
  signer: Signer,
  eventId: string,
  add: boolean,
  transactions: readonly string[],
  units: readonly string[],
  batches: readonly string[],
  ctx: UnitContext,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite<undefined>(
    unitsFor(d, signer).recordTransaction,
    [eventId, add, [...transactions], [...units], [...batches], unitCtx(ctx)],
    o,
  );
}

/** The recorder of unit event `eventId` declares it in error (an EPCIS errorDeclaration), naming corrective events. */
export function correctEvent(
  d: Deployment,
  signer: Signer,
  c: { eventId: string; reason: number; correctiveIds: readonly string[] },
  o: LegacyOverrides,
) {
  return sendWrite<undefined>(unitsFor(d, signer).correctEvent, [c.eventId, c.reason, [...c.correctiveIds]], o);
}

export async function isRecorded(d: Deployment, recorder: string, eventId: string): Promise<boolean> {
  return requireTraceUnits(d).isRecorded(recorder, eventId);
}

/** Whether `recorder` has declared its unit event `eventId` in error. */
export async function isCorrected(d: Deployment, recorder: string, eventId: string): Promise<boolean> {
  return requireTraceUnits(d).isCorrected(recorder, eventId);
}
