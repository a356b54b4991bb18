import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import Samples from "../../deploy/organisations/jiangmen.json" with { type: "json" };
import { WIRING } from "../../deploy/wiring.js";
import { requireRelief } from "../../src/deployment.js";
import { ATTESTATIONS, attestationDefinitionHash, attestationMask } from "../../src/relief/attestations.js";
import {
  DEV_RELIEF_SECRET,
  beneficiaryKey,
  householdHash,
  idCheckChar,
  parseReliefSecret,
} from "../../src/relief/key.js";
import { programmeIdOf, projectIdOf } from "../../src/relief/ledger.js";
import { ORG_KINDS, PUBLIC_ROLE, ROLE, roleLabel } from "../../src/roles.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { INTERFACES } from "../../src/contracts.js";
import { writeFunctions } from "../../src/wiring.js";
import type { IReliefLedger, ReliefLedger } from "../../types/ethers-contracts/index.js";
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
  wiredRole,
} from "../helpers/access-matrix.js";
import { testCouncil } from "../helpers/council.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const W = WIRING.ReliefLedger;
type LedgerWiring = typeof W;

// Enum values of IReliefLedger.
const Category = { Industry: 0n, Other: 6n } as const;
const TargetKind = { Programme: 0n, Allocation: 1n, Disbursement: 2n, Beneficiary: 3n, Project: 4n } as const;
const RecipientKind = { Beneficiary: 0n, Project: 1n } as const;

/** 产业扶持资金 approved by rural affairs, and 临时救助 approved by civil affairs, both of 江门市财政局. */
/** (Codes; their ids are namespaced by the finance bureau and the village, set by the fixture.) */
const PROGRAMME_CODE = "JM-IND-2026";
const OTHER_CODE = "JM-TEMP-2026";
/** 浮石村's 陈皮晾晒场, built by the co-operative. */
const PROJECT_CODE = "FS-DRYING-2026";
const PROJECT_2_CODE = "FS-SMALL-2026";
let PROGRAMME: string;
let OTHER: string;
let PROJECT: string;
let PROJECT_2: string;

const SECRET = parseReliefSecret(DEV_RELIEF_SECRET);
/** A synthetic resident ID number of 台山市 (440781) with its check character. */
const idNumber = (birth: string, seq: string) => `440781${birth}${seq}${idCheckChar(`440781${birth}${seq}`)}`;
const KEY_1 = beneficiaryKey(SECRET, idNumber("19580312", "041"));
const KEY_2 = beneficiaryKey(SECRET, idNumber("19630927", "052"));
const KEY_3 = beneficiaryKey(SECRET, idNumber("19711105", "063"));

const MINIMUM_LIVING_ALLOWANCE = attestationMask(["minimum-living-allowance"]);

function terms(o: Partial<IReliefLedger.ProgrammeTermsStruct> = {}): IReliefLedger.ProgrammeTermsStruct {
  return {
    category: Category.Industry,
    fiscalYear: 2026,
    periods: 12,
    approverRole: ROLE.RURAL_AFFAIRS,
    requiredAttestations: MINIMUM_LIVING_ALLOWANCE,
    budget: 1_000_000_00n,
    perBeneficiaryCap: 1_000_00n,
    ...o,
  };
}

/**
 * The whole ledger as deployWithSamples deploys it with the sample organisations, one signer per
 * role (ADMIN, the five departments, the first sample organisation of every other kind: 台山市斗山镇浮石村民委员会
 * for VILLAGE, 江门市新会区陈皮专业合作社 for PRODUCER, 江门市食品检验所 for INSPECTOR), a roleless account,
 * and ledger state every function can act on: a programme whose money went finance → rural affairs →
 * the village, two beneficiaries of the village (one holding every attestation, one none), a proposed
 * and an approved disbursement, a funded project with milestone 0 submitted, an open finding
 * addressed to the village, and a second programme approved by civil affairs with a proposal pending.
 */
