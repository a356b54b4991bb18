/** The relief ledger's refusals, one sentence per custom error of `IReliefLedger.sol`. */
import type { Refusals } from "../errors.js";
import { lacksRole, relayedCall, yuan } from "../refusal-words.js";
import { roleLabel } from "../roles.js";
import { attestationsOfMask } from "./attestations.js";

function attestationNames(mask: number): string {
  return (
    attestationsOfMask(mask)
      .map((a) => a.zh)
      .join(", ") || "none"
  );
}

export const RELIEF_REFUSALS: Refusals = {
  ReliefLedgerRelayedCall: relayedCall,
  ReliefLedgerInsufficientBalance: (a) =>
    `${a.holder} holds ${yuan(a.available)} of programme ${a.programmeId}, less than the ${yuan(a.amount)} asked`,
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
  ReliefLedgerUnauthorized: (a) => lacksRole(a, roleLabel),
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
    `${yuan(a.amount)} is more than programme ${a.programmeId} allows per payment (${yuan(a.cap)})`,
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
    `project ${a.projectId} would be funded ${yuan(a.funded)}, over its budget ${yuan(a.budget)}`,
  ReliefLedgerInvalidMilestone: (a) =>
    `project ${a.projectId} has ${a.milestoneCount} milestones; milestone ${Number(a.index) + 1} does not exist`,
  ReliefLedgerMilestoneSubmitted: (a) =>
    `milestone ${Number(a.index) + 1} of project ${a.projectId} is submitted already`,
  ReliefLedgerMilestoneNotSubmitted: (a) =>
    `the implementer has not submitted milestone ${Number(a.index) + 1} of project ${a.projectId}: it cannot be paid yet`,
  ReliefLedgerPaymentsPending: (a) =>
    `project ${a.projectId} has ${yuan(a.reserved)} of payments awaiting approval: approve or reject them first`,
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
    `disbursement ${a.disbursementId} now proposes ${yuan(a.proposedAmount)} to reference ${a.proposedRefHash}, not the ${yuan(a.amount)} to ${a.paymentRefHash} you reviewed: review it again`,
  ReliefLedgerMilestoneAmount: (a) =>
    `milestone ${Number(a.index) + 1} of project ${a.projectId} pays ${yuan(a.fixedAmount)}, fixed when the project was created, not ${yuan(a.amount)}`,
  ReliefLedgerMilestoneUnpaid: (a) =>
    `milestone ${Number(a.index) + 1} of project ${a.projectId} was submitted and is not paid: pay it before accepting the project`,
  ReliefLedgerInactiveOrganisation: (a) => `${a.account} is suspended (or not registered) and cannot act`,
  ReliefLedgerZeroAmount: () => "the amount must be more than zero",
  ReliefLedgerZeroHash: () => "a document hash is required here",
  ReliefLedgerAmountTooLarge: (a) => `${yuan(a.amount)} is more than the ledger takes (amounts fit in 96 bits)`,
  ReliefLedgerZeroAccount: () => "an organisation's account is required here, not the zero address",
  ReliefLedgerZeroId: () => "a beneficiary key is required here",
};

/** The receipt-code contract's refusals (`IReliefReceipts.sol`). */
export const RELIEF_RECEIPT_REFUSALS: Refusals = {
  ReliefReceiptsRelayedCall: relayedCall,
  ReliefReceiptsZeroHash: () => "a receipt code's hash is required here",
  ReliefReceiptsUnknownDisbursement: (a) => `no disbursement ${a.disbursementId} on this chain`,
  ReliefReceiptsNotBeneficiaryPayment: (a) =>
    `disbursement ${a.disbursementId} pays a relief project: receipt codes are for households' payments`,
  ReliefReceiptsNotProposer: (a) =>
    `disbursement ${a.disbursementId} was proposed by ${a.proposer}: only the proposer gives it a receipt code, not ${a.caller}`,
  ReliefReceiptsRejected: (a) =>
    `disbursement ${a.disbursementId} was rejected or withdrawn: it gets no receipt code (propose the payment again)`,
  ReliefReceiptsAlreadyBound: (a) =>
    `disbursement ${a.disbursementId} already has a receipt code (hash ${a.receiptHash}): a payment has one code, never replaced; look it up in the village's payment notices`,
  ReliefReceiptsReceiptTaken: (a) =>
    `receipt hash ${a.receiptHash} already names disbursement ${a.disbursementId}: draw a new code`,
};
