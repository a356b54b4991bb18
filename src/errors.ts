import { type Interface, id as ethersId, isCallException } from "ethers";

import { GOVERNANCE_INTERFACES } from "./governance/interfaces.js";
import { INTERFACES } from "./wiring.js";
import { roleLabel } from "./roles.js";
import { creditCodeFromBytes18 } from "./credit-code.js";
import { formatYuan } from "./money.js";
import { attestationsOfMask } from "./relief/attestations.js";
import { decodeCode, formatQuantity } from "./trace/vocabulary.js";

/** A refusal a user can act on, said in one line. */
export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LedgerError";
  }
}

/** Decoded custom error from a revert: its name and named arguments. */
export interface DecodedRevert {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** Decodes revert data with the project's typechain interfaces. */
export function decodeRevert(
  data: string | null | undefined,
  interfaces: Iterable<Interface> = [...Object.values(INTERFACES), ...Object.values(GOVERNANCE_INTERFACES)],
): DecodedRevert | undefined {
  if (data === null || data === undefined || data === "0x") return undefined;
  for (const iface of interfaces) {
    try {
      const parsed = iface.parseError(data);
      if (parsed === null) continue;
      const args: Record<string, unknown> = {};
      parsed.fragment.inputs.forEach((input, i) => {
        args[input.name] = parsed.args[i];
      });
      return { name: parsed.name, args };
    } catch {
      // not this interface's error
    }
  }
  return undefined;
}

function show(value: unknown, key: string): string {
  if (typeof value === "bigint" && /role/i.test(key)) return roleLabel(value);
  if (typeof value === "string" && /creditCode/.test(key) && /^0x[0-9a-f]{36}$/i.test(value))
    return creditCodeFromBytes18(value);
  return String(value);
}

/** One readable line for a decoded revert. */
export function describeRevert(r: DecodedRevert): string {
  const args = Object.entries(r.args)
    .map(([k, v]) => `${k}=${show(v, k)}`)
    .join(", ");
  return `${r.name}(${args})`;
}

/** Revert data carried by an error from ethers, Hardhat's providers or the in-process network. */
function revertData(e: unknown): string | undefined {
  for (let x: unknown = e, depth = 0; typeof x === "object" && x !== null && depth < 4; depth++) {
    const data = (x as { data?: unknown }).data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(data)) return data;
    x = (x as { error?: unknown; cause?: unknown }).error ?? (x as { cause?: unknown }).cause;
  }
  return undefined;
}

const yuanText = (fen: unknown) => (typeof fen === "bigint" ? formatYuan(fen, { symbol: true }) : String(fen));

const CERT_RESULT = ["not inspected", "passed", "failed"];
const CATEGORY_NAME = ["agricultural", "food", "drug", "agricultural input", "special equipment"];
const BATCH_STATUS = ["unknown", "active", "in transit", "consumed", "sold at retail", "destroyed"];
const codeText = (v: unknown) => decodeCode(String(v));
const quantityText = (v: unknown) => (typeof v === "bigint" ? formatQuantity(v) : String(v));

/** A call relayed through the permission hub (`AccessManager.execute`): it would hide who acted. */
const relayed = (a: Readonly<Record<string, unknown>>) =>
  `calls relayed through the permission hub (${a.manager}) are refused: every record names the organisation that acted, so call the ledger directly`;

