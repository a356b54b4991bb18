/**
 * EPCIS exports against GS1's own material (../shared/conformance/epcis): every export validates against
 * GS1's JSON schema, every extension field is a term of the namespace's JSON-LD context (so that it
 * survives expansion with GS1's contexts), and certificates and recalls are dated by their block.
 */
import { readFileSync } from "node:fs";

import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { expect } from "chai";

import { type TraceFact, exportEpcis, factsOf, namespaceContext } from "../../src/trace/epcis/export.js";
import type { BatchHistory } from "../../src/trace/history.js";
import { batchIdOf } from "../../src/trace/vocabulary.js";

const NS = "https://trace.jiangmen.example.cn/ns/";
const SCHEMA = new URL("../../../shared/conformance/epcis/schema/EPCIS-JSON-Schema.json", import.meta.url);

const PEEL = "06923456000117";
const CHENPI = "06923456000124";
const lot = (productCode: string, lotCode: string, quantity: bigint) => ({
  productCode,
  lotCode,
  quantity,
  uom: "KGM",
});
const at = 1_795_000_000n;
const ACTOR = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const RECEIVER = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
const h32 = (b: string) => "0x" + b.repeat(32);

const FACTS: TraceFact[] = [
  { kind: "commissioned", ...lot(PEEL, "A", 100_000n), eventTime: at, location: 6923456000018n, giCertificate: 2 },
  {
    kind: "transformed",
    eventTime: at + 10n,
    inputs: [lot(PEEL, "A", 100_000n)],
    output: lot(CHENPI, "B", 25_000n),
    ratioPpm: 250_000,
    giCertificate: 2,
  },
  { kind: "observed", ...lot(CHENPI, "B", 25_000n), eventTime: at + 20n, bizStep: "storing" },
  { kind: "shipped", ...lot(CHENPI, "B", 25_000n), eventTime: at + 30n, to: RECEIVER, actor: ACTOR },
  { kind: "received", ...lot(CHENPI, "B", 25_000n), eventTime: at + 40n },
  {
    kind: "certificate",
    ...lot(CHENPI, "B", 25_000n),
    eventTime: at + 50n,
    passed: true,
    validUntil: at + 86_400n,
    reportHash: h32("ab"),
    evidenceHash: h32("cd"),
    txHash: h32("ef"),
    actor: ACTOR,
    blockNumber: 9,
  },
  { kind: "recall", ...lot(CHENPI, "B", 25_000n), eventTime: at + 60n, recallId: 1, reasonHash: h32("12") },
  { kind: "sold", ...lot(CHENPI, "B", 25_000n), eventTime: at + 70n },
  { kind: "destroyed", ...lot(CHENPI, "B", 25_000n), eventTime: at + 80n },
];

describe("EPCIS export conformance", function () {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, "utf8")) as object);

  it("validates against GS1's EPCIS 2.0 JSON schema, with URN and Digital Link identifiers", function () {
    for (const identifiers of ["urn", "digital-link"] as const) {
      const doc = JSON.parse(JSON.stringify(exportEpcis(FACTS, { namespace: NS, identifiers })));
      const ok = validate(doc);
      expect(ok, `${identifiers}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).to.equal(true);
    }
  });

  it("defines every extension field in the namespace's JSON-LD context, nested details included", function () {
    const context = namespaceContext(NS)["@context"] as Record<string, unknown>;
    expect(context.zx).to.equal(NS);
    const doc = exportEpcis(FACTS, { namespace: NS });
    const events = (doc.epcisBody as { eventList: Record<string, unknown>[] }).eventList;
    let seen = 0;
    for (const e of events) {
      for (const [k, v] of Object.entries(e)) {
        if (!k.startsWith("zx:")) continue;
        seen++;
        const def = context[k] as { "@id": string; "@context"?: Record<string, { "@id": string }> } | undefined;
        expect(def, k).to.not.equal(undefined);
        expect(def!["@id"]).to.equal(NS + k.slice(3));
        if (typeof v === "object" && v !== null) {
          for (const nested of Object.keys(v)) {
            expect(def!["@context"]?.[nested]?.["@id"], `${k}.${nested}`).to.equal(NS + nested);
          }
        }
      }
    }
    expect(seen).to.be.greaterThan(8);
  });

  it("states each event's own quantity: an observation of part, a partial sale, and what the batch holds after it", function () {
    const id = batchIdOf(CHENPI, "B").toLowerCase();
    const step = (kind: string, extra: Record<string, unknown>, n: number) => ({
      batchId: id,
      kind,
      detail: {},
      org: ACTOR,
      location: 0n,
      eventTime: at + BigInt(n),
      evidenceHash: h32("00"),
      txHash: h32("ef"),
      blockNumber: 12 + n,
      logIndex: 0,
      ...extra,
    });
    const h = {
      batchId: id,
      lineage: [{ batchId: id, ...lot(CHENPI, "B", 1_000_000n), origin: "commissioned", parents: [], depth: 0 }],
      custody: [],
      steps: [
        step("storing", { quantity: "200000", uom: "KGM" }, 1), // an observation of 200 of the 1000 kg
        step("retail_selling", { quantity: "300000" }, 2), // 300 kg sold
        step("shipping", { counterparty: RECEIVER }, 3), // the rest, as held then
      ],
    } as unknown as BatchHistory;
    const doc = exportEpcis(factsOf(h), { namespace: NS, timeZoneOffset: "+08:00" });
    const events = (doc.epcisBody as { eventList: { quantityList: { quantity: number; uom: string }[] }[] }).eventList;
    expect(events.map((e) => [e.quantityList[0]!.quantity, e.quantityList[0]!.uom])).to.deep.equal([
      [200, "KGM"],
      [300, "KGM"],
      [700, "KGM"],
    ]);
  });

  it("dates certificates and recalls by their block, never 1970", function () {
    const id = batchIdOf(CHENPI, "B").toLowerCase();
    const h: BatchHistory = {
      batchId: id,
      lineage: [{ batchId: id, ...lot(CHENPI, "B", 25_000n), origin: "commissioned", parents: [], depth: 0 }],
      custody: [],
      steps: [
        {
          batchId: id,
          kind: "certificate",
          detail: { passed: true, validUntil: String(at + 86_400n), reportHash: h32("ab") },
          org: ACTOR,
          location: 0n,
          eventTime: 0n,
          evidenceHash: h32("00"),
          txHash: h32("ef"),
          blockNumber: 12,
          logIndex: 0,
        },
      ],
    };
    expect(() => factsOf(h)).to.throw(/no event time: give its block time/);
    const [fact] = factsOf(h, new Map([[12, Number(at)]]));
    const doc = exportEpcis([fact!], { namespace: NS, timeZoneOffset: "+08:00" });
    const [event] = (doc.epcisBody as { eventList: Record<string, unknown>[] }).eventList;
    expect(event!.eventTime).to.equal("2026-11-18T19:06:40+08:00");
  });
});
