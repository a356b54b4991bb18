import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import {
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type LogDescription,
  type Result,
  ZeroAddress,
  ZeroHash,
  encodeBytes32String,
  id,
} from "ethers";
import { network } from "hardhat";

import Samples from "../../deploy/organisations/jiangmen.json" with { type: "json" };
import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import { creditCodeCheckChar } from "../../src/credit-code.js";
import { requireTrace } from "../../src/deployment.js";
import { ROLE } from "../../src/roles.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import {
  BIZ_STEPS,
  OBSERVATION_STEPS,
  batchIdOf,
  decodeCode,
  encodeCode,
  gs1CheckDigit,
  parseGln,
  parseQuantity,
  parseUnit,
  unitHex,
} from "../../src/trace/vocabulary.js";
import type { ITraceLedger } from "../../types/ethers-contracts/index.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const P = DevParameters.Foundation;

type Signer = HardhatEthersSigner;

// Enum values of ITraceLedger.
const Category = { Agricultural: 0n, Food: 1n, Drug: 2n, AgriculturalInput: 3n, SpecialEquipment: 4n } as const;
const Status = { None: 0n, Active: 1n, InTransit: 2n, Consumed: 3n, RetailSold: 4n, Destroyed: 5n } as const;
const Cert = { None: 0n, Passed: 1n, Failed: 2n } as const;
const Action = { None: 0n, Hold: 1n, Return: 2n, Destroy: 3n } as const;

const DAY = 24n * 60n * 60n;

/** A GS1 number with its check digit appended. */
const gs1 = (body: string) => `${body}${gs1CheckDigit(body)}`;

/** 新会柑 fresh peel (agricultural, GI) and 新会陈皮 dried peel (food, GI), of 江门市新会区陈皮专业合作社. */
const FRESH = "0" + gs1("690123456789"); // GTIN-14, as the CLI and EPCIS normalise it
const CHENPI = "0" + gs1("690123456790");
/** 柑普茶 (food, no GI) of a second producer, registered for it by the market regulator. */
const TEA = "0" + gs1("690123456791");

/** Locations (GLN-13): the orchard, the co-operative's drying yard, the cold store, the supermarket. */
const ORCHARD = parseGln(gs1("690123400001"));
const YARD = parseGln(gs1("690123400002"));
const COLD_STORE = parseGln(gs1("690123400003"));
const SHOP = parseGln(gs1("690123400004"));

const KGM = parseUnit("kg").hex;
const GRM = parseUnit("g").hex;
const XBX = parseUnit("box").hex;

const code = (text: string) => encodeCode("code", text);
const q = (text: string) => parseQuantity(text);

function sample(name: string): string {
  const org = Samples.organisations.find((o) => o.name === name);
  if (org === undefined) throw new Error(`no sample organisation ${name}`);
  return org.account;
}

async function now(): Promise<bigint> {
  return BigInt(await networkHelpers.time.latest());
}

/** Where and when: now (the latest block), at `location`, with the hash of `document`. */
async function ctx(location: bigint = COLD_STORE, document = "EPCIS event"): Promise<ITraceLedger.ContextStruct> {
  return {
    location,
    eventTime: await now(),
    evidenceHash: id(document),
    eventId: ZeroHash,
    quantity: 0n,
    uom: "0x000000",
    disposition: 0,
  };
}

/** A Context as an event argument for `withArgs`. */
const tuple = (c: ITraceLedger.ContextStruct) => [
  c.location,
  c.eventTime,
  c.evidenceHash,
  c.eventId,
  c.quantity,
  c.uom,
  c.disposition,
];

async function send(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt;
}

/**
 * The whole ledger deployed with the dev parameters and the sample Jiangmen organisations
 * (deployWithSamples), plus a second producer registered by the market regulator, and three
 * products: fresh peel and chenpi of the co-operative, tea of the second producer.
 */
async function traceFixture() {
  const d = await deployWithSamples(connection, () => {});
  const trace = requireTrace(d);
  const signers = await ethers.getSigners();
  const by = (address: string): Signer => {
    const s = signers.find((x) => x.address.toLowerCase() === address.toLowerCase());
    if (s === undefined) throw new Error(`${address} is not one of the test accounts`);
    return s;
  };
  const known = new Set(
    [
      ...Object.values(P).filter((v) => v.startsWith("0x")),
      ...Samples.organisations.map((o) => o.account),
      signers[0]!.address,
    ].map((a) => a.toLowerCase()),
  );
  const [producerB, stranger] = signers.filter((s) => !known.has(s.address.toLowerCase()));
  if (producerB === undefined || stranger === undefined) throw new Error("not enough unused test accounts");

  const f = {
    ...d,
    trace,
    admin: signers[0]!,
    regulator: by(P.marketRegulatorAccount),
    /** 江门市新会区陈皮专业合作社 */
    producer: by(sample("江门市新会区陈皮专业合作社")),
    /** 江门市新会区柑茶有限公司, registered by the fixture */
    producerB,
    /** 江门顺达冷链物流有限公司 */
    logistics: by(sample("江门顺达冷链物流有限公司")),
    /** 台山市惠民超市有限公司 */
    retailer: by(sample("台山市惠民超市有限公司")),
    /** 江门市食品检验所 */
    inspector: by(sample("江门市食品检验所")),
    /** 江门市慈善会, a CHARITY */
    charity: by(sample("江门市慈善会")),
    /** 江门市中心医院, a RECIPIENT */
    hospital: by(sample("江门市中心医院")),
    stranger,
  };
  const creditCode = `91440705MA0000099${creditCodeCheckChar("91440705MA0000099")}`;
  await send(
    d.registry
      .connect(f.regulator)
      .register(producerB, Number(ROLE.PRODUCER), "江门市新会区柑茶有限公司", creditCode, ZeroHash),
  );
  await send(
    trace.connect(f.producer).registerProduct(code(FRESH), Category.Agricultural, f.producer, true, id("柑皮")),
  );
  await send(trace.connect(f.producer).registerProduct(code(CHENPI), Category.Food, f.producer, true, id("陈皮")));
  await send(trace.connect(f.regulator).registerProduct(code(TEA), Category.Food, producerB, false, id("柑普茶")));
  return f;
}

type Fixture = Awaited<ReturnType<typeof traceFixture>>;

interface CommissionOptions {
  readonly product?: string;
  readonly quantity?: string;
  readonly unit?: string;
  readonly gi?: bigint;
  readonly by?: Signer;
}

/** Commissions a batch (fresh peel, 100 kg, by the co-operative unless told); returns its id. */
async function commission(f: Fixture, lot: string, o: CommissionOptions = {}): Promise<string> {
  const product = o.product ?? FRESH;
  const c: ITraceLedger.CommissionStruct = {
    productCode: code(product),
    lotCode: code(lot),
    quantity: q(o.quantity ?? "100"),
    uom: parseUnit(o.unit ?? "kg").hex,
    giCertificate: o.gi ?? 0n,
  };
  await send(f.trace.connect(o.by ?? f.producer).commissionBatch(c, await ctx(ORCHARD, `harvest ${lot}`)));
  return batchIdOf(product, lot);
}

/** `from` ships the batch to `to`, and `to` accepts it. */
async function move(f: Fixture, batch: string, from: Signer, to: Signer): Promise<void> {
  await send(f.trace.connect(from).ship(batch, to, await ctx()));
  await send(f.trace.connect(to).accept(batch, await ctx()));
}

/** Splits a batch (of fresh peel unless told) into the given lots; returns the children's ids. */
async function split(
  f: Fixture,
  batch: string,
  parts: readonly (readonly [string, string])[],
  by: Signer = f.producer,
  product = FRESH,
): Promise<string[]> {
  const lots = parts.map(([lot]) => code(lot));
  const quantities = parts.map(([, quantity]) => q(quantity));
  await send(f.trace.connect(by).split(batch, lots, quantities, await ctx()));
  return parts.map(([lot]) => batchIdOf(product, lot));
}

async function merge(f: Fixture, inputs: string[], lot: string, by: Signer = f.producer, product = FRESH) {
  await send(f.trace.connect(by).merge(inputs, code(lot), await ctx()));
  return batchIdOf(product, lot);
}

/** Dries fresh peel into chenpi (25% by weight, in kg, unlabelled unless told). */
function drying(lot: string, o: Partial<ITraceLedger.TransformationStruct> = {}): ITraceLedger.TransformationStruct {
  return {
    outputProduct: code(CHENPI),
    outputLot: code(lot),
    outputUom: KGM,
    ratioPpm: 250_000n,
    giCertificate: 0n,
    ...o,
  };
}

async function transform(f: Fixture, inputs: string[], t: ITraceLedger.TransformationStruct, by: Signer = f.producer) {
  await send(f.trace.connect(by).transform(inputs, t, await ctx(YARD, "drying record")));
  return batchIdOf(decodeCode(t.outputProduct as string), decodeCode(t.outputLot as string));
}

async function certify(f: Fixture, batch: string, passed: boolean, validUntil: bigint, report = "report") {
  await send(f.trace.connect(f.inspector).certify(batch, passed, validUntil, id(report)));
}

/** The regulator recalls the batch; returns the recall id. */
async function recall(f: Fixture, batch: string, reason = "pesticide residue"): Promise<bigint> {
  await send(f.trace.connect(f.regulator).recall(batch, id(reason)));
  return await f.trace.recallCount();
}

async function issueGi(f: Fixture, product: string, ceiling: string, days = 365n, producer: Signer = f.producer) {
  const validUntil = (await now()) + days * DAY;
  await send(
    f.trace.connect(f.regulator).issueGiCertificate(producer, code(product), KGM, q(ceiling), validUntil, id("GI")),
  );
  return { certificateId: await f.trace.giCertificateCount(), validUntil };
}

