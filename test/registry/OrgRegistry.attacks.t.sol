// SPDX-License-Identifier: Apache-2.0
// An insider attacks the organisation registry; each test performs the attack and expects the
// refusal (issue "Close the holes an insider can use").
// solhint-disable func-name-mixedcase, one-contract-per-file, gas-small-strings, gas-increment-by-one
pragma solidity ^0.8.24;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {CharityLedger} from "../../contracts/charity/CharityLedger.sol";
import {IOrgRegistry} from "../../contracts/interfaces/IOrgRegistry.sol";
import {OrgRegistryFixture, creditCode} from "../utils/OrgRegistryFixture.sol";
import {behindProxy} from "../utils/BehindProxy.sol";

/// @dev A contract that answers `authority()` with whatever it was given: a Safe-like multisig of an
/// organisation answers nothing, a ledger answers the manager.
contract AuthorityAnswer {
    bytes private _answer;

    constructor(bytes memory answer) {
        _answer = answer;
    }

    fallback(bytes calldata) external returns (bytes memory) {
        return _answer;
    }
}

contract OrgRegistryAttackTest is OrgRegistryFixture {
    function _reserved(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IOrgRegistry.OrgRegistryReservedAccount.selector, account);
    }

    function _registerAs(address admitter, address account, uint8 kind) internal {
        vm.prank(admitter);
        registry.register(account, kind, "org", creditCode(nextCode++), bytes32(0));
    }

    /// Civil affairs registers the permission hub as a charity: before, the manager then held CHARITY,
    /// and a relayed call would have acted as a registered charity.
    function test_register_manager_isRefused() public {
        vm.expectRevert(_reserved(address(manager)));
        _registerAs(civilAffairs, address(manager), uint8(Roles.CHARITY));
        (bool has, ) = manager.hasRole(Roles.CHARITY, address(manager));
        assertFalse(has);
    }

    /// A ledger or the registry itself registered as an organisation would act with a role of its own.
    function test_register_ledgerOrRegistry_isRefused() public {
        CharityLedger ledger = CharityLedger(
            behindProxy(
                address(new CharityLedger()),
                address(manager),
                abi.encodeCall(CharityLedger.initialize, (address(manager)))
            )
        );
        vm.expectRevert(_reserved(address(ledger)));
        _registerAs(civilAffairs, address(ledger), uint8(Roles.RECIPIENT));
        vm.expectRevert(_reserved(address(registry)));
        _registerAs(marketRegulator, address(registry), uint8(Roles.PRODUCER));
    }

    /// An organisation's own contract account (a multisig) is still welcome, whatever it answers to
    /// `authority()`, as long as it is not governed by this manager.
    function test_register_contractAccount_isAccepted() public {
        address multisig = address(new AuthorityAnswer(""));
        _registerAs(civilAffairs, multisig, uint8(Roles.CHARITY));
        address other = address(new AuthorityAnswer(abi.encode(address(0xBEEF))));
        _registerAs(civilAffairs, other, uint8(Roles.RECIPIENT));
        address garbage = address(new AuthorityAnswer(abi.encode(type(uint256).max)));
        _registerAs(civilAffairs, garbage, uint8(Roles.RECIPIENT));
        address mimic = address(new AuthorityAnswer(abi.encode(address(manager))));
        vm.expectRevert(_reserved(mimic));
        _registerAs(civilAffairs, mimic, uint8(Roles.RECIPIENT));
    }

    /// A suspended organisation rewrites its own metadata: suspension stops every write of it.
    function test_suspended_updateMetadata_isRefused() public {
        address charity = makeAddr("charity");
        _registerAs(civilAffairs, charity, uint8(Roles.CHARITY));
        vm.prank(civilAffairs);
        registry.suspend(charity, bytes32("decision"));
        vm.expectRevert(
            abi.encodeWithSelector(IOrgRegistry.OrgRegistryWrongStatus.selector, charity, IOrgRegistry.Status.Suspended)
        );
        vm.prank(charity);
        registry.updateMetadata(charity, bytes32("new licence"));
        // Its admitting department still can (accountability: the record is corrected by the regulator).
        vm.prank(civilAffairs);
        registry.updateMetadata(charity, bytes32("corrected licence"));
        assertEq(registry.organisation(charity).metadataHash, bytes32("corrected licence"));
    }

    /// Civil affairs relays register through the manager: the admitter would be the manager.
    function test_relay_register_isRefused() public {
        bytes memory data = abi.encodeCall(
            registry.register,
            (makeAddr("relayed"), uint8(Roles.CHARITY), "org", creditCode(999), bytes32(0))
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                IOrgRegistry.OrgRegistryRelayedCall.selector,
                address(manager),
                IOrgRegistry.register.selector
            )
        );
        vm.prank(civilAffairs);
        IAccessManager(address(manager)).execute(address(registry), data);
    }
}
