/**
 * The `relief ...` commands. Each reads its options and checks them locally (codes, amounts in
 * yuan, ID numbers, periods, attestation kinds), then writes through src/relief/ledger.ts, which
 * simulates every write before sending it. ID numbers are turned into beneficiary keys by the key
 * service (ZHIXIN_KEY_SERVICE_URL; the dev chain's secret locally when unset), never sent to the
 * chain; screens show them masked.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { id as keccakText, ZeroAddress } from "ethers";

import { InvalidInputError } from "../../src/credit-code.js";
import { requireRelief, type Deployment } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { printTable } from "../../src/format.js";
import { parseBytes32, requiredDocumentHash } from "../../src/hash.js";
import { formatYuan, parseYuan } from "../../src/money.js";
import { organisationNamer } from "../../src/registry.js";
import { writeReportFile } from "../../src/charity/report-file.js";
import { ATTESTATIONS, attestationMask, attestationOf, attestationsOfMask } from "../../src/relief/attestations.js";
import { oneKey } from "../../src/relief/key-service-client.js";
import { maskIdNumber } from "../../src/relief/key.js";
import * as ledger from "../../src/relief/ledger.js";
import { duplicatePayments, holderProgrammes, programmeTree, type TreeNode } from "../../src/relief/tree.js";
import { ROLE, roleLabel } from "../../src/roles.js";
import {
  jsonText,
  mined,
  openReader,
  openSession,
  organisationOption,
  required,
  runTask,
  type Session,
} from "../common.js";
import { keySourceFor } from "./common.js";

type Hre = HardhatRuntimeEnvironment;

interface DocArgs {
  documentFile: string;
  documentHash: string;
}

async function session(hre: Hre, from: string): Promise<Session> {
  const s = await openSession(hre, from);
  requireRelief(s.deployment);
  return s;
}

function positiveInt(field: string, input: string | undefined, max = 2 ** 32 - 1): number {
  const v = required(field, input).trim();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) {
    throw new InvalidInputError(field, input, `must be a whole number from 1 to ${max}`);
  }
  return Number(v);
}

function amountOf(field: string, input: string | undefined): bigint {
  const fen = parseYuan(required(field, input), field);
  if (fen === 0n) throw new InvalidInputError(field, input, "must be more than zero");
  return fen;
}

/** The key of `--id-number` (from the key service, signed by `--from`) or `--key` (given). */
async function keyOf(
  hre: Hre,
  a: { idNumber: string; key: string; from?: string },
): Promise<{ key: string; shown: string }> {
  if (a.idNumber !== "" && a.key !== "") throw new LedgerError("give --id-number or --key, not both");
  if (a.key !== "") {
    const key = parseBytes32("--key", a.key);
    return { key, shown: key };
  }
  const id = required("--id-number (or --key)", a.idNumber);
  const s = await openSession(hre, a.from ?? "");
  const { key } = await oneKey(await keySourceFor(hre, s.signer, s.deployment.chainId), id);
  return { key, shown: `${maskIdNumber(id.trim())} (key ${key})` };
}

/** The programme named by `code` (a code or 0x id), preferring `preferred`'s own programme under a code. */
async function programmeOf(d: Deployment, code: string | undefined, preferred?: string): Promise<ledger.ProgrammeView> {
  const id = await ledger.resolveProgramme(d, required("programme", code), preferred);
  const p = await ledger.getProgramme(d, id);
  if (p === undefined) throw new LedgerError(`no programme ${code!.trim()} on this chain`);
  return p;
}

/** The relief project named by `code` (a code or 0x id), preferring `preferred`'s own project under a code. */
async function projectOf(d: Deployment, code: string | undefined, preferred?: string): Promise<ledger.ProjectView> {
  const id = await ledger.resolveProject(d, required("project", code), preferred);
  const p = await ledger.getProject(d, id);
  if (p === undefined) throw new LedgerError(`no project ${code!.trim()} on this chain`);
  return p;
}

const yuan = (fen: bigint) => formatYuan(fen, { symbol: true });

// ---------------------------------------------------------------- programmes

