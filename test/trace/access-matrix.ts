import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroHash, id } from "ethers";
import { network } from "hardhat";

import Samples from "../../deploy/organisations/jiangmen.json" with { type: "json" };
import { WIRING } from "../../deploy/wiring.js";
import { requireTrace } from "../../src/deployment.js";
import { ORG_KINDS, PUBLIC_ROLE, ROLE, roleLabel } from "../../src/roles.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import {
  BIZ_STEPS,
  batchIdOf,
  encodeCode,
  gs1CheckDigit,
  parseGln,
  parseQuantity,
  parseUnit,
  unitHex,
} from "../../src/trace/vocabulary.js";
import { INTERFACES } from "../../src/contracts.js";
import { writeFunctions } from "../../src/wiring.js";
import type { ITraceLedger, TraceLedger } from "../../types/ethers-contracts/index.js";
import {
  MANAGER_ONLY_FUNCTIONS,
  ROLELESS,
  type AccessMatrixSpec,
  type ArgsFactories,
  type MatrixCell,
  type MatrixSigners,
  expectAccessMatrix,
  expectEveryFunctionRestricted,
  expectWiredRows,
  expectWiringComplete,
  expectWiringReadBack,
  probeGate,
  sampleSigners,
} from "../helpers/access-matrix.js";
import { testCouncil } from "../helpers/council.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const W = WIRING.TraceLedger;
type LedgerWiring = typeof W;

// Enum values of ITraceLedger.
const Category = { Agricultural: 0n, Food: 1n } as const;
const RecallAction = { Hold: 1n } as const;

/** 新会柑 fresh peel (GI, agricultural) and dried 陈皮 (food), both of the sample producer. */
const FRESH = "06901234567892";
const CHENPI = "06901234567908";
const KGM = parseUnit("kg").hex;
const WAREHOUSE = parseGln(`690123400001${gs1CheckDigit("690123400001")}`);
const DAY = 24n * 60n * 60n;

const code = (text: string) => encodeCode("code", text);

/**
 * The whole ledger as deployWithSamples deploys it (Foundation, Charity, Trace) with the sample
 * organisations, one signer per role (ADMIN, the five departments, the first sample organisation of every other kind:
 * 江门市新会区陈皮专业合作社 for PRODUCER, 江门顺达冷链物流有限公司 for LOGISTICS, 台山市惠民超市有限公司
 * for RETAILER, 江门市食品检验所 for INSPECTOR), a roleless account, and ledger state every function
 * can act on: batches held by the producer, one in transit to the retailer, one held by the
 * retailer, and a recalled one with its recall.
 */
async function matrixFixture() {
  const d = await deployWithSamples(connection, () => {});
  const ledger = requireTrace(d);
  const signers = await ethers.getSigners();
  const council = await testCouncil(connection, d);
  const { admin, byRole, roleless, signerOf } = sampleSigners(signers, council.probe);

  const regulator = byRole.get(ROLE.MARKET_REGULATOR)!;
  const producer = byRole.get(ROLE.PRODUCER)!;
  const logistics = byRole.get(ROLE.LOGISTICS)!;
  const retailer = byRole.get(ROLE.RETAILER)!;
  const inspector = byRole.get(ROLE.INSPECTOR)!;

  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => {
    await (await tx).wait();
  };
  const now = BigInt(await networkHelpers.time.latest());
  const context: ITraceLedger.ContextStruct = {
    location: WAREHOUSE,
    eventTime: now,
    evidenceHash: id("matrix"),
    eventId: ZeroHash,
    quantity: 0n,
    uom: "0x000000",
    disposition: 0,
  };
  const commission = async (lot: string, quantity: string) => {
    const c = { productCode: code(FRESH), lotCode: code(lot), quantity: parseQuantity(quantity), uom: KGM };
    await send(ledger.connect(producer).commissionBatch({ ...c, giCertificate: 0n }, context));
    return batchIdOf(FRESH, lot);
  };

  await send(ledger.connect(producer).registerProduct(code(FRESH), Category.Agricultural, producer, true, id("柑皮")));
  await send(ledger.connect(producer).registerProduct(code(CHENPI), Category.Food, producer, true, id("陈皮")));
  const held = await commission("HELD", "100");
  const mergeA = await commission("MERGE-A", "10");
  const mergeB = await commission("MERGE-B", "10");
  const recalled = await commission("RECALLED", "5");
  await send(ledger.connect(regulator).recall(recalled, id("pesticide residue")));
  const inTransit = await commission("IN-TRANSIT", "20");
  await send(ledger.connect(producer).ship(inTransit, retailer, context));
  const atRetail = await commission("AT-RETAIL", "30");
  await send(ledger.connect(producer).ship(atRetail, retailer, context));
  await send(ledger.connect(retailer).accept(atRetail, context));
  const failed = await commission("FAILED", "3");
  await send(ledger.connect(inspector).certify(failed, false, 0n, id("failed report")));
  const recordedEvent = id("matrix recorded event");
  await send(ledger.connect(producer).recordEvent(held, 7, { ...context, eventId: recordedEvent }));

  const matrixSigners: MatrixSigners = { byRole, roleless };
  return {
    ...d,
    ledger,
    admin,
    council,
    byRole,
    roleless,
    regulator,
    producer,
    logistics,
    retailer,
    inspector,
    matrixSigners,
    context,
    now,
    ids: { held, mergeA, mergeB, recalled, inTransit, atRetail, failed, recordedEvent },
  };
}

