/**
 * Recording unit events ({@link parseUnitEvent}) on TraceUnits, in document order, skipping what is on chain
 * already (an action whose event id the signer recorded; an item commissioned, a unit shipped to its receiver or
 * held by the signer by other means), so that a re-run carries on where it stopped.
 *
 * Containers: the SSCC of an event is resolved to `containerId(assigner, sscc)`: the container with that SSCC
 * held by the signer, or shipped to it; for packing, a new container assigned by the signer when it holds none.
 */
import { type Signer, ZeroHash } from "ethers";

import type { LegacyOverrides } from "../../chain.js";
import type { Deployment } from "../../deployment.js";
import { LedgerError } from "../../errors.js";
import * as units from "../units.js";
import { BIZ_STEPS, parseErrorReason, parseProductCode } from "../vocabulary.js";
import { eventKeyOf } from "./eventhash.js";
import type { AssociationKey, UnitAction, UnitRef } from "./serial.js";
import { EpcisError } from "./types.js";

/** A unit action the chain (or the node) refused: the import stops there; `reason` says why. */
export class UnitActionRefused extends LedgerError {
  constructor(
    readonly action: UnitAction,
    /** Actions recorded by this run before it. */
    readonly done: number,
    readonly reason: unknown,
    said: string = (reason as Error).message,
  ) {
    super(
      `${action.path} (${action.kind}): ${said} — ${done} action(s) recorded before it; fix and re-run: recorded ones are skipped`,
    );
    this.name = "UnitActionRefused";
  }
}

export interface RecordUnitOptions {
  /** The account of a receiving party as the document names it (`ship.to`); the CLI resolves registered ones. */
  readonly resolveParty?: (party: string | undefined, action: UnitAction) => Promise<string>;
  readonly onRecorded?: (action: UnitAction) => void;
}

/** Records `actions` as `signer`; throws {@link UnitActionRefused} at the first one refused. */
export async function recordUnitActions(
  d: Deployment,
  signer: Signer,
  actions: readonly UnitAction[],
  o: LegacyOverrides,
  opts: RecordUnitOptions = {},
): Promise<{ recorded: number; skipped: number }> {
  const me = await signer.getAddress();
  let done = 0;
  let skipped = 0;
  for (const x of actions) {
    try {
      if (await alreadyDone(d, x, me)) {
        skipped++;
        continue;
      }
      await recordAction(d, signer, me, x, o, opts);
    } catch (e) {
      throw new UnitActionRefused(x, done, e);
    }
    done++;
    opts.onRecorded?.(x);
  }
  return { recorded: done, skipped };
}

function productOf(gtin: string): string {
  return parseProductCode(gtin);
}

/** The on-chain id of an item, or of the container with the SSCC the signer holds or awaits. */
export async function unitIdOf(d: Deployment, u: UnitRef, me: string): Promise<string | undefined> {
  if (u.kind === "item") return units.itemIdOf(productOf(u.gtin), units.encodeSerial(u.serial));
  const mine = units.containerIdOf(me, u.sscc);
  if ((await units.holderOf(d, mine)) !== undefined) return mine;
  for (const c of await units.containersWithSscc(d, u.sscc)) {
    const h = await units.holderOf(d, c.id);
    if (h?.holder.toLowerCase() === me.toLowerCase()) return c.id;
    if ((await units.receiverOf(d, c.id))?.toLowerCase() === me.toLowerCase()) return c.id;
  }
  return undefined;
}

async function requireUnit(d: Deployment, u: UnitRef, me: string, path: string): Promise<string> {
  const id = await unitIdOf(d, u, me);
  if (id === undefined) {
    throw new EpcisError(
      path,
      `no container with SSCC ${units.formatSscc((u as { sscc: bigint }).sscc)} is held by or shipped to ${me}`,
    );
  }
  return id;
}

async function keyId(d: Deployment, k: AssociationKey, me: string, path: string): Promise<string> {
  if (k.kind === "other") return k.hash;
  if (k.kind === "batch") return k.batchId;
  return requireUnit(d, k.unit, me, path);
}

