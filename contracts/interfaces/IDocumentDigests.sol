// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IDocumentDigests
 * @notice Binds a document's keccak-256 (how the ledgers anchor documents) to its SHA-256 (how documents are
 * often published elsewhere), so that a SHA-256 finds the records that anchor the document. A binding is an
 * organisation's statement about a file it hashed itself: it is keyed by the binding organisation and the
 * keccak-256, so nobody can take or block another organisation's binding. Each organisation binds a keccak-256
 * to one SHA-256, once (a second, different SHA-256 is refused; the same pair again changes nothing, so a
 * command or an import may be run again). The chain cannot hash a file it never sees: the explorer follows a
 * binding only to the records its own binder anchored, and shows who bound it.
 */
interface IDocumentDigests {
    // ---------------------------------------------------------------- errors

    /// @notice Calls relayed through the AccessManager (`execute`) are refused: the manager would stand in
    /// as the organisation and hide who bound the digests.
    error DocumentDigestsRelayedCall(address manager, bytes4 selector);
    /// @notice `caller` is not an active registered organisation: only organisations bind digests.
    error DocumentDigestsNotOrganisation(address caller);
    /// @notice A batch must hold 1 to `MAX_BATCH` pairs, as many keccak-256 as SHA-256 digests.
    error DocumentDigestsBadBatch(uint256 keccak256Count, uint256 sha256Count);
    /// @notice A digest of the pair (`keccak256Digest`, `sha256Digest`) is zero.
    error DocumentDigestsZeroDigest(bytes32 keccak256Digest, bytes32 sha256Digest);
    /// @notice `by` bound `keccak256Digest` to `boundSha256` already; a different `sha256Digest` is refused
    /// (a binding is never changed).
    error DocumentDigestsAlreadyBound(address by, bytes32 keccak256Digest, bytes32 boundSha256, bytes32 sha256Digest);

    // ---------------------------------------------------------------- events

    /// @notice `by` (an organisation, having hashed the file itself) states that the document whose keccak-256
    /// is `keccak256Digest` has SHA-256 `sha256Digest`.
    event DigestsBound(bytes32 indexed keccak256Digest, bytes32 indexed sha256Digest, address indexed by);

    // ---------------------------------------------------------------- writes

    /**
     * @notice Binds each document's keccak-256 to its SHA-256, for the calling organisation.
     * @dev Public in the wiring; the caller must be an active registered organisation. Pair `i` is
     * (`keccak256Digests[i]`, `sha256Digests[i]`). A pair the caller bound already is skipped (no event); a
     * keccak-256 the caller bound to another SHA-256 refuses the whole batch. Emits {DigestsBound} per new pair.
     * @param keccak256Digests keccak-256 of each file's bytes (what the ledgers anchor).
     * @param sha256Digests SHA-256 of the same files' bytes, in the same order.
     */
    function bindDigests(bytes32[] calldata keccak256Digests, bytes32[] calldata sha256Digests) external;

    // ---------------------------------------------------------------- views

    /// @notice The organisation registry whose active members may bind.
    function registry() external view returns (address);

    /// @notice The SHA-256 organisation `by` bound to keccak-256 `keccak256Digest` (zero: none).
    function sha256Of(address by, bytes32 keccak256Digest) external view returns (bytes32);
}
