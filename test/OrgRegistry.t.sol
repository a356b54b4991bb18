// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `testFuzz_<fn>_<what>` / `invariant_<rule>`, the invariant handler
// next to its tests, a stateful handler); gas hints do not apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Test} from "forge-std/Test.sol";

import {Roles} from "../contracts/access/Roles.sol";
import {IOrgRegistry} from "../contracts/interfaces/IOrgRegistry.sol";
import {behindProxy, deployArtifact} from "./upgrade/behindProxy.sol";

/// @dev The 31 characters of the credit-code alphabet (GB 32100-2015), spelled out rather than
/// derived from the contract's range checks.
string constant CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// @dev Role ids 0..13 are ADMIN, the twelve kinds and REGISTRAR; this one stands for "no role".
uint256 constant NO_ROLE = 14;

/// @dev A valid credit code numbered `n`: its last 18 decimal digits.
function creditCode(uint256 n) pure returns (string memory) {
    bytes memory code = new bytes(18);
    for (uint256 i = 18; i > 0; --i) {
        code[i - 1] = bytes1(uint8(48 + (n % 10)));
        n /= 10;
    }
    return string(code);
}

/// @dev Whether `c` is in CODE_ALPHABET.
function isCodeChar(bytes1 c) pure returns (bool) {
    bytes memory alphabet = bytes(CODE_ALPHABET);
    for (uint256 i = 0; i < alphabet.length; ++i) {
        if (alphabet[i] == c) return true;
    }
    return false;
}

/// @dev forge-std's assertions call the cheatcode (`vm.assertEq`, …) even when they hold. An invariant
/// campaign makes hundreds of them after every call of every run, and those calls were most of the
/// campaign's time (bench/RESULTS.md, "Fuzz profile timing"). Here an assertion with a message calls the
/// cheatcode only when it fails, so that a failure reads the same. Every fixture below derives from it.
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

/**
 * @dev The foundation as deploy/modules/Foundation.ts builds it: the test contract is the ADMIN,
 * REGISTRAR administers every organisation role and is held by the registry, every registry
 * function is public at the manager, and ADMIN registers the three departments that admit others.
 */
abstract contract OrgRegistryFixture is CheapAssertions {
    error NoAdmitterAccount(uint64 role);

    AccessManager internal manager;
    IOrgRegistry internal registry;

    address internal civilAffairs;
    address internal marketRegulator;
    address internal ruralAffairs;

    uint256 internal nextCode = 1;

    /// @dev The OrgRegistry as deployed: an implementation behind a transparent proxy whose ProxyAdmin the
    /// manager owns, initialized in the proxy's constructor (as deploy/modules/proxy.ts deploys it). Its code
    /// comes from the build artifact and the fixture sees it through IOrgRegistry: with the registry's
    /// sources, the relief invariant file's compilation job pushes solcjs out of memory (HHE908).
    function _deployOrgRegistry() internal returns (IOrgRegistry) {
        address implementation = deployArtifact("OrgRegistry.sol:OrgRegistry");
        bytes memory init = abi.encodeWithSignature("initialize(address)", address(manager));
        return IOrgRegistry(behindProxy(implementation, address(manager), init));
    }

    function setUp() public virtual {
        manager = new AccessManager(address(this));
        registry = _deployOrgRegistry();

        for (uint8 kind = Roles.FIRST_KIND; kind <= Roles.LAST_KIND; ++kind) {
            manager.setRoleAdmin(kind, Roles.REGISTRAR);
        }
        manager.grantRole(Roles.REGISTRAR, address(registry), 0);
        bytes4[] memory selectors = new bytes4[](4);
        selectors[0] = IOrgRegistry.register.selector;
        selectors[1] = IOrgRegistry.suspend.selector;
        selectors[2] = IOrgRegistry.reinstate.selector;
        selectors[3] = IOrgRegistry.updateMetadata.selector;
        manager.setTargetFunctionRole(address(registry), selectors, manager.PUBLIC_ROLE());

        civilAffairs = makeAddr("civilAffairs");
        marketRegulator = makeAddr("marketRegulator");
        ruralAffairs = makeAddr("ruralAffairs");
        _register(civilAffairs, uint8(Roles.CIVIL_AFFAIRS));
        _register(marketRegulator, uint8(Roles.MARKET_REGULATOR));
        _register(ruralAffairs, uint8(Roles.RURAL_AFFAIRS));
    }

    /// @dev Registers `account` as `kind`, called by the fixture's holder of the admitter role.
    function _register(address account, uint8 kind) internal returns (string memory code) {
        code = creditCode(nextCode++);
        vm.prank(_admitter(kind));
        registry.register(account, kind, "org", code, bytes32(0));
    }

    /// @dev The fixture's account holding `Roles.admitterOf(kind)`.
    function _admitter(uint8 kind) internal view returns (address) {
        uint64 role = Roles.admitterOf(kind);
        if (role == Roles.ADMIN) return address(this);
        if (role == Roles.CIVIL_AFFAIRS) return civilAffairs;
        if (role == Roles.MARKET_REGULATOR) return marketRegulator;
        if (role == Roles.RURAL_AFFAIRS) return ruralAffairs;
        revert NoAdmitterAccount(role);
    }

    /// @dev Gives `who` role `role` (0..13) the way the system does, or nothing for NO_ROLE:
    /// ADMIN and REGISTRAR are granted by the ADMIN, organisation roles come from registration.
    function _giveRole(address who, uint256 role) internal {
        if (role == Roles.ADMIN || role == Roles.REGISTRAR) manager.grantRole(uint64(role), who, 0);
        else if (Roles.isKind(role)) _register(who, uint8(role));
    }

    function _hasRole(uint64 role, address account) internal view returns (bool has) {
        (has, ) = manager.hasRole(role, account);
    }

    function _status(address account) internal view returns (IOrgRegistry.Status) {
        return registry.organisation(account).status;
    }

    /// @dev Not zero and not an address the fixture gave a role to or deployed.
    function _isFresh(address a) internal view returns (bool) {
        return
            a != address(0) &&
            a != address(this) &&
            a != civilAffairs &&
            a != marketRegulator &&
            a != ruralAffairs &&
            a != address(manager) &&
            a != address(registry);
    }

    function _unauthorized(address caller, uint8 kind) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                IOrgRegistry.OrgRegistryUnauthorizedAdmitter.selector,
                caller,
                kind,
                Roles.admitterOf(kind)
            );
    }
}

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

