// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IEmergencyBrake
 * @notice The emergency brake of Zhixin Ledger: each ledger has a guardian role (civil affairs for
 * charity, the market regulator for traceability, finance for poverty relief) whose holders can close
 * that ledger at the AccessManager at once (`setTargetClosed`); only the council (ADMIN, a timelock)
 * reopens it, after its public delay. The brake holds ADMIN at the manager, because AccessManager
 * reserves `setTargetClosed` to ADMIN, and its code uses that role for nothing but closing and reopening.
 */
interface IEmergencyBrake {
    // ---------------------------------------------------------------- errors

    /// @notice `target` is the AccessManager or this brake: neither can be given a guardian.
    error EmergencyBrakeReservedTarget(address target);
    /// @notice `role` cannot guard a ledger: ADMIN (the council) and PUBLIC are not guardians.
    error EmergencyBrakeInvalidRole(uint64 role);
    /// @notice `ledger` has no guardian: the brake cannot close it.
    error EmergencyBrakeNoGuardian(address ledger);
    /// @notice `caller` does not hold, without execution delay, `role`, the guardian role of `ledger`.
    error EmergencyBrakeNotGuardian(address caller, address ledger, uint64 role);
    /// @notice `ledger` is closed already.
    error EmergencyBrakeAlreadyClosed(address ledger);
    /// @notice `ledger` is not closed.
    error EmergencyBrakeNotClosed(address ledger);

    // ---------------------------------------------------------------- events

    /// @notice The council (`by`) made holders of `role` the guardians of `ledger`.
    event GuardianSet(address indexed ledger, uint64 indexed role, address indexed by);
    /// @notice `guardian`, holding `role`, closed `ledger` at once; `reasonHash` is the hash of the reasons.
    event LedgerClosed(address indexed ledger, address indexed guardian, uint64 role, bytes32 reasonHash);
    /// @notice The council (`by`) reopened `ledger`.
    event LedgerReopened(address indexed ledger, address indexed by);

    // ---------------------------------------------------------------- writes

    /// @notice Makes holders of `role` the guardians of `ledger` (council only, through its timelock).
    /// @param ledger A contract governed by the manager (not the manager, not the brake).
    /// @param role The guardian role; neither ADMIN (0) nor PUBLIC.
    function setGuardian(address ledger, uint64 role) external;

    /// @notice Closes `ledger` at once: every function of it is refused by the manager until reopened.
    /// @dev The caller must hold the ledger's guardian role without execution delay.
    /// @param ledger The ledger to close.
    /// @param reasonHash Hash of the written reasons (kept off chain).
    function close(address ledger, bytes32 reasonHash) external;

    /// @notice Reopens a closed `ledger` (council only, through its timelock, after its delay).
    /// @param ledger The ledger to reopen.
    function reopen(address ledger) external;

    // ---------------------------------------------------------------- views

    /// @notice The guardian role of `ledger`; 0 when it has none.
    /// @param ledger A ledger address.
    function guardianRoleOf(address ledger) external view returns (uint64);
}
