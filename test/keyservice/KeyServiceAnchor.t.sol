// SPDX-License-Identifier: Apache-2.0
// solhint-disable func-name-mixedcase
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {IKeyServiceAnchor} from "../../contracts/interfaces/IKeyServiceAnchor.sol";
import {KeyServiceAnchor} from "../../contracts/keyservice/KeyServiceAnchor.sol";

/// @dev The anchor's one rule: the anchored log only grows, and the same length keeps the same head.
contract KeyServiceAnchorTest is Test {
    AccessManager internal manager;
    KeyServiceAnchor internal anchorContract;
    address internal constant RURAL = address(0xA11CE);

    function setUp() public {
        manager = new AccessManager(address(this));
        anchorContract = new KeyServiceAnchor(address(manager));
        bytes4[] memory selectors = new bytes4[](1);
        selectors[0] = IKeyServiceAnchor.anchor.selector;
        manager.setTargetFunctionRole(address(anchorContract), selectors, Roles.RURAL_AFFAIRS);
        manager.grantRole(Roles.RURAL_AFFAIRS, RURAL, 0);
    }

    function testFuzz_anchor_onlyGrows(bytes32 head1, uint64 count1, bytes32 head2, uint64 count2) public {
        vm.assume(head1 != bytes32(0) && count1 != 0);
        vm.prank(RURAL);
        anchorContract.anchor(head1, count1);

        bool refused = head2 == bytes32(0) || count2 < count1 || (count2 == count1 && head2 != head1);
        if (refused) vm.expectRevert();
        vm.prank(RURAL);
        anchorContract.anchor(head2, count2);

        (bytes32 head, uint64 count, uint64 at) = anchorContract.latest();
        assertEq(head, refused ? head1 : head2);
        assertEq(count, refused ? count1 : count2);
        assertEq(at, uint64(block.timestamp));
    }

    function test_anchor_refusesAZeroHeadAndAnEmptyLog() public {
        vm.startPrank(RURAL);
        vm.expectRevert(IKeyServiceAnchor.KeyServiceAnchorZeroHead.selector);
        anchorContract.anchor(bytes32(0), 1);
        vm.expectRevert(IKeyServiceAnchor.KeyServiceAnchorEmptyLog.selector);
        anchorContract.anchor(keccak256("head"), 0);
        vm.stopPrank();
    }

    function test_anchor_refusesAnyoneButTheRunningDepartment() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, address(this)));
        anchorContract.anchor(keccak256("head"), 1);
    }
}
