// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {Vm} from "forge-std/Vm.sol";

import {ICharityLedger} from "../../contracts/interfaces/ICharityLedger.sol";
import {CharityLedgerFixture, MAX_TEST_AMOUNT, cashOf, refOf} from "../utils/CharityLedgerFixture.sol";

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
        // Each CashDonation is 6 words (refHash, amount, donorCommitment, channel, evidenceHash, receivedOn).
        _setWord(many, 4 + 32 * 3 + 32 * 6 * position + 32 * 3, badChannel);
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
            (, uint256 amount, , , , uint256 inflowAfter, ) = abi.decode(
                logs[i].data,
                (bytes32, uint256, bytes32, ICharityLedger.Channel, bytes32, uint256, uint32)
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
