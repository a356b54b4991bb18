/**
 * Recording a parsed EPCIS document's ledger actions ({@link parseEpcisDocument}) on the trace
 * ledger, in document order, skipping what is on chain already so that a re-run after a crash or a
 * refusal carries on where it stopped.
 */
import { type Signer, ZeroAddress } from "ethers";

import type { LegacyOverrides } from "../../chain.js";
import { type Deployment, requireTrace } from "../../deployment.js";
import { LedgerError } from "../../errors.js";
import { findOrganisation } from "../../registry.js";
import { batchHistory } from "../history.js";
import * as ledger from "../ledger.js";
import { encodeCode, parseErrorReason, parseProductCode, unitHex } from "../vocabulary.js";
import { eventKeyOf } from "./eventhash.js";
import { EpcisError, type EpcisAction, inNamespace } from "./types.js";

/** An action the chain (or the node) refused: the import stops there; `cause` says why. */
export class EpcisActionRefused extends LedgerError {
  constructor(
    readonly action: EpcisAction,
    /** Actions recorded by this run before it. */
    readonly done: number,
    readonly reason: unknown,
    /** The reason as a user reads it (the edges pass their explanation). */
    said: string = (reason as Error).message,
  ) {
    super(
      `${action.path} (${action.kind}): ${said} — ${done} action(s) recorded before it; fix and re-run: recorded ones are skipped`,
    );
    this.name = "EpcisActionRefused";
  }
}

export interface RecordEpcisOptions {
  /** Called after each action is recorded. */
  readonly onRecorded?: (action: EpcisAction) => void;
  /** Called for each action found on chain already (by its event's evidence, see {@link alreadyRecorded}). */
  readonly onAlreadyRecorded?: (action: EpcisAction) => void;
}

/**
 * Records `actions` as `signer`; throws {@link EpcisActionRefused} at the first one refused.
 * Returns how many were recorded and how many were on chain already.
 */
export async function recordEpcisActions(
  d: Deployment,
  signer: Signer,
  actions: readonly EpcisAction[],
  o: LegacyOverrides,
  opts: RecordEpcisOptions = {},
): Promise<{ recorded: number; skipped: number }> {
  let done = 0;
  let skipped = 0;
  const seen = new OnChain(d, await signer.getAddress());
  for (const x of actions) {
    if (await seen.has(x)) {
      skipped++;
      opts.onAlreadyRecorded?.(x);
      continue;
    }
    try {
      await recordAction(d, signer, x, o);
    } catch (e) {
      throw new EpcisActionRefused(x, done, e);
    }
    seen.add(x);
    done++;
    opts.onRecorded?.(x);
  }
  return { recorded: done, skipped };
}

/** The ledger context of an action: where, when, evidence, its event id, disposition and the lot's quantity. */
function chainContext(x: EpcisAction): ledger.Context {
  const c = x.context;
  // Custody and disposition events carry the quantityList entry's quantity and unit (0: the whole lot).
  const b = "batch" in x && x.kind !== "certify" && x.kind !== "recall" ? x.batch : undefined;
  return ledger.context(c.location, c.evidenceHash, c.eventTime, {
    ...(c.eventId !== undefined ? { eventId: c.eventId } : {}),
    ...(c.disposition !== undefined ? { disposition: c.disposition } : {}),
    ...(b?.quantity !== undefined ? { quantity: b.quantity } : {}),
    ...(b?.quantity !== undefined && b.uom !== undefined ? { uom: unitHex(b.uom) } : {}),
  });
}

async function recordAction(d: Deployment, signer: Signer, x: EpcisAction, o: LegacyOverrides): Promise<void> {
  const ctx = chainContext(x);
  switch (x.kind) {
    case "commission":
      await ledger.commissionBatch(
        d,
        signer,
        {
          productCode: parseProductCode(x.productCode),
          lotCode: encodeCode("lot", x.lotCode),
          quantity: x.quantity,
          uom: unitHex(x.uom),
          giCertificate: x.giCertificate ?? 0,
        },
        ctx,
        o,
      );
      break;
    case "observe":
      await ledger.recordEvent(d, signer, x.batch.batchId, x.bizStep, ctx, o);
      break;
    case "ship":
      await ledger.ship(d, signer, x.batch.batchId, await resolveParty(d, x), ctx, o);
      break;
    case "accept":
      await ledger.accept(d, signer, x.batch.batchId, ctx, o);
      break;
    case "split":
      await ledger.split(
        d,
        signer,
        x.batch.batchId,
        x.parts.map((p) => ({ lotCode: encodeCode("lot", p.lotCode), quantity: p.quantity })),
        ctx,
        o,
      );
      break;
    case "merge":
      await ledger.merge(
        d,
        signer,
        x.inputs.map((i) => i.batchId),
        encodeCode("lot", x.lotCode),
        ctx,
        o,
      );
      break;
    case "transform":
      await ledger.transform(
        d,
        signer,
        x.inputs.map((i) => i.batchId),
        {
          outputProduct: parseProductCode(x.outputProduct),
          outputLot: encodeCode("lot", x.outputLot),
          outputUom: unitHex(x.outputUom),
          ratioPpm: x.ratioPpm,
          giCertificate: x.giCertificate ?? 0,
        },
        ctx,
        o,
      );
      break;
    case "sell":
      await ledger.sell(d, signer, x.batch.batchId, ctx, o);
      break;
    case "destroy":
      await ledger.destroy(d, signer, x.batch.batchId, ctx, o);
      break;
    case "certify":
      await ledger.certify(d, signer, x.batch.batchId, x, o);
      break;
    case "recall":
      await ledger.recall(d, signer, x.batch.batchId, x.reasonHash, o);
      break;
    case "correct": {
      // Each ledger call the declared event stood for is marked in error (never recorded again as itself).
      const reason = parseErrorReason(x.reason);
      const correctiveIds = x.correctiveEventIDs.map(eventKeyOf);
      const me = await signer.getAddress();
      for (const id of x.declaredIds) {
        const r = await requireTrace(d).eventRecord(me, id);
        if (r.corrected) continue;
        await ledger.correctEvent(d, signer, { eventId: id, reason, correctiveIds }, o);
      }
      break;
    }
  }
}