export async function programmeCreate(
  a: {
    code: string;
    category?: string;
    year?: string;
    budget?: string;
    periods: string;
    cap?: string;
    requires: string;
    approver: string;
    from: string;
  } & DocArgs,
  hre: Hre,
) {
  return runTask(async () => {
    const code = ledger.parseCodeRef("--code", a.code);
    if (!("code" in code)) throw new InvalidInputError("--code", a.code, "a new programme needs a code, not a 0x id");
    const approver = a.approver.trim().toUpperCase();
    if (!(approver in ROLE) || approver === "ADMIN" || approver === "REGISTRAR") {
      throw new InvalidInputError("--approver", a.approver, "must be an organisation kind, e.g. RURAL_AFFAIRS");
    }
    const terms: ledger.ProgrammeTerms = {
      category: ledger.parseCategory(required("--category", a.category)),
      fiscalYear: positiveInt("--year", a.year, 2999),
      periods: positiveInt("--periods", a.periods, 65_535),
      approverRole: Number(ROLE[approver as keyof typeof ROLE]),
      requiredAttestations: attestationMask(
        a.requires
          .split(",")
          .map((x) => x.trim())
          .filter((x) => x !== ""),
      ),
      budget: amountOf("--budget", a.budget),
      perBeneficiaryCap: amountOf("--cap", a.cap),
    };
    const doc = await requiredDocumentHash(
      "appropriation document",
      { file: a.documentFile, hash: a.documentHash },
      "appropriation document",
      "document",
    );
    const s = await session(hre, a.from);
    const w = await ledger.createProgramme(s.deployment, s.signer, code.code, terms, doc, s.overrides);
    console.log(
      `programme ${a.code.trim()} created: ${ledger.CATEGORIES[terms.category]}, ${terms.fiscalYear}, budget ${yuan(terms.budget)}, ${terms.periods} period(s), cap ${yuan(terms.perBeneficiaryCap)} ${mined(w)}`,
    );
    console.log(`  id ${w.value}`);
  });
}

export async function programmeAppropriate(a: { code: string; amount?: string; from: string } & DocArgs, hre: Hre) {
  return runTask(async () => {
    const amount = amountOf("--amount", a.amount);
    const doc = await requiredDocumentHash(
      "appropriation document",
      { file: a.documentFile, hash: a.documentHash },
      "appropriation document",
      "document",
    );
    const s = await session(hre, a.from);
    const p = await programmeOf(s.deployment, a.code, s.signer.address);
    const w = await ledger.appropriate(s.deployment, s.signer, p.programmeId, amount, doc, s.overrides);
    console.log(`programme ${a.code.trim()} raised by ${yuan(amount)} to ${yuan(p.appropriated + amount)} ${mined(w)}`);
  });
}

export async function programmeShow(a: { code: string; json: boolean }, hre: Hre) {
  return runTask(async () => {
    const d = await openReader(hre);
    const p = await programmeOf(d, a.code);
    if (a.json) return console.log(jsonText(p));
    const nameOf = await organisationNamer(d);
    const requires = attestationsOfMask(p.requiredAttestations).map((x) => x.zh);
    console.log(`programme ${a.code.trim()} (${p.programmeId})`);
    console.log(`  finance       ${nameOf(p.finance)}`);
    console.log(`  category      ${p.category} (${ledger.CATEGORY_ZH[p.category]}), fiscal year ${p.fiscalYear}`);
    console.log(`  periods       ${p.periods}, cap per payment ${yuan(p.perBeneficiaryCap)}`);
    console.log(
      `  requires      ${requires.join(", ") || "nothing"}; approved by ${roleLabel(BigInt(p.approverRole))}`,
    );
    console.log(`  appropriated  ${yuan(p.appropriated)}`);
    console.log(`  allocated     ${yuan(p.allocated)} (every hop)`);
    console.log(`  disbursed     ${yuan(p.disbursed)}`);
    console.log(`  returned      ${yuan(p.returned)}`);
  });
}

// ---------------------------------------------------------------- allocation

export async function allocate(
  a: { programme: string; to: string; project: string; amount?: string; from: string } & DocArgs,
  hre: Hre,
) {
  return runTask(async () => {
    const amount = amountOf("--amount", a.amount);
    if ((a.to === "") === (a.project === "")) throw new LedgerError("give --to <organisation> or --project <code>");
    const doc = await requiredDocumentHash(
      "allocation document (资金拨付文件)",
      { file: a.documentFile, hash: a.documentHash },
      "allocation document (资金拨付文件)",
      "document",
    );
    const s = await session(hre, a.from);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    if (a.project !== "") {
      const j = await projectOf(s.deployment, a.project, s.signer.address);
      if (j.programmeId.toLowerCase() !== p.programmeId.toLowerCase()) {
        throw new LedgerError(`project ${a.project.trim()} belongs to another programme (${j.programmeId})`);
      }
      const w = await ledger.fundProject(s.deployment, s.signer, j.projectId, amount, doc, s.overrides);
      console.log(`allocation ${w.value}: ${yuan(amount)} into project ${a.project.trim()} ${mined(w)}`);
      return;
    }
    const to = await organisationOption(s.deployment, "--to", a.to);
    const w = await ledger.allocate(s.deployment, s.signer, p.programmeId, to.account, amount, doc, s.overrides);
    console.log(`allocation ${w.value}: ${yuan(amount)} of ${a.programme.trim()} to ${to.name} ${mined(w)}`);
  });
}