type Fixture = Awaited<ReturnType<typeof matrixFixture>>;

/**
 * Well-formed calls on the fixture's state: from the wired role (for PUBLIC functions, the
 * batch's custodian or receiver, the producer or the regulator) each one succeeds, so only the
 * manager or a caller-dependent rule can stop it.
 */
function ledgerArgs(f: Fixture): ArgsFactories<TraceLedger, LedgerWiring> {
  const { held, mergeA, mergeB, recalled, inTransit, atRetail, failed } = f.ids;
  const ctx = f.context;
  return {
    registerProduct: () => [code("MATRIX-PRODUCT"), Category.Agricultural, f.producer.address, false, id("meta")],
    setInspectionRequired: () => [Category.Food, false],
    issueGiCertificate: () => [
      f.producer.address,
      code(FRESH),
      KGM,
      parseQuantity("1000"),
      f.now + 365n * DAY,
      id("GI"),
    ],
    commissionBatch: () => [
      {
        productCode: code(FRESH),
        lotCode: code("MATRIX-LOT"),
        quantity: parseQuantity("1"),
        uom: KGM,
        giCertificate: 0n,
      },
      ctx,
    ],
    recordEvent: () => [held, BIZ_STEPS.storing, ctx],
    ship: () => [held, f.logistics.address, ctx],
    accept: () => [inTransit, ctx],
    cancelShipment: () => [inTransit],
    split: () => [held, [code("HELD-1"), code("HELD-2")], [parseQuantity("60"), parseQuantity("40")], ctx],
    merge: () => [[mergeA, mergeB], code("MERGED"), ctx],
    transform: () => [
      [held],
      { outputProduct: code(CHENPI), outputLot: code("DRIED"), outputUom: KGM, ratioPpm: 250_000n, giCertificate: 0n },
      { ...ctx, evidenceHash: id("drying record") },
    ],
    sell: () => [atRetail, ctx],
    destroy: () => [held, ctx],
    certify: () => [held, true, f.now + 30n * DAY, id("report")],
    recall: () => [held, id("reason")],
    acknowledgeRecall: () => [1n, recalled, RecallAction.Hold, parseQuantity("5"), id("sealed")],
    correctProduct: () => [code(FRESH), Category.Food, f.producer.address, id("category decision")],
    allowReinspection: () => [failed, id("re-inspection decision")],
    shipPart: () => [held, code("HELD-PART"), f.logistics.address, { ...ctx, quantity: parseQuantity("10") }],
    declareConversion: () => [code(FRESH), unitHex("XBX"), KGM, 250_000n],
    correctEvent: () => [f.ids.recordedEvent, 2, []],
  };
}

function spec(f: Fixture): AccessMatrixSpec<TraceLedger, LedgerWiring> {
  return { manager: f.manager, target: f.ledger, wiring: W, signers: f.matrixSigners, args: ledgerArgs(f) };
}

