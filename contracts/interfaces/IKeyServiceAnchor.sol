// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IKeyServiceAnchor
 * @notice Where the beneficiary-key service anchors its request log. The key service (run by one
 * department, `npm run keyservice`) turns identity numbers into beneficiary keys for authenticated
 * organisations and keeps an append-only log of who asked for how many keys and when, as a hash chain
 * (never the identity numbers). Anchoring the chain's head here, periodically and on demand, lets
 * anyone holding a copy of the log check that no entry was removed or rewritten since: the log's
 * head after `count` entries must equal the anchored head.
 */
interface IKeyServiceAnchor {
    // ---------------------------------------------------------------- errors

    /// @notice The anchor refuses calls relayed through the AccessManager (`execute`): the manager
    /// would stand in as the acting department and hide who anchored.
    error KeyServiceAnchorRelayedCall(address manager, bytes4 selector);
    /// @notice The head is zero: a log with entries has a non-zero head.
    error KeyServiceAnchorZeroHead();
    /// @notice The count is zero: a log without entries has nothing to anchor.
    error KeyServiceAnchorEmptyLog();
    /// @notice The log would shrink: `count` entries anchored now, fewer than the `anchoredCount` anchored before.
    error KeyServiceAnchorCountDecreased(uint64 anchoredCount, uint64 count);
    /// @notice The log was rewritten: after `count` entries the head anchored before is `anchoredHead`, not `head`.
    error KeyServiceAnchorHeadChanged(uint64 count, bytes32 anchoredHead, bytes32 head);

    // ---------------------------------------------------------------- events

    /// @notice `by` anchored the key service's request log: after `count` entries (`previousCount`
    /// before) its head is `head`.
    event KeyServiceLogAnchored(address indexed by, bytes32 head, uint64 count, uint64 previousCount);

    // ---------------------------------------------------------------- writes

    /**
     * @notice Anchors the head of the key service's request log after `count` entries.
     * @dev Restricted to the department that runs the key service (the wiring). The log only grows:
     * `count` is at least 1 and not below the last anchored count, and anchoring the same count again
     * must give the same head. Emits {KeyServiceLogAnchored}.
     * @param head The hash-chain head after `count` entries.
     * @param count The number of entries in the log.
     */
    function anchor(bytes32 head, uint64 count) external;

    // ---------------------------------------------------------------- views

    /// @notice The last anchored head and entry count, and when they were anchored (block timestamp; 0: never).
    function latest() external view returns (bytes32 head, uint64 count, uint64 anchoredAt);
}
