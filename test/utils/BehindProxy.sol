// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

// solhint-disable gas-small-strings

import {Vm} from "forge-std/Vm.sol";

Vm constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

/**
 * @notice Deploys OpenZeppelin's TransparentUpgradeableProxy in front of `implementation`, with a
 * ProxyAdmin owned by `manager` and `init` called in the proxy's constructor: the ledger as
 * deploy/modules/proxy.ts deploys it.
 * @dev The proxy's code comes from its build artifact (`vm.getCode`), not from an import: importing the
 * proxy's sources into the largest test files pushes solcjs out of memory (HHE908).
 */
function behindProxy(address implementation, address manager, bytes memory init) returns (address proxy) {
    bytes memory code = abi.encodePacked(
        VM.getCode("TransparentUpgradeableProxy.sol:TransparentUpgradeableProxy"),
        abi.encode(implementation, manager, init)
    );
    proxy = _create(code);
}

/// @notice Deploys the contract of a build artifact (`File.sol:Contract`) whose constructor takes no argument.
function deployArtifact(string memory artifact) returns (address) {
    return _create(VM.getCode(artifact));
}

function _create(bytes memory code) returns (address created) {
    // solhint-disable-next-line no-inline-assembly
    assembly {
        created := create(0, add(code, 0x20), mload(code))
    }
    // solhint-disable-next-line gas-custom-errors
    if (created == address(0)) revert("create: the constructor reverted");
}
