// SPDX-License-Identifier: Apache-2.0
// The charity ledger's Solidity fixture, shared by its fuzz, invariant, attack and gas tests.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {CharityLedger} from "../../contracts/charity/CharityLedger.sol";
import {ICharityLedger} from "../../contracts/interfaces/ICharityLedger.sol";
import {OrgRegistryFixture} from "./OrgRegistryFixture.sol";
import {behindProxy} from "./BehindProxy.sol";
import {Wiring} from "./Wiring.sol";

/// @dev Amounts in fen the tests stay under, so that a lot of MAX_TEST_AMOUNT units at 100 fen each stays
/// within the ledger's MAX_AMOUNT (2^48 - 1) and sums of many never come near the bounds.
uint256 constant MAX_TEST_AMOUNT = 1e12;

/// @dev The external reference number `i` under `tag` (a bank transaction id, a receipt number).
function refOf(string memory tag, uint256 i) pure returns (bytes32) {
    return keccak256(abi.encode(tag, i));
}

/// @dev A cash donation with realistic (non-zero) hashes.
function cashOf(
    bytes32 ref,
    uint256 amount,
    ICharityLedger.Channel channel
) pure returns (ICharityLedger.CashDonation memory) {
    return
        ICharityLedger.CashDonation({
            refHash: ref,
            amount: uint128(amount),
            donorCommitment: keccak256(abi.encode("donor", ref)),
            channel: channel,
            evidenceHash: keccak256(abi.encode("evidence", ref)),
            receivedOn: 0
        });
}

/// @dev A donation in kind with realistic fields.
function goodsOf(bytes32 ref, uint256 quantity, uint256 valuation) pure returns (ICharityLedger.GoodsDonation memory) {
    return
        ICharityLedger.GoodsDonation({
            refHash: ref,
            itemCode: keccak256(abi.encode("item", ref)),
            quantity: uint96(quantity),
            unit: bytes16(bytes(unicode"箱")),
            valuation: uint128(valuation),
            productBatchId: keccak256(abi.encode("batch", ref)),
            donorCommitment: keccak256(abi.encode("donor", ref)),
            evidenceHash: keccak256(abi.encode("evidence", ref))
        });
}

/**
 * @dev The charity deployment as deploy/modules/Charity.ts builds it on the foundation: CharityLedger
 * is a target of the same manager and its functions are wired as deploy/wiring.ts says (one
 * `setTargetFunctionRole` per role; the charity-or-civil-affairs ones to PUBLIC_ROLE). Civil affairs
 * registers two charities and two recipients through the registry; charity A opens two approved
 * projects, charity B one.
 */
