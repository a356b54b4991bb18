// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {IOrgRegistry} from "../../contracts/interfaces/IOrgRegistry.sol";
import {OrgRegistryFixture, CODE_ALPHABET, NO_ROLE, creditCode, isCodeChar} from "../utils/OrgRegistryFixture.sol";

contract OrgRegistryFuzzTest is OrgRegistryFixture {
    /// Rule: register succeeds iff the kind is 1..12 and the caller holds Roles.admitterOf(kind);
    /// an unknown kind is reported first, whoever calls.
    function testFuzz_register_onlyAdmitterSucceeds(
        uint256 roleSeed,
        uint8 anyKind,
        bool nearKinds,
        address caller,
        address account
    ) public {
        vm.assume(_isFresh(caller) && _isFresh(account) && caller != account);
        uint256 role = bound(roleSeed, 0, NO_ROLE);
        // Half the runs stay near the valid kinds (0..13), the other half take any uint8.
        uint8 kind = nearKinds ? uint8(bound(anyKind, 0, Roles.REGISTRAR)) : anyKind;
        _giveRole(caller, role);
        _checkAdmission(caller, role, kind, account);
    }

    /// Rule: the same, exhaustively: every role id 0..13 and no role, against kinds 0..13.
    function test_register_admissionMatrix() public {
        for (uint256 role = 0; role <= NO_ROLE; ++role) {
            address caller = address(uint160(0xCA11E4 + role));
            _giveRole(caller, role);
            for (uint8 kind = 0; kind <= Roles.REGISTRAR; ++kind) {
                _checkAdmission(caller, role, kind, address(uint160(0xACC0 + (role << 8) + kind)));
            }
        }
    }

    /// @dev `caller`, holding `role` only, registers fresh `account` as `kind`: succeeds iff admitted,
    /// reverts with the exact error otherwise.
    function _checkAdmission(address caller, uint256 role, uint8 kind, address account) internal {
        string memory code = creditCode(nextCode++);
        bool admitted = Roles.isKind(kind) && role == Roles.admitterOf(kind);
        if (!Roles.isKind(kind)) {
            vm.expectRevert(abi.encodeWithSelector(IOrgRegistry.OrgRegistryUnknownKind.selector, uint256(kind)));
        } else if (!admitted) {
            vm.expectRevert(_unauthorized(caller, kind));
        }
        vm.prank(caller);
        registry.register(account, kind, "org", code, bytes32(0));

        assertEq(uint8(_status(account)), uint8(admitted ? IOrgRegistry.Status.Active : IOrgRegistry.Status.None));
        assertEq(_hasRole(kind, account), admitted, "role iff admitted");
    }

    /// Rule: registration grants role `kind` and nothing else (no other kind, ADMIN or REGISTRAR),
    /// and records the organisation as Active under its credit code.
    function testFuzz_register_grantsExactlyTheKindRole(uint256 kindSeed, address account) public {
        vm.assume(_isFresh(account));
        uint8 kind = uint8(bound(kindSeed, Roles.FIRST_KIND, Roles.LAST_KIND));
        string memory code = _register(account, kind);

        for (uint64 role = 0; role <= Roles.REGISTRAR; ++role) {
            assertEq(_hasRole(role, account), role == kind, "exactly the kind role");
            assertEq(registry.isActive(account, uint8(role)), role == kind, "active as its kind only");
        }
        IOrgRegistry.Organisation memory org = registry.organisation(account);
        assertEq(org.kind, kind);
        assertEq(uint8(org.status), uint8(IOrgRegistry.Status.Active));
        assertEq(org.creditCode, bytes18(bytes(code)));
        assertEq(org.registeredAt, block.timestamp);
        assertEq(registry.accountOfCreditCode(org.creditCode), account);
        assertEq(registry.organisationAt(registry.organisationCount() - 1), account);
    }

    /// Rule: an account is registered at most once and a credit code names at most one account,
    /// also while the first registration is suspended.
    function testFuzz_register_rejectsDuplicateAccountAndCreditCode(
        uint256 kindSeed,
        uint256 otherKindSeed,
        address account,
        address other,
        bool suspendFirst
    ) public {
        vm.assume(_isFresh(account) && _isFresh(other) && account != other);
        uint8 kind = uint8(bound(kindSeed, Roles.FIRST_KIND, Roles.LAST_KIND));
        uint8 otherKind = uint8(bound(otherKindSeed, Roles.FIRST_KIND, Roles.LAST_KIND));
        string memory code = _register(account, kind);
        if (suspendFirst) {
            vm.prank(_admitter(kind));
            registry.suspend(account, bytes32(0));
        }
        uint256 count = registry.organisationCount();

        // Same account, any kind, fresh code.
        string memory freshCode = creditCode(nextCode++);
        address otherAdmitter = _admitter(otherKind);
        vm.expectRevert(abi.encodeWithSelector(IOrgRegistry.OrgRegistryAccountTaken.selector, account, kind));
        vm.prank(otherAdmitter);
        registry.register(account, otherKind, "again", freshCode, bytes32(0));

        // Other account, same code.
        bytes18 taken = bytes18(bytes(code));
        vm.expectRevert(abi.encodeWithSelector(IOrgRegistry.OrgRegistryCreditCodeTaken.selector, taken, account));
        vm.prank(otherAdmitter);
        registry.register(other, otherKind, "copy", code, bytes32(0));

        assertEq(registry.organisationCount(), count);
        assertEq(registry.accountOfCreditCode(taken), account);
        assertEq(uint8(_status(other)), uint8(IOrgRegistry.Status.None));
        assertFalse(_hasRole(otherKind, other));
    }

    /// Rule: an 18-byte credit code is accepted iff every character is in 0-9A-Y without I, O, S, V.
    /// Bytes whose bit in `rawMask` is clear are first mapped into the alphabet, so runs cover both
    /// all-valid codes and codes with stray bytes anywhere.
    function testFuzz_register_rejectsBadCreditCode(bytes18 raw, uint256 rawMask) public {
        bytes memory alphabet = bytes(CODE_ALPHABET);
        bytes memory code = new bytes(18);
        bool valid = true;
        for (uint256 i = 0; i < 18; ++i) {
            bytes1 c = raw[i];
            if ((rawMask >> i) & 1 == 0) c = alphabet[uint8(c) % alphabet.length];
            code[i] = c;
            valid = valid && isCodeChar(c);
        }
        address account = makeAddr("applicant");

        if (!valid) {
            vm.expectRevert(abi.encodeWithSelector(IOrgRegistry.OrgRegistryInvalidCreditCode.selector, string(code)));
        }
        registry.register(account, uint8(Roles.CIVIL_AFFAIRS), "org", string(code), bytes32(0));

        assertEq(uint8(_status(account)), uint8(valid ? IOrgRegistry.Status.Active : IOrgRegistry.Status.None));
        if (valid) assertEq(registry.accountOfCreditCode(bytes18(code)), account);
    }

    /// Rule: a credit code that is not 18 bytes long is rejected, even if made of valid characters.
    function testFuzz_register_rejectsBadCreditCodeLength(bytes memory raw) public {
        vm.assume(raw.length != 18);
        bytes memory alphabet = bytes(CODE_ALPHABET);
        for (uint256 i = 0; i < raw.length; ++i) raw[i] = alphabet[uint8(raw[i]) % alphabet.length];
        address account = makeAddr("applicant");

        vm.expectRevert(abi.encodeWithSelector(IOrgRegistry.OrgRegistryInvalidCreditCode.selector, string(raw)));
        registry.register(account, uint8(Roles.CIVIL_AFFAIRS), "org", string(raw), bytes32(0));
    }

    /// Rule: the alphabet, exhaustively: each of the 256 byte values at the first and the last position.
    function test_register_creditCodeAlphabetIsExact() public {
        for (uint256 pos = 0; pos < 18; pos += 17) {
            for (uint256 c = 0; c < 256; ++c) {
                // Base "111..." for the first position, "222..." for the last: all codes differ.
                bytes memory code = bytes(creditCode(pos == 0 ? 111111111111111111 : 222222222222222222));
                code[pos] = bytes1(uint8(c));
                bool valid =
                    (c >= 0x30 && c <= 0x39) ||
                        (c >= 0x41 && c <= 0x59 && c != 0x49 && c != 0x4F && c != 0x53 && c != 0x56);
                address account = address(uint160(0xC0DE0000 + (pos << 8) + c));
                if (!valid) {
                    vm.expectRevert(
                        abi.encodeWithSelector(IOrgRegistry.OrgRegistryInvalidCreditCode.selector, string(code))
                    );
                }
                registry.register(account, uint8(Roles.FINANCE), "org", string(code), bytes32(0));
                assertEq(valid, isCodeChar(bytes1(uint8(c))), "alphabet constant and ranges agree");
            }
        }
    }

    /// Rule: only the holder of the kind's admitter role suspends (revoking role `kind`) and
    /// reinstates (granting it again); anyone else gets UnauthorizedAdmitter and changes nothing.
    function testFuzz_suspend_reinstate_onlyAdmitter(
        uint256 kindSeed,
        uint256 roleSeed,
        address caller,
        address account
    ) public {
        vm.assume(_isFresh(caller) && _isFresh(account) && caller != account);
        uint8 kind = uint8(bound(kindSeed, Roles.FIRST_KIND, Roles.LAST_KIND));
        uint256 role = bound(roleSeed, 0, NO_ROLE);
        _giveRole(caller, role);
        _register(account, kind);
        bool admitter = role == Roles.admitterOf(kind);
        address admitterAccount = _admitter(kind);

        if (!admitter) vm.expectRevert(_unauthorized(caller, kind));
        vm.prank(caller);
        registry.suspend(account, keccak256("reason"));
        if (!admitter) {
            assertEq(uint8(_status(account)), uint8(IOrgRegistry.Status.Active));
            assertTrue(_hasRole(kind, account), "role kept");
            vm.prank(admitterAccount);
            registry.suspend(account, keccak256("reason"));
        }
        assertEq(uint8(_status(account)), uint8(IOrgRegistry.Status.Suspended));
        assertFalse(_hasRole(kind, account), "role revoked");
        assertFalse(registry.isActive(account, kind));

        if (!admitter) vm.expectRevert(_unauthorized(caller, kind));
        vm.prank(caller);
        registry.reinstate(account, keccak256("appeal"));
        if (!admitter) {
            assertEq(uint8(_status(account)), uint8(IOrgRegistry.Status.Suspended));
            assertFalse(_hasRole(kind, account), "still revoked");
            vm.prank(admitterAccount);
            registry.reinstate(account, keccak256("appeal"));
        }
        assertEq(uint8(_status(account)), uint8(IOrgRegistry.Status.Active));
        assertTrue(_hasRole(kind, account), "role granted again");
        assertTrue(registry.isActive(account, kind));
    }

    /// Rule: suspend needs an Active organisation and reinstate a Suspended one; unregistered
    /// accounts are reported as unknown, even to the right admitter.
    function testFuzz_suspend_reinstate_requireStatus(uint256 kindSeed, address account) public {
        vm.assume(_isFresh(account));
        uint8 kind = uint8(bound(kindSeed, Roles.FIRST_KIND, Roles.LAST_KIND));
        address admitterAccount = _admitter(kind);

        bytes memory unknown = abi.encodeWithSelector(IOrgRegistry.OrgRegistryUnknownOrganisation.selector, account);
        vm.expectRevert(unknown);
        vm.prank(admitterAccount);
        registry.suspend(account, bytes32(0));
        vm.expectRevert(unknown);
        vm.prank(admitterAccount);
        registry.reinstate(account, bytes32(0));

        _register(account, kind);
        vm.expectRevert(
            abi.encodeWithSelector(IOrgRegistry.OrgRegistryWrongStatus.selector, account, IOrgRegistry.Status.Active)
        );
        vm.prank(admitterAccount);
        registry.reinstate(account, bytes32(0));

        vm.prank(admitterAccount);
        registry.suspend(account, bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(IOrgRegistry.OrgRegistryWrongStatus.selector, account, IOrgRegistry.Status.Suspended)
        );
        vm.prank(admitterAccount);
        registry.suspend(account, bytes32(0));
    }

    /// Rule: a suspended department loses its authority to admit (its role is gone) until reinstated.
    function testFuzz_register_suspendedAdmitterLosesAuthority(uint256 kindSeed, address account) public {
        vm.assume(_isFresh(account));
        // Kinds admitted by a department rather than by ADMIN.
        uint8[7] memory kinds = [
            uint8(Roles.CHARITY),
            uint8(Roles.RECIPIENT),
            uint8(Roles.PRODUCER),
            uint8(Roles.LOGISTICS),
            uint8(Roles.RETAILER),
            uint8(Roles.INSPECTOR),
            uint8(Roles.VILLAGE)
        ];
        uint8 kind = kinds[bound(kindSeed, 0, kinds.length - 1)];
        address department = _admitter(kind);
        string memory code = creditCode(nextCode++);

        registry.suspend(department, bytes32(0)); // the test contract is ADMIN, admitter of departments
        vm.expectRevert(_unauthorized(department, kind));
        vm.prank(department);
        registry.register(account, kind, "org", code, bytes32(0));

        registry.reinstate(department, bytes32(0));
        vm.prank(department);
        registry.register(account, kind, "org", code, bytes32(0));
        assertTrue(_hasRole(kind, account));
    }
}