async function matrixFixture() {
  const d = await deployWithSamples(connection, () => {});
  const ledger = requireRelief(d);
  const signers = await ethers.getSigners();
  const council = await testCouncil(connection, d);
  const { admin, byRole, roleless, signerOf } = sampleSigners(signers, council.probe);

  const finance = byRole.get(ROLE.FINANCE)!;
  const ruralAffairs = byRole.get(ROLE.RURAL_AFFAIRS)!;
  const civilAffairs = byRole.get(ROLE.CIVIL_AFFAIRS)!;
  const village = byRole.get(ROLE.VILLAGE)!;
  const producer = byRole.get(ROLE.PRODUCER)!;
  const inspector = byRole.get(ROLE.INSPECTOR)!;
  const regulator = byRole.get(ROLE.MARKET_REGULATOR)!;
  const audit = byRole.get(ROLE.AUDITOR)!;
  PROGRAMME = programmeIdOf(finance.address, PROGRAMME_CODE);
  OTHER = programmeIdOf(finance.address, OTHER_CODE);
  PROJECT = projectIdOf(village.address, PROJECT_CODE);
  PROJECT_2 = projectIdOf(village.address, PROJECT_2_CODE);
  const village2 = signerOf(
    Samples.organisations.find((o) => o.kind === "VILLAGE" && o.account !== village.address)!.account,
  );

  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => {
    await (await tx).wait();
  };
  await send(ledger.connect(finance).createProgramme(PROGRAMME_CODE, terms(), id("财农〔2026〕1号")));
  await send(ledger.connect(finance).allocate(PROGRAMME, ruralAffairs, 500_000_00n, id("allocation 1")));
  await send(ledger.connect(village).setParent(PROGRAMME, village, ruralAffairs, id("接收资金确认")));
  await send(ledger.connect(ruralAffairs).allocate(PROGRAMME, village, 200_000_00n, id("allocation 2")));
  await send(ledger.connect(village).registerBeneficiary(KEY_1, householdHash(SECRET, "建档立卡/0001")));
  await send(ledger.connect(village).registerBeneficiary(KEY_2, householdHash(SECRET, "建档立卡/0002")));
  for (const a of ATTESTATIONS) {
    await send(ledger.connect(byRole.get(ROLE[a.attester])!).attest(KEY_1, a.kind, id(`evidence ${a.label}`)));
  }
  const disbursementId = (programmeId: string, period: number) =>
    ledger.disbursementIdOf(RecipientKind.Beneficiary, programmeId, period, KEY_1);
  await send(ledger.connect(village).proposeDisbursement(PROGRAMME, 1, KEY_1, 500_00n, id("一卡通 1")));
  const proposed = await disbursementId(PROGRAMME, 1);
  await send(ledger.connect(village).proposeDisbursement(PROGRAMME, 2, KEY_1, 500_00n, id("一卡通 2")));
  const approved = await disbursementId(PROGRAMME, 2);
  await send(ledger.connect(ruralAffairs).approveDisbursement(approved, 500_00n, id("一卡通 2")));
  await send(ledger.connect(village).createProject(PROJECT_CODE, PROGRAMME, producer, 100_000_00n, 2, id("晾晒场")));
  // A second project with no milestone submitted: the one the approver may accept (close).
  await send(ledger.connect(village).createProject(PROJECT_2_CODE, PROGRAMME, producer, 1_000n, 1, id("小型项目")));
  await send(ledger.connect(village).fundProject(PROJECT, 60_000_00n, id("funding")));
  await send(ledger.connect(producer).submitMilestone(PROJECT, 0, id("foundation laid")));
  await send(ledger.connect(audit).recordFinding(TargetKind.Disbursement, approved, village, 2, id("audit note")));
  const findingId = await ledger.findingCount();

  await send(
    ledger
      .connect(finance)
      .createProgramme(
        OTHER_CODE,
        terms({ category: Category.Other, periods: 1, approverRole: ROLE.CIVIL_AFFAIRS }),
        id("临时救助"),
      ),
  );
  await send(ledger.connect(finance).allocate(OTHER, village, 10_000_00n, id("allocation 3")));
  await send(ledger.connect(village).proposeDisbursement(OTHER, 1, KEY_1, 800_00n, id("一卡通 3")));
  const otherProposed = await disbursementId(OTHER, 1);

  const matrixSigners: MatrixSigners = { byRole, roleless };
  return {
    ...d,
    ledger,
    admin,
    council,
    byRole,
    roleless,
    finance,
    ruralAffairs,
    civilAffairs,
    village,
    village2,
    producer,
    inspector,
    regulator,
    audit,
    matrixSigners,
    ids: { proposed, approved, findingId, otherProposed },
  };
}

