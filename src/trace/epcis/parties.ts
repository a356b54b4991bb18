/**
 * Importing an EPCIS document whose events belong to several organisations.
 *
 * Each action is signed by the organisation the ledger requires for it: the product's producer for a
 * commissioning, the batch's custodian for an observation, shipment, sale, destruction or
 * transformation, the shipment's receiver for a receipt, the exported actor (`zx:actor`) for
 * certificates and recalls. That party is found in document order from the chain's state as this
 * import changes it. Receivers and other parties named by GLN (`urn:epc:id:pgln`, `urn:epc:id:sgln`,
 * Digital Link `/417/` or `/414/`) are mapped to registered organisations through a party directory
 * (GLN-13 → account, off chain: the organisation registry holds no GLN).
 *
 * Parts whose organisation's key the caller holds are recorded; the others, and every later event that
 * depends on them (same batch), wait for that organisation: {@link partDocuments} writes each one's part
 * as an EPCIS document to hand over. Nothing is half-applied silently: the result lists every event as
 * recorded, already recorded (its evidence is on chain: re-running resumes), waiting for a party, or
 * refused with the reason. A journal (`onEvent`) can keep the rows as they happen.
 */
import { type Signer, ZeroAddress } from "ethers";

import type { LegacyOverrides } from "../../chain.js";
import { type Deployment, requireTrace } from "../../deployment.js";
import { getOrganisation } from "../../registry.js";
import * as ledger from "../ledger.js";
import { parseProductCode, validGs1 } from "../vocabulary.js";
import { EpcisActionRefused, recordEpcisActions } from "./record.js";
import type { EpcisAction, ParsedEpcis, ParsedEvent } from "./types.js";
import { EPCIS_CONTEXT_VERSIONED } from "./types.js";

/** GLN-13 → account of the registered organisation it stands for. */
export type PartyDirectory = ReadonlyMap<string, string>;

/** The GLN-13 a party or location identifier names, or undefined when it names none. */
export function glnOf(uri: string): string | undefined {
  const v = uri.trim();
  const urn = /^urn:epc:id:(?:pgln|sgln):(\d+)\.(\d*)(?:\.[^.]*)?$/.exec(v);
  let gln: string | undefined;
  if (urn !== null) {
    const body = urn[1]! + urn[2]!;
    if (body.length === 12) {
      let s = 0;
      for (let i = 0; i < 12; i++) s += Number(body[11 - i]) * (i % 2 === 0 ? 3 : 1);
      gln = body + String((10 - (s % 10)) % 10);
    }
  } else {
    const dl = /^https?:\/\/[^?#]*\/(?:417|414)\/(\d{13})(?:[/?#].*)?$/.exec(v);
    if (dl !== null) gln = dl[1];
  }
  return gln !== undefined && validGs1(gln) ? gln : undefined;
}

/** A party directory from JSON `{ "<GLN-13>": "<account>" }`. */
export function partyDirectoryOf(json: unknown): PartyDirectory {
  const out = new Map<string, string>();
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new TypeError('a party directory is a JSON object { "<GLN-13>": "<account>" }');
  }
  for (const [gln, account] of Object.entries(json)) {
    if (!/^\d{13}$/.test(gln) || !validGs1(gln)) throw new TypeError(`${gln} is not a GLN-13 with a valid check digit`);
    if (typeof account !== "string") throw new TypeError(`the account of GLN ${gln} must be a string`);
    out.set(gln, account);
  }
  return out;
}

export type EventStatus = "recorded" | "already recorded" | "waiting" | "refused";

/** One event of the document and what became of it. */
export interface EventOutcome {
  readonly path: string;
  readonly eventID: string;
  readonly status: EventStatus;
  /** The organisation whose signature it needs (waiting) or that signed it. */
  readonly party?: string;
  /** Why it was refused, or what it waits for. */
  readonly reason?: string;
}

export interface ImportOptions {
  /** The keys the caller holds, by account. */
  readonly signers: ReadonlyMap<string, Signer>;
  readonly directory?: PartyDirectory;
  readonly overrides: LegacyOverrides;
  /** The reason a refusal is told with (the CLI passes `explain`). */
  readonly explain?: (e: unknown) => string;
  /** Called with each event's outcome as it is settled (a journal). */
  readonly onEvent?: (o: EventOutcome) => void;
}

interface BatchState {
  custodian: string;
  receiver?: string;
}

const lower = (a: string) => a.toLowerCase();

/** The batches an action reads or writes. */
function touched(a: EpcisAction): string[] {
  switch (a.kind) {
    case "commission":
      return [a.batchId];
    case "merge":
    case "transform":
      return [...a.inputs.map((i) => i.batchId), a.batchId];
    case "split":
      return [a.batch.batchId, ...a.parts.map((p) => p.batchId)];
    case "correct":
      return a.batches.map((b) => b.batchId);
    default:
      return [a.batch.batchId];
  }
}