/**
 * @dev Drives the registry with random registrations, suspensions and reinstatements by random
 * callers, and keeps a ghost model of every organisation. Each call's outcome (success, or the
 * exact revert) is compared with what the model predicts from the authority rules; a mismatch is
 * recorded rather than reverted, because invariant runs ignore handler reverts (failOnRevert: false).
 */
contract OrgRegistryHandler is CommonBase, StdUtils {
    IOrgRegistry public registry;
    address public admin;
    address public stranger;

    /// @dev Ghost model, in registration order (departments from the fixture first).
    address[] public accounts;
    mapping(address account => uint8) public kindOf;
    mapping(address account => IOrgRegistry.Status) public statusOf;
    mapping(address account => bytes18) public codeOf;
    mapping(bytes18 code => address) public holderOf;
    /// @dev Every account a call named, registered or not.
    address[] public touched;
    mapping(address account => bool) internal _isTouched;
    /// @dev The fixture's holder of each admitter role.
    mapping(uint64 role => address) internal _admitterAccount;

    uint256 public ghostRegistrations;
    uint256 public suspensions;
    uint256 public reinstatements;
    uint256 public rejections;
    uint256 public mismatches;
    string public firstMismatch;

    uint256 internal _nextAccount;
    uint256 internal _nextCode = 1_000_000;

    constructor(IOrgRegistry registry_, address admin_, address[] memory departments) {
        registry = registry_;
        admin = admin_;
        stranger = address(uint160(uint256(keccak256("stranger"))));
        _admitterAccount[Roles.ADMIN] = admin_;
        for (uint256 i = 0; i < departments.length; ++i) {
            IOrgRegistry.Organisation memory org = registry_.organisation(departments[i]);
            _record(departments[i], org.kind, org.creditCode);
            _admitterAccount[org.kind] = departments[i];
        }
    }

    // ---------------------------------------------------------------- actions

    function register(uint256 callerSeed, uint256 kindSeed, uint256 accountSeed, uint256 codeSeed) external {
        uint8 kind = uint8(bound(kindSeed, Roles.FIRST_KIND, Roles.LAST_KIND));
        address caller = _caller(callerSeed, kind);
        // One call in eight reuses a registered account, one in eight a registered credit code.
        address account = accountSeed % 8 == 0 ? accounts[(accountSeed / 8) % accounts.length] : _freshAccount();
        bytes18 code =
            codeSeed % 8 == 0
                ? codeOf[accounts[(codeSeed / 8) % accounts.length]]
                : bytes18(bytes(creditCode(_nextCode++)));
        _touch(account);

        // The model's verdict, in the order the registry checks.
        uint64 required = Roles.admitterOf(kind);
        bytes memory expected;
        if (!_holds(caller, required)) {
            expected = abi.encodeWithSelector(
                IOrgRegistry.OrgRegistryUnauthorizedAdmitter.selector,
                caller,
                kind,
                required
            );
        } else if (statusOf[account] != IOrgRegistry.Status.None) {
            expected = abi.encodeWithSelector(IOrgRegistry.OrgRegistryAccountTaken.selector, account, kindOf[account]);
        } else if (holderOf[code] != address(0)) {
            expected = abi.encodeWithSelector(IOrgRegistry.OrgRegistryCreditCodeTaken.selector, code, holderOf[code]);
        }

        vm.prank(caller);
        try registry.register(account, kind, "org", string(abi.encodePacked(code)), bytes32(0)) {
            _record(account, kind, code);
            if (expected.length != 0) _mismatch("register succeeded against the model", expected);
        } catch (bytes memory reason) {
            ++rejections;
            if (keccak256(reason) != keccak256(expected)) _mismatch("register reverted against the model", reason);
        }
    }

    function suspend(uint256 callerSeed, uint256 accountSeed) external {
        address account = _pick(accountSeed, IOrgRegistry.Status.Active);
        uint8 kind = kindOf[account];
        address caller = _caller(callerSeed, kind);
        bytes memory expected = _expectedStatusChange(caller, account, IOrgRegistry.Status.Active);

        vm.prank(caller);
        try registry.suspend(account, bytes32(accountSeed)) {
            statusOf[account] = IOrgRegistry.Status.Suspended;
            ++suspensions;
            if (expected.length != 0) _mismatch("suspend succeeded against the model", expected);
        } catch (bytes memory reason) {
            ++rejections;
            if (keccak256(reason) != keccak256(expected)) _mismatch("suspend reverted against the model", reason);
        }
    }

    function reinstate(uint256 callerSeed, uint256 accountSeed) external {
        address account = _pick(accountSeed, IOrgRegistry.Status.Suspended);
        uint8 kind = kindOf[account];
        address caller = _caller(callerSeed, kind);
        bytes memory expected = _expectedStatusChange(caller, account, IOrgRegistry.Status.Suspended);

        vm.prank(caller);
        try registry.reinstate(account, bytes32(accountSeed)) {
            statusOf[account] = IOrgRegistry.Status.Active;
            ++reinstatements;
            if (expected.length != 0) _mismatch("reinstate succeeded against the model", expected);
        } catch (bytes memory reason) {
            ++rejections;
            if (keccak256(reason) != keccak256(expected)) _mismatch("reinstate reverted against the model", reason);
        }
    }

    // ---------------------------------------------------------------- views for the invariants

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    function touchedCount() external view returns (uint256) {
        return touched.length;
    }

    // ---------------------------------------------------------------- model

    /// @dev Whether `who` holds `role` in the model: ADMIN is the admin; a kind role is held by
    /// Active organisations of that kind.
    function _holds(address who, uint64 role) internal view returns (bool) {
        if (role == Roles.ADMIN) return who == admin;
        return statusOf[who] == IOrgRegistry.Status.Active && kindOf[who] == role;
    }

    function _expectedStatusChange(
        address caller,
        address account,
        IOrgRegistry.Status from
    ) internal view returns (bytes memory) {
        IOrgRegistry.Status status = statusOf[account];
        if (status != from) {
            return abi.encodeWithSelector(IOrgRegistry.OrgRegistryWrongStatus.selector, account, status);
        }
        uint8 kind = kindOf[account];
        uint64 required = Roles.admitterOf(kind);
        if (!_holds(caller, required)) {
            return
                abi.encodeWithSelector(IOrgRegistry.OrgRegistryUnauthorizedAdmitter.selector, caller, kind, required);
        }
        return "";
    }

    /// @dev Half the calls come from the fixture's admitter for `kind` (who may be suspended),
    /// the rest from the admin, a stranger or any organisation.
    function _caller(uint256 seed, uint8 kind) internal view returns (address) {
        if (seed % 2 == 0) return _admitterAccount[Roles.admitterOf(kind)];
        uint256 i = (seed / 2) % (accounts.length + 2);
        if (i == 0) return admin;
        if (i == 1) return stranger;
        return accounts[i - 2];
    }

    /// @dev A registered account: for half the seeds the first one from the seed's index on with
    /// status `wanted` (if any), for the rest whichever the index names.
    function _pick(uint256 seed, IOrgRegistry.Status wanted) internal view returns (address) {
        uint256 n = accounts.length;
        uint256 start = (seed / 2) % n;
        if (seed % 2 == 0) {
            for (uint256 j = 0; j < n; ++j) {
                address candidate = accounts[(start + j) % n];
                if (statusOf[candidate] == wanted) return candidate;
            }
        }
        return accounts[start];
    }

    function _freshAccount() internal returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("org", _nextAccount++)))));
    }

    function _record(address account, uint8 kind, bytes18 code) internal {
        accounts.push(account);
        kindOf[account] = kind;
        statusOf[account] = IOrgRegistry.Status.Active;
        codeOf[account] = code;
        holderOf[code] = account;
        ++ghostRegistrations;
        _touch(account);
    }

    function _touch(address account) internal {
        if (_isTouched[account]) return;
        _isTouched[account] = true;
        touched.push(account);
    }

    function _mismatch(string memory what, bytes memory data) internal {
        if (mismatches++ == 0) firstMismatch = string.concat(what, ": ", vm.toString(data));
    }
}

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
