/**
 * The charity ledger's writes and reads, as the CLI, scripts, indexer, explorer and tests use
 * them. Amounts are bigint fen; every write is simulated before it is sent (see src/tx.ts).
 */
import { type Signer, ZeroHash, isHexString } from "ethers";

import type { ICharityLedger } from "../../types/ethers-contracts/contracts/charity/CharityLedger.js";
import { requireCharity, type Deployment } from "../deployment.js";
import { InvalidInputError, LedgerError } from "../errors.js";
import { MAX_FEN } from "../money.js";
import { sendChecked, written, type Write } from "../tx.js";
import { PROJECT_STATUSES, type ProjectStatus } from "./vocabulary.js";
import { type LegacyOverrides, logRangeOf, queryInChunks } from "../chain.js";
import { parseProjectRef, projectCodeHash, projectIdOf, refKeyOf } from "./ids.js";

/** A cash donation as the contract takes it. */
export interface CashDonationInput {
  readonly refHash: string;
  readonly amount: bigint;
  readonly donorCommitment: string;
  readonly channel: number;
  readonly evidenceHash: string;
  /** The day it was received, in days since 1970-01-01 (src/charity/business-date.ts); 0: not stated. */
  readonly receivedOn: number;
}

/** A project as read back, with its balance. */
export interface ProjectView {
  readonly projectId: string;
  readonly charity: string;
  readonly status: ProjectStatus;
  readonly target: bigint;
  readonly received: bigint;
  readonly disbursed: bigint;
  readonly reversed: bigint;
  readonly inflow: bigint;
  readonly outflow: bigint;
  readonly available: bigint;
  readonly donationCount: bigint;
}

/** Checks a positive amount of fen that fits the contract's narrowest field. */
export function checkAmount(field: string, fen: bigint): bigint {
  if (fen <= 0n) throw new InvalidInputError(field, fen, "must be more than 0");
  if (fen > MAX_FEN) throw new InvalidInputError(field, fen, "is too large");
  return fen;
}

function toProject(projectId: string, p: ICharityLedger.ProjectStructOutput): ProjectView | undefined {
  const status = PROJECT_STATUSES[Number(p.status)] ?? "none";
  if (status === "none") return undefined;
  return {
    projectId,
    charity: p.charity,
    status,
    target: p.target,
    received: p.received,
    disbursed: p.disbursed,
    reversed: p.reversed,
    inflow: p.inflow,
    outflow: p.outflow,
    available: p.inflow - p.outflow,
    donationCount: p.donationCount,
  };
}

/**
 * The reference key of the charity `charity` for this deployment's ledger: derived from `signer`
 * when it is that charity; otherwise the key the charity gave (`given`, from `charity ref-key`), or
 * a refusal saying how to get it.
 */
export async function charityRefKey(d: Deployment, signer: Signer, charity: string, given?: string): Promise<string> {
  if (given !== undefined && given !== "") {
    if (!isHexString(given.trim(), 32)) {
      throw new InvalidInputError("--ref-key", given, "must be 0x followed by 64 hex digits");
    }
    return given.trim().toLowerCase();
  }
  const me = await signer.getAddress();
  if (me.toLowerCase() !== charity.toLowerCase()) {
    throw new LedgerError(
      `references of ${charity}'s donations are hashed with that charity's reference key: give it with --ref-key ` +
        `(the charity prints it with \`charity ref-key --from ${charity}\`)`,
    );
  }
  const ledger = requireCharity(d);
  const { chainId } = await ledger.runner!.provider!.getNetwork();
  return refKeyOf(signer, chainId, await ledger.getAddress());
}

/**
 * The id of the project a person names: its 0x id as it is; for a code, `preferred`'s own project
 * under that code when it has one (the signing charity acting on its own project); otherwise the one
 * project proposed under that code (found by the code's hash in `ProjectProposed`), or a refusal
 * that lists the charities using the code.
 */