/** A struct a view returned, as a plain object of its named fields. */
function fields(struct: object): Record<string, unknown> {
  return (struct as Result).toObject();
}

function eventsOf(f: Fixture, receipt: ContractTransactionReceipt, name: string): LogDescription[] {
  return receipt.logs
    .map((log) => {
      try {
        return f.trace.interface.parseLog(log);
      } catch {
        return null;
      }
    })
    .filter((e): e is LogDescription => e !== null && e.name === name);
}

async function status(f: Fixture, batch: string): Promise<bigint> {
  return (await f.trace.batch(batch)).status;
}

describe("TraceLedger", function () {
  describe("products", function () {
    it("are registered by their producer, or by the market regulator for any active producer", async function () {
      const { trace, producer, producerB, regulator } = await networkHelpers.loadFixture(traceFixture);
      const peel = code(gs1("690123456792"));
      await expect(trace.connect(producer).registerProduct(peel, Category.Agricultural, producer, false, id("meta")))
        .to.emit(trace, "ProductRegistered")
        .withArgs(peel, producer.address, producer.address, Category.Agricultural, false, id("meta"));
      expect(fields(await trace.product(peel))).to.deep.equal({
        producer: producer.address,
        category: Category.Agricultural,
        geographicIndication: false,
        seq: 4n,
      });
      expect(await trace.productCodeAt(4)).to.equal(peel);

      const drug = code("HZ-44020001");
      await expect(trace.connect(regulator).registerProduct(drug, Category.Drug, producerB, false, id("批准文号")))
        .to.emit(trace, "ProductRegistered")
        .withArgs(drug, producerB.address, regulator.address, Category.Drug, false, id("批准文号"));
      expect((await trace.product(drug)).producer).to.equal(producerB.address);
      expect(fields(await trace.product(code(TEA)))).to.deep.equal({
        producer: producerB.address,
        category: Category.Food,
        geographicIndication: false,
        seq: 3n,
      });
      expect(await trace.productCodeAt(1)).to.equal(code(FRESH));
      expect((await trace.product(code("NO-SUCH"))).seq).to.equal(0n);
    });

    it("refuses other callers, a producer that is not one, a taken code and malformed codes", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, producerB, regulator, retailer, logistics, charity, stranger } = f;
      const fresh = code("NEW-1");
      // Another producer cannot name the co-operative; the co-operative is not the regulator.
      await expect(trace.connect(producerB).registerProduct(fresh, Category.Food, producer, false, ZeroHash))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnauthorized")
        .withArgs(producerB.address, ROLE.MARKET_REGULATOR);
      for (const who of [logistics, retailer, charity, stranger]) {
        await expect(trace.connect(who).registerProduct(fresh, Category.Food, who, false, ZeroHash))
          .to.be.revertedWithCustomError(trace, "TraceLedgerUnauthorized")
          .withArgs(who.address, ROLE.PRODUCER);
      }
      for (const who of [retailer, regulator, stranger]) {
        await expect(trace.connect(regulator).registerProduct(fresh, Category.Food, who, false, ZeroHash))
          .to.be.revertedWithCustomError(trace, "TraceLedgerNotProducer")
          .withArgs(who.address);
      }
      await expect(trace.connect(producer).registerProduct(code(FRESH), Category.Food, producer, false, ZeroHash))
        .to.be.revertedWithCustomError(trace, "TraceLedgerProductExists")
        .withArgs(code(FRESH));
      await expect(trace.connect(regulator).registerProduct(code(FRESH), Category.Food, producerB, false, ZeroHash))
        .to.be.revertedWithCustomError(trace, "TraceLedgerProductExists")
        .withArgs(code(FRESH));
      const gap = `0x4100${"41".padEnd(60, "0")}`; // "A", a zero byte, then "A"
      for (const bad of [ZeroHash, encodeBytes32String("A B"), encodeBytes32String("陈皮"), gap]) {
        await expect(trace.connect(producer).registerProduct(bad, Category.Food, producer, false, ZeroHash))
          .to.be.revertedWithCustomError(trace, "TraceLedgerInvalidCode")
          .withArgs(bad);
      }
    });

    it("need inspection before sale by category, as the market regulator sets it", async function () {
      const { trace, regulator, producer, inspector } = await networkHelpers.loadFixture(traceFixture);
      expect(await trace.inspectionRequired(Category.Agricultural)).to.equal(false);
      for (const c of [Category.Food, Category.Drug, Category.AgriculturalInput, Category.SpecialEquipment]) {
        expect(await trace.inspectionRequired(c)).to.equal(true);
      }
      await expect(trace.connect(regulator).setInspectionRequired(Category.Agricultural, true))
        .to.emit(trace, "InspectionRequirementSet")
        .withArgs(Category.Agricultural, true, regulator.address);
      await expect(trace.connect(regulator).setInspectionRequired(Category.Food, false))
        .to.emit(trace, "InspectionRequirementSet")
        .withArgs(Category.Food, false, regulator.address);
      expect(await trace.inspectionRequired(Category.Agricultural)).to.equal(true);
      expect(await trace.inspectionRequired(Category.Food)).to.equal(false);
      expect(await trace.inspectionRequired(Category.Drug)).to.equal(true);
      for (const who of [producer, inspector]) {
        await expect(trace.connect(who).setInspectionRequired(Category.Drug, false))
          .to.be.revertedWithCustomError(trace, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
    });
  });

  describe("commissioning", function () {
    it("creates a batch whose id is batchIdOf(product, lot), held by its producer", async function () {
      const { trace, producer } = await networkHelpers.loadFixture(traceFixture);
      const lot = "XH-2026-001";
      const batchId = batchIdOf(FRESH, lot);
      expect(await trace.batchId(code(FRESH), code(lot))).to.equal(batchId);
      expect(unitHex("KGM")).to.equal(KGM);
      expect(parseUnit("千克").hex).to.equal(KGM);

      const c = { productCode: code(FRESH), lotCode: code(lot), quantity: q("1000.5"), uom: KGM, giCertificate: 0n };
      const context = await ctx(ORCHARD, "harvest record");
      expect(await trace.connect(producer).commissionBatch.staticCall(c, context)).to.equal(batchId);
      await expect(trace.connect(producer).commissionBatch(c, context))
        .to.emit(trace, "BatchCommissioned")
        .withArgs(batchId, code(FRESH), producer.address, code(lot), 1_000_500n, KGM, 0n, tuple(context));
      expect(fields(await trace.batch(batchId))).to.deep.equal({
        custodian: producer.address,
        custodianRole: ROLE.PRODUCER,
        status: Status.Active,
        recalled: false,
        uom: KGM,
        cert: Cert.None,
        parentCount: 0n,
        lineage: 1n,
        cleanAtRecall: 0n,
        quantity: 1_000_500n,
        productSeq: 1n,
        giCertificate: 0n,
        certValidUntil: 0n,
        receiver: ZeroAddress,
        receiverRole: 0n,
        lastEventTime: context.eventTime,
      });
      expect(await trace.parentsOf(batchId)).to.deep.equal([]);
      expect(await trace.isRecalled(batchId)).to.equal(false);
      expect(await trace.descendsFrom(batchId, batchId)).to.equal(true);
      expect(await trace.isSellable(batchId)).to.equal(true); // agricultural: no inspection required

      const unknown = batchIdOf(FRESH, "NO-SUCH-LOT");
      expect((await trace.batch(unknown)).status).to.equal(Status.None);
      expect(await trace.isRecalled(unknown)).to.equal(false);
      expect(await trace.descendsFrom(unknown, unknown)).to.equal(false);
      expect(await trace.isSellable(unknown)).to.equal(false);
    });

    it("is done by the product's producer only", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, producerB, logistics, regulator } = f;
      // The regulator registered tea for the second producer: it commissions it.
      const tea = await commission(f, "TEA-001", { product: TEA, by: producerB });
      expect((await trace.batch(tea)).custodian).to.equal(producerB.address);

      const c = { productCode: code(TEA), lotCode: code("TEA-002"), quantity: 1n, uom: KGM, giCertificate: 0n };
      await expect(trace.connect(producer).commissionBatch(c, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotProductProducer")
        .withArgs(code(TEA), producer.address, producerB.address);
      for (const who of [logistics, regulator]) {
        await expect(trace.connect(who).commissionBatch(c, await ctx()))
          .to.be.revertedWithCustomError(trace, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
    });

    it("refuses an unknown product, a taken lot, no quantity, a malformed unit or lot, no origin, a future time", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer } = f;
      const base = { productCode: code(FRESH), lotCode: code("LOT-1"), quantity: q("1"), uom: KGM, giCertificate: 0n };
      const c = await ctx(ORCHARD);
      const commissionWith = (o: Partial<ITraceLedger.CommissionStruct>, context = c) =>
        trace.connect(producer).commissionBatch({ ...base, ...o }, context);

      await expect(commissionWith({ productCode: code("NO-SUCH") }))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnknownProduct")
        .withArgs(code("NO-SUCH"));
      await commission(f, "LOT-1");
      await expect(commissionWith({}))
        .to.be.revertedWithCustomError(trace, "TraceLedgerBatchExists")
        .withArgs(batchIdOf(FRESH, "LOT-1"));
      await expect(commissionWith({ lotCode: code("LOT-2"), quantity: 0n })).to.be.revertedWithCustomError(
        trace,
        "TraceLedgerZeroQuantity",
      );
      for (const uom of ["0x6b6700", "0x000000", "0x4b2047", "0x00474d"]) {
        await expect(commissionWith({ lotCode: code("LOT-2"), uom }))
          .to.be.revertedWithCustomError(trace, "TraceLedgerInvalidUnit")
          .withArgs(uom);
      }
      for (const lot of [ZeroHash, encodeBytes32String("LOT 2")]) {
        await expect(commissionWith({ lotCode: lot }))
          .to.be.revertedWithCustomError(trace, "TraceLedgerInvalidCode")
          .withArgs(lot);
      }
      await expect(commissionWith({ lotCode: code("LOT-2") }, { ...c, location: 0n })).to.be.revertedWithCustomError(
        trace,
        "TraceLedgerNoOrigin",
      );
      const future = (await now()) + 3600n;
      await expect(commissionWith({ lotCode: code("LOT-2") }, { ...c, eventTime: future }))
        .to.be.revertedWithCustomError(trace, "TraceLedgerEventInFuture")
        .withArgs(future, anyValue);
      // A few minutes of clock skew are fine, and so is a two-character unit code.
      await expect(
        commissionWith({ lotCode: code("LOT-2"), uom: parseUnit("EA").hex }, { ...c, eventTime: (await now()) + 600n }),
      ).to.emit(trace, "BatchCommissioned");
    });
  });

  describe("observation events", function () {
    it("are recorded by the custodian for observation steps only", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, logistics } = f;
      const batch = await commission(f, "OBS-1");
      for (const step of OBSERVATION_STEPS) {
        const c = await ctx(YARD, step);
        await expect(trace.connect(producer).recordEvent(batch, BIZ_STEPS[step], c))
          .to.emit(trace, "BatchObserved")
          .withArgs(batch, producer.address, BIZ_STEPS[step], tuple(c));
      }
      const observation = new Set<number>(OBSERVATION_STEPS.map((s) => BIZ_STEPS[s]));
      for (let step = 0; step < 256; step++) {
        expect(await trace.isObservationStep(step), `bizStep ${step}`).to.equal(observation.has(step));
      }
      const refused = [
        "commissioning",
        "shipping",
        "receiving",
        "retail_selling",
        "destroying",
        "transforming",
      ] as const;
      for (const step of [...refused.map((s) => BIZ_STEPS[s]), 0, 43, 255]) {
        await expect(trace.connect(producer).recordEvent(batch, step, await ctx()))
          .to.be.revertedWithCustomError(trace, "TraceLedgerNotObservationStep")
          .withArgs(step);
      }

      await expect(trace.connect(logistics).recordEvent(batch, BIZ_STEPS.storing, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotCustodian")
        .withArgs(batch, logistics.address, producer.address);
      await send(trace.connect(producer).ship(batch, logistics, await ctx()));
      await expect(trace.connect(producer).recordEvent(batch, BIZ_STEPS.loading, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(batch, Status.InTransit);
      await send(trace.connect(logistics).accept(batch, await ctx()));
      const c = await ctx(COLD_STORE, "temperature log");
      await expect(trace.connect(logistics).recordEvent(batch, BIZ_STEPS.sensor_reporting, c))
        .to.emit(trace, "BatchObserved")
        .withArgs(batch, logistics.address, BIZ_STEPS.sensor_reporting, tuple(c));
      const unknown = batchIdOf(FRESH, "NO-SUCH");
      await expect(trace.connect(producer).recordEvent(unknown, BIZ_STEPS.storing, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnknownBatch")
        .withArgs(unknown);
    });
  });

  describe("custody", function () {
    it("passes in two steps, ship then accept, and the events carry from and to", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, logistics, retailer } = f;
      const batch = await commission(f, "SHIP-1");

      const shipped = await ctx(YARD, "despatch advice");
      await expect(trace.connect(producer).ship(batch, logistics, shipped))
        .to.emit(trace, "BatchShipped")
        .withArgs(batch, producer.address, logistics.address, tuple(shipped));
      let b = await trace.batch(batch);
      expect([b.status, b.custodian, b.custodianRole, b.receiver, b.receiverRole]).to.deep.equal([
        Status.InTransit,
        producer.address,
        ROLE.PRODUCER,
        logistics.address,
        ROLE.LOGISTICS,
      ]);
      expect(await trace.isSellable(batch)).to.equal(false);

      const received = await ctx(COLD_STORE, "receiving advice");
      await expect(trace.connect(logistics).accept(batch, received))
        .to.emit(trace, "BatchReceived")
        .withArgs(batch, producer.address, logistics.address, tuple(received));
      b = await trace.batch(batch);
      expect([b.status, b.custodian, b.custodianRole, b.receiver, b.receiverRole]).to.deep.equal([
        Status.Active,
        logistics.address,
        ROLE.LOGISTICS,
        ZeroAddress,
        0n,
      ]);

      await expect(trace.connect(logistics).ship(batch, retailer, await ctx()))
        .to.emit(trace, "BatchShipped")
        .withArgs(batch, logistics.address, retailer.address, anyValue);
      await expect(trace.connect(retailer).accept(batch, await ctx(SHOP)))
        .to.emit(trace, "BatchReceived")
        .withArgs(batch, logistics.address, retailer.address, anyValue);
      expect((await trace.batch(batch)).custodianRole).to.equal(ROLE.RETAILER);

      // Back to a producer: producers receive too.
      await send(trace.connect(retailer).ship(batch, producer, await ctx()));
      expect((await trace.batch(batch)).receiverRole).to.equal(ROLE.PRODUCER);
      await expect(trace.connect(producer).accept(batch, await ctx()))
        .to.emit(trace, "BatchReceived")
        .withArgs(batch, retailer.address, producer.address, anyValue);
      expect((await trace.batch(batch)).custodian).to.equal(producer.address);
    });

    it("refuses shipping to oneself or to an account without a supply-chain role, twice, or by another", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, producerB, logistics, retailer, inspector, regulator, charity, hospital, stranger } = f;
      const batch = await commission(f, "SHIP-2");
      await expect(trace.connect(producer).ship(batch, producer, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerSelfShipment")
        .withArgs(batch);
      for (const to of [inspector, regulator, charity, hospital, stranger]) {
        await expect(trace.connect(producer).ship(batch, to, await ctx()))
          .to.be.revertedWithCustomError(trace, "TraceLedgerNotSupplyChainOrg")
          .withArgs(to.address);
      }
      for (const who of [logistics, producerB, stranger]) {
        await expect(trace.connect(who).ship(batch, retailer, await ctx()))
          .to.be.revertedWithCustomError(trace, "TraceLedgerNotCustodian")
          .withArgs(batch, who.address, producer.address);
      }
      const tomorrow = (await now()) + DAY;
      await expect(trace.connect(producer).ship(batch, logistics, { ...(await ctx()), eventTime: tomorrow }))
        .to.be.revertedWithCustomError(trace, "TraceLedgerEventInFuture")
        .withArgs(tomorrow, anyValue);

      await send(trace.connect(producer).ship(batch, logistics, await ctx()));
      await expect(trace.connect(producer).ship(batch, retailer, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(batch, Status.InTransit);
      for (const who of [retailer, producer]) {
        await expect(trace.connect(who).accept(batch, await ctx()))
          .to.be.revertedWithCustomError(trace, "TraceLedgerNotReceiver")
          .withArgs(batch, who.address, logistics.address);
      }
      const active = await commission(f, "SHIP-3");
      await expect(trace.connect(logistics).accept(active, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(active, Status.Active);
      const unknown = batchIdOf(FRESH, "NO-SUCH");
      await expect(trace.connect(logistics).accept(unknown, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnknownBatch")
        .withArgs(unknown);
    });

    it("lets the sender cancel and the receiver refuse a pending shipment, nobody else", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, logistics, retailer, stranger } = f;
      const batch = await commission(f, "CANCEL-1");
      await expect(trace.connect(producer).cancelShipment(batch))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(batch, Status.Active);

      await send(trace.connect(producer).ship(batch, logistics, await ctx()));
      for (const who of [retailer, stranger]) {
        await expect(trace.connect(who).cancelShipment(batch))
          .to.be.revertedWithCustomError(trace, "TraceLedgerNotCustodian")
          .withArgs(batch, who.address, producer.address);
      }
      await expect(trace.connect(producer).cancelShipment(batch))
        .to.emit(trace, "ShipmentCancelled")
        .withArgs(batch, producer.address, logistics.address, false);
      let b = await trace.batch(batch);
      expect([b.status, b.custodian, b.receiver, b.receiverRole]).to.deep.equal([
        Status.Active,
        producer.address,
        ZeroAddress,
        0n,
      ]);
      await expect(trace.connect(logistics).accept(batch, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(batch, Status.Active);

      await send(trace.connect(producer).ship(batch, retailer, await ctx()));
      await expect(trace.connect(retailer).cancelShipment(batch))
        .to.emit(trace, "ShipmentCancelled")
        .withArgs(batch, retailer.address, retailer.address, true);
      b = await trace.batch(batch);
      expect([b.status, b.custodian, b.receiver]).to.deep.equal([Status.Active, producer.address, ZeroAddress]);
      // Shipped again, it can be accepted.
      await move(f, batch, producer, retailer);
      expect((await trace.batch(batch)).custodian).to.equal(retailer.address);
    });
  });

  describe("split, merge and transform", function () {
    it("splits a batch into batches of its product and unit that conserve its quantity", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, logistics } = f;
      const parent = await commission(f, "XH-001", { quantity: "1000" });
      const lots = ["XH-001-A", "XH-001-B", "XH-001-C"].map(code);
      const quantities = [q("500"), q("300.25"), q("199.75")];
      const children = ["XH-001-A", "XH-001-B", "XH-001-C"].map((lot) => batchIdOf(FRESH, lot));
      const c = await ctx(YARD, "split");
      expect(await trace.connect(producer).split.staticCall(parent, lots, quantities, c)).to.deep.equal(children);
      await expect(trace.connect(producer).split(parent, lots, quantities, c))
        .to.emit(trace, "BatchSplit")
        .withArgs(parent, producer.address, children, lots, quantities, tuple(c));

      expect(await status(f, parent)).to.equal(Status.Consumed);
      for (const [i, child] of children.entries()) {
        const b = await trace.batch(child);
        expect([b.status, b.custodian, b.custodianRole, b.uom, b.quantity, b.productSeq]).to.deep.equal([
          Status.Active,
          producer.address,
          ROLE.PRODUCER,
          KGM,
          quantities[i],
          1n,
        ]);
        expect([b.parentCount, b.lineage]).to.deep.equal([1n, 2n]);
        expect(await trace.parentsOf(child)).to.deep.equal([parent]);
        expect(await trace.descendsFrom(child, parent)).to.equal(true);
        expect(await trace.descendsFrom(parent, child)).to.equal(false);
      }
      expect(await trace.descendsFrom(children[0]!, children[1]!)).to.equal(false);
      await expect(trace.connect(producer).ship(parent, logistics, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(parent, Status.Consumed);

      // A logistics company splits what it holds into sub-lots of it; the children are its, in its role.
      await move(f, children[0]!, producer, logistics);
      const [d1] = await split(
        f,
        children[0]!,
        [
          ["XH-001-A.1", "250"],
          ["XH-001-A.2", "250"],
        ],
        logistics,
      );
      const b = await trace.batch(d1!);
      expect([b.custodian, b.custodianRole, b.lineage]).to.deep.equal([logistics.address, ROLE.LOGISTICS, 3n]);
      expect(await trace.descendsFrom(d1!, parent)).to.equal(true);
    });

    it("refuses splits that do not conserve, of too few or mismatched parts, empty parts or taken lots", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, logistics } = f;
      const parent = await commission(f, "XH-002", { quantity: "10" });
      const splitInto = (lots: string[], quantities: bigint[], by: Signer = producer) =>
        ctx().then((c) => trace.connect(by).split(parent, lots.map(code), quantities, c));

      await expect(splitInto(["A", "B"], [q("6"), q("3.999")]))
        .to.be.revertedWithCustomError(trace, "TraceLedgerQuantityMismatch")
        .withArgs(q("10"), q("9.999"));
      await expect(splitInto(["A", "B"], [q("6"), q("4.001")]))
        .to.be.revertedWithCustomError(trace, "TraceLedgerQuantityMismatch")
        .withArgs(q("10"), q("10.001"));
      await expect(splitInto(["A"], [q("10")]))
        .to.be.revertedWithCustomError(trace, "TraceLedgerBadCount")
        .withArgs(1n, 2n, 100n);
      const many = Array.from({ length: 101 }, (_, i) => `P-${i}`);
      await expect(
        splitInto(
          many,
          many.map(() => 1n),
        ),
      )
        .to.be.revertedWithCustomError(trace, "TraceLedgerBadCount")
        .withArgs(101n, 2n, 100n);
      await expect(splitInto(["A", "B"], [q("10")]))
        .to.be.revertedWithCustomError(trace, "TraceLedgerBadCount")
        .withArgs(1n, 2n, 2n);
      await expect(splitInto(["A", "B"], [q("10"), 0n])).to.be.revertedWithCustomError(
        trace,
        "TraceLedgerZeroQuantity",
      );
      await expect(splitInto(["A", "A"], [q("5"), q("5")]))
        .to.be.revertedWithCustomError(trace, "TraceLedgerBatchExists")
        .withArgs(batchIdOf(FRESH, "A"));
      await expect(splitInto(["XH-002", "B"], [q("5"), q("5")]))
        .to.be.revertedWithCustomError(trace, "TraceLedgerBatchExists")
        .withArgs(parent);
      await expect(splitInto(["A", "B"], [q("5"), q("5")], logistics))
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotCustodian")
        .withArgs(parent, logistics.address, producer.address);
      // 100 parts are fine.
      const hundred = many.slice(0, 100);
      await expect(splitInto(hundred, [q("0.1"), ...hundred.slice(1).map(() => q("0.1"))])).to.emit(
        trace,
        "BatchSplit",
      );
    });

    it("merges batches of one product and unit into one that remembers its inputs", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer } = f;
      const x = await commission(f, "X", { quantity: "10" });
      const y = await commission(f, "Y", { quantity: "15.5" });
      const [x1, x2] = await split(f, x, [
        ["X-1", "4"],
        ["X-2", "6"],
      ]);
      const inputs = [x1!, y];
      const output = batchIdOf(FRESH, "XY");
      const c = await ctx(YARD, "merge");
      expect(await trace.connect(producer).merge.staticCall(inputs, code("XY"), c)).to.equal(output);
      await expect(trace.connect(producer).merge(inputs, code("XY"), c))
        .to.emit(trace, "BatchesMerged")
        .withArgs(output, producer.address, inputs, code("XY"), q("19.5"), tuple(c));
      const b = await trace.batch(output);
      expect([b.status, b.custodian, b.quantity, b.uom, b.productSeq, b.parentCount, b.lineage]).to.deep.equal([
        Status.Active,
        producer.address,
        q("19.5"),
        KGM,
        1n,
        2n,
        4n, // itself, X-1 and X, Y
      ]);
      expect(await trace.parentsOf(output)).to.deep.equal(inputs);
      for (const input of inputs) expect(await status(f, input)).to.equal(Status.Consumed);
      expect(await status(f, x2!)).to.equal(Status.Active);
      expect(await trace.descendsFrom(output, x)).to.equal(true);
      expect(await trace.descendsFrom(output, y)).to.equal(true);
      expect(await trace.descendsFrom(output, x2!)).to.equal(false);
    });

    it("refuses merging other products or units, a batch twice, a single batch or one held by another", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, logistics } = f;
      const a = await commission(f, "A", { quantity: "1" });
      const b = await commission(f, "B", { quantity: "1" });
      const grams = await commission(f, "G", { quantity: "1000", unit: "g" });
      const chenpi = await commission(f, "CP", { product: CHENPI, quantity: "1" });
      const held = await commission(f, "H", { quantity: "1" });
      await move(f, held, producer, logistics);
      const mergeOf = async (inputs: string[], lot = "M") =>
        trace.connect(producer).merge(inputs, code(lot), await ctx());

      await expect(mergeOf([a, chenpi]))
        .to.be.revertedWithCustomError(trace, "TraceLedgerProductMismatch")
        .withArgs(chenpi);
      await expect(mergeOf([a, grams]))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnitMismatch")
        .withArgs(grams, GRM, KGM);
      // An input listed twice fails on its second sight, already consumed (TraceLedgerDuplicateInput is unused).
      await expect(mergeOf([a, b, a]))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(a, Status.Consumed);
      await expect(mergeOf([a]))
        .to.be.revertedWithCustomError(trace, "TraceLedgerBadCount")
        .withArgs(1n, 2n, 32n);
      await expect(mergeOf(Array.from({ length: 33 }, () => a)))
        .to.be.revertedWithCustomError(trace, "TraceLedgerBadCount")
        .withArgs(33n, 2n, 32n);
      await expect(mergeOf([a, held]))
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotCustodian")
        .withArgs(held, producer.address, logistics.address);
      await expect(mergeOf([a, b], "A"))
        .to.be.revertedWithCustomError(trace, "TraceLedgerBatchExists")
        .withArgs(a);
    });

    it("transforms inputs into another product at the declared ratio, rounded down", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer } = f;
      const a = await commission(f, "PEEL-A", { quantity: "600" });
      const b = await commission(f, "PEEL-B", { quantity: "400.001" });
      const t = drying("CP-2026-001");
      const output = batchIdOf(CHENPI, "CP-2026-001");
      const c = await ctx(YARD, "drying record");
      expect(await trace.connect(producer).transform.staticCall([a, b], t, c)).to.equal(output);
      // (600 + 400.001) kg × 25% = 250.00025 kg: 250.000 kg in thousandths.
      await expect(trace.connect(producer).transform([a, b], t, c))
        .to.emit(trace, "BatchTransformed")
        .withArgs(
          output,
          producer.address,
          code(CHENPI),
          [a, b],
          [code(CHENPI), code("CP-2026-001"), KGM, 250_000n, 0n],
          q("250"),
          tuple(c),
        );
      const o = await trace.batch(output);
      expect([o.status, o.custodian, o.quantity, o.uom, o.productSeq, o.parentCount, o.lineage]).to.deep.equal([
        Status.Active,
        producer.address,
        q("250"),
        KGM,
        2n,
        2n,
        3n,
      ]);
      expect(await trace.parentsOf(output)).to.deep.equal([a, b]);
      expect(await status(f, a)).to.equal(Status.Consumed);
      expect(await status(f, b)).to.equal(Status.Consumed);
      expect(await trace.descendsFrom(output, a)).to.equal(true);

      // Into another unit: 250 kg of chenpi packed into 500 gift boxes (2 boxes per kg).
      const boxes = await transform(f, [output], drying("CP-BOX-1", { outputUom: XBX, ratioPpm: 2_000_000n }));
      const bx = await trace.batch(boxes);
      expect([bx.quantity, bx.uom, bx.lineage]).to.deep.equal([q("500"), XBX, 4n]);
      expect(await trace.descendsFrom(boxes, b)).to.equal(true);
    });

    it("refuses a transformation without ratio, evidence, known output or one unit, to nothing, or by a non-producer", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, producerB, logistics } = f;
      const a = await commission(f, "PEEL-A", { quantity: "0.5" });
      const grams = await commission(f, "PEEL-G", { quantity: "500", unit: "g" });
      const c = await ctx(YARD, "drying record");
      const transformOf = (
        inputs: string[],
        t: ITraceLedger.TransformationStruct,
        context = c,
        by: Signer = producer,
      ) => trace.connect(by).transform(inputs, t, context);

      await expect(transformOf([a], drying("O", { ratioPpm: 0n }))).to.be.revertedWithCustomError(
        trace,
        "TraceLedgerZeroRatio",
      );
      await expect(transformOf([a], drying("O"), { ...c, evidenceHash: ZeroHash })).to.be.revertedWithCustomError(
        trace,
        "TraceLedgerZeroHash",
      );
      await expect(transformOf([a], drying("O", { outputProduct: code("NO-SUCH") })))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnknownProduct")
        .withArgs(code("NO-SUCH"));
      await expect(transformOf([a, grams], drying("O")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnitMismatch")
        .withArgs(grams, GRM, KGM);
      await expect(transformOf([a], drying("O", { ratioPpm: 1n }))).to.be.revertedWithCustomError(
        trace,
        "TraceLedgerZeroQuantity",
      ); // 500 × 1 / 1e6 rounds to nothing
      await expect(transformOf([], drying("O")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerBadCount")
        .withArgs(0n, 1n, 32n);
      await expect(transformOf([a], drying("O", { outputUom: "0x6b6700" })))
        .to.be.revertedWithCustomError(trace, "TraceLedgerInvalidUnit")
        .withArgs("0x6b6700");
      await expect(transformOf([a], drying("O"), c, logistics))
        .to.be.revertedWithCustomError(trace, "AccessManagedUnauthorized")
        .withArgs(logistics.address);
      // The output product must be the caller's own.
      await expect(transformOf([a], drying("O"), c, producerB)).to.be.revertedWithCustomError(
        trace,
        "TraceLedgerNotProductProducer",
      );
      // One input is enough.
      await expect(transformOf([a], drying("O"))).to.emit(trace, "BatchTransformed");
    });
  });

  describe("certificates and retail sale", function () {
    it("sells an agricultural batch without inspection, at retail only", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, logistics, retailer } = f;
      const batch = await commission(f, "SELL-1");
      const own = await commission(f, "SELL-2");
      await expect(trace.connect(producer).sell(own, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnauthorized")
        .withArgs(producer.address, ROLE.RETAILER);
      await move(f, batch, producer, logistics);
      await expect(trace.connect(logistics).sell(batch, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnauthorized")
        .withArgs(logistics.address, ROLE.RETAILER);
      await move(f, batch, logistics, retailer);
      expect(await trace.isSellable(batch)).to.equal(true);

      const c = await ctx(SHOP, "till receipt");
      const held = (await trace.batch(batch)).quantity;
      await expect(trace.connect(retailer).sell(batch, c))
        .to.emit(trace, "BatchSold")
        .withArgs(batch, retailer.address, held, 0n, tuple(c));
      expect(await status(f, batch)).to.equal(Status.RetailSold);
      expect(await trace.isSellable(batch)).to.equal(false);
      await expect(trace.connect(retailer).sell(batch, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(batch, Status.RetailSold);
      await expect(trace.connect(retailer).ship(batch, logistics, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(batch, Status.RetailSold);
    });

    it("needs a valid pass for a category that requires inspection, unless the regulator lifts it", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, retailer, inspector, regulator } = f;
      const batch = await commission(f, "CP-1", { product: CHENPI });
      await move(f, batch, producer, retailer);
      expect(await trace.isSellable(batch)).to.equal(false);
      await expect(trace.connect(retailer).sell(batch, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotInspected")
        .withArgs(batch);

      const validUntil = (await now()) + 30n * DAY;
      await expect(trace.connect(inspector).certify(batch, true, validUntil, id("检验报告 2026-0042")))
        .to.emit(trace, "CertificateRecorded")
        .withArgs(batch, inspector.address, true, validUntil, id("检验报告 2026-0042"));
      const b = await trace.batch(batch);
      expect([b.cert, b.certValidUntil]).to.deep.equal([Cert.Passed, validUntil]);
      expect(await trace.isSellable(batch)).to.equal(true);
      await expect(trace.connect(retailer).sell(batch, await ctx(SHOP))).to.emit(trace, "BatchSold");

      const other = await commission(f, "CP-2", { product: CHENPI });
      await move(f, other, producer, retailer);
      await send(trace.connect(regulator).setInspectionRequired(Category.Food, false));
      expect(await trace.isSellable(other)).to.equal(true);
      await expect(trace.connect(retailer).sell(other, await ctx(SHOP))).to.emit(trace, "BatchSold");
    });

    it("refuses a batch that failed inspection, whatever its category", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, retailer, inspector } = f;
      const batch = await commission(f, "FAIL-1");
      await move(f, batch, producer, retailer);
      expect(await trace.isSellable(batch)).to.equal(true);
      await expect(trace.connect(inspector).certify(batch, false, 12345n, id("report")))
        .to.emit(trace, "CertificateRecorded")
        .withArgs(batch, inspector.address, false, 0n, id("report"));
      const b = await trace.batch(batch);
      expect([b.cert, b.certValidUntil]).to.deep.equal([Cert.Failed, 0n]);
      expect(await trace.isSellable(batch)).to.equal(false);
      await expect(trace.connect(retailer).sell(batch, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerInspectionFailed")
        .withArgs(batch);
      // A later pass does not replace it (issue 16: certificates append); the regulator's re-inspection does.
      const later = (await now()) + DAY;
      await expect(trace.connect(inspector).certify(batch, true, later, id("another lab's pass")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerFailedInspectionStands")
        .withArgs(batch, inspector.address);
      await expect(trace.connect(f.regulator).allowReinspection(batch, id("re-inspection ordered")))
        .to.emit(trace, "ReinspectionAllowed")
        .withArgs(batch, f.regulator.address, id("re-inspection ordered"));
      await certify(f, batch, true, later, "re-inspection");
      expect(await trace.isSellable(batch)).to.equal(true);
    });

    it("refuses a batch whose certificate expired, until it is inspected again", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, retailer } = f;
      const food = await commission(f, "EXP-1", { product: CHENPI });
      const agricultural = await commission(f, "EXP-2");
      const validUntil = (await now()) + DAY;
      for (const batch of [food, agricultural]) {
        await certify(f, batch, true, validUntil);
        await move(f, batch, producer, retailer);
        expect(await trace.isSellable(batch)).to.equal(true);
      }
      await networkHelpers.time.increase(DAY + 60n);
      for (const batch of [food, agricultural]) {
        expect(await trace.isSellable(batch)).to.equal(false);
        await expect(trace.connect(retailer).sell(batch, await ctx()))
          .to.be.revertedWithCustomError(trace, "TraceLedgerCertificateExpired")
          .withArgs(batch, validUntil);
      }
      await certify(f, food, true, (await now()) + 30n * DAY, "second inspection");
      expect(await trace.isSellable(food)).to.equal(true);
      await expect(trace.connect(retailer).sell(food, await ctx(SHOP))).to.emit(trace, "BatchSold");
    });

    it("is certified by an inspector only, with a report, a future validity, on a batch not consumed", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, regulator, inspector, logistics } = f;
      const batch = await commission(f, "CERT-1");
      const later = (await now()) + DAY;
      for (const who of [producer, regulator]) {
        await expect(trace.connect(who).certify(batch, true, later, id("report")))
          .to.be.revertedWithCustomError(trace, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
      const past = await now();
      await expect(trace.connect(inspector).certify(batch, true, past, id("report")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerInvalidValidity")
        .withArgs(past);
      await expect(trace.connect(inspector).certify(batch, true, later, ZeroHash)).to.be.revertedWithCustomError(
        trace,
        "TraceLedgerZeroHash",
      );
      const unknown = batchIdOf(FRESH, "NO-SUCH");
      await expect(trace.connect(inspector).certify(unknown, true, later, id("report")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnknownBatch")
        .withArgs(unknown);
      // In transit is fine (sampled at the cold store), consumed is not.
      await send(trace.connect(producer).ship(batch, logistics, await ctx()));
      await expect(trace.connect(inspector).certify(batch, true, later, id("report"))).to.emit(
        trace,
        "CertificateRecorded",
      );
      await send(trace.connect(logistics).accept(batch, await ctx()));
      await split(
        f,
        batch,
        [
          ["CERT-1.A", "50"],
          ["CERT-1.B", "50"],
        ],
        logistics,
      );
      await expect(trace.connect(inspector).certify(batch, true, later, id("report")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(batch, Status.Consumed);
    });

    it("carries the certificate through a split, and the weakest one through a merge or transformation", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace } = f;
      const t1 = (await now()) + 30n * DAY;
      const t2 = (await now()) + 10n * DAY;
      const a = await commission(f, "W-A", { quantity: "10" });
      const b = await commission(f, "W-B", { quantity: "10" });
      const none = await commission(f, "W-N", { quantity: "10" });
      const failed = await commission(f, "W-F", { quantity: "10" });
      await certify(f, a, true, t1);
      await certify(f, b, true, t2);
      await certify(f, failed, false, 0n);

      const [a1, a2, a3] = await split(f, a, [
        ["W-A1", "4"],
        ["W-A2", "3"],
        ["W-A3", "3"],
      ]);
      for (const child of [a1!, a2!, a3!]) {
        const c = await trace.batch(child);
        expect([c.cert, c.certValidUntil]).to.deep.equal([Cert.Passed, t1]);
      }
      const passed = await merge(f, [a1!, b], "W-AB");
      let m = await trace.batch(passed);
      expect([m.cert, m.certValidUntil]).to.deep.equal([Cert.Passed, t2]);
      const uninspected = await merge(f, [a2!, none], "W-AN");
      m = await trace.batch(uninspected);
      expect([m.cert, m.certValidUntil]).to.deep.equal([Cert.None, 0n]);
      const fails = await transform(f, [a3!, failed], drying("W-CP"));
      m = await trace.batch(fails);
      expect([m.cert, m.certValidUntil]).to.deep.equal([Cert.Failed, 0n]);
      expect(await trace.isSellable(fails)).to.equal(false);
    });
  });

  describe("recall", function () {
    it("is issued by the market regulator only, once per batch, with a reason", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, regulator, inspector, logistics } = f;
      const batch = await commission(f, "R-1", { quantity: "80.5" });
      expect(await trace.recallCount()).to.equal(0n);
      await expect(trace.connect(regulator).recall(batch, id("农药残留超标")))
        .to.emit(trace, "BatchRecalled")
        .withArgs(1n, batch, regulator.address, q("80.5"), KGM, id("农药残留超标"));
      expect(await trace.recallCount()).to.equal(1n);
      expect(fields(await trace.recallInfo(1))).to.deep.equal({
        batchId: batch,
        uom: KGM,
        acknowledgements: 0n,
        affected: q("80.5"),
        accounted: 0n,
      });
      const b = await trace.batch(batch);
      expect([b.recalled, b.status]).to.deep.equal([true, Status.Active]);
      expect(await trace.isRecalled(batch)).to.equal(true);
      expect(await trace.isSellable(batch)).to.equal(false);

      await expect(trace.connect(regulator).recall(batch, id("again")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerAlreadyRecalled")
        .withArgs(batch);
      const other = await commission(f, "R-2");
      await expect(trace.connect(regulator).recall(other, ZeroHash)).to.be.revertedWithCustomError(
        trace,
        "TraceLedgerZeroHash",
      );
      const unknown = batchIdOf(FRESH, "NO-SUCH");
      await expect(trace.connect(regulator).recall(unknown, id("reason")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnknownBatch")
        .withArgs(unknown);
      for (const who of [producer, inspector]) {
        await expect(trace.connect(who).recall(other, id("reason")))
          .to.be.revertedWithCustomError(trace, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
      for (const recallId of [0, 2]) {
        await expect(trace.recallInfo(recallId))
          .to.be.revertedWithCustomError(trace, "TraceLedgerUnknownRecall")
          .withArgs(recallId);
      }

      // The custodian can no longer move it, but still records holding it and may destroy it.
      await expect(trace.connect(producer).ship(batch, logistics, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerRecalled")
        .withArgs(batch);
      await expect(
        trace.connect(producer).split(batch, [code("R-1-A"), code("R-1-B")], [1n, q("80.5") - 1n], await ctx()),
      )
        .to.be.revertedWithCustomError(trace, "TraceLedgerRecalled")
        .withArgs(batch);
      await expect(trace.connect(producer).recordEvent(batch, BIZ_STEPS.holding, await ctx())).to.emit(
        trace,
        "BatchObserved",
      );
      const c = await ctx(YARD, "destruction record");
      await expect(trace.connect(producer).destroy(batch, c))
        .to.emit(trace, "BatchDestroyed")
        .withArgs(batch, producer.address, (await trace.batch(batch)).quantity, 0n, tuple(c));
      expect(await status(f, batch)).to.equal(Status.Destroyed);
      expect(await trace.isRecalled(batch)).to.equal(true);
    });

    /**
     * A = 1000 kg of fresh peel split into A1 (600 kg) and A2 (400 kg); A1 merged with B (200 kg)
     * into M; M dried into chenpi T (200 kg), shipped to the retailer; A2 at the cold store. C and
     * D are unrelated. Then A, already consumed, is recalled.
     */
    async function recalledLineage() {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { producer, logistics, retailer } = f;
      const a = await commission(f, "A", { quantity: "1000" });
      const [a1, a2] = await split(f, a, [
        ["A1", "600"],
        ["A2", "400"],
      ]);
      const b = await commission(f, "B", { quantity: "200" });
      const m = await merge(f, [a1!, b], "M");
      const t = await transform(f, [m], drying("T"));
      await move(f, a2!, producer, logistics);
      await send(f.trace.connect(producer).ship(t, retailer, await ctx()));
      const c = await commission(f, "C", { quantity: "50" });
      const d = await commission(f, "D", { quantity: "50" });
      const recallId = await recall(f, a);
      return { f, a, a1: a1!, a2: a2!, b, m, t, c, d, recallId };
    }

    it("reaches the recalled batch and every batch made from it, across split, merge and transform", async function () {
      const { f, a, a1, a2, b, m, t, c, d } = await recalledLineage();
      const { trace, producer, logistics, retailer } = f;
      for (const [name, batch] of Object.entries({ a, a1, a2, m, t })) {
        expect(await trace.isRecalled(batch), name).to.equal(true);
        expect(await trace.descendsFrom(batch, a), name).to.equal(true);
        expect(await trace.isSellable(batch), name).to.equal(false);
      }
      for (const [name, batch] of Object.entries({ b, c, d })) {
        expect(await trace.isRecalled(batch), name).to.equal(false);
        expect(await trace.descendsFrom(batch, a), name).to.equal(false);
      }
      expect((await trace.batch(t)).recalled).to.equal(false); // recalled through its lineage only
      expect(await trace.descendsFrom(t, b)).to.equal(true);
      expect(await trace.descendsFrom(a2, a1)).to.equal(false);
      expect(await trace.parentsOf(t)).to.deep.equal([m]);
      expect(await trace.parentsOf(m)).to.deep.equal([a1, b]);

      // Nobody moves a batch of the lineage any more.
      await expect(trace.connect(logistics).ship(a2, retailer, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerRecalled")
        .withArgs(a2);
      await expect(trace.connect(retailer).accept(t, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerRecalled")
        .withArgs(t);
      await expect(trace.connect(producer).cancelShipment(t))
        .to.emit(trace, "ShipmentCancelled")
        .withArgs(t, producer.address, retailer.address, false);
      await expect(trace.connect(producer).ship(t, retailer, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerRecalled")
        .withArgs(t);
      await expect(transform(f, [t], drying("T2", { ratioPpm: 1_000_000n })))
        .to.be.revertedWithCustomError(trace, "TraceLedgerRecalled")
        .withArgs(t);
      await expect(merge(f, [c, t], "CT"))
        .to.be.revertedWithCustomError(trace, "TraceLedgerRecalled")
        .withArgs(t);
      // The unrelated ones move on.
      await move(f, c, producer, logistics);
      expect(await merge(f, [d, await commission(f, "E")], "DE")).to.equal(batchIdOf(FRESH, "DE"));

      // A recall reaches down the lineage, never up or sideways.
      const [d1, d2] = await split(f, batchIdOf(FRESH, "DE"), [
        ["DE-1", "75"],
        ["DE-2", "75"],
      ]);
      await recall(f, d1!);
      expect(await trace.isRecalled(d1!)).to.equal(true);
      expect(await trace.isRecalled(d2!)).to.equal(false);
      expect(await trace.isRecalled(batchIdOf(FRESH, "DE"))).to.equal(false);
      expect(await trace.isRecalled(d)).to.equal(false);
    });

    it("walks a clean lineage again only after a new recall, and remembers it clean", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, logistics } = f;
      const x = await commission(f, "CLEAN-X");
      expect((await trace.batch(x)).cleanAtRecall).to.equal(0n);
      await recall(f, await commission(f, "OTHER"));
      await recall(f, await commission(f, "OTHER-2"));
      expect((await trace.batch(x)).cleanAtRecall).to.equal(0n);
      expect(await trace.isRecalled(x)).to.equal(false);
      await send(trace.connect(producer).ship(x, logistics, await ctx()));
      expect((await trace.batch(x)).cleanAtRecall).to.equal(2n);
      await send(trace.connect(logistics).accept(x, await ctx()));
      const [x1] = await split(
        f,
        x,
        [
          ["CLEAN-X.1", "50"],
          ["CLEAN-X.2", "50"],
        ],
        logistics,
      );
      expect((await trace.batch(x1!)).cleanAtRecall).to.equal(2n);
      const y = await commission(f, "CLEAN-Y");
      expect((await trace.batch(y)).cleanAtRecall).to.equal(2n);
    });

    it("is acknowledged by the holders of batches in its lineage, once each, and Destroy destroys", async function () {
      const { f, a, a1, a2, t, c, recallId } = await recalledLineage();
      const { trace, producer, logistics, retailer } = f;
      expect(recallId).to.equal(1n);
      let r = await trace.recallInfo(recallId);
      expect([r.batchId, r.uom, r.affected, r.accounted, r.acknowledgements]).to.deep.equal([
        a,
        KGM,
        q("1000"),
        0n,
        0n,
      ]);

      // The cold store seals its 400 kg.
      await expect(trace.connect(logistics).acknowledgeRecall(recallId, a2, Action.Hold, q("400"), id("封存记录")))
        .to.emit(trace, "RecallAcknowledged")
        .withArgs(recallId, a2, logistics.address, Action.Hold, q("400"), q("400"), id("封存记录"));
      expect(await status(f, a2)).to.equal(Status.Active);
      r = await trace.recallInfo(recallId);
      expect([r.accounted, r.acknowledgements]).to.deep.equal([q("400"), 1n]);
      await expect(trace.connect(logistics).acknowledgeRecall(recallId, a2, Action.Return, q("400"), id("again")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerAlreadyAcknowledged")
        .withArgs(recallId, a2);

      // The chenpi in transit is refused by the retailer, taken back and destroyed.
      await expect(trace.connect(retailer).acknowledgeRecall(recallId, t, Action.Hold, 1n, id("x")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotCustodian")
        .withArgs(t, retailer.address, producer.address);
      await expect(trace.connect(producer).acknowledgeRecall(recallId, t, Action.Destroy, 1n, id("x")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(t, Status.InTransit);
      await send(trace.connect(retailer).cancelShipment(t));
      await expect(trace.connect(producer).acknowledgeRecall(recallId, t, Action.Destroy, q("200.001"), id("x")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerQuantityTooLarge")
        .withArgs(q("200.001"), q("200"));
      const receipt = await send(
        trace.connect(producer).acknowledgeRecall(recallId, t, Action.Destroy, q("200"), id("销毁记录")),
      );
      const block = await receipt.getBlock();
      const [destroyed] = eventsOf(f, receipt, "BatchDestroyed");
      expect(destroyed!.args.toArray(true)).to.deep.equal([
        t,
        producer.address,
        q("200"),
        0n,
        [0n, BigInt(block.timestamp), id("销毁记录"), ZeroHash, q("200"), "0x000000", 0n],
      ]);
      // 200 kg of chenpi dried at 0.25 are 800 kg of the merged input, in the recall's unit (issue 19); the merge
      // mixed 200 kg of other peel in, so the total stops at the 1,000 kg recalled.
      const [acknowledged] = eventsOf(f, receipt, "RecallAcknowledged");
      expect(acknowledged!.args.toArray(true)).to.deep.equal([
        recallId,
        t,
        producer.address,
        Action.Destroy,
        q("200"),
        q("800"),
        id("销毁记录"),
      ]);
      expect(await status(f, t)).to.equal(Status.Destroyed);
      r = await trace.recallInfo(recallId);
      expect([r.affected, r.accounted, r.acknowledgements]).to.deep.equal([q("1000"), q("1000"), 2n]);
      await expect(trace.connect(producer).acknowledgeRecall(recallId, t, Action.Hold, 0n, id("x")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(t, Status.Destroyed);

      // Outside the lineage, consumed, malformed.
      await expect(trace.connect(producer).acknowledgeRecall(recallId, c, Action.Hold, 1n, id("x")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotInRecall")
        .withArgs(recallId, c);
      await expect(trace.connect(producer).acknowledgeRecall(recallId, a1, Action.Hold, 1n, id("x")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerWrongStatus")
        .withArgs(a1, Status.Consumed);
      await expect(
        trace.connect(logistics).acknowledgeRecall(recallId, a2, Action.None, 1n, id("x")),
      ).to.be.revertedWithCustomError(trace, "TraceLedgerInvalidAction");
      for (const unknown of [0n, 2n]) {
        await expect(trace.connect(logistics).acknowledgeRecall(unknown, a2, Action.Hold, 1n, id("x")))
          .to.be.revertedWithCustomError(trace, "TraceLedgerUnknownRecall")
          .withArgs(unknown);
      }
      r = await trace.recallInfo(recallId);
      expect([r.affected, r.accounted, r.acknowledgements]).to.deep.equal([q("1000"), q("1000"), 2n]);
    });

    it("takes quantities in the batch's own unit, bounded by what it holds, converted along the lineage", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer } = f;
      const peel = await commission(f, "U-PEEL", { quantity: "100" });
      // 100 kg of peel packed into 40 boxes of chenpi (0.4 box per kg).
      const boxes = await transform(f, [peel], drying("U-BOX", { outputUom: XBX, ratioPpm: 400_000n }));
      expect((await trace.batch(boxes)).quantity).to.equal(q("40"));
      const recallId = await recall(f, peel);
      // A holder of 40 boxes cannot acknowledge 100 (issue 19: cross-unit acknowledgement overflow).
      await expect(trace.connect(producer).acknowledgeRecall(recallId, boxes, Action.Return, q("100"), id("退回")))
        .to.be.revertedWithCustomError(trace, "TraceLedgerQuantityTooLarge")
        .withArgs(q("100"), q("40"));
      // Its 40 boxes are the 100 kg they were made from.
      await expect(trace.connect(producer).acknowledgeRecall(recallId, boxes, Action.Return, q("40"), id("退回")))
        .to.emit(trace, "RecallAcknowledged")
        .withArgs(recallId, boxes, producer.address, Action.Return, q("40"), q("100"), id("退回"));
      const r = await trace.recallInfo(recallId);
      expect([r.uom, r.affected, r.accounted]).to.deep.equal([KGM, q("100"), q("100")]);
    });
  });

  describe("geographic-indication certificates", function () {
    it("are issued by the market regulator to active producers of GI products", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer, retailer, regulator } = f;
      const validUntil = (await now()) + 365n * DAY;
      const ceiling = q("5000");
      await expect(
        trace
          .connect(regulator)
          .issueGiCertificate(producer, code(FRESH), KGM, ceiling, validUntil, id("地理标志证明")),
      )
        .to.emit(trace, "GiCertificateIssued")
        .withArgs(1n, producer.address, code(FRESH), KGM, ceiling, validUntil, id("地理标志证明"));
      expect(await trace.giCertificateCount()).to.equal(1n);
      expect(fields(await trace.giCertificate(1))).to.deep.equal({
        producer: producer.address,
        productSeq: 1n,
        uom: KGM,
        validUntil,
        ceiling,
        labelled: 0n,
      });

      const issue = (o: {
        who?: Signer;
        product?: string;
        uom?: string;
        ceiling?: bigint;
        until?: bigint;
        doc?: string;
      }) =>
        trace
          .connect(o.who ?? regulator)
          .issueGiCertificate(
            producer,
            code(o.product ?? FRESH),
            o.uom ?? KGM,
            o.ceiling ?? ceiling,
            o.until ?? validUntil,
            o.doc ?? id("doc"),
          );
      await expect(issue({ product: TEA }))
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotGiProduct")
        .withArgs(code(TEA));
      await expect(issue({ product: "NO-SUCH" }))
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnknownProduct")
        .withArgs(code("NO-SUCH"));
      await expect(
        trace.connect(regulator).issueGiCertificate(retailer, code(FRESH), KGM, ceiling, validUntil, id("doc")),
      )
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotProductProducer")
        .withArgs(code(FRESH), retailer.address, producer.address);
      await expect(issue({ ceiling: 0n })).to.be.revertedWithCustomError(trace, "TraceLedgerZeroQuantity");
      const past = await now();
      await expect(issue({ until: past }))
        .to.be.revertedWithCustomError(trace, "TraceLedgerInvalidValidity")
        .withArgs(past);
      await expect(issue({ doc: ZeroHash })).to.be.revertedWithCustomError(trace, "TraceLedgerZeroHash");
      await expect(issue({ uom: "0x6b6700" }))
        .to.be.revertedWithCustomError(trace, "TraceLedgerInvalidUnit")
        .withArgs("0x6b6700");
      await expect(issue({ who: producer }))
        .to.be.revertedWithCustomError(trace, "AccessManagedUnauthorized")
        .withArgs(producer.address);
      for (const certificateId of [0, 2]) {
        await expect(trace.giCertificate(certificateId))
          .to.be.revertedWithCustomError(trace, "TraceLedgerUnknownGiCertificate")
          .withArgs(certificateId);
      }
    });

    it("label batches at commission up to the ceiling, for the certificate's producer, product and unit", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer } = f;
      const { certificateId } = await issueGi(f, FRESH, "1000");
      const first = await commission(f, "GI-1", { quantity: "600", gi: certificateId });
      expect((await trace.batch(first)).giCertificate).to.equal(certificateId);
      expect((await trace.giCertificate(certificateId)).labelled).to.equal(q("600"));

      const c = {
        productCode: code(FRESH),
        lotCode: code("GI-2"),
        quantity: q("400.001"),
        uom: KGM,
        giCertificate: certificateId,
      };
      await expect(trace.connect(producer).commissionBatch(c, await ctx(ORCHARD)))
        .to.be.revertedWithCustomError(trace, "TraceLedgerGiCeilingExceeded")
        .withArgs(certificateId, q("1000.001"), q("1000"));
      const context = await ctx(ORCHARD);
      await expect(trace.connect(producer).commissionBatch({ ...c, quantity: q("400") }, context))
        .to.emit(trace, "BatchCommissioned")
        .withArgs(
          batchIdOf(FRESH, "GI-2"),
          code(FRESH),
          producer.address,
          code("GI-2"),
          q("400"),
          KGM,
          certificateId,
          tuple(context),
        );
      expect((await trace.giCertificate(certificateId)).labelled).to.equal(q("1000"));
      // Unlabelled batches of the product are not counted.
      await commission(f, "PLAIN", { quantity: "5000" });
      expect((await trace.giCertificate(certificateId)).labelled).to.equal(q("1000"));

      // 陈皮 (food) is not a harvest: it takes a GI label only from labelled input (issue 19).
      const chenpi = { ...c, productCode: code(CHENPI), lotCode: code("GI-3"), quantity: 1n };
      await expect(trace.connect(producer).commissionBatch(chenpi, await ctx(ORCHARD)))
        .to.be.revertedWithCustomError(trace, "TraceLedgerGiNeedsInput")
        .withArgs(code(CHENPI));
      await expect(
        trace
          .connect(producer)
          .commissionBatch({ ...c, lotCode: code("GI-3"), quantity: 1n, uom: GRM }, await ctx(ORCHARD)),
      )
        .to.be.revertedWithCustomError(trace, "TraceLedgerGiCertificateMismatch")
        .withArgs(certificateId);
      await expect(
        trace
          .connect(producer)
          .commissionBatch({ ...c, lotCode: code("GI-3"), quantity: 1n, giCertificate: 9n }, await ctx(ORCHARD)),
      )
        .to.be.revertedWithCustomError(trace, "TraceLedgerUnknownGiCertificate")
        .withArgs(9n);
    });

    it("refuses labelling under an expired certificate", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { certificateId, validUntil } = await issueGi(f, FRESH, "1000", 30n);
      await commission(f, "GI-EARLY", { quantity: "1", gi: certificateId });
      await networkHelpers.time.increase(31n * DAY);
      await expect(commission(f, "GI-LATE", { quantity: "1", gi: certificateId }))
        .to.be.revertedWithCustomError(f.trace, "TraceLedgerGiCertificateExpired")
        .withArgs(certificateId, validUntil);
    });

    it("keep the label through a split and a merge under one certificate, and lose it in a mixed merge", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace } = f;
      const { certificateId } = await issueGi(f, FRESH, "1000");
      const labelled = async () => (await trace.giCertificate(certificateId)).labelled;
      const l1 = await commission(f, "L1", { quantity: "300", gi: certificateId });
      const l2 = await commission(f, "L2", { quantity: "200", gi: certificateId });
      const plain = await commission(f, "U", { quantity: "100" });
      expect(await labelled()).to.equal(q("500"));

      const [l1a, l1b] = await split(f, l1, [
        ["L1-A", "100"],
        ["L1-B", "200"],
      ]);
      expect((await trace.batch(l1a!)).giCertificate).to.equal(certificateId);
      expect(await labelled()).to.equal(q("500"));

      const kept = await merge(f, [l1a!, l2], "L-KEPT");
      expect((await trace.batch(kept)).giCertificate).to.equal(certificateId);
      expect((await trace.batch(kept)).quantity).to.equal(q("300"));
      expect(await labelled()).to.equal(q("500"));

      const lost = await merge(f, [l1b!, plain], "L-LOST");
      expect((await trace.batch(lost)).giCertificate).to.equal(0n);
      expect(await labelled()).to.equal(q("300"));

      // The released quantity can be labelled again, up to the ceiling.
      await commission(f, "L3", { quantity: "700", gi: certificateId });
      expect(await labelled()).to.equal(q("1000"));
      await expect(commission(f, "L4", { quantity: "0.001", gi: certificateId }))
        .to.be.revertedWithCustomError(trace, "TraceLedgerGiCeilingExceeded")
        .withArgs(certificateId, q("1000.001"), q("1000"));
    });

    it("label a transformation's output under the output product's certificate and release the inputs'", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, producer } = f;
      const fresh = await issueGi(f, FRESH, "1000");
      const dried = await issueGi(f, CHENPI, "100");
      const labelled = async (certificateId: bigint) => (await trace.giCertificate(certificateId)).labelled;
      const peel = await commission(f, "T-PEEL", { quantity: "800", gi: fresh.certificateId });
      const plain = await commission(f, "T-PLAIN", { quantity: "200" });

      // 800 kg × 25% = 200 kg: over the chenpi ceiling.
      await expect(transform(f, [peel], drying("T-CP", { giCertificate: dried.certificateId })))
        .to.be.revertedWithCustomError(trace, "TraceLedgerGiCeilingExceeded")
        .withArgs(dried.certificateId, q("200"), q("100"));
      await expect(transform(f, [peel], drying("T-CP", { giCertificate: fresh.certificateId })))
        .to.be.revertedWithCustomError(trace, "TraceLedgerGiCertificateMismatch")
        .withArgs(fresh.certificateId);

      const t = drying("T-CP", { ratioPpm: 100_000n, giCertificate: dried.certificateId });
      const c = await ctx(YARD, "drying record");
      await expect(trace.connect(producer).transform([peel, plain], t, c))
        .to.emit(trace, "BatchTransformed")
        .withArgs(
          batchIdOf(CHENPI, "T-CP"),
          producer.address,
          code(CHENPI),
          [peel, plain],
          [code(CHENPI), code("T-CP"), KGM, 100_000n, dried.certificateId],
          q("100"),
          tuple(c),
        );
      const output = await trace.batch(batchIdOf(CHENPI, "T-CP"));
      expect([output.giCertificate, output.quantity]).to.deep.equal([dried.certificateId, q("100")]);
      expect(await labelled(fresh.certificateId)).to.equal(0n);
      expect(await labelled(dried.certificateId)).to.equal(q("100"));

      // All inputs under one certificate: released together; an unlabelled output.
      const p1 = await commission(f, "T-P1", { quantity: "300", gi: fresh.certificateId });
      const p2 = await commission(f, "T-P2", { quantity: "200", gi: fresh.certificateId });
      expect(await labelled(fresh.certificateId)).to.equal(q("500"));
      const unlabelled = await transform(f, [p1, p2], drying("T-CP2"));
      expect((await trace.batch(unlabelled)).giCertificate).to.equal(0n);
      expect(await labelled(fresh.certificateId)).to.equal(0n);
      expect(await labelled(dried.certificateId)).to.equal(q("100"));
    });
  });

  describe("a suspended organisation", function () {
    it("can no longer act on its batches or products, until reinstated", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, registry, manager, regulator, producer, logistics, retailer } = f;
      const held = await commission(f, "S-HELD");
      const pending = await commission(f, "S-PENDING");
      await send(trace.connect(producer).ship(pending, retailer, await ctx()));
      const atLogistics = await commission(f, "S-LOG");
      await move(f, atLogistics, producer, logistics);

      await send(registry.connect(regulator).suspend(producer.address, id("licence suspended")));
      expect((await manager.hasRole(ROLE.PRODUCER, producer.address))[0]).to.equal(false);

      // Its custody and registration checks fail inside the ledger...
      const context = await ctx();
      const refused = [
        () => trace.connect(producer).ship(held, logistics, context),
        () => trace.connect(producer).recordEvent(held, BIZ_STEPS.storing, context),
        () => trace.connect(producer).split(held, [code("S-1"), code("S-2")], [q("50"), q("50")], context),
        () => trace.connect(producer).destroy(held, context),
        () => trace.connect(producer).cancelShipment(pending),
        () => trace.connect(producer).registerProduct(code("S-NEW"), Category.Food, producer, false, ZeroHash),
      ];
      for (const call of refused) {
        await expect(call())
          .to.be.revertedWithCustomError(trace, "TraceLedgerUnauthorized")
          .withArgs(producer.address, ROLE.PRODUCER);
      }
      // ...its PRODUCER functions at the manager.
      const c = { productCode: code(FRESH), lotCode: code("S-NEW"), quantity: 1n, uom: KGM, giCertificate: 0n };
      for (const call of [
        () => trace.connect(producer).commissionBatch(c, context),
        () => trace.connect(producer).transform([held], drying("S-CP"), context),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(trace, "AccessManagedUnauthorized")
          .withArgs(producer.address);
      }
      // Nothing is shipped to it, and the regulator neither registers products nor issues certificates for it.
      await expect(trace.connect(logistics).ship(atLogistics, producer, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotSupplyChainOrg")
        .withArgs(producer.address);
      await expect(trace.connect(regulator).registerProduct(code("S-NEW"), Category.Food, producer, false, ZeroHash))
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotProducer")
        .withArgs(producer.address);
      await expect(
        trace.connect(regulator).issueGiCertificate(producer, code(FRESH), KGM, 1n, (await now()) + DAY, id("GI")),
      )
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotProducer")
        .withArgs(producer.address);
      // What it shipped before can still be received, and what it sold on moves on.
      await expect(trace.connect(retailer).accept(pending, await ctx()))
        .to.emit(trace, "BatchReceived")
        .withArgs(pending, producer.address, retailer.address, anyValue);
      await move(f, atLogistics, logistics, retailer);

      await send(registry.connect(regulator).reinstate(producer.address, id("rectified")));
      await expect(trace.connect(producer).ship(held, logistics, await ctx())).to.emit(trace, "BatchShipped");
      await commission(f, "S-AFTER");
    });

    it("as a receiver can neither accept nor refuse: the sender takes the shipment back", async function () {
      const f = await networkHelpers.loadFixture(traceFixture);
      const { trace, registry, regulator, producer, retailer } = f;
      const shelf = await commission(f, "S-SHELF");
      await move(f, shelf, producer, retailer);
      const pending = await commission(f, "S-PENDING");
      await send(trace.connect(producer).ship(pending, retailer, await ctx()));

      await send(registry.connect(regulator).suspend(retailer.address, id("food safety violation")));
      const context = await ctx();
      for (const call of [
        () => trace.connect(retailer).accept(pending, context),
        () => trace.connect(retailer).cancelShipment(pending),
        () => trace.connect(retailer).sell(shelf, context),
        () => trace.connect(retailer).ship(shelf, producer, context),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(trace, "TraceLedgerUnauthorized")
          .withArgs(retailer.address, ROLE.RETAILER);
      }
      await expect(trace.connect(producer).cancelShipment(pending))
        .to.emit(trace, "ShipmentCancelled")
        .withArgs(pending, producer.address, retailer.address, false);
      await expect(trace.connect(producer).ship(pending, retailer, await ctx()))
        .to.be.revertedWithCustomError(trace, "TraceLedgerNotSupplyChainOrg")
        .withArgs(retailer.address);
    });
  });
});