/** The batch whose log records an action (the new batch for commission, merge, transform; the parent for split). */
function recordingBatch(a: EpcisAction): string | undefined {
  switch (a.kind) {
    case "commission":
    case "merge":
    case "transform":
      return a.batchId;
    case "correct":
      return undefined;
    default:
      return a.batch.batchId;
  }
}

/** The evidence a recorded action leaves in its log: the context's evidence hash (report or reason hash for certificates and recalls). */
function evidenceOf(a: EpcisAction): string {
  if (a.kind === "certify") return a.reportHash.toLowerCase();
  if (a.kind === "recall") return a.reasonHash.toLowerCase();
  return a.context.evidenceHash.toLowerCase();
}

/**
 * What is on chain already: an action is recorded when its batch's logs hold a step of its kind with
 * its event's evidence hash (keccak256 of the event's canonical JSON), so that re-importing a document,
 * even re-formatted, records nothing twice, and another event that merely leaves the same state is not
 * mistaken for it. Once TraceLedger keeps event ids (bytes32 `eventKey`), this is one view call.
 */
class OnChain {
  private readonly cache = new Map<string, Set<string>>();
  constructor(
    private readonly d: Deployment,
    private readonly signer: string,
  ) {}

  private key(a: EpcisAction): string {
    return `${a.kind}:${evidenceOf(a)}`;
  }

  async has(a: EpcisAction): Promise<boolean> {
    // An organisation records an event id once: the chain says whether this signer did (no guess from state).
    const trace = requireTrace(this.d);
    if (a.kind === "correct") {
      const records = await Promise.all(a.declaredIds.map((id) => trace.eventRecord(this.signer, id)));
      return records.every((r) => r.corrected);
    }
    if (
      a.context.eventId !== undefined &&
      (await trace.eventRecord(this.signer, a.context.eventId)).org !== ZeroAddress
    )
      return true;
    const id = recordingBatch(a);
    if (id === undefined) return false;
    let set = this.cache.get(id);
    if (set === undefined) {
      set = await this.load(id);
      this.cache.set(id, set);
    }
    return set.has(this.key(a));
  }

  add(a: EpcisAction): void {
    const id = recordingBatch(a);
    if (id !== undefined) this.cache.get(id)?.add(this.key(a));
  }

  private async load(batchId: string): Promise<Set<string>> {
    const out = new Set<string>();
    if ((await ledger.getBatch(this.d, batchId)) === undefined) return out;
    const trace = requireTrace(this.d);
    const h = await batchHistory(trace, trace.runner!.provider!, batchId);
    for (const st of h.steps) {
      if (st.batchId.toLowerCase() !== batchId.toLowerCase()) continue;
      const kind = KIND_OF_STEP[st.kind] ?? (st.kind === "transforming" ? transformKind(st.detail) : "observe");
      if (st.kind === "certificate") out.add(`certify:${String(st.detail.reportHash).toLowerCase()}`);
      else if (st.kind === "recall") out.add(`recall:${String(st.detail.reasonHash).toLowerCase()}`);
      else out.add(`${kind}:${st.evidenceHash.toLowerCase()}`);
    }
    return out;
  }
}

const KIND_OF_STEP: Readonly<Record<string, EpcisAction["kind"]>> = {
  commissioning: "commission",
  shipping: "ship",
  receiving: "accept",
  retail_selling: "sell",
  destroying: "destroy",
};

function transformKind(detail: unknown): EpcisAction["kind"] {
  const op = (detail as { operation?: string }).operation;
  return op === "split" ? "split" : op === "merge" ? "merge" : "transform";
}

async function resolveParty(d: Deployment, a: EpcisAction & { kind: "ship" }): Promise<string> {
  const to = a.to?.trim();
  if (to === undefined || to === "") {
    throw new EpcisError(
      `${a.path}.destinationList`,
      "a shipment needs its receiver (possessing_party or owning_party)",
    );
  }
  const own = inNamespace(to);
  const account = own !== undefined && own.rest.startsWith("account/") ? own.rest.slice("account/".length) : to;
  const org = await findOrganisation(d, account);
  if (org === undefined) {
    throw new EpcisError(`${a.path}.destinationList`, `no registered organisation matches ${JSON.stringify(to)}`);
  }
  return org.account;
}