export async function resolveProject(d: Deployment, text: string, preferred?: string): Promise<string> {
  const ref = parseProjectRef(text);
  if ("id" in ref) return ref.id;
  const ledger = requireCharity(d);
  if (preferred !== undefined) {
    const own = projectIdOf(preferred, ref.code);
    if ((await ledger.project(own)).status !== 0n) return own;
  }
  const provider = ledger.runner!.provider!;
  const found = await queryInChunks(
    (a, b) => ledger.queryFilter(ledger.filters.ProjectProposed(undefined, undefined, projectCodeHash(ref.code)), a, b),
    0,
    await provider.getBlockNumber(),
    { chunk: logRangeOf(provider) },
  );
  if (found.length === 0) throw new LedgerError(`no project ${ref.code} on this chain`);
  if (found.length > 1) {
    const which = found.map((e) => `${e.args.projectId} (charity ${e.args.charity})`).join(", ");
    throw new LedgerError(`${found.length} charities have a project ${ref.code}: give its 0x id, one of ${which}`);
  }
  return found[0]!.args.projectId;
}

export async function getProject(d: Deployment, projectId: string): Promise<ProjectView | undefined> {
  return toProject(projectId, await requireCharity(d).project(projectId));
}

export async function requireProject(d: Deployment, projectId: string): Promise<ProjectView> {
  const p = await getProject(d, projectId);
  if (p === undefined) throw new LedgerError(`no project ${projectId} on this chain`);
  return p;
}

/** Proposes the signing charity's project `code`; the write's value is the project's id. */
export async function proposeProject(
  d: Deployment,
  signer: Signer,
  input: { code: string; targetFen: bigint; permitHash: string; metadataHash?: string },
  o: LegacyOverrides,
): Promise<Write<string>> {
  const ref = parseProjectRef(input.code);
  if (!("code" in ref)) throw new InvalidInputError("project", input.code, "a new project needs a code, not a 0x id");
  const ledger = requireCharity(d).connect(signer);
  const { receipt } = await sendChecked(
    ledger.proposeProject,
    [ref.code, checkAmount("target", input.targetFen), input.permitHash, input.metadataHash ?? ZeroHash],
    o,
  );
  return written(projectIdOf(await signer.getAddress(), ref.code), receipt);
}

export async function approveProject(d: Deployment, signer: Signer, projectId: string, o: LegacyOverrides) {
  const { receipt } = await sendChecked(requireCharity(d).connect(signer).approveProject, [projectId], o);
  return written(undefined, receipt);
}

export async function closeProject(d: Deployment, signer: Signer, projectId: string, o: LegacyOverrides) {
  const { receipt } = await sendChecked(requireCharity(d).connect(signer).closeProject, [projectId], o);
  return written(undefined, receipt);
}

export async function recordDonation(
  d: Deployment,
  signer: Signer,
  projectId: string,
  donation: CashDonationInput,
  o: LegacyOverrides,
): Promise<Write<string>> {
  checkAmount("amount", donation.amount);
  const { result, receipt } = await sendChecked(
    requireCharity(d).connect(signer).recordDonation,
    [projectId, donation],
    o,
  );
  return written(result, receipt);
}

/** Records a batch to one project; returns how many were new (the rest were on chain already). */
export async function recordDonations(
  d: Deployment,
  signer: Signer,
  projectId: string,
  batch: readonly CashDonationInput[],
  o: LegacyOverrides,
): Promise<Write<number>> {
  batch.forEach((x) => checkAmount("amount", x.amount));
  const ledger = requireCharity(d).connect(signer);
  const { receipt } = await sendChecked(ledger.recordDonations, [projectId, [...batch]], o);
  // Count from the mined events, not the simulation: another importer may have raced us.
  const recorded = receipt.logs.filter((l) => l.topics[0] === ledger.interface.getEvent("DonationRecorded").topicHash);
  return written(recorded.length, receipt);
}

export async function disburse(
  d: Deployment,
  signer: Signer,
  input: { projectId: string; recipient: string; purpose: number; amountFen: bigint; evidenceHash: string },
  o: LegacyOverrides,
): Promise<Write<string>> {
  const { result, receipt } = await sendChecked(
    requireCharity(d).connect(signer).disburse,
    [input.projectId, input.recipient, input.purpose, checkAmount("amount", input.amountFen), input.evidenceHash],
    o,
  );
  return written(result, receipt);
}

