import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { AbiCoder, ZeroHash, id, keccak256, toUtf8Bytes, zeroPadBytes } from "ethers";
import { network } from "hardhat";

import Samples from "../../deploy/organisations/jiangmen.json" with { type: "json" };
import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import { requireCharity } from "../../src/deployment.js";
import { ROLE } from "../../src/roles.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import type { CharityLedger, ICharityLedger } from "../../types/ethers-contracts/index.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const P = DevParameters.Foundation;

// Enum values of ICharityLedger.
const Status = { None: 0n, Proposed: 1n, Approved: 2n, Closed: 3n } as const;
const Channel = { Bank: 0n, Alipay: 1n, Wechat: 2n, Cash: 3n, Other: 4n } as const;
const Purpose = { Programme: 0n, Administrative: 1n } as const;
const DonationState = { None: 0n, Recorded: 1n, ReversalProposed: 2n, Reversed: 3n } as const;
const Handover = { None: 0n, Pending: 1n, Confirmed: 2n } as const;

const coder = AbiCoder.defaultAbiCoder();
/** A project's id, as `CharityLedger.projectIdOf`: namespaced by its charity. */
const projectIdOf = (charity: string, code: string) =>
  keccak256(coder.encode(["address", "bytes32"], [charity, id(code)]));

/** The approved fundraising project of each sample charity, set up by the fixture. */
const CODE_A = "JM-2026-大病救助";
const CODE_B = "PJ-2026-助学";
const PROJECT_A = projectIdOf(sample("江门市慈善会"), CODE_A);
const PROJECT_B = projectIdOf(sample("江门市蓬江区慈善会"), CODE_B);
const TARGET = 5_000_000_00n; // 500万元 in fen

/** `donationId(charity, refHash)` computed off chain: keccak256(abi.encode(charity, refHash)). */
function donationIdOf(charity: string, refHash: string): string {
  return keccak256(coder.encode(["address", "bytes32"], [charity, refHash]));
}

/** Disbursement / dispatch ids: keccak256(abi.encode(projectId or lotId, n)). */
function handoverIdOf(key: string, n: number): string {
  return keccak256(coder.encode(["bytes32", "uint256"], [key, n]));
}

function cash(ref: string, amount: bigint, channel: bigint = Channel.Bank): ICharityLedger.CashDonationStruct {
  return {
    refHash: id(ref),
    amount,
    donorCommitment: id(`donor of ${ref}`),
    channel,
    evidenceHash: id(`evidence of ${ref}`),
    receivedOn: 0,
  };
}

function goods(ref: string, quantity: bigint, valuation: bigint): ICharityLedger.GoodsDonationStruct {
  return {
    refHash: id(ref),
    itemCode: id("GTIN 06901234567892"),
    quantity,
    unit: zeroPadBytes(toUtf8Bytes("箱"), 16),
    valuation,
    productBatchId: id("batch 2026-03"),
    donorCommitment: id(`donor of ${ref}`),
    evidenceHash: id(`evidence of ${ref}`),
  };
}

function sample(name: string): string {
  const org = Samples.organisations.find((o) => o.name === name);
  if (org === undefined) throw new Error(`no sample organisation ${name}`);
  return org.account;
}

/**
 * The Charity module deployed with the dev parameters and the sample Jiangmen organisations,
 * plus one approved project per sample charity.
 */
