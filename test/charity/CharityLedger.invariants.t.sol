// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {ICharityLedger} from "../../contracts/interfaces/ICharityLedger.sol";
import {CharityLedgerHandler} from "../handlers/CharityLedgerHandler.sol";
import {CharityLedgerFixture} from "../utils/CharityLedgerFixture.sol";

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
