// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `testFuzz_<fn>_<what>` / `invariant_<rule>`, the invariant handler
// next to its tests, a stateful handler); gas hints do not apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";

import {Roles} from "../contracts/access/Roles.sol";
import {CharityLedger} from "../contracts/charity/CharityLedger.sol";
import {ICharityLedger} from "../contracts/interfaces/ICharityLedger.sol";
import {OrgRegistryFixture} from "./OrgRegistry.t.sol";
import {behindProxy} from "./upgrade/behindProxy.sol";

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
            evidenceHash: keccak256(abi.encode("evidence", ref))
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

    /// @dev The CharityLedger as deployed: an implementation behind a transparent proxy whose ProxyAdmin the
    /// manager owns, initialized in the proxy's constructor (as deploy/modules/proxy.ts deploys it).
    function _deployCharityLedger() internal returns (CharityLedger) {
        address implementation = address(new CharityLedger());
        bytes memory init = abi.encodeCall(CharityLedger.initialize, (address(manager)));
        return CharityLedger(address(behindProxy(implementation, address(manager), init)));
    }

    function setUp() public virtual override {
        super.setUp();
        ledger = _deployCharityLedger();
        _wire();

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

    /// @dev deploy/wiring.ts, CharityLedger.
    function _wire() internal {
        bytes4[] memory charity = new bytes4[](5);
        charity[0] = ICharityLedger.proposeProject.selector;
        charity[1] = ICharityLedger.dispatchGoods.selector;
        charity[2] = ICharityLedger.disburse.selector;
        charity[3] = ICharityLedger.grant.selector;
        charity[4] = ICharityLedger.proposeReversal.selector;
        manager.setTargetFunctionRole(address(ledger), charity, Roles.CHARITY);

        bytes4[] memory civil = new bytes4[](4);
        civil[0] = ICharityLedger.approveProject.selector;
        civil[1] = ICharityLedger.approveReversal.selector;
        civil[2] = ICharityLedger.rejectReversal.selector;
        civil[3] = ICharityLedger.publishStatistics.selector;
        manager.setTargetFunctionRole(address(ledger), civil, Roles.CIVIL_AFFAIRS);

        bytes4[] memory recipient = new bytes4[](2);
        recipient[0] = ICharityLedger.confirmGoodsReceipt.selector;
        recipient[1] = ICharityLedger.confirmDisbursement.selector;
        manager.setTargetFunctionRole(address(ledger), recipient, Roles.RECIPIENT);

        bytes4[] memory open = new bytes4[](4);
        open[0] = ICharityLedger.closeProject.selector;
        open[1] = ICharityLedger.recordDonation.selector;
        open[2] = ICharityLedger.recordDonations.selector;
        open[3] = ICharityLedger.recordGoods.selector;
        manager.setTargetFunctionRole(address(ledger), open, manager.PUBLIC_ROLE());
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

contract CharityLedgerFuzzTest is CharityLedgerFixture {
    /// Rule: a donation id (charity, refHash) is recorded once: again in any project of the same
    /// charity, by her or by civil affairs, with any amount, as cash or goods, it is
    /// DuplicateDonation(id) and changes nothing; the same reference at another charity is another donation.
    function testFuzz_recordDonation_rejectsDuplicateId(
        bytes32 ref,
        uint256 amount,
        uint256 again,
        bool firstByCivil,
        bool againByCivil
    ) public {
        amount = bound(amount, 1, MAX_TEST_AMOUNT);
        again = bound(again, 0, MAX_TEST_AMOUNT);
        address by = againByCivil ? civilAffairs : charityA;
        bytes32 id = keccak256(abi.encode(charityA, ref));
        assertEq(ledger.donationId(charityA, ref), id);

        assertEq(_record(PROJECT_A, firstByCivil ? civilAffairs : charityA, ref, amount), id);

        bytes memory duplicate = abi.encodeWithSelector(ICharityLedger.CharityLedgerDuplicateDonation.selector, id);
        vm.expectRevert(duplicate);
        _record(PROJECT_A, by, ref, again);
        vm.expectRevert(duplicate);
        _record(PROJECT_A2, by, ref, again);
        ICharityLedger.CashDonation[] memory batch = new ICharityLedger.CashDonation[](1);
        batch[0] = cashOf(ref, again == 0 ? 1 : again, ICharityLedger.Channel.Wechat);
        vm.prank(by);
        assertEq(ledger.recordDonations(PROJECT_A2, batch), 0, "batch skips it");
        vm.expectRevert(duplicate);
        _recordGoods(PROJECT_A2, by, ref, 1);

        ICharityLedger.Donation memory d = ledger.donation(id);
        assertEq(d.amount, amount, "first amount kept");
        assertEq(ledger.projectIdAt(d.projectSeq), PROJECT_A);
        assertEq(uint8(d.state), uint8(ICharityLedger.DonationState.Recorded));
        assertFalse(d.isGoods);
        assertEq(ledger.totals().donationCount, 1);
        assertEq(ledger.project(PROJECT_A).received, amount);
        assertEq(ledger.project(PROJECT_A2).received, 0);
        assertEq(ledger.project(PROJECT_A2).inflow, 0);

        if (again != 0) {
            bytes32 other = _record(PROJECT_B, charityB, ref, again);
            assertTrue(other != id, "another charity's reference is another donation");
            assertEq(ledger.totals().donationCount, 2);
            assertEq(ledger.totals().received, amount + again);
        }
    }

    /// Rule: a batch records the ids not seen before (also within the batch: first occurrence wins),
    /// skips the rest, returns how many were new, emits one DonationRecorded per new one with the
    /// running inflow, and never changes the amount of an id recorded before.
    function testFuzz_recordDonations_skipsExistingIds(
        uint256 n1,
        uint256 n2,
        uint256 offset,
        uint256 amountSeed,
        bool repeatInside,
        bool byCivil
    ) public {
        n1 = bound(n1, 0, 30);
        n2 = bound(n2, 1, 30);
        offset = bound(offset, 0, 40);
        address by = byCivil ? civilAffairs : charityA;

        // First batch: references 0..n1-1; second: offset..offset+n2-1 and maybe its first one again.
        ICharityLedger.CashDonation[] memory first = _bankBatch(0, n1, amountSeed, 1, false);
        ICharityLedger.CashDonation[] memory second = _bankBatch(offset, n2, amountSeed, 2, repeatInside);
        // New in the second: those at or beyond n1.
        uint256 fresh = offset >= n1 ? n2 : (offset + n2 > n1 ? offset + n2 - n1 : 0);

        vm.prank(by);
        assertEq(ledger.recordDonations(PROJECT_A, first), n1, "first batch all new");
        uint256 inflowBefore = ledger.project(PROJECT_A).inflow;

        vm.recordLogs();
        vm.prank(by);
        assertEq(ledger.recordDonations(PROJECT_A, second), fresh, "count of new ids");
        _checkRecordedEvents(vm.getRecordedLogs(), fresh, inflowBefore);

        uint256 sum = _checkFirstAmounts(n1, offset + n2, offset, amountSeed);
        assertEq(ledger.project(PROJECT_A).donationCount, n1 + fresh);
        assertEq(ledger.totals().donationCount, n1 + fresh);
        assertEq(ledger.project(PROJECT_A).received, sum);
        assertEq(ledger.project(PROJECT_A).inflow, sum);
        assertEq(ledger.charityStats(charityA).received, sum);
        assertEq(ledger.totals().received, sum);

        // Resubmitting the second batch records nothing.
        vm.prank(by);
        assertEq(ledger.recordDonations(PROJECT_A, second), 0, "resubmission records nothing");
        assertEq(ledger.totals().donationCount, n1 + fresh);
        assertEq(ledger.project(PROJECT_A).received, sum);
    }

    /// Rule: a cash donation of zero fen is ZeroAmount, alone or anywhere in a batch (the whole batch
    /// reverts); a goods donation of zero quantity too; a channel outside the enum is refused by
    /// the ABI decoder (the call reverts and records nothing); every channel in the enum is accepted.
    function testFuzz_recordDonation_rejectsZeroAmountAndUnknownChannel(
        bytes32 ref,
        uint256 n,
        uint256 position,
        uint256 badChannel,
        uint8 goodChannel,
        bool byCivil
    ) public {
        n = bound(n, 1, 20);
        position = bound(position, 0, n - 1);
        badChannel = badChannel % 2 == 0 ? bound(badChannel, 5, 255) : bound(badChannel, 5, type(uint256).max);
        address by = byCivil ? civilAffairs : charityA;
        bytes memory zero = abi.encodeWithSelector(ICharityLedger.CharityLedgerZeroAmount.selector);

        vm.expectRevert(zero);
        _record(PROJECT_A, by, ref, 0);

        ICharityLedger.CashDonation[] memory batch = new ICharityLedger.CashDonation[](n);
        for (uint256 i = 0; i < n; ++i) {
            batch[i] = cashOf(keccak256(abi.encode(ref, i)), i == position ? 0 : 100 + i, _channel(i));
        }
        vm.expectRevert(zero);
        vm.prank(by);
        ledger.recordDonations(PROJECT_A, batch);

        vm.expectRevert(zero);
        _recordGoods(PROJECT_A, by, ref, 0);

        batch[position].amount = 100;
        _checkUnknownChannel(by, ref, batch, position, badChannel);

        assertEq(ledger.totals().donationCount, 0, "nothing recorded");
        assertEq(ledger.project(PROJECT_A).inflow, 0);
        assertEq(uint8(ledger.donation(ledger.donationId(charityA, ref)).state), 0);

        // Valid channels, and the batch once repaired, are accepted.
        ICharityLedger.Channel channel = ICharityLedger.Channel(goodChannel % 5);
        vm.prank(by);
        ledger.recordDonation(PROJECT_A, cashOf(ref, 100, channel));
        vm.prank(by);
        assertEq(ledger.recordDonations(PROJECT_A, batch), n);
        assertEq(ledger.totals().donationCount, n + 1);
    }

    /// Rule: disbursements never exceed what the project holds: each is refused with
    /// InsufficientBalance(project, available, amount) beyond it, ZeroAmount at zero, and otherwise
    /// reduces `available` by exactly the amount; only the project's charity pays, only to a recipient.
    function testFuzz_disburse_neverExceedsAvailable(
        uint256 received,
        uint256 grantedIn,
        uint256[6] memory amounts,
        uint256 purposes
    ) public {
        received = bound(received, 1, MAX_TEST_AMOUNT);
        grantedIn = bound(grantedIn, 0, MAX_TEST_AMOUNT);
        _record(PROJECT_A, charityA, refOf("bank", 1), received);
        if (grantedIn != 0) {
            _record(PROJECT_B, charityB, refOf("bank", 2), grantedIn);
            _grant(PROJECT_B, PROJECT_A, charityB, grantedIn);
        }

        _checkDisburseRefusals();

        uint256 avail = received + grantedIn;
        uint256[2] memory spent; // by purpose
        for (uint256 i = 0; i < amounts.length; ++i) {
            // Even steps stay within what is left, odd ones may ask for anything.
            uint256 amount = bound(amounts[i], 0, i % 2 == 0 ? avail : type(uint88).max);
            ICharityLedger.Purpose purpose = ICharityLedger.Purpose((purposes >> i) & 1);
            address recipient = i % 2 == 0 ? recipient1 : recipient2;
            uint24 n = ledger.project(PROJECT_A).outflowCount;
            if (amount == 0) {
                vm.expectRevert(abi.encodeWithSelector(ICharityLedger.CharityLedgerZeroAmount.selector));
                _disburse(PROJECT_A, charityA, recipient, purpose, amount);
            } else if (amount > avail) {
                vm.expectRevert(_errInsufficientBalance(PROJECT_A, avail, amount));
                _disburse(PROJECT_A, charityA, recipient, purpose, amount);
            } else {
                bytes32 id = _disburse(PROJECT_A, charityA, recipient, purpose, amount);
                assertEq(id, keccak256(abi.encode(PROJECT_A, n)), "disbursement id");
                ICharityLedger.Handover memory h = ledger.disbursement(id);
                assertEq(h.recipient, recipient);
                assertEq(h.amount, amount);
                assertEq(uint8(h.state), uint8(ICharityLedger.HandoverState.Pending));
                avail -= amount;
                spent[uint8(purpose)] += amount;
            }
            assertEq(ledger.available(PROJECT_A), avail, "available after each step");
        }

        assertLe(ledger.project(PROJECT_A).disbursed, received + grantedIn, "never more than came in");
        _checkSpent(spent);
        _assertConserved(PROJECT_A, grantedIn, 0);
    }

    /// @dev Not to a non-recipient, not by another charity, not by civil affairs (the manager's check).
    function _checkDisburseRefusals() internal {
        vm.expectRevert(abi.encodeWithSelector(ICharityLedger.CharityLedgerNotRecipient.selector, stranger));
        _disburse(PROJECT_A, charityA, stranger, ICharityLedger.Purpose.Programme, 1);
        vm.expectRevert(_errNotProjectCharity(PROJECT_A, charityB, charityA));
        _disburse(PROJECT_A, charityB, recipient1, ICharityLedger.Purpose.Programme, 1);
        vm.expectRevert(_errManaged(civilAffairs));
        _disburse(PROJECT_A, civilAffairs, recipient1, ICharityLedger.Purpose.Programme, 1);
    }

    /// @dev Project A's disbursed, charity A's and the totals' spending by purpose.
    function _checkSpent(uint256[2] memory spent) internal view {
        assertEq(ledger.project(PROJECT_A).disbursed, spent[0] + spent[1]);
        ICharityLedger.CharityStats memory s = ledger.charityStats(charityA);
        assertEq(s.programmeSpent, spent[0]);
        assertEq(s.adminSpent, spent[1]);
        assertEq(ledger.totals().programmeSpent, spent[0]);
        assertEq(ledger.totals().adminSpent, spent[1]);
    }

    /// Rule: only the disbursement's recipient confirms it, once: another recipient gets
    /// NotHandoverRecipient, an account without RECIPIENT is stopped by the manager, a second
    /// confirmation is AlreadyConfirmed, an unknown id UnknownHandover.
    function testFuzz_confirmDisbursement_onlyRecipientOnce(
        uint256 callerSeed,
        uint256 amount,
        bytes32 receipt
    ) public {
        amount = bound(amount, 1, 2 ** 48 - 1); // up to the largest donation the ledger takes
        _record(PROJECT_A, charityA, refOf("bank", 1), amount);
        bytes32 id = _disburse(PROJECT_A, charityA, recipient1, ICharityLedger.Purpose.Programme, amount);
        _checkConfirmOnce(false, id, callerSeed, receipt);
        assertEq(ledger.disbursement(id).amount, amount);
    }

    /// Rule: the same for goods dispatches.
    function testFuzz_confirmGoodsReceipt_onlyRecipientOnce(
        uint256 callerSeed,
        uint256 quantity,
        bytes32 receipt
    ) public {
        quantity = bound(quantity, 1, type(uint88).max);
        bytes32 lotId = _recordGoods(PROJECT_A, charityA, refOf("goods", 1), quantity);
        vm.prank(charityA);
        bytes32 id = ledger.dispatchGoods(lotId, recipient1, uint88(quantity), keccak256("waybill"));
        _checkConfirmOnce(true, id, callerSeed, receipt);
        assertEq(ledger.dispatch(id).amount, quantity);
    }

    /// Rule: a lot never dispatches more than it received: each dispatch beyond what remains is
    /// InsufficientGoods(lot, remaining, requested), and `dispatched` is the sum of the dispatches.
    /// Only the project's charity dispatches, only goods lots, only to a registered recipient.
    function testFuzz_dispatchGoods_conservesQuantity(uint256 quantity, uint256[6] memory requests) public {
        quantity = bound(quantity, 1, 1e12);
        bytes32 lotId = _recordGoods(PROJECT_A, charityA, refOf("goods", 1), quantity);
        bytes32 cashId = _record(PROJECT_A, charityA, refOf("bank", 1), 100);

        _checkDispatchRefusals(lotId, cashId);

        uint256 dispatched = 0;
        uint256 count = 0;
        bytes32[] memory ids = new bytes32[](requests.length + 1);
        for (uint256 i = 0; i <= requests.length; ++i) {
            uint256 remaining = quantity - dispatched;
            // The last step asks for exactly what is left (or one unit when nothing is).
            uint256 request =
                i == requests.length
                    ? (remaining == 0 ? 1 : remaining)
                    : bound(requests[i], 0, i % 2 == 0 ? remaining : type(uint88).max);
            _expectDispatchError(lotId, remaining, request);
            vm.prank(charityA);
            bytes32 id = ledger.dispatchGoods(
                lotId,
                i % 2 == 0 ? recipient1 : recipient2,
                uint88(request),
                bytes32(i + 1)
            );
            if (request != 0 && request <= remaining) {
                assertEq(id, keccak256(abi.encode(lotId, count)), "dispatch id");
                ids[count++] = id;
                dispatched += request;
            }
            ICharityLedger.Lot memory stored = ledger.lot(lotId);
            assertEq(stored.quantity, quantity, "quantity unchanged");
            assertEq(stored.dispatched, dispatched, "dispatched is the sum of dispatches");
            assertEq(stored.dispatchCount, count);
            assertLe(stored.dispatched, stored.quantity);
        }
        assertEq(dispatched, quantity, "the last step empties the lot");
        uint256 sum = 0;
        for (uint256 i = 0; i < count; ++i) sum += ledger.dispatch(ids[i]).amount;
        assertEq(sum, quantity, "dispatch records add up");
        vm.expectRevert(abi.encodeWithSelector(ICharityLedger.CharityLedgerInsufficientGoods.selector, lotId, 0, 1));
        vm.prank(charityA);
        ledger.dispatchGoods(lotId, recipient1, 1, bytes32(0));
    }

    /// @dev Not a cash donation, not an unknown id, not to a non-recipient, not by another charity.
    function _checkDispatchRefusals(bytes32 lotId, bytes32 cashId) internal {
        vm.startPrank(charityA);
        vm.expectRevert(abi.encodeWithSelector(ICharityLedger.CharityLedgerNotGoods.selector, cashId));
        ledger.dispatchGoods(cashId, recipient1, 1, bytes32(0));
        bytes32 unknown = refOf("unknown", 0);
        vm.expectRevert(abi.encodeWithSelector(ICharityLedger.CharityLedgerUnknownDonation.selector, unknown));
        ledger.dispatchGoods(unknown, recipient1, 1, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(ICharityLedger.CharityLedgerNotRecipient.selector, stranger));
        ledger.dispatchGoods(lotId, stranger, 1, bytes32(0));
        vm.stopPrank();
        vm.expectRevert(_errNotProjectCharity(PROJECT_A, charityB, charityA));
        vm.prank(charityB);
        ledger.dispatchGoods(lotId, recipient1, 1, bytes32(0));
    }

    /// @dev Expects ZeroAmount or InsufficientGoods when the request calls for it.
    function _expectDispatchError(bytes32 lotId, uint256 remaining, uint256 request) internal {
        if (request == 0) {
            vm.expectRevert(abi.encodeWithSelector(ICharityLedger.CharityLedgerZeroAmount.selector));
        } else if (request > remaining) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ICharityLedger.CharityLedgerInsufficientGoods.selector,
                    lotId,
                    remaining,
                    request
                )
            );
        }
    }

    /// Rule: a grant moves money between projects (of one charity or of two) without creating or
    /// losing any: the sum of all projects' available is unchanged, the donor side's outflow and the
    /// receiving side's inflow grow by the amount, received/disbursed do not move. Refused to the
    /// same project, to a project not Approved, beyond what the giver holds, by another charity.
    function testFuzz_grant_conservesMoney(
        uint256 inA,
        uint256 inB,
        uint256 amount,
        uint256 fromSeed,
        uint256 toSeed,
        bool withinAvailable,
        bool byOtherCharity
    ) public {
        bytes32[5] memory projects = _grantProjects();
        inA = bound(inA, 0, MAX_TEST_AMOUNT);
        inB = bound(inB, 0, MAX_TEST_AMOUNT);
        if (inA != 0) _record(PROJECT_A, charityA, refOf("bank", 1), inA);
        if (inB != 0) _record(PROJECT_B, charityB, refOf("bank", 2), inB);

        GrantCase memory c;
        c.fromId = projects[fromSeed % 3];
        c.toId = projects[toSeed % 5];
        c.owner = c.fromId == PROJECT_B ? charityB : charityA;
        c.caller = byOtherCharity ? (c.owner == charityA ? charityB : charityA) : c.owner;
        c.fromAvail = ledger.available(c.fromId);
        c.amount = bound(amount, 0, withinAvailable ? c.fromAvail : MAX_TEST_AMOUNT * 3);
        bytes memory expected = _grantError(c);

        c.total = _sumAvailable(projects);
        c.fromBefore = ledger.project(c.fromId);
        c.toBefore = ledger.project(c.toId);
        c.grantedBefore = ledger.charityStats(c.caller).granted;

        if (expected.length != 0) vm.expectRevert(expected);
        _grant(c.fromId, c.toId, c.caller, c.amount);
        c.moved = expected.length == 0 ? c.amount : 0;

        assertEq(_sumAvailable(projects), c.total, "money neither created nor lost");
        _checkGrantSides(c);
        assertEq(ledger.charityStats(charityA).received, inA);
        assertEq(ledger.charityStats(charityB).received, inB);
        assertEq(ledger.totals().received, inA + inB);
    }

    struct GrantCase {
        bytes32 fromId;
        bytes32 toId;
        address owner;
        address caller;
        uint256 fromAvail;
        uint256 amount;
        uint256 total;
        ICharityLedger.Project fromBefore;
        ICharityLedger.Project toBefore;
        uint256 grantedBefore;
        uint256 moved;
    }

    /// @dev Both sides of a grant (or of a refused one: nothing moved).
    function _checkGrantSides(GrantCase memory c) internal view {
        assertEq(ledger.available(c.fromId), c.fromAvail - c.moved, "giver");
        ICharityLedger.Project memory fromAfter = ledger.project(c.fromId);
        ICharityLedger.Project memory toAfter = ledger.project(c.toId);
        assertEq(fromAfter.outflow, c.fromBefore.outflow + c.moved);
        assertEq(fromAfter.received, c.fromBefore.received);
        assertEq(toAfter.received, c.toBefore.received);
        assertEq(fromAfter.disbursed + toAfter.disbursed, 0);
        assertEq(ledger.charityStats(c.caller).granted, c.grantedBefore + c.moved);
        if (c.fromId != c.toId) {
            assertEq(toAfter.inflow, c.toBefore.inflow + c.moved, "receiver");
            _assertConserved(c.fromId, 0, c.moved);
            _assertConserved(c.toId, c.moved, 0);
        }
    }

    /// @dev A, A2, B approved; B3 only proposed; B2 closed.
    function _grantProjects() internal returns (bytes32[5] memory projects) {
        bytes32 proposedB = _propose("B3-PROPOSED", charityB);
        bytes32 closedB = _open("B2-CLOSED", charityB);
        vm.prank(charityB);
        ledger.closeProject(closedB);
        projects = [PROJECT_A, PROJECT_A2, PROJECT_B, proposedB, closedB];
    }

    /// @dev The grant's expected error, in the contract's order of checks; empty when it succeeds.
    function _grantError(GrantCase memory c) internal view returns (bytes memory) {
        ICharityLedger.ProjectStatus toStatus = ledger.project(c.toId).status;
        if (c.fromId == c.toId)
            return abi.encodeWithSelector(ICharityLedger.CharityLedgerSameProject.selector, c.fromId);
        if (c.caller != c.owner) return _errNotProjectCharity(c.fromId, c.caller, c.owner);
        if (toStatus != ICharityLedger.ProjectStatus.Approved) return _errWrongStatus(c.toId, toStatus);
        if (c.amount == 0) return abi.encodeWithSelector(ICharityLedger.CharityLedgerZeroAmount.selector);
        if (c.amount > c.fromAvail) return _errInsufficientBalance(c.fromId, c.fromAvail, c.amount);
        return "";
    }

    /// Rule: a reversal approved by civil affairs takes the donation's own amount out of its project, and
    /// is refused with DonationUsed(id, inflowBefore, outflow) once an outflow (a disbursement or a grant)
    /// may have used it under first-in first-out, i.e. the project's cumulative outflow passed the start
    /// of the donation's range; a refused proposal stays proposed until rejected. (It was refused only
    /// when the project no longer held the amount, which let a reversal take other donors' money.)
    function testFuzz_approveReversal_refusedOnceUsed(
        uint256 amount,
        uint256 other,
        uint256 spent,
        bool viaGrant
    ) public {
        amount = bound(amount, 1, MAX_TEST_AMOUNT);
        other = bound(other, 0, MAX_TEST_AMOUNT);
        if (other != 0) _record(PROJECT_A, charityA, refOf("bank", 2), other);
        bytes32 id = _record(PROJECT_A, charityA, refOf("bank", 1), amount);
        assertEq(ledger.donation(id).inflowBefore, other);
        spent = bound(spent, 0, amount + other);
        if (spent != 0) {
            if (viaGrant) _grant(PROJECT_A, PROJECT_B, charityA, spent);
            else _disburse(PROJECT_A, charityA, recipient1, ICharityLedger.Purpose.Administrative, spent);
        }
        uint256 avail = amount + other - spent;
        assertEq(ledger.available(PROJECT_A), avail);
        bytes memory used = abi.encodeWithSelector(ICharityLedger.CharityLedgerDonationUsed.selector, id, other, spent);

        vm.expectRevert(_errWrongDonationState(id, ICharityLedger.DonationState.Recorded));
        vm.prank(civilAffairs);
        ledger.approveReversal(id);

        vm.prank(charityA);
        if (spent > other) {
            // Refused at the proposal already; a proposal made before the outflow is refused at approval.
            vm.expectRevert(used);
            ledger.proposeReversal(id, keccak256("entered twice"));
            assertEq(uint8(ledger.donation(id).state), uint8(ICharityLedger.DonationState.Recorded));
            assertEq(ledger.available(PROJECT_A), avail);
            assertEq(ledger.project(PROJECT_A).reversed, 0);
        } else {
            ledger.proposeReversal(id, keccak256("entered twice"));
            vm.prank(civilAffairs);
            ledger.approveReversal(id);
            assertEq(uint8(ledger.donation(id).state), uint8(ICharityLedger.DonationState.Reversed));
            assertEq(ledger.available(PROJECT_A), avail - amount);
            assertEq(ledger.project(PROJECT_A).reversed, amount);
            assertEq(ledger.totals().reversed, amount);
            vm.expectRevert(_errWrongDonationState(id, ICharityLedger.DonationState.Reversed));
            vm.prank(charityA);
            ledger.proposeReversal(id, bytes32(0));
        }
        // Received counts what was recorded; the reversal is an outflow.
        assertEq(ledger.project(PROJECT_A).received, amount + other);
        assertEq(ledger.charityStats(charityA).received, amount + other);
        _assertConserved(PROJECT_A, 0, viaGrant ? spent : 0);
    }

    /// Rule: a proposal made while the donation was unused is refused at approval once an outflow used
    /// it meanwhile, and stays proposed until civil affairs rejects it.
    function testFuzz_approveReversal_refusedWhenUsedAfterProposal(uint256 amount, uint256 spent) public {
        amount = bound(amount, 1, MAX_TEST_AMOUNT);
        bytes32 id = _record(PROJECT_A, charityA, refOf("bank", 1), amount);
        vm.prank(charityA);
        ledger.proposeReversal(id, keccak256("entered twice"));
        spent = bound(spent, 1, amount);
        _disburse(PROJECT_A, charityA, recipient1, ICharityLedger.Purpose.Programme, spent);

        vm.expectRevert(
            abi.encodeWithSelector(ICharityLedger.CharityLedgerDonationUsed.selector, id, uint256(0), spent)
        );
        vm.prank(civilAffairs);
        ledger.approveReversal(id);
        assertEq(uint8(ledger.donation(id).state), uint8(ICharityLedger.DonationState.ReversalProposed));
        vm.prank(civilAffairs);
        ledger.rejectReversal(id, keccak256("already spent"));
        assertEq(uint8(ledger.donation(id).state), uint8(ICharityLedger.DonationState.Recorded));
        assertEq(ledger.project(PROJECT_A).reversed, 0);
        _assertConserved(PROJECT_A, 0, 0);
    }

    /// Rule: recordDonation, recordDonations and recordGoods (PUBLIC at the manager) admit the project's
    /// charity while it holds CHARITY, and civil affairs; a suspended charity gets Unauthorized(it,
    /// CHARITY), another charity NotProjectCharity, anyone else Unauthorized(caller, CIVIL_AFFAIRS).
    function testFuzz_recordDonation_charityOrCivilAffairs(uint256 callerSeed, bool suspend, bytes32 ref) public {
        address caller = _anyCaller(callerSeed);
        if (suspend) _suspend(charityA);
        bytes memory expected = _charityOrCivilAffairs(PROJECT_A, caller, suspend);

        if (expected.length != 0) vm.expectRevert(expected);
        _record(PROJECT_A, caller, ref, 500);

        ICharityLedger.CashDonation[] memory batch = new ICharityLedger.CashDonation[](2);
        batch[0] = cashOf(keccak256(abi.encode(ref, 1)), 600, ICharityLedger.Channel.Alipay);
        batch[1] = cashOf(keccak256(abi.encode(ref, 2)), 700, ICharityLedger.Channel.Wechat);
        if (expected.length != 0) vm.expectRevert(expected);
        vm.prank(caller);
        ledger.recordDonations(PROJECT_A, batch);

        if (expected.length != 0) vm.expectRevert(expected);
        _recordGoods(PROJECT_A, caller, keccak256(abi.encode(ref, 3)), 10);

        assertEq(ledger.totals().donationCount, expected.length == 0 ? 3 : 0);
        assertEq(ledger.project(PROJECT_A).received, expected.length == 0 ? 1800 : 0);

        if (suspend) {
            // Suspended: also stopped by the manager for its CHARITY functions; reinstated, admitted again.
            vm.expectRevert(_errManaged(charityA));
            _propose("WHILE-SUSPENDED", charityA);
            vm.prank(civilAffairs);
            registry.reinstate(charityA, keccak256("decision"));
            _record(PROJECT_A, charityA, keccak256(abi.encode(ref, 4)), 1);
        }
    }

    /// Rule: closeProject follows the same charity-or-civil-affairs rule; a closed project takes no
    /// donations or grants but still pays out what it holds, and cannot be closed again.
    function testFuzz_closeProject_charityOrCivilAffairs(uint256 callerSeed, bool suspend, uint256 amount) public {
        amount = bound(amount, 1, MAX_TEST_AMOUNT);
        _record(PROJECT_A, charityA, refOf("bank", 1), amount);
        address caller = _anyCaller(callerSeed);
        if (suspend) _suspend(charityA);
        bytes memory expected = _charityOrCivilAffairs(PROJECT_A, caller, suspend);

        if (expected.length != 0) vm.expectRevert(expected);
        vm.prank(caller);
        ledger.closeProject(PROJECT_A);
        if (expected.length != 0) {
            assertEq(uint8(ledger.project(PROJECT_A).status), uint8(ICharityLedger.ProjectStatus.Approved));
            return;
        }

        bytes memory closed = _errWrongStatus(PROJECT_A, ICharityLedger.ProjectStatus.Closed);
        assertEq(uint8(ledger.project(PROJECT_A).status), uint8(ICharityLedger.ProjectStatus.Closed));
        vm.expectRevert(closed);
        _record(PROJECT_A, civilAffairs, refOf("bank", 2), 1);
        vm.expectRevert(closed);
        vm.prank(civilAffairs);
        ledger.closeProject(PROJECT_A);
        _record(PROJECT_B, charityB, refOf("bank", 3), 10);
        vm.expectRevert(closed);
        _grant(PROJECT_B, PROJECT_A, charityB, 10);
        if (!suspend) {
            _disburse(PROJECT_A, charityA, recipient1, ICharityLedger.Purpose.Programme, amount);
            assertEq(ledger.available(PROJECT_A), 0);
        }
    }

    // ---------------------------------------------------------------- helpers

    /// @dev References `from`..`from`+n-1 with amounts of batch number `tag`, and (if `repeat`) the
    /// first of them once more, with another amount.
    function _bankBatch(
        uint256 from,
        uint256 n,
        uint256 amountSeed,
        uint256 tag,
        bool repeat
    ) internal pure returns (ICharityLedger.CashDonation[] memory batch) {
        batch = new ICharityLedger.CashDonation[](n + (repeat ? 1 : 0));
        for (uint256 j = 0; j < n; ++j) {
            batch[j] = cashOf(refOf("bank", from + j), _amount(amountSeed, tag, from + j), _channel(j));
        }
        if (repeat) batch[n] = cashOf(refOf("bank", from), _amount(amountSeed, tag + 1, from), _channel(0));
    }

    /// @dev References 0..n1-1 keep the first batch's amounts, offset..end-1 beyond them the second's;
    /// returns the sum recorded.
    function _checkFirstAmounts(
        uint256 n1,
        uint256 end,
        uint256 offset,
        uint256 amountSeed
    ) internal view returns (uint256 sum) {
        uint256 last = end > n1 ? end : n1;
        for (uint256 k = 0; k < last; ++k) {
            ICharityLedger.Donation memory d = ledger.donation(ledger.donationId(charityA, refOf("bank", k)));
            uint256 expected = k < n1 ? _amount(amountSeed, 1, k) : (k >= offset ? _amount(amountSeed, 2, k) : 0);
            assertEq(d.amount, expected, "amount of the first record");
            sum += expected;
        }
    }

    function _amount(uint256 seed, uint256 batch, uint256 k) internal pure returns (uint256) {
        return 1 + (uint256(keccak256(abi.encode(seed, batch, k))) % 1e12);
    }

    function _channel(uint256 i) internal pure returns (ICharityLedger.Channel) {
        return ICharityLedger.Channel(i % 5);
    }

    /// @dev Project charity, other charity, civil affairs, a recipient, another department, a stranger.
    function _anyCaller(uint256 seed) internal view returns (address) {
        address[6] memory callers = [charityA, charityB, civilAffairs, recipient1, marketRegulator, stranger];
        return callers[seed % callers.length];
    }

    function _suspend(address charity) internal {
        vm.prank(civilAffairs);
        registry.suspend(charity, keccak256("suspended"));
    }

    function _sumAvailable(bytes32[5] memory projects) internal view returns (uint256 sum) {
        for (uint256 i = 0; i < projects.length; ++i) sum += ledger.available(projects[i]);
    }

    /// @dev Overwrites the 32-byte word at `offset` of `data`.
    function _setWord(bytes memory data, uint256 offset, uint256 value) internal pure {
        for (uint256 i = 0; i < 32; ++i) data[offset + i] = bytes1(uint8(value >> (8 * (31 - i))));
    }

    /// @dev Records with channel word `badChannel` (single, and at `position` of the batch) revert.
    /// The channel is the fifth word after the selector of the single record's calldata (projectId,
    /// refHash, amount, donorCommitment, channel) and the fourth of a batch element (after projectId,
    /// the array offset and length come the elements, five words each).
    function _checkUnknownChannel(
        address by,
        bytes32 ref,
        ICharityLedger.CashDonation[] memory batch,
        uint256 position,
        uint256 badChannel
    ) internal {
        bytes memory single = abi.encodeCall(
            ledger.recordDonation,
            (PROJECT_A, cashOf(ref, 100, ICharityLedger.Channel.Bank))
        );
        _setWord(single, 4 + 32 * 4, badChannel);
        bytes memory many = abi.encodeCall(ledger.recordDonations, (PROJECT_A, batch));
        _setWord(many, 4 + 32 * 3 + 32 * 5 * position + 32 * 3, badChannel);
        _expectRawRevert(by, single);
        _expectRawRevert(by, many);
    }

    /// @dev Sends raw calldata from `by`: it must revert, with no error data (the ABI decoder's check).
    function _expectRawRevert(address by, bytes memory data) internal {
        vm.prank(by);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory reason) = address(ledger).call(data);
        assertFalse(ok, "out-of-range channel accepted");
        assertEq(reason.length, 0, "ABI decoder revert");
    }

    /// @dev `count` DonationRecorded events, each with the running inflow.
    function _checkRecordedEvents(Vm.Log[] memory logs, uint256 count, uint256 inflow) internal pure {
        uint256 seen = 0;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != ICharityLedger.DonationRecorded.selector) continue;
            (, uint256 amount, , , , uint256 inflowAfter) = abi.decode(
                logs[i].data,
                (bytes32, uint256, bytes32, ICharityLedger.Channel, bytes32, uint256)
            );
            inflow += amount;
            assertEq(inflowAfter, inflow, "event carries the running inflow");
            ++seen;
        }
        assertEq(seen, count, "one event per new donation");
    }

    function _checkConfirmOnce(bool goods, bytes32 id, uint256 callerSeed, bytes32 receipt) internal {
        address[6] memory callers = [recipient1, recipient2, charityA, civilAffairs, stranger, charityB];
        address caller = callers[callerSeed % callers.length];

        bytes32 unknown = keccak256(abi.encode(id));
        vm.expectRevert(abi.encodeWithSelector(ICharityLedger.CharityLedgerUnknownHandover.selector, unknown));
        _confirm(goods, recipient1, unknown, receipt);

        if (caller != recipient1) {
            vm.expectRevert(
                caller == recipient2
                    ? abi.encodeWithSelector(
                        ICharityLedger.CharityLedgerNotHandoverRecipient.selector,
                        id,
                        recipient2,
                        recipient1
                    )
                    : _errManaged(caller)
            );
            _confirm(goods, caller, id, receipt);
            assertEq(uint8(_handover(goods, id).state), uint8(ICharityLedger.HandoverState.Pending));
        }

        _confirm(goods, recipient1, id, receipt);
        ICharityLedger.Handover memory h = _handover(goods, id);
        assertEq(h.recipient, recipient1);
        assertEq(uint8(h.state), uint8(ICharityLedger.HandoverState.Confirmed));

        vm.expectRevert(abi.encodeWithSelector(ICharityLedger.CharityLedgerAlreadyConfirmed.selector, id));
        _confirm(goods, recipient1, id, receipt);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICharityLedger.CharityLedgerNotHandoverRecipient.selector,
                id,
                recipient2,
                recipient1
            )
        );
        _confirm(goods, recipient2, id, receipt);
    }

    function _confirm(bool goods, address by, bytes32 id, bytes32 receipt) internal {
        vm.prank(by);
        if (goods) ledger.confirmGoodsReceipt(id, receipt);
        else ledger.confirmDisbursement(id, receipt);
    }

    function _handover(bool goods, bytes32 id) internal view returns (ICharityLedger.Handover memory) {
        return goods ? ledger.dispatch(id) : ledger.disbursement(id);
    }
}