/** Imports `parsed` as the organisations it concerns (see the module comment); returns one row per event. */
export async function importEpcisByParty(
  d: Deployment,
  parsed: ParsedEpcis,
  opts: ImportOptions,
): Promise<EventOutcome[]> {
  const state = new Map<string, BatchState | null>();
  const stateOf = async (id: string): Promise<BatchState | null> => {
    if (!state.has(id)) {
      const b = await ledger.getBatch(d, id);
      state.set(
        id,
        b === undefined
          ? null
          : { custodian: b.custodian, ...(b.receiver !== undefined ? { receiver: b.receiver } : {}) },
      );
    }
    return state.get(id)!;
  };
  const resolveTo = async (to: string | undefined): Promise<string | undefined> => {
    if (to === undefined) return undefined;
    const gln = glnOf(to);
    if (gln !== undefined) return opts.directory?.get(gln);
    return to;
  };

  /** Who must sign `a`, from the chain's state as this import leaves it. */
  const partyOf = async (a: EpcisAction, actor?: string): Promise<string | undefined> => {
    switch (a.kind) {
      case "commission":
        return (await ledger.getProduct(d, parseProductCode(a.productCode)))?.producer;
      case "transform":
      case "merge":
        return (await stateOf(a.inputs[0]!.batchId))?.custodian;
      case "accept":
        return (await stateOf(a.batch.batchId))?.receiver;
      case "certify":
      case "recall":
        return actor;
      case "correct": {
        // Only the organisation that recorded the event may declare it in error: the one whose key is held
        // and that recorded it, else the exported actor.
        for (const org of opts.signers.keys()) {
          if ((await requireTrace(d).eventRecord(org, a.declaredIds[0]!)).org !== ZeroAddress) return org;
        }
        return actor;
      }
      default:
        return (await stateOf(a.batch.batchId))?.custodian;
    }
  };

  const blocked = new Map<string, string>(); // batch id → the party it waits for
  const out: EventOutcome[] = [];
  for (const ev of parsed.events) {
    const actor = ev.recorded?.actor;
    let status: EventStatus = "already recorded";
    let party: string | undefined;
    let reason: string | undefined;
    for (const a0 of ev.actions) {
      const waitingFor = touched(a0)
        .map((id) => blocked.get(id))
        .find((p) => p !== undefined);
      if (waitingFor !== undefined) {
        status = "waiting";
        party = waitingFor;
        reason = `after an earlier event of ${waitingFor} on the same batch`;
        break;
      }
      let a = a0;
      if (a.kind === "ship") {
        const to = await resolveTo(a.to);
        if (a.to !== undefined && to === undefined) {
          status = "refused";
          reason = `the receiver ${a.to} is not in the party directory (GLN → registered organisation)`;
          break;
        }
        if (to !== undefined) a = { ...a, to };
      }
      const p = await partyOf(a, actor);
      party = p;
      if (p === undefined) {
        status = "refused";
        reason =
          a.kind === "correct"
            ? "the event it declares in error is not on this chain"
            : `no organisation can record it: ${a.kind === "accept" ? "the batch is not in transit" : a.kind === "commission" ? "the product is not registered" : "the batch is not on this chain"}`;
        break;
      }
      const signer = [...opts.signers.entries()].find(([k]) => lower(k) === lower(p))?.[1];
      if (signer === undefined) {
        status = "waiting";
        const org = await getOrganisation(d, p);
        reason = `needs the signature of ${org !== undefined ? `${org.name} (${p})` : p}`;
        for (const id of touched(a)) blocked.set(id, p);
        break;
      }
      try {
        const r = await recordEpcisActions(d, signer, [a], opts.overrides);
        if (r.recorded > 0) status = "recorded";
      } catch (e) {
        status = "refused";
        const cause = e instanceof EpcisActionRefused ? e.reason : e;
        reason = opts.explain?.(cause) ?? (cause as Error).message;
        break;
      }
      applyTo(state, a, p);
    }
    const row: EventOutcome = {
      path: ev.path,
      eventID: ev.eventID,
      status,
      ...(party !== undefined ? { party } : {}),
      ...(reason !== undefined ? { reason } : {}),
    };
    opts.onEvent?.(row);
    out.push(row);
  }
  return out;
}

function applyTo(state: Map<string, BatchState | null>, a: EpcisAction, signer: string): void {
  switch (a.kind) {
    case "commission":
      state.set(a.batchId, { custodian: signer });
      break;
    case "merge":
    case "transform":
      for (const i of a.inputs) state.set(i.batchId, null);
      state.set(a.batchId, { custodian: signer });
      break;
    case "split":
      for (const p of a.parts) state.set(p.batchId, { custodian: signer });
      break;
    case "ship":
      state.set(a.batch.batchId, { custodian: signer, ...(a.to !== undefined ? { receiver: a.to } : {}) });
      break;
    case "accept":
      state.set(a.batch.batchId, { custodian: signer });
      break;
    default:
      break;
  }
}

/**
 * The part of the document each waiting organisation must record, as an EPCIS document of its events
 * (unchanged, so their eventIDs and evidence hashes are the original's), by account.
 */
export function partDocuments(
  parsed: ParsedEpcis,
  outcomes: readonly EventOutcome[],
  context: unknown = EPCIS_CONTEXT_VERSIONED,
): Map<string, Record<string, unknown>> {
  const byPath = new Map<string, ParsedEvent>(parsed.events.map((e) => [e.path, e]));
  const parts = new Map<string, unknown[]>();
  for (const o of outcomes) {
    if (o.status !== "waiting" || o.party === undefined) continue;
    const ev = byPath.get(o.path);
    if (ev === undefined) continue;
    const list = parts.get(o.party) ?? [];
    // Unchanged: same evidence hash, and same eventID (given, or the hash ID computed again from it).
    list.push(JSON.parse(ev.canonical) as unknown);
    parts.set(o.party, list);
  }
  return new Map(
    [...parts.entries()].map(([party, eventList]) => [
      party,
      {
        "@context": context,
        type: "EPCISDocument",
        schemaVersion: "2.0",
        creationDate: new Date().toISOString(),
        epcisBody: { eventList },
      },
    ]),
  );
}
