// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `testFuzz_<fn>_<what>`); gas hints do not apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, gas-small-strings
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {Test} from "forge-std/Test.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {EmergencyBrake} from "../../contracts/governance/EmergencyBrake.sol";
import {IEmergencyBrake} from "../../contracts/interfaces/IEmergencyBrake.sol";

/// @dev A ledger stand-in: one restricted write.
contract BrakedTarget is AccessManaged {
    uint256 public writes;

    constructor(address manager) AccessManaged(manager) {}

    function write() external restricted {
        ++writes;
    }
}

/// @dev The brake wired as deploy/modules/Governance.ts wires it: `close` PUBLIC, the rest ADMIN; the
/// brake holds ADMIN; `council` holds ADMIN; the charity stand-in is guarded by CIVIL_AFFAIRS.
contract EmergencyBrakeTest is Test {
    AccessManager internal manager;
    EmergencyBrake internal brake;
    BrakedTarget internal ledger;
    address internal council = makeAddr("council");
    address internal civilAffairs = makeAddr("civilAffairs");

    function setUp() public {
        manager = new AccessManager(address(this));
        brake = new EmergencyBrake(address(manager));
        ledger = new BrakedTarget(address(manager));
        bytes4[] memory close = new bytes4[](1);
        close[0] = IEmergencyBrake.close.selector;
        manager.setTargetFunctionRole(address(brake), close, manager.PUBLIC_ROLE());
        bytes4[] memory write = new bytes4[](1);
        write[0] = BrakedTarget.write.selector;
        manager.setTargetFunctionRole(address(ledger), write, manager.PUBLIC_ROLE());
        brake.setGuardian(address(ledger), Roles.CIVIL_AFFAIRS);
        manager.grantRole(Roles.ADMIN, address(brake), 0);
        manager.grantRole(Roles.ADMIN, council, 0);
        manager.grantRole(Roles.CIVIL_AFFAIRS, civilAffairs, 0);
        manager.renounceRole(Roles.ADMIN, address(this));
    }

    function test_close_byGuardianAtOnce_reopenByCouncilOnly() public {
        vm.prank(civilAffairs);
        brake.close(address(ledger), keccak256("reason"));
        assertTrue(manager.isTargetClosed(address(ledger)));
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, civilAffairs));
        vm.prank(civilAffairs);
        ledger.write();
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, civilAffairs));
        vm.prank(civilAffairs);
        brake.reopen(address(ledger));
        vm.prank(council);
        brake.reopen(address(ledger));
        assertFalse(manager.isTargetClosed(address(ledger)));
        vm.prank(civilAffairs);
        ledger.write();
        assertEq(ledger.writes(), 1);
    }

    /// @dev Whoever is not the guardian (nor holds its role) never closes the ledger.
    function testFuzz_close_refusesEveryNonGuardian(address caller, bytes32 reasonHash) public {
        vm.assume(caller != civilAffairs && caller != address(manager));
        vm.expectRevert(
            abi.encodeWithSelector(
                IEmergencyBrake.EmergencyBrakeNotGuardian.selector,
                caller,
                address(ledger),
                Roles.CIVIL_AFFAIRS
            )
        );
        vm.prank(caller);
        brake.close(address(ledger), reasonHash);
        assertFalse(manager.isTargetClosed(address(ledger)));
    }

    /// @dev Nobody but the council names guardians, and no ledger is guarded by ADMIN or PUBLIC. (The brake itself
    /// holds ADMIN, to close targets, and so passes the manager's check: the fuzzer once picked its address; it
    /// makes no call but `setTargetClosed`, so that is no way in. Every other holder of ADMIN is excluded the same.)
    function testFuzz_setGuardian_onlyCouncil(address caller, uint64 role) public {
        (bool admin, ) = manager.hasRole(Roles.ADMIN, caller);
        vm.assume(!admin);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, caller));
        vm.prank(caller);
        brake.setGuardian(address(ledger), role);
        vm.startPrank(council);
        vm.expectRevert(abi.encodeWithSelector(IEmergencyBrake.EmergencyBrakeInvalidRole.selector, uint64(0)));
        brake.setGuardian(address(ledger), 0);
        vm.expectRevert(abi.encodeWithSelector(IEmergencyBrake.EmergencyBrakeInvalidRole.selector, type(uint64).max));
        brake.setGuardian(address(ledger), type(uint64).max);
        vm.expectRevert(
            abi.encodeWithSelector(IEmergencyBrake.EmergencyBrakeReservedTarget.selector, address(manager))
        );
        brake.setGuardian(address(manager), Roles.CIVIL_AFFAIRS);
        vm.stopPrank();
    }
}
