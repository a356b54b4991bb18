/**
 * Errors turned into sentences, at the edges only (the CLI's task runner, the API, the demo):
 * every custom error of every contract interface has one, in its domain's own words
 * (`src/<domain>/refusals.ts`); the organisation registry's and the permission hub's are here.
 */
import { isCallException } from "ethers";

import { CHARITY_REFUSALS } from "./charity/refusals.js";
import { DOCUMENT_DIGEST_REFUSALS } from "./documents/refusals.js";
import { chainRefusalOf, decodeRevert, describeRevert } from "./contracts.js";
import { creditCodeFromBytes18 } from "./credit-code.js";
import { GOVERNANCE_REFUSALS } from "./governance/refusals.js";
import { KEY_SERVICE_REFUSALS } from "./keyservice/refusals.js";
import { LedgerError, UserError, type Refusals } from "./errors.js";
import { NAMES_REFUSALS } from "./names/refusals.js";
import { nameAt, relayedCall } from "./refusal-words.js";
import { RELIEF_RECEIPT_REFUSALS, RELIEF_REFUSALS } from "./relief/refusals.js";
import { roleLabel } from "./roles.js";
import { TRACE_REFUSALS } from "./trace/refusals.js";
import { TRACE_UNIT_REFUSALS } from "./trace/unit-refusals.js";

const ORG_REFUSALS: Refusals = {
  OrgRegistryRelayedCall: relayedCall,
  OrgRegistryReservedAccount: (a) =>
    `${a.account} is the permission hub or one of the ledgers it governs: it cannot be registered as an organisation`,
  OrgRegistryZeroAccount: () => "an organisation's account is required, not the zero address",
  OrgRegistryUnknownKind: (a) => `${a.kind} is not an organisation kind`,
  OrgRegistryInvalidName: (a) =>
    `an organisation's name must be 1 to 128 bytes of UTF-8; this one is ${a.length} bytes`,
  OrgRegistryInvalidCreditCode: (a) =>
    `${JSON.stringify(a.creditCode)} is not a credit code (18 characters: digits and capitals except I, O, S, V, Z)`,
  OrgRegistryAccountTaken: (a) => `${a.account} is registered already`,
  OrgRegistryCreditCodeTaken: (a) =>
    `credit code ${creditCodeFromBytes18(String(a.creditCode))} is registered already, to ${a.holder}`,
  OrgRegistryUnknownOrganisation: (a) => `${a.account} is not a registered organisation`,
  OrgRegistryUnauthorizedAdmitter: (a) =>
    `${a.caller} does not hold ${roleLabel(a.requiredRole as bigint)}, the role that admits organisations of this kind`,
  OrgRegistryWrongStatus: (a) =>
    `${a.account} is ${nameAt(["not registered", "active", "suspended"], a.status)}, which does not allow this`,
};

const ACCESS_REFUSALS: Refusals = {
  AccessManagedUnauthorized: (a) =>
    `${a.caller} does not hold the role this function needs (see the permissions in deploy/wiring.ts)`,
};

/** Every contract's refusal sentences, by custom error name. */
export const REFUSALS: Refusals = {
  ...CHARITY_REFUSALS,
  ...TRACE_REFUSALS,
  ...TRACE_UNIT_REFUSALS,
  ...RELIEF_REFUSALS,
  ...RELIEF_RECEIPT_REFUSALS,
  ...KEY_SERVICE_REFUSALS,
  ...NAMES_REFUSALS,
  ...DOCUMENT_DIGEST_REFUSALS,
  ...GOVERNANCE_REFUSALS,
  ...ORG_REFUSALS,
  ...ACCESS_REFUSALS,
};

/** Turns whatever a library or contract call threw into a one-line {@link UserError} when a user can act on it. */
export function explain(e: unknown): Error {
  const refusal = chainRefusalOf(e);
  if (refusal !== undefined) {
    const sentence = REFUSALS[refusal.revert.name];
    return new LedgerError(
      `the chain refused: ${sentence !== undefined ? sentence(refusal.revert.args) : describeRevert(refusal.revert)}`,
    );
  }
  if (e instanceof UserError) return e;
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