/**
 * @dev Drives the ledger with random sequences: projects proposed, approved and (rarely) closed; cash
 * donations recorded singly and in batches with repeated references (across calls and within a
 * batch), goods recorded and dispatched, money disbursed for both purposes, hand-overs confirmed,
 * grants between projects of both charities, reversals proposed, approved and rejected. A ghost
 * model keeps every project's flows and every record; each call's outcome (success with the
 * predicted return value, or the exact revert) is compared with what the model predicts, and a
 * mismatch is recorded rather than reverted (failOnRevert: false). Inputs are bounded so that most
 * calls succeed: callers are the right account about nine times in ten, amounts are within what is
 * available about nine times in ten, and pickers prefer records in the state an action needs.
 *
 * The handler is also an insider attacking the ledger: one call in four is first relayed through
 * `AccessManager.execute` by the same caller (it must be refused, by the manager or by the ledger's
 * RelayedCall, and change nothing), and one donation or goods valuation in sixteen is extreme (the
 * ledger's MAX_AMOUNT exactly, or anything above it up to 2^128 - 1), so that the model checks that
 * no accepted sequence overflows a counter and halts other charities' donations.
 */
contract CharityLedgerHandler is CommonBase, StdUtils {
    enum Action {
        ProposeProject,
        ApproveProject,
        CloseProject,
        RecordDonation,
        RecordDonations,
        RecordGoods,
        DispatchGoods,
        ConfirmGoodsReceipt,
        Disburse,
        ConfirmDisbursement,
        Grant,
        ProposeReversal,
        ApproveReversal,
        RejectReversal
    }

    uint256 internal constant ACTIONS = 14;
    uint256 internal constant MAX_PROJECTS = 12;
    uint256 internal constant MAX_AMOUNT = 1e9; // fen per ordinary donation: ten million yuan
    /// @dev The ledger's bounds: one record's amount, and a project's cumulative inflow (exclusive).
    uint256 internal constant LEDGER_MAX = 2 ** 48 - 1;
    uint256 internal constant INFLOW_BOUND = 2 ** 80;
    uint256 internal constant MAX_BATCH = 12;
    uint256 internal constant MAX_QUANTITY = 1e6;

    struct GhostProject {
        address charity;
        ICharityLedger.ProjectStatus status;
        uint256 received;
        uint256 reversed;
        uint256 disbursed;
        uint256 programme;
        uint256 admin;
        uint256 grantedOut;
        uint256 grantedIn;
        uint256 donationCount;
        uint256 outflowCount;
    }

    struct GhostDonation {
        uint256 amount; // the first (and only) amount or quantity recorded under the id
        bytes32 projectId;
        ICharityLedger.DonationState state;
        bool isGoods;
        uint256 inflowBefore; // cash: the project's inflow before it; goods: its valuation
    }

    struct GhostHandover {
        bytes32 id;
        bytes32 source; // project (disbursement) or lot (dispatch)
        address recipient;
        uint256 amount;
        bool confirmed;
    }

    CharityLedger public ledger;
    IAccessManager public manager;
    uint256 public relays;
    address public civilAffairs;
    address public stranger;
    address[2] public charities;
    address[2] public recipients;

    bytes32[] public projectIds;
    mapping(bytes32 projectId => GhostProject) internal _projects;
    mapping(bytes32 projectId => string code) internal _codes;
    /// @dev Distinct cash donation ids recorded, in order; lots likewise.
    bytes32[] public cashIds;
    bytes32[] public lotIds;
    mapping(bytes32 id => GhostDonation) internal _donations;
    mapping(bytes32 lotId => uint256) public ghostDispatched;
    mapping(bytes32 lotId => uint256) public ghostDispatchCount;
    mapping(address charity => uint256) public ghostGranted;
    uint256 public ghostGoodsValuation;
    GhostHandover[] internal _disbursements;
    GhostHandover[] internal _dispatches;

    /// @dev References handed out so far (cash and goods share the id space).
    bytes32[] internal _refs;

    uint256[ACTIONS] public calls;
    uint256[ACTIONS] public successes;
    uint256 public mismatches;
    string public firstMismatch;

    constructor(
        CharityLedger ledger_,
        address civilAffairs_,
        address[2] memory charities_,
        address[2] memory recipients_,
        address stranger_
    ) {
        ledger = ledger_;
        manager = IAccessManager(ledger_.authority());
        civilAffairs = civilAffairs_;
        charities = charities_;
        recipients = recipients_;
        stranger = stranger_;
    }

    /// @dev Set-up only (not a target): an approved project of charity `i` holding a donation of 100,000 yuan.
    function seedProject(uint256 i) external {
        string memory code = _codeOf(projectIds.length);
        vm.prank(charities[i]);
        bytes32 id = ledger.proposeProject(code, 1e12, keccak256(abi.encode("permit", code)), bytes32(0));
        _codes[id] = code;
        vm.prank(civilAffairs);
        ledger.approveProject(id);
        _addProject(id, charities[i]);
        _projects[id].status = ICharityLedger.ProjectStatus.Approved;
        bytes32 ref = _pickRef(0, 0);
        vm.prank(charities[i]);
        ledger.recordDonation(id, cashOf(ref, 1e7, ICharityLedger.Channel.Bank));
        _noteCash(id, keccak256(abi.encode(charities[i], ref)), 1e7);
    }

    // ---------------------------------------------------------------- projects

    function proposeProject(uint256 charitySeed, uint256 target) external {
        _proposeProject(charitySeed, target);
    }

    /// @dev When the picked project is not Proposed, three calls in four have a charity propose one
    /// first (counted as a proposal) while there is room, so that approvals are exercised.
    function approveProject(uint256 projectSeed, uint256 callerSeed) external {
        bytes32 id = _pickProject(projectSeed, ICharityLedger.ProjectStatus.Proposed);
        if (
            _projects[id].status != ICharityLedger.ProjectStatus.Proposed &&
            projectSeed % 4 != 3 &&
            projectIds.length < MAX_PROJECTS
        ) {
            (bool proposed, bytes32 fresh) = _proposeProject(projectSeed % 10 == 9 ? 0 : projectSeed, callerSeed);
            if (proposed) id = fresh;
        }
        GhostProject storage g = _projects[id];
        address caller = callerSeed % 10 == 9 ? g.charity : civilAffairs;
        bytes memory expected;
        if (caller != civilAffairs) expected = _managed(caller);
        else if (g.status != ICharityLedger.ProjectStatus.Proposed) expected = _wrongStatus(id, g.status);
        (bool ok, ) = _call(
            Action.ApproveProject,
            "approveProject",
            caller,
            abi.encodeCall(ledger.approveProject, (id)),
            expected
        );
        if (ok) g.status = ICharityLedger.ProjectStatus.Approved;
    }

    /// @dev Below MAX_PROJECTS a fresh code; from there on the code of an existing project, proposed by
    /// either charity: its owner meets ProjectExists, the other charity (a squatter's attempt) gets a
    /// project of its own under the same code (ids are namespaced by charity), up to twice MAX_PROJECTS.
    function _proposeProject(uint256 charitySeed, uint256 target) internal returns (bool ok, bytes32 id) {
        address charity = charities[charitySeed % 2];
        address caller = charitySeed % 10 == 9 ? civilAffairs : charity;
        uint256 n = projectIds.length;
        if (n >= 2 * MAX_PROJECTS) return (false, bytes32(0));
        string memory code = n >= MAX_PROJECTS ? _codes[projectIds[target % n]] : _codeOf(n);
        id = keccak256(abi.encode(charity, keccak256(bytes(code))));
        bytes memory expected;
        if (caller != charity) expected = _managed(caller);
        else if (_projects[id].status != ICharityLedger.ProjectStatus.None) {
            expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerProjectExists.selector, id);
        }
        bytes memory data = abi.encodeCall(
            ledger.proposeProject,
            (code, uint96(bound(target, 0, 1e12)), keccak256(abi.encode("permit", code)), bytes32(target))
        );
        bytes memory ret;
        (ok, ret) = _call(Action.ProposeProject, "proposeProject", caller, data, expected);
        if (!ok) return (ok, id);
        if (abi.decode(ret, (bytes32)) != id) _mismatch("proposeProject returned another id", ret);
        _addProject(id, caller);
        _codes[id] = code;
    }

    function _codeOf(uint256 n) internal pure returns (string memory) {
        return string.concat("P-", vm.toString(n));
    }

    /// @dev Closes a project only while its charity keeps two other approved ones, so that
    /// donations keep flowing.
    function closeProject(uint256 projectSeed, uint256 callerSeed) external {
        bytes32 id = projectIds[projectSeed % projectIds.length];
        GhostProject storage g = _projects[id];
        if (_approvedCount(g.charity) < 3) return;
        address caller = _recordCaller(callerSeed, g.charity);
        bytes memory expected = _charityOrCivilAffairs(id, g.charity, caller);
        if (
            expected.length == 0 &&
            g.status != ICharityLedger.ProjectStatus.Proposed &&
            g.status != ICharityLedger.ProjectStatus.Approved
        ) expected = _wrongStatus(id, g.status);
        (bool ok, ) = _call(
            Action.CloseProject,
            "closeProject",
            caller,
            abi.encodeCall(ledger.closeProject, (id)),
            expected
        );
        if (ok) g.status = ICharityLedger.ProjectStatus.Closed;
    }

    // ---------------------------------------------------------------- donations

    function recordDonation(
        uint256 projectSeed,
        uint256 callerSeed,
        uint256 refSeed,
        uint256 amountSeed,
        uint8 channel
    ) external {
        bytes32 projectId = _pickProject(projectSeed, ICharityLedger.ProjectStatus.Approved);
        address charity = _projects[projectId].charity;
        address caller = _recordCaller(callerSeed, charity);
        uint256 amount = amountSeed % 32 == 31 ? 0 : _amount(amountSeed);
        ICharityLedger.CashDonation memory d = cashOf(
            _pickRef(refSeed, 8),
            amount,
            ICharityLedger.Channel(channel % 5)
        );
        bytes32 id = keccak256(abi.encode(charity, d.refHash));

        bytes memory expected = _receiving(projectId, caller);
        if (expected.length == 0) {
            if (_donations[id].state != ICharityLedger.DonationState.None) {
                expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerDuplicateDonation.selector, id);
            } else if (amount == 0) {
                expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerZeroAmount.selector);
            } else if (amount > LEDGER_MAX) {
                expected = _tooLarge(amount, LEDGER_MAX);
            } else if (_inflow(_projects[projectId]) + amount >= INFLOW_BOUND) {
                expected = _tooLarge(_inflow(_projects[projectId]) + amount, INFLOW_BOUND - 1);
            }
        }
        (bool ok, bytes memory ret) = _call(
            Action.RecordDonation,
            "recordDonation",
            caller,
            abi.encodeCall(ledger.recordDonation, (projectId, d)),
            expected
        );
        if (!ok) return;
        if (abi.decode(ret, (bytes32)) != id) _mismatch("recordDonation returned another id", ret);
        _noteCash(projectId, id, amount);
    }

    /// @dev A batch of 1..12: a quarter of its references repeat an earlier one of the batch, an
    /// eighth one handed out before (recorded or not), the rest are fresh; one amount in 64 is zero.
    function recordDonations(uint256 projectSeed, uint256 callerSeed, uint256 size, uint256 seed) external {
        bytes32 projectId = _pickProject(projectSeed, ICharityLedger.ProjectStatus.Approved);
        address charity = _projects[projectId].charity;
        address caller = _recordCaller(callerSeed, charity);
        ICharityLedger.CashDonation[] memory batch = new ICharityLedger.CashDonation[](bound(size, 1, MAX_BATCH));
        for (uint256 i = 0; i < batch.length; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            bytes32 ref;
            if (r % 8 < 2 && i > 0) ref = batch[(r >> 8) % i].refHash;
            else ref = _pickRef(r >> 16, r % 8 == 2 ? 1 : 0);
            uint256 amount = (r >> 128) % 64 == 0 ? 0 : _amount(r >> 64);
            batch[i] = cashOf(ref, amount, ICharityLedger.Channel((r >> 32) % 5));
        }

        (bytes32[] memory ids, bool[] memory isNew, uint256 count, bytes memory expected) = _batchModel(
            projectId,
            charity,
            caller,
            batch
        );
        (bool ok, bytes memory ret) = _call(
            Action.RecordDonations,
            "recordDonations",
            caller,
            abi.encodeCall(ledger.recordDonations, (projectId, batch)),
            expected
        );
        if (!ok) return;
        if (abi.decode(ret, (uint256)) != count) _mismatch("recordDonations returned another count", ret);
        for (uint256 i = 0; i < batch.length; ++i) if (isNew[i]) _noteCash(projectId, ids[i], batch[i].amount);
    }

    /// @dev The model of a batch: new = not recorded before and not earlier in the batch; a new zero or
    /// extreme amount reverts all; the batch's inflow is checked once, after every record.
    function _batchModel(
        bytes32 projectId,
        address charity,
        address caller,
        ICharityLedger.CashDonation[] memory batch
    ) internal view returns (bytes32[] memory ids, bool[] memory isNew, uint256 count, bytes memory expected) {
        ids = new bytes32[](batch.length);
        isNew = new bool[](batch.length);
        uint256 inflow = _inflow(_projects[projectId]);
        expected = _receiving(projectId, caller);
        for (uint256 i = 0; i < batch.length && expected.length == 0; ++i) {
            ids[i] = keccak256(abi.encode(charity, batch[i].refHash));
            isNew[i] = _donations[ids[i]].state == ICharityLedger.DonationState.None;
            for (uint256 j = 0; j < i && isNew[i]; ++j) isNew[i] = ids[j] != ids[i];
            if (!isNew[i]) continue;
            if (batch[i].amount == 0)
                expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerZeroAmount.selector);
            else if (batch[i].amount > LEDGER_MAX) expected = _tooLarge(batch[i].amount, LEDGER_MAX);
            inflow += batch[i].amount;
            ++count;
        }
        if (expected.length == 0 && inflow >= INFLOW_BOUND) expected = _tooLarge(inflow, INFLOW_BOUND - 1);
    }

    /// @dev One goods reference in eight is one handed out before (cash and goods share the id space).
    function recordGoods(
        uint256 projectSeed,
        uint256 callerSeed,
        uint256 refSeed,
        uint256 quantitySeed,
        uint256 valuation
    ) external {
        bytes32 projectId = _pickProject(projectSeed, ICharityLedger.ProjectStatus.Approved);
        address charity = _projects[projectId].charity;
        address caller = _recordCaller(callerSeed, charity);
        uint256 quantity = quantitySeed % 32 == 31 ? 0 : bound(quantitySeed, 1, MAX_QUANTITY);
        valuation = valuation % 16 == 15 ? _amount(valuation >> 4) : bound(valuation, 0, MAX_AMOUNT);
        ICharityLedger.GoodsDonation memory g = goodsOf(_pickRef(refSeed, 8), quantity, valuation);
        bytes32 id = keccak256(abi.encode(charity, g.refHash));

        bytes memory expected = _receiving(projectId, caller);
        if (expected.length == 0) {
            // A duplicate is reported before a zero quantity, as for cash donations.
            if (_donations[id].state != ICharityLedger.DonationState.None) {
                expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerDuplicateDonation.selector, id);
            } else if (quantity == 0) {
                expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerZeroAmount.selector);
            } else if (valuation > LEDGER_MAX) {
                expected = _tooLarge(valuation, LEDGER_MAX);
            }
        }
        (bool ok, bytes memory ret) = _call(
            Action.RecordGoods,
            "recordGoods",
            caller,
            abi.encodeCall(ledger.recordGoods, (projectId, g)),
            expected
        );
        if (!ok) return;
        if (abi.decode(ret, (bytes32)) != id) _mismatch("recordGoods returned another id", ret);
        _donations[id] = GhostDonation(quantity, projectId, ICharityLedger.DonationState.Recorded, true, valuation);
        lotIds.push(id);
        ghostGoodsValuation += valuation;
    }

    // ---------------------------------------------------------------- goods hand-over

    function dispatchGoods(uint256 lotSeed, uint256 callerSeed, uint256 recipientSeed, uint256 quantitySeed) external {
        if (lotIds.length == 0) return;
        bytes32 lotId = _pickLot(lotSeed);
        address charity = _projects[_donations[lotId].projectId].charity;
        address caller = callerSeed % 10 == 9 ? _otherCharity(charity) : charity;
        address recipient = recipientSeed % 16 == 15 ? stranger : recipients[recipientSeed % 2];
        uint256 remaining = _donations[lotId].amount - ghostDispatched[lotId];
        uint256 quantity =
            remaining == 0 || quantitySeed % 10 == 9
                ? remaining + 1 + ((quantitySeed >> 8) % 2 == 0 ? 0 : quantitySeed % 100)
                : bound(quantitySeed, 1, remaining);

        (bool ok, bytes memory ret) = _call(
            Action.DispatchGoods,
            "dispatchGoods",
            caller,
            _dispatchData(lotId, recipient, quantity),
            _dispatchError(lotId, caller, recipient, quantity)
        );
        if (!ok) return;
        bytes32 id = keccak256(abi.encode(lotId, ghostDispatchCount[lotId]++));
        if (abi.decode(ret, (bytes32)) != id) _mismatch("dispatchGoods returned another id", ret);
        ghostDispatched[lotId] += quantity;
        _dispatches.push(GhostHandover(id, lotId, recipient, quantity, false));
    }

    function _dispatchData(bytes32 lotId, address recipient, uint256 quantity) internal view returns (bytes memory) {
        return
            abi.encodeCall(
                ledger.dispatchGoods,
                (lotId, recipient, uint88(quantity), keccak256(abi.encode("waybill", lotId, quantity)))
            );
    }

    function _dispatchError(
        bytes32 lotId,
        address caller,
        address recipient,
        uint256 quantity
    ) internal view returns (bytes memory) {
        bytes32 projectId = _donations[lotId].projectId;
        address charity = _projects[projectId].charity;
        uint256 remaining = _donations[lotId].amount - ghostDispatched[lotId];
        ICharityLedger.DonationState state = _donations[lotId].state;
        if (state != ICharityLedger.DonationState.Recorded) return _wrongDonationState(lotId, state);
        if (caller != charity) return _notProjectCharity(projectId, caller, charity);
        if (recipient == stranger) return _notRecipient(recipient);
        if (quantity > remaining) {
            return
                abi.encodeWithSelector(
                    ICharityLedger.CharityLedgerInsufficientGoods.selector,
                    lotId,
                    remaining,
                    quantity
                );
        }
        return "";
    }

    function confirmGoodsReceipt(uint256 seed, uint256 callerSeed) external {
        _confirmHandover(_dispatches, true, seed, callerSeed);
    }

    // ---------------------------------------------------------------- money out

    /// @dev Both purposes: bit 4 of the recipient seed picks one.
    function disburse(uint256 projectSeed, uint256 callerSeed, uint256 recipientSeed, uint256 amountSeed) external {
        bytes32 projectId = _pickFunded(projectSeed);
        GhostProject storage g = _projects[projectId];
        address caller = callerSeed % 10 == 9 ? _otherCharity(g.charity) : g.charity;
        address recipient = recipientSeed % 16 == 15 ? stranger : recipients[recipientSeed % 2];
        ICharityLedger.Purpose purpose = ICharityLedger.Purpose((recipientSeed >> 4) % 2);
        uint256 amount = _outAmount(_available(g), amountSeed);

        (bool ok, bytes memory ret) = _call(
            Action.Disburse,
            "disburse",
            caller,
            _disburseData(projectId, recipient, purpose, amount),
            _disburseError(projectId, caller, recipient, amount)
        );
        if (!ok) return;
        bytes32 id = keccak256(abi.encode(projectId, g.outflowCount++));
        if (abi.decode(ret, (bytes32)) != id) _mismatch("disburse returned another id", ret);
        g.disbursed += amount;
        if (purpose == ICharityLedger.Purpose.Programme) g.programme += amount;
        else g.admin += amount;
        _disbursements.push(GhostHandover(id, projectId, recipient, amount, false));
    }

    function _disburseData(
        bytes32 projectId,
        address recipient,
        ICharityLedger.Purpose purpose,
        uint256 amount
    ) internal view returns (bytes memory) {
        bytes32 invoice = keccak256(abi.encode("invoice", projectId, amount));
        return abi.encodeCall(ledger.disburse, (projectId, recipient, purpose, uint88(amount), invoice));
    }

    function _disburseError(
        bytes32 projectId,
        address caller,
        address recipient,
        uint256 amount
    ) internal view returns (bytes memory) {
        GhostProject storage g = _projects[projectId];
        uint256 avail = _available(g);
        if (caller != g.charity) return _notProjectCharity(projectId, caller, g.charity);
        if (recipient == stranger) return _notRecipient(recipient);
        if (amount > avail) return _insufficient(projectId, avail, amount);
        return "";
    }

    function confirmDisbursement(uint256 seed, uint256 callerSeed) external {
        _confirmHandover(_disbursements, false, seed, callerSeed);
    }

    /// @dev From a project holding money, to another approved one of either charity.
    function grant(uint256 fromSeed, uint256 toSeed, uint256 callerSeed, uint256 amountSeed) external {
        bytes32 fromId = _pickFunded(fromSeed);
        bytes32 toId = _pickGrantee(toSeed, fromId);
        address owner = _projects[fromId].charity;
        address caller = callerSeed % 10 == 9 ? _otherCharity(owner) : owner;
        uint256 amount = _outAmount(_available(_projects[fromId]), amountSeed);

        (bool ok, ) = _call(
            Action.Grant,
            "grant",
            caller,
            abi.encodeCall(ledger.grant, (fromId, toId, uint128(amount), keccak256(abi.encode("grant", amountSeed)))),
            _grantError(fromId, toId, caller, amount)
        );
        if (!ok) return;
        _projects[fromId].grantedOut += amount;
        ++_projects[fromId].outflowCount;
        _projects[toId].grantedIn += amount;
        ghostGranted[caller] += amount;
    }

    function _grantError(
        bytes32 fromId,
        bytes32 toId,
        address caller,
        uint256 amount
    ) internal view returns (bytes memory) {
        GhostProject storage from = _projects[fromId];
        GhostProject storage to = _projects[toId];
        uint256 avail = _available(from);
        if (fromId == toId) return abi.encodeWithSelector(ICharityLedger.CharityLedgerSameProject.selector, fromId);
        if (amount > LEDGER_MAX) return _tooLarge(amount, LEDGER_MAX);
        if (caller != from.charity) return _notProjectCharity(fromId, caller, from.charity);
        if (to.status != ICharityLedger.ProjectStatus.Approved) return _wrongStatus(toId, to.status);
        if (amount > avail) return _insufficient(fromId, avail, amount);
        if (_inflow(to) + amount >= INFLOW_BOUND) return _tooLarge(_inflow(to) + amount, INFLOW_BOUND - 1);
        return "";
    }

    // ---------------------------------------------------------------- corrections

    /// @dev One call in sixteen names a goods lot (corrected while none of it is dispatched).
    function proposeReversal(uint256 seed, uint256 callerSeed) external {
        if (cashIds.length == 0) return;
        bytes32 id =
            seed % 16 == 15 && lotIds.length != 0
                ? lotIds[(seed >> 8) % lotIds.length]
                : _pickCash(seed, ICharityLedger.DonationState.Recorded);
        _proposeReversal(id, callerSeed);
    }

    /// @dev When no reversal is proposed, three calls in four have the charity of a recorded donation
    /// propose one first (counted as a proposal), so that approvals are exercised.
    function approveReversal(uint256 seed, uint256 callerSeed) external {
        bytes32 id = _reversalCandidate(seed, callerSeed);
        if (id == bytes32(0)) return;
        GhostDonation storage d = _donations[id];
        GhostProject storage g = _projects[d.projectId];
        address caller = callerSeed % 10 == 9 ? g.charity : civilAffairs;
        bytes memory expected;
        if (caller != civilAffairs) expected = _managed(caller);
        else if (d.state != ICharityLedger.DonationState.ReversalProposed) expected = _wrongDonationState(id, d.state);
        else expected = _usedError(id);
        (bool ok, ) = _call(
            Action.ApproveReversal,
            "approveReversal",
            caller,
            abi.encodeCall(ledger.approveReversal, (id)),
            expected
        );
        if (!ok) return;
        d.state = ICharityLedger.DonationState.Reversed;
        if (d.isGoods) {
            ghostGoodsValuation -= d.inflowBefore;
            return;
        }
        g.reversed += d.amount;
        ++g.outflowCount;
    }

    /// @dev The rule of corrections: refused once an outflow may have used the cash (its range starts
    /// below the project's outflow) or once goods of the lot were dispatched. (An unused donation is
    /// always covered by the balance, so InsufficientBalance cannot follow.)
    function _usedError(bytes32 id) internal view returns (bytes memory) {
        GhostDonation storage d = _donations[id];
        if (d.isGoods) {
            uint256 dispatched = ghostDispatched[id];
            if (dispatched == 0) return "";
            return abi.encodeWithSelector(ICharityLedger.CharityLedgerGoodsDispatched.selector, id, dispatched);
        }
        uint256 outflow = _outflow(_projects[d.projectId]);
        if (d.inflowBefore >= outflow) return "";
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerDonationUsed.selector, id, d.inflowBefore, outflow);
    }

    function rejectReversal(uint256 seed, uint256 callerSeed) external {
        bytes32 id = _reversalCandidate(seed, callerSeed);
        if (id == bytes32(0)) return;
        GhostDonation storage d = _donations[id];
        address caller = callerSeed % 10 == 9 ? _projects[d.projectId].charity : civilAffairs;
        bytes memory expected;
        if (caller != civilAffairs) expected = _managed(caller);
        else if (d.state != ICharityLedger.DonationState.ReversalProposed) expected = _wrongDonationState(id, d.state);
        (bool ok, ) = _call(
            Action.RejectReversal,
            "rejectReversal",
            caller,
            abi.encodeCall(ledger.rejectReversal, (id, bytes32(seed))),
            expected
        );
        if (ok) d.state = ICharityLedger.DonationState.Recorded;
    }

    // ---------------------------------------------------------------- views for the invariants

    function projectCount() external view returns (uint256) {
        return projectIds.length;
    }

    function cashCount() external view returns (uint256) {
        return cashIds.length;
    }

    function lotCount() external view returns (uint256) {
        return lotIds.length;
    }

    function ghostProject(bytes32 projectId) external view returns (GhostProject memory) {
        return _projects[projectId];
    }

    function ghostDonation(bytes32 id) external view returns (GhostDonation memory) {
        return _donations[id];
    }

    function dispatchCount() external view returns (uint256) {
        return _dispatches.length;
    }

    function dispatchAt(uint256 i) external view returns (GhostHandover memory) {
        return _dispatches[i];
    }

    function disbursementCount() external view returns (uint256) {
        return _disbursements.length;
    }

    function disbursementAt(uint256 i) external view returns (GhostHandover memory) {
        return _disbursements[i];
    }

    /// @dev "action ok/calls" for each action, for the success-mix report.
    function summary() external view returns (string memory s) {
        string[ACTIONS] memory names = [
            "proposeProject",
            "approveProject",
            "closeProject",
            "recordDonation",
            "recordDonations",
            "recordGoods",
            "dispatchGoods",
            "confirmGoodsReceipt",
            "disburse",
            "confirmDisbursement",
            "grant",
            "proposeReversal",
            "approveReversal",
            "rejectReversal"
        ];
        for (uint256 i = 0; i < ACTIONS; ++i) {
            s = string.concat(s, names[i], " ", vm.toString(successes[i]), "/", vm.toString(calls[i]), "; ");
        }
    }

    // ---------------------------------------------------------------- model

    function _available(GhostProject storage g) internal view returns (uint256) {
        return _inflow(g) - _outflow(g);
    }

    function _inflow(GhostProject storage g) internal view returns (uint256) {
        return g.received + g.grantedIn;
    }

    function _outflow(GhostProject storage g) internal view returns (uint256) {
        return g.reversed + g.disbursed + g.grantedOut;
    }

    /// @dev Fifteen seeds in sixteen: an ordinary amount (1 fen to ten million yuan); else an extreme
    /// one: the ledger's MAX_AMOUNT exactly, or anything above it up to 2^128 - 1.
    function _amount(uint256 seed) internal pure returns (uint256) {
        if (seed % 16 != 15) return bound(seed, 1, MAX_AMOUNT);
        if ((seed >> 4) % 2 == 0) return LEDGER_MAX;
        return bound(seed >> 5, LEDGER_MAX + 1, type(uint128).max);
    }

    function _tooLarge(uint256 amount, uint256 max) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerAmountTooLarge.selector, amount, max);
    }

    /// @dev The contract's `_receiving` check in order: Approved, then charity or civil affairs.
    function _receiving(bytes32 projectId, address caller) internal view returns (bytes memory) {
        GhostProject storage g = _projects[projectId];
        if (g.status != ICharityLedger.ProjectStatus.Approved) return _wrongStatus(projectId, g.status);
        return _charityOrCivilAffairs(projectId, g.charity, caller);
    }

    /// @dev Every charity of the handler stays active, so the project's charity is always admitted.
    function _charityOrCivilAffairs(
        bytes32 projectId,
        address charity,
        address caller
    ) internal view returns (bytes memory) {
        if (caller == charity || caller == civilAffairs) return "";
        if (caller == charities[0] || caller == charities[1]) return _notProjectCharity(projectId, caller, charity);
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerUnauthorized.selector, caller, Roles.CIVIL_AFFAIRS);
    }

    function _proposeReversal(bytes32 id, uint256 callerSeed) internal {
        GhostDonation storage d = _donations[id];
        address charity = _projects[d.projectId].charity;
        address caller = callerSeed % 10 == 9 ? _otherCharity(charity) : charity;
        bytes memory expected;
        if (d.state != ICharityLedger.DonationState.Recorded) expected = _wrongDonationState(id, d.state);
        else if (caller != charity) expected = _notProjectCharity(d.projectId, caller, charity);
        else expected = _usedError(id);
        (bool ok, ) = _call(
            Action.ProposeReversal,
            "proposeReversal",
            caller,
            abi.encodeCall(ledger.proposeReversal, (id, keccak256(abi.encode("reason", id)))),
            expected
        );
        if (ok) d.state = ICharityLedger.DonationState.ReversalProposed;
    }

    /// @dev A cash donation for approve/reject: a proposed one if any, else (three times in four) a
    /// recorded one that its charity proposes now.
    function _reversalCandidate(uint256 seed, uint256 callerSeed) internal returns (bytes32 id) {
        if (cashIds.length == 0) return bytes32(0);
        id = _pickCash(seed, ICharityLedger.DonationState.ReversalProposed);
        if (_donations[id].state != ICharityLedger.DonationState.ReversalProposed && seed % 4 != 3) {
            id = _pickCash(seed / 4, ICharityLedger.DonationState.Recorded);
            if (_donations[id].state == ICharityLedger.DonationState.Recorded) {
                _proposeReversal(id, callerSeed % 10 == 9 ? 0 : callerSeed);
            }
        }
    }

    /// @dev Nine times in ten within what is available (and at least 1), else beyond it (half of
    /// those by exactly one).
    function _outAmount(uint256 avail, uint256 seed) internal pure returns (uint256) {
        if (avail == 0 || seed % 10 == 9) return avail + 1 + ((seed >> 8) % 2 == 0 ? 0 : seed % 1000);
        return bound(seed, 1, avail);
    }

    function _noteCash(bytes32 projectId, bytes32 id, uint256 amount) internal {
        GhostProject storage g = _projects[projectId];
        _donations[id] = GhostDonation(amount, projectId, ICharityLedger.DonationState.Recorded, false, _inflow(g));
        cashIds.push(id);
        g.received += amount;
        ++g.donationCount;
    }

    function _addProject(bytes32 id, address charity) internal {
        projectIds.push(id);
        _projects[id].charity = charity;
        _projects[id].status = ICharityLedger.ProjectStatus.Proposed;
    }

    /// @dev Three seeds in four: a pending hand-over (if any); the recipient confirms, or one call in
    /// eight the other recipient.
    function _confirmHandover(GhostHandover[] storage list, bool goods, uint256 seed, uint256 callerSeed) internal {
        uint256 n = list.length;
        if (n == 0) return;
        uint256 start = (seed / 4) % n;
        uint256 k = start;
        if (seed % 4 != 3) {
            for (uint256 j = 0; j < n; ++j) {
                if (!list[(start + j) % n].confirmed) {
                    k = (start + j) % n;
                    break;
                }
            }
        }
        GhostHandover storage h = list[k];
        address caller =
            callerSeed % 8 == 7 ? (h.recipient == recipients[0] ? recipients[1] : recipients[0]) : h.recipient;
        bytes memory expected;
        if (caller != h.recipient) {
            expected = abi.encodeWithSelector(
                ICharityLedger.CharityLedgerNotHandoverRecipient.selector,
                h.id,
                caller,
                h.recipient
            );
        } else if (h.confirmed) {
            expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerAlreadyConfirmed.selector, h.id);
        }
        bytes32 receipt = keccak256(abi.encode("receipt", h.id));
        (bool ok, ) = goods
            ? _call(
                Action.ConfirmGoodsReceipt,
                "confirmGoodsReceipt",
                caller,
                abi.encodeCall(ledger.confirmGoodsReceipt, (h.id, receipt)),
                expected
            )
            : _call(
                Action.ConfirmDisbursement,
                "confirmDisbursement",
                caller,
                abi.encodeCall(ledger.confirmDisbursement, (h.id, receipt)),
                expected
            );
        if (ok) h.confirmed = true;
    }

    // ---------------------------------------------------------------- pickers

    /// @dev Seven seeds in eight: the first project from the seed's index on in `wanted` status (if
    /// any); otherwise whichever the index names.
    function _pickProject(uint256 seed, ICharityLedger.ProjectStatus wanted) internal view returns (bytes32) {
        uint256 n = projectIds.length;
        uint256 start = (seed / 8) % n;
        if (seed % 8 != 7) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = projectIds[(start + j) % n];
                if (_projects[id].status == wanted) return id;
            }
        }
        return projectIds[start];
    }

    /// @dev Seven seeds in eight: a project holding money (if any).
    function _pickFunded(uint256 seed) internal view returns (bytes32) {
        uint256 n = projectIds.length;
        uint256 start = (seed / 8) % n;
        if (seed % 8 != 7) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = projectIds[(start + j) % n];
                if (_available(_projects[id]) != 0) return id;
            }
        }
        return projectIds[start];
    }

    /// @dev Fifteen seeds in sixteen: an approved project other than `fromId` (if any).
    function _pickGrantee(uint256 seed, bytes32 fromId) internal view returns (bytes32) {
        uint256 n = projectIds.length;
        uint256 start = (seed / 16) % n;
        if (seed % 16 != 15) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = projectIds[(start + j) % n];
                if (id != fromId && _projects[id].status == ICharityLedger.ProjectStatus.Approved) return id;
            }
        }
        return projectIds[start];
    }

    function _pickLot(uint256 seed) internal view returns (bytes32) {
        uint256 n = lotIds.length;
        uint256 start = (seed / 4) % n;
        if (seed % 4 != 3) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = lotIds[(start + j) % n];
                if (ghostDispatched[id] < _donations[id].amount) return id;
            }
        }
        return lotIds[start];
    }

    function _pickCash(uint256 seed, ICharityLedger.DonationState wanted) internal view returns (bytes32) {
        uint256 n = cashIds.length;
        uint256 start = (seed / 4) % n;
        if (seed % 4 != 3) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = cashIds[(start + j) % n];
                if (_donations[id].state == wanted) return id;
            }
        }
        return cashIds[start];
    }

    /// @dev One seed in `oneIn` reuses a reference handed out before (if any); the rest get a fresh one.
    function _pickRef(uint256 seed, uint256 oneIn) internal returns (bytes32 ref) {
        if (oneIn != 0 && seed % oneIn == oneIn - 1 && _refs.length != 0) return _refs[(seed / oneIn) % _refs.length];
        ref = refOf("ref", _refs.length);
        _refs.push(ref);
    }

    /// @dev Project charity most of the time; civil affairs three in sixteen, the other charity and
    /// a stranger one in sixteen each.
    function _recordCaller(uint256 seed, address charity) internal view returns (address) {
        uint256 r = seed % 16;
        if (r < 3) return civilAffairs;
        if (r == 3) return _otherCharity(charity);
        if (r == 4) return stranger;
        return charity;
    }

    function _approvedCount(address charity) internal view returns (uint256 count) {
        for (uint256 i = 0; i < projectIds.length; ++i) {
            GhostProject storage g = _projects[projectIds[i]];
            if (g.charity == charity && g.status == ICharityLedger.ProjectStatus.Approved) ++count;
        }
    }

    function _otherCharity(address charity) internal view returns (address) {
        return charity == charities[0] ? charities[1] : charities[0];
    }

    // ---------------------------------------------------------------- outcomes

    /// @dev Calls the ledger as `caller` and compares the outcome with the model's `expected` revert
    /// data (empty: success).
    function _call(
        Action action,
        string memory name,
        address caller,
        bytes memory data,
        bytes memory expected
    ) internal returns (bool ok, bytes memory ret) {
        ++calls[uint256(action)];
        if (uint256(keccak256(data)) % 4 == 0) _relay(name, caller, data);
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (ok, ret) = address(ledger).call(data);
        if (ok) {
            ++successes[uint256(action)];
            if (expected.length != 0) _mismatch(string.concat(name, " succeeded against the model"), expected);
        } else if (keccak256(ret) != keccak256(expected)) {
            _mismatch(string.concat(name, " reverted against the model"), ret);
        }
    }

    /// @dev The insider's relay: `caller` asks the manager to make the same call. It must revert, with
    /// the manager's refusal (a caller the manager would not let through) or the ledger's RelayedCall;
    /// a revert changes nothing, so the direct call that follows meets the state the model expects.
    function _relay(string memory name, address caller, bytes memory data) internal {
        ++relays;
        bytes4 selector = bytes4(data);
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = address(manager).call(abi.encodeCall(manager.execute, (address(ledger), data)));
        bytes memory byLedger = abi.encodeWithSelector(
            ICharityLedger.CharityLedgerRelayedCall.selector,
            address(manager),
            selector
        );
        bytes memory byManager = abi.encodeWithSelector(
            IAccessManager.AccessManagerUnauthorizedCall.selector,
            caller,
            address(ledger),
            selector
        );
        if (ok) _mismatch(string.concat(name, " relayed through the manager succeeded"), data);
        else if (keccak256(ret) != keccak256(byLedger) && keccak256(ret) != keccak256(byManager)) {
            _mismatch(string.concat(name, " relayed: unexpected revert"), ret);
        }
    }

    function _mismatch(string memory what, bytes memory data) internal {
        if (mismatches++ == 0) firstMismatch = string.concat(what, ": ", vm.toString(data));
    }

    function _managed(address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, caller);
    }

    function _wrongStatus(bytes32 id, ICharityLedger.ProjectStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerWrongProjectStatus.selector, id, status);
    }

    function _wrongDonationState(bytes32 id, ICharityLedger.DonationState state) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerWrongDonationState.selector, id, state);
    }

    function _notProjectCharity(bytes32 id, address caller, address charity) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerNotProjectCharity.selector, id, caller, charity);
    }

    function _notRecipient(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerNotRecipient.selector, account);
    }

    function _insufficient(bytes32 id, uint256 avail, uint256 amount) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerInsufficientBalance.selector, id, avail, amount);
    }
}