type Fixture = Awaited<ReturnType<typeof matrixFixture>>;

/**
 * Well-formed calls on the fixture's state: from the wired role (for PUBLIC functions, the holder,
 * attester, approver, implementer or respondent the call is about) each one succeeds, so only the
 * manager or a caller-dependent rule can stop it.
 */
function ledgerArgs(f: Fixture): ArgsFactories<ReliefLedger, LedgerWiring> {
  const { proposed, approved, findingId } = f.ids;
  return {
    defineAttestation: () => [5, ROLE.RURAL_AFFAIRS, id("definition")],
    createProgramme: () => ["MATRIX-NEW-PROGRAMME", terms(), id("document")],
    appropriate: () => [PROGRAMME, 1_000n, id("appropriation")],
    // The second village is in no tree yet and accepted nobody: only the programme's finance places it.
    allocate: () => [PROGRAMME, f.village2.address, 1_000n, id("allocation")],
    // The programme's finance re-attaches the village (under the holder it has already).
    setParent: () => [PROGRAMME, f.village.address, f.ruralAffairs.address, id("tree decision")],
    moveBeneficiary: () => [KEY_2, f.village2.address, id("move decision")],
    returnFunds: () => [PROGRAMME, 1_000n, id("unused")],
    registerBeneficiary: () => [KEY_3, householdHash(SECRET, "建档立卡/0003")],
    attest: () => [KEY_2, 0, id("低保证")],
    revokeAttestation: () => [KEY_1, 0, id("no longer eligible")],
    createProject: () => ["MATRIX-NEW-PROJECT", PROGRAMME, f.producer.address, 1_000n, 1, id("metadata")],
    fundProject: () => [PROJECT, 1_000n, id("funding")],
    submitMilestone: () => [PROJECT, 1, id("roof done")],
    acceptProject: () => [PROJECT_2, id("acceptance report")],
    proposeDisbursement: () => [PROGRAMME, 3, KEY_1, 500_00n, id("一卡通")],
    proposeProjectPayment: () => [PROJECT, 0, 50_000_00n, id("payment")], // milestone 1 of 2: half the budget
    approveDisbursement: () => [proposed, 500_00n, id("一卡通 1")],
    rejectDisbursement: () => [proposed, id("wrong account")],
    recordUsage: () => [approved, id("receipt")],
    recordFinding: () => [TargetKind.Programme, PROGRAMME, f.finance.address, 1, id("finding")],
    answerFinding: () => [findingId, id("response")],
    closeFinding: () => [findingId, id("resolution")],
  };
}

function spec(f: Fixture): AccessMatrixSpec<ReliefLedger, LedgerWiring> {
  return { manager: f.manager, target: f.ledger, wiring: W, signers: f.matrixSigners, args: ledgerArgs(f) };
}

/** Functions wired PUBLIC: the ledger checks the caller (its role, or who it is in the record) itself. */
const PUBLIC_FUNCTIONS = Object.entries(W)
  .filter(([, label]) => label === "PUBLIC")
  .map(([fn]) => fn);

/** Who the ledger itself lets call each PUBLIC function on the fixture's state. */
const RIGHTFUL: Readonly<Record<string, readonly string[]>> = {
  allocate: ["FINANCE"],
  setParent: ["FINANCE"],
  returnFunds: ["RURAL_AFFAIRS", "VILLAGE"],
  attest: ["CIVIL_AFFAIRS"],
  revokeAttestation: ["CIVIL_AFFAIRS"],
  createProject: ["FINANCE", "RURAL_AFFAIRS", "VILLAGE"],
  fundProject: ["VILLAGE"],
  submitMilestone: ["PRODUCER"],
  acceptProject: ["RURAL_AFFAIRS"],
  proposeDisbursement: ["RURAL_AFFAIRS", "VILLAGE"],
  proposeProjectPayment: ["VILLAGE"],
  approveDisbursement: ["RURAL_AFFAIRS"],
  rejectDisbursement: ["RURAL_AFFAIRS", "VILLAGE"],
  recordUsage: ["VILLAGE"],
  answerFinding: ["VILLAGE"],
};