/** Functions wired PUBLIC: the ledger checks the caller (custodian, receiver, its role) itself. */
const PUBLIC_FUNCTIONS = Object.entries(W)
  .filter(([, label]) => label === "PUBLIC")
  .map(([fn]) => fn);

/** Who the ledger itself lets call each PUBLIC function on the fixture's state. */
const RIGHTFUL: Readonly<Record<string, readonly string[]>> = {
  registerProduct: ["PRODUCER", "MARKET_REGULATOR"],
  recordEvent: ["PRODUCER"],
  ship: ["PRODUCER"],
  accept: ["RETAILER"],
  cancelShipment: ["PRODUCER", "RETAILER"],
  split: ["PRODUCER"],
  merge: ["PRODUCER"],
  sell: ["RETAILER"],
  destroy: ["PRODUCER"],
  acknowledgeRecall: ["PRODUCER"],
  shipPart: ["PRODUCER"],
  correctEvent: ["PRODUCER"],
};

/** How the ledger refuses `caller` for a PUBLIC function on the fixture's state. */
function refusal(f: Fixture, fn: string, caller: string): string {
  const { held, mergeA, recalled, inTransit, atRetail } = f.ids;
  const producer = f.producer.address;
  const notCustodian = (batch: string, custodian: string) =>
    `reverted TraceLedgerNotCustodian(${batch}, ${caller}, ${custodian})`;
  switch (fn) {
    case "registerProduct":
      return `reverted TraceLedgerUnauthorized(${caller}, ${ROLE.PRODUCER})`;
    case "accept":
      return `reverted TraceLedgerNotReceiver(${inTransit}, ${caller}, ${f.retailer.address})`;
    case "cancelShipment":
      return notCustodian(inTransit, producer);
    case "merge":
      return notCustodian(mergeA, producer);
    case "sell":
      return notCustodian(atRetail, f.retailer.address);
    case "acknowledgeRecall":
      return notCustodian(recalled, producer);
    case "correctEvent":
      // Event ids are kept per organisation: another has recorded no such event to declare in error.
      return `reverted TraceLedgerUnknownEvent(${f.ids.recordedEvent}, ${caller})`;
    default:
      return notCustodian(held, producer);
  }
}

