/**
 * The poverty-relief ledger's writes and reads, as the CLI, the demo, the explorer and the tests use
 * them. Money is bigint fen; every write is simulated before it is sent (src/tx.ts), so a refusal
 * comes back as one readable line and costs nothing. Programmes and projects are named by public
 * codes (`TS-IND-2026`) within their creator, as charity projects are: a programme's id is
 * keccak256(abi.encode(finance, keccak256(code))), a project's keccak256(abi.encode(holder, keccak256(code))),
 * so no other organisation of the same kind can take a code first.
 */
import {
  AbiCoder,
  concat,
  hexlify,
  randomBytes,
  type Signer,
  isHexString,
  keccak256,
  toUtf8Bytes,
  ZeroAddress,
  ZeroHash,
} from "ethers";

import type { ReliefLedger } from "../../types/ethers-contracts/contracts/relief/ReliefLedger.js";
import { type LegacyOverrides, logRangeOf, queryInChunks } from "../chain.js";
import { requireRelief, requireReliefReceipts, type Deployment } from "../deployment.js";
import { codeHash, codeIdOf, parseCodeRef } from "../code-ref.js";
import { InvalidInputError, LedgerError } from "../errors.js";
import { sendWrite, type Write } from "../tx.js";
import {
  CATEGORIES,
  type Category,
  DISBURSEMENT_STATUSES,
  type DisbursementStatus,
  PROJECT_STATUSES,
  type ProjectStatus,
  TARGET_KINDS,
  type TargetKind,
  FINDING_STATUSES,
  type FindingStatus,
  BENEFICIARY,
} from "./vocabulary.js";

/** The id of `finance`'s programme `text` (a code, or a 0x id as it is), as `ReliefLedger.programmeIdOf`. */
export function programmeIdOf(finance: string, text: string): string {
  const ref = parseCodeRef("programme", text);
  return "id" in ref ? ref.id : codeIdOf(finance, ref.code);
}

/** The id of `holder`'s relief project `text` (a code, or a 0x id as it is), as `ReliefLedger.projectIdOf`. */
export function projectIdOf(holder: string, text: string): string {
  const ref = parseCodeRef("project", text);
  return "id" in ref ? ref.id : codeIdOf(holder, ref.code);
}

/**
 * A programme's id from its 0x id or code: the `preferred` finance bureau's own programme under the code
 * (the signer's, when it has one), else the one programme created under that code, found by the indexed
 * `codeHash` of `ProgrammeCreated`; refused when none or several bureaus used the code.
 */
export async function resolveProgramme(d: Deployment, text: string, preferred?: string): Promise<string> {
  const ref = parseCodeRef("programme", text);
  if ("id" in ref) return ref.id;
  const relief = requireRelief(d);
  if (preferred !== undefined) {
    const own = codeIdOf(preferred, ref.code);
    if ((await relief.programme(own)).seq !== 0n) return own;
  }
  const provider = relief.runner!.provider!;
  const found = await queryInChunks(
    (a, b) => relief.queryFilter(relief.filters.ProgrammeCreated(undefined, undefined, codeHash(ref.code)), a, b),
    0,
    await provider.getBlockNumber(),
    { chunk: logRangeOf(provider) },
  );
  if (found.length === 0) throw new LedgerError(`no programme ${ref.code} on this chain`);
  if (found.length > 1) {
    const which = found.map((e) => `${e.args.programmeId} (finance ${e.args.finance})`).join(", ");
    throw new LedgerError(
      `${found.length} finance bureaus have a programme ${ref.code}: give its 0x id, one of ${which}`,
    );
  }
  return found[0]!.args.programmeId;
}

/**
 * A relief project's id from its 0x id or code: the `preferred` holder's own project under the code, else
 * the one project created under that code (`ProjectCreated` carries `codeHash` in its data: its three topics
 * are the project, programme and holder); refused when none or several holders used the code.
 */
