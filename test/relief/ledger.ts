import { createHmac } from "node:crypto";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import {
  AbiCoder,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type Result,
  ZeroAddress,
  ZeroHash,
  dataSlice,
  getAddress,
  id,
  isHexString,
  keccak256,
  toBeHex,
  zeroPadValue,
} from "ethers";
import { network } from "hardhat";

import Samples from "../../deploy/organisations/jiangmen.json" with { type: "json" };
import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import { InvalidInputError } from "../../src/errors.js";
import { creditCodeCheckChar } from "../../src/credit-code.js";
import { type Deployment, requireRelief } from "../../src/deployment.js";
import {
  ATTESTATIONS,
  attestationDefinitionHash,
  attestationMask,
  attestationOf,
  attestationsOfMask,
} from "../../src/relief/attestations.js";
import {
  DEV_RELIEF_SECRET,
  RELIEF_SECRET_VARIABLE,
  beneficiaryKey,
  householdHash,
  idCheckChar,
  idNumberProblem,
  maskIdNumber,
  parseIdNumber,
  parseReliefSecret,
} from "../../src/relief/key.js";
import { codeHash } from "../../src/code-ref.js";
import { programmeIdOf, projectIdOf, resolveProgramme, resolveProject } from "../../src/relief/ledger.js";
import { ORG_KINDS, ROLE } from "../../src/roles.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import type { IReliefLedger, ReliefLedger } from "../../types/ethers-contracts/index.js";
import { testCouncil } from "../helpers/council.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const P = DevParameters.Foundation;

type Signer = HardhatEthersSigner;

// Enum values of IReliefLedger.
const Category = { Industry: 0n, Education: 1n, Housing: 2n, Medical: 3n, Other: 6n } as const;
const RecipientKind = { Beneficiary: 0n, Project: 1n } as const;
const Disbursement = { None: 0n, Proposed: 1n, Approved: 2n, Rejected: 3n } as const;
const Project = { None: 0n, Active: 1n, Accepted: 2n } as const;
const TargetKind = { Programme: 0n, Allocation: 1n, Disbursement: 2n, Beneficiary: 3n, Project: 4n } as const;
const Finding = { None: 0n, Open: 1n, Answered: 2n, Closed: 3n } as const;

const KIND = {
  MINIMUM_LIVING_ALLOWANCE: 0,
  EXTREME_HARDSHIP: 1,
  LIFTED_FROM_POVERTY: 2,
  MONITORED_HOUSEHOLD: 3,
  LOW_INCOME_HOUSEHOLD: 4,
} as const;

/** 2026 产业扶持资金 of 江门市财政局, and a second programme of the same finance (codes; ids below). */
const PROGRAMME_CODE = "JM-IND-2026";
const OTHER_CODE = "JM-EDU-2026";
/** 浮石村's 陈皮晾晒场, built by the co-operative. */
const PROJECT_CODE = "FS-DRYING-2026";
/** Their ids, namespaced by the finance bureau and the village (set by the fixture, which knows them). */
let PROGRAMME: string;
let OTHER: string;
let PROJECT: string;

const BUDGET = 1_000_000_00n; // 100万元 in fen
const CAP = 2_000_00n; // 2000元 a payment

const SECRET = parseReliefSecret(DEV_RELIEF_SECRET);

/** A synthetic resident ID number of 台山市 (440781): birth date, sequence and check character. */
function idNumber(birth: string, seq: string): string {
  const body = `440781${birth}${seq}`;
  return body + idCheckChar(body);
}

const ID_A = idNumber("19580312", "041");
const ID_B = idNumber("19630927", "052");
const ID_C = idNumber("19711105", "063");
const KEY_A = beneficiaryKey(SECRET, ID_A);
const KEY_B = beneficiaryKey(SECRET, ID_B);
const KEY_C = beneficiaryKey(SECRET, ID_C);
const HOUSEHOLD_A = householdHash(SECRET, "建档立卡/台山/浮石村/0001/v1");

const LIFTED = attestationMask(["lifted-from-poverty"]);

const coder = AbiCoder.defaultAbiCoder();

/** The terms a disbursement is proposed on now, as an approval names them: (id, amount, payment-reference hash). */
async function reviewed(relief: ReliefLedger, disbursementId: string): Promise<[string, bigint, string]> {
  const x = await relief.disbursement(disbursementId);
  return [disbursementId, x.amount, x.paymentRefHash];
}

/** `disbursementIdOf` computed off chain: keccak256(abi.encode(kind, programmeId, period, recipient)). */
function disbursementIdOf(kind: bigint, programmeId: string, period: number, recipient: string): string {
  return keccak256(coder.encode(["uint8", "bytes32", "uint32", "bytes32"], [kind, programmeId, period, recipient]));
}

/** An allocation id as a finding target. */
const allocationTarget = (n: bigint) => zeroPadValue(toBeHex(n), 32);

function terms(o: Partial<IReliefLedger.ProgrammeTermsStruct> = {}): IReliefLedger.ProgrammeTermsStruct {
  return {
    category: Category.Industry,
    fiscalYear: 2026,
    periods: 12,
    approverRole: ROLE.RURAL_AFFAIRS,
    requiredAttestations: LIFTED,
    budget: BUDGET,
    perBeneficiaryCap: CAP,
    ...o,
  };
}

function sample(name: string): string {
  const org = Samples.organisations.find((o) => o.name === name);
  if (org === undefined) throw new Error(`no sample organisation ${name}`);
  return org.account;
}

async function send(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt;
}

/** A struct a view returned, as a plain object of its named fields. */
function fields(struct: object): Record<string, unknown> {
  return (struct as Result).toObject();
}

const NO_HOLDING = {
  parent: ZeroAddress,
  available: 0n,
  received: 0n,
  allocated: 0n,
  reserved: 0n,
  disbursed: 0n,
  returned: 0n,
};

/** A holding as the view returns it: the given fields, zero elsewhere. */
const H = (o: Partial<typeof NO_HOLDING>) => ({ ...NO_HOLDING, ...o });

/**
 * The whole ledger deployed with the dev parameters and the sample Jiangmen organisations
 * (deployWithSamples), plus a second finance bureau and a second audit office registered by ADMIN.
 */
async function reliefFixture() {
  const d = await deployWithSamples(connection, () => {});
  const relief = requireRelief(d);
  const signers = await ethers.getSigners();
  const by = (address: string): Signer => {
    const s = signers.find((x) => x.address.toLowerCase() === address.toLowerCase());
    if (s === undefined) throw new Error(`${address} is not one of the test accounts`);
    return s;
  };
  // The sample organisations take most of the test accounts: the fixture's own organisations and the
  // stranger are accounts outside the mnemonic, impersonated and funded.
  const outsider = async (label: string): Promise<Signer> => {
    const address = getAddress(dataSlice(id(label), 12));
    await networkHelpers.impersonateAccount(address);
    await networkHelpers.setBalance(address, 10n ** 20n);
    return ethers.getSigner(address);
  };
  const council = await testCouncil(connection, d);
  const financeB = await outsider("江门市新会区财政局");
  const auditB = await outsider("江门市新会区审计局");
  const stranger = await outsider("a stranger");
  const known = new Set(
    [
      ...Object.values(P).filter((v) => v.startsWith("0x")),
      ...Samples.organisations.map((o) => o.account),
      ...signers.map((s) => s.address),
    ].map((a) => a.toLowerCase()),
  );
  for (const s of [financeB, auditB, stranger]) {
    if (known.has(s.address.toLowerCase())) throw new Error(`${s.address} is a known account`);
  }

  const f = {
    ...d,
    relief,
    ledger: await relief.getAddress(),
    /** ADMIN: the council's address, for staticCall probes; its changes go through `council.act`. */
    admin: council.probe,
    council,
    finance: by(P.financeAccount),
    ruralAffairs: by(P.ruralAffairsAccount),
    civilAffairs: by(P.civilAffairsAccount),
    regulator: by(P.marketRegulatorAccount),
    audit: by(P.auditAccount),
    /** 台山市斗山镇浮石村民委员会 */
    village: by(sample("台山市斗山镇浮石村民委员会")),
    /** 台山市都斛镇莘村村民委员会 */
    village2: by(sample("台山市都斛镇莘村村民委员会")),
    /** 江门市新会区陈皮专业合作社, a PRODUCER */
    cooperative: by(sample("江门市新会区陈皮专业合作社")),
    /** 江门市食品检验所 */
    inspector: by(sample("江门市食品检验所")),
    /** 江门市慈善会, a CHARITY */
    charity: by(sample("江门市慈善会")),
    /** 江门市中心医院, a RECIPIENT */
    hospital: by(sample("江门市中心医院")),
    /** 江门市新会区财政局, registered by the fixture */
    financeB,
    /** 江门市新会区审计局, registered by the fixture */
    auditB,
    stranger,
  };
  for (const [who, kind, name, body] of [
    [financeB, ROLE.FINANCE, "江门市新会区财政局", "11440705007000001"],
    [auditB, ROLE.AUDITOR, "江门市新会区审计局", "11440705007000002"],
  ] as const) {
    // Departments are admitted by the council (ADMIN), after its delay.
    await council.act(
      d.addresses.OrgRegistry,
      d.registry.interface.encodeFunctionData("register", [
        await who.getAddress(),
        Number(kind),
        name,
        body + creditCodeCheckChar(body),
        ZeroHash,
      ]),
    );
  }
  PROGRAMME = programmeIdOf(f.finance.address, PROGRAMME_CODE);
  OTHER = programmeIdOf(f.finance.address, OTHER_CODE);
  PROJECT = projectIdOf(f.village.address, PROJECT_CODE);
  return f;
}

type Fixture = Awaited<ReturnType<typeof reliefFixture>>;

/**
 * A running programme: created with the default terms, 60万 allocated to rural affairs and 30万 on
 * to 浮石村; beneficiaries A and B registered by 浮石村, A attested lifted from poverty (eligible).
 */
async function programmeFixture() {
  const f = await reliefFixture();
  const { relief, finance, ruralAffairs, village } = f;
  await send(relief.connect(finance).createProgramme(PROGRAMME_CODE, terms(), id("财农〔2026〕1号")));
  await send(relief.connect(finance).allocate(PROGRAMME, ruralAffairs, 600_000_00n, id("allocation 1")));
  await send(relief.connect(village).setParent(PROGRAMME, village, ruralAffairs, id("接收资金确认")));
  await send(relief.connect(ruralAffairs).allocate(PROGRAMME, village, 300_000_00n, id("allocation 2")));
  await send(relief.connect(village).registerBeneficiary(KEY_A, HOUSEHOLD_A));
  await send(relief.connect(village).registerBeneficiary(KEY_B, householdHash(SECRET, "建档立卡/0002")));
  await send(relief.connect(ruralAffairs).attest(KEY_A, KIND.LIFTED_FROM_POVERTY, id("脱贫户认定")));
  return f;
}

async function holding(f: Fixture, programmeId: string, who: Signer | string) {
  return fields(await f.relief.holding(programmeId, typeof who === "string" ? who : who.address));
}

async function programmeOf(f: Fixture, programmeId: string) {
  return fields(await f.relief.programme(programmeId));
}

/** The programme's totals: what was appropriated, allocated (every hop), disbursed and returned. */
async function totals(f: Fixture, programmeId: string) {
  const p = await f.relief.programme(programmeId);
  return { appropriated: p.appropriated, allocated: p.allocated, disbursed: p.disbursed, returned: p.returned };
}

/** appropriated = Σ over holders and projects of (available + reserved) + disbursed. */
async function expectConserved(f: Fixture, programmeId: string, holders: readonly Signer[], projects: string[] = []) {
  const p = await f.relief.programme(programmeId);
  let held = 0n;
  for (const h of holders) {
    const x = await f.relief.holding(programmeId, h.address);
    held += x.available + x.reserved;
  }
  for (const j of projects) {
    const x = await f.relief.project(j);
    held += x.available + x.reserved;
  }
  expect(held + p.disbursed, "appropriated = Σ (available + reserved) + disbursed").to.equal(p.appropriated);
}

/** Proposes paying `key` for `period` from `by`; returns the disbursement id. */
async function propose(
  f: Fixture,
  by: Signer,
  period: number,
  key = KEY_A,
  amount = 1_500_00n,
  programmeId = PROGRAMME,
) {
  await send(f.relief.connect(by).proposeDisbursement(programmeId, period, key, amount, id(`一卡通 ${period}`)));
  return disbursementIdOf(RecipientKind.Beneficiary, programmeId, period, key);
}

/** 浮石村 creates the project (co-operative, 10万, 3 milestones) and funds `funded` of it. */
async function project(f: Fixture, funded = 80_000_00n, code = PROJECT_CODE) {
  await send(f.relief.connect(f.village).createProject(code, PROGRAMME, f.cooperative, 100_000_00n, 3, id("晾晒场")));
  const projectId = projectIdOf(f.village.address, code);
  if (funded > 0n) await send(f.relief.connect(f.village).fundProject(projectId, funded, id("funding")));
  return projectId;
}

