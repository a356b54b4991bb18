// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {IEmergencyBrake} from "../interfaces/IEmergencyBrake.sol";

/**
 * @title EmergencyBrake
 * @notice Lets a ledger's guardian close it at once and only the council reopen it (see IEmergencyBrake).
 * @dev Wiring: `close` is PUBLIC at the manager (the guardian role depends on the ledger and is checked
 * here); `setGuardian` and `reopen` keep the manager's default, ADMIN, so only the council's timelock
 * calls them. The brake must hold ADMIN (without execution delay) at the manager to call `setTargetClosed`.
 */
contract EmergencyBrake is IEmergencyBrake, AccessManaged {
    uint64 private constant ADMIN_ROLE = 0;
    uint64 private constant PUBLIC_ROLE = type(uint64).max;

    // ---------------------------------------------------------------- storage

    /// @dev Guardian role by ledger; 0 (ADMIN, never a guardian) means none.
    mapping(address ledger => uint64 role) private _guardianRole;

    // ---------------------------------------------------------------- constructor

    constructor(address manager) AccessManaged(manager) {}

    // ---------------------------------------------------------------- writes

    /// @inheritdoc IEmergencyBrake
    function setGuardian(address ledger, uint64 role) external restricted {
        if (ledger == authority() || ledger == address(this)) revert EmergencyBrakeReservedTarget(ledger);
        if (role == ADMIN_ROLE || role == PUBLIC_ROLE) revert EmergencyBrakeInvalidRole(role);
        _guardianRole[ledger] = role;
        emit GuardianSet(ledger, role, msg.sender);
    }

    /// @inheritdoc IEmergencyBrake
    function close(address ledger, bytes32 reasonHash) external restricted {
        uint64 role = _guardianRole[ledger];
        if (role == ADMIN_ROLE) revert EmergencyBrakeNoGuardian(ledger);
        IAccessManager manager = IAccessManager(authority());
        (bool isMember, uint32 delay) = manager.hasRole(role, msg.sender);
        if (!isMember || delay != 0) revert EmergencyBrakeNotGuardian(msg.sender, ledger, role);
        if (manager.isTargetClosed(ledger)) revert EmergencyBrakeAlreadyClosed(ledger);
        manager.setTargetClosed(ledger, true);
        emit LedgerClosed(ledger, msg.sender, role, reasonHash);
    }

    /// @inheritdoc IEmergencyBrake
    function reopen(address ledger) external restricted {
        IAccessManager manager = IAccessManager(authority());
        if (!manager.isTargetClosed(ledger)) revert EmergencyBrakeNotClosed(ledger);
        manager.setTargetClosed(ledger, false);
        emit LedgerReopened(ledger, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IEmergencyBrake
    function guardianRoleOf(address ledger) external view returns (uint64) {
        return _guardianRole[ledger];
    }
}
