/**
 * EPCIS 2.0 in and out of the trace ledger, with no chain: the fixtures in test/fixtures/epcis are
 * modelled on the standard's examples (GS1 company prefixes 6923456 and 6934567, real check digits).
 */
import { readFileSync } from "node:fs";

import { expect } from "chai";
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";

import { type TraceFact, exportEpcis } from "../../src/trace/epcis/export.js";
import { epcClassOf, locationIdOf, parseEpcClass, parseLocationId } from "../../src/trace/epcis/identifiers.js";
import { parseEpcisDocument } from "../../src/trace/epcis/import.js";
import { eventHashId, eventKeyOf } from "../../src/trace/epcis/eventhash.js";
import { canonicalJson, evidenceHashOf } from "../../src/trace/epcis/read.js";
import { type EpcisAction, EpcisError, type ParsedEpcis, ZX_NAMESPACE } from "../../src/trace/epcis/types.js";
import { batchIdOf, validGs1 } from "../../src/trace/vocabulary.js";

const FIXTURES = new URL("../fixtures/epcis/", import.meta.url);

function text(name: string): string {
  return readFileSync(new URL(name, FIXTURES), "utf8");
}

function load(name: string): Record<string, unknown> {
  return JSON.parse(text(name)) as Record<string, unknown>;
}

function eventsOf(doc: Record<string, unknown>): unknown[] {
  return (doc.epcisBody as { eventList: unknown[] }).eventList;
}

/** Unix seconds of an ISO time. */
function unix(iso: string): bigint {
  return BigInt(Date.parse(iso) / 1000);
}

const FRESH_PEEL = "06923456000117"; // 新会柑鲜果皮
const DRIED_PEEL = "06923456000124"; // 新会陈皮
const ORCHARD = 6923456000018n;
const DRYING_PLANT = 6923456000025n;
const WAREHOUSE = 6923456000032n;
const RETAILER = 6934567000088n;

function ref(productCode: string, lotCode: string, quantity?: bigint, uom = "KGM") {
  return {
    productCode,
    lotCode,
    batchId: batchIdOf(productCode, lotCode),
    ...(quantity !== undefined ? { quantity, uom } : {}),
  };
}

/** Actions without what depends on the document's bytes and layout. */
function bare(actions: readonly EpcisAction[]): unknown[] {
  return actions.map((a) => {
    const { path: _path, context, eventID: _id, eventKey: _key, ...rest } = a;
    return { ...rest, location: context.location, eventTime: context.eventTime };
  });
}

