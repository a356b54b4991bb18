// SPDX-License-Identifier: Apache-2.0
// solhint-disable func-name-mixedcase
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {OrgRegistryFixture} from "../utils/OrgRegistryFixture.sol";

/**
 * @dev Named gas figures of the registry's writes, committed in snapshots/OrgRegistry.json.
 * `npm test` fails when they change (`--snapshot-check`); `npm run gas:snapshot` records new
 * ones, and the commit that changes them says why.
 */
contract OrgRegistryGasTest is OrgRegistryFixture {
    address internal constant CHARITY_ACCOUNT = address(0xC4A2);
    string internal constant NAME = unicode"江门市慈善会";

    function test_gas_register() public {
        vm.prank(civilAffairs);
        registry.register(CHARITY_ACCOUNT, uint8(Roles.CHARITY), NAME, "53440700MJ0000011Q", keccak256("charter"));
        vm.snapshotGasLastCall("OrgRegistry", "register");
    }

    function test_gas_suspend_reinstate() public {
        vm.prank(civilAffairs);
        registry.register(CHARITY_ACCOUNT, uint8(Roles.CHARITY), NAME, "53440700MJ0000011Q", bytes32(0));
        vm.prank(civilAffairs);
        registry.suspend(CHARITY_ACCOUNT, keccak256("decision"));
        vm.snapshotGasLastCall("OrgRegistry", "suspend");
        vm.prank(civilAffairs);
        registry.reinstate(CHARITY_ACCOUNT, keccak256("decision 2"));
        vm.snapshotGasLastCall("OrgRegistry", "reinstate");
    }

    function test_gas_updateMetadata() public {
        vm.prank(civilAffairs);
        registry.register(CHARITY_ACCOUNT, uint8(Roles.CHARITY), NAME, "53440700MJ0000011Q", bytes32(0));
        vm.prank(CHARITY_ACCOUNT);
        registry.updateMetadata(CHARITY_ACCOUNT, keccak256("v2"));
        vm.snapshotGasLastCall("OrgRegistry", "updateMetadata");
    }
}