/**
 * How the ledger refuses `caller` (of role `label`) for a PUBLIC function on the fixture's state.
 */
function refusal(f: Fixture, fn: string, label: string, caller: string): string {
  const { proposed, approved, findingId } = f.ids;
  const village = f.village.address;
  const notHolder = `reverted ReliefLedgerNotHolder(${caller})`;
  switch (fn) {
    case "allocate":
      // Rural affairs and the village hold money, but the second village has not accepted them.
      return label === "RURAL_AFFAIRS" || label === "VILLAGE"
        ? `reverted ReliefLedgerParentNotAccepted(${PROGRAMME}, ${f.village2.address}, ${caller})`
        : notHolder;
    case "setParent":
      // The village itself may only consent while it has no parent; only the programme's finance re-attaches.
      return label === "VILLAGE"
        ? `reverted ReliefLedgerNotParent(${PROGRAMME}, ${village}, ${f.ruralAffairs.address}, ${f.ruralAffairs.address})`
        : `reverted ReliefLedgerNotProgrammeFinance(${PROGRAMME}, ${caller}, ${f.finance.address})`;
    case "createProject":
      return notHolder;
    case "returnFunds":
      // The finance is a holder, but the root of the tree: it has no one to return to.
      return label === "FINANCE" ? `reverted ReliefLedgerRootCannotReturn(${PROGRAMME}, ${caller})` : notHolder;
    case "proposeDisbursement":
      // The finance holds money, but is not the village's parent in the tree.
      return label === "FINANCE"
        ? `reverted ReliefLedgerNotBeneficiaryVillage(${KEY_1}, ${village}, ${caller})`
        : notHolder;
    case "attest":
    case "revokeAttestation":
      return `reverted ReliefLedgerUnauthorized(${caller}, ${ROLE.CIVIL_AFFAIRS})`;
    case "fundProject":
    case "proposeProjectPayment":
      return `reverted ReliefLedgerNotProjectHolder(${PROJECT}, ${village}, ${caller})`;
    case "submitMilestone":
      return `reverted ReliefLedgerNotProjectImplementer(${PROJECT}, ${f.producer.address}, ${caller})`;
    case "acceptProject":
      // Only the programme's approver department (rural affairs) accepts: an inspector no longer does.
      return `reverted ReliefLedgerUnauthorized(${caller}, ${ROLE.RURAL_AFFAIRS})`;
    case "approveDisbursement":
    case "rejectDisbursement":
      return `reverted ReliefLedgerUnauthorized(${caller}, ${ROLE.RURAL_AFFAIRS})`;
    case "recordUsage":
      return `reverted ReliefLedgerNotRecipientSide(${approved}, ${caller})`;
    case "answerFinding":
      return `reverted ReliefLedgerNotRespondent(${findingId}, ${village}, ${caller})`;
    default:
      throw new Error(`no refusal for ${fn} (${proposed})`);
  }
}

/** Every caller of the matrix: [role label, signer], the roleless one last. */
function callers(f: Fixture): [string, HardhatEthersSigner][] {
  return [
    ...[...f.byRole].map(([role, s]): [string, HardhatEthersSigner] => [roleLabel(role), s]),
    [ROLELESS, f.roleless],
  ];
}