/** A holder accepts `--parent` above it (its consent before `--parent` allocates to it). */
export async function parentAccept(a: { programme: string; parent: string; from: string } & DocArgs, hre: Hre) {
  return runTask(async () => {
    const doc = await requiredDocumentHash(
      "acceptance document",
      { file: a.documentFile, hash: a.documentHash },
      "acceptance document (接收资金确认)",
      "document",
    );
    const s = await session(hre, a.from);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    const parent = await organisationOption(s.deployment, "--parent", a.parent);
    const holder = await s.signer.getAddress();
    const w = await ledger.setParent(
      s.deployment,
      s.signer,
      { programmeId: p.programmeId, holder, parent: parent.account, documentHash: doc },
      s.overrides,
    );
    console.log(`accepted ${parent.name} as the holder above in ${a.programme.trim()} ${mined(w)}`);
  });
}

/** The programme's finance re-attaches `--holder` under `--parent`. */
export async function parentSet(
  a: { programme: string; holder: string; parent: string; from: string } & DocArgs,
  hre: Hre,
) {
  return runTask(async () => {
    const doc = await requiredDocumentHash(
      "decision",
      { file: a.documentFile, hash: a.documentHash },
      "decision re-attaching the holder",
      "document",
    );
    const s = await session(hre, a.from);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    const holder = await organisationOption(s.deployment, "--holder", a.holder);
    const parent = await organisationOption(s.deployment, "--parent", a.parent);
    const w = await ledger.setParent(
      s.deployment,
      s.signer,
      { programmeId: p.programmeId, holder: holder.account, parent: parent.account, documentHash: doc },
      s.overrides,
    );
    console.log(`${holder.name} now receives ${a.programme.trim()} from ${parent.name} ${mined(w)}`);
  });
}

export async function giveBack(a: { programme: string; amount?: string; from: string } & DocArgs, hre: Hre) {
  return runTask(async () => {
    const amount = amountOf("--amount", a.amount);
    const doc = await requiredDocumentHash(
      "return document (why the money is unused)",
      { file: a.documentFile, hash: a.documentHash },
      "return document (why the money is unused)",
      "document",
    );
    const s = await session(hre, a.from);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    const h = await ledger.getHolding(s.deployment, p.programmeId, s.signer.address);
    const w = await ledger.returnFunds(s.deployment, s.signer, p.programmeId, amount, doc, s.overrides);
    const nameOf = await organisationNamer(s.deployment);
    console.log(`${yuan(amount)} of ${a.programme.trim()} returned to ${nameOf(h.parent ?? "")} ${mined(w)}`);
  });
}

// ---------------------------------------------------------------- beneficiaries

export async function beneficiaryKeyShow(a: { idNumber: string; from?: string }, hre: Hre) {
  return runTask(async () => {
    const { key } = await keyOf(hre, { idNumber: a.idNumber, key: "", from: a.from ?? "" });
    console.log(key);
  });
}

export async function beneficiaryRegister(a: { idNumber: string; household: string; from: string }, hre: Hre) {
  return runTask(async () => {
    const s = await session(hre, a.from);
    const source = await keySourceFor(hre, s.signer, s.deployment.chainId);
    const { key, householdHash: household } = await oneKey(
      source,
      required("--id-number", a.idNumber),
      required("--household", a.household),
    );
    const w = await ledger.registerBeneficiary(s.deployment, s.signer, key, household!, s.overrides);
    console.log(`beneficiary ${maskIdNumber(a.idNumber.trim())} registered as key ${key} ${mined(w)}`);
  });
}

export async function beneficiaryMove(
  a: {
    idNumber: string;
    key: string;
    to: string;
    deregister: boolean;
    reasonFile: string;
    reasonHash: string;
    from: string;
  },
  hre: Hre,
) {
  return runTask(async () => {
    if ((a.to === "") === !a.deregister) throw new LedgerError("give --to <village> or --deregister");
    const { key, shown } = await keyOf(hre, a);
    const reason = await requiredDocumentHash(
      "reason",
      { file: a.reasonFile, hash: a.reasonHash },
      "decision moving the beneficiary",
      "reason",
    );
    const s = await session(hre, a.from);
    const to = a.deregister ? undefined : await organisationOption(s.deployment, "--to", a.to);
    const w = await ledger.moveBeneficiary(
      s.deployment,
      s.signer,
      key,
      to?.account ?? ZeroAddress,
      reason,
      s.overrides,
    );
    console.log(`beneficiary ${shown} ${to === undefined ? "deregistered" : `moved to ${to.name}`} ${mined(w)}`);
  });
}

