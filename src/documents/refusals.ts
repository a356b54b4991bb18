/** The document digests' refusals, one sentence per custom error of `IDocumentDigests.sol`. */
import type { Refusals } from "../errors.js";
import { relayedCall } from "../refusal-words.js";

export const DOCUMENT_DIGEST_REFUSALS: Refusals = {
  DocumentDigestsRelayedCall: relayedCall,
  DocumentDigestsNotOrganisation: (a) =>
    `${a.caller} is not an active organisation of the registry (suspended or never registered): it cannot bind documents' digests`,
  DocumentDigestsBadBatch: (a) =>
    `a binding call takes 1 to 256 documents, as many keccak-256 as SHA-256 digests; this one has ${a.keccak256Count} and ${a.sha256Count}`,
  DocumentDigestsZeroDigest: (a) =>
    `a document's digests cannot be zero (keccak-256 ${a.keccak256Digest}, SHA-256 ${a.sha256Digest})`,
  DocumentDigestsAlreadyBound: (a) =>
    `${a.by} bound the document with keccak-256 ${a.keccak256Digest} to SHA-256 ${a.boundSha256} already: a binding is never changed, so ${a.sha256Digest} is refused (is it another file with the same keccak-256? it cannot be)`,
};