contract CharityLedgerInvariantTest is CharityLedgerFixture {
    CharityLedgerHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new CharityLedgerHandler(
            ledger,
            civilAffairs,
            [charityA, charityB],
            [recipient1, recipient2],
            stranger
        );
        // The handler's own projects: two approved ones per charity.
        for (uint256 i = 0; i < 4; ++i) handler.seedProject(i % 2);

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](14);
        selectors[0] = CharityLedgerHandler.proposeProject.selector;
        selectors[1] = CharityLedgerHandler.approveProject.selector;
        selectors[2] = CharityLedgerHandler.closeProject.selector;
        selectors[3] = CharityLedgerHandler.recordDonation.selector;
        selectors[4] = CharityLedgerHandler.recordDonations.selector;
        selectors[5] = CharityLedgerHandler.recordGoods.selector;
        selectors[6] = CharityLedgerHandler.dispatchGoods.selector;
        selectors[7] = CharityLedgerHandler.confirmGoodsReceipt.selector;
        selectors[8] = CharityLedgerHandler.disburse.selector;
        selectors[9] = CharityLedgerHandler.confirmDisbursement.selector;
        selectors[10] = CharityLedgerHandler.grant.selector;
        selectors[11] = CharityLedgerHandler.proposeReversal.selector;
        selectors[12] = CharityLedgerHandler.approveReversal.selector;
        selectors[13] = CharityLedgerHandler.rejectReversal.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// One campaign checks every rule below after every call. (A campaign per rule made the fuzzer repeat
    /// the same handler calls once per rule: 5 times the work for the same sequences.)
    function invariant_everyRule() public view {
        _checkOutcomesMatchModel();
        ICharityLedger.Totals memory t = ledger.totals();
        uint256 counted = _checkProjects(t);
        _checkGoodsConserved(t);
        _checkNoDoubleRecord(t, counted);
    }

    /// Every project read once from the ledger and once from the model (almost all of a campaign's time
    /// is this check), for two rules:
    /// - conservation: for every project, received - reversed - disbursed - grantedOut + grantedIn =
    ///   available >= 0 (grants from the ghost model, the rest as stored), available == inflow - outflow,
    ///   and the stored counters equal the ghost model's;
    /// - per charity, received = sum of its projects' received and programmeSpent + adminSpent = sum of
    ///   their disbursed (each purpose as the model saw it; granted as the model saw it); the totals equal
    ///   the sums over the charities (reversed: over the projects).
    /// Returns the sum of the projects' donation counts.
    function _checkProjects(ICharityLedger.Totals memory t) internal view returns (uint256 counted) {
        uint256 n = handler.projectCount();
        assertEq(t.projectCount, n + 3, "project count (fixture's three and the handler's)");
        address[2] memory charities = [handler.charities(0), handler.charities(1)];
        uint256[4][2] memory sums; // per charity: received, disbursed, programme, admin
        uint256 reversed = 0;
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.projectIds(i);
            ICharityLedger.Project memory p = ledger.project(id);
            CharityLedgerHandler.GhostProject memory g = handler.ghostProject(id);
            _checkProjectConserves(id, p, g);
            counted += p.donationCount;
            for (uint256 c = 0; c < 2; ++c) {
                if (p.charity != charities[c]) continue;
                sums[c][0] += p.received;
                sums[c][1] += p.disbursed;
                sums[c][2] += g.programme;
                sums[c][3] += g.admin;
                reversed += p.reversed;
            }
        }
        uint256[3] memory all; // received, programme, admin
        for (uint256 c = 0; c < 2; ++c) {
            ICharityLedger.CharityStats memory s = ledger.charityStats(charities[c]);
            assertEq(s.received, sums[c][0], "charity received = sum of projects' received");
            assertEq(s.programmeSpent + s.adminSpent, sums[c][1], "charity spent = sum of projects' disbursed");
            assertEq(s.programmeSpent, sums[c][2], "programme spending");
            assertEq(s.adminSpent, sums[c][3], "administrative spending");
            assertEq(s.granted, handler.ghostGranted(charities[c]), "granted");
            all[0] += s.received;
            all[1] += s.programmeSpent;
            all[2] += s.adminSpent;
        }
        assertEq(t.received, all[0], "totals received");
        assertEq(t.programmeSpent, all[1], "totals programme");
        assertEq(t.adminSpent, all[2], "totals administrative");
        assertEq(t.reversed, reversed, "totals reversed");
    }

    function _checkProjectConserves(
        bytes32 id,
        ICharityLedger.Project memory p,
        CharityLedgerHandler.GhostProject memory g
    ) internal view {
        assertGe(p.inflow, p.outflow, "inflow >= outflow");
        assertLt(p.inflow, 2 ** 80, "a project's inflow stays below 2^80");
        uint256 avail = ledger.available(id);
        assertEq(avail, p.inflow - p.outflow, "available = inflow - outflow");
        int256 balance =
            int256(uint256(p.received)) -
                int256(uint256(p.reversed)) -
                int256(uint256(p.disbursed)) -
                int256(g.grantedOut) +
                int256(g.grantedIn);
        assertGe(balance, 0, "balance never negative");
        assertEq(uint256(balance), avail, "received - reversed - disbursed - grantedOut + grantedIn = available");
        assertEq(p.inflow, p.received + g.grantedIn, "inflow = received + granted in");
        assertEq(p.outflow, p.disbursed + p.reversed + g.grantedOut, "outflow = disbursed + reversed + granted out");

        assertEq(p.charity, g.charity, "ghost charity");
        assertEq(uint8(p.status), uint8(g.status), "ghost status");
        assertEq(p.received, g.received, "ghost received");
        assertEq(p.disbursed, g.disbursed, "ghost disbursed");
        assertEq(p.reversed, g.reversed, "ghost reversed");
        assertEq(p.donationCount, g.donationCount, "ghost donation count");
        assertEq(p.outflowCount, g.outflowCount, "ghost outflow count");
        assertEq(ledger.projectIdAt(p.seq), id, "seq maps back");
    }

    /// Rule: per lot, dispatched <= quantity, dispatched equals the ghost sum of successful dispatches and
    /// the sum of the stored dispatch records; goods valuation totals what was recorded. (Each dispatch
    /// record is read once and added to its lot's sum.)
    function _checkGoodsConserved(ICharityLedger.Totals memory t) internal view {
        uint256 lots = handler.lotCount();
        bytes32[] memory lotIds = new bytes32[](lots);
        for (uint256 i = 0; i < lots; ++i) lotIds[i] = handler.lotIds(i);
        uint256[] memory sums = new uint256[](lots);
        uint256 dispatches = handler.dispatchCount();
        for (uint256 j = 0; j < dispatches; ++j) {
            CharityLedgerHandler.GhostHandover memory h = handler.dispatchAt(j);
            for (uint256 i = 0; i < lots; ++i) {
                if (h.source != lotIds[i]) continue;
                ICharityLedger.Handover memory record = ledger.dispatch(h.id);
                assertEq(record.recipient, h.recipient, "dispatch recipient");
                assertEq(record.amount, h.amount, "dispatch quantity");
                sums[i] += record.amount;
            }
        }
        for (uint256 i = 0; i < lots; ++i) {
            bytes32 lotId = lotIds[i];
            ICharityLedger.Lot memory goodsLot = ledger.lot(lotId);
            assertLe(goodsLot.dispatched, goodsLot.quantity, "dispatched <= quantity");
            assertEq(goodsLot.dispatched, handler.ghostDispatched(lotId), "dispatched = ghost sum of dispatches");
            assertEq(goodsLot.quantity, handler.ghostDonation(lotId).amount, "quantity as first recorded");
            assertEq(goodsLot.dispatchCount, handler.ghostDispatchCount(lotId), "dispatch count");
            assertEq(goodsLot.valuation, handler.ghostDonation(lotId).inflowBefore, "lot valuation");
            assertEq(sums[i], goodsLot.dispatched, "dispatch records add up to dispatched");
            ICharityLedger.Donation memory d = ledger.donation(lotId);
            assertTrue(d.isGoods, "lot is goods");
            assertEq(d.amount, goodsLot.quantity, "lot record amount");
        }
        assertEq(t.goodsValuation, handler.ghostGoodsValuation(), "goods valuation");
    }

    /// Rule: the distinct new cash ids the model saw are exactly totals().donationCount (a repeated
    /// reference never counts twice), each keeps the amount it was first recorded with, and its state
    /// follows the reversals; the projects' donation counts (`counted`) add up to them.
    function _checkNoDoubleRecord(ICharityLedger.Totals memory t, uint256 counted) internal view {
        uint256 n = handler.cashCount();
        assertEq(t.donationCount, n, "distinct new ids = donationCount");
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.cashIds(i);
            ICharityLedger.Donation memory d = ledger.donation(id);
            CharityLedgerHandler.GhostDonation memory g = handler.ghostDonation(id);
            assertEq(d.amount, g.amount, "amount of the first record");
            assertEq(d.inflowBefore, g.inflowBefore, "where its first-in first-out range starts");
            assertFalse(d.isGoods, "cash");
            assertEq(uint8(d.state), uint8(g.state), "donation state");
            assertEq(ledger.projectIdAt(d.projectSeq), g.projectId, "donation project");
        }
        assertEq(counted, n, "projects' donation counts add up");
    }

    /// Rule: every call succeeded or failed, with the exact error and return value, as the model predicts.
    function _checkOutcomesMatchModel() internal view {
        assertEq(handler.mismatches(), 0, handler.firstMismatch());
    }
}