export async function beneficiaryAttest(
  a: { idNumber: string; key: string; kind?: string; evidenceFile: string; evidenceHash: string; from: string },
  hre: Hre,
) {
  return runTask(async () => {
    const kind = attestationOf(required("--kind", a.kind));
    const { key, shown } = await keyOf(hre, a);
    const evidence = await requiredDocumentHash(
      "evidence",
      { file: a.evidenceFile, hash: a.evidenceHash },
      "attestation's evidence",
      "evidence",
    );
    const s = await session(hre, a.from);
    const w = await ledger.attest(s.deployment, s.signer, key, kind.kind, evidence, s.overrides);
    console.log(`${shown}: attested ${kind.zh} (${kind.en}) ${mined(w)}`);
  });
}

export async function beneficiaryRevoke(
  a: { idNumber: string; key: string; kind?: string; reasonFile: string; reasonHash: string; from: string },
  hre: Hre,
) {
  return runTask(async () => {
    const kind = attestationOf(required("--kind", a.kind));
    const { key, shown } = await keyOf(hre, a);
    const reason = await requiredDocumentHash(
      "reason",
      { file: a.reasonFile, hash: a.reasonHash },
      "revocation decision",
      "reason",
    );
    const s = await session(hre, a.from);
    const w = await ledger.revokeAttestation(s.deployment, s.signer, key, kind.kind, reason, s.overrides);
    console.log(`${shown}: ${kind.zh} (${kind.en}) revoked ${mined(w)}`);
  });
}

export async function beneficiaryShow(a: { idNumber: string; key: string; from?: string; json: boolean }, hre: Hre) {
  return runTask(async () => {
    const { key, shown } = await keyOf(hre, a);
    const d = await openReader(hre);
    const b = await ledger.getBeneficiary(d, key);
    if (b === undefined) throw new LedgerError(`no beneficiary ${shown} on this chain`);
    if (a.json) return console.log(jsonText(b));
    const nameOf = await organisationNamer(d);
    console.log(`beneficiary ${shown}`);
    console.log(`  village       ${nameOf(b.village)}`);
    console.log(`  registered    ${new Date(Number(b.registeredAt) * 1000).toISOString()}`);
    const held = attestationsOfMask(b.attestations);
    console.log(`  attestations  ${held.map((x) => `${x.zh} (${x.en})`).join(", ") || "none"}`);
  });
}

// ---------------------------------------------------------------- projects

export async function projectCreate(
  a: {
    code: string;
    programme?: string;
    implementer?: string;
    budget?: string;
    milestones?: string;
    from: string;
  } & DocArgs,
  hre: Hre,
) {
  return runTask(async () => {
    const code = ledger.parseCodeRef("--code", a.code);
    if (!("code" in code)) throw new InvalidInputError("--code", a.code, "a new project needs a code, not a 0x id");
    const budget = amountOf("--budget", a.budget);
    const milestoneCount = positiveInt("--milestones", a.milestones, 32);
    const metadataHash = await requiredDocumentHash(
      "project document (plan, budget)",
      { file: a.documentFile, hash: a.documentHash },
      "project document (plan, budget)",
      "document",
    );
    const s = await session(hre, a.from);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    const implementer = await organisationOption(s.deployment, "--implementer", a.implementer);
    const w = await ledger.createProject(
      s.deployment,
      s.signer,
      {
        code: code.code,
        programmeId: p.programmeId,
        implementer: implementer.account,
        budget,
        milestoneCount,
        metadataHash,
      },
      s.overrides,
    );
    console.log(
      `project ${a.code.trim()} created under ${a.programme!.trim()}: ${implementer.name}, budget ${yuan(budget)}, ${milestoneCount} milestone(s) ${mined(w)}`,
    );
    console.log(`  id ${w.value}`);
  });
}