export async function resolveProject(d: Deployment, text: string, preferred?: string): Promise<string> {
  const ref = parseCodeRef("project", text);
  if ("id" in ref) return ref.id;
  const relief = requireRelief(d);
  if (preferred !== undefined) {
    const own = codeIdOf(preferred, ref.code);
    if ((await relief.project(own)).status !== 0n) return own;
  }
  const provider = relief.runner!.provider!;
  const hash = codeHash(ref.code);
  const found = (
    await queryInChunks(
      (a, b) => relief.queryFilter(relief.filters.ProjectCreated(), a, b),
      0,
      await provider.getBlockNumber(),
      { chunk: logRangeOf(provider) },
    )
  ).filter((e) => e.args.codeHash === hash);
  if (found.length === 0) throw new LedgerError(`no project ${ref.code} on this chain`);
  if (found.length > 1) {
    const which = found.map((e) => `${e.args.projectId} (holder ${e.args.holder})`).join(", ");
    throw new LedgerError(`${found.length} holders have a project ${ref.code}: give its 0x id, one of ${which}`);
  }
  return found[0]!.args.projectId;
}

/** The disbursement id of a recipient and period, as `ReliefLedger.disbursementIdOf`. */
/**
 * A new random salt for a payment reference's commitment (32 bytes, 0x hex). The village keeps it with
 * its payment records: with it, the reference can be shown to match the chain; without it, the
 * commitment reveals nothing, however few references there are to try.
 */
export function newPaymentSalt(): string {
  return hexlify(randomBytes(32));
}

/**
 * The commitment to a bank payment reference that goes on chain as `paymentRefHash`:
 * keccak256(salt ‖ UTF-8 reference). A plain keccak256 of the reference could be inverted by trying
 * references (a card number is a BIN, an account number and a Luhn digit).
 */
export function paymentCommitment(salt: string, reference: string): string {
  if (!isHexString(salt, 32)) throw new InvalidInputError("payment salt", salt, "must be 32 bytes of 0x hex");
  if (reference.trim() === "") throw new InvalidInputError("payment reference", reference, "must not be empty");
  return keccak256(concat([salt, toUtf8Bytes(reference.trim())]));
}

export function disbursementIdOf(kind: number, programmeId: string, period: number, recipient: string): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["uint8", "bytes32", "uint32", "bytes32"],
      [kind, programmeId, period, recipient],
    ),
  );
}

export interface ProgrammeTerms {
  readonly category: number;
  readonly fiscalYear: number;
  readonly periods: number;
  readonly approverRole: number;
  readonly requiredAttestations: number;
  readonly budget: bigint;
  readonly perBeneficiaryCap: bigint;
}

export interface ProgrammeView {
  readonly programmeId: string;
  readonly finance: string;
  readonly category: Category;
  readonly fiscalYear: number;
  readonly periods: number;
  readonly approverRole: number;
  readonly requiredAttestations: number;
  readonly seq: number;
  readonly appropriated: bigint;
  readonly perBeneficiaryCap: bigint;
  readonly allocated: bigint;
  readonly disbursed: bigint;
  readonly returned: bigint;
}

export interface HoldingView {
  readonly holder: string;
  readonly parent: string | undefined;
  readonly available: bigint;
  readonly received: bigint;
  readonly allocated: bigint;
  readonly reserved: bigint;
  readonly disbursed: bigint;
  readonly returned: bigint;
}

export interface ProjectView {
  readonly projectId: string;
  readonly programmeId: string;
  readonly holder: string;
  readonly implementer: string;
  readonly budget: bigint;
  readonly funded: bigint;
  readonly available: bigint;
  readonly reserved: bigint;
  readonly paid: bigint;
  readonly returned: bigint;
  readonly milestoneCount: number;
  /** Milestone indexes whose evidence the implementer submitted. */
  readonly milestonesSubmitted: readonly number[];
  readonly status: ProjectStatus;
}

export interface DisbursementView {
  readonly disbursementId: string;
  readonly programmeId: string;
  readonly holder: string;
  readonly amount: bigint;
  readonly kind: "beneficiary" | "project";
  readonly recipient: string;
  readonly period: number;
  readonly status: DisbursementStatus;
  readonly decidedBy: string | undefined;
  /** The commitment to the payment reference an approval must name, with the amount. */
  readonly paymentRefHash: string;
}