/** Confirms receipt of a disbursement or of a goods dispatch, whichever the id is. */
export async function confirmReceipt(
  d: Deployment,
  signer: Signer,
  handoverId: string,
  receiptHash: string,
  o: LegacyOverrides,
): Promise<Write<"disbursement" | "dispatch">> {
  const ledger = requireCharity(d).connect(signer);
  if ((await ledger.disbursement(handoverId)).state !== 0n) {
    const { receipt } = await sendChecked(ledger.confirmDisbursement, [handoverId, receiptHash], o);
    return written("disbursement" as const, receipt);
  }
  if ((await ledger.dispatch(handoverId)).state !== 0n) {
    const { receipt } = await sendChecked(ledger.confirmGoodsReceipt, [handoverId, receiptHash], o);
    return written("dispatch" as const, receipt);
  }
  throw new LedgerError(`${handoverId} is neither a disbursement nor a goods dispatch on this chain`);
}

export async function grant(
  d: Deployment,
  signer: Signer,
  input: { fromProjectId: string; toProjectId: string; amountFen: bigint; evidenceHash: string },
  o: LegacyOverrides,
): Promise<Write> {
  const { receipt } = await sendChecked(
    requireCharity(d).connect(signer).grant,
    [input.fromProjectId, input.toProjectId, checkAmount("amount", input.amountFen), input.evidenceHash],
    o,
  );
  return written(undefined, receipt);
}

export async function recordGoods(
  d: Deployment,
  signer: Signer,
  projectId: string,
  goods: ICharityLedger.GoodsDonationStruct,
  o: LegacyOverrides,
): Promise<Write<string>> {
  const { result, receipt } = await sendChecked(requireCharity(d).connect(signer).recordGoods, [projectId, goods], o);
  return written(result, receipt);
}

export async function dispatchGoods(
  d: Deployment,
  signer: Signer,
  input: { lotId: string; recipient: string; quantity: bigint; evidenceHash: string },
  o: LegacyOverrides,
): Promise<Write<string>> {
  const { result, receipt } = await sendChecked(
    requireCharity(d).connect(signer).dispatchGoods,
    [input.lotId, input.recipient, checkAmount("quantity", input.quantity), input.evidenceHash],
    o,
  );
  return written(result, receipt);
}

export async function proposeReversal(
  d: Deployment,
  signer: Signer,
  donationId: string,
  reasonHash: string,
  o: LegacyOverrides,
) {
  const { receipt } = await sendChecked(requireCharity(d).connect(signer).proposeReversal, [donationId, reasonHash], o);
  return written(undefined, receipt);
}

export async function approveReversal(d: Deployment, signer: Signer, donationId: string, o: LegacyOverrides) {
  const { receipt } = await sendChecked(requireCharity(d).connect(signer).approveReversal, [donationId], o);
  return written(undefined, receipt);
}

export async function rejectReversal(
  d: Deployment,
  signer: Signer,
  donationId: string,
  reasonHash: string,
  o: LegacyOverrides,
) {
  const { receipt } = await sendChecked(requireCharity(d).connect(signer).rejectReversal, [donationId, reasonHash], o);
  return written(undefined, receipt);
}

/** Publishes a statistics report; returns the on-chain totals the event carried. */
export async function publishStatistics(
  d: Deployment,
  signer: Signer,
  periodId: string,
  reportHash: string,
  o: LegacyOverrides,
): Promise<Write<ICharityLedger.TotalsStructOutput>> {
  const ledger = requireCharity(d).connect(signer);
  const { receipt } = await sendChecked(ledger.publishStatistics, [periodId, reportHash], o);
  for (const log of receipt.logs) {
    const parsed = ledger.interface.parseLog(log);
    if (parsed?.name === "StatisticsPublished")
      return written(parsed.args.totals as ICharityLedger.TotalsStructOutput, receipt);
  }
  throw new Error(`statistics transaction ${receipt.hash} emitted no StatisticsPublished event`);
}