export async function projectMilestone(
  a: { code: string; index?: string; evidenceFile: string; evidenceHash: string; from: string },
  hre: Hre,
) {
  return runTask(async () => {
    const index = positiveInt("--index", a.index, 32);
    const evidence = await requiredDocumentHash(
      "evidence",
      { file: a.evidenceFile, hash: a.evidenceHash },
      "milestone's evidence",
      "evidence",
    );
    const s = await session(hre, a.from);
    const j = await projectOf(s.deployment, a.code, s.signer.address);
    const w = await ledger.submitMilestone(s.deployment, s.signer, j.projectId, index - 1, evidence, s.overrides);
    console.log(`project ${a.code.trim()}: milestone ${index} of ${j.milestoneCount} submitted ${mined(w)}`);
  });
}

export async function projectAccept(a: { code: string; from: string } & DocArgs, hre: Hre) {
  return runTask(async () => {
    const report = await requiredDocumentHash(
      "acceptance report",
      { file: a.documentFile, hash: a.documentHash },
      "acceptance report",
      "document",
    );
    const s = await session(hre, a.from);
    const j = await projectOf(s.deployment, a.code, s.signer.address);
    const w = await ledger.acceptProject(s.deployment, s.signer, j.projectId, report, s.overrides);
    const nameOf = await organisationNamer(s.deployment);
    console.log(
      `project ${a.code.trim()} accepted; ${yuan(j.available)} unspent returned to ${nameOf(j.holder)} ${mined(w)}`,
    );
  });
}

export async function projectShow(a: { code: string; json: boolean }, hre: Hre) {
  return runTask(async () => {
    const d = await openReader(hre);
    const j = await projectOf(d, a.code);
    if (a.json) return console.log(jsonText(j));
    const nameOf = await organisationNamer(d);
    console.log(`project ${a.code.trim()} (${j.projectId}): ${j.status}`);
    console.log(`  programme     ${j.programmeId}`);
    console.log(`  funded by     ${nameOf(j.holder)}`);
    console.log(`  implementer   ${nameOf(j.implementer)}`);
    console.log(`  budget        ${yuan(j.budget)}; funded ${yuan(j.funded)}, paid ${yuan(j.paid)}`);
    console.log(
      `  balance       ${yuan(j.available)} available, ${yuan(j.reserved)} proposed, ${yuan(j.returned)} returned`,
    );
    console.log(
      `  milestones    ${j.milestonesSubmitted.length} of ${j.milestoneCount} submitted (${j.milestonesSubmitted.map((i) => i + 1).join(", ") || "none"})`,
    );
  });
}

// ---------------------------------------------------------------- disbursement

export async function disbursePropose(
  a: {
    programme: string;
    period: string;
    idNumber: string;
    key: string;
    project: string;
    milestone: string;
    amount?: string;
    paymentRef?: string;
    paymentSalt?: string;
    from: string;
  },
  hre: Hre,
) {
  return runTask(async () => {
    const amount = amountOf("--amount", a.amount);
    const paymentRef = required("--payment-ref", a.paymentRef).trim();
    const salt = a.paymentSalt === undefined || a.paymentSalt.trim() === "" ? ledger.newPaymentSalt() : a.paymentSalt;
    const paymentRefHash = ledger.paymentCommitment(salt.trim().toLowerCase(), paymentRef);
    const keepSalt = () => {
      console.log(`  payment reference committed as ${paymentRefHash}`);
      console.log(`  salt ${salt.trim().toLowerCase()}: keep it with the payment record (it proves the reference)`);
    };
    if (a.project !== "") {
      if (a.idNumber !== "" || a.key !== "") throw new LedgerError("give a beneficiary or --project, not both");
      const milestone = positiveInt("--milestone", a.milestone, 32);
      const s = await session(hre, a.from);
      const j = await projectOf(s.deployment, a.project, s.signer.address);
      const w = await ledger.proposeProjectPayment(
        s.deployment,
        s.signer,
        { projectId: j.projectId, milestone: milestone - 1, amount, paymentRefHash },
        s.overrides,
      );
      console.log(`proposed ${yuan(amount)} for milestone ${milestone} of project ${a.project.trim()} ${mined(w)}`);
      console.log(`  disbursement ${w.value}: it counts once another organisation approves it`);
      keepSalt();
      return;
    }
    const period = positiveInt("--period", a.period, 65_535);
    const { key, shown } = await keyOf(hre, a);
    const s = await session(hre, a.from);
    const p = await programmeOf(s.deployment, a.programme, s.signer.address);
    const w = await ledger.proposeDisbursement(
      s.deployment,
      s.signer,
      { programmeId: p.programmeId, period, key, amount, paymentRefHash },
      s.overrides,
    );
    console.log(`proposed ${yuan(amount)} to ${shown} for period ${period} of ${a.programme.trim()} ${mined(w)}`);
    console.log(`  disbursement ${w.value}: it counts once another organisation approves it`);
    keepSalt();
  });
}