export interface FindingView {
  readonly findingId: number;
  readonly auditor: string;
  readonly respondent: string;
  readonly severity: number;
  readonly status: FindingStatus;
  readonly targetKind: TargetKind;
  readonly target: string;
}

function ledgerFor(d: Deployment, signer: Signer): ReliefLedger {
  return requireRelief(d).connect(signer);
}

// ---------------------------------------------------------------- writes

/** Creates the signing finance bureau's programme `code`; the write's value is the programme's id. */
export function createProgramme(
  d: Deployment,
  signer: Signer,
  code: string,
  terms: ProgrammeTerms,
  documentHash: string,
  o: LegacyOverrides,
): Promise<Write<string>> {
  const ref = parseCodeRef("programme", code);
  if (!("code" in ref)) throw new InvalidInputError("programme", code, "a new programme needs a code, not a 0x id");
  return sendWrite(ledgerFor(d, signer).createProgramme, [ref.code, terms, documentHash], o);
}

export function appropriate(
  d: Deployment,
  signer: Signer,
  programmeId: string,
  amount: bigint,
  documentHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).appropriate, [programmeId, amount, documentHash], o);
}

/** Allocates to an organisation; the value is the allocation id. */
export function allocate(
  d: Deployment,
  signer: Signer,
  programmeId: string,
  to: string,
  amount: bigint,
  documentHash: string,
  o: LegacyOverrides,
): Promise<Write<bigint>> {
  return sendWrite(ledgerFor(d, signer).allocate, [programmeId, to, amount, documentHash], o);
}

export function returnFunds(
  d: Deployment,
  signer: Signer,
  programmeId: string,
  amount: bigint,
  reasonHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).returnFunds, [programmeId, amount, reasonHash], o);
}

export function registerBeneficiary(
  d: Deployment,
  signer: Signer,
  key: string,
  householdHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).registerBeneficiary, [key, householdHash], o);
}

export function attest(
  d: Deployment,
  signer: Signer,
  key: string,
  kind: number,
  evidenceHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).attest, [key, kind, evidenceHash], o);
}

export function revokeAttestation(
  d: Deployment,
  signer: Signer,
  key: string,
  kind: number,
  reasonHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).revokeAttestation, [key, kind, reasonHash], o);
}

/** Creates the signing holder's relief project `code`; the write's value is the project's id. */
export function createProject(
  d: Deployment,
  signer: Signer,
  p: {
    code: string;
    programmeId: string;
    implementer: string;
    budget: bigint;
    milestoneCount: number;
    metadataHash: string;
  },
  o: LegacyOverrides,
): Promise<Write<string>> {
  const ref = parseCodeRef("project", p.code);
  if (!("code" in ref)) throw new InvalidInputError("project", p.code, "a new project needs a code, not a 0x id");
  return sendWrite(
    ledgerFor(d, signer).createProject,
    [ref.code, p.programmeId, p.implementer, p.budget, p.milestoneCount, p.metadataHash],
    o,
  );
}

/** Moves money into a project; the value is the allocation id. */
export function fundProject(
  d: Deployment,
  signer: Signer,
  projectId: string,
  amount: bigint,
  documentHash: string,
  o: LegacyOverrides,
): Promise<Write<bigint>> {
  return sendWrite(ledgerFor(d, signer).fundProject, [projectId, amount, documentHash], o);
}

export function submitMilestone(
  d: Deployment,
  signer: Signer,
  projectId: string,
  index: number,
  evidenceHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).submitMilestone, [projectId, index, evidenceHash], o);
}

export function acceptProject(
  d: Deployment,
  signer: Signer,
  projectId: string,
  reportHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).acceptProject, [projectId, reportHash], o);
}

