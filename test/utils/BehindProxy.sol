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

/// @notice The ProxyAdmin a transparent proxy made at construction (its EIP-1967 admin slot). A transparent proxy
/// refuses every call from its admin that is not an upgrade (`ProxyDeniedAdminAccess`), so a fuzzed caller must
/// not be it: the fuzzer finds the address among the deployment's state.
function proxyAdminOf(address proxy) view returns (address) {
    return address(uint160(uint256(VM.load(proxy, ERC1967_ADMIN_SLOT))));
}

/// @dev bytes32(uint256(keccak256("eip1967.proxy.admin")) - 1), as ERC1967Utils.ADMIN_SLOT.
bytes32 constant ERC1967_ADMIN_SLOT = 0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;

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
