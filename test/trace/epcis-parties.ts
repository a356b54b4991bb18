/**
 * EPCIS import on a chain (Hardhat's in-process network): a document of several organisations split by
 * party and resumed, re-imports that record nothing twice (by the event's evidence, per event), refusals
 * in words, and export → import into a fresh deployment giving the same history.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { legacyOverrides } from "../../src/chain.js";
import type { Deployment } from "../../src/deployment.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { PLACES, PRODUCTS, TRACE_ACCOUNTS, withCheckDigit } from "../../src/dev/trace-story.js";
import { explain } from "../../src/refusals.js";
import { exportEpcis, factsOf, pglnParty } from "../../src/trace/epcis/export.js";
import { epcClassOf, locationIdOf } from "../../src/trace/epcis/identifiers.js";
import { parseEpcisDocument } from "../../src/trace/epcis/import.js";
import { type EventOutcome, importEpcisByParty, partDocuments } from "../../src/trace/epcis/parties.js";
import { batchHistory } from "../../src/trace/history.js";
import * as ledger from "../../src/trace/ledger.js";
import { batchIdOf, parseProductCode } from "../../src/trace/vocabulary.js";
import { requireTrace } from "../../src/deployment.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const PEEL = PRODUCTS.freshPeel.padStart(14, "0");
const SUPERMARKET_GLN = withCheckDigit("690123453001"); // also its party GLN in the directory
const NS = "https://trace.jiangmen.example.cn/ns/";

async function deployed(): Promise<Deployment> {
  const d = await deployWithSamples(connection, () => {});
  const o = await legacyOverrides(ethers.provider, undefined);
  const producer = await ethers.getSigner(TRACE_ACCOUNTS.cooperative);
  await ledger.registerProduct(
    d,
    producer,
    {
      productCode: parseProductCode(PEEL),
      category: 0,
      producer: producer.address,
      geographicIndication: false,
      metadataHash: "0x" + "00".repeat(32),
    },
    o,
  );
  return d;
}

const at = (iso: string) => ({ eventTime: iso, eventTimeZoneOffset: iso.slice(-6) });

/** The cooperative commissions and ships a lot to the supermarket, which receives and stores it. */
function story(lot: string): Record<string, unknown> {
  const q = [{ epcClass: epcClassOf(PEEL, lot), quantity: 120, uom: "KGM" }];
  return {
    "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2026-11-22T08:00:00+08:00",
    epcisBody: {
      eventList: [
        {
          type: "ObjectEvent",
          ...at("2026-11-20T07:30:00+08:00"),
          action: "ADD",
          bizStep: "commissioning",
          quantityList: q,
          bizLocation: { id: locationIdOf(PLACES.orchardA) },
        },
        {
          type: "ObjectEvent",
          ...at("2026-11-20T09:00:00+08:00"),
          action: "OBSERVE",
          bizStep: "shipping",
          quantityList: q,
          bizLocation: { id: locationIdOf(PLACES.orchardA) },
          destinationList: [{ type: "possessing_party", destination: `urn:epc:id:pgln:6901234.53001` }],
        },
        {
          type: "ObjectEvent",
          ...at("2026-11-20T15:00:00+08:00"),
          action: "OBSERVE",
          bizStep: "receiving",
          quantityList: q,
          bizLocation: { id: locationIdOf(PLACES.supermarket) },
        },
        {
          type: "ObjectEvent",
          ...at("2026-11-20T16:00:00+08:00"),
          action: "OBSERVE",
          bizStep: "storing",
          quantityList: q,
          bizLocation: { id: locationIdOf(PLACES.supermarket) },
        },
      ],
    },
  };
}

