// SPDX-License-Identifier: Apache-2.0
// Assertions that call the cheatcode only when they fail; every fixture derives from them.
// solhint-disable func-name-mixedcase
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";

/// @dev forge-std's assertions call the cheatcode (`vm.assertEq`, …) even when they hold. An invariant
/// campaign makes hundreds of them after every call of every run, and those calls were most of the
/// campaign's time (bench/RESULTS.md, "Fuzz profile timing"). Here an assertion with a message calls the
/// cheatcode only when it fails, so that a failure reads the same. Every fixture derives from it.
abstract contract CheapAssertions is Test {
    function assertTrue(bool data, string memory err) internal pure override {
        if (!data) super.assertTrue(data, err);
    }

    function assertFalse(bool data, string memory err) internal pure override {
        if (data) super.assertFalse(data, err);
    }

    function assertEq(bool left, bool right, string memory err) internal pure override {
        if (left != right) super.assertEq(left, right, err);
    }

    function assertEq(uint256 left, uint256 right, string memory err) internal pure override {
        if (left != right) super.assertEq(left, right, err);
    }

    function assertEq(address left, address right, string memory err) internal pure override {
        if (left != right) super.assertEq(left, right, err);
    }

    function assertEq(bytes32 left, bytes32 right, string memory err) internal pure override {
        if (left != right) super.assertEq(left, right, err);
    }

    function assertLe(uint256 left, uint256 right, string memory err) internal pure override {
        if (left > right) super.assertLe(left, right, err);
    }

    function assertGe(uint256 left, uint256 right, string memory err) internal pure override {
        if (left < right) super.assertGe(left, right, err);
    }
}
