import { expect } from "chai";
import { AbiCoder, ZeroHash, id, keccak256, toUtf8Bytes, zeroPadBytes } from "ethers";
import { network } from "hardhat";

import Samples from "../../deploy/organisations/jiangmen.json" with { type: "json" };
import { WIRING } from "../../deploy/wiring.js";
import { requireCharity } from "../../src/deployment.js";
import { ORG_KINDS, ROLE, roleLabel } from "../../src/roles.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import type { CharityLedger, ICharityLedger } from "../../types/ethers-contracts/index.js";
import {
  ROLELESS,
  type AccessMatrixSpec,
  type ArgsFactories,
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

const W = WIRING.CharityLedger;
type LedgerWiring = typeof W;

const CODE_A = "JM-2026-大病救助";
const CODE_B = "PJ-2026-助学";
const CODE_PROPOSED = "JM-2026-助老 (proposed)";
const TARGET = 5_000_000_00n;
const Purpose = { Programme: 0n, Administrative: 1n } as const;

const coder = AbiCoder.defaultAbiCoder();
/** A project's id, as `CharityLedger.projectIdOf`: namespaced by its charity. */
const projectIdOf = (charity: string, code: string) =>
  keccak256(coder.encode(["address", "bytes32"], [charity, id(code)]));
const charityAccount = (name: string) => Samples.organisations.find((o) => o.name === name)!.account;
const PROJECT_A = projectIdOf(charityAccount("江门市慈善会"), CODE_A);
const PROJECT_B = projectIdOf(charityAccount("江门市蓬江区慈善会"), CODE_B);
const PROPOSED = projectIdOf(charityAccount("江门市慈善会"), CODE_PROPOSED);
const donationIdOf = (charity: string, refHash: string) =>
  keccak256(coder.encode(["address", "bytes32"], [charity, refHash]));
const handoverIdOf = (key: string, n: number) => keccak256(coder.encode(["bytes32", "uint256"], [key, n]));

function cash(ref: string, amount: bigint): ICharityLedger.CashDonationStruct {
  return {
    refHash: id(ref),
    amount,
    donorCommitment: id(`donor of ${ref}`),
    channel: 0n,
    evidenceHash: ZeroHash,
    receivedOn: 0,
  };
}

function goods(ref: string, quantity: bigint): ICharityLedger.GoodsDonationStruct {
  return {
    refHash: id(ref),
    itemCode: id("GTIN 06901234567892"),
    quantity,
    unit: zeroPadBytes(toUtf8Bytes("箱"), 16),
    valuation: 1_000n,
    productBatchId: ZeroHash,
    donorCommitment: id(`donor of ${ref}`),
    evidenceHash: ZeroHash,
  };
}

/**
 * The Charity module with the sample organisations, one signer per role (ADMIN, the five
 * departments, the first sample organisation of every other kind: 江门市慈善会 for CHARITY,
 * 江门市中心医院 for RECIPIENT), a roleless account, and ledger state every function can act
 * on: approved projects of both charities, a proposed one, an unused recorded donation, one awaiting
 * reversal, a goods lot, and a pending disbursement and dispatch to the hospital.
 */
async function matrixFixture() {
  const d = await deployWithSamples(connection, () => {});
  const ledger = requireCharity(d);
  const signers = await ethers.getSigners();
  const council = await testCouncil(connection, d);
  const { admin, byRole, roleless, signerOf } = sampleSigners(signers, council.probe);

  const charity = byRole.get(ROLE.CHARITY)!;
  const civilAffairs = byRole.get(ROLE.CIVIL_AFFAIRS)!;
  const recipient = byRole.get(ROLE.RECIPIENT)!;
  const otherCharity = signerOf(
    Samples.organisations.find((o) => o.kind === "CHARITY" && o.account !== charity.address)!.account,
  );

  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => {
    await (await tx).wait();
  };
  for (const [owner, code, projectId] of [
    [charity, CODE_A, PROJECT_A],
    [otherCharity, CODE_B, PROJECT_B],
  ] as const) {
    await send(ledger.connect(owner).proposeProject(code, TARGET, ZeroHash, ZeroHash));
    await send(ledger.connect(civilAffairs).approveProject(projectId));
  }
  await send(ledger.connect(charity).proposeProject(CODE_PROPOSED, TARGET, ZeroHash, ZeroHash));
  await send(ledger.connect(charity).recordDonation(PROJECT_A, cash("bank/0001", 10_000n)));
  await send(ledger.connect(charity).recordDonation(PROJECT_A, cash("bank/0002", 1_000n)));
  const reversalProposed = donationIdOf(charity.address, id("bank/0002"));
  await send(ledger.connect(charity).proposeReversal(reversalProposed, id("recorded twice")));
  await send(ledger.connect(charity).recordGoods(PROJECT_A, goods("goods/0001", 10n)));
  const lotId = donationIdOf(charity.address, id("goods/0001"));
  await send(ledger.connect(charity).dispatchGoods(lotId, recipient.address, 4n, ZeroHash));
  const dispatchId = handoverIdOf(lotId, 0);
  await send(ledger.connect(charity).disburse(PROJECT_A, recipient.address, Purpose.Programme, 2_000n, ZeroHash));
  const disbursementId = handoverIdOf(PROJECT_A, 0);
  // A donation no outflow has reached yet: its reversal may be proposed.
  await send(ledger.connect(charity).recordDonation(PROJECT_A, cash("bank/0003", 500n)));
  const recorded = donationIdOf(charity.address, id("bank/0003"));

  const matrixSigners: MatrixSigners = { byRole, roleless };
  return {
    ...d,
    ledger,
    admin,
    council,
    byRole,
    roleless,
    charity,
    otherCharity,
    civilAffairs,
    recipient,
    matrixSigners,
    ids: { recorded, reversalProposed, lotId, dispatchId, disbursementId },
  };
}

type Fixture = Awaited<ReturnType<typeof matrixFixture>>;

/**
 * Well-formed calls on the fixture's state: from the wired role (the project's charity, civil
 * affairs or the payee) each one succeeds, so only the manager or a caller-dependent domain rule
 * can stop it.
 */
function ledgerArgs(f: Fixture): ArgsFactories<CharityLedger, LedgerWiring> {
  const { recorded, reversalProposed, lotId, dispatchId, disbursementId } = f.ids;
  const hospital = f.recipient.address;
  return {
    proposeProject: () => ["matrix/new project", TARGET, id("permit"), id("metadata")],
    approveProject: () => [PROPOSED],
    closeProject: () => [PROJECT_A],
    recordDonation: () => [PROJECT_A, cash("matrix/bank/0001", 100n)],
    recordDonations: () => [PROJECT_A, [cash("bank/0001", 10_000n), cash("matrix/bank/0002", 200n)]],
    recordGoods: () => [PROJECT_A, goods("matrix/goods/0001", 5n)],
    dispatchGoods: () => [lotId, hospital, 6n, id("delivery note")],
    confirmGoodsReceipt: () => [dispatchId, id("receipt")],
    disburse: () => [PROJECT_A, hospital, Purpose.Administrative, 9_000n, id("invoice")],
    confirmDisbursement: () => [disbursementId, id("receipt")],
    grant: () => [PROJECT_A, PROJECT_B, 9_000n, id("grant agreement")],
    proposeReversal: () => [recorded, id("reason")],
    approveReversal: () => [reversalProposed],
    rejectReversal: () => [reversalProposed, id("reason")],
    publishStatistics: () => [id("2026-Q1"), id("report")],
  };
}

function spec(f: Fixture): AccessMatrixSpec<CharityLedger, LedgerWiring> {
  return { manager: f.manager, target: f.ledger, wiring: W, signers: f.matrixSigners, args: ledgerArgs(f) };
}

/** Functions open to the project's charity and civil affairs: PUBLIC at the manager. */
const SHARED = Object.entries(W)
  .filter(([, label]) => label === "PUBLIC")
  .map(([fn]) => fn);

describe("Access matrix: CharityLedger", function () {
  it("has a signer for every role but REGISTRAR, each holding only its own", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    const roles = [...f.byRole.keys()].map((r) => Number(r)).sort((a, b) => a - b);
    expect(roles).to.deep.equal([0, ...ORG_KINDS.map((k) => k.kind)]);
    for (const [role, signer] of f.byRole) {
      expect((await f.manager.hasRole(role, signer.address))[0], roleLabel(role)).to.equal(true);
    }
  });

  it("wires every state-changing function, as the manager says", async function () {
    const { manager, ledger } = await networkHelpers.loadFixture(matrixFixture);
    await expectWiringComplete(manager, ledger, W);
    expect(SHARED).to.deep.equal(["closeProject", "recordDonation", "recordDonations", "recordGoods"]);
  });

  it("reads back from the manager exactly the wiring of deploy/wiring.ts", async function () {
    const { manager, ledger } = await networkHelpers.loadFixture(matrixFixture);
    await expectWiringReadBack(manager, ledger, W);
  });

  it("lets exactly the wired role through the manager to every restricted function, and everyone to the shared ones", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    const totalsBefore = await f.ledger.totals();
    const cells = await expectAccessMatrix(spec(f));
    const callers = f.byRole.size + 1;
    expectWiredRows(cells, W, callers, () => ["CHARITY", "CIVIL_AFFAIRS"], "CharityLedgerRelayedCall");

    // staticCall changed nothing.
    expect(await f.ledger.totals()).to.deep.equal(totalsBefore);
    expect((await f.ledger.donation(f.ids.reversalProposed)).state).to.equal(2n);
  });

  it("leaves the shared functions to the ledger's own check: only the project's charity and civil affairs", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    const cells = await expectAccessMatrix(spec(f));
    for (const fn of SHARED) {
      for (const c of cells.filter((c) => c.fn === fn && c.path === "direct")) {
        const expected =
          c.caller === "CHARITY" || c.caller === "CIVIL_AFFAIRS"
            ? "returned"
            : `reverted CharityLedgerUnauthorized(${c.address}, ${ROLE.CIVIL_AFFAIRS})`;
        expect(c.detail, `${fn} from ${c.caller}`).to.equal(expected);
      }
      expect(cells.find((c) => c.fn === fn && c.path === "direct" && c.caller === ROLELESS)!.passed).to.equal(true);
    }
    // Another charity passes the manager too, and the ledger refuses it by name.
    const args = ledgerArgs(f);
    const other = await probeGate(f.ledger, "recordDonation", f.otherCharity, await args.recordDonation(""));
    expect(other).to.deep.equal({
      passed: true,
      detail: `reverted CharityLedgerNotProjectCharity(${PROJECT_A}, ${f.otherCharity.address}, ${f.charity.address})`,
    });
  });

  it("puts every ledger function behind the manager (closing the target rejects them all)", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    await expectEveryFunctionRestricted(spec(f), (target, closed) => f.council.setClosed(target, closed));
    expect(await f.manager.isTargetClosed(await f.ledger.getAddress())).to.equal(false);
  });
});
