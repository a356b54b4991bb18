/**
 * Recording a parsed EPCIS document's ledger actions ({@link parseEpcisDocument}) on the trace
 * ledger, in document order, skipping what is on chain already so that a re-run after a crash or a
 * refusal carries on where it stopped.
 */
import { AbiCoder, type Signer, ZeroAddress, keccak256, toUtf8Bytes } from "ethers";

import type { LegacyOverrides } from "../../chain.js";
import type { Deployment } from "../../deployment.js";
import { LedgerError } from "../../errors.js";
import { findOrganisation } from "../../registry.js";
import * as ledger from "../ledger.js";
import { encodeCode, parseProductCode, unitHex } from "../vocabulary.js";
import { EpcisError, ZX_NAMESPACE, type EpcisAction } from "./types.js";

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
  const signerAddress = await signer.getAddress();
  let done = 0;
  let skipped = 0;
  for (const x of actions) {
    if (await alreadyDone(d, x, signerAddress)) {
      skipped++;
      continue;
    }
    try {
      await recordAction(d, signer, x, o);
    } catch (e) {
      throw new EpcisActionRefused(x, done, e);
    }
    done++;
    opts.onRecorded?.(x);
  }
  return { recorded: done, skipped };
}

/**
 * The chain ids of one event's actions: keccak256 of its EPCIS `eventID` for the first, keccak256(abi.encode(that,
 * index)) for the others (an event naming two lots is two ledger calls, each recorded once).
 */
export function eventIdsFor<A extends EpcisAction>(eventID: string | undefined, actions: readonly A[]): A[] {
  if (eventID === undefined || eventID.trim() === "") return [...actions];
  const first = keccak256(toUtf8Bytes(eventID.trim()));
  return actions.map((a, i) => ({
    ...a,
    context: {
      ...a.context,
      eventId: i === 0 ? first : keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [first, i])),
    },
  }));
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
  }
}

/** Whether an action's effect is on chain already (a re-run after a crash skips it). */
async function alreadyDone(d: Deployment, a: EpcisAction, signer: string): Promise<boolean> {
  // An event with an id is recorded once: the chain knows whether it was (issue 19), no guess needed.
  if (a.context.eventId !== undefined && d.trace !== undefined) {
    const r = await d.trace.eventRecord(a.context.eventId);
    if (r.org !== ZeroAddress) return true;
  }
  const exists = async (id: string) => (await ledger.getBatch(d, id)) !== undefined;
  switch (a.kind) {
    case "commission":
    case "merge":
    case "transform":
      return exists(a.batchId);
    case "split":
      return exists(a.parts[0]!.batchId);
    case "ship": {
      const b = await ledger.getBatch(d, a.batch.batchId);
      return b?.status === "in_transit";
    }
    case "accept": {
      const b = await ledger.getBatch(d, a.batch.batchId);
      return b?.status === "active" && b.custodian.toLowerCase() === signer.toLowerCase();
    }
    case "sell":
      return (await ledger.getBatch(d, a.batch.batchId))?.status === "retail_sold";
    case "destroy":
      return (await ledger.getBatch(d, a.batch.batchId))?.status === "destroyed";
    default:
      return false;
  }
}

async function resolveParty(d: Deployment, a: EpcisAction & { kind: "ship" }): Promise<string> {
  const to = a.to?.trim();
  if (to === undefined || to === "") {
    throw new EpcisError(
      `${a.path}.destinationList`,
      "a shipment needs its receiver (possessing_party or owning_party)",
    );
  }
  const account = to.startsWith(`${ZX_NAMESPACE}account/`) ? to.slice(`${ZX_NAMESPACE}account/`.length) : to;
  const org = await findOrganisation(d, account);
  if (org === undefined) {
    throw new EpcisError(`${a.path}.destinationList`, `no registered organisation matches ${JSON.stringify(to)}`);
  }
  return org.account;
}
