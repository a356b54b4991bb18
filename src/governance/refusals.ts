/** The council's (TimelockController), the emergency brake's and the permission hub's refusals of rule changes. */
import { id as ethersId } from "ethers";

import type { Refusals } from "../errors.js";
import { roleLabel } from "../roles.js";

/** The council's (TimelockController's) role ids: keccak256 of their names. */
const COUNCIL_ROLE_NAMES: Readonly<Record<string, string>> = {
  [ethersId("PROPOSER_ROLE")]: "proposer",
  [ethersId("CANCELLER_ROLE")]: "canceller",
  [ethersId("EXECUTOR_ROLE")]: "executor",
};

export const GOVERNANCE_REFUSALS: Refusals = {
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
};