/** Proposes paying a beneficiary; the value is the disbursement id. */
export function proposeDisbursement(
  d: Deployment,
  signer: Signer,
  p: { programmeId: string; period: number; key: string; amount: bigint; paymentRefHash: string },
  o: LegacyOverrides,
): Promise<Write<string>> {
  return sendWrite(
    ledgerFor(d, signer).proposeDisbursement,
    [p.programmeId, p.period, p.key, p.amount, p.paymentRefHash],
    o,
  );
}

/**
 * Binds the hash of a payment's receipt code (src/relief/receipt-code.ts) to the payment, by its
 * proposer: the code itself goes only on the payment notice the village keeps.
 */
export function bindReceipt(
  d: Deployment,
  signer: Signer,
  disbursementId: string,
  receiptHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(requireReliefReceipts(d).connect(signer).bindReceipt, [disbursementId, receiptHash], o);
}

/** The disbursement a receipt hash names, undefined when none (or the deployment has no receipt contract). */
export async function disbursementOfReceipt(d: Deployment, receiptHash: string): Promise<string | undefined> {
  if (d.reliefReceipts === undefined) return undefined;
  const id = await d.reliefReceipts.disbursementOf(receiptHash);
  return id === ZeroHash ? undefined : id;
}

/** The hash of the receipt code bound to a disbursement, undefined when none. */
export async function receiptHashOf(d: Deployment, disbursementId: string): Promise<string | undefined> {
  if (d.reliefReceipts === undefined) return undefined;
  const h = await d.reliefReceipts.receiptOf(disbursementId);
  return h === ZeroHash ? undefined : h;
}

/** Proposes paying a project milestone; the value is the disbursement id. */
export function proposeProjectPayment(
  d: Deployment,
  signer: Signer,
  p: { projectId: string; milestone: number; amount: bigint; paymentRefHash: string },
  o: LegacyOverrides,
): Promise<Write<string>> {
  return sendWrite(
    ledgerFor(d, signer).proposeProjectPayment,
    [p.projectId, p.milestone, p.amount, p.paymentRefHash],
    o,
  );
}

/**
 * Approves a disbursement on the terms the approver reviewed (amount and payment-reference hash): the
 * ledger refuses the approval if the proposal was withdrawn and proposed again with other terms.
 */
export function approveDisbursement(
  d: Deployment,
  signer: Signer,
  id: string,
  terms: { amount: bigint; paymentRefHash: string },
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).approveDisbursement, [id, terms.amount, terms.paymentRefHash], o);
}

/**
 * A holder accepts `parent` above it in the programme's tree (its consent, before `parent` allocates to
 * it), or the programme's finance re-attaches `holder` under `parent`.
 */
export function setParent(
  d: Deployment,
  signer: Signer,
  p: { programmeId: string; holder: string; parent: string; documentHash: string },
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).setParent, [p.programmeId, p.holder, p.parent, p.documentHash], o);
}

/** Rural affairs moves a beneficiary to another village, or deregisters it (`village` zero). */
export function moveBeneficiary(
  d: Deployment,
  signer: Signer,
  key: string,
  village: string,
  reasonHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).moveBeneficiary, [key, village, reasonHash], o);
}

export function rejectDisbursement(
  d: Deployment,
  signer: Signer,
  id: string,
  reasonHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).rejectDisbursement, [id, reasonHash], o);
}

export function recordUsage(
  d: Deployment,
  signer: Signer,
  id: string,
  receiptHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).recordUsage, [id, receiptHash], o);
}

/** Records an audit finding; the value is the finding id. */
export function recordFinding(
  d: Deployment,
  signer: Signer,
  f: { targetKind: number; target: string; respondent: string; severity: number; documentHash: string },
  o: LegacyOverrides,
): Promise<Write<bigint>> {
  return sendWrite(
    ledgerFor(d, signer).recordFinding,
    [f.targetKind, f.target, f.respondent, f.severity, f.documentHash],
    o,
  );
}

export function answerFinding(
  d: Deployment,
  signer: Signer,
  findingId: number,
  responseHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).answerFinding, [findingId, responseHash], o);
}

