// SPDX-License-Identifier: Apache-2.0
// The registry's invariant handler (test/registry/OrgRegistry.invariants.t.sol): a stateful handler.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {IOrgRegistry} from "../../contracts/interfaces/IOrgRegistry.sol";
import {creditCode} from "../utils/OrgRegistryFixture.sol";

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
