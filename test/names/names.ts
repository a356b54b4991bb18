/**
 * Public names through the library the CLI and the demo use (src/names/ledger.ts) on the sample deployment:
 * each record's creator names it and no one else, a location is the naming organisation's own, input is
 * checked before it reaches the chain, and every refusal reads as a sentence.
 */
import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import Samples from "../../deploy/organisations/jiangmen.json" with { type: "json" };
import { approveProject, proposeProject } from "../../src/charity/ledger.js";
import { legacyOverrides } from "../../src/chain.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { ChainRefusal, InvalidInputError } from "../../src/errors.js";
import * as names from "../../src/names/ledger.js";
import { explain } from "../../src/refusals.js";
import * as relief from "../../src/relief/ledger.js";
import { CATEGORIES as RELIEF_CATEGORIES } from "../../src/relief/vocabulary.js";
import { ROLE } from "../../src/roles.js";
import * as trace from "../../src/trace/ledger.js";
import { CATEGORIES, parseProductCode } from "../../src/trace/vocabulary.js";
import { sampleSigners } from "../helpers/access-matrix.js";
import { testCouncil } from "../helpers/council.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const account = (name: string) => Samples.organisations.find((o) => o.name === name)!.account;
const GTIN = "6901234500028";
const GLN = 6901234510010n;

async function fixture() {
  const d = await deployWithSamples(connection, () => {});
  const council = await testCouncil(connection, d);
  const signers = await ethers.getSigners();
  const { byRole, signerOf, roleless } = sampleSigners(signers, council.probe);
  const o = await legacyOverrides(ethers.provider);
  const charity = signerOf(account("江门市慈善会"));
  const otherCharity = signerOf(account("江门市蓬江区慈善会"));
  const civil = byRole.get(ROLE.CIVIL_AFFAIRS)!;
  const finance = byRole.get(ROLE.FINANCE)!;
  const producer = signerOf(account("江门市新会区陈皮专业合作社"));
  const logistics = signerOf(account("江门顺达冷链物流有限公司"));
  const regulator = byRole.get(ROLE.MARKET_REGULATOR)!;

  const { value: projectId } = await proposeProject(
    d,
    charity,
    { code: "JM-FLOOD-2026", targetFen: 100_000_000n, permitHash: id("permit") },
    o,
  );
  await approveProject(d, civil, projectId, o);
  const { value: programmeId } = await relief.createProgramme(
    d,
    finance,
    "TS-IND-2026",
    {
      category: RELIEF_CATEGORIES.indexOf("industry"),
      fiscalYear: 2026,
      periods: 12,
      approverRole: Number(ROLE.RURAL_AFFAIRS),
      requiredAttestations: 0,
      budget: 80_000_000n,
      perBeneficiaryCap: 300_000n,
    },
    id("budget document"),
    o,
  );
  const { value: reliefProjectId } = await relief.createProject(
    d,
    finance,
    {
      code: "TS-GREENHOUSE",
      programmeId,
      implementer: account("台山市浮石蔬菜种植专业合作社"),
      budget: 30_000_000n,
      milestoneCount: 1,
      metadataHash: id("plan"),
    },
    o,
  );
  const productCode = parseProductCode(GTIN);
  await trace.registerProduct(
    d,
    regulator,
    {
      productCode,
      category: CATEGORIES.indexOf("food"),
      producer: producer.address,
      geographicIndication: true,
      metadataHash: id("陈皮"),
    },
    o,
  );
  return {
    d,
    o,
    charity,
    otherCharity,
    finance,
    producer,
    logistics,
    regulator,
    roleless,
    projectId,
    programmeId,
    reliefProjectId,
    productCode,
  };
}

/** The decoded refusal of a write that must fail on chain. */
async function refusal(write: Promise<unknown>): Promise<ChainRefusal> {
  try {
    await write;
  } catch (e) {
    expect(e).to.be.instanceOf(ChainRefusal);
    return e as ChainRefusal;
  }
  throw new Error("the write went through");
}