export function closeFinding(
  d: Deployment,
  signer: Signer,
  findingId: number,
  resolutionHash: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(ledgerFor(d, signer).closeFinding, [findingId, resolutionHash], o);
}

// ---------------------------------------------------------------- reads

/** A programme, or undefined when there is none with that id. */
export async function getProgramme(d: Deployment, programmeId: string): Promise<ProgrammeView | undefined> {
  const p = await requireRelief(d).programme(programmeId);
  if (p.seq === 0n) return undefined;
  return {
    programmeId,
    finance: p.finance,
    category: CATEGORIES[Number(p.category)] ?? "other",
    fiscalYear: Number(p.fiscalYear),
    periods: Number(p.periods),
    approverRole: Number(p.approverRole),
    requiredAttestations: Number(p.requiredAttestations),
    seq: Number(p.seq),
    appropriated: p.appropriated,
    perBeneficiaryCap: p.perBeneficiaryCap,
    allocated: p.allocated,
    disbursed: p.disbursed,
    returned: p.returned,
  };
}

export async function getHolding(d: Deployment, programmeId: string, holder: string): Promise<HoldingView> {
  const h = await requireRelief(d).holding(programmeId, holder);
  return {
    holder,
    parent: h.parent === ZeroAddress ? undefined : h.parent,
    available: h.available,
    received: h.received,
    allocated: h.allocated,
    reserved: h.reserved,
    disbursed: h.disbursed,
    returned: h.returned,
  };
}

export async function getBeneficiary(
  d: Deployment,
  key: string,
): Promise<{ key: string; village: string; attestations: number; registeredAt: bigint } | undefined> {
  const b = await requireRelief(d).beneficiary(key);
  if (b.village === ZeroAddress) return undefined;
  return { key, village: b.village, attestations: Number(b.attestations), registeredAt: b.registeredAt };
}

export async function getProject(d: Deployment, projectId: string): Promise<ProjectView | undefined> {
  const relief = requireRelief(d);
  const [j, programmeId] = await Promise.all([relief.project(projectId), relief.projectProgramme(projectId)]);
  if (j.status === 0n) return undefined;
  const count = Number(j.milestoneCount);
  return {
    projectId,
    programmeId,
    holder: j.holder,
    implementer: j.implementer,
    budget: j.budget,
    funded: j.funded,
    available: j.available,
    reserved: j.reserved,
    paid: j.paid,
    returned: j.returned,
    milestoneCount: count,
    milestonesSubmitted: [...Array(count).keys()].filter((i) => (Number(j.milestonesSubmitted) & (1 << i)) !== 0),
    status: PROJECT_STATUSES[Number(j.status)] ?? "none",
  };
}

export async function getDisbursement(d: Deployment, id: string): Promise<DisbursementView | undefined> {
  const relief = requireRelief(d);
  const x = await relief.disbursement(id);
  if (x.status === 0n) return undefined;
  return {
    disbursementId: id,
    programmeId: await relief.programmeIdAt(x.programmeSeq),
    holder: x.holder,
    amount: x.amount,
    kind: Number(x.kind) === BENEFICIARY ? "beneficiary" : "project",
    recipient: x.recipient,
    period: Number(x.period),
    status: DISBURSEMENT_STATUSES[Number(x.status)] ?? "none",
    decidedBy: x.decidedBy === ZeroAddress ? undefined : x.decidedBy,
    paymentRefHash: x.paymentRefHash,
  };
}

export async function getFinding(d: Deployment, findingId: number): Promise<FindingView | undefined> {
  const relief = requireRelief(d);
  if (findingId < 1 || findingId > Number(await relief.findingCount())) return undefined;
  const f = await relief.finding(findingId);
  return {
    findingId,
    auditor: f.auditor,
    respondent: f.respondent,
    severity: Number(f.severity),
    status: FINDING_STATUSES[Number(f.status)] ?? "none",
    targetKind: TARGET_KINDS[Number(f.targetKind)] ?? "programme",
    target: f.target,
  };
}

/** Zero hash, for optional documents. */
export const NO_DOCUMENT = ZeroHash;
