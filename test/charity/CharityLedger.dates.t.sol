// SPDX-License-Identifier: Apache-2.0
// A cash donation carries its business date, the day the charity received it (issue 20: monthly charts
// by the receipt date, not the block's).
// solhint-disable func-name-mixedcase
pragma solidity ^0.8.24;

import {ICharityLedger} from "../../contracts/interfaces/ICharityLedger.sol";
import {CharityLedgerFixture, cashOf, refOf} from "../utils/CharityLedgerFixture.sol";

contract CharityLedgerDatesTest is CharityLedgerFixture {
    /// 2026-12-07 12:00 UTC
    uint256 internal constant NOW = 1_796_644_800;
    uint32 internal constant TODAY = uint32(NOW / 1 days);

    function setUp() public override {
        super.setUp();
        vm.warp(NOW);
    }

    function _dated(uint256 i, uint32 receivedOn) internal pure returns (ICharityLedger.CashDonation memory d) {
        d = cashOf(refOf("bank", i), 1_000, ICharityLedger.Channel.Bank);
        d.receivedOn = receivedOn;
    }

    function test_recordDonation_emitsItsReceiptDate() public {
        ICharityLedger.CashDonation memory d = _dated(1, TODAY - 150);
        bytes32 id = ledger.donationId(charityA, d.refHash);
        vm.expectEmit(address(ledger));
        emit ICharityLedger.DonationRecorded(
            id,
            PROJECT_A,
            charityA,
            d.refHash,
            1_000,
            d.donorCommitment,
            d.channel,
            d.evidenceHash,
            1_000,
            TODAY - 150
        );
        vm.prank(charityA);
        ledger.recordDonation(PROJECT_A, d);
    }

    function test_recordDonations_emitsEachReceiptDate() public {
        ICharityLedger.CashDonation[] memory batch = new ICharityLedger.CashDonation[](2);
        batch[0] = _dated(1, TODAY - 30);
        batch[1] = _dated(2, 0); // not stated
        vm.expectEmit(address(ledger));
        emit ICharityLedger.DonationRecorded(
            ledger.donationId(charityA, batch[0].refHash),
            PROJECT_A,
            charityA,
            batch[0].refHash,
            1_000,
            batch[0].donorCommitment,
            batch[0].channel,
            batch[0].evidenceHash,
            1_000,
            TODAY - 30
        );
        vm.expectEmit(address(ledger));
        emit ICharityLedger.DonationRecorded(
            ledger.donationId(charityA, batch[1].refHash),
            PROJECT_A,
            charityA,
            batch[1].refHash,
            1_000,
            batch[1].donorCommitment,
            batch[1].channel,
            batch[1].evidenceHash,
            2_000,
            0
        );
        vm.prank(charityA);
        ledger.recordDonations(PROJECT_A, batch);
    }

    /// Tomorrow is accepted (a receipt dated in Beijing before midnight UTC); the day after is refused.
    function test_recordDonation_rejectsAReceiptDatedInTheFuture() public {
        vm.prank(charityA);
        ledger.recordDonation(PROJECT_A, _dated(1, TODAY + 1));
        vm.expectRevert(
            abi.encodeWithSelector(ICharityLedger.CharityLedgerFutureDate.selector, TODAY + 2, uint256(TODAY) + 1)
        );
        vm.prank(charityA);
        ledger.recordDonation(PROJECT_A, _dated(2, TODAY + 2));
    }

    function test_recordDonations_rejectsABatchWithAFutureDate() public {
        ICharityLedger.CashDonation[] memory batch = new ICharityLedger.CashDonation[](2);
        batch[0] = _dated(1, TODAY);
        batch[1] = _dated(2, TODAY + 400);
        vm.expectRevert(
            abi.encodeWithSelector(ICharityLedger.CharityLedgerFutureDate.selector, TODAY + 400, uint256(TODAY) + 1)
        );
        vm.prank(charityA);
        ledger.recordDonations(PROJECT_A, batch);
        assertEq(ledger.project(PROJECT_A).donationCount, 0);
    }
}
