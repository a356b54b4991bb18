// SPDX-License-Identifier: Apache-2.0
// The foundation's Solidity fixture (manager and registry), which every ledger's fixture builds on.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {IOrgRegistry} from "../../contracts/interfaces/IOrgRegistry.sol";
import {CheapAssertions} from "./CheapAssertions.sol";
import {behindProxy, deployArtifact, proxyAdminOf} from "./BehindProxy.sol";
import {Wiring} from "./Wiring.sol";

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

    function setUp() public virtual {
        manager = new AccessManager(address(this));
        registry = _deployOrgRegistry();

        for (uint8 kind = Roles.FIRST_KIND; kind <= Roles.LAST_KIND; ++kind) {
            manager.setRoleAdmin(kind, Roles.REGISTRAR);
        }
        manager.grantRole(Roles.REGISTRAR, address(registry), 0);

        civilAffairs = makeAddr("civilAffairs");
        marketRegulator = makeAddr("marketRegulator");
        ruralAffairs = makeAddr("ruralAffairs");
        _register(civilAffairs, uint8(Roles.CIVIL_AFFAIRS));
        _register(marketRegulator, uint8(Roles.MARKET_REGULATOR));
        _register(ruralAffairs, uint8(Roles.RURAL_AFFAIRS));
    }

    /// @dev The registry as deploy/modules/Foundation.ts deploys it: an implementation behind a transparent
    /// proxy whose ProxyAdmin the manager owns, initialized in the proxy's constructor (deploy/modules/proxy.ts),
    /// a target of the manager wired as deploy/wiring.ts says (test/utils/Wiring.sol). The one place the
    /// fixtures deploy it. Its code comes from the build artifact and the fixture sees it through IOrgRegistry:
    /// with the registry's sources, the relief invariant file's compilation job pushes solcjs out of memory
    /// (HHE908).
    function _deployOrgRegistry() internal returns (IOrgRegistry deployed) {
        address implementation = deployArtifact("OrgRegistry.sol:OrgRegistry");
        bytes memory init = abi.encodeWithSignature("initialize(address)", address(manager));
        deployed = IOrgRegistry(behindProxy(implementation, address(manager), init));
        Wiring.orgRegistry(manager, address(deployed));
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

    /// @dev Not zero and not an address the fixture gave a role to or deployed (the registry's ProxyAdmin included).
    function _isFresh(address a) internal view returns (bool) {
        return
            a != address(0) &&
            a != address(this) &&
            a != civilAffairs &&
            a != marketRegulator &&
            a != ruralAffairs &&
            a != address(manager) &&
            a != address(registry) &&
            a != proxyAdminOf(address(registry));
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
