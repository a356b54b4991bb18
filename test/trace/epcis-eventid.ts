/**
 * EPCIS event identity: GS1's event hash ID (CBV 2.0 §8.9) checked against the published vector of
 * GS1's reference implementation (test/fixtures/epcis/eventhash), eventIDs as the import's key,
 * errorDeclarations as corrections, and every CBV 2.0 business step accepted.
 */
import { readFileSync } from "node:fs";

import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";

import { canonicalDigitalLink, eventHashId, eventKeyOf, eventPreHash } from "../../src/trace/epcis/eventhash.js";
import { parseEpcisDocument } from "../../src/trace/epcis/import.js";
import { CBV_BIZ_STEPS } from "../../src/trace/epcis/types.js";
import { BIZ_STEPS } from "../../src/trace/vocabulary.js";

const VECTORS = new URL("../fixtures/epcis/eventhash/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, VECTORS), "utf8");

function lotEvent(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    type: "ObjectEvent",
    eventTime: "2026-12-01T10:00:00+08:00",
    eventTimeZoneOffset: "+08:00",
    action: "OBSERVE",
    bizStep: "storing",
    quantityList: [{ epcClass: "urn:epc:class:lgtin:6923456.000012.XH-CP-2603", quantity: 35.75, uom: "KGM" }],
    ...fields,
  };
}

describe("EPCIS event identity", function () {
  describe("GS1 event hash ID (CBV 2.0 §8.9)", function () {
    const doc = JSON.parse(read("epcisDocWithSingleEvent.jsonld")) as Record<string, unknown>;
    const event = (doc.epcisBody as { eventList: Record<string, unknown>[] }).eventList[0]!;

    it("builds the reference implementation's pre-hash string of its published example", function () {
      expect(eventPreHash(event, doc["@context"])).to.equal(read("epcisDocWithSingleEvent.prehashes").trim());
    });

    it("gives the published hash ID", function () {
      expect(eventHashId(event, doc["@context"])).to.equal(read("epcisDocWithSingleEvent.hashes").trim());
    });

    it("does not depend on key order, list order, URN or Digital Link, bare or full CBV names, time zone", function () {
      const same = {
        readPoint: { id: "https://example.com/414/0614141073467/254/1234" },
        eventTimeZoneOffset: "-06:00",
        disposition: "urn:epcglobal:cbv:disp:in_transit",
        bizTransactionList: [
          { bizTransaction: "http://transaction.acme.com/po/12345678", type: "urn:epcglobal:cbv:btt:po" },
        ],
        epcList: ["https://id.gs1.org/01/10614141073464/21/2018", "urn:epc:id:sgtin:0614141.107346.2017"],
        eventTime: "2022-02-17T02:33:31.116Z",
        bizStep: "https://ref.gs1.org/cbv/BizStep-shipping",
        action: "OBSERVE",
        type: "ObjectEvent",
        eventID: "urn:uuid:not-hashed",
        recordTime: "2030-01-01T00:00:00Z",
      };
      expect(eventHashId(same)).to.equal(read("epcisDocWithSingleEvent.hashes").trim());
      expect(eventHashId({ ...same, action: "ADD" })).to.not.equal(eventHashId(same));
    });

    it("writes EPC URIs as canonical Digital Links", function () {
      expect(canonicalDigitalLink("urn:epc:class:lgtin:4054739.099914.20160711")).to.equal(
        "https://id.gs1.org/01/04054739999148/10/20160711",
      );
      expect(canonicalDigitalLink("urn:epc:id:sgln:4012345.00001.0")).to.equal("https://id.gs1.org/414/4012345000016");
      expect(canonicalDigitalLink("urn:epc:id:pgln:4012345.00000")).to.equal("https://id.gs1.org/417/4012345000009");
      expect(canonicalDigitalLink("urn:epc:id:sscc:4012345.0000000111")).to.equal(
        "https://id.gs1.org/00/040123450000001112",
      );
      expect(canonicalDigitalLink("https://example.com/01/4054739999148/10/X?linkType=all")).to.equal(
        "https://id.gs1.org/01/04054739999148/10/X",
      );
    });

    it("keys every eventID, an event hash ID included, by keccak256 of its text", function () {
      const id = read("epcisDocWithSingleEvent.hashes").trim();
      expect(eventKeyOf(id)).to.equal(keccak256(toUtf8Bytes(id)));
      expect(eventKeyOf(" urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6 ")).to.equal(
        keccak256(toUtf8Bytes("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6")),
      );
    });
  });

  describe("eventID on import", function () {
    it("keeps a given eventID and computes the hash ID of an event without one", function () {
      const given = parseEpcisDocument(lotEvent({ eventID: "urn:uuid:1" }));
      expect(given.events[0]).to.include({
        eventID: "urn:uuid:1",
        eventIDComputed: false,
        eventKey: eventKeyOf("urn:uuid:1"),
      });
      const e = lotEvent({});
      const computed = parseEpcisDocument(e);
      expect(computed.events[0]).to.include({ eventID: eventHashId(e), eventIDComputed: true });
      // Re-formatting the same event does not change the key.
      const reordered = Object.fromEntries(Object.entries(e).reverse());
      expect(parseEpcisDocument(reordered).events[0]!.eventKey).to.equal(computed.events[0]!.eventKey);
      expect(computed.actions[0]).to.include({ eventID: eventHashId(e), eventKey: computed.events[0]!.eventKey });
    });
  });

  describe("errorDeclaration", function () {
    it("is a correction of the declared event, never the event it retracts", function () {
      const declared = lotEvent({
        eventID: "urn:uuid:wrong-one",
        bizStep: "shipping",
        destinationList: [{ type: "possessing_party", destination: "urn:epc:id:pgln:6923456.00001" }],
        errorDeclaration: {
          declarationTime: "2026-12-02T08:00:00Z",
          reason: "incorrect_data",
          correctiveEventIDs: ["urn:uuid:right-one"],
        },
      });
      const parsed = parseEpcisDocument(declared);
      expect(parsed.actions.map((a) => a.kind)).to.deep.equal(["correct"]);
      expect(parsed.actions[0]).to.deep.include({
        eventID: "urn:uuid:wrong-one",
        eventKey: eventKeyOf("urn:uuid:wrong-one"),
        correctiveEventIDs: ["urn:uuid:right-one"],
        reason: "incorrect_data",
        declarationTime: BigInt(Date.parse("2026-12-02T08:00:00Z") / 1000),
      });
    });
  });

  describe("CBV business steps", function () {
    it("accepts all 41 CBV 2.0 steps, each a ledger step of its own", function () {
      expect(CBV_BIZ_STEPS.size).to.equal(41);
      for (const step of CBV_BIZ_STEPS) expect(Object.hasOwn(BIZ_STEPS, step), step).to.equal(true);
    });

    it("records picking as an observation under its own step code, with nothing to report", function () {
      const parsed = parseEpcisDocument(lotEvent({ bizStep: "picking" }));
      expect(parsed.actions[0]).to.include({ kind: "observe", bizStep: "picking", bizStepCode: BIZ_STEPS.picking });
      expect(parsed.warnings.map((w) => w.message)).to.deep.equal([]);
      for (const step of CBV_BIZ_STEPS) {
        if (["commissioning", "transforming"].includes(step)) continue;
        const action = step === "commissioning" ? "ADD" : "OBSERVE";
        expect(() => parseEpcisDocument(lotEvent({ bizStep: step, action, destinationList: [] })), step).to.not.throw();
      }
    });
  });
});
