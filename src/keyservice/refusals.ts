/** The key service anchor's refusals, one sentence per custom error of `IKeyServiceAnchor.sol`. */
import type { Refusals } from "../errors.js";
import { relayedCall } from "../refusal-words.js";

export const KEY_SERVICE_REFUSALS: Refusals = {
  KeyServiceAnchorRelayedCall: relayedCall,
  KeyServiceAnchorZeroHead: () => "the key service log's head must not be zero",
  KeyServiceAnchorEmptyLog: () => "the key service log has no entries: there is nothing to anchor",
  KeyServiceAnchorCountDecreased: (a) =>
    `the key service log was anchored with ${a.anchoredCount} entries already; an anchor of ${a.count} would shrink it (the log is append-only)`,
  KeyServiceAnchorHeadChanged: (a) =>
    `the key service log was anchored after ${a.count} entries with head ${a.anchoredHead}; a different head ${a.head} for the same entries means the log was rewritten`,
};
