/**
 * What a trading partner's chain would hold before a document's serialised-unit events (GS1's examples), set up
 * from the events themselves: shared by the unit tests (test/trace/serial.ts) and the GS1 conformance harness
 * (test/trace/conformance.ts), so both count the same thing.
 */
import type { Signer } from "ethers";
import { ZeroHash, id } from "ethers";

import type { LegacyOverrides } from "../../src/chain.js";
import type { Deployment } from "../../src/deployment.js";
import { parseEpcClass } from "../../src/trace/epcis/identifiers.js";
import type { UnitAction, UnitRef } from "../../src/trace/epcis/serial.js";
import { unitIdOf } from "../../src/trace/epcis/serial-record.js";
import * as ledger from "../../src/trace/ledger.js";
import * as units from "../../src/trace/units.js";
import { batchIdOf, encodeCode, parseProductCode, unitHex } from "../../src/trace/vocabulary.js";

/** The two organisations the examples' units move between: a producer and the logistics company receiving. */
export interface UnitParties {
  readonly d: Deployment;
  readonly producer: Signer & { readonly address: string };
  readonly logistics: Signer & { readonly address: string };
  readonly overrides: LegacyOverrides;
  /** The chain's time now (unix seconds): set-up records are dated then. */
  readonly now: () => Promise<bigint>;
}

/**
 * Who records an event, as the party that did it would: the receiver of a receipt (the logistics company), the
 * recorder of the event a correction declares in error, else whoever holds the event's first unit on chain, else
 * the producer.
 */
export async function unitSignerFor(p: UnitParties, actions: readonly UnitAction[]): Promise<UnitParties["producer"]> {
  if (actions.some((a) => a.kind === "acceptUnit")) return p.logistics;
  // A correction is by the organisation that recorded the event it declares in error.
  const correction = actions.find((a) => a.kind === "correctUnits");
  if (correction !== undefined && (await units.isRecorded(p.d, p.logistics.address, correction.declaredIds[0]!)))
    return p.logistics;
  const first = actions.flatMap((a) =>
    a.kind === "observeUnits" || a.kind === "transaction" ? a.units : a.kind === "shipUnit" ? [a.unit] : [],
  )[0];
  const uid = first === undefined ? undefined : await unitIdOf(p.d, first, p.logistics.address);
  const holder = uid === undefined ? undefined : (await units.holderOf(p.d, uid))?.holder;
  return holder === p.logistics.address ? p.logistics : p.producer;
}

/**
 * What a partner's chain would hold before these events: the products registered to the producer, the items
 * commissioned by it, its containers packed, and what the logistics company receives shipped to it; the lots a
 * pack or a transaction names commissioned by the producer.
 */
export async function prepareUnits(
  p: UnitParties,
  actions: readonly UnitAction[],
  signer: UnitParties["producer"],
): Promise<void> {
  const { d, producer, overrides: o } = p;
  const time = await p.now();
  const ctx = { location: 0n, eventTime: time, evidenceHash: id("setup") };
  const product = async (gtin: string) => {
    const code = parseProductCode(gtin);
    if ((await ledger.getProduct(d, code)) === undefined) {
      await ledger.registerProduct(
        d,
        producer,
        {
          productCode: code,
          category: 1,
          producer: producer.address,
          geographicIndication: false,
          metadataHash: id(gtin),
        },
        o,
      );
    }
    return code;
  };
  const item = async (u: UnitRef & { kind: "item" }) => {
    const code = await product(u.gtin);
    const itemId = units.itemIdOf(code, units.encodeSerial(u.serial));
    if ((await units.holderOf(d, itemId)) === undefined) {
      await units.commissionItems(d, producer, code, ZeroHash, [units.encodeSerial(u.serial)], ctx, o);
    }
    return itemId;
  };
  const unit = async (u: UnitRef) => {
    if (u.kind === "item") return item(u);
    const cid = units.containerIdOf(producer.address, u.sscc);
    if ((await units.holderOf(d, cid)) === undefined) {
      const filler = await item({ kind: "item", epc: "", gtin: "06923456000117", serial: `F${u.sscc % 1_000_000n}` });
      await units.pack(d, producer, producer.address, u.sscc, [filler], [], ctx, o);
    }
    return cid;
  };
  for (const a of actions) {
    for (const epc of a.kind === "pack" || a.kind === "transaction" ? a.lotEpcs : []) {
      const { productCode, lotCode } = parseEpcClass(epc);
      if ((await ledger.getBatch(d, batchIdOf(productCode, lotCode))) !== undefined) continue;
      await ledger.commissionBatch(
        d,
        producer,
        {
          productCode: await product(productCode),
          lotCode: encodeCode("lot", lotCode),
          quantity: 1_000_000n,
          uom: unitHex("KGM"),
          giCertificate: 0,
        },
        ledger.context(6923456000018n, id("setup"), time),
        o,
      );
    }
    const refs =
      a.kind === "shipUnit" || a.kind === "acceptUnit"
        ? [a.unit]
        : a.kind === "observeUnits" || a.kind === "pack" || a.kind === "transaction"
          ? a.units
          : a.kind === "association"
            ? [a.parent, ...a.children].flatMap((k) => (k.kind === "unit" ? [k.unit] : []))
            : [];
    for (const r of refs) {
      const uid = await unit(r);
      if (a.kind === "acceptUnit" && signer.address !== producer.address) {
        const h = await units.holderOf(d, uid);
        if (h?.status === "active" && h.holder === producer.address) {
          await units.shipUnit(d, producer, uid, signer.address, ctx, o);
        }
      }
    }
  }
}