export async function disburseApprove(
  a: { id: string; amount?: string; paymentRefHash?: string; from: string },
  hre: Hre,
) {
  return runTask(async () => {
    const id = parseBytes32("disbursement id", a.id);
    // The terms the approver reviewed: the ledger refuses the approval if the proposal now says otherwise.
    const amount = amountOf("--amount", a.amount);
    const paymentRefHash = parseBytes32("--payment-ref-hash", required("--payment-ref-hash", a.paymentRefHash));
    const s = await session(hre, a.from);
    const x = await ledger.getDisbursement(s.deployment, id);
    if (x === undefined) throw new LedgerError(`no disbursement ${id} on this chain`);
    const w = await ledger.approveDisbursement(s.deployment, s.signer, id, { amount, paymentRefHash }, s.overrides);
    const nameOf = await organisationNamer(s.deployment);
    console.log(`approved ${yuan(x.amount)} proposed by ${nameOf(x.holder)} ${mined(w)}`);
  });
}

export async function disburseReject(
  a: { id: string; reasonFile: string; reasonHash: string; from: string },
  hre: Hre,
) {
  return runTask(async () => {
    const id = parseBytes32("disbursement id", a.id);
    const reason = await requiredDocumentHash("reason", { file: a.reasonFile, hash: a.reasonHash }, "reason", "reason");
    const s = await session(hre, a.from);
    const x = await ledger.getDisbursement(s.deployment, id);
    if (x === undefined) throw new LedgerError(`no disbursement ${id} on this chain`);
    const w = await ledger.rejectDisbursement(s.deployment, s.signer, id, reason, s.overrides);
    console.log(`rejected; ${yuan(x.amount)} is available to the proposer again ${mined(w)}`);
  });
}

export async function disburseShow(a: { id: string; json: boolean }, hre: Hre) {
  return runTask(async () => {
    const id = parseBytes32("disbursement id", a.id);
    const d = await openReader(hre);
    const x = await ledger.getDisbursement(d, id);
    if (x === undefined) throw new LedgerError(`no disbursement ${id} on this chain`);
    if (a.json) return console.log(jsonText(x));
    const nameOf = await organisationNamer(d);
    console.log(`disbursement ${id}: ${x.status}`);
    console.log(`  programme   ${x.programmeId}`);
    console.log(`  proposer    ${nameOf(x.holder)}`);
    console.log(
      `  to          ${x.kind} ${x.recipient}, ${x.kind === "project" ? "milestone" : "period"} ${x.kind === "project" ? x.period + 1 : x.period}`,
    );
    console.log(`  amount      ${yuan(x.amount)}`);
    console.log(`  payment ref ${x.paymentRefHash} (salted commitment; approve names it with the amount)`);
    if (x.decidedBy !== undefined) console.log(`  decided by  ${nameOf(x.decidedBy)}`);
  });
}

export async function usage(a: { id: string; receiptFile: string; receiptHash: string; from: string }, hre: Hre) {
  return runTask(async () => {
    const id = parseBytes32("disbursement id", a.id);
    const receipt = await requiredDocumentHash(
      "usage receipt",
      { file: a.receiptFile, hash: a.receiptHash },
      "usage receipt",
      "receipt",
    );
    const s = await session(hre, a.from);
    const w = await ledger.recordUsage(s.deployment, s.signer, id, receipt, s.overrides);
    console.log(`usage receipt ${receipt} recorded for disbursement ${id} ${mined(w)}`);
  });
}

// ---------------------------------------------------------------- audit

export async function auditFinding(
  a: {
    targetKind?: string;
    target: string;
    idNumber: string;
    respondent?: string;
    severity?: string;
    from: string;
  } & DocArgs,
  hre: Hre,
) {
  return runTask(async () => {
    const kindIndex = ledger.parseTargetKind(required("--target-kind", a.targetKind));
    const kind = ledger.TARGET_KINDS[kindIndex]!;
    const severity = ledger.parseSeverity(required("--severity", a.severity));
    const doc = await requiredDocumentHash(
      "finding document",
      { file: a.documentFile, hash: a.documentHash },
      "finding document",
      "document",
    );
    const s = await session(hre, a.from);
    let target: string;
    if (kind === "beneficiary") {
      target = (await keyOf(hre, { idNumber: a.idNumber, key: a.target })).key;
    } else if (kind === "allocation") {
      target = `0x${BigInt(positiveInt("--target", a.target)).toString(16).padStart(64, "0")}`;
    } else if (kind === "disbursement") {
      target = parseBytes32("--target", required("--target", a.target));
    } else if (kind === "programme") {
      target = await ledger.resolveProgramme(s.deployment, required("--target", a.target));
    } else {
      target = await ledger.resolveProject(s.deployment, required("--target", a.target));
    }
    const respondent = await organisationOption(s.deployment, "--respondent", a.respondent);
    const w = await ledger.recordFinding(
      s.deployment,
      s.signer,
      { targetKind: kindIndex, target, respondent: respondent.account, severity, documentHash: doc },
      s.overrides,
    );
    console.log(
      `finding ${w.value} (${ledger.SEVERITIES[severity]}) on ${kind} ${target}; ${respondent.name} must answer ${mined(w)}`,
    );
  });
}