/** Sentences for the refusals people meet most; the others are shown by name and arguments. */
const SENTENCES: Record<string, (a: Readonly<Record<string, unknown>>) => string> = {
  CharityLedgerInsufficientBalance: (a) =>
    `project ${a.projectId} holds ${yuanText(a.available)}, less than the ${yuanText(a.requested)} requested`,
  CharityLedgerDuplicateDonation: (a) => `donation ${a.donationId} is recorded already (same charity and reference)`,
  CharityLedgerNotProjectCharity: (a) =>
    `${a.caller} is not the charity of project ${a.projectId} (that is ${a.charity})`,
  CharityLedgerNotRecipient: (a) => `${a.account} is not a registered, active recipient (受助单位)`,
  CharityLedgerWrongProjectStatus: (a) =>
    `project ${a.projectId} is ${["unknown", "proposed", "approved", "closed"][Number(a.status)] ?? a.status}, which does not allow this`,
  CharityLedgerUnknownProject: (a) => `no project ${a.projectId} on this chain`,
  CharityLedgerNotHandoverRecipient: (a) => `only ${a.recipient} may confirm ${a.handoverId}; ${a.caller} may not`,
  CharityLedgerAlreadyConfirmed: (a) => `${a.handoverId} is confirmed already`,
  CharityLedgerAmountTooLarge: (a) =>
    `${yuanText(a.amount)} is more than the ledger takes (${yuanText(a.max)}): one record carries at most that, and a project's total inflow stays below 2^80 fen`,
  CharityLedgerDonationUsed: (a) =>
    `donation ${a.donationId} cannot be reversed: the project's outflows (${yuanText(a.outflow)} so far) have reached its money, which starts at ${yuanText(a.inflowBefore)} of the project's inflow; a reversal takes back only a donation's own unused money`,
  CharityLedgerGoodsDispatched: (a) =>
    `lot ${a.lotId} cannot be corrected: ${quantityText(a.dispatched)} of it were dispatched already`,
  CharityLedgerRelayedCall: relayed,
  TraceLedgerRelayedCall: relayed,
  ReliefLedgerRelayedCall: relayed,
  OrgRegistryRelayedCall: relayed,
  OrgRegistryReservedAccount: (a) =>
    `${a.account} is the permission hub or one of the ledgers it governs: it cannot be registered as an organisation`,
  CharityLedgerInsufficientGoods: (a) =>
    `lot ${a.lotId} has ${a.remaining} left, less than the ${a.requested} requested`,
  TraceLedgerRecalled: (a) =>
    `batch ${a.batchId} is recalled (it, or a batch it was made from): it cannot move or be sold`,
  TraceLedgerNotCustodian: (a) => `${a.caller} does not hold batch ${a.batchId}; its custodian is ${a.custodian}`,
  TraceLedgerNotReceiver: (a) => `batch ${a.batchId} was shipped to ${a.receiver}, not to ${a.caller}`,
  TraceLedgerWrongStatus: (a) =>
    `batch ${a.batchId} is ${BATCH_STATUS[Number(a.status)] ?? a.status}, which does not allow this`,
  TraceLedgerUnknownBatch: (a) => `no batch ${a.batchId} on this chain`,
  TraceLedgerBatchExists: (a) => `batch ${a.batchId} exists already (same product and lot code)`,
  TraceLedgerUnknownProduct: (a) => `no product ${codeText(a.productCode)} on this chain`,
  TraceLedgerProductExists: (a) => `product ${codeText(a.productCode)} is registered already`,
  TraceLedgerNotProductProducer: (a) =>
    `product ${codeText(a.productCode)} belongs to ${a.producer}; ${a.caller} cannot commission it`,
  TraceLedgerNotSupplyChainOrg: (a) =>
    `${a.account} is not an active producer, logistics company or retailer, so it cannot receive goods`,
  TraceLedgerQuantityMismatch: (a) =>
    `quantities do not add up: inputs ${quantityText(a.inputs)}, outputs ${quantityText(a.outputs)}`,
  TraceLedgerNotInspected: (a) => `batch ${a.batchId} needs a valid passing inspection certificate before sale`,
  TraceLedgerInspectionFailed: (a) => `batch ${a.batchId} failed inspection: it cannot be sold`,
  TraceLedgerCertificateExpired: (a) => `the certificate of batch ${a.batchId} expired: it cannot be sold`,
  TraceLedgerGiCeilingExceeded: (a) =>
    `GI certificate ${a.certificateId} allows ${quantityText(a.ceiling)}; this would label ${quantityText(a.labelled)}`,
  TraceLedgerEventInFuture: (a) =>
    `the event time ${a.eventTime} is more than 15 minutes ahead of the chain (${a.blockTime})`,
  TraceLedgerNotInRecall: (a) => `batch ${a.batchId} is not the recalled batch nor made from it (recall ${a.recallId})`,
  TraceLedgerAlreadyAcknowledged: (a) => `batch ${a.batchId} has acknowledged recall ${a.recallId} already`,
  TraceLedgerFailedInspectionStands: (a) =>
    `batch ${a.batchId} failed inspection: ${a.inspector} cannot pass it until the market regulator allows a re-inspection`,
  TraceLedgerNotFailed: (a) =>
    `batch ${a.batchId} did not fail inspection (its result is ${CERT_RESULT[Number(a.cert)] ?? a.cert}): there is nothing to re-inspect`,
  TraceLedgerNotSubLot: (a) =>
    `lot ${codeText(a.lotCode)} is not a sub-lot of batch ${a.parentBatchId}: anyone but the product's producer names derived batches <lot>.<suffix> after the batch they come from`,
  TraceLedgerSubLotReserved: (a) =>
    `lot ${codeText(a.lotCode)} of ${codeText(a.productCode)} is a sub-lot of batch ${a.ownerBatchId}: only batches made from that batch take it`,
  TraceLedgerNothingToCorrect: (a) =>
    `product ${codeText(a.productCode)} already has category ${CATEGORY_NAME[Number(a.category)] ?? a.category} and producer ${a.producer}`,
  ReliefLedgerInsufficientBalance: (a) =>
    `${a.holder} holds ${yuanText(a.available)} of programme ${a.programmeId}, less than the ${yuanText(a.amount)} asked`,
  ReliefLedgerNotHolder: (a) =>
    `${a.account} cannot hold programme money (it must be an active finance, rural affairs, township or village organisation in the programme)`,
  ReliefLedgerNotParent: (a) =>
    `${a.to} receives programme ${a.programmeId} from ${a.parent}; ${a.caller} cannot take that place (one holder above each; the programme's finance can re-attach it)`,
  ReliefLedgerSelfAllocation: (a) =>
    `${a.holder} cannot allocate programme money to itself or to the programme's finance`,
  ReliefLedgerRootCannotReturn: (a) =>
    `${a.holder} is the programme's finance: there is no holder above it to return to`,
  ReliefLedgerNotProgrammeFinance: (a) =>
    `only the programme's finance (${a.finance}) may do this for programme ${a.programmeId}; ${a.caller} may not`,
  ReliefLedgerUnknownProgramme: (a) => `no programme ${a.programmeId} on this chain`,
  ReliefLedgerProgrammeExists: (a) =>
    `programme ${a.programmeId} exists already: this finance bureau has used the code (each bureau uses a code once)`,
  ReliefLedgerInvalidCode: (a) =>
    `a programme or project code must be 1 to 64 bytes of UTF-8 (a public name such as TS-IND-2026); this one is ${a.length} bytes`,
  ReliefLedgerInvalidTerms: (a) => `the programme's ${a.field} is not valid`,
  ReliefLedgerUnauthorized: (a) =>
    a.requiredRole === 0n
      ? `${a.caller} holds none of the roles this step takes`
      : `${a.caller} does not hold ${roleLabel(a.requiredRole as bigint)}, which this step needs`,
  ReliefLedgerBeneficiaryExists: (a) => `this beneficiary is registered already, by ${a.village}`,
  ReliefLedgerUnknownBeneficiary: (a) => `no beneficiary with key ${a.key} on this chain`,
  ReliefLedgerUnknownAttestation: (a) => `attestation kind ${a.kind} is not defined`,
  ReliefLedgerAlreadyAttested: (a) => `beneficiary ${a.key} holds attestation ${a.kind} already`,
  ReliefLedgerNotAttested: (a) => `beneficiary ${a.key} does not hold attestation ${a.kind}`,
  ReliefLedgerNotEligible: (a) =>
    `beneficiary ${a.key} lacks attestations programme ${a.programmeId} requires (${attestationNames(Number(a.required) & ~Number(a.held))})`,
  ReliefLedgerNotBeneficiaryVillage: (a) =>
    `the beneficiary belongs to ${a.village}; only that village, or the holder above it in this programme, may propose paying it (not ${a.caller})`,
  ReliefLedgerOverCap: (a) =>
    `${yuanText(a.amount)} is more than programme ${a.programmeId} allows per payment (${yuanText(a.cap)})`,
  ReliefLedgerInvalidPeriod: (a) =>
    `period ${a.period} is not in programme ${a.programmeId} (periods 1 to ${a.periods})`,
  ReliefLedgerAlreadyPaid: (a) =>
    `disbursement ${a.disbursementId} is ${["", "proposed", "approved", "rejected"][Number(a.status)]} already: this recipient is paid once for this period`,
  ReliefLedgerUnknownDisbursement: (a) => `no disbursement ${a.disbursementId} on this chain`,
  ReliefLedgerWrongDisbursementStatus: (a) =>
    `disbursement ${a.disbursementId} is ${["unknown", "proposed", "approved", "rejected"][Number(a.status)]}, which does not allow this`,
  ReliefLedgerSelfApproval: (a) =>
    `${a.proposer} proposed disbursement ${a.disbursementId}: another organisation must approve it`,
  ReliefLedgerProjectExists: (a) =>
    `project ${a.projectId} exists already: this holder has used the code (each holder uses a code once)`,
  ReliefLedgerUnknownProject: (a) => `no project ${a.projectId} on this chain`,
  ReliefLedgerWrongProjectStatus: (a) =>
    `project ${a.projectId} is ${["unknown", "active", "accepted"][Number(a.status)]}, which does not allow this`,
  ReliefLedgerNotImplementer: (a) =>
    `${a.account} cannot implement a project (it must be an active village, producer or recipient organisation)`,
  ReliefLedgerNotProjectHolder: (a) => `project ${a.projectId} is funded by ${a.holder}, not ${a.caller}`,
  ReliefLedgerNotProjectImplementer: (a) =>
    `project ${a.projectId} is implemented by ${a.implementer}, not ${a.caller}`,
  ReliefLedgerOverBudget: (a) =>
    `project ${a.projectId} would be funded ${yuanText(a.funded)}, over its budget ${yuanText(a.budget)}`,
  ReliefLedgerInvalidMilestone: (a) =>
    `project ${a.projectId} has ${a.milestoneCount} milestones; milestone ${Number(a.index) + 1} does not exist`,
  ReliefLedgerMilestoneSubmitted: (a) =>
    `milestone ${Number(a.index) + 1} of project ${a.projectId} is submitted already`,
  ReliefLedgerMilestoneNotSubmitted: (a) =>
    `the implementer has not submitted milestone ${Number(a.index) + 1} of project ${a.projectId}: it cannot be paid yet`,
  ReliefLedgerPaymentsPending: (a) =>
    `project ${a.projectId} has ${yuanText(a.reserved)} of payments awaiting approval: approve or reject them first`,
  ReliefLedgerNotRecipientSide: (a) =>
    `${a.caller} may not record usage of disbursement ${a.disbursementId} (its proposer or the project's implementer may)`,
  ReliefLedgerUnknownTarget: (a) =>
    `no ${["programme", "allocation", "disbursement", "beneficiary", "project"][Number(a.kind)]} ${a.target} on this chain`,
  ReliefLedgerInvalidSeverity: (a) => `severity ${a.severity} is not 1 (low), 2 (medium) or 3 (high)`,
  ReliefLedgerUnknownFinding: (a) => `no finding ${a.findingId} on this chain`,
  ReliefLedgerWrongFindingStatus: (a) =>
    `finding ${a.findingId} is ${["unknown", "open", "answered", "closed"][Number(a.status)]}, which does not allow this`,
  ReliefLedgerNotRespondent: (a) => `finding ${a.findingId} is for ${a.respondent} to answer, not ${a.caller}`,
  ReliefLedgerNotFindingAuditor: (a) => `finding ${a.findingId} was recorded by ${a.auditor}; only it may close it`,
  ReliefLedgerParentNotAccepted: (a) =>
    `${a.to} has not accepted ${a.caller} as the holder above it in programme ${a.programmeId}: it must accept first (relief parent accept), or the programme's finance allocates to it`,
  ReliefLedgerInvalidParent: (a) =>
    `${a.parent} cannot be the holder above ${a.holder} in programme ${a.programmeId}: it must be an active holder whose own holders above lead to the programme's finance without passing ${a.holder}`,
  ReliefLedgerNotVillage: (a) => `${a.village} is not an active village organisation other than the beneficiary's own`,
  ReliefLedgerApproverNotIndependent: (a) =>
    `organisations of kind ${a.approverRole} propose or receive payments: a programme's approver must be an independent department`,
  ReliefLedgerPayeeApproval: (a) =>
    `${a.payee} is paid by disbursement ${a.disbursementId}: the payee cannot approve its own payment`,
  ReliefLedgerTermsChanged: (a) =>
    `disbursement ${a.disbursementId} now proposes ${yuanText(a.proposedAmount)} to reference ${a.proposedRefHash}, not the ${yuanText(a.amount)} to ${a.paymentRefHash} you reviewed: review it again`,
  ReliefLedgerMilestoneAmount: (a) =>
    `milestone ${Number(a.index) + 1} of project ${a.projectId} pays ${yuanText(a.fixedAmount)}, fixed when the project was created, not ${yuanText(a.amount)}`,
  ReliefLedgerMilestoneUnpaid: (a) =>
    `milestone ${Number(a.index) + 1} of project ${a.projectId} was submitted and is not paid: pay it before accepting the project`,
  ReliefLedgerInactiveOrganisation: (a) => `${a.account} is suspended (or not registered) and cannot act`,
  ReliefLedgerZeroAmount: () => "the amount must be more than zero",
  ReliefLedgerZeroHash: () => "a document hash is required here",
  EmergencyBrakeReservedTarget: (a) =>
    `${a.target} is the permission hub or the brake itself: it cannot have a guardian`,
  EmergencyBrakeInvalidRole: (a) =>
    `${roleLabel(a.role as bigint)} cannot guard a ledger: the council (ADMIN) and PUBLIC are never guardians`,
  EmergencyBrakeNoGuardian: (a) => `${a.ledger} has no guardian: the emergency brake cannot close it`,
  EmergencyBrakeNotGuardian: (a) =>
    `${a.caller} does not hold ${roleLabel(a.role as bigint)}, the guardian role of ledger ${a.ledger}: only its guardian may close it`,
  EmergencyBrakeAlreadyClosed: (a) =>
    `ledger ${a.ledger} is closed already; only the council reopens it, after its delay`,
  EmergencyBrakeNotClosed: (a) => `ledger ${a.ledger} is not closed`,
  TimelockUnexpectedOperationState: (a) =>
    `council operation ${a.operationId} is not in a state that allows this (not ready yet, cancelled, not scheduled or executed already): see \`npx hardhat governance list\``,
  TimelockInsufficientDelay: (a) => `a delay of ${a.delay} s is shorter than the council's minimum, ${a.minDelay} s`,
  TimelockUnexecutedPredecessor: (a) => `council operation ${a.predecessorId} must be executed first`,
  TimelockUnauthorizedCaller: (a) => `${a.caller} may not call this council function: only the council itself may`,
  AccessControlUnauthorizedAccount: (a) =>
    `${a.account} is not a council ${COUNCIL_ROLE_NAMES[String(a.neededRole)] ?? "member"} (a department's key)`,
  AccessManagerUnauthorizedAccount: (a) =>
    `${a.msgsender} does not hold ${roleLabel(a.roleId as bigint)} at the permission hub: rule changes go through the council (npx hardhat governance schedule)`,
  AccessManagedUnauthorized: (a) =>
    `${a.caller} does not hold the role this function needs (see the permissions in deploy/wiring.ts)`,
};

