// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {IOrgRegistry} from "../../contracts/interfaces/IOrgRegistry.sol";
import {OrgRegistryHandler} from "../handlers/OrgRegistryHandler.sol";
import {OrgRegistryFixture} from "../utils/OrgRegistryFixture.sol";

contract OrgRegistryInvariantTest is OrgRegistryFixture {
    OrgRegistryHandler internal handler;

    function setUp() public override {
        super.setUp();
        address[] memory departments = new address[](3);
        departments[0] = civilAffairs;
        departments[1] = marketRegulator;
        departments[2] = ruralAffairs;
        handler = new OrgRegistryHandler(registry, address(this), departments);

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](3);
        selectors[0] = OrgRegistryHandler.register.selector;
        selectors[1] = OrgRegistryHandler.suspend.selector;
        selectors[2] = OrgRegistryHandler.reinstate.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// One campaign checks every rule below after every call. (A campaign per rule made the fuzzer repeat
    /// the same handler calls once per rule: 4 times the work for the same sequences.)
    function invariant_everyRule() public view {
        _checkOutcomesMatchAuthorityModel();
        _checkRoleIffActive();
        _checkCountMatches();
    }

    /// Rule: every account holds an organisation role iff it is an Active organisation, and then
    /// only the role of its own kind.
    function _checkRoleIffActive() internal view {
        uint256 n = handler.touchedCount();
        for (uint256 i = 0; i < n; ++i) {
            address account = handler.touched(i);
            IOrgRegistry.Organisation memory org = registry.organisation(account);
            bool active = org.status == IOrgRegistry.Status.Active;
            assertEq(_hasRole(org.kind, account), active, "role iff active");
            for (uint8 kind = Roles.FIRST_KIND; kind <= Roles.LAST_KIND; ++kind) {
                if (kind != org.kind) assertFalse(_hasRole(kind, account), "no other organisation role");
            }
        }
    }

    /// Rule: the registry counts (and lists, in order) exactly the successful registrations.
    function _checkCountMatches() internal view {
        uint256 n = handler.ghostRegistrations();
        assertEq(registry.organisationCount(), n, "organisation count");
        for (uint256 i = 0; i < n; ++i) assertEq(registry.organisationAt(i), handler.accounts(i), "registration order");
    }

    /// Rule: every call succeeded or failed, with the exact error, as the authority model predicts:
    /// e.g. a suspended department can no longer admit, and only the admitter changes status.
    /// Rule: each registered account's credit code points back to that account (codes are unique).
    /// (Both read each organisation once.)
    function _checkOutcomesMatchAuthorityModel() internal view {
        assertEq(handler.mismatches(), 0, handler.firstMismatch());
        uint256 n = handler.accountCount();
        for (uint256 i = 0; i < n; ++i) {
            address account = handler.accounts(i);
            IOrgRegistry.Organisation memory org = registry.organisation(account);
            assertEq(org.kind, handler.kindOf(account), "ghost kind");
            assertEq(uint8(org.status), uint8(handler.statusOf(account)), "ghost status");
            assertEq(org.creditCode, handler.codeOf(account), "credit code as registered");
            assertEq(registry.accountOfCreditCode(org.creditCode), account, "credit code unique");
        }
    }
}