async function ledgerFixture() {
  const d = await deployWithSamples(connection, () => {});
  const ledger = requireCharity(d);
  const signers = await ethers.getSigners();
  const by = (address: string): HardhatEthersSigner => {
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
  const stranger = signers.find((s) => !known.has(s.address.toLowerCase()))!;
  const f = {
    ...d,
    ledger,
    admin: signers[0]!,
    civilAffairs: by(P.civilAffairsAccount),
    /** 江门市慈善会 */
    charityA: by(sample("江门市慈善会")),
    /** 江门市蓬江区慈善会 */
    charityB: by(sample("江门市蓬江区慈善会")),
    /** 江门市中心医院, a RECIPIENT */
    hospital: by(sample("江门市中心医院")),
    stranger,
  };
  for (const [charity, code, projectId] of [
    [f.charityA, CODE_A, PROJECT_A],
    [f.charityB, CODE_B, PROJECT_B],
  ] as const) {
    await (await ledger.connect(charity).proposeProject(code, TARGET, id("permit"), id("metadata"))).wait();
    await (await ledger.connect(f.civilAffairs).approveProject(projectId)).wait();
  }
  return f;
}

type Fixture = Awaited<ReturnType<typeof ledgerFixture>>;

/** Records one cash donation (by charity A unless told) and waits for it. */
async function donate(
  f: Fixture,
  projectId: string,
  ref: string,
  amount: bigint,
  by: HardhatEthersSigner = f.charityA,
): Promise<string> {
  await (await f.ledger.connect(by).recordDonation(projectId, cash(ref, amount))).wait();
  return donationIdOf((await f.ledger.project(projectId)).charity, id(ref));
}

/** Charity A pays the hospital from project A; returns the disbursement id. */
async function pay(f: Fixture, amount: bigint, purpose: bigint = Purpose.Programme): Promise<string> {
  const n = (await f.ledger.project(PROJECT_A)).outflowCount;
  await (
    await f.ledger.connect(f.charityA).disburse(PROJECT_A, f.hospital.address, purpose, amount, id("invoice"))
  ).wait();
  return handoverIdOf(PROJECT_A, Number(n));
}

/** Proposes and approves a project for charity A under a fresh code; returns its id. */
async function approvedProject(f: Fixture, name: string, ledger: CharityLedger = f.ledger): Promise<string> {
  const projectId = projectIdOf(f.charityA.address, name);
  await (await ledger.connect(f.charityA).proposeProject(name, TARGET, ZeroHash, ZeroHash)).wait();
  await (await ledger.connect(f.civilAffairs).approveProject(projectId)).wait();
  return projectId;
}

describe("CharityLedger", function () {
  describe("projects", function () {
    it("is proposed by a charity and opened by civil affairs's approval", async function () {
      const { ledger, charityA, civilAffairs } = await networkHelpers.loadFixture(ledgerFixture);
      const code = "JM-2026-助老";
      const projectId = projectIdOf(charityA.address, code);
      expect(await ledger.projectIdOf(charityA.address, code)).to.equal(projectId);
      const permit = id("粤民慈募 2026-031");
      const meta = id("project description");
      await expect(ledger.connect(charityA).proposeProject(code, 1_000_000n, permit, meta))
        .to.emit(ledger, "ProjectProposed")
        .withArgs(projectId, charityA.address, id(code), code, 1_000_000n, permit, meta);
      let p = await ledger.project(projectId);
      expect(p.charity).to.equal(charityA.address);
      expect(p.status).to.equal(Status.Proposed);
      expect(p.target).to.equal(1_000_000n);
      expect(p.seq).to.equal(3n);
      expect(await ledger.projectIdAt(3)).to.equal(projectId);
      expect((await ledger.totals()).projectCount).to.equal(3n);

      await expect(ledger.connect(civilAffairs).approveProject(projectId))
        .to.emit(ledger, "ProjectApproved")
        .withArgs(projectId, civilAffairs.address);
      p = await ledger.project(projectId);
      expect(p.status).to.equal(Status.Approved);
      expect(await ledger.available(projectId)).to.equal(0n);
    });

    it("refuses an existing project id, a second approval, an unknown project and a charity approving", async function () {
      const { ledger, charityA, charityB, civilAffairs } = await networkHelpers.loadFixture(ledgerFixture);
      await expect(ledger.connect(charityA).proposeProject(CODE_A, 1n, ZeroHash, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerProjectExists")
        .withArgs(PROJECT_A);
      // The same code is another charity's own project, not charity A's.
      await (await ledger.connect(charityB).proposeProject(CODE_A, 1n, ZeroHash, ZeroHash)).wait();
      expect((await ledger.project(PROJECT_A)).charity).to.equal(charityA.address);
      expect((await ledger.project(projectIdOf(charityB.address, CODE_A))).charity).to.equal(charityB.address);
      await expect(ledger.connect(civilAffairs).approveProject(PROJECT_A))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongProjectStatus")
        .withArgs(PROJECT_A, Status.Approved);
      const unknown = id("no such project");
      await expect(ledger.connect(civilAffairs).approveProject(unknown))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerUnknownProject")
        .withArgs(unknown);
      const projectId = projectIdOf(charityA.address, "self-approved");
      await (await ledger.connect(charityA).proposeProject("self-approved", 1n, ZeroHash, ZeroHash)).wait();
      await expect(ledger.connect(charityA).approveProject(projectId))
        .to.be.revertedWithCustomError(ledger, "AccessManagedUnauthorized")
        .withArgs(charityA.address);
    });

    it("closes to new donations but still pays out what it holds, and cannot be approved or closed again", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, charityB, civilAffairs } = f;
      await donate(f, PROJECT_A, "bank/0001", 10_000n);
      await expect(ledger.connect(charityB).closeProject(PROJECT_A))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerNotProjectCharity")
        .withArgs(PROJECT_A, charityB.address, charityA.address);
      await expect(ledger.connect(charityA).closeProject(PROJECT_A))
        .to.emit(ledger, "ProjectClosed")
        .withArgs(PROJECT_A, charityA.address, 10_000n);
      expect((await ledger.project(PROJECT_A)).status).to.equal(Status.Closed);
      await expect(ledger.connect(charityA).recordDonation(PROJECT_A, cash("bank/0002", 1n)))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongProjectStatus")
        .withArgs(PROJECT_A, Status.Closed);
      await pay(f, 10_000n);
      expect(await ledger.available(PROJECT_A)).to.equal(0n);
      await expect(ledger.connect(civilAffairs).closeProject(PROJECT_A))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongProjectStatus")
        .withArgs(PROJECT_A, Status.Closed);
      await expect(ledger.connect(civilAffairs).approveProject(PROJECT_A))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongProjectStatus")
        .withArgs(PROJECT_A, Status.Closed);
      // Civil affairs may close a charity's project too.
      await expect(ledger.connect(civilAffairs).closeProject(PROJECT_B))
        .to.emit(ledger, "ProjectClosed")
        .withArgs(PROJECT_B, civilAffairs.address, 0n);
    });
  });

  describe("cash donations", function () {
    it("are received only by approved projects", async function () {
      const { ledger, charityA, civilAffairs } = await networkHelpers.loadFixture(ledgerFixture);
      const proposed = projectIdOf(charityA.address, "not yet approved");
      await (await ledger.connect(charityA).proposeProject("not yet approved", TARGET, ZeroHash, ZeroHash)).wait();
      for (const signer of [charityA, civilAffairs]) {
        await expect(ledger.connect(signer).recordDonation(proposed, cash("bank/0001", 100n)))
          .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongProjectStatus")
          .withArgs(proposed, Status.Proposed);
        await expect(ledger.connect(signer).recordDonations(proposed, [cash("bank/0001", 100n)]))
          .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongProjectStatus")
          .withArgs(proposed, Status.Proposed);
        await expect(ledger.connect(signer).recordGoods(proposed, goods("goods/0001", 10n, 100n)))
          .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongProjectStatus")
          .withArgs(proposed, Status.Proposed);
      }
      const unknown = id("no such project");
      await expect(ledger.connect(charityA).recordDonation(unknown, cash("bank/0001", 100n)))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerUnknownProject")
        .withArgs(unknown);
      expect((await ledger.totals()).donationCount).to.equal(0n);
    });

    it("are recorded by the owning charity and by civil affairs, counted for the project's charity", async function () {
      const { ledger, charityA, civilAffairs } = await networkHelpers.loadFixture(ledgerFixture);
      // Received on 2026-03-01 (day 20,513): the business date rides in the event.
      const first = { ...cash("bank/20260301/0001", 50_000n, Channel.Bank), receivedOn: 20_513 };
      const firstId = donationIdOf(charityA.address, first.refHash as string);
      await expect(ledger.connect(charityA).recordDonation(PROJECT_A, first))
        .to.emit(ledger, "DonationRecorded")
        .withArgs(
          firstId,
          PROJECT_A,
          charityA.address,
          first.refHash,
          50_000n,
          first.donorCommitment,
          Channel.Bank,
          first.evidenceHash,
          50_000n,
          20_513,
        );
      const second = cash("alipay/8812", 20_000n, Channel.Alipay);
      const secondId = donationIdOf(charityA.address, second.refHash as string);
      expect(await ledger.donationId(charityA.address, second.refHash)).to.equal(secondId);
      expect(await ledger.connect(civilAffairs).recordDonation.staticCall(PROJECT_A, second)).to.equal(secondId);
      await expect(ledger.connect(civilAffairs).recordDonation(PROJECT_A, second))
        .to.emit(ledger, "DonationRecorded")
        .withArgs(
          secondId,
          PROJECT_A,
          civilAffairs.address,
          second.refHash,
          20_000n,
          second.donorCommitment,
          Channel.Alipay,
          second.evidenceHash,
          70_000n,
          0,
        );

      const d = await ledger.donation(secondId);
      expect([d.amount, d.projectSeq, d.state, d.isGoods]).to.deep.equal([20_000n, 1n, DonationState.Recorded, false]);
      const p = await ledger.project(PROJECT_A);
      expect([p.received, p.inflow, p.outflow, p.donationCount]).to.deep.equal([70_000n, 70_000n, 0n, 2n]);
      expect(await ledger.available(PROJECT_A)).to.equal(70_000n);
      expect((await ledger.charityStats(charityA.address)).received).to.equal(70_000n);
      expect((await ledger.charityStats(civilAffairs.address)).received).to.equal(0n);
      const t = await ledger.totals();
      expect([t.received, t.donationCount]).to.deep.equal([70_000n, 2n]);
    });

    it("are refused to the other charity (CharityLedgerNotProjectCharity) and to accounts without a role (CharityLedgerUnauthorized)", async function () {
      const { ledger, charityA, charityB, hospital, stranger } = await networkHelpers.loadFixture(ledgerFixture);
      const d = cash("bank/0001", 100n);
      await expect(ledger.connect(charityB).recordDonation(PROJECT_A, d))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerNotProjectCharity")
        .withArgs(PROJECT_A, charityB.address, charityA.address);
      await expect(ledger.connect(charityB).recordDonations(PROJECT_A, [d]))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerNotProjectCharity")
        .withArgs(PROJECT_A, charityB.address, charityA.address);
      await expect(ledger.connect(charityB).recordGoods(PROJECT_A, goods("goods/0001", 1n, 1n)))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerNotProjectCharity")
        .withArgs(PROJECT_A, charityB.address, charityA.address);
      for (const signer of [stranger, hospital]) {
        await expect(ledger.connect(signer).recordDonation(PROJECT_A, d))
          .to.be.revertedWithCustomError(ledger, "CharityLedgerUnauthorized")
          .withArgs(signer.address, ROLE.CIVIL_AFFAIRS);
        await expect(ledger.connect(signer).recordDonations(PROJECT_A, [d]))
          .to.be.revertedWithCustomError(ledger, "CharityLedgerUnauthorized")
          .withArgs(signer.address, ROLE.CIVIL_AFFAIRS);
      }
    });

    it("reverts a repeated single record with CharityLedgerDuplicateDonation(donationId(charity, refHash))", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, charityB, civilAffairs } = f;
      const d = cash("bank/20260301/0001", 50_000n);
      const donationId = donationIdOf(charityA.address, d.refHash as string);
      await (await ledger.connect(charityA).recordDonation(PROJECT_A, d)).wait();
      // Whoever records it, and whatever the amount: the reference identifies the donation.
      for (const signer of [charityA, civilAffairs]) {
        await expect(ledger.connect(signer).recordDonation(PROJECT_A, { ...d, amount: 1n }))
          .to.be.revertedWithCustomError(ledger, "CharityLedgerDuplicateDonation")
          .withArgs(donationId);
      }
      // Also in another project of the same charity.
      const other = await approvedProject(f, "another project of charity A");
      await expect(ledger.connect(charityA).recordDonation(other, d))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerDuplicateDonation")
        .withArgs(donationId);
      // Another charity's reference space is its own.
      await expect(ledger.connect(charityB).recordDonation(PROJECT_B, d))
        .to.emit(ledger, "DonationRecorded")
        .withArgs(
          donationIdOf(charityB.address, d.refHash as string),
          PROJECT_B,
          charityB.address,
          d.refHash,
          50_000n,
          d.donorCommitment,
          Channel.Bank,
          d.evidenceHash,
          50_000n,
          0,
        );
      expect((await ledger.totals()).donationCount).to.equal(2n);
    });

    it("reverts zero amounts, and channels outside the enum at ABI decoding", async function () {
      const { ledger, charityA } = await networkHelpers.loadFixture(ledgerFixture);
      await expect(
        ledger.connect(charityA).recordDonation(PROJECT_A, cash("bank/0001", 0n)),
      ).to.be.revertedWithCustomError(ledger, "CharityLedgerZeroAmount");
      await expect(
        ledger.connect(charityA).recordDonations(PROJECT_A, [cash("bank/0002", 5n), cash("bank/0003", 0n)]),
      ).to.be.revertedWithCustomError(ledger, "CharityLedgerZeroAmount");
      // The ABI decoder rejects an out-of-range enum: CharityLedgerUnknownChannel is never reached.
      await expect(
        ledger.connect(charityA).recordDonation(PROJECT_A, cash("bank/0004", 5n, 5n)),
      ).to.be.revertedWithoutReason(ethers);
      expect((await ledger.totals()).donationCount).to.equal(0n);
    });

    it("records only the new donations of a batch with repeats, with a cumulative inflowAfter", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA } = f;
      await donate(f, PROJECT_A, "bank/0001", 1_000n);
      const batch = [
        cash("bank/0001", 1_000n), // recorded already
        cash("bank/0002", 2_000n),
        cash("wechat/0003", 3_000n, Channel.Wechat),
        cash("bank/0002", 2_000n), // repeated within the batch
        cash("cash/0004", 4_000n, Channel.Cash),
      ];
      expect(await ledger.connect(charityA).recordDonations.staticCall(PROJECT_A, batch)).to.equal(3n);
      const tx = ledger.connect(charityA).recordDonations(PROJECT_A, batch);
      await expect(tx)
        .to.emit(ledger, "DonationRecorded")
        .withArgs(
          donationIdOf(charityA.address, id("wechat/0003")),
          PROJECT_A,
          charityA.address,
          id("wechat/0003"),
          3_000n,
          id("donor of wechat/0003"),
          Channel.Wechat,
          id("evidence of wechat/0003"),
          6_000n,
          0,
        );
      const receipt = (await (await tx).wait())!;
      const events = receipt.logs
        .map((log) => ledger.interface.parseLog(log))
        .filter((e) => e !== null && e.name === "DonationRecorded");
      expect(events.map((e) => [e!.args.refHash, e!.args.amount, e!.args.inflowAfter])).to.deep.equal([
        [id("bank/0002"), 2_000n, 3_000n],
        [id("wechat/0003"), 3_000n, 6_000n],
        [id("cash/0004"), 4_000n, 10_000n],
      ]);
      const p = await ledger.project(PROJECT_A);
      expect([p.received, p.inflow, p.donationCount]).to.deep.equal([10_000n, 10_000n, 4n]);
      const t = await ledger.totals();
      expect([t.received, t.donationCount]).to.deep.equal([10_000n, 4n]);
      expect((await ledger.charityStats(charityA.address)).received).to.equal(10_000n);

      // Sending it again records nothing and changes nothing.
      expect(await ledger.connect(charityA).recordDonations.staticCall(PROJECT_A, batch)).to.equal(0n);
      await expect(ledger.connect(charityA).recordDonations(PROJECT_A, batch)).not.to.emit(ledger, "DonationRecorded");
      expect((await ledger.project(PROJECT_A)).inflow).to.equal(10_000n);
      expect((await ledger.totals()).donationCount).to.equal(4n);
    });
  });

  describe("disbursements", function () {
    it("never pay out more than the project holds (CharityLedgerInsufficientBalance with available and requested)", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, hospital } = f;
      await expect(ledger.connect(charityA).disburse(PROJECT_A, hospital.address, Purpose.Programme, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerInsufficientBalance")
        .withArgs(PROJECT_A, 0n, 1n);
      await donate(f, PROJECT_A, "bank/0001", 1_000n);
      await expect(ledger.connect(charityA).disburse(PROJECT_A, hospital.address, Purpose.Programme, 1_001n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerInsufficientBalance")
        .withArgs(PROJECT_A, 1_000n, 1_001n);
      await expect(
        ledger.connect(charityA).disburse(PROJECT_A, hospital.address, Purpose.Programme, 0n, ZeroHash),
      ).to.be.revertedWithCustomError(ledger, "CharityLedgerZeroAmount");
      // A purpose outside the enum is refused by the ABI decoder (CharityLedgerUnknownPurpose is never reached).
      await expect(
        ledger.connect(charityA).disburse(PROJECT_A, hospital.address, 2n, 1n, ZeroHash),
      ).to.be.revertedWithoutReason(ethers);
      await pay(f, 600n);
      await expect(
        ledger.connect(charityA).disburse(PROJECT_A, hospital.address, Purpose.Administrative, 401n, ZeroHash),
      )
        .to.be.revertedWithCustomError(ledger, "CharityLedgerInsufficientBalance")
        .withArgs(PROJECT_A, 400n, 401n);
      await pay(f, 400n);
      expect(await ledger.available(PROJECT_A)).to.equal(0n);
    });

    it("count programme and administrative spending apart, per charity and in the totals", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, hospital } = f;
      await donate(f, PROJECT_A, "bank/0001", 10_000n);
      const evidence = id("invoice 2026-0001");
      await expect(ledger.connect(charityA).disburse(PROJECT_A, hospital.address, Purpose.Programme, 7_000n, evidence))
        .to.emit(ledger, "Disbursed")
        .withArgs(
          handoverIdOf(PROJECT_A, 0),
          PROJECT_A,
          hospital.address,
          charityA.address,
          Purpose.Programme,
          7_000n,
          evidence,
          7_000n,
        );
      await expect(
        ledger.connect(charityA).disburse(PROJECT_A, hospital.address, Purpose.Administrative, 500n, evidence),
      )
        .to.emit(ledger, "Disbursed")
        .withArgs(
          handoverIdOf(PROJECT_A, 1),
          PROJECT_A,
          hospital.address,
          charityA.address,
          Purpose.Administrative,
          500n,
          evidence,
          7_500n,
        );
      const s = await ledger.charityStats(charityA.address);
      expect([s.received, s.programmeSpent, s.adminSpent, s.granted]).to.deep.equal([10_000n, 7_000n, 500n, 0n]);
      const t = await ledger.totals();
      expect([t.programmeSpent, t.adminSpent]).to.deep.equal([7_000n, 500n]);
      const p = await ledger.project(PROJECT_A);
      expect([p.disbursed, p.outflow, p.outflowCount]).to.deep.equal([7_500n, 7_500n, 2n]);
      expect(await ledger.available(PROJECT_A)).to.equal(2_500n);
      const b = await ledger.charityStats(f.charityB.address);
      expect([b.programmeSpent, b.adminSpent]).to.deep.equal([0n, 0n]);
    });

    it("pay only a registered RECIPIENT (CharityLedgerNotRecipient), and only from the project's charity", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, charityB, civilAffairs, hospital, stranger } = f;
      await donate(f, PROJECT_A, "bank/0001", 1_000n);
      for (const payee of [stranger, charityB, civilAffairs, charityA]) {
        await expect(ledger.connect(charityA).disburse(PROJECT_A, payee.address, Purpose.Programme, 1n, ZeroHash))
          .to.be.revertedWithCustomError(ledger, "CharityLedgerNotRecipient")
          .withArgs(payee.address);
      }
      await expect(ledger.connect(charityB).disburse(PROJECT_A, hospital.address, Purpose.Programme, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerNotProjectCharity")
        .withArgs(PROJECT_A, charityB.address, charityA.address);
      for (const signer of [civilAffairs, hospital, stranger]) {
        await expect(ledger.connect(signer).disburse(PROJECT_A, hospital.address, Purpose.Programme, 1n, ZeroHash))
          .to.be.revertedWithCustomError(ledger, "AccessManagedUnauthorized")
          .withArgs(signer.address);
      }
    });

    it("stay Pending, visible to all, until the payee confirms them, once", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, registry, civilAffairs, charityA, hospital, stranger } = f;
      await donate(f, PROJECT_A, "bank/0001", 10_000n);
      const first = await pay(f, 3_000n);
      const second = await pay(f, 2_000n, Purpose.Administrative);
      expect(first).to.not.equal(second);
      for (const [disbursementId, amount] of [
        [first, 3_000n],
        [second, 2_000n],
      ] as const) {
        const h = await ledger.disbursement(disbursementId);
        expect([h.recipient, h.amount, h.state]).to.deep.equal([hospital.address, amount, Handover.Pending]);
      }

      // Another registered recipient is not this payee.
      await (
        await registry
          .connect(civilAffairs)
          .register(stranger.address, Number(ROLE.RECIPIENT), "江门市某福利院", "53440700MJ0000099X", ZeroHash)
      ).wait();
      await expect(ledger.connect(stranger).confirmDisbursement(first, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerNotHandoverRecipient")
        .withArgs(first, stranger.address, hospital.address);
      // The paying charity holds no RECIPIENT role.
      await expect(ledger.connect(charityA).confirmDisbursement(first, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "AccessManagedUnauthorized")
        .withArgs(charityA.address);
      const unknown = id("no such disbursement");
      await expect(ledger.connect(hospital).confirmDisbursement(unknown, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerUnknownHandover")
        .withArgs(unknown);

      const receipt = id("receipt 2026-0001");
      await expect(ledger.connect(hospital).confirmDisbursement(first, receipt))
        .to.emit(ledger, "DisbursementConfirmed")
        .withArgs(first, hospital.address, receipt);
      expect((await ledger.disbursement(first)).state).to.equal(Handover.Confirmed);
      expect((await ledger.disbursement(second)).state).to.equal(Handover.Pending);
      await expect(ledger.connect(hospital).confirmDisbursement(first, receipt))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerAlreadyConfirmed")
        .withArgs(first);
      // Confirmation moves no money.
      expect(await ledger.available(PROJECT_A)).to.equal(5_000n);
    });
  });

  describe("goods", function () {
    it("are recorded as a lot, dispatched in parts, and never beyond what remains (CharityLedgerInsufficientGoods)", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, hospital } = f;
      const g = goods("goods/20260305/01", 100n, 250_000n);
      const lotId = donationIdOf(charityA.address, g.refHash as string);
      expect(await ledger.connect(charityA).recordGoods.staticCall(PROJECT_A, g)).to.equal(lotId);
      await expect(ledger.connect(charityA).recordGoods(PROJECT_A, g))
        .to.emit(ledger, "GoodsRecorded")
        .withArgs(lotId, PROJECT_A, charityA.address, [
          g.refHash,
          g.itemCode,
          g.quantity,
          g.unit,
          g.valuation,
          g.productBatchId,
          g.donorCommitment,
          g.evidenceHash,
        ]);
      const d = await ledger.donation(lotId);
      expect([d.amount, d.projectSeq, d.state, d.isGoods]).to.deep.equal([100n, 1n, DonationState.Recorded, true]);
      expect((await ledger.totals()).goodsValuation).to.equal(250_000n);
      // Goods are not money: the project's cash is untouched.
      expect(await ledger.available(PROJECT_A)).to.equal(0n);
      expect((await ledger.totals()).donationCount).to.equal(0n);

      const evidence = id("delivery note 1");
      await expect(ledger.connect(charityA).dispatchGoods(lotId, hospital.address, 60n, evidence))
        .to.emit(ledger, "GoodsDispatched")
        .withArgs(handoverIdOf(lotId, 0), lotId, hospital.address, charityA.address, 60n, evidence);
      await expect(ledger.connect(charityA).dispatchGoods(lotId, hospital.address, 50n, evidence))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerInsufficientGoods")
        .withArgs(lotId, 40n, 50n);
      await expect(ledger.connect(charityA).dispatchGoods(lotId, hospital.address, 40n, evidence))
        .to.emit(ledger, "GoodsDispatched")
        .withArgs(handoverIdOf(lotId, 1), lotId, hospital.address, charityA.address, 40n, evidence);
      await expect(ledger.connect(charityA).dispatchGoods(lotId, hospital.address, 1n, evidence))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerInsufficientGoods")
        .withArgs(lotId, 0n, 1n);
      const l = await ledger.lot(lotId);
      expect([l.quantity, l.dispatched, l.dispatchCount]).to.deep.equal([100n, 100n, 2n]);
      const h = await ledger.dispatch(handoverIdOf(lotId, 0));
      expect([h.recipient, h.amount, h.state]).to.deep.equal([hospital.address, 60n, Handover.Pending]);
    });

    it("are confirmed by the receiving recipient, once per dispatch", async function () {
      const { ledger, charityA, hospital, stranger } = await networkHelpers.loadFixture(ledgerFixture);
      const g = goods("goods/0001", 10n, 1_000n);
      const lotId = donationIdOf(charityA.address, g.refHash as string);
      await (await ledger.connect(charityA).recordGoods(PROJECT_A, g)).wait();
      await (await ledger.connect(charityA).dispatchGoods(lotId, hospital.address, 4n, ZeroHash)).wait();
      await (await ledger.connect(charityA).dispatchGoods(lotId, hospital.address, 6n, ZeroHash)).wait();
      const [first, second] = [handoverIdOf(lotId, 0), handoverIdOf(lotId, 1)];
      await expect(ledger.connect(stranger).confirmGoodsReceipt(first, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
      const receipt = id("signed delivery note");
      await expect(ledger.connect(hospital).confirmGoodsReceipt(first, receipt))
        .to.emit(ledger, "GoodsReceiptConfirmed")
        .withArgs(first, hospital.address, receipt);
      await expect(ledger.connect(hospital).confirmGoodsReceipt(first, receipt))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerAlreadyConfirmed")
        .withArgs(first);
      expect((await ledger.dispatch(first)).state).to.equal(Handover.Confirmed);
      expect((await ledger.dispatch(second)).state).to.equal(Handover.Pending);
      // A disbursement id is not a dispatch id.
      await expect(ledger.connect(hospital).confirmDisbursement(second, receipt))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerUnknownHandover")
        .withArgs(second);
    });

    it("refuse zero quantities, repeats, cash lots, other charities and payees that are not recipients", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, charityB, civilAffairs, hospital, stranger } = f;
      await expect(
        ledger.connect(charityA).recordGoods(PROJECT_A, goods("goods/0000", 0n, 1n)),
      ).to.be.revertedWithCustomError(ledger, "CharityLedgerZeroAmount");
      const g = goods("goods/0001", 10n, 1_000n);
      const lotId = donationIdOf(charityA.address, g.refHash as string);
      // Civil affairs may record goods for the charity's project too.
      await expect(ledger.connect(civilAffairs).recordGoods(PROJECT_A, g))
        .to.emit(ledger, "GoodsRecorded")
        .withArgs(lotId, PROJECT_A, civilAffairs.address, anyValue);
      await expect(ledger.connect(charityA).recordGoods(PROJECT_A, g))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerDuplicateDonation")
        .withArgs(lotId);
      // Cash and goods share one reference space.
      await expect(ledger.connect(charityA).recordDonation(PROJECT_A, cash("goods/0001", 5n)))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerDuplicateDonation")
        .withArgs(lotId);
      const cashId = await donate(f, PROJECT_A, "bank/0001", 5n);
      await expect(ledger.connect(charityA).dispatchGoods(cashId, hospital.address, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerNotGoods")
        .withArgs(cashId);
      const unknown = id("no such lot");
      await expect(ledger.connect(charityA).dispatchGoods(unknown, hospital.address, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerUnknownDonation")
        .withArgs(unknown);
      await expect(ledger.connect(charityB).dispatchGoods(lotId, hospital.address, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerNotProjectCharity")
        .withArgs(PROJECT_A, charityB.address, charityA.address);
      await expect(ledger.connect(charityA).dispatchGoods(lotId, stranger.address, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerNotRecipient")
        .withArgs(stranger.address);
      await expect(
        ledger.connect(charityA).dispatchGoods(lotId, hospital.address, 0n, ZeroHash),
      ).to.be.revertedWithCustomError(ledger, "CharityLedgerZeroAmount");
    });
  });

  describe("grants", function () {
    it("move money between the two charities' projects, conserving the total", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, charityB, hospital } = f;
      await donate(f, PROJECT_A, "bank/A1", 10_000n);
      await donate(f, PROJECT_B, "bank/B1", 2_000n, charityB);
      const before = (await ledger.available(PROJECT_A)) + (await ledger.available(PROJECT_B));
      const evidence = id("grant agreement 2026-07");
      await expect(ledger.connect(charityA).grant(PROJECT_A, PROJECT_B, 3_000n, evidence))
        .to.emit(ledger, "Granted")
        .withArgs(PROJECT_A, PROJECT_B, charityA.address, 3_000n, evidence, 3_000n, 5_000n);
      expect(await ledger.available(PROJECT_A)).to.equal(7_000n);
      expect(await ledger.available(PROJECT_B)).to.equal(5_000n);
      expect((await ledger.available(PROJECT_A)) + (await ledger.available(PROJECT_B))).to.equal(before);

      const a = await ledger.project(PROJECT_A);
      expect([a.received, a.inflow, a.outflow, a.disbursed, a.outflowCount]).to.deep.equal([
        10_000n,
        10_000n,
        3_000n,
        0n,
        1n,
      ]);
      const b = await ledger.project(PROJECT_B);
      // Granted in is inflow, not a donation received.
      expect([b.received, b.inflow, b.outflow, b.donationCount]).to.deep.equal([2_000n, 5_000n, 0n, 1n]);
      expect((await ledger.charityStats(charityA.address)).granted).to.equal(3_000n);
      expect((await ledger.charityStats(charityB.address)).received).to.equal(2_000n);
      const t = await ledger.totals();
      expect([t.received, t.programmeSpent, t.adminSpent]).to.deep.equal([12_000n, 0n, 0n]);

      // The receiving charity spends what it was granted; the next outflow of A gets a fresh id.
      await expect(ledger.connect(charityB).disburse(PROJECT_B, hospital.address, Purpose.Programme, 5_000n, ZeroHash))
        .to.emit(ledger, "Disbursed")
        .withArgs(
          handoverIdOf(PROJECT_B, 0),
          PROJECT_B,
          hospital.address,
          charityB.address,
          Purpose.Programme,
          5_000n,
          ZeroHash,
          5_000n,
        );
      expect(await pay(f, 1_000n)).to.equal(handoverIdOf(PROJECT_A, 1));
      await expect(ledger.connect(charityB).grant(PROJECT_B, PROJECT_A, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerInsufficientBalance")
        .withArgs(PROJECT_B, 0n, 1n);
    });

    it("are refused to the same project, to projects not approved, beyond the balance and from another charity's project", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, charityB, civilAffairs } = f;
      await donate(f, PROJECT_A, "bank/A1", 1_000n);
      await expect(ledger.connect(charityA).grant(PROJECT_A, PROJECT_A, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerSameProject")
        .withArgs(PROJECT_A);
      const proposed = projectIdOf(charityB.address, "proposed only");
      await (await ledger.connect(charityB).proposeProject("proposed only", TARGET, ZeroHash, ZeroHash)).wait();
      await expect(ledger.connect(charityA).grant(PROJECT_A, proposed, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongProjectStatus")
        .withArgs(proposed, Status.Proposed);
      const unknown = id("no such project");
      await expect(ledger.connect(charityA).grant(PROJECT_A, unknown, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerUnknownProject")
        .withArgs(unknown);
      await (await ledger.connect(civilAffairs).closeProject(PROJECT_B)).wait();
      await expect(ledger.connect(charityA).grant(PROJECT_A, PROJECT_B, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongProjectStatus")
        .withArgs(PROJECT_B, Status.Closed);
      const open = await approvedProject(f, "another project of charity A");
      await expect(ledger.connect(charityA).grant(PROJECT_A, open, 1_001n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerInsufficientBalance")
        .withArgs(PROJECT_A, 1_000n, 1_001n);
      await expect(ledger.connect(charityA).grant(PROJECT_A, open, 0n, ZeroHash)).to.be.revertedWithCustomError(
        ledger,
        "CharityLedgerZeroAmount",
      );
      await expect(ledger.connect(charityB).grant(PROJECT_A, open, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerNotProjectCharity")
        .withArgs(PROJECT_A, charityB.address, charityA.address);
      await expect(ledger.connect(civilAffairs).grant(PROJECT_A, open, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "AccessManagedUnauthorized")
        .withArgs(civilAffairs.address);
    });
  });

  describe("reversals", function () {
    it("are proposed by the charity and, approved by civil affairs, take the money out and mark the donation Reversed", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, civilAffairs } = f;
      await donate(f, PROJECT_A, "bank/0001", 10_000n);
      const wrong = await donate(f, PROJECT_A, "bank/0002", 3_000n);
      const reason = id("recorded twice by the bank import");
      await expect(ledger.connect(charityA).proposeReversal(wrong, reason))
        .to.emit(ledger, "ReversalProposed")
        .withArgs(wrong, PROJECT_A, charityA.address, reason);
      expect((await ledger.donation(wrong)).state).to.equal(DonationState.ReversalProposed);
      // Proposing moves no money.
      expect(await ledger.available(PROJECT_A)).to.equal(13_000n);

      await expect(ledger.connect(civilAffairs).approveReversal(wrong))
        .to.emit(ledger, "DonationReversed")
        .withArgs(wrong, PROJECT_A, civilAffairs.address, 3_000n, 10_000n, 3_000n);
      expect((await ledger.donation(wrong)).state).to.equal(DonationState.Reversed);
      expect(await ledger.available(PROJECT_A)).to.equal(10_000n);
      const p = await ledger.project(PROJECT_A);
      expect([p.received, p.inflow, p.outflow, p.reversed, p.disbursed]).to.deep.equal([
        13_000n,
        13_000n,
        3_000n,
        3_000n,
        0n,
      ]);
      const t = await ledger.totals();
      expect([t.received, t.reversed]).to.deep.equal([13_000n, 3_000n]);

      await expect(ledger.connect(charityA).proposeReversal(wrong, reason))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongDonationState")
        .withArgs(wrong, DonationState.Reversed);
      await expect(ledger.connect(civilAffairs).approveReversal(wrong))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongDonationState")
        .withArgs(wrong, DonationState.Reversed);
      // The reference stays taken: the reversed donation cannot be recorded again.
      await expect(ledger.connect(charityA).recordDonation(PROJECT_A, cash("bank/0002", 3_000n)))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerDuplicateDonation")
        .withArgs(wrong);
    });

    it("rejected by civil affairs return the donation to Recorded", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, civilAffairs } = f;
      const donationId = await donate(f, PROJECT_A, "bank/0001", 10_000n);
      await expect(ledger.connect(civilAffairs).rejectReversal(donationId, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongDonationState")
        .withArgs(donationId, DonationState.Recorded);
      await (await ledger.connect(charityA).proposeReversal(donationId, id("typo"))).wait();
      const reason = id("the bank statement confirms it");
      await expect(ledger.connect(civilAffairs).rejectReversal(donationId, reason))
        .to.emit(ledger, "ReversalRejected")
        .withArgs(donationId, PROJECT_A, civilAffairs.address, reason);
      expect((await ledger.donation(donationId)).state).to.equal(DonationState.Recorded);
      expect(await ledger.available(PROJECT_A)).to.equal(10_000n);
      await expect(ledger.connect(civilAffairs).approveReversal(donationId))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongDonationState")
        .withArgs(donationId, DonationState.Recorded);
      // It may be proposed again.
      await expect(ledger.connect(charityA).proposeReversal(donationId, id("again"))).to.emit(
        ledger,
        "ReversalProposed",
      );
    });

    it("are refused once an outflow may have used the donation, even when the project holds the amount", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, civilAffairs } = f;
      const donationId = await donate(f, PROJECT_A, "bank/0001", 10_000n);
      await (await ledger.connect(charityA).proposeReversal(donationId, id("wrong project"))).wait();
      await pay(f, 8_000n);
      await expect(ledger.connect(civilAffairs).approveReversal(donationId))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerDonationUsed")
        .withArgs(donationId, 0n, 8_000n);
      expect((await ledger.donation(donationId)).state).to.equal(DonationState.ReversalProposed);
      // Money granted in does not make it reversible: the reversal would take other donors' money.
      await donate(f, PROJECT_B, "bank/B1", 8_000n, f.charityB);
      await (await ledger.connect(f.charityB).grant(PROJECT_B, PROJECT_A, 8_000n, ZeroHash)).wait();
      await expect(ledger.connect(civilAffairs).approveReversal(donationId))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerDonationUsed")
        .withArgs(donationId, 0n, 8_000n);
      // A later donation nothing has used yet is reversible, and returns its own money.
      const later = await donate(f, PROJECT_A, "bank/0002", 500n);
      await (await ledger.connect(charityA).proposeReversal(later, id("entered twice"))).wait();
      await expect(ledger.connect(civilAffairs).approveReversal(later))
        .to.emit(ledger, "DonationReversed")
        .withArgs(later, PROJECT_A, civilAffairs.address, 500n, 18_000n, 8_500n);
      expect(await ledger.available(PROJECT_A)).to.equal(10_000n);
    });

    it("correct a goods lot while none of it is dispatched, taking its valuation out of the totals", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, civilAffairs } = f;
      const g = goods("goods/0001", 10n, 2_500n);
      await (await ledger.connect(charityA).recordGoods(PROJECT_A, g)).wait();
      const lotId = donationIdOf(charityA.address, g.refHash as string);
      await (await ledger.connect(charityA).proposeReversal(lotId, id("counted twice"))).wait();
      // Under correction it stays in the warehouse.
      await expect(ledger.connect(charityA).dispatchGoods(lotId, f.hospital.address, 1n, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerWrongDonationState")
        .withArgs(lotId, DonationState.ReversalProposed);
      await expect(ledger.connect(civilAffairs).approveReversal(lotId))
        .to.emit(ledger, "GoodsReversed")
        .withArgs(lotId, PROJECT_A, civilAffairs.address, 10n, 2_500n);
      expect((await ledger.totals()).goodsValuation).to.equal(0n);
      expect((await ledger.donation(lotId)).state).to.equal(DonationState.Reversed);

      const h = goods("goods/0002", 10n, 100n);
      await (await ledger.connect(charityA).recordGoods(PROJECT_A, h)).wait();
      const dispatched = donationIdOf(charityA.address, h.refHash as string);
      await (await ledger.connect(charityA).dispatchGoods(dispatched, f.hospital.address, 3n, ZeroHash)).wait();
      await expect(ledger.connect(charityA).proposeReversal(dispatched, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerGoodsDispatched")
        .withArgs(dispatched, 3n);
    });

    it("are proposed only by the project's charity and decided only by civil affairs", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, charityB, civilAffairs } = f;
      const donationId = await donate(f, PROJECT_A, "bank/0001", 10_000n);
      await expect(ledger.connect(charityB).proposeReversal(donationId, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerNotProjectCharity")
        .withArgs(PROJECT_A, charityB.address, charityA.address);
      await expect(ledger.connect(civilAffairs).proposeReversal(donationId, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "AccessManagedUnauthorized")
        .withArgs(civilAffairs.address);
      const unknown = id("no such donation");
      await expect(ledger.connect(charityA).proposeReversal(unknown, ZeroHash))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerUnknownDonation")
        .withArgs(unknown);
      await (await ledger.connect(charityA).proposeReversal(donationId, ZeroHash)).wait();
      for (const fn of ["approveReversal", "rejectReversal"] as const) {
        const call =
          fn === "approveReversal"
            ? ledger.connect(charityA).approveReversal(donationId)
            : ledger.connect(charityA).rejectReversal(donationId, ZeroHash);
        await expect(call)
          .to.be.revertedWithCustomError(ledger, "AccessManagedUnauthorized")
          .withArgs(charityA.address);
      }
    });
  });

  describe("statistics", function () {
    it("are published with the on-chain totals in the event, once per period", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, charityA, charityB, civilAffairs } = f;
      await donate(f, PROJECT_A, "bank/0001", 10_000n);
      const wrong = await donate(f, PROJECT_A, "bank/0002", 1_000n);
      await donate(f, PROJECT_B, "bank/0001", 4_000n, charityB);
      await (await ledger.connect(charityA).recordGoods(PROJECT_A, goods("goods/0001", 10n, 2_500n))).wait();
      await pay(f, 6_000n);
      await pay(f, 300n, Purpose.Administrative);
      await (await ledger.connect(charityA).proposeReversal(wrong, ZeroHash)).wait();
      await (await ledger.connect(civilAffairs).approveReversal(wrong)).wait();

      const t = await ledger.totals();
      //     received  reversed programme admin  goods   donations projects
      const expected = [15_000n, 1_000n, 6_000n, 300n, 2_500n, 3n, 2n];
      expect([...t]).to.deep.equal(expected);

      const period = id("2026-Q1");
      const report = id("江门市2026年第一季度慈善捐赠统计");
      await expect(ledger.connect(civilAffairs).publishStatistics(period, report))
        .to.emit(ledger, "StatisticsPublished")
        .withArgs(period, civilAffairs.address, report, expected);
      await expect(ledger.connect(civilAffairs).publishStatistics(period, id("a corrected report")))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerPeriodPublished")
        .withArgs(period);
      await expect(ledger.connect(charityA).publishStatistics(id("2026-Q2"), report))
        .to.be.revertedWithCustomError(ledger, "AccessManagedUnauthorized")
        .withArgs(charityA.address);

      // The next period carries the counters as they are then.
      await donate(f, PROJECT_A, "bank/0003", 500n);
      await expect(ledger.connect(civilAffairs).publishStatistics(id("2026-Q2"), report))
        .to.emit(ledger, "StatisticsPublished")
        .withArgs(id("2026-Q2"), civilAffairs.address, report, [15_500n, 1_000n, 6_000n, 300n, 2_500n, 4n, 2n]);
    });
  });

  describe("a suspended charity", function () {
    it("can no longer record or disburse, while civil affairs and the payee still can act", async function () {
      const f = await networkHelpers.loadFixture(ledgerFixture);
      const { ledger, registry, manager, charityA, civilAffairs, hospital } = f;
      await donate(f, PROJECT_A, "bank/0001", 10_000n);
      const pending = await pay(f, 1_000n);
      const g = goods("goods/0001", 10n, 1_000n);
      await (await ledger.connect(charityA).recordGoods(PROJECT_A, g)).wait();
      const lotId = donationIdOf(charityA.address, g.refHash as string);

      await (await registry.connect(civilAffairs).suspend(charityA.address, id("decision 2026-17"))).wait();
      expect((await manager.hasRole(ROLE.CHARITY, charityA.address))[0]).to.equal(false);

      // Functions open to charity and civil affairs check the role inside.
      await expect(ledger.connect(charityA).recordDonation(PROJECT_A, cash("bank/0002", 1n)))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerUnauthorized")
        .withArgs(charityA.address, ROLE.CHARITY);
      await expect(ledger.connect(charityA).recordDonations(PROJECT_A, [cash("bank/0002", 1n)]))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerUnauthorized")
        .withArgs(charityA.address, ROLE.CHARITY);
      await expect(ledger.connect(charityA).recordGoods(PROJECT_A, goods("goods/0002", 1n, 1n)))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerUnauthorized")
        .withArgs(charityA.address, ROLE.CHARITY);
      await expect(ledger.connect(charityA).closeProject(PROJECT_A))
        .to.be.revertedWithCustomError(ledger, "CharityLedgerUnauthorized")
        .withArgs(charityA.address, ROLE.CHARITY);
      // CHARITY functions are closed by the manager.
      const refused = [
        ledger.connect(charityA).disburse(PROJECT_A, hospital.address, Purpose.Programme, 1n, ZeroHash),
        ledger.connect(charityA).dispatchGoods(lotId, hospital.address, 1n, ZeroHash),
        ledger.connect(charityA).grant(PROJECT_A, PROJECT_B, 1n, ZeroHash),
        ledger.connect(charityA).proposeProject("new", 1n, ZeroHash, ZeroHash),
        ledger.connect(charityA).proposeReversal(donationIdOf(charityA.address, id("bank/0001")), ZeroHash),
      ];
      for (const call of refused) {
        await expect(call)
          .to.be.revertedWithCustomError(ledger, "AccessManagedUnauthorized")
          .withArgs(charityA.address);
      }

      // What was paid stays confirmable, and civil affairs can still record for the project.
      await expect(ledger.connect(hospital).confirmDisbursement(pending, ZeroHash)).to.emit(
        ledger,
        "DisbursementConfirmed",
      );
      await expect(ledger.connect(civilAffairs).recordDonation(PROJECT_A, cash("bank/0002", 1n))).to.emit(
        ledger,
        "DonationRecorded",
      );
      expect(await ledger.available(PROJECT_A)).to.equal(9_001n);

      // Reinstated, it records and disburses again.
      await (await registry.connect(civilAffairs).reinstate(charityA.address, ZeroHash)).wait();
      await expect(ledger.connect(charityA).recordDonation(PROJECT_A, cash("bank/0003", 1n))).to.emit(
        ledger,
        "DonationRecorded",
      );
      await pay(f, 9_002n);
      expect(await ledger.available(PROJECT_A)).to.equal(0n);
    });
  });
});