/** Deep key reordering (reversed) of a JSON value. */
function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(
      Object.keys(v)
        .reverse()
        .map((k) => [k, reorder((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function throwsAt(fn: () => unknown, path: string, message?: RegExp): EpcisError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected an EpcisError at ${path}`).to.be.instanceOf(EpcisError);
  const err = caught as EpcisError;
  expect(err.path).to.equal(path);
  expect(err.message.startsWith(`${path}: `), err.message).to.equal(true);
  if (message !== undefined) expect(err.message).to.match(message);
  return err;
}

/** A minimal event for rule tests. */
function objectEvent(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    type: "ObjectEvent",
    eventTime: "2026-12-01T10:00:00+08:00",
    eventTimeZoneOffset: "+08:00",
    action: "OBSERVE",
    quantityList: [{ epcClass: "urn:epc:class:lgtin:6923456.000012.XH-CP-2603", quantity: 35.75, uom: "KGM" }],
    ...fields,
  };
}

function transformation(inputs: unknown[], outputs: unknown[], extra: Record<string, unknown> = {}) {
  return {
    type: "TransformationEvent",
    eventTime: "2026-12-01T10:00:00+08:00",
    eventTimeZoneOffset: "+08:00",
    inputQuantityList: inputs,
    outputQuantityList: outputs,
    ...extra,
  };
}

const lgtin = (item: string, lot: string, quantity: number, uom = "KGM") => ({
  epcClass: `urn:epc:class:lgtin:6923456.${item}.${lot}`,
  quantity,
  uom,
});

describe("EPCIS 2.0", function () {
  describe("canonical JSON (RFC 8785) and evidence hashes", function () {
    it("serialises the RFC 8785 §3.2.2 example", function () {
      const input = JSON.parse(String.raw`{
        "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
        "literals": [null, true, false]
      }`);
      expect(canonicalJson(input)).to.equal(
        String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
      );
    });

    it("sorts keys by UTF-16 code units (RFC 8785 §3.2.3)", function () {
      const input = JSON.parse(String.raw`{
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis"
      }`);
      expect(canonicalJson(input)).to.equal(
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
          '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      );
    });

    it("writes numbers as ECMAScript does (RFC 8785 Appendix B)", function () {
      const cases: [number, string][] = [
        [0, "0"],
        [-0, "0"],
        [5e-324, "5e-324"],
        [1.7976931348623157e308, "1.7976931348623157e+308"],
        [-1.7976931348623157e308, "-1.7976931348623157e+308"],
        [9007199254740992, "9007199254740992"],
        [-9007199254740992, "-9007199254740992"],
        [295147905179352830000, "295147905179352830000"],
        [1e21, "1e+21"],
        [0.000001, "0.000001"],
        [1e-7, "1e-7"],
      ];
      for (const [n, s] of cases) expect(canonicalJson([n]), String(n)).to.equal(`[${s}]`);
    });

    it("rejects what is not I-JSON", function () {
      throwsAt(() => canonicalJson({ a: "\ud800" }), "$", /Lone surrogate/);
      throwsAt(() => canonicalJson([Number.NaN]), "$", /NaN/);
    });

    it("hashes an event the same whatever its key order and whitespace", function () {
      const raw = text("chenpi-transformation.json");
      const a = parseEpcisDocument(JSON.parse(raw));
      const compact = JSON.stringify(reorder(JSON.parse(raw)));
      const spaced = JSON.stringify(reorder(reorder(JSON.parse(raw))), null, 4);
      for (const t of [compact, spaced]) {
        const b = parseEpcisDocument(JSON.parse(t));
        expect(b.documentHash).to.equal(a.documentHash);
        expect(b.events.map((e) => e.evidenceHash)).to.deep.equal(a.events.map((e) => e.evidenceHash));
        expect(b.actions).to.deep.equal(a.actions);
      }
      const event = eventsOf(JSON.parse(raw))[0] as Record<string, unknown>;
      expect(a.events[0]!.evidenceHash).to.equal(evidenceHashOf(event));
      expect(a.events[0]!.evidenceHash).to.equal(keccak256(toUtf8Bytes(a.events[0]!.canonical)));
      expect(a.actions[0]!.context.evidenceHash).to.equal(a.events[0]!.evidenceHash);
    });

    it("changes the hash when an unmapped field changes", function () {
      const doc = load("chenpi-transformation.json");
      const before = parseEpcisDocument(doc).events[0]!.evidenceHash;
      const event = eventsOf(doc)[0] as { sensorElementList: { sensorReport: { value: number }[] }[] };
      event.sensorElementList[0]!.sensorReport[0]!.value = 31.6;
      expect(parseEpcisDocument(doc).events[0]!.evidenceHash).to.not.equal(before);
    });
  });

  describe("identifiers", function () {
    it("reads LGTIN classes to GTIN-14 with the computed check digit", function () {
      expect(parseEpcClass("urn:epc:class:lgtin:6923456.000011.XH-FP-2601")).to.deep.equal({
        productCode: FRESH_PEEL,
        lotCode: "XH-FP-2601",
      });
      // Indicator 1, a 9-digit company prefix, a percent-escaped lot.
      expect(parseEpcClass("urn:epc:class:lgtin:692345600.1012.A%2FB")).to.deep.equal({
        productCode: "16923456000121",
        lotCode: "A/B",
      });
      expect(validGs1(FRESH_PEEL) && validGs1(DRIED_PEEL) && validGs1("16923456000121")).to.equal(true);
    });

    it("reads GS1 Digital Link classes, padding shorter GTINs", function () {
      expect(parseEpcClass("https://id.gs1.org/01/06923456000124/10/XH-CP-2601")).to.deep.equal({
        productCode: DRIED_PEEL,
        lotCode: "XH-CP-2601",
      });
      // A custom Digital Link domain, a GTIN-13 and an escaped lot (spaces are not allowed on chain).
      expect(parseEpcClass("https://trace.example.cn/01/6923456000124/10/L%2F1")).to.deep.equal({
        productCode: DRIED_PEEL,
        lotCode: "L/1",
      });
    });

    it("rejects identifiers that do not name a lot", function () {
      throwsAt(() => parseEpcClass("urn:epc:idpat:sgtin:6923456.000011.*", "q"), "q", /must identify a lot/);
      throwsAt(() => parseEpcClass("urn:epc:id:sgtin:6923456.000011.1", "q"), "q", /must identify a lot/);
      throwsAt(() => parseEpcClass("urn:epc:class:lgtin:6923456.00011.L1", "q"), "q", /13 digits together/);
      throwsAt(() => parseEpcClass("https://id.gs1.org/01/06923456000125/10/L1", "q"), "q", /check digit/);
      throwsAt(() => parseEpcClass("https://id.gs1.org/01/06923456000124/10/L1/21/7", "q"), "q", /serial/);
      throwsAt(() => parseEpcClass("urn:epc:class:lgtin:6923456.000011.%E4%B8%AD", "q"), "q", /printable ASCII/);
    });

    it("reads SGLN and Digital Link locations to GLN-13", function () {
      expect(parseLocationId("urn:epc:id:sgln:6923456.00001.0")).to.deep.equal({ gln: ORCHARD, extension: "" });
      expect(parseLocationId("urn:epc:id:sgln:692345600003..0")).to.deep.equal({ gln: WAREHOUSE, extension: "" });
      expect(parseLocationId("urn:epc:id:sgln:6934567.00008.dock%201")).to.deep.equal({
        gln: RETAILER,
        extension: "dock 1",
      });
      expect(parseLocationId("https://id.gs1.org/414/6934567000088/254/shelf-3")).to.deep.equal({
        gln: RETAILER,
        extension: "shelf-3",
      });
      throwsAt(() => parseLocationId("urn:epc:id:sgln:6923456.0001.0", "l"), "l", /12 digits together/);
      throwsAt(() => parseLocationId("https://id.gs1.org/414/6934567000089", "l"), "l", /check digit/);
    });

    it("writes LGTIN, SGLN and Digital Link identifiers", function () {
      expect(epcClassOf(DRIED_PEEL, "XH-CP-2601")).to.equal("urn:epc:class:lgtin:6923456.000012.XH-CP-2601");
      expect(epcClassOf(DRIED_PEEL, "A/B?#", { companyPrefixLength: 9 })).to.equal(
        "urn:epc:class:lgtin:692345600.0012.A%2FB%3F%23",
      );
      expect(epcClassOf(DRIED_PEEL, "L/1", { identifiers: "digital-link" })).to.equal(
        "https://id.gs1.org/01/06923456000124/10/L%2F1",
      );
      expect(epcClassOf("XH-CHENPI", "2026/1")).to.equal(`${ZX_NAMESPACE}class/XH-CHENPI/2026%2F1`);
      expect(locationIdOf(DRYING_PLANT)).to.equal("urn:epc:id:sgln:6923456.00002.0");
      expect(locationIdOf(RETAILER, { companyPrefixLength: () => 8 })).to.equal("urn:epc:id:sgln:69345670.0008.0");
      expect(locationIdOf(RETAILER, { identifiers: "digital-link" })).to.equal("https://id.gs1.org/414/6934567000088");
      for (const [p, l] of [
        [DRIED_PEEL, "A/B?#"],
        ["XH-CHENPI", "2026/1"],
      ] as const) {
        for (const identifiers of ["urn", "digital-link"] as const) {
          expect(parseEpcClass(epcClassOf(p, l, { identifiers }))).to.deep.equal({ productCode: p, lotCode: l });
        }
      }
    });
  });

  describe("valid fixtures", function () {
    it("maps ObjectEvent ADD commissioning (LGTIN and Digital Link) to commissions", function () {
      const doc = load("commissioning.json");
      const parsed = parseEpcisDocument(doc);
      expect(parsed.kind).to.equal("document");
      const [e0, e1] = eventsOf(doc);
      const ctx0 = { location: ORCHARD, eventTime: unix("2026-11-20T00:30:00Z"), evidenceHash: evidenceHashOf(e0) };
      const ctx1 = { location: ORCHARD, eventTime: unix("2026-11-21T07:15:30Z"), evidenceHash: evidenceHashOf(e1) };
      const commission = (lotCode: string, quantity: bigint) => ({
        kind: "commission",
        productCode: FRESH_PEEL,
        lotCode,
        batchId: batchIdOf(FRESH_PEEL, lotCode),
        quantity,
        uom: "KGM",
      });
      const id0 = "urn:uuid:3f1c8e2a-7b4d-4c1e-9a6f-2d5b8c0e4f17";
      // The second event has no eventID: its GS1 event hash ID stands in (src/trace/epcis/eventhash.ts).
      const id1 = eventHashId(e1 as Record<string, unknown>, doc["@context"]);
      const ids = (eventID: string) => ({ eventID, eventKey: eventKeyOf(eventID) });
      // The event's key is the chain's idempotency key (issue 19): the key itself for its first action,
      // keccak256(abi.encode(key, index)) for the next.
      const first = eventKeyOf(id0);
      const second = keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [first, 1]));
      expect(parsed.actions).to.deep.equal([
        {
          path: "epcisBody.eventList[0]",
          context: { ...ctx0, eventId: first },
          ...ids(id0),
          ...commission("XH-FP-2601", 60_000n),
        },
        {
          path: "epcisBody.eventList[0]",
          context: { ...ctx0, eventId: second },
          ...ids(id0),
          ...commission("XH-FP-2602", 40_250n),
        },
        {
          path: "epcisBody.eventList[1]",
          context: { ...ctx1, eventId: eventKeyOf(id1) },
          ...ids(id1),
          ...commission("XH-FP-2603", 15_500n),
        },
      ]);
      expect(parsed.events.map((e) => [e.eventID, e.eventIDComputed])).to.deep.equal([
        [id0, false],
        [id1, true],
      ]);
      expect(id1).to.match(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
      // The empty epcList and the readPoint equal to bizLocation are not worth a warning; the ILMD is.
      expect(parsed.warnings.map((w) => w.path)).to.deep.equal([
        "epcisBody.eventList[0].ilmd.cbvmda:countryOfOrigin",
        "epcisBody.eventList[0].ilmd.cbvmda:farmList",
      ]);
      expect(parsed.warnings[0]!.message).to.match(/not recorded on chain; kept in the evidence hash/);
    });

    it("maps shipping to ship (receiver from destinationList) and receiving to accept", function () {
      const parsed = parseEpcisDocument(load("shipping-receiving.json"));
      expect(bare(parsed.actions)).to.deep.equal([
        {
          kind: "ship",
          batch: ref(DRIED_PEEL, "XH-CP-2601-B01", 500n),
          to: "urn:epc:id:pgln:6934567.00001",
          location: DRYING_PLANT,
          eventTime: unix("2026-12-01T02:00:00Z"),
        },
        {
          kind: "ship",
          batch: ref(DRIED_PEEL, "XH-CP-2601-B02", 500n),
          to: "urn:epc:id:pgln:6934567.00001",
          location: DRYING_PLANT,
          eventTime: unix("2026-12-01T02:00:00Z"),
        },
        {
          kind: "accept",
          batch: ref(DRIED_PEEL, "XH-CP-2601-B01", 500n),
          location: RETAILER,
          eventTime: unix("2026-12-02T07:45:00Z"),
        },
        {
          kind: "accept",
          batch: ref(DRIED_PEEL, "XH-CP-2601-B02", 500n),
          location: RETAILER,
          eventTime: unix("2026-12-02T07:45:00Z"),
        },
      ]);
      const paths = parsed.warnings.map((w) => w.path);
      expect(paths).to.have.members([
        "epcisBody.eventList[0].readPoint",
        "epcisBody.eventList[0].bizTransactionList",
        "epcisBody.eventList[0].sourceList",
        "epcisBody.eventList[0].destinationList[0]",
        "epcisBody.eventList[0].destinationList[2]",
        "epcisBody.eventList[1].bizLocation.id",
      ]);
      const byPath = Object.fromEntries(parsed.warnings.map((w) => [w.path, w.message]));
      expect(byPath["epcisBody.eventList[0].destinationList[0]"]).to.match(/owning party is not recorded/);
      expect(byPath["epcisBody.eventList[1].bizLocation.id"]).to.match(/extension "shelf-3"/);
    });

    it("maps AggregationEvent packing and unpacking of lots into an SSCC to TraceUnits pack and unpack", function () {
      // Rule change (issue 19, serialised units): an SSCC parent is now recorded (src/trace/epcis/serial.ts), its
      // lots listed in the container, instead of an observation of each lot with the parent dropped.
      const parsed = parseEpcisDocument(load("aggregation.json"));
      expect(parsed.actions).to.deep.equal([]);
      const b01 = batchIdOf(DRIED_PEEL, "XH-CP-2601-B01");
      const b02 = batchIdOf(DRIED_PEEL, "XH-CP-2601-B02");
      expect(
        parsed.unitActions.map((a) => ({
          kind: a.kind,
          sscc: "sscc" in a ? a.sscc : undefined,
          batches: "batches" in a ? a.batches : undefined,
          location: a.context.location,
          eventTime: a.context.eventTime,
        })),
      ).to.deep.equal([
        {
          kind: "pack",
          sscc: 69234560000000179n, // urn:epc:id:sscc:6923456.0000000017
          batches: [b01, b02],
          location: DRYING_PLANT,
          eventTime: unix("2026-12-01T00:40:00Z"),
        },
        {
          kind: "unpack",
          sscc: 69234560000000179n,
          batches: [b01],
          location: RETAILER,
          eventTime: unix("2026-12-02T08:00:00Z"),
        },
      ]);
    });

    it("maps the 新会陈皮 fresh peel → dried peel TransformationEvent to a transform with its ratio", function () {
      const parsed = parseEpcisDocument(load("chenpi-transformation.json"));
      expect(bare(parsed.actions)).to.deep.equal([
        {
          kind: "transform",
          inputs: [ref(FRESH_PEEL, "XH-FP-2601", 60_000n), ref(FRESH_PEEL, "XH-FP-2602", 40_000n)],
          outputProduct: DRIED_PEEL,
          outputLot: "XH-CP-2601",
          outputUom: "KGM",
          outputQuantity: 25_500n,
          batchId: batchIdOf(DRIED_PEEL, "XH-CP-2601"),
          ratioPpm: 255_000,
          location: DRYING_PLANT,
          eventTime: unix("2026-11-28T09:20:00Z"),
        },
      ]);
      expect(parsed.warnings.map((w) => w.path)).to.deep.equal([
        "epcisBody.eventList[0].ilmd.cbvmda:bestBeforeDate",
        "epcisBody.eventList[0].ilmd.xinhui:processName",
        "epcisBody.eventList[0].sensorElementList",
        "epcisBody.eventList[0].xinhui:dryingDays",
      ]);
      expect(parsed.warnings[2]!.message).to.match(/sensor data/);
      expect(parsed.warnings[3]!.message).to.match(/extension field/);
    });

    it("maps a split into retail boxes and a merge of lots", function () {
      const parsed = parseEpcisDocument(load("split-retail-boxes.json"));
      const at = { location: DRYING_PLANT };
      const part = (lotCode: string, quantity: bigint) => ({
        lotCode,
        batchId: batchIdOf(DRIED_PEEL, lotCode),
        quantity,
      });
      expect(bare(parsed.actions)).to.deep.equal([
        {
          kind: "split",
          batch: ref(DRIED_PEEL, "XH-CP-2601", 25_500n),
          parts: [
            part("XH-CP-2601-B01", 500n),
            part("XH-CP-2601-B02", 500n),
            part("XH-CP-2601-B03", 500n),
            part("XH-CP-2601-B04", 500n),
            part("XH-CP-2601-R", 23_500n),
          ],
          ...at,
          eventTime: unix("2026-11-30T02:00:00Z"),
        },
        {
          kind: "merge",
          inputs: [ref(DRIED_PEEL, "XH-CP-2601-R", 23_500n), ref(DRIED_PEEL, "XH-CP-2602", 12_250n)],
          productCode: DRIED_PEEL,
          lotCode: "XH-CP-2603",
          batchId: batchIdOf(DRIED_PEEL, "XH-CP-2603"),
          quantity: 35_750n,
          uom: "KGM",
          ...at,
          eventTime: unix("2026-11-30T03:00:00Z"),
        },
      ]);
      expect(parsed.warnings).to.deep.equal([]);
    });

    it("maps storing, retail_selling, DELETE destroying, and an error declaration to a correction", function () {
      const parsed = parseEpcisDocument(load("retail-and-disposal.json"));
      // The inspecting event carries an errorDeclaration: it is never recorded as the inspection it retracts.
      expect(parsed.actions.map((a) => a.kind)).to.deep.equal(["observe", "sell", "destroy", "correct"]);
      const [storing, sell, destroy, inspecting] = bare(parsed.actions) as Record<string, unknown>[];
      expect(storing).to.include({ bizStep: "storing", bizStepCode: 7, location: RETAILER });
      expect(sell).to.deep.equal({
        kind: "sell",
        batch: ref(DRIED_PEEL, "XH-CP-2601-B01", 500n),
        location: RETAILER,
        eventTime: unix("2026-12-05T06:12:09Z"),
      });
      expect(destroy!.batch).to.deep.equal(ref(DRIED_PEEL, "XH-CP-2601-B02", 500n));
      // The correction names the declared event's batch, and the event by its eventID.
      expect(inspecting).to.deep.include({
        kind: "correct",
        batches: [ref(DRIED_PEEL, "XH-CP-2601-B03")],
        declarationTime: unix("2026-12-10T11:45:00Z"),
        reason: "incorrect_data",
        correctiveEventIDs: [],
      });
      expect(parsed.actions[3]!.eventID).to.equal(parsed.events[3]!.eventID);
      expect(parsed.warnings.map((w) => w.path)).to.deep.equal([
        "epcisHeader",
        "epcisBody.eventList[0].persistentDisposition",
        "epcisBody.eventList[0].certificationInfo",
        "epcisBody.eventList[0].sensorElementList",
        "epcisBody.eventList[0].example:shelf",
      ]);
      expect(parsed.warnings[0]!.message).to.match(/not bound by any event's evidence hash/);
    });

    it("reads the events of an EPCISQueryDocument", function () {
      const doc = load("split-retail-boxes.json");
      const query = {
        ...doc,
        type: "EPCISQueryDocument",
        epcisBody: { queryResults: { queryName: "SimpleEventQuery", resultsBody: { eventList: eventsOf(doc) } } },
      };
      const parsed = parseEpcisDocument(query);
      expect(parsed.events[1]!.path).to.equal("epcisBody.queryResults.resultsBody.eventList[1]");
      expect(bare(parsed.actions)).to.deep.equal(bare(parseEpcisDocument(doc).actions));
      expect(parsed.warnings).to.deep.equal([]);
    });

    it("reads a single event, with a negative offset and the readPoint as location", function () {
      const parsed = parseEpcisDocument(load("single-event.json"));
      expect(parsed.kind).to.equal("event");
      expect(parsed.events).to.have.length(1);
      expect(parsed.events[0]!.path).to.equal("$");
      expect(parsed.documentHash).to.equal(parsed.events[0]!.evidenceHash);
      expect(bare(parsed.actions)).to.deep.equal([
        {
          kind: "observe",
          batch: ref(DRIED_PEEL, "XH-CP-2603", 35_750n),
          bizStep: "transporting",
          bizStepCode: 18,
          location: WAREHOUSE,
          eventTime: unix("2026-12-01T09:00:00Z"),
        },
      ]);
      expect(parsed.warnings).to.deep.equal([
        {
          path: "readPoint.id",
          message: 'location extension "7" is not recorded on chain (only the GLN is); kept in the evidence hash',
        },
      ]);
    });
  });

  describe("broken documents", function () {
    const cases: [string, string, RegExp][] = [
      ["wrong-type.json", "type", /must be EPCISDocument or an event type.*EPCISMasterDataDocument/],
      ["missing-event-time.json", "epcisBody.eventList[1].eventTime", /is required/],
      ["bad-epc-class.json", "epcisBody.eventList[0].quantityList[1].epcClass", /must identify a lot/],
      ["negative-quantity.json", "epcisBody.eventList[2].quantityList[0].quantity", /must be a positive number/],
      ["too-many-decimals.json", "epcisBody.eventList[0].quantityList[0].quantity", /at most three decimals/],
      ["unknown-bizstep.json", "epcisBody.eventList[0].bizStep", /fermenting.*not a known CBV business step/],
      ["mixed-units-merge.json", "epcisBody.eventList[0].inputQuantityList[1].uom", /must be KGM.*one unit/],
      [
        "several-output-products.json",
        "epcisBody.eventList[0].outputQuantityList[1].epcClass",
        /outputs of several products.*one output per transformation/,
      ],
      ["split-not-conserving.json", "epcisBody.eventList[0].outputQuantityList", /add up to 25 KGM.*25\.5 KGM/],
      ["bad-gln-check-digit.json", "epcisBody.eventList[0].bizLocation.id", /check digit/],
      // Rule change (issue 19): AssociationEvents are recorded (serial.ts); one that associates nothing is refused.
      ["association-event.json", "epcisBody.eventList[1].childEPCs", /must name what is associated/],
    ];
    for (const [file, path, message] of cases) {
      it(`${file} fails at ${path}`, function () {
        const err = throwsAt(() => parseEpcisDocument(load(`broken/${file}`)), path, message);
        expect(err.name).to.equal("EpcisError");
        expect(err.field).to.equal(path);
      });
    }

    it("rejects input that is not an object", function () {
      for (const v of [null, [], "EPCISDocument", 42, true]) {
        throwsAt(() => parseEpcisDocument(v), "$", /must be a JSON object/);
      }
    });

    it("rejects a document without a type, an eventList or the right schemaVersion", function () {
      throwsAt(() => parseEpcisDocument({ epcisBody: { eventList: [] } }), "type", /is missing/);
      throwsAt(() => parseEpcisDocument({ type: "EPCISDocument", schemaVersion: "2.0" }), "epcisBody");
      throwsAt(
        () => parseEpcisDocument({ type: "EPCISDocument", schemaVersion: "2.0", epcisBody: { eventList: {} } }),
        "epcisBody.eventList",
      );
      throwsAt(
        () => parseEpcisDocument({ type: "EPCISDocument", schemaVersion: "1.2", epcisBody: { eventList: [] } }),
        "schemaVersion",
      );
    });
  });

  describe("mapping rules", function () {
    const one = (e: unknown, opts = {}): ParsedEpcis => parseEpcisDocument(e, opts);

    it("records ADD with another step as commissioning then that step, and rejects commissioning without ADD", function () {
      // GS1 allows ADD with any step (the objects enter the system there): commissioning, then the step.
      const add = one(objectEvent({ action: "ADD", bizStep: "storing" }));
      expect(add.actions.map((a) => a.kind)).to.deep.equal(["commission", "observe"]);
      expect(add.warnings.map((w) => w.message)).to.deep.include(
        "ADD with bizStep storing is recorded as commissioning the lot, then storing; kept in the evidence hash",
      );
      // ADD receiving: commissioning already gives custody to the recorder.
      expect(one(objectEvent({ action: "ADD", bizStep: "receiving" })).actions.map((a) => a.kind)).to.deep.equal([
        "commission",
      ]);
      throwsAt(() => one(objectEvent({ bizStep: "commissioning" })), "action", /must be an ADD event/);
      throwsAt(() => one(objectEvent({ action: "MOVE", bizStep: "storing" })), "action", /ADD, OBSERVE or DELETE/);
      throwsAt(() => one(objectEvent({ bizStep: undefined })), "bizStep", /is required/);
      // All 41 CBV steps have a ledger equivalent (issue 19): picking and void_shipping are observations.
      for (const bizStep of ["picking", "void_shipping"]) {
        expect(one(objectEvent({ bizStep })).actions[0]!.kind).to.equal("observe");
      }
      throwsAt(() => one(objectEvent({ bizStep: "teleporting" })), "bizStep", /not a known CBV business step/);
      throwsAt(() => one(objectEvent({ bizStep: "transforming" })), "bizStep", /TransformationEvent/);
      throwsAt(
        () =>
          one(
            objectEvent({
              action: "ADD",
              bizStep: "commissioning",
              quantityList: [{ epcClass: "urn:epc:class:lgtin:6923456.000012.L1" }],
            }),
          ),
        "quantityList[0].quantity",
        /required/,
      );
      // SGTINs are recorded as serialised items now (serial.ts); other instance-level EPCs alone still cannot be.
      throwsAt(
        () => one(objectEvent({ bizStep: "storing", quantityList: [], epcList: ["urn:epc:id:grai:6923456.00001.1"] })),
        "quantityList",
        /instance-level/,
      );
    });

    it("maps DELETE to destroy whatever the step, reporting a different step", function () {
      const parsed = one(objectEvent({ action: "DELETE", bizStep: "storing" }));
      expect(parsed.actions[0]!.kind).to.equal("destroy");
      expect(parsed.warnings).to.deep.equal([
        {
          path: "bizStep",
          message: 'an ObjectEvent DELETE is recorded as destroying, not "storing"; kept in the evidence hash',
        },
      ]);
      expect(one(objectEvent({ action: "DELETE", bizStep: "decommissioning" })).warnings).to.deep.equal([]);
    });

    it("reports a disposition the ledger's status contradicts", function () {
      const parsed = one(
        objectEvent({
          bizStep: "shipping",
          disposition: "active",
          destinationList: [{ type: "owning_party", destination: "urn:epc:id:pgln:6934567.00000" }],
        }),
      );
      expect(parsed.actions[0]).to.include({ kind: "ship", to: "urn:epc:id:pgln:6934567.00000" });
      expect(parsed.warnings.map((w) => w.path)).to.deep.equal(["disposition"]);
      expect(parsed.warnings[0]!.message).to.match(/status after this step is in_transit/);
    });

    it("leaves the receiver to the caller when a shipment names none", function () {
      const parsed = one(objectEvent({ bizStep: "shipping", disposition: "in_transit" }));
      expect(parsed.actions[0]).to.not.have.property("to");
      expect(parsed.warnings[0]!.path).to.equal("destinationList");
      expect(parsed.warnings[0]!.message).to.match(/caller must give the receiving organisation/);
    });

    it("reads times with and without their own offset", function () {
      const t = (eventTime: string, eventTimeZoneOffset?: string) =>
        one(objectEvent({ bizStep: "storing", eventTime, eventTimeZoneOffset })).actions[0]!.context.eventTime;
      expect(t("2026-12-01T10:00:00+08:00", "+08:00")).to.equal(unix("2026-12-01T02:00:00Z"));
      expect(t("2026-12-01T10:00:00", "+08:00")).to.equal(unix("2026-12-01T02:00:00Z"));
      expect(t("2026-12-01T02:00:00.999Z", "+08:00")).to.equal(unix("2026-12-01T02:00:00Z"));
      const noOffset = one(
        objectEvent({ bizStep: "storing", eventTime: "2026-12-01T02:00:00Z", eventTimeZoneOffset: undefined }),
      );
      expect(noOffset.warnings.map((w) => w.path)).to.deep.equal(["eventTimeZoneOffset"]);
      throwsAt(() => t("2026-12-01T10:00:00"), "eventTime", /no time zone/);
      throwsAt(() => t("2026-02-30T10:00:00Z", "+08:00"), "eventTime", /not a valid date/);
      throwsAt(() => t("1 Dec 2026", "+08:00"), "eventTime", /xsd:dateTime/);
      throwsAt(() => t("2026-12-01T10:00:00Z", "8"), "eventTimeZoneOffset", /\+hh:mm/);
    });

    it("records a location that is not a GLN as not stated, and reports it", function () {
      const parsed = one(objectEvent({ bizStep: "storing", bizLocation: { id: "geo:22.5,113.1" } }));
      expect(parsed.actions[0]!.context.location).to.equal(0n);
      expect(parsed.warnings.map((w) => w.path)).to.deep.equal(["bizLocation.id"]);
      expect(one(objectEvent({ bizStep: "storing" })).actions[0]!.context.location).to.equal(0n);
      throwsAt(
        () => one(objectEvent({ bizStep: "storing", bizLocation: "urn:epc:id:sgln:6923456.00001.0" })),
        "bizLocation",
      );
    });

    it("reads a missing uom as a count of pieces (H87)", function () {
      const parsed = one(
        objectEvent({
          bizStep: "storing",
          quantityList: [{ epcClass: "urn:epc:class:lgtin:6923456.000012.L1", quantity: 12 }],
        }),
      );
      expect((parsed.actions[0] as { batch: unknown }).batch).to.deep.equal(ref(DRIED_PEEL, "L1", 12_000n, "H87"));
      throwsAt(
        () =>
          one(
            objectEvent({
              bizStep: "storing",
              quantityList: [{ epcClass: "urn:epc:class:lgtin:6923456.000012.L1", quantity: 1, uom: "kg" }],
            }),
          ),
        "quantityList[0].uom",
        /UN\/CEFACT/,
      );
      throwsAt(
        () =>
          one(
            objectEvent({
              bizStep: "storing",
              quantityList: [{ epcClass: "urn:epc:class:lgtin:6923456.000012.L1", quantity: "1" }],
            }),
          ),
        "quantityList[0].quantity",
        /positive number/,
      );
    });

    it("picks the conversion ratio that gives the declared output on chain", function () {
      const t = (inputs: unknown[], outputs: unknown[], extra = {}) => one(transformation(inputs, outputs, extra));
      // 1 kg from 3 kg: round(333333.3) = 333333 would record 0.999 kg; 333334 records 1 kg.
      const a = t([lgtin("000011", "F1", 3)], [lgtin("000012", "D1", 1)]);
      expect(a.actions[0]).to.include({ kind: "transform", ratioPpm: 333_334, outputQuantity: 1_000n });
      expect(a.warnings).to.deep.equal([]);
      // Same product, one input: a relabelling transform at ratio 1e6, not a merge.
      expect(t([lgtin("000012", "D1", 2)], [lgtin("000012", "D2", 2)]).actions[0]).to.include({
        kind: "transform",
        ratioPpm: 1_000_000,
      });
      // Same product and unit but a loss: a transform, not a merge.
      const loss = t([lgtin("000012", "D1", 2), lgtin("000012", "D2", 2)], [lgtin("000012", "D3", 3.9)]);
      expect(loss.actions[0]).to.include({ kind: "transform", ratioPpm: 975_000 });
      // No ratio in millionths gives 1000.001 kg from 3000 kg: reported.
      const odd = t([lgtin("000011", "F1", 3000)], [lgtin("000012", "D1", 1000.001)]);
      expect(odd.actions[0]).to.include({ kind: "transform", ratioPpm: 333_334 });
      expect(odd.warnings.map((w) => w.path)).to.deep.equal(["outputQuantityList[0].quantity"]);
      expect(odd.warnings[0]!.message).to.match(/will record 1000\.002 KGM/);
      // A declared ratio is used, and must give the output.
      const declared = t([lgtin("000011", "F1", 1)], [lgtin("000012", "D1", 0.333)], {
        "zx:ratioPpm": 333_333,
        "@context": { zx: ZX_NAMESPACE },
      });
      expect(declared.actions[0]).to.include({ kind: "transform", ratioPpm: 333_333 });
      throwsAt(
        () =>
          t([lgtin("000011", "F1", 1)], [lgtin("000012", "D1", 0.333)], {
            "zx:ratioPpm": 334_000,
            "@context": { zx: ZX_NAMESPACE },
          }),
        "zx:ratioPpm",
        /gives 0\.334 KGM/,
      );
    });

    it("rejects transformations the ledger cannot record", function () {
      const t = (inputs: unknown[], outputs: unknown[]) => () => one(transformation(inputs, outputs));
      throwsAt(t([], [lgtin("000012", "D1", 1)]), "inputQuantityList", /at least one input/);
      throwsAt(t([lgtin("000011", "F1", 1)], []), "outputQuantityList", /at least one output/);
      throwsAt(
        t([lgtin("000011", "F1", 1), lgtin("000011", "F2", 1)], [lgtin("000012", "D1", 1), lgtin("000012", "D2", 1)]),
        "outputQuantityList",
        /exactly one input/,
      );
      throwsAt(
        t([lgtin("000011", "F1", 2)], [lgtin("000012", "D1", 1), lgtin("000012", "D2", 1)]),
        "outputQuantityList[0].epcClass",
        /keeps the product/,
      );
      throwsAt(
        t([lgtin("000012", "D1", 2)], [lgtin("000012", "D1", 1), lgtin("000012", "D2", 1)]),
        "outputQuantityList[0].epcClass",
        /new batches/,
      );
      throwsAt(
        t([lgtin("000012", "D1", 2)], [lgtin("000012", "D2", 1), lgtin("000012", "D3", 1000, "GRM")]),
        "outputQuantityList[1].uom",
        /keeps the unit/,
      );
      throwsAt(
        t([lgtin("000012", "D1", 1), lgtin("000012", "D1", 1)], [lgtin("000012", "D2", 2)]),
        "inputQuantityList[1].epcClass",
        /same lot/,
      );
      throwsAt(
        t([lgtin("000012", "D1", 1), lgtin("000012", "D2", 1)], [lgtin("000012", "D1", 2)]),
        "outputQuantityList[0].epcClass",
        /new batch/,
      );
      throwsAt(
        t([lgtin("000011", "F1", 1)], [lgtin("000012", "D1", 0.0001)]),
        "outputQuantityList[0].quantity",
        /three decimals/,
      );
      throwsAt(
        t([lgtin("000011", "F1", 3000)], [lgtin("000012", "D1", 0.001)]),
        "outputQuantityList[0].quantity",
        /outside what the ledger records/,
      );
      const many = Array.from({ length: 33 }, (_, i) => lgtin("000011", `F${i}`, 1));
      throwsAt(t(many, [lgtin("000012", "D1", 1)]), "inputQuantityList", /at most 32/);
    });

    it("maps AggregationEvent steps like ObjectEvent OBSERVE", function () {
      const agg = (fields: Record<string, unknown>) => ({
        type: "AggregationEvent",
        eventTime: "2026-12-01T10:00:00+08:00",
        eventTimeZoneOffset: "+08:00",
        childQuantityList: [lgtin("000012", "B1", 0.5)],
        ...fields,
      });
      expect(
        one(
          agg({
            action: "OBSERVE",
            bizStep: "shipping",
            destinationList: [{ type: "possessing_party", destination: "x:y" }],
          }),
        ).actions[0],
      ).to.include({ kind: "ship", to: "x:y" });
      throwsAt(() => one(agg({ action: "OBSERVE" })), "bizStep", /required/);
      throwsAt(() => one(agg({ action: "ADD", bizStep: "commissioning" })), "bizStep", /ObjectEvent with action ADD/);
      throwsAt(
        () =>
          one(agg({ action: "ADD", childQuantityList: undefined, childEPCs: ["urn:epc:id:sgtin:6923456.000012.1"] })),
        "childQuantityList",
        /instance-level/,
      );
    });

    it("throws at the first warning in strict mode", function () {
      throwsAt(
        () => parseEpcisDocument(load("commissioning.json"), { strict: true }),
        "epcisBody.eventList[0].ilmd.cbvmda:countryOfOrigin",
        /strict mode/,
      );
      expect(parseEpcisDocument(load("split-retail-boxes.json"), { strict: true }).actions).to.have.length(2);
    });

    it("recognises the ledger's extension fields under any prefix bound to its namespace", function () {
      const hash = "0x" + "ab".repeat(32);
      const e = objectEvent({
        bizStep: "storing",
        "@context": [{ ledger: ZX_NAMESPACE }],
        "ledger:evidenceHash": hash,
        "ledger:ratioPpm": 5,
      });
      const parsed = one(e);
      expect(parsed.events[0]!.recorded).to.deep.equal({ evidenceHash: hash });
      expect(parsed.warnings).to.deep.equal([
        {
          path: "ledger:ratioPpm",
          message: "ledger extension field does not apply to this event; kept in the evidence hash",
        },
      ]);
      // Not bound to the namespace: an ordinary extension.
      expect(one(objectEvent({ bizStep: "storing", "zx:evidenceHash": hash })).warnings[0]!.message).to.match(
        /^extension field/,
      );
      throwsAt(() => one({ ...e, "ledger:evidenceHash": "0x12" }), "ledger:evidenceHash", /64 hex digits/);
    });
  });

  describe("export and round trip", function () {
    // The deployment's namespace (ZHIXIN_EPCIS_NAMESPACE, else the public explorer URL + /ns/).
    const NS = "https://trace.jiangmen.example.cn/ns/";
    let saved: string | undefined;
    before(function () {
      saved = process.env.ZHIXIN_EPCIS_NAMESPACE;
      process.env.ZHIXIN_EPCIS_NAMESPACE = NS;
    });
    after(function () {
      if (saved === undefined) delete process.env.ZHIXIN_EPCIS_NAMESPACE;
      else process.env.ZHIXIN_EPCIS_NAMESPACE = saved;
    });

    const ACTOR = "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199";
    const RECEIVER = "0xdD2FD4581271e230360230F9337D5c0430Bf44C0";
    let n = 0;
    const chain = () => {
      n += 1;
      return {
        evidenceHash: keccak256(toUtf8Bytes(`evidence ${n}`)),
        txHash: keccak256(toUtf8Bytes(`tx ${n}`)),
        actor: ACTOR,
        blockNumber: 100 + n,
      };
    };
    const T0 = 1_795_134_600n; // 2026-11-20T08:30:00+08:00
    const lot = (productCode: string, lotCode: string, quantity: bigint, uom = "KGM") => ({
      productCode,
      lotCode,
      quantity,
      uom,
    });

    const facts: TraceFact[] = [
      {
        kind: "commissioned",
        ...lot(FRESH_PEEL, "XH-FP-2601", 60_000n),
        location: ORCHARD,
        eventTime: T0,
        giCertificate: 3,
        ...chain(),
      },
      {
        kind: "commissioned",
        ...lot(FRESH_PEEL, "XH-FP-2602", 40_000n),
        location: ORCHARD,
        eventTime: T0 + 60n,
        ...chain(),
      },
      {
        kind: "transformed",
        inputs: [lot(FRESH_PEEL, "XH-FP-2601", 60_000n), lot(FRESH_PEEL, "XH-FP-2602", 40_000n)],
        output: lot(DRIED_PEEL, "XH-CP-2601", 25_500n),
        ratioPpm: 255_000,
        giCertificate: 3,
        location: DRYING_PLANT,
        eventTime: T0 + 86_400n * 8n,
        ...chain(),
      },
      {
        kind: "split",
        ...lot(DRIED_PEEL, "XH-CP-2601", 25_500n),
        children: [
          { lotCode: "XH-CP-2601-B01", quantity: 500n },
          { lotCode: "XH-CP-2601-R", quantity: 25_000n },
        ],
        location: DRYING_PLANT,
        eventTime: T0 + 86_400n * 10n,
        ...chain(),
      },
      {
        kind: "merged",
        inputs: [lot(DRIED_PEEL, "XH-CP-2601-R", 25_000n), lot(DRIED_PEEL, "XH-CP-2602", 12_250n)],
        output: lot(DRIED_PEEL, "XH-CP-2603", 37_250n),
        location: DRYING_PLANT,
        eventTime: T0 + 86_400n * 10n + 3600n,
        ...chain(),
      },
      // A transform that happens to look like a merge: zx:ratioPpm keeps it a transform.
      {
        kind: "transformed",
        inputs: [lot(DRIED_PEEL, "XH-CP-2603", 37_250n), lot(DRIED_PEEL, "XH-CP-2604", 1_000n)],
        output: lot(DRIED_PEEL, "XH-CP-2605", 38_250n),
        ratioPpm: 1_000_000,
        eventTime: T0 + 86_400n * 11n,
        ...chain(),
      },
      // 1 kg at 333333 ppm is 0.333 kg on chain; re-deriving the ratio would give 333000.
      {
        kind: "transformed",
        inputs: [lot(DRIED_PEEL, "XH-CP-2604", 1_000n)],
        output: lot("XH-TEA", "T-01", 333n, "XBX"),
        ratioPpm: 333_333,
        eventTime: T0 + 86_400n * 11n + 60n,
        ...chain(),
      },
      {
        kind: "observed",
        ...lot(DRIED_PEEL, "XH-CP-2601-B01", 500n),
        bizStep: "packing",
        location: DRYING_PLANT,
        eventTime: T0 + 86_400n * 11n,
        ...chain(),
      },
      {
        kind: "observed",
        ...lot(DRIED_PEEL, "XH-CP-2601-B01", 500n),
        bizStep: 7,
        location: WAREHOUSE,
        eventTime: T0 + 86_400n * 11n + 10n,
        ...chain(),
      },
      {
        kind: "shipped",
        ...lot(DRIED_PEEL, "XH-CP-2601-B01", 500n),
        to: RECEIVER,
        location: WAREHOUSE,
        eventTime: T0 + 86_400n * 12n,
        ...chain(),
      },
      {
        kind: "received",
        ...lot(DRIED_PEEL, "XH-CP-2601-B01", 500n),
        location: RETAILER,
        eventTime: T0 + 86_400n * 13n,
        ...chain(),
      },
      {
        kind: "certificate",
        ...lot(DRIED_PEEL, "XH-CP-2601-B01", 500n),
        passed: true,
        validUntil: T0 + 86_400n * 365n,
        reportHash: keccak256(toUtf8Bytes("report")),
        eventTime: T0 + 86_400n * 13n + 5n,
        ...chain(),
      },
      {
        kind: "sold",
        ...lot(DRIED_PEEL, "XH-CP-2601-B01", 500n),
        location: RETAILER,
        eventTime: T0 + 86_400n * 14n,
        ...chain(),
      },
      {
        kind: "recall",
        ...lot(DRIED_PEEL, "XH-CP-2603", 37_250n),
        recallId: 1,
        reasonHash: keccak256(toUtf8Bytes("reason")),
        eventTime: T0 + 86_400n * 15n,
        ...chain(),
      },
      {
        kind: "destroyed",
        ...lot(DRIED_PEEL, "XH-CP-2605", 38_250n),
        location: 0n,
        eventTime: T0 + 86_400n * 16n,
        ...chain(),
      },
    ];

    const q = (b: { productCode: string; lotCode: string; quantity: bigint; uom: string }) =>
      ref(b.productCode, b.lotCode, b.quantity, b.uom);

    /** The action each fact should come back as (without path and evidence hash). */
    function expected(f: TraceFact): Record<string, unknown> {
      const where = { location: f.location ?? 0n, eventTime: BigInt(f.eventTime) };
      switch (f.kind) {
        case "commissioned":
          return {
            kind: "commission",
            productCode: f.productCode,
            lotCode: f.lotCode,
            batchId: batchIdOf(f.productCode, f.lotCode),
            quantity: f.quantity,
            uom: f.uom,
            ...(f.giCertificate !== undefined ? { giCertificate: f.giCertificate } : {}),
            ...where,
          };
        case "observed":
          return {
            kind: "observe",
            batch: q(f),
            bizStep: f.bizStep === 7 ? "storing" : f.bizStep,
            bizStepCode: f.bizStep === 7 ? 7 : 3,
            ...where,
          };
        case "shipped":
          return { kind: "ship", batch: q(f), to: `${NS}account/${RECEIVER}`, ...where };
        case "received":
          return { kind: "accept", batch: q(f), ...where };
        case "sold":
          return { kind: "sell", batch: q(f), ...where };
        case "destroyed":
          return { kind: "destroy", batch: q(f), ...where };
        case "certificate":
          return {
            kind: "certify",
            batch: q(f),
            passed: f.passed,
            validUntil: BigInt(f.validUntil),
            reportHash: f.reportHash,
            ...where,
          };
        case "recall":
          return { kind: "recall", batch: q(f), reasonHash: f.reasonHash, recallId: f.recallId, ...where };
        case "split":
          return {
            kind: "split",
            batch: q(f),
            parts: f.children.map((c) => ({
              lotCode: c.lotCode,
              batchId: batchIdOf(f.productCode, c.lotCode),
              quantity: c.quantity,
            })),
            ...where,
          };
        case "merged":
          return {
            kind: "merge",
            inputs: f.inputs.map(q),
            productCode: f.output.productCode,
            lotCode: f.output.lotCode,
            batchId: batchIdOf(f.output.productCode, f.output.lotCode),
            quantity: f.output.quantity,
            uom: f.output.uom,
            ...where,
          };
        case "transformed":
          return {
            kind: "transform",
            inputs: f.inputs.map(q),
            outputProduct: f.output.productCode,
            outputLot: f.output.lotCode,
            outputUom: f.output.uom,
            outputQuantity: f.output.quantity,
            batchId: batchIdOf(f.output.productCode, f.output.lotCode),
            ratioPpm: Number(f.ratioPpm),
            ...(f.giCertificate !== undefined ? { giCertificate: f.giCertificate } : {}),
            ...where,
          };
      }
    }

    const creationDate = new Date("2026-12-20T00:00:00Z");

    it("writes an EPCIS 2.0 document with LGTIN classes, SGLN locations, CBV names and zx fields", function () {
      const doc = exportEpcis(facts, { creationDate });
      // GS1's versioned context and the namespace's own context document (served by the explorer).
      expect(doc["@context"]).to.deep.equal([
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        `${NS}context.jsonld`,
      ]);
      expect(doc).to.include({ type: "EPCISDocument", schemaVersion: "2.0", creationDate: "2026-12-20T00:00:00.000Z" });
      const withIds = eventsOf(doc) as Record<string, unknown>[];
      expect(withIds).to.have.length(facts.length);
      // Every event has an eventID: its GS1 event hash ID.
      const events = withIds.map(({ eventID, ...rest }) => {
        expect(eventID).to.equal(eventHashId(rest, doc["@context"]));
        return rest;
      });
      expect(events[0]).to.deep.equal({
        type: "ObjectEvent",
        eventTime: "2026-11-20T08:30:00+08:00",
        eventTimeZoneOffset: "+08:00",
        action: "ADD",
        bizStep: "commissioning",
        disposition: "active",
        quantityList: [{ epcClass: "urn:epc:class:lgtin:6923456.000011.XH-FP-2601", quantity: 60, uom: "KGM" }],
        bizLocation: { id: "urn:epc:id:sgln:6923456.00001.0" },
        "zx:giCertificate": 3,
        "zx:evidenceHash": facts[0]!.evidenceHash,
        "zx:txHash": facts[0]!.txHash,
        "zx:actor": ACTOR,
        "zx:blockNumber": facts[0]!.blockNumber,
      });
      expect(events[2]).to.include({ type: "TransformationEvent", bizStep: "commissioning", "zx:ratioPpm": 255_000 });
      expect(events[2]!.outputQuantityList).to.deep.equal([
        { epcClass: "urn:epc:class:lgtin:6923456.000012.XH-CP-2601", quantity: 25.5, uom: "KGM" },
      ]);
      expect(events[3]).to.include({ type: "TransformationEvent", bizStep: "repackaging" });
      expect(events[6]!.outputQuantityList).to.deep.equal([
        { epcClass: `${NS}class/XH-TEA/T-01`, quantity: 0.333, uom: "XBX" },
      ]);
      expect(events[9]).to.include({ bizStep: "shipping", disposition: "in_transit" });
      expect(events[9]!.destinationList).to.deep.equal([
        { type: "possessing_party", destination: `${NS}account/${RECEIVER}` },
      ]);
      expect(events[11]).to.include({ bizStep: "inspecting", disposition: "conformant" });
      expect(events[13]).to.include({ bizStep: "holding", disposition: "recalled" });
      expect(events[14]).to.include({ action: "DELETE", bizStep: "destroying", disposition: "destroyed" });
      expect(events[14]).to.not.have.property("bizLocation");
      // Plain JSON: no bigint anywhere.
      expect(() => JSON.stringify(doc)).to.not.throw();
    });

    it("parses its export back to the actions of the facts, with no warnings", function () {
      for (const identifiers of ["urn", "digital-link"] as const) {
        const doc = JSON.parse(JSON.stringify(exportEpcis(facts, { creationDate, identifiers })));
        const parsed = parseEpcisDocument(doc, { strict: true });
        expect(parsed.warnings).to.deep.equal([]);
        expect(bare(parsed.actions), identifiers).to.deep.equal(facts.map(expected));
        expect(parsed.events.map((e) => e.recorded)).to.deep.equal(
          facts.map((f) => ({
            evidenceHash: f.evidenceHash,
            txHash: f.txHash,
            actor: f.actor,
            blockNumber: f.blockNumber,
          })),
        );
        // The context's hash is the exported event's own; the ledger's is in `recorded`.
        expect(parsed.actions[0]!.context.evidenceHash).to.equal(evidenceHashOf(eventsOf(doc)[0]));
      }
    });

    it("writes times in the requested offset and GS1 keys with other prefix lengths", function () {
      const doc = exportEpcis([facts[1]!], { creationDate, timeZoneOffset: "-03:30", companyPrefixLength: 9 });
      const [event] = eventsOf(doc) as Record<string, unknown>[];
      expect(event).to.include({ eventTime: "2026-11-19T21:01:00-03:30", eventTimeZoneOffset: "-03:30" });
      expect(event!.quantityList).to.deep.equal([
        { epcClass: "urn:epc:class:lgtin:692345600.0011.XH-FP-2602", quantity: 40, uom: "KGM" },
      ]);
      expect(event!.bizLocation).to.deep.equal({ id: "urn:epc:id:sgln:692345600.001.0" });
      expect(bare(parseEpcisDocument(doc).actions)).to.deep.equal([expected(facts[1]!)]);
      expect(() => exportEpcis([facts[1]!], { companyPrefixLength: 5 })).to.throw(/6 to 12/);
    });

    it("exports what the fixtures parse to, and parses that back the same", function () {
      const parsed = parseEpcisDocument(load("split-retail-boxes.json"));
      const chenpi = parseEpcisDocument(load("chenpi-transformation.json"));
      const toFacts = (a: EpcisAction): TraceFact => {
        const base = {
          location: a.context.location,
          eventTime: a.context.eventTime,
          evidenceHash: a.context.evidenceHash,
        };
        const b = (x: { productCode: string; lotCode: string; quantity: bigint; uom: string }) =>
          lot(x.productCode, x.lotCode, x.quantity, x.uom);
        if (a.kind === "split") return { kind: "split", ...b(a.batch), children: a.parts, ...base };
        if (a.kind === "merge")
          return {
            kind: "merged",
            inputs: a.inputs.map(b),
            output: lot(a.productCode, a.lotCode, a.quantity, a.uom),
            ...base,
          };
        if (a.kind === "transform") {
          return {
            kind: "transformed",
            inputs: a.inputs.map(b),
            output: lot(a.outputProduct, a.outputLot, a.outputQuantity, a.outputUom),
            ratioPpm: a.ratioPpm,
            ...base,
          };
        }
        throw new Error(a.kind);
      };
      const original = [...parsed.actions, ...chenpi.actions];
      const again = parseEpcisDocument(exportEpcis(original.map(toFacts), { creationDate }));
      expect(bare(again.actions)).to.deep.equal(bare(original));
      expect(again.events.map((e) => e.recorded?.evidenceHash)).to.deep.equal(
        original.map((a) => a.context.evidenceHash),
      );
    });
  });
});
