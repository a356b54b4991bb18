/** The public names' refusals, one sentence per custom error of `IPublicNames.sol`. */
import type { Refusals } from "../errors.js";
import { nameAt, relayedCall } from "../refusal-words.js";

/** The kinds of named records, in `IPublicNames.Kind` order. */
const KINDS = ["charity project", "relief programme", "relief project", "payment period", "product", "location"];

export const NAMES_REFUSALS: Refusals = {
  PublicNamesRelayedCall: relayedCall,
  PublicNamesInvalidName: (a) =>
    `a name or code must be 1 to ${a.maxLength} bytes of UTF-8; this one is ${a.length} bytes`,
  PublicNamesUnknownRecord: (a) => `there is no ${nameAt(KINDS, a.kind)} ${a.id} on this chain to name`,
  PublicNamesNotCreator: (a) =>
    `only ${a.creator}, which created ${nameAt(KINDS, a.kind)} ${a.id}, may name it; ${a.caller} did not create it`,
  PublicNamesInactiveOrganisation: (a) =>
    `${a.account} is not an active organisation of the registry (suspended or never registered): it cannot name anything`,
  PublicNamesUnchanged: (a) =>
    `${nameAt(KINDS, a.kind)} ${a.id} is already named ${JSON.stringify(a.name)}: there is nothing to change`,
  PublicNamesInvalidPeriod: (a) =>
    `period ${a.period} is not a payment period of programme ${a.programmeId}, which has periods 1 to ${a.periods}`,
  PublicNamesInvalidLocation: (a) => `${a.gln} is not a GLN-13 (1 to 13 digits)`,
};