export async function auditAnswer(a: { finding: string; from: string } & DocArgs, hre: Hre) {
  return runTask(async () => {
    const id = positiveInt("finding", a.finding);
    const doc = await requiredDocumentHash(
      "response",
      { file: a.documentFile, hash: a.documentHash },
      "response",
      "document",
    );
    const s = await session(hre, a.from);
    const w = await ledger.answerFinding(s.deployment, s.signer, id, doc, s.overrides);
    console.log(`finding ${id} answered ${mined(w)}`);
  });
}

export async function auditClose(a: { finding: string; from: string } & DocArgs, hre: Hre) {
  return runTask(async () => {
    const id = positiveInt("finding", a.finding);
    const doc = await requiredDocumentHash(
      "resolution",
      { file: a.documentFile, hash: a.documentHash },
      "resolution",
      "document",
    );
    const s = await session(hre, a.from);
    const w = await ledger.closeFinding(s.deployment, s.signer, id, doc, s.overrides);
    console.log(`finding ${id} closed ${mined(w)}`);
  });
}

// ---------------------------------------------------------------- tree, report, checks

export async function tree(a: { programme: string; json: boolean }, hre: Hre) {
  return runTask(async () => {
    const d = await openReader(hre);
    const p = await programmeOf(d, a.programme);
    const t = await programmeTree(d, p.programmeId);
    if (a.json) return console.log(jsonText(t));
    const nameOf = await organisationNamer(d);
    console.log(
      `programme ${a.programme.trim()}: appropriated ${yuan(p.appropriated)}, disbursed ${yuan(p.disbursed)} to ${t.totals.beneficiaries} beneficiaries and projects, ${yuan(t.totals.available)} unspent, ${yuan(t.totals.reserved)} awaiting approval`,
    );
    const print = (n: TreeNode) => {
      const h = n.holding;
      const pad = "  ".repeat(n.depth + 1);
      const paid =
        n.payments.payments > 0 || n.payments.pending > 0
          ? `; paid ${n.payments.beneficiaries} beneficiaries ${yuan(n.payments.amount)}${n.payments.pending > 0 ? `, ${n.payments.pending} pending ${yuan(n.payments.pendingAmount)}` : ""}`
          : "";
      console.log(
        `${pad}${nameOf(h.holder)}: received ${yuan(n.depth === 0 ? p.appropriated : h.received)}, passed on ${yuan(h.allocated)}, returned ${yuan(h.returned)}, available ${yuan(h.available)}${paid}`,
      );
      for (const j of n.projects) {
        console.log(
          `${pad}  project ${j.projectId.slice(0, 10)}… by ${nameOf(j.implementer)} (${j.status}): budget ${yuan(j.budget)}, funded ${yuan(j.funded)}, paid ${yuan(j.paid)} for ${j.milestonesSubmitted.length}/${j.milestoneCount} milestones, returned ${yuan(j.returned)}`,
        );
      }
      n.children.forEach(print);
    };
    print(t.root);
    for (const f of t.findings) {
      console.log(
        `  finding ${f.findingId} (${ledger.SEVERITIES[f.severity]}, ${f.status}) on ${f.targetKind} ${f.target.slice(0, 10)}…: ${nameOf(f.respondent)} to answer`,
      );
    }
  });
}