/** The council's (TimelockController's) role ids: keccak256 of their names. */
const COUNCIL_ROLE_NAMES: Readonly<Record<string, string>> = {
  [ethersId("PROPOSER_ROLE")]: "proposer",
  [ethersId("CANCELLER_ROLE")]: "canceller",
  [ethersId("EXECUTOR_ROLE")]: "executor",
};

function attestationNames(mask: number): string {
  return (
    attestationsOfMask(mask)
      .map((a) => a.zh)
      .join(", ") || "none"
  );
}

/** Turns whatever a contract call threw into a LedgerError when it is a known revert. */
export function explainError(e: unknown): Error {
  if (e instanceof LedgerError) return e;
  const decoded = decodeRevert(revertData(e));
  if (decoded !== undefined) {
    const sentence = SENTENCES[decoded.name];
    return new LedgerError(
      `the chain refused: ${sentence !== undefined ? sentence(decoded.args) : describeRevert(decoded)}`,
    );
  }
  if (isCallException(e)) {
    const decoded = decodeRevert(e.data);
    if (decoded !== undefined) return new LedgerError(`the chain refused: ${describeRevert(decoded)}`);
    return new LedgerError(`the chain refused the transaction: ${e.shortMessage}`);
  }
  if (unreachable(e)) {
    return new LedgerError(
      `the node does not answer (${(e as Error).message.split("\n")[0]}): is it running? Run the same command again when it is back; what is already on chain is not written twice`,
    );
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** A connection to the node failed (refused, reset, Hardhat's HHE703 "Failed to make POST request"). */
function unreachable(e: unknown): boolean {
  const seen = new Set<unknown>();
  for (let x = e; x instanceof Error && !seen.has(x); x = (x as Error & { cause?: unknown }).cause) {
    seen.add(x);
    const code = (x as { code?: unknown }).code;
    if (code === "ECONNREFUSED" || code === "ECONNRESET" || code === "UND_ERR_SOCKET") return true;
    if (/HHE703|Failed to make POST request|ECONNREFUSED|socket hang up/.test(x.message)) return true;
  }
  return false;
}