describe("Public names", function () {
  it("lets each record's creator name it, one event per name", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const n = f.d.names!;
    await names.nameCharityProject(f.d, f.charity, f.projectId, "  江门市2026年洪灾救助 ", f.o);
    await names.nameProgramme(f.d, f.finance, f.programmeId, "台山市2026年产业帮扶资金", f.o);
    await names.namePeriod(f.d, f.finance, f.programmeId, 5, "2026-05", "2026年5月", f.o);
    await names.nameReliefProject(f.d, f.finance, f.reliefProjectId, "浮石村蔬菜大棚", f.o);
    await names.nameProduct(f.d, f.producer, f.productCode, "新会陈皮", f.o);
    await names.nameLocation(f.d, f.producer, GLN, "新会区陈皮合作社晒场", f.o);

    const [project] = await n.queryFilter(n.filters.CharityProjectNamed(f.projectId));
    expect([project!.args.by, project!.args.name]).to.deep.equal([f.charity.address, "江门市2026年洪灾救助"]);
    const [programme] = await n.queryFilter(n.filters.ProgrammeNamed(f.programmeId));
    expect(programme!.args.name).to.equal("台山市2026年产业帮扶资金");
    const [period] = await n.queryFilter(n.filters.PeriodNamed(f.programmeId, 5));
    expect([period!.args.code, period!.args.name]).to.deep.equal(["2026-05", "2026年5月"]);
    const [reliefProject] = await n.queryFilter(n.filters.ReliefProjectNamed(f.reliefProjectId));
    expect([reliefProject!.args.programmeId, reliefProject!.args.name]).to.deep.equal([
      f.programmeId,
      "浮石村蔬菜大棚",
    ]);
    const [product] = await n.queryFilter(n.filters.ProductNamed(f.productCode));
    expect([product!.args.by, product!.args.name]).to.deep.equal([f.producer.address, "新会陈皮"]);
    const [place] = await n.queryFilter(n.filters.LocationNamed(f.producer.address, GLN));
    expect(place!.args.name).to.equal("新会区陈皮合作社晒场");
  });

  it("refuses a name from anyone but the record's creator, with a sentence naming the creator", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const e = await refusal(names.nameCharityProject(f.d, f.otherCharity, f.projectId, "抢注", f.o));
    expect(e.revert.name).to.equal("PublicNamesNotCreator");
    expect(e.revert.args).to.deep.include({ caller: f.otherCharity.address, creator: f.charity.address });
    expect(explain(e).message).to.include(`only ${f.charity.address}, which created charity project`);
    // The market regulator registered the product for the producer: the name is still the producer's to give.
    const p = await refusal(names.nameProduct(f.d, f.regulator, f.productCode, "抢注", f.o));
    expect(p.revert.name).to.equal("PublicNamesNotCreator");
    const r = await refusal(names.nameReliefProject(f.d, f.charity, f.reliefProjectId, "抢注", f.o));
    expect(r.revert.name).to.equal("PublicNamesNotCreator");
    const unknown = await refusal(names.nameProgramme(f.d, f.finance, id("no such programme"), "x", f.o));
    expect(unknown.revert.name).to.equal("PublicNamesUnknownRecord");
    const period = await refusal(names.namePeriod(f.d, f.finance, f.programmeId, 13, "2027-01", "x", f.o));
    expect(period.revert.name).to.equal("PublicNamesInvalidPeriod");
    expect(explain(period).message).to.include("which has periods 1 to 12");
  });

  it("refuses the name a record already has, and takes a rename", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    await names.nameProduct(f.d, f.producer, f.productCode, "新会陈皮", f.o);
    const again = await refusal(names.nameProduct(f.d, f.producer, f.productCode, "新会陈皮", f.o));
    expect(again.revert.name).to.equal("PublicNamesUnchanged");
    expect(explain(again).message).to.include('already named "新会陈皮"');
    await names.nameProduct(f.d, f.producer, f.productCode, "新会陈皮（三年陈）", f.o);
    const n = f.d.names!;
    expect((await n.queryFilter(n.filters.ProductNamed(f.productCode))).map((e) => e.args.name)).to.deep.equal([
      "新会陈皮",
      "新会陈皮（三年陈）",
    ]);
  });

  it("binds a location's name to the organisation that gives it: another's name for the same GLN is its own", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    await names.nameLocation(f.d, f.producer, GLN, "合作社晒场", f.o);
    await names.nameLocation(f.d, f.logistics, GLN, "物流中转点", f.o);
    const n = f.d.names!;
    expect((await n.queryFilter(n.filters.LocationNamed(f.producer.address, GLN)))[0]!.args.name).to.equal(
      "合作社晒场",
    );
    expect((await n.queryFilter(n.filters.LocationNamed(f.logistics.address, GLN)))[0]!.args.name).to.equal(
      "物流中转点",
    );
    const stranger = await refusal(names.nameLocation(f.d, f.roleless, GLN, "抢注", f.o));
    expect(stranger.revert.name).to.equal("PublicNamesInactiveOrganisation");
  });

  it("checks names before anything is sent: 1 to 96 bytes of UTF-8, period codes 1 to 32", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    const before = await ethers.provider.getBlockNumber();
    expect(() => names.parseName("   ")).to.throw(InvalidInputError, /1 to 96 bytes/);
    expect(names.parseName("陈".repeat(32))).to.equal("陈".repeat(32));
    expect(() => names.parseName("陈".repeat(33))).to.throw(InvalidInputError, /this one is 99/);
    expect(() => names.nameProduct(f.d, f.producer, f.productCode, "x".repeat(97), f.o)).to.throw(InvalidInputError);
    expect(() => names.namePeriod(f.d, f.finance, f.programmeId, 1, "C".repeat(33), "x", f.o)).to.throw(
      InvalidInputError,
      /1 to 32 bytes/,
    );
    expect(() => names.namePeriod(f.d, f.finance, f.programmeId, 0, "P0", "x", f.o)).to.throw(InvalidInputError);
    expect(await ethers.provider.getBlockNumber()).to.equal(before);
  });
});
