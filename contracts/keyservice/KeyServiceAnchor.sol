// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";

import {IKeyServiceAnchor} from "../interfaces/IKeyServiceAnchor.sol";

/**
 * @title KeyServiceAnchor
 * @notice The anchor of the beneficiary-key service's request log (see IKeyServiceAnchor).
 * @dev `anchor` is `restricted`: the deploy wiring gives it to the department that runs the key
 * service (RURAL_AFFAIRS), so a suspended department is stopped by the manager at once.
 */
contract KeyServiceAnchor is IKeyServiceAnchor, AccessManaged {
    // ---------------------------------------------------------------- storage

    /// @dev The last anchored head.
    bytes32 private _head;
    /// @dev The entry count and the time of the last anchor share one slot (8 + 8 bytes).
    uint64 private _count;
    uint64 private _anchoredAt;

    constructor(address manager) AccessManaged(manager) {}

    // ---------------------------------------------------------------- access

    /// @dev Every anchor names the department that wrote it (`msg.sender`). A call relayed by
    /// `AccessManager.execute` arrives with the manager as `msg.sender`: it is refused before the
    /// manager's own check, which would let it through.
    function _checkCanCall(address caller, bytes calldata data) internal override {
        if (caller == authority()) revert KeyServiceAnchorRelayedCall(caller, bytes4(data[0:4]));
        super._checkCanCall(caller, data);
    }

    // ---------------------------------------------------------------- writes

    /// @inheritdoc IKeyServiceAnchor
    function anchor(bytes32 head, uint64 count) external restricted {
        if (head == bytes32(0)) revert KeyServiceAnchorZeroHead();
        if (count == 0) revert KeyServiceAnchorEmptyLog();
        uint64 previous = _count;
        if (count < previous) revert KeyServiceAnchorCountDecreased(previous, count);
        if (count == previous && head != _head) {
            revert KeyServiceAnchorHeadChanged(count, _head, head);
        }
        _head = head;
        _count = count;
        _anchoredAt = uint64(block.timestamp);
        emit KeyServiceLogAnchored(msg.sender, head, count, previous);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IKeyServiceAnchor
    function latest() external view returns (bytes32 head, uint64 count, uint64 anchoredAt) {
        return (_head, _count, _anchoredAt);
    }
}