describe("ReliefLedger", function () {
  describe("a programme's whole life", function () {
    it("moves its money down the tree, pays an attested beneficiary and a project, and keeps every counter", async function () {
      const f = await networkHelpers.loadFixture(reliefFixture);
      const { relief, finance, ruralAffairs, civilAffairs, village, cooperative, inspector, audit, ledger } = f;
      const holders = [finance, ruralAffairs, village];

      // 1. The finance bureau creates the programme and holds its whole budget as the root.
      await expect(relief.connect(finance).createProgramme(PROGRAMME_CODE, terms(), id("财农〔2026〕1号")))
        .to.emit(relief, "ProgrammeCreated")
        .withArgs(
          PROGRAMME,
          finance.address,
          codeHash(PROGRAMME_CODE),
          PROGRAMME_CODE,
          Category.Industry,
          2026,
          12,
          ROLE.RURAL_AFFAIRS,
          LIFTED,
          BUDGET,
          CAP,
          id("财农〔2026〕1号"),
        );
      expect(await programmeOf(f, PROGRAMME)).to.deep.equal({
        finance: finance.address,
        category: Category.Industry,
        fiscalYear: 2026n,
        periods: 12n,
        approverRole: ROLE.RURAL_AFFAIRS,
        requiredAttestations: BigInt(LIFTED),
        seq: 1n,
        appropriated: BUDGET,
        perBeneficiaryCap: CAP,
        allocated: 0n,
        disbursed: 0n,
        returned: 0n,
      });
      expect(await holding(f, PROGRAMME, finance)).to.deep.equal(H({ available: BUDGET }));
      expect([await relief.programmeCount(), await relief.programmeIdAt(1)]).to.deep.equal([1n, PROGRAMME]);
      expect([await relief.programmeIdAt(0), await relief.programmeIdAt(2)]).to.deep.equal([ZeroHash, ZeroHash]);
      await expectConserved(f, PROGRAMME, holders);

      // 2. A further appropriation.
      await expect(relief.connect(finance).appropriate(PROGRAMME, 200_000_00n, id("追加预算")))
        .to.emit(relief, "Appropriated")
        .withArgs(PROGRAMME, finance.address, 200_000_00n, id("追加预算"));
      expect(await totals(f, PROGRAMME)).to.deep.equal({
        appropriated: 1_200_000_00n,
        allocated: 0n,
        disbursed: 0n,
        returned: 0n,
      });
      expect(await holding(f, PROGRAMME, finance)).to.deep.equal(H({ available: 1_200_000_00n }));
      await expectConserved(f, PROGRAMME, holders);

      // 3. Finance → rural affairs → the village.
      expect(
        await relief.connect(finance).allocate.staticCall(PROGRAMME, ruralAffairs, 600_000_00n, id("拨付 1")),
      ).to.equal(1n);
      await expect(relief.connect(finance).allocate(PROGRAMME, ruralAffairs, 600_000_00n, id("拨付 1")))
        .to.emit(relief, "Allocated")
        .withArgs(PROGRAMME, finance.address, ruralAffairs.address, 1n, 600_000_00n, id("拨付 1"));
      // Below the finance, a hand-over needs the receiver's consent first.
      await expect(relief.connect(ruralAffairs).allocate(PROGRAMME, village, 300_000_00n, id("拨付 2")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerParentNotAccepted")
        .withArgs(PROGRAMME, village.address, ruralAffairs.address);
      await expect(relief.connect(village).setParent(PROGRAMME, village, ruralAffairs, id("接收资金确认")))
        .to.emit(relief, "ParentSet")
        .withArgs(PROGRAMME, village.address, ruralAffairs.address, village.address, id("接收资金确认"));
      await expect(relief.connect(ruralAffairs).allocate(PROGRAMME, village, 300_000_00n, id("拨付 2")))
        .to.emit(relief, "Allocated")
        .withArgs(PROGRAMME, ruralAffairs.address, village.address, 2n, 300_000_00n, id("拨付 2"));
      expect(await relief.allocationCount()).to.equal(2n);
      expect(await holding(f, PROGRAMME, finance)).to.deep.equal(H({ available: 600_000_00n, allocated: 600_000_00n }));
      expect(await holding(f, PROGRAMME, ruralAffairs)).to.deep.equal(
        H({ parent: finance.address, available: 300_000_00n, received: 600_000_00n, allocated: 300_000_00n }),
      );
      expect(await holding(f, PROGRAMME, village)).to.deep.equal(
        H({ parent: ruralAffairs.address, available: 300_000_00n, received: 300_000_00n }),
      );
      expect(await totals(f, PROGRAMME)).to.deep.equal({
        appropriated: 1_200_000_00n,
        allocated: 900_000_00n,
        disbursed: 0n,
        returned: 0n,
      });
      await expectConserved(f, PROGRAMME, holders);

      // 4. The village returns what it will not use.
      await expect(relief.connect(village).returnFunds(PROGRAMME, 50_000_00n, id("结余退回")))
        .to.emit(relief, "FundsReturned")
        .withArgs(PROGRAMME, village.address, ruralAffairs.address, 50_000_00n, id("结余退回"));
      expect(await holding(f, PROGRAMME, village)).to.deep.equal(
        H({ parent: ruralAffairs.address, available: 250_000_00n, received: 300_000_00n, returned: 50_000_00n }),
      );
      expect((await relief.holding(PROGRAMME, ruralAffairs)).available).to.equal(350_000_00n);
      expect((await totals(f, PROGRAMME)).returned).to.equal(50_000_00n);
      await expectConserved(f, PROGRAMME, holders);

      // 5. The village registers a beneficiary by key; rural affairs and civil affairs attest.
      await expect(relief.connect(village).registerBeneficiary(KEY_A, HOUSEHOLD_A))
        .to.emit(relief, "BeneficiaryRegistered")
        .withArgs(KEY_A, village.address, HOUSEHOLD_A);
      expect(fields(await relief.beneficiary(KEY_A))).to.deep.equal({
        village: village.address,
        attestations: 0n,
        registeredAt: BigInt(await networkHelpers.time.latest()),
      });
      expect(await relief.isEligible(PROGRAMME, KEY_A)).to.equal(false);
      await expect(relief.connect(ruralAffairs).attest(KEY_A, KIND.LIFTED_FROM_POVERTY, id("脱贫户认定")))
        .to.emit(relief, "Attested")
        .withArgs(KEY_A, KIND.LIFTED_FROM_POVERTY, ruralAffairs.address, id("脱贫户认定"));
      await expect(relief.connect(civilAffairs).attest(KEY_A, KIND.MINIMUM_LIVING_ALLOWANCE, id("低保证")))
        .to.emit(relief, "Attested")
        .withArgs(KEY_A, KIND.MINIMUM_LIVING_ALLOWANCE, civilAffairs.address, id("低保证"));
      expect((await relief.beneficiary(KEY_A)).attestations).to.equal(0b101n);
      expect(await relief.isEligible(PROGRAMME, KEY_A)).to.equal(true);

      // 6. The village proposes a payment: reserved, not yet disbursed.
      const d1 = disbursementIdOf(RecipientKind.Beneficiary, PROGRAMME, 1, KEY_A);
      expect(await relief.disbursementIdOf(RecipientKind.Beneficiary, PROGRAMME, 1, KEY_A)).to.equal(d1);
      expect(
        await relief.connect(village).proposeDisbursement.staticCall(PROGRAMME, 1, KEY_A, 1_500_00n, id("一卡通 1")),
      ).to.equal(d1);
      await expect(relief.connect(village).proposeDisbursement(PROGRAMME, 1, KEY_A, 1_500_00n, id("一卡通 1")))
        .to.emit(relief, "DisbursementProposed")
        .withArgs(d1, PROGRAMME, village.address, RecipientKind.Beneficiary, KEY_A, 1, 1_500_00n, id("一卡通 1"));
      expect(fields(await relief.disbursement(d1))).to.deep.equal({
        holder: village.address,
        amount: 1_500_00n,
        recipient: KEY_A,
        programmeSeq: 1n,
        period: 1n,
        kind: RecipientKind.Beneficiary,
        status: Disbursement.Proposed,
        decidedBy: ZeroAddress,
        paymentRefHash: id("一卡通 1"),
      });
      expect(await holding(f, PROGRAMME, village)).to.deep.equal(
        H({
          parent: ruralAffairs.address,
          available: 248_500_00n,
          received: 300_000_00n,
          reserved: 1_500_00n,
          returned: 50_000_00n,
        }),
      );
      expect((await totals(f, PROGRAMME)).disbursed).to.equal(0n);
      await expectConserved(f, PROGRAMME, holders);

      // 7. Rural affairs approves: the money counts as disbursed.
      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, d1))))
        .to.emit(relief, "DisbursementApproved")
        .withArgs(d1, PROGRAMME, ruralAffairs.address);
      const approved = await relief.disbursement(d1);
      expect([approved.status, approved.decidedBy]).to.deep.equal([Disbursement.Approved, ruralAffairs.address]);
      expect(await holding(f, PROGRAMME, village)).to.deep.equal(
        H({
          parent: ruralAffairs.address,
          available: 248_500_00n,
          received: 300_000_00n,
          disbursed: 1_500_00n,
          returned: 50_000_00n,
        }),
      );
      expect((await totals(f, PROGRAMME)).disbursed).to.equal(1_500_00n);
      await expectConserved(f, PROGRAMME, holders);

      // 8. Never twice for the same beneficiary and period, by whichever proposer.
      for (const who of [village, ruralAffairs]) {
        await expect(relief.connect(who).proposeDisbursement(PROGRAMME, 1, KEY_A, 1_000_00n, id("again")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerAlreadyPaid")
          .withArgs(d1, Disbursement.Approved);
      }
      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, d1))))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongDisbursementStatus")
        .withArgs(d1, Disbursement.Approved);
      await expect(relief.connect(ruralAffairs).rejectDisbursement(d1, id("late")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongDisbursementStatus")
        .withArgs(d1, Disbursement.Approved);
      expect((await totals(f, PROGRAMME)).disbursed).to.equal(1_500_00n);

      // 9. Period 2: a wrong amount is rejected, the reservation released, and a new proposal made.
      const d2 = await propose(f, village, 2, KEY_A, 2_000_00n);
      expect((await relief.holding(PROGRAMME, village)).reserved).to.equal(2_000_00n);
      await expect(relief.connect(ruralAffairs).rejectDisbursement(d2, id("金额有误")))
        .to.emit(relief, "DisbursementRejected")
        .withArgs(d2, PROGRAMME, ruralAffairs.address, id("金额有误"));
      let d = await relief.disbursement(d2);
      expect([d.status, d.decidedBy]).to.deep.equal([Disbursement.Rejected, ruralAffairs.address]);
      expect(await holding(f, PROGRAMME, village)).to.deep.equal(
        H({
          parent: ruralAffairs.address,
          available: 248_500_00n,
          received: 300_000_00n,
          disbursed: 1_500_00n,
          returned: 50_000_00n,
        }),
      );
      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, d2))))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongDisbursementStatus")
        .withArgs(d2, Disbursement.Rejected);
      await expect(relief.connect(village).proposeDisbursement(PROGRAMME, 2, KEY_A, 1_500_00n, id("一卡通 2b")))
        .to.emit(relief, "DisbursementProposed")
        .withArgs(d2, PROGRAMME, village.address, RecipientKind.Beneficiary, KEY_A, 2, 1_500_00n, id("一卡通 2b"));
      d = await relief.disbursement(d2);
      expect([d.status, d.amount, d.decidedBy]).to.deep.equal([Disbursement.Proposed, 1_500_00n, ZeroAddress]);
      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, d2)))).to.emit(
        relief,
        "DisbursementApproved",
      );
      expect((await relief.holding(PROGRAMME, village)).disbursed).to.equal(3_000_00n);
      expect((await totals(f, PROGRAMME)).disbursed).to.equal(3_000_00n);
      await expectConserved(f, PROGRAMME, holders);

      // 10. A project: created and funded by the village, paid per milestone (3 of 3万, fixed at creation),
      // accepted by rural affairs (the programme's approver).
      await expect(
        relief.connect(village).createProject(PROJECT_CODE, PROGRAMME, cooperative, 90_000_00n, 3, id("晾晒场")),
      )
        .to.emit(relief, "ProjectCreated")
        .withArgs(
          PROJECT,
          PROGRAMME,
          village.address,
          codeHash(PROJECT_CODE),
          PROJECT_CODE,
          cooperative.address,
          90_000_00n,
          3,
          id("晾晒场"),
        );
      expect(await relief.projectProgramme(PROJECT)).to.equal(PROGRAMME);
      await expect(relief.connect(village).fundProject(PROJECT, 80_000_00n, id("项目资金")))
        .to.emit(relief, "ProjectFunded")
        .withArgs(PROGRAMME, PROJECT, village.address, 3n, 80_000_00n, id("项目资金"));
      expect(await relief.allocationCount()).to.equal(3n);
      const projectState = {
        holder: village.address,
        budget: 90_000_00n,
        implementer: cooperative.address,
        funded: 80_000_00n,
        available: 80_000_00n,
        paid: 0n,
        milestoneCount: 3n,
        status: Project.Active,
        programmeSeq: 1n,
        reserved: 0n,
        returned: 0n,
        milestonesSubmitted: 0n,
        milestonesPaid: 0n,
      };
      expect(fields(await relief.project(PROJECT))).to.deep.equal(projectState);
      expect(await holding(f, PROGRAMME, village)).to.deep.equal(
        H({
          parent: ruralAffairs.address,
          available: 167_000_00n,
          received: 300_000_00n,
          allocated: 80_000_00n,
          disbursed: 3_000_00n,
          returned: 50_000_00n,
        }),
      );
      expect(await totals(f, PROGRAMME)).to.deep.equal({
        appropriated: 1_200_000_00n,
        allocated: 980_000_00n,
        disbursed: 3_000_00n,
        returned: 50_000_00n,
      });
      await expectConserved(f, PROGRAMME, holders, [PROJECT]);

      await expect(relief.connect(cooperative).submitMilestone(PROJECT, 0, id("地基完工")))
        .to.emit(relief, "MilestoneSubmitted")
        .withArgs(PROJECT, 0, cooperative.address, id("地基完工"));
      const p0 = disbursementIdOf(RecipientKind.Project, PROGRAMME, 0, PROJECT);
      await expect(relief.connect(village).proposeProjectPayment(PROJECT, 0, 30_000_00n, id("工程款 1")))
        .to.emit(relief, "DisbursementProposed")
        .withArgs(p0, PROGRAMME, village.address, RecipientKind.Project, PROJECT, 0, 30_000_00n, id("工程款 1"));
      expect(fields(await relief.project(PROJECT))).to.deep.equal({
        ...projectState,
        available: 50_000_00n,
        reserved: 30_000_00n,
        milestonesSubmitted: 1n,
      });
      await expectConserved(f, PROGRAMME, holders, [PROJECT]);
      await expect(relief.connect(ruralAffairs).acceptProject(PROJECT, id("验收")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerPaymentsPending")
        .withArgs(PROJECT, 30_000_00n);
      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, p0))))
        .to.emit(relief, "DisbursementApproved")
        .withArgs(p0, PROGRAMME, ruralAffairs.address);
      expect(fields(await relief.project(PROJECT))).to.deep.equal({
        ...projectState,
        available: 50_000_00n,
        paid: 30_000_00n,
        milestonesSubmitted: 1n,
        milestonesPaid: 1n,
      });
      expect((await totals(f, PROGRAMME)).disbursed).to.equal(33_000_00n);
      await expectConserved(f, PROGRAMME, holders, [PROJECT]);

      await send(relief.connect(cooperative).submitMilestone(PROJECT, 1, id("主体完工")));
      const p1 = disbursementIdOf(RecipientKind.Project, PROGRAMME, 1, PROJECT);
      await send(relief.connect(village).proposeProjectPayment(PROJECT, 1, 30_000_00n, id("工程款 2")));
      await send(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, p1))));
      expect(fields(await relief.project(PROJECT))).to.deep.equal({
        ...projectState,
        available: 20_000_00n,
        paid: 60_000_00n,
        milestonesSubmitted: 0b11n,
        milestonesPaid: 0b11n,
      });

      // Closed with milestone 3 never submitted: the 2万 left returns to the village. An inspector cannot close it.
      await expect(relief.connect(inspector).acceptProject(PROJECT, id("验收报告")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
        .withArgs(inspector.address, ROLE.RURAL_AFFAIRS);
      await expect(relief.connect(ruralAffairs).acceptProject(PROJECT, id("验收报告")))
        .to.emit(relief, "ProjectAccepted")
        .withArgs(PROJECT, ruralAffairs.address, 20_000_00n, id("验收报告"))
        .and.to.emit(relief, "FundsReturned")
        .withArgs(PROGRAMME, ledger, village.address, 20_000_00n, id("验收报告"));
      expect(fields(await relief.project(PROJECT))).to.deep.equal({
        ...projectState,
        available: 0n,
        paid: 60_000_00n,
        status: Project.Accepted,
        returned: 20_000_00n,
        milestonesSubmitted: 0b11n,
        milestonesPaid: 0b11n,
      });
      expect(await holding(f, PROGRAMME, village)).to.deep.equal(
        H({
          parent: ruralAffairs.address,
          available: 187_000_00n,
          received: 300_000_00n,
          allocated: 80_000_00n,
          disbursed: 3_000_00n,
          returned: 50_000_00n,
        }),
      );
      expect(await totals(f, PROGRAMME)).to.deep.equal({
        appropriated: 1_200_000_00n,
        allocated: 980_000_00n,
        disbursed: 63_000_00n,
        returned: 70_000_00n,
      });
      await expectConserved(f, PROGRAMME, holders, [PROJECT]);
      await expect(relief.connect(village).fundProject(PROJECT, 1n, id("more")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongProjectStatus")
        .withArgs(PROJECT, Project.Accepted);
      await expect(relief.connect(cooperative).submitMilestone(PROJECT, 2, id("late")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongProjectStatus")
        .withArgs(PROJECT, Project.Accepted);

      // 11. Usage receipts: the proposer for a beneficiary, the implementer for a project.
      await expect(relief.connect(village).recordUsage(d1, id("领取回执")))
        .to.emit(relief, "UsageRecorded")
        .withArgs(d1, village.address, id("领取回执"));
      await expect(relief.connect(cooperative).recordUsage(p0, id("发票")))
        .to.emit(relief, "UsageRecorded")
        .withArgs(p0, cooperative.address, id("发票"));
      await expect(relief.connect(village).recordUsage(p0, id("发票")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotRecipientSide")
        .withArgs(p0, village.address);
      await expect(relief.connect(cooperative).recordUsage(d1, id("回执")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotRecipientSide")
        .withArgs(d1, cooperative.address);

      // 12. The audit office records a finding, the village answers, the auditor closes it.
      expect(
        await relief.connect(audit).recordFinding.staticCall(TargetKind.Disbursement, d2, village, 2, id("审计发现")),
      ).to.equal(1n);
      await expect(relief.connect(audit).recordFinding(TargetKind.Disbursement, d2, village, 2, id("审计发现")))
        .to.emit(relief, "FindingRecorded")
        .withArgs(1n, d2, audit.address, TargetKind.Disbursement, village.address, 2, id("审计发现"));
      expect(fields(await relief.finding(1))).to.deep.equal({
        auditor: audit.address,
        severity: 2n,
        status: Finding.Open,
        targetKind: TargetKind.Disbursement,
        respondent: village.address,
        target: d2,
      });
      await expect(relief.connect(village).answerFinding(1, id("整改说明")))
        .to.emit(relief, "FindingAnswered")
        .withArgs(1n, village.address, id("整改说明"));
      expect((await relief.finding(1)).status).to.equal(Finding.Answered);
      await expect(relief.connect(audit).closeFinding(1, id("整改到位")))
        .to.emit(relief, "FindingClosed")
        .withArgs(1n, audit.address, id("整改到位"));
      expect((await relief.finding(1)).status).to.equal(Finding.Closed);
      expect(await relief.findingCount()).to.equal(1n);

      // Findings changed no money.
      expect(await totals(f, PROGRAMME)).to.deep.equal({
        appropriated: 1_200_000_00n,
        allocated: 980_000_00n,
        disbursed: 63_000_00n,
        returned: 70_000_00n,
      });
      await expectConserved(f, PROGRAMME, holders, [PROJECT]);
    });
  });

  describe("programmes", function () {
    it("are numbered in creation order, each with its own tree", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, finance, ruralAffairs } = f;
      await expect(
        relief.connect(finance).createProgramme(
          OTHER_CODE,
          terms({
            category: Category.Education,
            periods: 1,
            approverRole: ROLE.CIVIL_AFFAIRS,
            requiredAttestations: 0,
          }),
          id("教育资助"),
        ),
      )
        .to.emit(relief, "ProgrammeCreated")
        .withArgs(
          OTHER,
          finance.address,
          codeHash(OTHER_CODE),
          OTHER_CODE,
          Category.Education,
          2026,
          1,
          ROLE.CIVIL_AFFAIRS,
          0,
          BUDGET,
          CAP,
          id("教育资助"),
        );
      expect(await relief.programmeCount()).to.equal(2n);
      expect(await relief.programmeIdAt(2)).to.equal(OTHER);
      expect((await relief.programme(OTHER)).seq).to.equal(2n);
      expect(await holding(f, OTHER, finance)).to.deep.equal(H({ available: BUDGET }));
      // Rural affairs holds money of the first programme only.
      expect(await holding(f, OTHER, ruralAffairs)).to.deep.equal(NO_HOLDING);
      expect((await relief.programme(id("no such programme"))).seq).to.equal(0n);
    });

    it("are named by code within their creator: the signer's own id first, else the only one, else refused", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, finance, financeB, village, ruralAffairs, cooperative } = f;
      const d: Deployment = {
        chainId: f.chainId,
        addresses: f.addresses,
        manager: f.manager,
        registry: f.registry,
        relief,
      };
      const failure = (p: Promise<unknown>) =>
        p.then(
          () => "",
          (e: Error) => e.message,
        );
      // Another finance bureau creates the city's code: it gets its own id, the city's is untouched.
      await send(relief.connect(financeB).createProgramme(PROGRAMME_CODE, terms(), id("新会区预算")));
      const theirs = programmeIdOf(financeB.address, PROGRAMME_CODE);
      expect(theirs).to.not.equal(PROGRAMME);
      expect(await relief.programmeIdOf(financeB.address, PROGRAMME_CODE)).to.equal(theirs);
      expect((await relief.programme(PROGRAMME)).finance).to.equal(finance.address);
      expect((await relief.programme(theirs)).finance).to.equal(financeB.address);
      expect(await resolveProgramme(d, PROGRAMME_CODE, finance.address)).to.equal(PROGRAMME);
      expect(await resolveProgramme(d, ` ${PROGRAMME_CODE} `, financeB.address)).to.equal(theirs);
      expect(await resolveProgramme(d, PROGRAMME)).to.equal(PROGRAMME);
      expect(await failure(resolveProgramme(d, PROGRAMME_CODE))).to.match(
        /^2 finance bureaus have a programme JM-IND-2026: give its 0x id, one of /,
      );
      expect(await failure(resolveProgramme(d, OTHER_CODE))).to.equal(`no programme ${OTHER_CODE} on this chain`);
      // Projects likewise, by holder (ProjectCreated carries the code's hash in its data).
      await project(f, 0n);
      expect(await resolveProject(d, PROJECT_CODE)).to.equal(PROJECT);
      await send(
        relief.connect(ruralAffairs).createProject(PROJECT_CODE, PROGRAMME, cooperative, 1_000n, 1, id("meta")),
      );
      expect(await resolveProject(d, PROJECT_CODE, village.address)).to.equal(PROJECT);
      expect(await resolveProject(d, PROJECT_CODE, ruralAffairs.address)).to.equal(
        projectIdOf(ruralAffairs.address, PROJECT_CODE),
      );
      expect(await failure(resolveProject(d, PROJECT_CODE))).to.match(/^2 holders have a project FS-DRYING-2026/);
    });

    it("refuse bad terms, a code used by the same finance or not 1-64 bytes, no document and callers other than FINANCE", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, finance, ruralAffairs, village, stranger } = f;
      const create = (o: Partial<IReliefLedger.ProgrammeTermsStruct>, code = OTHER_CODE, doc = id("doc")) =>
        relief.connect(finance).createProgramme(code, terms(o), doc);

      await expect(create({}, "")).to.be.revertedWithCustomError(relief, "ReliefLedgerInvalidCode").withArgs(0);
      await expect(create({}, "x".repeat(65)))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerInvalidCode")
        .withArgs(65);
      await expect(create({}, OTHER_CODE, ZeroHash)).to.be.revertedWithCustomError(relief, "ReliefLedgerZeroHash");
      await expect(create({}, PROGRAMME_CODE))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerProgrammeExists")
        .withArgs(PROGRAMME);
      await expect(create({ budget: 0n })).to.be.revertedWithCustomError(relief, "ReliefLedgerZeroAmount");
      const invalid: [Partial<IReliefLedger.ProgrammeTermsStruct>, string][] = [
        [{ periods: 0 }, "periods"],
        [{ fiscalYear: 1999 }, "fiscalYear"],
        [{ fiscalYear: 3000 }, "fiscalYear"],
        [{ perBeneficiaryCap: 0n }, "perBeneficiaryCap"],
        [{ approverRole: 0 }, "approverRole"],
        [{ approverRole: ROLE.REGISTRAR }, "approverRole"],
      ];
      for (const [o, field] of invalid) {
        await expect(create(o), field)
          .to.be.revertedWithCustomError(relief, "ReliefLedgerInvalidTerms")
          .withArgs(field);
      }
      for (const kind of [5, 15]) {
        await expect(create({ requiredAttestations: LIFTED | (1 << kind) }))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownAttestation")
          .withArgs(kind);
      }
      for (const who of [ruralAffairs, village, stranger]) {
        await expect(relief.connect(who).createProgramme(OTHER_CODE, terms(), id("doc")))
          .to.be.revertedWithCustomError(relief, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
      // The bounds themselves are fine, and so is another finance bureau.
      await expect(create({ fiscalYear: 2000, periods: 1, requiredAttestations: 0b11111 })).to.emit(
        relief,
        "ProgrammeCreated",
      );
      await expect(
        relief.connect(f.financeB).createProgramme("XH-2999", terms({ fiscalYear: 2999 }), id("doc")),
      ).to.emit(relief, "ProgrammeCreated");
      expect(await relief.programmeCount()).to.equal(3n);
    });

    it("take further appropriations from their own finance only", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, finance, financeB, ruralAffairs } = f;
      await expect(relief.connect(financeB).appropriate(PROGRAMME, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotProgrammeFinance")
        .withArgs(PROGRAMME, financeB.address, finance.address);
      await expect(relief.connect(ruralAffairs).appropriate(PROGRAMME, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "AccessManagedUnauthorized")
        .withArgs(ruralAffairs.address);
      await expect(relief.connect(finance).appropriate(OTHER, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownProgramme")
        .withArgs(OTHER);
      await expect(relief.connect(finance).appropriate(PROGRAMME, 0n, id("doc"))).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroAmount",
      );
      await expect(relief.connect(finance).appropriate(PROGRAMME, 1n, ZeroHash)).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroHash",
      );
      const max = 2n ** 96n - 1n;
      await expect(relief.connect(finance).appropriate(PROGRAMME, max - BUDGET + 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerAmountTooLarge")
        .withArgs(max + 1n);
      await expect(relief.connect(finance).appropriate(PROGRAMME, max - BUDGET, id("doc"))).to.emit(
        relief,
        "Appropriated",
      );
      expect((await relief.programme(PROGRAMME)).appropriated).to.equal(max);
      expect((await relief.holding(PROGRAMME, finance)).available).to.equal(max - 600_000_00n);
    });
  });

  describe("allocation", function () {
    it("takes each holder's parent by its consent (or from the finance): later allocations must come from the same parent", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, finance, ruralAffairs, village, village2 } = f;
      await expect(relief.connect(finance).allocate(PROGRAMME, village, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotParent")
        .withArgs(PROGRAMME, village.address, ruralAffairs.address, finance.address);
      // The village passes money on to another village, which accepted it and is then below it.
      await expect(relief.connect(village).allocate(PROGRAMME, village2, 10_000_00n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerParentNotAccepted")
        .withArgs(PROGRAMME, village2.address, village.address);
      await send(relief.connect(village2).setParent(PROGRAMME, village2, village, id("接收资金确认")));
      await expect(relief.connect(village).allocate(PROGRAMME, village2, 10_000_00n, id("doc")))
        .to.emit(relief, "Allocated")
        .withArgs(PROGRAMME, village.address, village2.address, 3n, 10_000_00n, id("doc"));
      expect(await holding(f, PROGRAMME, village2)).to.deep.equal(
        H({ parent: village.address, available: 10_000_00n, received: 10_000_00n }),
      );
      for (const from of [ruralAffairs, finance]) {
        await expect(relief.connect(from).allocate(PROGRAMME, village2, 1n, id("doc")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerNotParent")
          .withArgs(PROGRAMME, village2.address, village.address, from.address);
      }
      // No way back up: rural affairs already has its parent.
      await expect(relief.connect(village).allocate(PROGRAMME, ruralAffairs, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotParent")
        .withArgs(PROGRAMME, ruralAffairs.address, finance.address, village.address);
      // The same parent allocates again.
      await send(relief.connect(ruralAffairs).allocate(PROGRAMME, village, 5_000_00n, id("doc")));
      expect(await holding(f, PROGRAMME, village)).to.deep.equal(
        H({
          parent: ruralAffairs.address,
          available: 295_000_00n,
          received: 305_000_00n,
          allocated: 10_000_00n,
        }),
      );
      expect(await totals(f, PROGRAMME)).to.deep.equal({
        appropriated: BUDGET,
        allocated: 915_000_00n,
        disbursed: 0n,
        returned: 0n,
      });
      expect(await relief.allocationCount()).to.equal(4n);
      await expectConserved(f, PROGRAMME, [finance, ruralAffairs, village, village2]);
    });

    it("refuses oneself, the root, organisations that cannot hold money, and more than the balance", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, finance, financeB, ruralAffairs, village, village2, cooperative, inspector } = f;
      await expect(relief.connect(ruralAffairs).allocate(PROGRAMME, ruralAffairs, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerSelfAllocation")
        .withArgs(PROGRAMME, ruralAffairs.address);
      for (const who of [ruralAffairs, village]) {
        await expect(relief.connect(who).allocate(PROGRAMME, finance, 1n, id("doc")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerSelfAllocation")
          .withArgs(PROGRAMME, finance.address);
      }
      for (const to of [cooperative, inspector, f.civilAffairs, f.charity, f.hospital, f.audit, f.stranger]) {
        await expect(relief.connect(finance).allocate(PROGRAMME, to, 1n, id("doc")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerNotHolder")
          .withArgs(to.address);
      }
      for (const from of [cooperative, inspector, f.civilAffairs, f.stranger]) {
        await expect(relief.connect(from).allocate(PROGRAMME, village2, 1n, id("doc")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerNotHolder")
          .withArgs(from.address);
      }
      await expect(relief.connect(village).allocate(PROGRAMME, village2, 300_000_00n + 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerInsufficientBalance")
        .withArgs(PROGRAMME, village.address, 300_000_00n, 300_000_00n + 1n);
      await expect(relief.connect(village).allocate(PROGRAMME, village2, 0n, id("doc"))).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroAmount",
      );
      // Another finance bureau holds nothing of this programme.
      await expect(relief.connect(financeB).allocate(PROGRAMME, village2, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerInsufficientBalance")
        .withArgs(PROGRAMME, financeB.address, 0n, 1n);
      await expect(relief.connect(finance).allocate(OTHER, village2, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownProgramme")
        .withArgs(OTHER);

      // Money of one programme cannot be spent under another.
      await send(relief.connect(finance).createProgramme(OTHER_CODE, terms(), id("doc")));
      await expect(relief.connect(ruralAffairs).allocate(OTHER, village, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerInsufficientBalance")
        .withArgs(OTHER, ruralAffairs.address, 0n, 1n);
      await expect(relief.connect(village).returnFunds(OTHER, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerInsufficientBalance")
        .withArgs(OTHER, village.address, 0n, 1n);
      expect(await relief.allocationCount()).to.equal(2n);
    });

    it("returns unused money to the parent only; the root has nothing above it", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, finance, ruralAffairs, village, village2, cooperative } = f;
      await expect(relief.connect(ruralAffairs).returnFunds(PROGRAMME, 100_000_00n, id("结余")))
        .to.emit(relief, "FundsReturned")
        .withArgs(PROGRAMME, ruralAffairs.address, finance.address, 100_000_00n, id("结余"));
      expect(await holding(f, PROGRAMME, ruralAffairs)).to.deep.equal(
        H({
          parent: finance.address,
          available: 200_000_00n,
          received: 600_000_00n,
          allocated: 300_000_00n,
          returned: 100_000_00n,
        }),
      );
      expect(await holding(f, PROGRAMME, finance)).to.deep.equal(H({ available: 500_000_00n, allocated: 600_000_00n }));
      expect((await totals(f, PROGRAMME)).returned).to.equal(100_000_00n);

      await expect(relief.connect(finance).returnFunds(PROGRAMME, 1n, id("结余")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerRootCannotReturn")
        .withArgs(PROGRAMME, finance.address);
      await expect(relief.connect(village).returnFunds(PROGRAMME, 300_000_00n + 1n, id("结余")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerInsufficientBalance")
        .withArgs(PROGRAMME, village.address, 300_000_00n, 300_000_00n + 1n);
      await expect(relief.connect(village2).returnFunds(PROGRAMME, 1n, id("结余")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerInsufficientBalance")
        .withArgs(PROGRAMME, village2.address, 0n, 1n);
      await expect(relief.connect(village).returnFunds(PROGRAMME, 0n, id("结余"))).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroAmount",
      );
      await expect(relief.connect(village).returnFunds(PROGRAMME, 1n, ZeroHash)).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroHash",
      );
      await expect(relief.connect(cooperative).returnFunds(PROGRAMME, 1n, id("结余")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotHolder")
        .withArgs(cooperative.address);
      // Everything returns: the village is left with nothing, its parent with all of it.
      await send(relief.connect(village).returnFunds(PROGRAMME, 300_000_00n, id("项目取消")));
      expect((await relief.holding(PROGRAMME, village)).available).to.equal(0n);
      expect((await relief.holding(PROGRAMME, ruralAffairs)).available).to.equal(500_000_00n);
      expect((await totals(f, PROGRAMME)).returned).to.equal(400_000_00n);
      await expectConserved(f, PROGRAMME, [finance, ruralAffairs, village]);
    });
  });

  describe("beneficiaries", function () {
    it("are registered once, by a village, under the keyed hash of the ID number", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, village, village2, ruralAffairs, civilAffairs } = f;
      await expect(relief.connect(village2).registerBeneficiary(KEY_C, householdHash(SECRET, "莘村/0001")))
        .to.emit(relief, "BeneficiaryRegistered")
        .withArgs(KEY_C, village2.address, householdHash(SECRET, "莘村/0001"));
      expect((await relief.beneficiary(KEY_C)).village).to.equal(village2.address);
      // The same person written with full-width digits is the same key: registered already.
      const fullWidth = ID_A.replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x30 + 0xff10));
      expect(beneficiaryKey(SECRET, fullWidth)).to.equal(KEY_A);
      for (const who of [village, village2]) {
        await expect(relief.connect(who).registerBeneficiary(beneficiaryKey(SECRET, fullWidth), HOUSEHOLD_A))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerBeneficiaryExists")
          .withArgs(KEY_A, village.address);
      }
      await expect(relief.connect(village).registerBeneficiary(ZeroHash, HOUSEHOLD_A)).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroId",
      );
      await expect(
        relief.connect(village).registerBeneficiary(id("another key"), ZeroHash),
      ).to.be.revertedWithCustomError(relief, "ReliefLedgerZeroHash");
      for (const who of [ruralAffairs, civilAffairs, f.stranger]) {
        await expect(relief.connect(who).registerBeneficiary(id("another key"), HOUSEHOLD_A))
          .to.be.revertedWithCustomError(relief, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
      expect(fields(await relief.beneficiary(id("another key")))).to.deep.equal({
        village: ZeroAddress,
        attestations: 0n,
        registeredAt: 0n,
      });
      expect(await relief.isEligible(PROGRAMME, id("another key"))).to.equal(false);
    });

    it("hold attestations of the departments each fact belongs to, who may revoke them", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, ruralAffairs, civilAffairs, village } = f;
      await expect(relief.connect(civilAffairs).attest(KEY_B, KIND.EXTREME_HARDSHIP, id("特困")))
        .to.emit(relief, "Attested")
        .withArgs(KEY_B, KIND.EXTREME_HARDSHIP, civilAffairs.address, id("特困"));
      await expect(relief.connect(ruralAffairs).attest(KEY_B, KIND.MONITORED_HOUSEHOLD, id("监测")))
        .to.emit(relief, "Attested")
        .withArgs(KEY_B, KIND.MONITORED_HOUSEHOLD, ruralAffairs.address, id("监测"));
      expect((await relief.beneficiary(KEY_B)).attestations).to.equal(0b1010n);
      expect(await relief.isEligible(PROGRAMME, KEY_B)).to.equal(false); // needs lifted from poverty

      // Each fact from its own department only.
      await expect(relief.connect(ruralAffairs).attest(KEY_B, KIND.MINIMUM_LIVING_ALLOWANCE, id("低保")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
        .withArgs(ruralAffairs.address, ROLE.CIVIL_AFFAIRS);
      for (const who of [civilAffairs, village, f.stranger]) {
        await expect(relief.connect(who).attest(KEY_B, KIND.LIFTED_FROM_POVERTY, id("脱贫")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
          .withArgs(who.address, ROLE.RURAL_AFFAIRS);
      }
      await expect(relief.connect(civilAffairs).attest(KEY_B, KIND.EXTREME_HARDSHIP, id("again")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerAlreadyAttested")
        .withArgs(KEY_B, KIND.EXTREME_HARDSHIP);
      await expect(relief.connect(civilAffairs).attest(KEY_C, KIND.EXTREME_HARDSHIP, id("特困")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownBeneficiary")
        .withArgs(KEY_C);
      for (const kind of [5, 15, 16, 255]) {
        await expect(relief.connect(civilAffairs).attest(KEY_B, kind, id("?")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownAttestation")
          .withArgs(kind);
      }
      await expect(
        relief.connect(civilAffairs).attest(KEY_B, KIND.LOW_INCOME_HOUSEHOLD, ZeroHash),
      ).to.be.revertedWithCustomError(relief, "ReliefLedgerZeroHash");

      // Revoked by the attester role; then it can be attested again.
      await expect(relief.connect(ruralAffairs).revokeAttestation(KEY_A, KIND.LIFTED_FROM_POVERTY, id("返贫")))
        .to.emit(relief, "AttestationRevoked")
        .withArgs(KEY_A, KIND.LIFTED_FROM_POVERTY, ruralAffairs.address, id("返贫"));
      expect((await relief.beneficiary(KEY_A)).attestations).to.equal(0n);
      expect(await relief.isEligible(PROGRAMME, KEY_A)).to.equal(false);
      await expect(relief.connect(ruralAffairs).revokeAttestation(KEY_A, KIND.LIFTED_FROM_POVERTY, id("again")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotAttested")
        .withArgs(KEY_A, KIND.LIFTED_FROM_POVERTY);
      await expect(relief.connect(civilAffairs).revokeAttestation(KEY_B, KIND.MONITORED_HOUSEHOLD, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
        .withArgs(civilAffairs.address, ROLE.RURAL_AFFAIRS);
      await expect(
        relief.connect(ruralAffairs).revokeAttestation(KEY_B, KIND.MONITORED_HOUSEHOLD, ZeroHash),
      ).to.be.revertedWithCustomError(relief, "ReliefLedgerZeroHash");
      await send(relief.connect(ruralAffairs).attest(KEY_A, KIND.LIFTED_FROM_POVERTY, id("重新认定")));
      expect(await relief.isEligible(PROGRAMME, KEY_A)).to.equal(true);
      expect(await relief.isEligible(OTHER, KEY_A)).to.equal(false); // no such programme
    });

    it("take new attestation kinds, or a new attester for a kind, from governance", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, admin, ruralAffairs, civilAffairs, audit } = f;
      // Governance is the council: each definition is scheduled, waits out the delay, and is executed.
      const define = (kind: number, role: bigint, hash: string) =>
        f.council.act(f.ledger, relief.interface.encodeFunctionData("defineAttestation", [kind, role, hash]));
      const defined = await define(5, ROLE.CIVIL_AFFAIRS, id("残疾人"));
      const events = await relief.queryFilter(
        relief.filters.AttestationDefined(),
        defined.blockNumber,
        defined.blockNumber,
      );
      expect(events.map((e) => [...e.args])).to.deep.equal([[5n, ROLE.CIVIL_AFFAIRS, id("残疾人")]]);
      expect(await relief.attesterRole(5)).to.equal(ROLE.CIVIL_AFFAIRS);
      await expect(relief.connect(civilAffairs).attest(KEY_B, 5, id("残疾证"))).to.emit(relief, "Attested");
      // Lifted from poverty now comes from civil affairs: the bit already held stays.
      await define(KIND.LIFTED_FROM_POVERTY, ROLE.CIVIL_AFFAIRS, id("v2"));
      expect(await relief.isEligible(PROGRAMME, KEY_A)).to.equal(true);
      await expect(relief.connect(ruralAffairs).revokeAttestation(KEY_A, KIND.LIFTED_FROM_POVERTY, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
        .withArgs(ruralAffairs.address, ROLE.CIVIL_AFFAIRS);
      await expect(relief.connect(civilAffairs).revokeAttestation(KEY_A, KIND.LIFTED_FROM_POVERTY, id("x"))).to.emit(
        relief,
        "AttestationRevoked",
      );

      // What the council would be refused, probed from its address.
      await expect(relief.connect(admin).defineAttestation.staticCall(16, ROLE.CIVIL_AFFAIRS, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownAttestation")
        .withArgs(16);
      for (const role of [0n, ROLE.REGISTRAR, 200n]) {
        await expect(relief.connect(admin).defineAttestation.staticCall(6, role, id("x")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerInvalidTerms")
          .withArgs("attesterRole");
      }
      await expect(
        relief.connect(admin).defineAttestation.staticCall(6, ROLE.CIVIL_AFFAIRS, ZeroHash),
      ).to.be.revertedWithCustomError(relief, "ReliefLedgerZeroHash");
      for (const who of [civilAffairs, ruralAffairs, audit]) {
        await expect(relief.connect(who).defineAttestation(6, ROLE.CIVIL_AFFAIRS, id("x")))
          .to.be.revertedWithCustomError(relief, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
    });
  });

  describe("disbursements", function () {
    it("are proposed by the beneficiary's village or its parent, and need an approver other than the proposer", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, finance, ruralAffairs, village, village2, civilAffairs } = f;
      // Rural affairs, the village's parent, proposes: the money is reserved from its own balance.
      const d1 = await propose(f, ruralAffairs, 1);
      expect((await relief.disbursement(d1)).holder).to.equal(ruralAffairs.address);
      expect(await holding(f, PROGRAMME, ruralAffairs)).to.deep.equal(
        H({
          parent: finance.address,
          available: 300_000_00n - 1_500_00n,
          received: 600_000_00n,
          allocated: 300_000_00n,
          reserved: 1_500_00n,
        }),
      );
      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, d1))))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerSelfApproval")
        .withArgs(d1, ruralAffairs.address);
      for (const who of [village, civilAffairs, finance, f.stranger]) {
        await expect(relief.connect(who).approveDisbursement(...(await reviewed(relief, d1))))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
          .withArgs(who.address, ROLE.RURAL_AFFAIRS);
      }
      // Neither the finance (not the village's parent) nor another village may propose.
      for (const who of [finance, village2]) {
        await expect(relief.connect(who).proposeDisbursement(PROGRAMME, 2, KEY_A, 1n, id("ref")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerNotBeneficiaryVillage")
          .withArgs(KEY_A, village.address, who.address);
      }
      await expect(relief.connect(f.cooperative).proposeDisbursement(PROGRAMME, 2, KEY_A, 1n, id("ref")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotHolder")
        .withArgs(f.cooperative.address);
      const unknown = disbursementIdOf(RecipientKind.Beneficiary, PROGRAMME, 9, KEY_A);
      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, unknown))))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownDisbursement")
        .withArgs(unknown);
      await expect(relief.connect(ruralAffairs).rejectDisbursement(unknown, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownDisbursement")
        .withArgs(unknown);
      expect(fields(await relief.disbursement(unknown))).to.deep.include({
        status: Disbursement.None,
        holder: ZeroAddress,
      });

      // An approver in a programme approved by civil affairs.
      await send(
        relief.connect(finance).createProgramme(OTHER_CODE, terms({ approverRole: ROLE.CIVIL_AFFAIRS }), id("doc")),
      );
      await send(relief.connect(finance).allocate(OTHER, village, 10_000_00n, id("doc")));
      const o1 = await propose(f, village, 1, KEY_A, 1_000_00n, OTHER);
      expect(o1).to.not.equal(d1);
      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, o1))))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
        .withArgs(ruralAffairs.address, ROLE.CIVIL_AFFAIRS);
      await expect(relief.connect(civilAffairs).approveDisbursement(...(await reviewed(relief, o1))))
        .to.emit(relief, "DisbursementApproved")
        .withArgs(o1, OTHER, civilAffairs.address);
      expect(await holding(f, OTHER, village)).to.deep.equal(
        H({ parent: finance.address, available: 9_000_00n, received: 10_000_00n, disbursed: 1_000_00n }),
      );
      expect(await holding(f, OTHER, ruralAffairs)).to.deep.equal(NO_HOLDING);
      expect((await totals(f, OTHER)).disbursed).to.equal(1_000_00n);
      expect((await totals(f, PROGRAMME)).disbursed).to.equal(0n);
    });

    it("are paid once per beneficiary and period; a rejected or withdrawn one may be proposed again", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, ruralAffairs, village, village2, civilAffairs } = f;
      const d1 = await propose(f, village, 1);
      for (const who of [village, ruralAffairs]) {
        await expect(relief.connect(who).proposeDisbursement(PROGRAMME, 1, KEY_A, 1_000_00n, id("again")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerAlreadyPaid")
          .withArgs(d1, Disbursement.Proposed);
      }
      // Other periods are other payments.
      const d2 = await propose(f, village, 2);
      const d12 = await propose(f, village, 12);
      expect(new Set([d1, d2, d12]).size).to.equal(3);
      expect((await relief.holding(PROGRAMME, village)).reserved).to.equal(4_500_00n);

      // Only an approver or the proposer decides.
      for (const who of [village2, civilAffairs, f.stranger]) {
        await expect(relief.connect(who).rejectDisbursement(d1, id("x")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
          .withArgs(who.address, ROLE.RURAL_AFFAIRS);
      }
      await expect(relief.connect(village).rejectDisbursement(d1, ZeroHash)).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroHash",
      );
      // The proposer withdraws; its parent proposes again, another amount, from its own balance.
      await expect(relief.connect(village).rejectDisbursement(d1, id("撤回")))
        .to.emit(relief, "DisbursementRejected")
        .withArgs(d1, PROGRAMME, village.address, id("撤回"));
      expect((await relief.disbursement(d1)).decidedBy).to.equal(village.address);
      expect(await holding(f, PROGRAMME, village)).to.deep.include({ available: 297_000_00n, reserved: 3_000_00n });
      await expect(relief.connect(ruralAffairs).proposeDisbursement(PROGRAMME, 1, KEY_A, 1_800_00n, id("改")))
        .to.emit(relief, "DisbursementProposed")
        .withArgs(d1, PROGRAMME, ruralAffairs.address, RecipientKind.Beneficiary, KEY_A, 1, 1_800_00n, id("改"));
      expect(fields(await relief.disbursement(d1))).to.deep.equal({
        holder: ruralAffairs.address,
        amount: 1_800_00n,
        recipient: KEY_A,
        programmeSeq: 1n,
        period: 1n,
        kind: RecipientKind.Beneficiary,
        status: Disbursement.Proposed,
        decidedBy: ZeroAddress,
        paymentRefHash: id("改"),
      });
      expect(await holding(f, PROGRAMME, ruralAffairs)).to.deep.include({
        available: 300_000_00n - 1_800_00n,
        reserved: 1_800_00n,
      });
      // The village, not an approver and no longer the proposer, cannot withdraw it now.
      await expect(relief.connect(village).rejectDisbursement(d1, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
        .withArgs(village.address, ROLE.RURAL_AFFAIRS);
      await expect(relief.connect(ruralAffairs).rejectDisbursement(d1, id("撤回"))).to.emit(
        relief,
        "DisbursementRejected",
      );
      expect(await holding(f, PROGRAMME, ruralAffairs)).to.deep.include({ available: 300_000_00n, reserved: 0n });
      await expectConserved(f, PROGRAMME, [f.finance, ruralAffairs, village]);
      // Once approved, no more.
      await send(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, d2))));
      await expect(relief.connect(village).proposeDisbursement(PROGRAMME, 2, KEY_A, 1n, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerAlreadyPaid")
        .withArgs(d2, Disbursement.Approved);
      // The same person under another programme is another payment.
      await send(relief.connect(f.finance).createProgramme(OTHER_CODE, terms(), id("doc")));
      await send(relief.connect(f.finance).allocate(OTHER, village, 10_000_00n, id("doc")));
      await expect(relief.connect(village).proposeDisbursement(OTHER, 2, KEY_A, 1_500_00n, id("ref"))).to.emit(
        relief,
        "DisbursementProposed",
      );
    });

    it("go only to an eligible beneficiary, within the cap, the periods and the balance, checked again at approval", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, ruralAffairs, village, village2 } = f;
      const proposeFrom = (who: Signer, period: number, key: string, amount: bigint, ref = id("ref")) =>
        relief.connect(who).proposeDisbursement(PROGRAMME, period, key, amount, ref);
      await expect(proposeFrom(village, 1, KEY_B, 1_000_00n))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotEligible")
        .withArgs(PROGRAMME, KEY_B, LIFTED, 0);
      await expect(proposeFrom(village, 1, KEY_C, 1_000_00n))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownBeneficiary")
        .withArgs(KEY_C);
      await expect(proposeFrom(village, 1, KEY_A, CAP + 1n))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerOverCap")
        .withArgs(PROGRAMME, CAP + 1n, CAP);
      for (const period of [0, 13]) {
        await expect(proposeFrom(village, period, KEY_A, 1_000_00n))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerInvalidPeriod")
          .withArgs(PROGRAMME, period, 12);
      }
      await expect(proposeFrom(village, 1, KEY_A, 0n)).to.be.revertedWithCustomError(relief, "ReliefLedgerZeroAmount");
      await expect(proposeFrom(village, 1, KEY_A, 1n, ZeroHash)).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroHash",
      );
      await expect(relief.connect(village).proposeDisbursement(OTHER, 1, KEY_A, 1n, id("ref")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownProgramme")
        .withArgs(OTHER);
      // A village of its own beneficiary, without money in the programme.
      await send(relief.connect(village2).registerBeneficiary(KEY_C, householdHash(SECRET, "莘村/0001")));
      await send(relief.connect(ruralAffairs).attest(KEY_C, KIND.LIFTED_FROM_POVERTY, id("脱贫")));
      await expect(proposeFrom(village2, 1, KEY_C, 1_000_00n))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerInsufficientBalance")
        .withArgs(PROGRAMME, village2.address, 0n, 1_000_00n);

      // At the cap exactly; the attestation is revoked before approval: refused, still proposed.
      const d1 = await propose(f, village, 1, KEY_A, CAP);
      await send(relief.connect(ruralAffairs).revokeAttestation(KEY_A, KIND.LIFTED_FROM_POVERTY, id("返贫")));
      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, d1))))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotEligible")
        .withArgs(PROGRAMME, KEY_A, LIFTED, 0);
      expect((await relief.disbursement(d1)).status).to.equal(Disbursement.Proposed);
      await send(relief.connect(ruralAffairs).attest(KEY_A, KIND.LIFTED_FROM_POVERTY, id("重新认定")));
      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, d1)))).to.emit(
        relief,
        "DisbursementApproved",
      );
      expect((await totals(f, PROGRAMME)).disbursed).to.equal(CAP);

      // A programme requiring nothing pays any registered beneficiary.
      await send(relief.connect(f.finance).createProgramme(OTHER_CODE, terms({ requiredAttestations: 0 }), id("doc")));
      await send(relief.connect(f.finance).allocate(OTHER, village, 10_000_00n, id("doc")));
      expect(await relief.isEligible(OTHER, KEY_B)).to.equal(true);
      await expect(relief.connect(village).proposeDisbursement(OTHER, 1, KEY_B, 1_000_00n, id("ref"))).to.emit(
        relief,
        "DisbursementProposed",
      );
    });

    it("take usage receipts from the proposer, for approved disbursements only", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, ruralAffairs, village } = f;
      const d1 = await propose(f, ruralAffairs, 1);
      await expect(relief.connect(ruralAffairs).recordUsage(d1, id("回执")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongDisbursementStatus")
        .withArgs(d1, Disbursement.Proposed);
      const d2 = await propose(f, village, 2);
      await send(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, d2))));
      await expect(relief.connect(village).recordUsage(d2, id("回执")))
        .to.emit(relief, "UsageRecorded")
        .withArgs(d2, village.address, id("回执"));
      await expect(relief.connect(village).recordUsage(d2, id("回执 2")))
        .to.emit(relief, "UsageRecorded")
        .withArgs(d2, village.address, id("回执 2"));
      for (const who of [ruralAffairs, f.village2, f.stranger]) {
        await expect(relief.connect(who).recordUsage(d2, id("回执")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerNotRecipientSide")
          .withArgs(d2, who.address);
      }
      await expect(relief.connect(village).recordUsage(d2, ZeroHash)).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroHash",
      );
      await send(relief.connect(ruralAffairs).rejectDisbursement(d1, id("x")));
      await expect(relief.connect(ruralAffairs).recordUsage(d1, id("回执")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongDisbursementStatus")
        .withArgs(d1, Disbursement.Rejected);
      const unknown = id("no such disbursement");
      await expect(relief.connect(village).recordUsage(unknown, id("回执")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownDisbursement")
        .withArgs(unknown);
    });
  });

  describe("projects", function () {
    it("are created by a holder of the programme for an active village, producer or recipient", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, finance, ruralAffairs, village, village2, cooperative, hospital } = f;
      const create = (who: Signer, code: string, implementer: Signer | string, budget = 1_000n, milestones = 1) =>
        relief.connect(who).createProject(code, PROGRAMME, implementer, budget, milestones, id("meta"));
      // The root, rural affairs and the village hold money of the programme; the implementers vary.
      await expect(create(finance, "p1", hospital))
        .to.emit(relief, "ProjectCreated")
        .withArgs(
          projectIdOf(finance.address, "p1"),
          PROGRAMME,
          finance.address,
          codeHash("p1"),
          "p1",
          hospital.address,
          1_000n,
          1,
          id("meta"),
        );
      await expect(create(ruralAffairs, "p2", village2)).to.emit(relief, "ProjectCreated");
      await expect(create(village, "p3", cooperative, 1_000n, 32)).to.emit(relief, "ProjectCreated");
      expect((await relief.project(projectIdOf(village.address, "p3"))).milestoneCount).to.equal(32n);
      expect(await relief.projectIdOf(village.address, "p3")).to.equal(projectIdOf(village.address, "p3"));

      // Another village holds nothing of it, nor does another finance bureau.
      for (const who of [village2, f.financeB]) {
        await expect(create(who, "p4", cooperative))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerNotHolder")
          .withArgs(who.address);
      }
      await expect(create(cooperative, "p4", cooperative))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotHolder")
        .withArgs(cooperative.address);
      for (const implementer of [ruralAffairs, finance, f.inspector, f.charity, f.stranger]) {
        await expect(create(village, "p4", implementer))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerNotImplementer")
          .withArgs(implementer.address);
      }
      // A holder uses a code once; the code 1 to 64 bytes.
      await expect(create(village, "p3", cooperative))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerProjectExists")
        .withArgs(projectIdOf(village.address, "p3"));
      await expect(create(village, "", cooperative))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerInvalidCode")
        .withArgs(0);
      await expect(
        relief.connect(village).createProject("p4", PROGRAMME, cooperative, 1_000n, 1, ZeroHash),
      ).to.be.revertedWithCustomError(relief, "ReliefLedgerZeroHash");
      await expect(create(village, "p4", cooperative, 0n)).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroAmount",
      );
      for (const milestones of [0, 33]) {
        await expect(create(village, "p4", cooperative, 1_000n, milestones))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerInvalidTerms")
          .withArgs("milestoneCount");
      }
      await expect(relief.connect(village).createProject("p4", OTHER, cooperative, 1n, 1, id("meta")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownProgramme")
        .withArgs(OTHER);
      expect(await relief.projectProgramme(projectIdOf(village.address, "p4"))).to.equal(ZeroHash);
      expect((await relief.project(projectIdOf(village.address, "p4"))).status).to.equal(Project.None);
    });

    it("are funded by their holder up to the budget, and paid per submitted milestone", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, ruralAffairs, village, cooperative, ledger } = f;
      await project(f, 0n);
      await expect(relief.connect(ruralAffairs).fundProject(PROJECT, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotProjectHolder")
        .withArgs(PROJECT, village.address, ruralAffairs.address);
      await send(relief.connect(village).fundProject(PROJECT, 60_000_00n, id("doc")));
      await expect(relief.connect(village).fundProject(PROJECT, 40_000_00n + 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerOverBudget")
        .withArgs(PROJECT, 100_000_00n, 100_000_00n + 1n);
      await expect(relief.connect(village).fundProject(PROJECT, 40_000_00n, id("doc")))
        .to.emit(relief, "ProjectFunded")
        .withArgs(PROGRAMME, PROJECT, village.address, 4n, 40_000_00n, id("doc"));
      expect(fields(await relief.project(PROJECT))).to.deep.include({ funded: 100_000_00n, available: 100_000_00n });
      await expect(relief.connect(village).fundProject(PROJECT, 0n, id("doc"))).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroAmount",
      );
      const unknown = id("no such project");
      await expect(relief.connect(village).fundProject(unknown, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownProject")
        .withArgs(unknown);

      // Milestones: by the implementer, in range, once, with evidence.
      for (const who of [village, ruralAffairs, f.stranger]) {
        await expect(relief.connect(who).submitMilestone(PROJECT, 0, id("evidence")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerNotProjectImplementer")
          .withArgs(PROJECT, cooperative.address, who.address);
      }
      await expect(relief.connect(cooperative).submitMilestone(PROJECT, 3, id("evidence")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerInvalidMilestone")
        .withArgs(PROJECT, 3, 3);
      await expect(relief.connect(cooperative).submitMilestone(PROJECT, 0, ZeroHash)).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroHash",
      );
      await send(relief.connect(cooperative).submitMilestone(PROJECT, 2, id("evidence")));
      await expect(relief.connect(cooperative).submitMilestone(PROJECT, 2, id("evidence")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerMilestoneSubmitted")
        .withArgs(PROJECT, 2);
      expect((await relief.project(PROJECT)).milestonesSubmitted).to.equal(0b100n);

      // Payments: by the holder, for a submitted milestone, from the project's balance, once.
      const pay = (index: number, amount: bigint, who: Signer = village, ref = id("ref")) =>
        relief.connect(who).proposeProjectPayment(PROJECT, index, amount, ref);
      await expect(pay(0, 1n))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerMilestoneNotSubmitted")
        .withArgs(PROJECT, 0);
      await expect(pay(3, 1n))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerInvalidMilestone")
        .withArgs(PROJECT, 3, 3);
      await expect(pay(2, 1n, ruralAffairs))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotProjectHolder")
        .withArgs(PROJECT, village.address, ruralAffairs.address);
      // Milestone amounts are fixed at creation: 10万 in 3, the last taking the remainder.
      const m2 = 33_333_34n;
      expect(await relief.milestoneAmount(PROJECT, 0)).to.equal(33_333_33n);
      expect(await relief.milestoneAmount(PROJECT, 2)).to.equal(m2);
      for (const amount of [0n, 1n, 100_000_00n + 1n]) {
        await expect(pay(2, amount))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerMilestoneAmount")
          .withArgs(PROJECT, 2, m2, amount);
      }
      await expect(pay(2, m2, village, ZeroHash)).to.be.revertedWithCustomError(relief, "ReliefLedgerZeroHash");
      const p2 = disbursementIdOf(RecipientKind.Project, PROGRAMME, 2, PROJECT);
      expect(await relief.connect(village).proposeProjectPayment.staticCall(PROJECT, 2, m2, id("ref"))).to.equal(p2);
      await send(pay(2, m2));
      await expect(pay(2, m2))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerAlreadyPaid")
        .withArgs(p2, Disbursement.Proposed);
      expect(fields(await relief.disbursement(p2))).to.deep.equal({
        holder: village.address,
        amount: m2,
        recipient: PROJECT,
        programmeSeq: 1n,
        period: 2n,
        kind: RecipientKind.Project,
        status: Disbursement.Proposed,
        decidedBy: ZeroAddress,
        paymentRefHash: id("ref"),
      });
      // Rejected: the money goes back to the project, not to the village.
      const villageBefore = await holding(f, PROGRAMME, village);
      await expect(relief.connect(ruralAffairs).rejectDisbursement(p2, id("证据不足")))
        .to.emit(relief, "DisbursementRejected")
        .withArgs(p2, PROGRAMME, ruralAffairs.address, id("证据不足"));
      expect(fields(await relief.project(PROJECT))).to.deep.include({ available: 100_000_00n, reserved: 0n, paid: 0n });
      expect(await holding(f, PROGRAMME, village)).to.deep.equal(villageBefore);
      await send(pay(2, m2, village, id("ref 2")));
      await expect(relief.connect(village).approveDisbursement(...(await reviewed(relief, p2))))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
        .withArgs(village.address, ROLE.RURAL_AFFAIRS);
      await send(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, p2))));
      expect(fields(await relief.project(PROJECT))).to.deep.include({
        available: 100_000_00n - m2,
        reserved: 0n,
        paid: m2,
        milestonesPaid: 0b100n,
      });
      expect(await holding(f, PROGRAMME, village)).to.deep.equal(villageBefore);
      expect((await totals(f, PROGRAMME)).disbursed).to.equal(m2);
      await expectConserved(f, PROGRAMME, [f.finance, ruralAffairs, village], [PROJECT]);
    });

    it("are accepted by the programme's approver with no payment pending nor submitted milestone unpaid, returning what is left", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, ruralAffairs, village, cooperative, inspector, ledger } = f;
      const m0 = 33_333_33n; // 10万 in 3 milestones
      await project(f, m0);
      await send(relief.connect(cooperative).submitMilestone(PROJECT, 0, id("evidence")));
      await expect(relief.connect(ruralAffairs).acceptProject(PROJECT, id("report")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerMilestoneUnpaid")
        .withArgs(PROJECT, 0);
      await send(relief.connect(village).proposeProjectPayment(PROJECT, 0, m0, id("ref")));
      for (const who of [village, cooperative, f.finance, f.regulator, f.stranger, inspector]) {
        await expect(relief.connect(who).acceptProject(PROJECT, id("report")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
          .withArgs(who.address, ROLE.RURAL_AFFAIRS);
      }
      await expect(relief.connect(ruralAffairs).acceptProject(PROJECT, id("report")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerPaymentsPending")
        .withArgs(PROJECT, m0);
      await send(
        relief
          .connect(ruralAffairs)
          .approveDisbursement(
            ...(await reviewed(relief, disbursementIdOf(RecipientKind.Project, PROGRAMME, 0, PROJECT))),
          ),
      );
      await expect(relief.connect(ruralAffairs).acceptProject(PROJECT, ZeroHash)).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroHash",
      );
      // Fully spent: nothing returns, and no FundsReturned.
      const villageBefore = await holding(f, PROGRAMME, village);
      const accepted = relief.connect(ruralAffairs).acceptProject(PROJECT, id("report"));
      await expect(accepted)
        .to.emit(relief, "ProjectAccepted")
        .withArgs(PROJECT, ruralAffairs.address, 0n, id("report"));
      await expect(accepted).not.to.emit(relief, "FundsReturned");
      expect(fields(await relief.project(PROJECT))).to.deep.include({
        status: Project.Accepted,
        returned: 0n,
        available: 0n,
      });
      expect(await holding(f, PROGRAMME, village)).to.deep.equal(villageBefore);
      for (const who of [inspector, ruralAffairs]) {
        await expect(relief.connect(who).acceptProject(PROJECT, id("report")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongProjectStatus")
          .withArgs(PROJECT, Project.Accepted);
      }
      await expect(relief.connect(village).proposeProjectPayment(PROJECT, 1, 1n, id("ref")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongProjectStatus")
        .withArgs(PROJECT, Project.Accepted);

      // Rural affairs accepts another, unspent: all of it returns to the holder.
      const second = await project(f, 20_000_00n, "FS-CANAL-2026");
      await expect(relief.connect(ruralAffairs).acceptProject(second, id("验收")))
        .to.emit(relief, "ProjectAccepted")
        .withArgs(second, ruralAffairs.address, 20_000_00n, id("验收"))
        .and.to.emit(relief, "FundsReturned")
        .withArgs(PROGRAMME, ledger, village.address, 20_000_00n, id("验收"));
      // Funded from the village and returned whole: its balance is back where it was.
      expect((await relief.holding(PROGRAMME, village)).available).to.equal(villageBefore.available);
      expect(fields(await relief.project(second))).to.deep.include({
        funded: 20_000_00n,
        returned: 20_000_00n,
        available: 0n,
      });
      const unknown = id("no such project");
      await expect(relief.connect(inspector).acceptProject(unknown, id("report")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownProject")
        .withArgs(unknown);
      await expectConserved(f, PROGRAMME, [f.finance, ruralAffairs, village], [PROJECT, second]);
    });
  });

  describe("audit findings", function () {
    it("are recorded against any record, answered by the respondent and closed by their auditor", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, audit, auditB, finance, ruralAffairs, village } = f;
      await project(f);
      const d1 = await propose(f, village, 1);
      const targets: [bigint, string][] = [
        [TargetKind.Programme, PROGRAMME],
        [TargetKind.Allocation, allocationTarget(1n)],
        [TargetKind.Allocation, allocationTarget(3n)], // the project's funding
        [TargetKind.Disbursement, d1],
        [TargetKind.Beneficiary, KEY_A],
        [TargetKind.Project, PROJECT],
      ];
      for (const [i, [kind, target]] of targets.entries()) {
        await expect(relief.connect(audit).recordFinding(kind, target, village, 1 + (i % 3), id(`finding ${i}`)))
          .to.emit(relief, "FindingRecorded")
          .withArgs(i + 1, target, audit.address, kind, village.address, 1 + (i % 3), id(`finding ${i}`));
      }
      expect(await relief.findingCount()).to.equal(BigInt(targets.length));
      expect(fields(await relief.finding(5))).to.deep.equal({
        auditor: audit.address,
        severity: 2n,
        status: Finding.Open,
        targetKind: TargetKind.Beneficiary,
        respondent: village.address,
        target: KEY_A,
      });

      // Unknown records, as each kind of target.
      const unknown: [bigint, string][] = [
        [TargetKind.Programme, OTHER],
        [TargetKind.Allocation, ZeroHash],
        [TargetKind.Allocation, allocationTarget(4n)],
        [TargetKind.Disbursement, disbursementIdOf(RecipientKind.Beneficiary, PROGRAMME, 2, KEY_A)],
        [TargetKind.Beneficiary, KEY_C],
        [TargetKind.Project, id("no such project")],
        [TargetKind.Project, PROGRAMME],
      ];
      for (const [kind, target] of unknown) {
        await expect(relief.connect(audit).recordFinding(kind, target, village, 1, id("x")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownTarget")
          .withArgs(kind, target);
      }
      await expect(
        relief.connect(audit).recordFinding(TargetKind.Programme, PROGRAMME, ZeroAddress, 1, id("x")),
      ).to.be.revertedWithCustomError(relief, "ReliefLedgerZeroAccount");
      for (const severity of [0, 4]) {
        await expect(relief.connect(audit).recordFinding(TargetKind.Programme, PROGRAMME, village, severity, id("x")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerInvalidSeverity")
          .withArgs(severity);
      }
      await expect(
        relief.connect(audit).recordFinding(TargetKind.Programme, PROGRAMME, village, 1, ZeroHash),
      ).to.be.revertedWithCustomError(relief, "ReliefLedgerZeroHash");
      for (const who of [finance, ruralAffairs, village]) {
        await expect(relief.connect(who).recordFinding(TargetKind.Programme, PROGRAMME, village, 1, id("x")))
          .to.be.revertedWithCustomError(relief, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }

      // Answered by the respondent only, once.
      for (const who of [finance, ruralAffairs, audit]) {
        await expect(relief.connect(who).answerFinding(1, id("response")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerNotRespondent")
          .withArgs(1, village.address, who.address);
      }
      await expect(relief.connect(village).answerFinding(1, ZeroHash)).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroHash",
      );
      await send(relief.connect(village).answerFinding(1, id("response")));
      await expect(relief.connect(village).answerFinding(1, id("response")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongFindingStatus")
        .withArgs(1, Finding.Answered);
      for (const n of [0, targets.length + 1]) {
        await expect(relief.connect(village).answerFinding(n, id("response")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownFinding")
          .withArgs(n);
        await expect(relief.connect(audit).closeFinding(n, id("resolution")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownFinding")
          .withArgs(n);
        await expect(relief.finding(n)).to.be.revertedWithCustomError(relief, "ReliefLedgerUnknownFinding").withArgs(n);
      }

      // Closed by its own auditor, answered or not; then nothing more.
      await expect(relief.connect(auditB).closeFinding(1, id("resolution")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotFindingAuditor")
        .withArgs(1, audit.address, auditB.address);
      await expect(relief.connect(village).closeFinding(1, id("resolution")))
        .to.be.revertedWithCustomError(relief, "AccessManagedUnauthorized")
        .withArgs(village.address);
      await expect(relief.connect(audit).closeFinding(1, ZeroHash)).to.be.revertedWithCustomError(
        relief,
        "ReliefLedgerZeroHash",
      );
      await expect(relief.connect(audit).closeFinding(2, id("resolution")))
        .to.emit(relief, "FindingClosed")
        .withArgs(2, audit.address, id("resolution"));
      await expect(relief.connect(village).answerFinding(2, id("late")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongFindingStatus")
        .withArgs(2, Finding.Closed);
      await expect(relief.connect(audit).closeFinding(2, id("again")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerWrongFindingStatus")
        .withArgs(2, Finding.Closed);
      await send(relief.connect(audit).closeFinding(1, id("resolution")));
      expect((await relief.finding(1)).status).to.equal(Finding.Closed);
      // Another auditor's findings are its own to close.
      await send(relief.connect(auditB).recordFinding(TargetKind.Project, PROJECT, ruralAffairs, 3, id("B")));
      await expect(relief.connect(audit).closeFinding(targets.length + 1, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotFindingAuditor")
        .withArgs(targets.length + 1, auditB.address, audit.address);
    });
  });

  describe("a suspended organisation", function () {
    it("as a village holds, proposes and registers nothing, at once, until reinstated", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, registry, manager, ruralAffairs, village, cooperative } = f;
      await project(f);
      await send(relief.connect(cooperative).submitMilestone(PROJECT, 0, id("evidence")));
      const pending = await propose(f, village, 1);

      await expect(registry.connect(ruralAffairs).suspend(village.address, id("村委会换届审计")))
        .to.emit(registry, "OrganisationSuspended")
        .withArgs(village.address, ROLE.VILLAGE, ruralAffairs.address, id("村委会换届审计"));
      expect((await manager.hasRole(ROLE.VILLAGE, village.address))[0]).to.equal(false);

      // Inside the ledger: it no longer holds money.
      const refused = [
        () => relief.connect(village).allocate(PROGRAMME, f.village2, 1n, id("doc")),
        () => relief.connect(village).returnFunds(PROGRAMME, 1n, id("doc")),
        () => relief.connect(village).proposeDisbursement(PROGRAMME, 2, KEY_A, 1n, id("ref")),
        () => relief.connect(village).createProject("p2", PROGRAMME, cooperative, 1n, 1, id("meta")),
        () => relief.connect(village).fundProject(PROJECT, 1n, id("doc")),
        () => relief.connect(village).proposeProjectPayment(PROJECT, 0, 1n, id("ref")),
      ];
      for (const call of refused) {
        await expect(call()).to.be.revertedWithCustomError(relief, "ReliefLedgerNotHolder").withArgs(village.address);
      }
      // At the manager: it no longer registers beneficiaries.
      await expect(relief.connect(village).registerBeneficiary(KEY_C, HOUSEHOLD_A))
        .to.be.revertedWithCustomError(relief, "AccessManagedUnauthorized")
        .withArgs(village.address);
      // Nor does money go to it, or a project to it.
      await expect(relief.connect(ruralAffairs).allocate(PROGRAMME, village, 1n, id("doc")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotHolder")
        .withArgs(village.address);
      await expect(relief.connect(ruralAffairs).createProject("p3", PROGRAMME, village, 1n, 1, id("meta")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotImplementer")
        .withArgs(village.address);
      // Its parent still proposes for its beneficiaries, from its own balance.
      await expect(relief.connect(ruralAffairs).proposeDisbursement(PROGRAMME, 2, KEY_A, 1_500_00n, id("ref"))).to.emit(
        relief,
        "DisbursementProposed",
      );
      expect((await relief.disbursement(pending)).status).to.equal(Disbursement.Proposed);

      await send(registry.connect(ruralAffairs).reinstate(village.address, id("整改完成")));
      await expect(relief.connect(village).returnFunds(PROGRAMME, 1n, id("doc"))).to.emit(relief, "FundsReturned");
      await expect(relief.connect(village).registerBeneficiary(KEY_C, HOUSEHOLD_A)).to.emit(
        relief,
        "BeneficiaryRegistered",
      );
    });

    it("as a department, inspector or implementer is refused in the role it acted in", async function () {
      const f = await networkHelpers.loadFixture(programmeFixture);
      const { relief, registry, regulator, finance, ruralAffairs, civilAffairs, village, cooperative, inspector } = f;
      await project(f);
      const pending = await propose(f, village, 1);

      await f.council.act(
        f.addresses.OrgRegistry,
        registry.interface.encodeFunctionData("suspend", [ruralAffairs.address, id("x")]),
      );
      await f.council.act(
        f.addresses.OrgRegistry,
        registry.interface.encodeFunctionData("suspend", [civilAffairs.address, id("x")]),
      );
      await send(registry.connect(regulator).suspend(inspector.address, id("x")));
      await send(registry.connect(regulator).suspend(cooperative.address, id("x")));

      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, pending))))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
        .withArgs(ruralAffairs.address, ROLE.RURAL_AFFAIRS);
      await expect(relief.connect(ruralAffairs).rejectDisbursement(pending, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
        .withArgs(ruralAffairs.address, ROLE.RURAL_AFFAIRS);
      await expect(relief.connect(ruralAffairs).attest(KEY_B, KIND.LIFTED_FROM_POVERTY, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
        .withArgs(ruralAffairs.address, ROLE.RURAL_AFFAIRS);
      await expect(relief.connect(ruralAffairs).allocate(PROGRAMME, village, 1n, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotHolder")
        .withArgs(ruralAffairs.address);
      await expect(relief.connect(finance).allocate(PROGRAMME, ruralAffairs, 1n, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotHolder")
        .withArgs(ruralAffairs.address);
      await expect(relief.connect(civilAffairs).attest(KEY_B, KIND.MINIMUM_LIVING_ALLOWANCE, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
        .withArgs(civilAffairs.address, ROLE.CIVIL_AFFAIRS);
      for (const who of [inspector, ruralAffairs]) {
        await expect(relief.connect(who).acceptProject(PROJECT, id("report")))
          .to.be.revertedWithCustomError(relief, "ReliefLedgerUnauthorized")
          .withArgs(who.address, ROLE.RURAL_AFFAIRS);
      }
      await expect(relief.connect(village).createProject("p2", PROGRAMME, cooperative, 1n, 1, id("meta")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotImplementer")
        .withArgs(cooperative.address);
      // The proposer may still withdraw its proposal.
      await expect(relief.connect(village).rejectDisbursement(pending, id("撤回"))).to.emit(
        relief,
        "DisbursementRejected",
      );

      await f.council.act(
        f.addresses.OrgRegistry,
        registry.interface.encodeFunctionData("suspend", [finance.address, id("x")]),
      );
      await expect(relief.connect(finance).allocate(PROGRAMME, f.village2, 1n, id("x")))
        .to.be.revertedWithCustomError(relief, "ReliefLedgerNotHolder")
        .withArgs(finance.address);
      for (const call of [
        () => relief.connect(finance).createProgramme(OTHER_CODE, terms(), id("doc")),
        () => relief.connect(finance).appropriate(PROGRAMME, 1n, id("doc")),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(relief, "AccessManagedUnauthorized")
          .withArgs(finance.address);
      }

      await f.council.act(
        f.addresses.OrgRegistry,
        registry.interface.encodeFunctionData("reinstate", [ruralAffairs.address, id("ok")]),
      );
      const again = await propose(f, village, 2);
      await expect(relief.connect(ruralAffairs).approveDisbursement(...(await reviewed(relief, again)))).to.emit(
        relief,
        "DisbursementApproved",
      );
      await send(registry.connect(regulator).reinstate(inspector.address, id("ok")));
      await expect(relief.connect(ruralAffairs).acceptProject(PROJECT, id("report"))).to.emit(
        relief,
        "ProjectAccepted",
      );
    });
  });

  describe("beneficiary keys (src/relief/key.ts)", function () {
    /** A body whose check character is X (the first found from 440781 19800101 000). */
    const xBody = (() => {
      for (let seq = 0; seq < 1000; seq++) {
        const body = `44078119800101${String(seq).padStart(3, "0")}`;
        if (idCheckChar(body) === "X") return body;
      }
      throw new Error("no body with check character X");
    })();
    const ID_X = `${xBody}X`;
    const toFullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

    it("computes the GB 11643 check character", function () {
      expect(idCheckChar("11010519491231002")).to.equal("X"); // the standard's own example
      expect(idCheckChar("44078119900101123")).to.equal("8");
      expect(idNumberProblem(ID_A)).to.equal(undefined);
      expect(idNumberProblem(ID_X)).to.equal(undefined);
    });

    it("says what is wrong with an ID number", function () {
      expect(idNumberProblem(ID_A.slice(0, 17))).to.equal("must be 18 characters, got 17");
      expect(idNumberProblem(`${ID_A}1`)).to.equal("must be 18 characters, got 19");
      expect(idNumberProblem(`${ID_A.slice(0, 16)}A${ID_A[17]}`)).to.equal("must be 17 digits and a digit or X");
      expect(idNumberProblem(`${xBody}x`)).to.equal("must be 17 digits and a digit or X");
      const wrongCheck = ID_A.slice(0, 17) + (ID_A[17] === "0" ? "1" : "0");
      expect(idNumberProblem(wrongCheck)).to.equal("the check character does not match");
      for (const birth of ["19900230", "19901301", "19900100", "18991231", "20991231", "19000229"]) {
        expect(idNumberProblem(idNumber(birth, "123")), birth).to.equal("the birth date in it is not a real date");
      }
      expect(idNumberProblem(idNumber("20000229", "123"))).to.equal(undefined); // a leap day
      expect(idNumberProblem(idNumber("19000101", "123"))).to.equal(undefined);
    });

    it("normalises spaces, full-width digits and a lower-case x", function () {
      expect(parseIdNumber(` ${ID_A}\t`)).to.equal(ID_A);
      expect(parseIdNumber(toFullWidth(ID_A))).to.equal(ID_A);
      expect(parseIdNumber(`${xBody}x`)).to.equal(ID_X);
      expect(parseIdNumber(`${toFullWidth(xBody)}ｘ`)).to.equal(ID_X);
      expect(parseIdNumber(toFullWidth(ID_X))).to.equal(ID_X);
      // The same person is one key however the number was typed.
      for (const typed of [`${xBody}x`, toFullWidth(ID_X), ` ${ID_X} `]) {
        expect(beneficiaryKey(SECRET, typed)).to.equal(beneficiaryKey(SECRET, ID_X));
      }
    });

    it("refuses an invalid ID number without ever echoing it", function () {
      const wrongCheck = ID_A.slice(0, 17) + (ID_A[17] === "0" ? "1" : "0");
      const badDate = idNumber("19900230", "123");
      const cases: [string, RegExp][] = [
        [wrongCheck, /the check character does not match/],
        [badDate, /the birth date in it is not a real date/],
        [toFullWidth(wrongCheck), /the check character does not match/],
        [`${ID_A}9`, /must be 18 characters, got 19/],
        [ID_A.slice(0, 17), /must be 18 characters, got 17/],
      ];
      for (const [input, problem] of cases) {
        for (const call of [() => parseIdNumber(input), () => beneficiaryKey(SECRET, input)]) {
          let error: unknown;
          try {
            call();
          } catch (e) {
            error = e;
          }
          expect(error, input).to.be.instanceOf(InvalidInputError);
          const message = (error as Error).message;
          expect(message).to.match(problem);
          expect(message).to.match(/^invalid ID number /);
          expect(message).to.include(maskIdNumber(input.trim()));
          for (const secret of [input, input.slice(0, 17), input.slice(6, 14), input.slice(4, 16)]) {
            expect(message, "the message echoes the number").to.not.include(secret);
          }
        }
      }
      expect(maskIdNumber(ID_X)).to.equal(`440781********${ID_X.slice(-4)}`);
      expect(maskIdNumber("12345")).to.equal("*****");
    });

    it("keys a person by HMAC-SHA256 under the consortium secret, different under another secret", function () {
      const expected =
        "0x" + createHmac("sha256", SECRET).update(`zhixin-relief-beneficiary:v1\u0000${ID_A}`).digest("hex");
      expect(KEY_A).to.equal(expected);
      expect(isHexString(KEY_A, 32)).to.equal(true);
      expect(beneficiaryKey(SECRET, ID_A)).to.equal(KEY_A);
      expect(KEY_A).to.not.equal(KEY_B);
      const other = parseReliefSecret("11".repeat(32));
      expect(beneficiaryKey(other, ID_A)).to.not.equal(KEY_A);
      const oneBitOff = Buffer.from(SECRET);
      oneBitOff[0]! ^= 1;
      expect(beneficiaryKey(oneBitOff, ID_A)).to.not.equal(KEY_A);
      // Not a plain hash of the number, and not the household hash of the same text.
      expect(KEY_A).to.not.equal(id(ID_A));
      expect(householdHash(SECRET, ID_A)).to.not.equal(KEY_A);
    });

    it("hashes household records under the secret too, refusing an empty one", function () {
      expect(householdHash(SECRET, " 建档立卡/0001 ")).to.equal(householdHash(SECRET, "建档立卡/0001"));
      expect(householdHash(SECRET, "建档立卡/0001")).to.not.equal(householdHash(SECRET, "建档立卡/0002"));
      expect(householdHash(parseReliefSecret("22".repeat(32)), "建档立卡/0001")).to.not.equal(
        householdHash(SECRET, "建档立卡/0001"),
      );
      expect(() => householdHash(SECRET, "  ")).to.throw(InvalidInputError, /household record .*is empty/);
    });

    it("parses the consortium secret: hex, with or without 0x, at least 32 bytes, never shown", function () {
      const hex = "ab".repeat(32);
      expect(parseReliefSecret(hex).equals(Buffer.from(hex, "hex"))).to.equal(true);
      expect(parseReliefSecret(`0x${hex}`).equals(parseReliefSecret(` ${hex.toUpperCase()} `))).to.equal(true);
      expect(parseReliefSecret("cd".repeat(64))).to.have.length(64);
      expect(SECRET.length).to.be.at.least(32);
      for (const unset of [undefined, "", "   "]) {
        expect(() => parseReliefSecret(unset)).to.throw(
          new RegExp(`^${RELIEF_SECRET_VARIABLE}\\b.*is not set.*keystore set ${RELIEF_SECRET_VARIABLE}`),
        );
      }
      // Too short, not hex, or an odd number of digits (whose last one would silently be dropped).
      const odd = `${"ab".repeat(32)}c`;
      for (const bad of [
        "ab".repeat(31),
        `0x${"ab".repeat(31)}`,
        "zz".repeat(32),
        `${"ab".repeat(31)}g0`,
        odd,
        `0x${odd}`,
      ]) {
        let message = "";
        try {
          parseReliefSecret(bad);
        } catch (e) {
          expect(e).to.be.instanceOf(InvalidInputError);
          message = (e as Error).message;
        }
        expect(message, bad).to.match(/must be at least 32 bytes of hex/);
        expect(message).to.not.include(bad.replace(/^0x/, ""));
      }
    });
  });

  describe("attestation kinds (src/relief/attestations.ts)", function () {
    it("are distinct kinds 0–15, each attested by an organisation kind", function () {
      const kinds = ATTESTATIONS.map((a) => a.kind);
      expect(new Set(kinds).size).to.equal(ATTESTATIONS.length);
      for (const k of kinds) expect(k).to.be.within(0, 15);
      expect(new Set(ATTESTATIONS.map((a) => a.label)).size).to.equal(ATTESTATIONS.length);
      expect(new Set(ATTESTATIONS.map((a) => a.zh)).size).to.equal(ATTESTATIONS.length);
      for (const a of ATTESTATIONS) {
        expect(
          ORG_KINDS.map((k) => k.label),
          a.label,
        ).to.include(a.attester);
        expect(KIND[a.label], a.label).to.equal(a.kind);
      }
      const hashes = ATTESTATIONS.map((a) => attestationDefinitionHash(a));
      expect(new Set(hashes).size).to.equal(ATTESTATIONS.length);
      const a0 = ATTESTATIONS[0];
      expect(attestationDefinitionHash({ ...a0, zh: "低保" })).to.not.equal(hashes[0]);
      expect(attestationDefinitionHash({ ...a0, attester: "RURAL_AFFAIRS" })).to.not.equal(hashes[0]);
    });

    it("are found by number, label (any case, - or _) or Chinese name", function () {
      expect(attestationOf(0).label).to.equal("MINIMUM_LIVING_ALLOWANCE");
      expect(attestationOf("3").label).to.equal("MONITORED_HOUSEHOLD");
      expect(attestationOf(" 3 ").label).to.equal("MONITORED_HOUSEHOLD");
      expect(attestationOf("lifted-from-poverty").kind).to.equal(2);
      expect(attestationOf("Extreme_Hardship").kind).to.equal(1);
      expect(attestationOf("LOW-INCOME-HOUSEHOLD").kind).to.equal(4);
      expect(attestationOf("最低生活保障对象").kind).to.equal(0);
      expect(attestationOf(" 脱贫户 ").kind).to.equal(2);
      for (const a of ATTESTATIONS) {
        expect(attestationOf(a.kind)).to.equal(a);
        expect(attestationOf(a.label.toLowerCase())).to.equal(a);
        expect(attestationOf(a.zh)).to.equal(a);
      }
    });

    it("refuse what is not a kind, naming the ones there are", function () {
      for (const unknown of [5, "5", 15, -1, "0x0", "poor", "", "最低生活保障", "minimum living allowance"]) {
        expect(() => attestationOf(unknown), String(unknown)).to.throw(/^unknown attestation/);
      }
      expect(() => attestationOf("poor")).to.throw(
        /use one of minimum-living-allowance \(最低生活保障对象\), .*low-income-household \(低收入家庭\)$/,
      );
      expect(() => attestationMask(["lifted-from-poverty", "poor"])).to.throw(/unknown attestation "poor"/);
    });

    it("make a bit mask and come back from it", function () {
      expect(attestationMask([])).to.equal(0);
      expect(attestationMask(["minimum-living-allowance", 3, "脱贫户"])).to.equal(0b1101);
      expect(attestationMask(["脱贫户", "LIFTED_FROM_POVERTY", 2])).to.equal(0b100);
      expect(attestationsOfMask(0b1101).map((a) => a.label)).to.deep.equal([
        "MINIMUM_LIVING_ALLOWANCE",
        "LIFTED_FROM_POVERTY",
        "MONITORED_HOUSEHOLD",
      ]);
      // Every subset round-trips.
      for (let mask = 0; mask < 1 << ATTESTATIONS.length; mask++) {
        const list = attestationsOfMask(mask);
        expect(list.map((a) => a.kind)).to.deep.equal(
          ATTESTATIONS.filter((a) => mask & (1 << a.kind)).map((a) => a.kind),
        );
        expect(attestationMask(list.map((a) => a.label))).to.equal(mask);
        expect(attestationMask(list.map((a) => a.zh))).to.equal(mask);
      }
    });
  });
});