async function recordAction(
  d: Deployment,
  signer: Signer,
  me: string,
  x: UnitAction,
  o: LegacyOverrides,
  opts: RecordUnitOptions,
): Promise<void> {
  const ctx = x.context;
  const ids = (list: readonly UnitRef[]) => Promise.all(list.map((u) => requireUnit(d, u, me, x.path)));
  switch (x.kind) {
    case "commissionItems":
      await units.commissionItems(
        d,
        signer,
        productOf(x.gtin),
        ZeroHash, // serials of the product, bound to no lot
        x.serials.map(units.encodeSerial),
        ctx,
        o,
      );
      break;
    case "pack": {
      const held = await unitIdOf(d, { kind: "container", epc: "", sscc: x.sscc }, me);
      // A container this signer holds takes the contents; otherwise the signer assigns the SSCC here.
      const assigner = held === undefined ? me : await assignerOf(d, held, x.sscc, me);
      await units.pack(d, signer, assigner, x.sscc, await ids(x.units), x.batches, ctx, o);
      break;
    }
    case "unpack":
      await units.unpack(
        d,
        signer,
        await requireUnit(d, { kind: "container", epc: "", sscc: x.sscc }, me, x.path),
        await ids(x.units),
        x.batches,
        ctx,
        o,
      );
      break;
    case "observeUnits":
      await units.observe(d, signer, await ids(x.units), BIZ_STEPS[x.bizStep], ctx, o);
      break;
    case "shipUnit": {
      if (opts.resolveParty === undefined && x.to === undefined) {
        throw new EpcisError(
          `${x.path}.destinationList`,
          "a shipment needs its receiver (possessing_party or owning_party)",
        );
      }
      const to = opts.resolveParty !== undefined ? await opts.resolveParty(x.to, x) : x.to!;
      await units.shipUnit(d, signer, await requireUnit(d, x.unit, me, x.path), to, ctx, o);
      break;
    }
    case "acceptUnit":
      await units.acceptUnit(d, signer, await requireUnit(d, x.unit, me, x.path), ctx, o);
      break;
    case "association":
      await units.recordAssociation(
        d,
        signer,
        x.eventId,
        await keyId(d, x.parent, me, x.path),
        await Promise.all(x.children.map((k) => keyId(d, k, me, x.path))),
        x.add,
        ctx,
        o,
      );
      break;
    case "transaction":
      await units.recordTransaction(d, signer, x.eventId, x.add, x.transactions, await ids(x.units), x.batches, ctx, o);
      break;
    case "correctUnits": {
      // Each call the declared event stood for is marked in error by its recorder (never recorded again).
      const reason = parseErrorReason(x.reason);
      const correctiveIds = x.correctiveEventIDs.map(eventKeyOf);
      for (const id of x.declaredIds) {
        if (await units.isCorrected(d, me, id)) continue;
        await units.correctEvent(d, signer, { eventId: id, reason, correctiveIds }, o);
      }
      break;
    }
  }
}

async function assignerOf(d: Deployment, id: string, sscc: bigint, me: string): Promise<string> {
  if (units.containerIdOf(me, sscc) === id) return me;
  const found = (await units.containersWithSscc(d, sscc)).find((c) => c.id === id);
  return found?.assigner ?? me;
}

/** Whether an action's effect is on chain already (a re-run after a crash skips it). */
async function alreadyDone(d: Deployment, x: UnitAction, me: string): Promise<boolean> {
  const is = (a: string | undefined) => a?.toLowerCase() === me.toLowerCase();
  if (x.kind === "correctUnits") {
    for (const id of x.declaredIds) if (!(await units.isCorrected(d, me, id))) return false;
    return true;
  }
  // The organisation records each action's event id once: the chain says whether it did.
  if (await units.isRecorded(d, me, x.eventId)) return true;
  switch (x.kind) {
    case "commissionItems":
      return (
        (await units.holderOf(d, units.itemIdOf(productOf(x.gtin), units.encodeSerial(x.serials[0]!)))) !== undefined
      );
    case "shipUnit": {
      const id = await unitIdOf(d, x.unit, me);
      if (id === undefined) return false;
      const h = await units.holderOf(d, id);
      return h?.status === "in_transit" && is(h.holder);
    }
    case "acceptUnit": {
      const id = await unitIdOf(d, x.unit, me);
      if (id === undefined) return false;
      const h = await units.holderOf(d, id);
      return h?.status === "active" && is(h.holder) && (await units.receiverOf(d, id)) === undefined;
    }
    default:
      return false;
  }
}
