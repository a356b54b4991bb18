// SPDX-License-Identifier: Apache-2.0
// An insider holding one organisation's key attacks the charity ledger; each test performs the
// attack and expects the refusal (issue "Close the holes an insider can use").
// solhint-disable func-name-mixedcase, one-contract-per-file, gas-small-strings, gas-increment-by-one
pragma solidity ^0.8.24;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {ICharityLedger} from "../../contracts/interfaces/ICharityLedger.sol";
import {CharityLedgerFixture, cashOf, goodsOf, refOf} from "../utils/CharityLedgerFixture.sol";

contract CharityLedgerAttackTest is CharityLedgerFixture {
    uint256 internal constant MAX = 2 ** 48 - 1;

    function _relayed(bytes4 selector) internal view returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerRelayedCall.selector, address(manager), selector);
    }

    /// @dev `by` asks the manager to make the call `data` to the ledger.
    function _relay(address by, bytes memory data) internal {
        vm.prank(by);
        manager.execute(address(ledger), data);
    }

    function _tooLarge(uint256 amount, uint256 max) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerAmountTooLarge.selector, amount, max);
    }

    // ---------------------------------------------------------------- relayed calls hide the actor

    /// A charity relays proposeProject through the manager: before, the manager owned the project and
    /// any other charity could then relay `disburse` and spend from it.
    function test_relay_proposeProject_isRefused() public {
        bytes memory data = abi.encodeCall(ledger.proposeProject, ("RELAYED", 1e8, bytes32("permit"), bytes32(0)));
        vm.expectRevert(_relayed(ICharityLedger.proposeProject.selector));
        _relay(charityA, data);
        bytes32 asManager = ledger.projectIdOf(address(manager), "RELAYED");
        assertEq(uint8(ledger.project(asManager).status), uint8(ICharityLedger.ProjectStatus.None));
        // The direct call names the charity.
        vm.prank(charityA);
        bytes32 id = ledger.proposeProject("RELAYED", 1e8, bytes32("permit"), bytes32(0));
        assertEq(ledger.project(id).charity, charityA);
    }

    /// Civil affairs relays approveProject: the approver would be hidden behind the manager.
    function test_relay_approveProject_isRefused() public {
        bytes32 id = _propose("TO-APPROVE", charityA);
        vm.expectRevert(_relayed(ICharityLedger.approveProject.selector));
        _relay(civilAffairs, abi.encodeCall(ledger.approveProject, (id)));
        assertEq(uint8(ledger.project(id).status), uint8(ICharityLedger.ProjectStatus.Proposed));
    }

    /// A charity relays disburse from its own project: the payer would be the manager.
    function test_relay_disburse_isRefused() public {
        _record(PROJECT_A, charityA, refOf("bank", 1), 1_000);
        bytes memory data = abi.encodeCall(
            ledger.disburse,
            (PROJECT_A, recipient1, ICharityLedger.Purpose.Programme, 500, bytes32("invoice"))
        );
        vm.expectRevert(_relayed(ICharityLedger.disburse.selector));
        _relay(charityA, data);
        assertEq(ledger.available(PROJECT_A), 1_000);
    }

    /// Any caller relays the PUBLIC recordDonation: the recorder would be the manager.
    function test_relay_recordDonation_isRefused() public {
        bytes memory data = abi.encodeCall(
            ledger.recordDonation,
            (PROJECT_A, cashOf(refOf("bank", 1), 100, ICharityLedger.Channel.Bank))
        );
        for (uint256 i = 0; i < 3; ++i) {
            address by = [charityA, civilAffairs, stranger][i];
            vm.expectRevert(_relayed(ICharityLedger.recordDonation.selector));
            _relay(by, data);
        }
        assertEq(ledger.totals().donationCount, 0);
    }

    /// Civil affairs relays a reversal's approval and a statistics report: the approver and the
    /// publisher would be hidden.
    function test_relay_reversalAndStatistics_isRefused() public {
        bytes32 id = _record(PROJECT_A, charityA, refOf("bank", 1), 1_000);
        vm.prank(charityA);
        ledger.proposeReversal(id, bytes32("typo"));
        vm.expectRevert(_relayed(ICharityLedger.approveReversal.selector));
        _relay(civilAffairs, abi.encodeCall(ledger.approveReversal, (id)));
        vm.expectRevert(_relayed(ICharityLedger.publishStatistics.selector));
        _relay(civilAffairs, abi.encodeCall(ledger.publishStatistics, (bytes32("2026-Q3"), bytes32("report"))));
        assertEq(uint8(ledger.donation(id).state), uint8(ICharityLedger.DonationState.ReversalProposed));
    }

    /// Whoever relays, and whatever function: a caller the manager would not let through is refused
    /// by the manager, every other by the ledger; nothing is recorded either way.
    function testFuzz_relay_anyFunction_isRefused(uint256 callerSeed, uint256 fnSeed) public {
        address by = [charityA, charityB, civilAffairs, recipient1, stranger][callerSeed % 5];
        bytes[6] memory calls = [
            abi.encodeCall(ledger.proposeProject, ("P", 1, bytes32(0), bytes32(0))),
            abi.encodeCall(ledger.approveProject, (PROJECT_A)),
            abi.encodeCall(ledger.closeProject, (PROJECT_A)),
            abi.encodeCall(ledger.recordGoods, (PROJECT_A, goodsOf(refOf("goods", 1), 1, 1))),
            abi.encodeCall(ledger.grant, (PROJECT_A, PROJECT_B, 1, bytes32(0))),
            abi.encodeCall(ledger.confirmDisbursement, (bytes32(0), bytes32(0)))
        ];
        bytes memory data = calls[fnSeed % calls.length];
        bytes4 selector = bytes4(data);
        (bool allowed, ) = manager.canCall(by, address(ledger), selector);
        if (allowed) vm.expectRevert(_relayed(selector));
        else {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAccessManager.AccessManagerUnauthorizedCall.selector,
                    by,
                    address(ledger),
                    selector
                )
            );
        }
        _relay(by, data);
    }

    // ---------------------------------------------------------------- squatting project codes

    /// Charity B proposes charity A's code first (squatting it, or front-running A's proposal): before,
    /// A's proposal was refused (ProjectExists) for good. Codes are namespaced by charity: A gets its own
    /// project under its code, and B's stays B's.
    function test_projectCodeSquatting_isRefused() public {
        bytes32 squatted = _propose("JM-FLOOD-2026", charityB);
        bytes32 own = _open("JM-FLOOD-2026", charityA);
        assertTrue(own != squatted);
        assertEq(own, ledger.projectIdOf(charityA, "JM-FLOOD-2026"));
        assertEq(ledger.project(own).charity, charityA);
        assertEq(ledger.project(squatted).charity, charityB);
        // A's own code again is a duplicate, of A's project only.
        vm.expectRevert(abi.encodeWithSelector(ICharityLedger.CharityLedgerProjectExists.selector, own));
        _propose("JM-FLOOD-2026", charityA);
    }

    /// A code is 1 to 64 bytes: an empty or overlong one is refused with its length.
    function testFuzz_proposeProject_codeLength(uint256 length) public {
        length = bound(length, 0, 200);
        bytes memory code = new bytes(length);
        for (uint256 i = 0; i < length; ++i) code[i] = "X";
        if (length == 0 || length > 64) {
            vm.expectRevert(abi.encodeWithSelector(ICharityLedger.CharityLedgerInvalidCode.selector, length));
        }
        _propose(string(code), charityA);
    }

    // ---------------------------------------------------------------- counter overflow halts everyone

    /// A charity records one donation of 2^128 - 1 - totals.received: before, every later donation of
    /// every charity panicked (0x11) on the aggregate counters.
    function test_counterOverflow_recordDonation_isRefused() public {
        _record(PROJECT_B, charityB, refOf("bank", 1), 1_000);
        uint256 attack = type(uint128).max - ledger.totals().received;
        vm.expectRevert(_tooLarge(attack, MAX));
        _record(PROJECT_A, charityA, refOf("bank", 2), attack);
        // The largest accepted record does not stop anyone: charity B and civil affairs record on.
        _record(PROJECT_A, charityA, refOf("bank", 3), MAX);
        _record(PROJECT_B, charityB, refOf("bank", 4), MAX);
        _record(PROJECT_B, civilAffairs, refOf("bank", 5), 1);
        assertEq(ledger.totals().received, 1_000 + 2 * MAX + 1);
    }

    /// The same attack with a batch: one extreme element refuses the whole batch.
    function test_counterOverflow_recordDonations_isRefused() public {
        ICharityLedger.CashDonation[] memory batch = new ICharityLedger.CashDonation[](2);
        batch[0] = cashOf(refOf("bank", 1), 100, ICharityLedger.Channel.Bank);
        batch[1] = cashOf(refOf("bank", 2), type(uint128).max - 100, ICharityLedger.Channel.Bank);
        vm.expectRevert(_tooLarge(type(uint128).max - 100, MAX));
        vm.prank(charityA);
        ledger.recordDonations(PROJECT_A, batch);
        assertEq(ledger.totals().received, 0);
    }

    /// One goods lot valued 2^128 - 1: before, every later goods donation panicked.
    function test_counterOverflow_goodsValuation_isRefused() public {
        vm.expectRevert(_tooLarge(type(uint128).max, MAX));
        vm.prank(charityA);
        ledger.recordGoods(PROJECT_A, goodsOf(refOf("goods", 1), 1, type(uint128).max));
        vm.prank(charityA);
        ledger.recordGoods(PROJECT_A, goodsOf(refOf("goods", 2), 1, MAX));
        vm.prank(charityB);
        ledger.recordGoods(PROJECT_B, goodsOf(refOf("goods", 3), 1, MAX));
        assertEq(ledger.totals().goodsValuation, 2 * MAX);
    }

    /// A grant cannot carry more than a record either (it would let money circle to the bound).
    function test_counterOverflow_grant_isRefused() public {
        _record(PROJECT_A, charityA, refOf("bank", 1), MAX);
        _record(PROJECT_A, charityA, refOf("bank", 2), MAX);
        vm.expectRevert(_tooLarge(2 * MAX, MAX));
        _grant(PROJECT_A, PROJECT_B, charityA, 2 * MAX);
        _grant(PROJECT_A, PROJECT_B, charityA, MAX);
        assertEq(ledger.available(PROJECT_B), MAX);
    }

    /// Whatever amounts one charity records, the other charity and civil affairs can still record the
    /// largest donation afterwards: no accepted sequence overflows a counter.
    function testFuzz_extremeAmounts_neverHaltOthers(uint256[4] memory amounts) public {
        for (uint256 i = 0; i < amounts.length; ++i) {
            uint256 amount = bound(amounts[i], 1, type(uint128).max);
            vm.prank(charityA);
            if (amount > MAX) vm.expectRevert(_tooLarge(amount, MAX));
            ledger.recordDonation(PROJECT_A, cashOf(refOf("attack", i), amount, ICharityLedger.Channel.Bank));
        }
        _record(PROJECT_B, charityB, refOf("victim", 1), MAX);
        _record(PROJECT_B, civilAffairs, refOf("victim", 2), MAX);
        assertEq(ledger.available(PROJECT_B), 2 * MAX);
    }

    // ---------------------------------------------------------------- a reversal blames other donors

    /// D1 = 100, D2 = 50, 120 disbursed, D2 reversed: before, the reversal was taken first-in first-out
    /// from D1 (its donor was told 0.50 was returned by a correction) while D2 showed as paid to the
    /// hospital. A reversal now takes back only a donation no outflow can have used.
    function test_reversalOfUsedDonation_isRefused() public {
        _record(PROJECT_A, charityA, refOf("bank", 1), 100);
        bytes32 d2 = _record(PROJECT_A, charityA, refOf("bank", 2), 50);
        _disburse(PROJECT_A, charityA, recipient1, ICharityLedger.Purpose.Programme, 120);
        vm.expectRevert(
            abi.encodeWithSelector(ICharityLedger.CharityLedgerDonationUsed.selector, d2, uint256(100), uint256(120))
        );
        vm.prank(charityA);
        ledger.proposeReversal(d2, bytes32("reason"));
    }

    /// A donation nothing has reached yet is reversed with its own money: the event says which range.
    function test_reversalOfUnusedDonation_takesItsOwnRange() public {
        _record(PROJECT_A, charityA, refOf("bank", 1), 100);
        bytes32 d2 = _record(PROJECT_A, charityA, refOf("bank", 2), 50);
        _disburse(PROJECT_A, charityA, recipient1, ICharityLedger.Purpose.Programme, 80);
        vm.prank(charityA);
        ledger.proposeReversal(d2, bytes32("reason"));
        vm.expectEmit(address(ledger));
        emit ICharityLedger.DonationReversed(d2, PROJECT_A, civilAffairs, 50, 100, 130);
        vm.prank(civilAffairs);
        ledger.approveReversal(d2);
    }

    // ---------------------------------------------------------------- goods have a correction path

    /// A goods donation recorded in error is corrected (co-signed) while still in the warehouse, and
    /// its valuation leaves the totals; once some of it left, the correction is refused.
    function test_goodsCorrection_beforeDispatch() public {
        bytes32 lot = _recordGoods(PROJECT_A, charityA, refOf("goods", 1), 10);
        vm.prank(charityA);
        ledger.proposeReversal(lot, bytes32("counted twice"));
        vm.expectEmit(address(ledger));
        emit ICharityLedger.GoodsReversed(lot, PROJECT_A, civilAffairs, 10, 1_000);
        vm.prank(civilAffairs);
        ledger.approveReversal(lot);
        assertEq(ledger.totals().goodsValuation, 0);

        bytes32 shipped = _recordGoods(PROJECT_A, charityA, refOf("goods", 2), 10);
        vm.prank(charityA);
        ledger.dispatchGoods(shipped, recipient1, 4, bytes32("waybill"));
        vm.expectRevert(
            abi.encodeWithSelector(ICharityLedger.CharityLedgerGoodsDispatched.selector, shipped, uint256(4))
        );
        vm.prank(charityA);
        ledger.proposeReversal(shipped, bytes32("counted twice"));
    }
}