export async function report(a: { programme: string; holder: string; format: string; out: string }, hre: Hre) {
  return runTask(async () => {
    if ((a.programme === "") === (a.holder === "")) throw new LedgerError("give --programme or --holder");
    const format = a.format.trim().toLowerCase();
    if (format !== "table" && format !== "csv" && format !== "xlsx") {
      throw new InvalidInputError("--format", a.format, "must be table, csv or xlsx");
    }
    if (format !== "table" && a.out === "") throw new LedgerError(`--format ${format} needs --out <file>`);
    const d = await openReader(hre);
    const nameOf = await organisationNamer(d);
    const y = (fen: bigint) => formatYuan(fen);
    let tables: { name: string; header: string[]; rows: string[][] }[];
    if (a.programme !== "") {
      const p = await programmeOf(d, a.programme);
      const t = await programmeTree(d, p.programmeId);
      tables = [
        {
          name: "holders",
          header: [
            "holder",
            "parent",
            "received",
            "allocated on",
            "disbursed",
            "returned",
            "reserved",
            "available",
            "beneficiaries",
            "payments",
          ],
          rows: t.nodes.map((n) => [
            nameOf(n.holding.holder),
            n.holding.parent === undefined ? "" : nameOf(n.holding.parent),
            y(n.depth === 0 ? p.appropriated : n.holding.received),
            y(n.holding.allocated),
            y(n.holding.disbursed),
            y(n.holding.returned),
            y(n.holding.reserved),
            y(n.holding.available),
            String(n.payments.beneficiaries),
            String(n.payments.payments),
          ]),
        },
        {
          name: "projects",
          header: ["project", "holder", "implementer", "status", "budget", "funded", "paid", "returned", "milestones"],
          rows: t.projects.map((j) => [
            j.projectId,
            nameOf(j.holder),
            nameOf(j.implementer),
            j.status,
            y(j.budget),
            y(j.funded),
            y(j.paid),
            y(j.returned),
            `${j.milestonesSubmitted.length}/${j.milestoneCount}`,
          ]),
        },
        {
          name: "findings",
          header: ["finding", "target kind", "target", "severity", "status", "respondent"],
          rows: t.findings.map((f) => [
            String(f.findingId),
            f.targetKind,
            f.target,
            ledger.SEVERITIES[f.severity] ?? "",
            f.status,
            nameOf(f.respondent),
          ]),
        },
      ];
    } else {
      const holder = (await organisationOption(d, "--holder", a.holder)).account;
      const lines = await holderProgrammes(d, holder);
      tables = [
        {
          name: "programmes",
          header: [
            "programme",
            "category",
            "year",
            "parent",
            "received",
            "allocated on",
            "disbursed",
            "returned",
            "reserved",
            "available",
          ],
          rows: lines.map(({ programme: p, holding: h }) => [
            p.programmeId,
            p.category,
            String(p.fiscalYear),
            h.parent === undefined ? "" : nameOf(h.parent),
            y(p.finance === holder ? p.appropriated : h.received),
            y(h.allocated),
            y(h.disbursed),
            y(h.returned),
            y(h.reserved),
            y(h.available),
          ]),
        },
      ];
    }
    if (format === "table") {
      for (const t of tables) {
        console.log(`# ${t.name}`);
        printTable(t.header, t.rows);
      }
      return;
    }
    await writeReportFile(tables, format, a.out);
    console.log(`report written to ${a.out} (${tables.map((t) => `${t.rows.length} ${t.name}`).join(", ")})`);
  });
}

export async function checkDuplicates(a: { year: string; json: boolean }, hre: Hre) {
  return runTask(async () => {
    const year = a.year === "" ? undefined : positiveInt("--year", a.year, 2999);
    const d = await openReader(hre);
    const found = await duplicatePayments(d, year);
    if (a.json) return console.log(jsonText(found));
    if (found.length === 0) {
      console.log(
        `no beneficiary key was paid under more than one programme${year === undefined ? "" : ` in ${year}`}`,
      );
      return;
    }
    const nameOf = await organisationNamer(d);
    console.log(`${found.length} beneficiary key(s) paid under more than one programme in the same fiscal year:`);
    printTable(
      ["key", "year", "programme", "paid by", "period", "amount"],
      found.flatMap((g) =>
        g.payments.map((p) => [
          g.key,
          String(g.fiscalYear),
          p.programmeId,
          nameOf(p.holder),
          String(p.period),
          yuan(p.amount),
        ]),
      ),
    );
  });
}

/** The attestation kinds, for `relief beneficiary kinds`. */
export async function kinds(_a: unknown, hre: Hre) {
  return runTask(async () => {
    const d = await openReader(hre);
    const relief = requireRelief(d);
    const rows = await Promise.all(
      ATTESTATIONS.map(async (x) => [
        x.label.toLowerCase().replaceAll("_", "-"),
        x.zh,
        x.en,
        roleLabel(BigInt(await relief.attesterRole(x.kind))),
      ]),
    );
    printTable(["kind", "中文", "meaning", "attested by"], rows);
  });
}