abstract contract CharityLedgerFixture is OrgRegistryFixture {
    CharityLedger internal ledger;

    address internal charityA;
    address internal charityB;
    address internal recipient1;
    address internal recipient2;
    address internal stranger;

    // Project ids are namespaced by charity (projectIdOf(charity, code)): set when the fixture opens them.
    // solhint-disable-next-line var-name-mixedcase
    bytes32 internal PROJECT_A; // "A-SCHOOLS": rural schools
    // solhint-disable-next-line var-name-mixedcase
    bytes32 internal PROJECT_A2; // "A-FLOOD": flood relief
    // solhint-disable-next-line var-name-mixedcase
    bytes32 internal PROJECT_B; // "B-ELDERLY": elderly care

    function setUp() public virtual override {
        super.setUp();
        ledger = _deployCharityLedger();

        charityA = makeAddr("charityA");
        charityB = makeAddr("charityB");
        recipient1 = makeAddr("recipient1");
        recipient2 = makeAddr("recipient2");
        stranger = makeAddr("stranger");
        _register(charityA, uint8(Roles.CHARITY));
        _register(charityB, uint8(Roles.CHARITY));
        _register(recipient1, uint8(Roles.RECIPIENT));
        _register(recipient2, uint8(Roles.RECIPIENT));

        PROJECT_A = _open("A-SCHOOLS", charityA);
        PROJECT_A2 = _open("A-FLOOD", charityA);
        PROJECT_B = _open("B-ELDERLY", charityB);
    }

    /// @dev The ledger as deploy/modules/Charity.ts deploys it: an implementation behind a transparent proxy
    /// whose ProxyAdmin the manager owns, initialized in the proxy's constructor (deploy/modules/proxy.ts), a
    /// target of the manager wired as deploy/wiring.ts says (test/utils/Wiring.sol). The one place the fixtures
    /// deploy it.
    function _deployCharityLedger() internal returns (CharityLedger deployed) {
        address implementation = address(new CharityLedger());
        bytes memory init = abi.encodeCall(CharityLedger.initialize, (address(manager)));
        deployed = CharityLedger(address(behindProxy(implementation, address(manager), init)));
        Wiring.charityLedger(manager, address(deployed));
    }

    /// @dev `charity` proposes `projectId` and civil affairs approves it.
    function _open(string memory code, address charity) internal returns (bytes32 projectId) {
        projectId = _propose(code, charity);
        vm.prank(civilAffairs);
        ledger.approveProject(projectId);
    }

    function _propose(string memory code, address charity) internal returns (bytes32) {
        vm.prank(charity);
        return
            ledger.proposeProject(
                code,
                1_000_000_00,
                keccak256(abi.encode("permit", code)),
                keccak256(abi.encode("metadata", code))
            );
    }

    function _record(bytes32 projectId, address by, bytes32 ref, uint256 amount) internal returns (bytes32) {
        vm.prank(by);
        return ledger.recordDonation(projectId, cashOf(ref, amount, ICharityLedger.Channel.Bank));
    }

    function _recordGoods(bytes32 projectId, address by, bytes32 ref, uint256 quantity) internal returns (bytes32) {
        vm.prank(by);
        // Quantities are not bounded; a valuation is (MAX_AMOUNT): 100 fen a unit below 10^12 units.
        return ledger.recordGoods(projectId, goodsOf(ref, quantity, (quantity % 1e12) * 100));
    }

    function _disburse(
        bytes32 projectId,
        address by,
        address recipient,
        ICharityLedger.Purpose purpose,
        uint256 amount
    ) internal returns (bytes32) {
        vm.prank(by);
        return ledger.disburse(projectId, recipient, purpose, uint88(amount), keccak256(abi.encode("invoice", amount)));
    }

    function _grant(bytes32 fromId, bytes32 toId, address by, uint256 amount) internal {
        vm.prank(by);
        ledger.grant(fromId, toId, uint128(amount), keccak256(abi.encode("grant", amount)));
    }

    // ---------------------------------------------------------------- expected errors

    function _errUnauthorized(address caller, uint64 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerUnauthorized.selector, caller, role);
    }

    function _errNotProjectCharity(
        bytes32 projectId,
        address caller,
        address charity
    ) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(ICharityLedger.CharityLedgerNotProjectCharity.selector, projectId, caller, charity);
    }

    function _errManaged(address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, caller);
    }

    function _errInsufficientBalance(
        bytes32 projectId,
        uint256 avail,
        uint256 requested
    ) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                ICharityLedger.CharityLedgerInsufficientBalance.selector,
                projectId,
                avail,
                requested
            );
    }

    function _errWrongDonationState(
        bytes32 id,
        ICharityLedger.DonationState state
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerWrongDonationState.selector, id, state);
    }

    function _errWrongStatus(
        bytes32 projectId,
        ICharityLedger.ProjectStatus status
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerWrongProjectStatus.selector, projectId, status);
    }

    /// @dev The outcome of the charity-or-civil-affairs rule on charity A's project for `caller`:
    /// empty when admitted.
    function _charityOrCivilAffairs(
        bytes32 projectId,
        address caller,
        bool charitySuspended
    ) internal view returns (bytes memory) {
        if (caller == charityA) return charitySuspended ? _errUnauthorized(caller, Roles.CHARITY) : bytes("");
        if (caller == civilAffairs) return "";
        if (caller == charityB) return _errNotProjectCharity(projectId, caller, charityA);
        return _errUnauthorized(caller, Roles.CIVIL_AFFAIRS);
    }

    /// @dev Money conservation of one project from its stored counters and the grants in and out.
    function _assertConserved(bytes32 projectId, uint256 grantedIn, uint256 grantedOut) internal view {
        ICharityLedger.Project memory p = ledger.project(projectId);
        assertEq(p.inflow, p.received + grantedIn, "inflow = received + granted in");
        assertEq(p.outflow, p.disbursed + grantedOut + p.reversed, "outflow = disbursed + granted out + reversed");
        assertEq(ledger.available(projectId), p.inflow - p.outflow, "available = inflow - outflow");
    }
}