describe("EPCIS import by party", function () {
  this.timeout(120_000);
  const directory = new Map([[SUPERMARKET_GLN, TRACE_ACCOUNTS.supermarket]]);

  async function setup() {
    const d = await networkHelpers.loadFixture(deployed);
    const overrides = await legacyOverrides(ethers.provider, undefined);
    const signer = (a: string) => ethers.getSigner(a);
    return { d, overrides, signer };
  }

  it("records the parts whose keys it holds, hands the rest over, and finishes from the part", async function () {
    const { d, overrides, signer } = await setup();
    const doc = story("XH-P-01");
    const parsed = parseEpcisDocument(doc, { tolerant: true });
    const cooperative = new Map([[TRACE_ACCOUNTS.cooperative, await signer(TRACE_ACCOUNTS.cooperative)]]);
    const journal: EventOutcome[] = [];
    const first = await importEpcisByParty(d, parsed, {
      signers: cooperative,
      directory,
      overrides,
      onEvent: (o) => journal.push(o),
    });
    expect(first.map((o) => o.status)).to.deep.equal(["recorded", "recorded", "waiting", "waiting"]);
    expect(first[2]).to.include({ party: TRACE_ACCOUNTS.supermarket });
    expect(first[2]!.reason).to.match(/needs the signature of .*0xa0Ee7A142d267C1f36714E4a8F75612F20a79720/);
    expect(first[3]!.reason).to.match(/after an earlier event of 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720/);
    expect(journal).to.deep.equal(first);

    // The supermarket's part: its two events, unchanged (same eventIDs).
    const parts = partDocuments(parsed, first, doc["@context"]);
    expect([...parts.keys()]).to.deep.equal([TRACE_ACCOUNTS.supermarket]);
    const part = parseEpcisDocument(parts.get(TRACE_ACCOUNTS.supermarket));
    expect(part.events.map((e) => e.eventID)).to.deep.equal(parsed.events.slice(2).map((e) => e.eventID));
    expect(part.events.map((e) => e.evidenceHash)).to.deep.equal(parsed.events.slice(2).map((e) => e.evidenceHash));

    const supermarket = new Map([[TRACE_ACCOUNTS.supermarket, await signer(TRACE_ACCOUNTS.supermarket)]]);
    const second = await importEpcisByParty(d, part, { signers: supermarket, directory, overrides });
    expect(second.map((o) => o.status)).to.deep.equal(["recorded", "recorded"]);
    const b = await ledger.getBatch(d, batchIdOf(PEEL, "XH-P-01"));
    expect(b!.custodian).to.equal(TRACE_ACCOUNTS.supermarket);

    // Re-importing the whole document records nothing twice, and says so per event.
    const all = new Map([...cooperative, ...supermarket]);
    const again = await importEpcisByParty(d, parsed, { signers: all, directory, overrides });
    expect(again.map((o) => o.status)).to.deep.equal([
      "already recorded",
      "already recorded",
      "already recorded",
      "already recorded",
    ]);
    expect(again.map((o) => o.eventID)).to.deep.equal(parsed.events.map((e) => e.eventID));
  });

  it("records a repeated observation once (the same event), and a new observation again", async function () {
    const { d, overrides, signer } = await setup();
    const doc = story("XH-P-02");
    const events = (doc.epcisBody as { eventList: Record<string, unknown>[] }).eventList;
    const signers = new Map(
      await Promise.all(
        [TRACE_ACCOUNTS.cooperative, TRACE_ACCOUNTS.supermarket].map(async (a) => [a, await signer(a)] as const),
      ),
    );
    await importEpcisByParty(d, parseEpcisDocument(doc), { signers, directory, overrides });
    // Before: "already recorded" was guessed from state, so the storing observation was recorded twice.
    const again = await importEpcisByParty(d, parseEpcisDocument(doc), { signers, directory, overrides });
    expect(again[3]!.status).to.equal("already recorded");
    // A later storing observation is another event.
    const later = { ...events[3]!, ...at("2026-11-21T10:00:00+08:00") };
    const third = await importEpcisByParty(d, parseEpcisDocument({ ...doc, epcisBody: { eventList: [later] } }), {
      signers,
      directory,
      overrides,
    });
    expect(third.map((o) => o.status)).to.deep.equal(["recorded"]);
    const h = await batchHistory(requireTrace(d), ethers.provider, batchIdOf(PEEL, "XH-P-02"));
    expect(h.steps.map((s) => s.kind)).to.deep.equal(["commissioning", "shipping", "receiving", "storing", "storing"]);
  });

  it("refuses in words: a shipment to the custodian itself, and a receiver not in the directory", async function () {
    const { d, overrides, signer } = await setup();
    const doc = story("XH-P-03");
    const events = (doc.epcisBody as { eventList: Record<string, unknown>[] }).eventList;
    const toSelf = {
      ...events[1]!,
      destinationList: [{ type: "possessing_party", destination: "urn:epc:id:pgln:6901234.51001" }],
    };
    const unknown = {
      ...events[1]!,
      ...at("2026-11-20T09:30:00+08:00"),
      destinationList: [{ type: "possessing_party", destination: "urn:epc:id:pgln:6901234.59999" }],
    };
    const signers = new Map([[TRACE_ACCOUNTS.cooperative, await signer(TRACE_ACCOUNTS.cooperative)]]);
    const dir = new Map([...directory, [withCheckDigit("690123451001"), TRACE_ACCOUNTS.cooperative]]);
    const out = await importEpcisByParty(
      d,
      parseEpcisDocument({ ...doc, epcisBody: { eventList: [events[0], toSelf, unknown] } }),
      { signers, directory: dir, overrides, explain: (e) => explain(e).message },
    );
    expect(out.map((o) => o.status)).to.deep.equal(["recorded", "refused", "refused"]);
    expect(out[1]!.reason).to.match(/cannot be shipped to its own custodian/);
    expect(out[1]!.reason).to.not.match(/TraceLedger[A-Z]/);
    expect(out[2]!.reason).to.match(/urn:epc:id:pgln:6901234\.59999 is not in the party directory/);
  });

  it("exports a history that imports into a fresh deployment as the same history, parties included", async function () {
    const { d, overrides, signer } = await setup();
    const signers = new Map(
      await Promise.all(
        [TRACE_ACCOUNTS.cooperative, TRACE_ACCOUNTS.supermarket].map(async (a) => [a, await signer(a)] as const),
      ),
    );
    await importEpcisByParty(d, parseEpcisDocument(story("XH-P-04")), { signers, directory, overrides });
    const id = batchIdOf(PEEL, "XH-P-04");
    const h = await batchHistory(requireTrace(d), ethers.provider, id);
    const exported = JSON.parse(
      JSON.stringify(exportEpcis(factsOf(h), { namespace: NS, partyOf: pglnParty(directory) })),
    ) as Record<string, unknown>;
    const events = (exported.epcisBody as { eventList: Record<string, unknown>[] }).eventList;
    expect(events.every((e) => typeof e.eventID === "string")).to.equal(true);
    expect(events[1]!.destinationList).to.deep.equal([
      { type: "possessing_party", destination: "urn:epc:id:pgln:6901234.53001" },
    ]);

    // A fresh deployment (the same sample organisations and product), the export imported by both parties.
    await networkHelpers.loadFixture(deployed);
    const fresh = await networkHelpers.loadFixture(deployed);
    expect(await ledger.getBatch(fresh, id)).to.equal(undefined);
    const out = await importEpcisByParty(fresh, parseEpcisDocument(exported), { signers, directory, overrides });
    expect(out.map((o) => o.status)).to.deep.equal(["recorded", "recorded", "recorded", "recorded"]);
    const again = await batchHistory(requireTrace(fresh), ethers.provider, id);
    const view = (x: typeof h) =>
      x.steps.map((s) => ({ kind: s.kind, org: s.org, location: s.location, eventTime: s.eventTime }));
    expect(view(again)).to.deep.equal(view(h));
    expect(again.custody.map((c) => c.org)).to.deep.equal(h.custody.map((c) => c.org));
  });
});
