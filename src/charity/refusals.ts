/** The charity ledger's refusals, one sentence per custom error of `ICharityLedger.sol`. */
import type { Refusals } from "../errors.js";
import { lacksRole, nameAt, relayedCall, yuan } from "../refusal-words.js";
import { roleLabel } from "../roles.js";
import { formatQuantity } from "../trace/vocabulary.js";
import { dateOfDay } from "./business-date.js";

const quantityText = (v: unknown) => (typeof v === "bigint" ? formatQuantity(v) : String(v));

export const CHARITY_REFUSALS: Refusals = {
  CharityLedgerInsufficientBalance: (a) =>
    `project ${a.projectId} holds ${yuan(a.available)}, less than the ${yuan(a.requested)} requested`,
  CharityLedgerDuplicateDonation: (a) => `donation ${a.donationId} is recorded already (same charity and reference)`,
  CharityLedgerNotProjectCharity: (a) =>
    `${a.caller} is not the charity of project ${a.projectId} (that is ${a.charity})`,
  CharityLedgerNotRecipient: (a) => `${a.account} is not a registered, active recipient (受助单位)`,
  CharityLedgerWrongProjectStatus: (a) =>
    `project ${a.projectId} is ${nameAt(["unknown", "proposed", "approved", "closed"], a.status)}, which does not allow this`,
  CharityLedgerUnknownProject: (a) => `no project ${a.projectId} on this chain`,
  CharityLedgerNotHandoverRecipient: (a) => `only ${a.recipient} may confirm ${a.handoverId}; ${a.caller} may not`,
  CharityLedgerAlreadyConfirmed: (a) => `${a.handoverId} is confirmed already`,
  CharityLedgerAmountTooLarge: (a) =>
    `${yuan(a.amount)} is more than the ledger takes (${yuan(a.max)}): one record carries at most that, and a project's total inflow stays below 2^80 fen`,
  CharityLedgerDonationUsed: (a) =>
    `donation ${a.donationId} cannot be reversed: the project's outflows (${yuan(a.outflow)} so far) have reached its money, which starts at ${yuan(a.inflowBefore)} of the project's inflow; a reversal takes back only a donation's own unused money`,
  CharityLedgerGoodsDispatched: (a) =>
    `lot ${a.lotId} cannot be corrected: ${quantityText(a.dispatched)} of it were dispatched already`,
  CharityLedgerRelayedCall: relayedCall,
  CharityLedgerInsufficientGoods: (a) =>
    `lot ${a.lotId} has ${a.remaining} left, less than the ${a.requested} requested`,
  CharityLedgerProjectExists: (a) => `project ${a.projectId} exists already (same charity and code)`,
  CharityLedgerInvalidCode: (a) => `a project code must be 1 to 64 bytes of UTF-8; this one is ${a.length} bytes`,
  CharityLedgerUnknownDonation: (a) => `no donation ${a.donationId} on this chain`,
  CharityLedgerWrongDonationState: (a) =>
    `donation ${a.donationId} is ${nameAt(["unknown", "recorded", "proposed for reversal", "reversed"], a.state)}, which does not allow this`,
  CharityLedgerNotGoods: (a) => `${a.donationId} is not a goods lot`,
  CharityLedgerUnknownHandover: (a) => `${a.handoverId} is neither a disbursement nor a goods dispatch on this chain`,
  CharityLedgerSameProject: (a) => `the donation is in project ${a.projectId} already: name another project`,
  CharityLedgerPeriodPublished: (a) => `the statistics of period ${a.periodId} are published already`,
  CharityLedgerUnauthorized: (a) => lacksRole(a, roleLabel),
  CharityLedgerZeroAmount: () => "the amount must be more than zero",
  CharityLedgerFutureDate: (a) =>
    `the receipt date ${dateOfDay(a.receivedOn as bigint) ?? "?"} is in the future (the latest the ledger takes today is ${dateOfDay(a.latest as bigint) ?? "?"}): check the date column`,
};
