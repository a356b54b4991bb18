/** What the trace commands share: the event context options, times, batch lists. */
import { ZeroHash, id, isHexString } from "ethers";
import { InvalidInputError, LedgerError } from "../../src/errors.js";
import { documentHash } from "../../src/hash.js";
import * as ledger from "../../src/trace/ledger.js";
import { parseBatchRef, parseGln, parseQuantity, parseUnit } from "../../src/trace/vocabulary.js";
import { required } from "../common.js";

export interface ContextArgs {
  location: string;
  time: string;
  evidenceFile: string;
  evidenceHash: string;
  from: string;
  /** Optional on commands that take them (custody and disposition events). */
  quantity?: string;
  unit?: string;
  eventId?: string;
}

/** ISO 8601 date-time to unix seconds; a bare date means the start of that day in China (UTC+8). */
export function parseTime(field: string, input: string): bigint {
  const v = input.trim();
  const text = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00+08:00` : v;
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(ms)) {
    throw new InvalidInputError(field, input, "must be an ISO 8601 date or date-time, e.g. 2026-11-20T08:30:00+08:00");
  }
  return BigInt(Math.floor(ms / 1000));
}

/** A last day of validity (`2027-06-30`) to the end of that day in China; or a full date-time. */
export function parseValidUntil(field: string, input: string): bigint {
  const v = input.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return parseTime(field, v) + 86_399n;
  return parseTime(field, v);
}

export async function contextOf(a: ContextArgs, evidenceRequired = false): Promise<ledger.Context> {
  const evidenceHash = await documentHash("evidence hash", { file: a.evidenceFile, hash: a.evidenceHash });
  if (evidenceRequired && evidenceHash === ZeroHash) {
    throw new LedgerError("this step needs its evidence: give --evidence-file or --evidence-hash");
  }
  const quantity = (a.quantity ?? "") === "" ? undefined : parseQuantity(a.quantity!, "--quantity");
  if ((a.unit ?? "") !== "" && quantity === undefined) throw new LedgerError("--unit goes with --quantity");
  const eventId = (a.eventId ?? "").trim();
  return ledger.context(parseGln(a.location), evidenceHash, a.time === "" ? undefined : parseTime("--time", a.time), {
    ...(quantity !== undefined ? { quantity } : {}),
    ...((a.unit ?? "") !== "" ? { uom: parseUnit(a.unit!).hex } : {}),
    // A 32-byte hex id as is; any other id (an EPCIS URI) by its keccak256, as the EPCIS import records it.
    ...(eventId !== "" ? { eventId: isHexString(eventId, 32) ? eventId : id(eventId) } : {}),
  });
}

export function batchList(input: string | undefined, flag: string): string[] {
  const list = required(flag, input)
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
  if (list.length === 0) throw new LedgerError(`${flag}: give at least one batch`);
  return list.map(parseBatchRef);
}

export function time(seconds: bigint): string {
  if (seconds === 0n) return "";
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}