describe("Access matrix: TraceLedger", function () {
  it("has a signer for every role but REGISTRAR, each holding only its own", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    const roles = [...f.byRole.keys()].map((r) => Number(r)).sort((a, b) => a - b);
    expect(roles).to.deep.equal([0, ...ORG_KINDS.map((k) => k.kind)]);
    for (const [role, signer] of f.byRole) {
      expect((await f.manager.hasRole(role, signer.address))[0], roleLabel(role)).to.equal(true);
    }
    expect(await f.ledger.authority()).to.equal(await f.manager.getAddress());
  });

  it("wires every state-changing function, as the manager says", async function () {
    const { manager, ledger } = await networkHelpers.loadFixture(matrixFixture);
    await expectWiringComplete(manager, ledger, W);
    const written = writeFunctions(ledger.interface).filter((fn) => !MANAGER_ONLY_FUNCTIONS.includes(fn));
    expect(Object.keys(W)).to.have.members(written);
    expect(PUBLIC_FUNCTIONS).to.deep.equal(Object.keys(RIGHTFUL));
  });

  it("reads back from the manager exactly the wiring of deploy/wiring.ts", async function () {
    const { manager, ledger } = await networkHelpers.loadFixture(matrixFixture);
    await expectWiringReadBack(manager, ledger, W);
  });

  it("is deployed under the same AccessManager as the registry and CharityLedger, with the sample organisations", async function () {
    const { ledger, ...d } = await networkHelpers.loadFixture(matrixFixture);
    const manager = await d.manager.getAddress();
    expect(await ledger.authority(), "TraceLedger's authority").to.equal(manager);
    expect(await d.registry.authority(), "OrgRegistry's authority").to.equal(manager);
    expect(await d.charity!.authority(), "CharityLedger's authority").to.equal(manager);
    await expectWiringComplete(d.manager, ledger, W);
    const producer = Samples.organisations.find((o) => o.kind === "PRODUCER")!.account;
    expect((await d.manager.hasRole(ROLE.PRODUCER, producer))[0]).to.equal(true);
  });

  it("lets exactly the wired role through the manager to every restricted function, and everyone to the PUBLIC ones", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    const recallsBefore = await f.ledger.recallCount();
    const cells = await expectAccessMatrix(spec(f));
    const callers = f.byRole.size + 1;
    expectWiredRows(cells, W, callers, (fn) => RIGHTFUL[fn]!, "TraceLedgerRelayedCall");

    // staticCall changed nothing.
    expect(await f.ledger.recallCount()).to.equal(recallsBefore);
    expect((await f.ledger.batch(f.ids.held)).status).to.equal(1n);
    expect((await f.ledger.batch(f.ids.inTransit)).status).to.equal(2n);
  });

  it("leaves the PUBLIC functions to the ledger's own checks: callers without the batch or a supply-chain role are refused", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    const cells = await expectAccessMatrix(spec(f));
    const row = (fn: string): MatrixCell[] => cells.filter((c) => c.fn === fn && c.path === "direct");
    for (const fn of PUBLIC_FUNCTIONS) {
      for (const c of row(fn)) {
        const expected = RIGHTFUL[fn]!.includes(c.caller) ? "returned" : refusal(f, fn, c.address);
        expect(c.detail, `${fn} from ${c.caller}`).to.equal(expected);
      }
      // Charity, recipient and the unregistered account get through the manager, then the ledger refuses them.
      for (const caller of ["CHARITY", "RECIPIENT", ROLELESS]) {
        const c = row(fn).find((x) => x.caller === caller)!;
        expect(c.passed, `${fn} from ${caller}`).to.equal(true);
        expect(c.detail, `${fn} from ${caller}`).to.match(
          /^reverted TraceLedger(Unauthorized|NotCustodian|NotReceiver|UnknownEvent)\(/,
        );
      }
    }
  });

  it("refuses a custodian or receiver that no longer holds its supply-chain role, inside the ledger (but for its recall reports)", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    const args = ledgerArgs(f);
    await (await f.registry.connect(f.regulator).suspend(f.producer.address, id("licence revoked"))).wait();
    await (await f.registry.connect(f.regulator).suspend(f.retailer.address, id("licence revoked"))).wait();
    const unauthorized = (who: HardhatEthersSigner, role: bigint) =>
      `reverted TraceLedgerUnauthorized(${who.address}, ${role})`;

    for (const fn of [
      "registerProduct",
      "recordEvent",
      "ship",
      "cancelShipment",
      "split",
      "merge",
      "destroy",
    ] as const) {
      const outcome = await probeGate(f.ledger, fn, f.producer, await args[fn](f.producer.address));
      expect(outcome, `${fn} from the suspended producer`).to.deep.equal({
        passed: true,
        detail: unauthorized(f.producer, ROLE.PRODUCER),
      });
    }
    for (const fn of ["accept", "cancelShipment", "sell"] as const) {
      const outcome = await probeGate(f.ledger, fn, f.retailer, await args[fn](f.retailer.address));
      expect(outcome, `${fn} from the suspended retailer`).to.deep.equal({
        passed: true,
        detail: unauthorized(f.retailer, ROLE.RETAILER),
      });
    }
    // The documented exception: a suspended custodian still reports what it did with recalled goods.
    const report = await probeGate(
      f.ledger,
      "acknowledgeRecall",
      f.producer,
      await args.acknowledgeRecall(f.producer.address),
    );
    expect(report, "acknowledgeRecall from the suspended producer").to.deep.equal({ passed: true, detail: "returned" });
    // The producer's restricted functions are closed by the manager itself.
    for (const fn of ["commissionBatch", "transform"] as const) {
      const outcome = await probeGate(f.ledger, fn, f.producer, await args[fn](f.producer.address));
      expect(outcome, fn).to.deep.equal({
        passed: false,
        detail: `reverted AccessManagedUnauthorized(${f.producer.address})`,
      });
    }
  });

  it("puts every ledger function behind the manager (closing the target rejects them all)", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    await expectEveryFunctionRestricted(spec(f), (target, closed) => f.council.setClosed(target, closed));
    expect(await f.manager.isTargetClosed(await f.ledger.getAddress())).to.equal(false);
  });
});