describe("Access matrix: ReliefLedger", function () {
  it("has a signer for every role but REGISTRAR, each holding only its own", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    const roles = [...f.byRole.keys()].map((r) => Number(r)).sort((a, b) => a - b);
    expect(roles).to.deep.equal([0, ...ORG_KINDS.map((k) => k.kind)]);
    for (const [role, signer] of f.byRole) {
      expect((await f.manager.hasRole(role, signer.address))[0], roleLabel(role)).to.equal(true);
    }
    expect((await f.manager.hasRole(ROLE.VILLAGE, f.village2.address))[0]).to.equal(true);
    expect(f.village2.address).to.not.equal(f.village.address);
    expect(await f.ledger.authority()).to.equal(await f.manager.getAddress());
  });

  it("wires every state-changing function, as the manager says", async function () {
    const { manager, ledger } = await networkHelpers.loadFixture(matrixFixture);
    await expectWiringComplete(manager, ledger, W);
    const written = writeFunctions(ledger.interface).filter((fn) => !MANAGER_ONLY_FUNCTIONS.includes(fn));
    expect(Object.keys(W)).to.have.members(written);
    expect(PUBLIC_FUNCTIONS).to.have.members(Object.keys(RIGHTFUL));
    expect(Object.keys(RIGHTFUL)).to.have.members(PUBLIC_FUNCTIONS);
  });

  it("reads back from the manager exactly the wiring of deploy/wiring.ts", async function () {
    const { manager, ledger } = await networkHelpers.loadFixture(matrixFixture);
    await expectWiringReadBack(manager, ledger, W);
  });

  it("defines on chain exactly the attestation kinds of src/relief/attestations.ts", async function () {
    const { ledger } = await networkHelpers.loadFixture(matrixFixture);
    const onChain: Record<number, string> = {};
    for (let kind = 0; kind <= 15; kind++) {
      const role = await ledger.attesterRole(kind);
      if (role !== 0n) onChain[kind] = roleLabel(role);
    }
    expect(onChain).to.deep.equal(Object.fromEntries(ATTESTATIONS.map((a) => [a.kind, a.attester])));
    expect(await ledger.attesterRole(16)).to.equal(0n);
    expect(await ledger.MAX_ATTESTATION_KIND()).to.equal(15n);

    // Each defined once at deployment, with the hash of its published wording.
    const logs = await ledger.queryFilter(ledger.filters.AttestationDefined());
    expect(logs.map((l) => [l.args.kind, l.args.attesterRole, l.args.definitionHash])).to.have.deep.members(
      ATTESTATIONS.map((a) => [BigInt(a.kind), ROLE[a.attester], attestationDefinitionHash(a)]),
    );
    expect(logs).to.have.length(ATTESTATIONS.length);
  });

  it("is deployed under the same AccessManager as the registry and the other ledgers, with the sample organisations", async function () {
    const { ledger, ...d } = await networkHelpers.loadFixture(matrixFixture);
    const manager = await d.manager.getAddress();
    expect(await ledger.authority(), "ReliefLedger's authority").to.equal(manager);
    expect(await d.registry.authority(), "OrgRegistry's authority").to.equal(manager);
    expect(await d.charity!.authority(), "CharityLedger's authority").to.equal(manager);
    expect(await d.trace!.authority(), "TraceLedger's authority").to.equal(manager);
    for (const o of Samples.organisations.filter((x) => x.kind === "VILLAGE")) {
      expect((await d.manager.hasRole(ROLE.VILLAGE, o.account))[0], o.name).to.equal(true);
    }
  });

  it("lets exactly the wired role through the manager to every restricted function, and everyone to the PUBLIC ones", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    const before = await f.ledger.programme(PROGRAMME);
    const findingsBefore = await f.ledger.findingCount();
    const cells = await expectAccessMatrix(spec(f));
    const callerCount = f.byRole.size + 1;
    expectWiredRows(cells, W, callerCount, (fn) => RIGHTFUL[fn]!, "ReliefLedgerRelayedCall");

    // staticCall changed nothing.
    expect(await f.ledger.programme(PROGRAMME)).to.deep.equal(before);
    expect(await f.ledger.findingCount()).to.equal(findingsBefore);
    expect((await f.ledger.disbursement(f.ids.proposed)).status).to.equal(1n);
    expect((await f.ledger.beneficiary(KEY_3)).village).to.equal(ethers.ZeroAddress);
  });

  it("leaves the PUBLIC functions to the ledger's own checks: holders, attesters, approvers, implementer, respondent", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    const cells = await expectAccessMatrix(spec(f));
    const row = (fn: string): MatrixCell[] => cells.filter((c) => c.fn === fn && c.path === "direct");
    for (const fn of PUBLIC_FUNCTIONS) {
      for (const c of row(fn)) {
        if (RIGHTFUL[fn]!.includes(c.caller)) expect(c.detail, `${fn} from ${c.caller}`).to.equal("returned");
        else expect(c.detail, `${fn} from ${c.caller}`).to.equal(refusal(f, fn, c.caller, c.address));
      }
      // Organisations of unrelated kinds and the unregistered account get through the manager, then the ledger refuses them.
      for (const caller of ["CHARITY", "RETAILER", "AUDITOR", ROLELESS]) {
        const c = row(fn).find((x) => x.caller === caller)!;
        expect(c.passed, `${fn} from ${caller}`).to.equal(true);
        expect(c.detail, `${fn} from ${caller}`).to.match(/^reverted ReliefLedger(Unauthorized|Not[A-Za-z]+)\(/);
      }
    }
  });

  it("lets only the attester role of each kind attest and revoke it", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    for (const a of ATTESTATIONS) {
      const role = ROLE[a.attester];
      for (const [label, signer] of callers(f)) {
        const attested = await probeGate(f.ledger, "attest", signer, [KEY_2, a.kind, id("evidence")]);
        const revoked = await probeGate(f.ledger, "revokeAttestation", signer, [KEY_1, a.kind, id("reason")]);
        const expected =
          label === a.attester ? "returned" : `reverted ReliefLedgerUnauthorized(${signer.address}, ${role})`;
        expect(attested, `attest ${a.label} from ${label}`).to.deep.equal({ passed: true, detail: expected });
        expect(revoked, `revoke ${a.label} from ${label}`).to.deep.equal({ passed: true, detail: expected });
      }
    }
    // A kind nobody defined is attested by no one.
    for (const [label, signer] of callers(f)) {
      const outcome = await probeGate(f.ledger, "attest", signer, [KEY_2, 5, id("evidence")]);
      expect(outcome, `attest kind 5 from ${label}`).to.deep.equal({
        passed: true,
        detail: "reverted ReliefLedgerUnknownAttestation(5)",
      });
    }
  });

  it("lets only the programme's approver role approve, and it or the proposer reject", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    // The second programme is approved by civil affairs: rural affairs has no say in it.
    const { otherProposed } = f.ids;
    for (const [label, signer] of callers(f)) {
      const refused = `reverted ReliefLedgerUnauthorized(${signer.address}, ${ROLE.CIVIL_AFFAIRS})`;
      const approved = await probeGate(f.ledger, "approveDisbursement", signer, [
        otherProposed,
        800_00n,
        id("一卡通 3"),
      ]);
      expect(approved, `approve from ${label}`).to.deep.equal({
        passed: true,
        detail: label === "CIVIL_AFFAIRS" ? "returned" : refused,
      });
      const rejected = await probeGate(f.ledger, "rejectDisbursement", signer, [otherProposed, id("reason")]);
      expect(rejected, `reject from ${label}`).to.deep.equal({
        passed: true,
        detail: label === "CIVIL_AFFAIRS" || label === "VILLAGE" ? "returned" : refused,
      });
    }
    // An approver that proposed cannot approve its own proposal.
    await (await f.ledger.connect(f.ruralAffairs).proposeDisbursement(PROGRAMME, 4, KEY_1, 1n, id("ref"))).wait();
    const own = await f.ledger.disbursementIdOf(RecipientKind.Beneficiary, PROGRAMME, 4, KEY_1);
    expect(await probeGate(f.ledger, "approveDisbursement", f.ruralAffairs, [own, 1n, id("ref")])).to.deep.equal({
      passed: true,
      detail: `reverted ReliefLedgerSelfApproval(${own}, ${f.ruralAffairs.address})`,
    });
  });

  it("refuses a holder, attester, approver or acceptor that no longer holds its role, inside the ledger", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    const args = ledgerArgs(f);
    const suspend = async (who: HardhatEthersSigner, by: HardhatEthersSigner) =>
      (await f.registry.connect(by).suspend(who.address, id("suspended"))).wait();
    // The village first: rural affairs admits villages.
    await suspend(f.village, f.ruralAffairs);
    // Departments are admitted, and suspended, by the council (ADMIN), after its delay.
    const byCouncil = (action: "suspend" | "reinstate", who: string, reason: string) =>
      f.council.act(
        f.addresses.OrgRegistry,
        action === "suspend"
          ? f.registry.interface.encodeFunctionData("suspend", [who, id(reason)])
          : f.registry.interface.encodeFunctionData("reinstate", [who, id(reason)]),
      );
    await byCouncil("suspend", f.ruralAffairs.address, "suspended");
    await byCouncil("suspend", f.finance.address, "suspended");
    await byCouncil("suspend", f.civilAffairs.address, "suspended");
    await suspend(f.inspector, f.regulator);

    const inside = (detail: string) => ({ passed: true, detail });
    const probe = async (fn: keyof LedgerWiring, who: HardhatEthersSigner) =>
      probeGate(f.ledger, fn, who, await args[fn](who.address));

    for (const fn of [
      "allocate",
      "returnFunds",
      "createProject",
      "fundProject",
      "proposeDisbursement",
      "proposeProjectPayment",
    ] as const) {
      expect(await probe(fn, f.village), `${fn} from the suspended village`).to.deep.equal(
        inside(`reverted ReliefLedgerNotHolder(${f.village.address})`),
      );
    }
    for (const fn of ["allocate", "returnFunds", "createProject", "proposeDisbursement"] as const) {
      expect(await probe(fn, f.ruralAffairs), `${fn} from suspended rural affairs`).to.deep.equal(
        inside(`reverted ReliefLedgerNotHolder(${f.ruralAffairs.address})`),
      );
    }
    for (const fn of ["allocate", "createProject"] as const) {
      expect(await probe(fn, f.finance), `${fn} from the suspended finance`).to.deep.equal(
        inside(`reverted ReliefLedgerNotHolder(${f.finance.address})`),
      );
    }
    for (const fn of ["approveDisbursement", "rejectDisbursement"] as const) {
      expect(await probe(fn, f.ruralAffairs), `${fn} from suspended rural affairs`).to.deep.equal(
        inside(`reverted ReliefLedgerUnauthorized(${f.ruralAffairs.address}, ${ROLE.RURAL_AFFAIRS})`),
      );
    }
    for (const fn of ["attest", "revokeAttestation"] as const) {
      expect(await probe(fn, f.civilAffairs), `${fn} from suspended civil affairs`).to.deep.equal(
        inside(`reverted ReliefLedgerUnauthorized(${f.civilAffairs.address}, ${ROLE.CIVIL_AFFAIRS})`),
      );
    }
    for (const [who, label] of [
      [f.inspector, "the suspended inspector"],
      [f.ruralAffairs, "suspended rural affairs"],
    ] as const) {
      // The programme's approver role names the role the acceptor lacks (an inspector never had it).
      expect(await probe("acceptProject", who), `acceptProject from ${label}`).to.deep.equal(
        inside(`reverted ReliefLedgerUnauthorized(${who.address}, ${ROLE.RURAL_AFFAIRS})`),
      );
    }
    // Their restricted functions are closed by the manager itself.
    for (const [fn, who] of [
      ["registerBeneficiary", f.village],
      ["createProgramme", f.finance],
      ["appropriate", f.finance],
    ] as const) {
      expect(await probe(fn, who), fn).to.deep.equal({
        passed: false,
        detail: `reverted AccessManagedUnauthorized(${who.address})`,
      });
    }
    // And no money goes to a suspended organisation.
    await byCouncil("reinstate", f.finance.address, "rectified");
    expect(
      await probeGate(f.ledger, "allocate", f.finance, [PROGRAMME, f.ruralAffairs.address, 1n, id("allocation")]),
    ).to.deep.equal(inside(`reverted ReliefLedgerNotHolder(${f.ruralAffairs.address})`));
    expect(await probe("allocate", f.finance)).to.deep.equal(inside("returned"));
  });

  it("puts every ledger function behind the manager (closing the target rejects them all)", async function () {
    const f = await networkHelpers.loadFixture(matrixFixture);
    await expectEveryFunctionRestricted(spec(f), (target, closed) => f.council.setClosed(target, closed));
    expect(await f.manager.isTargetClosed(await f.ledger.getAddress())).to.equal(false);
  });
});
