// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<attack>_isRefused`); gas hints do not apply to test code.
// solhint-disable func-name-mixedcase, gas-small-strings
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {ITraceLedger} from "../../contracts/interfaces/ITraceLedger.sol";
import {TraceLedgerFixture, KGM, H87, subLotOf} from "../utils/TraceLedgerFixture.sol";

/// Attacks by an insider holding one organisation's key (issue 16, traceability items), each refused
/// with a custom error naming the values.
contract TraceLedgerAttacksTest is TraceLedgerFixture {
    // ---------------------------------------------------------------- relays through the manager

    /// Before the fix the certificate named the manager and the batch sold on an unattributable pass.
    function test_relay_certify_isRefused() public {
        bytes32 id = _commission(producerB, MILK, 100);
        bytes memory data = abi.encodeCall(trace.certify, (id, true, uint64(block.timestamp + 1 days), "report"));
        vm.expectRevert(_errRelayed(ITraceLedger.certify.selector));
        vm.prank(inspector);
        manager.execute(address(trace), data);
        assertEq(uint8(trace.batch(id).cert), uint8(ITraceLedger.CertResult.None));
        assertFalse(trace.isSellable(id));
    }

    function test_relay_recall_isRefused() public {
        bytes32 id = _commission(producerA, APPLE, 100);
        bytes memory data = abi.encodeCall(trace.recall, (id, keccak256("notice")));
        vm.expectRevert(_errRelayed(ITraceLedger.recall.selector));
        vm.prank(marketRegulator);
        manager.execute(address(trace), data);
        assertEq(trace.recallCount(), 0);
    }

    function test_relay_correctProductAndReinspection_areRefused() public {
        bytes32 id = _commission(producerB, MILK, 100);
        _certify(id, false, 0);
        vm.startPrank(marketRegulator);
        vm.expectRevert(_errRelayed(ITraceLedger.correctProduct.selector));
        manager.execute(
            address(trace),
            abi.encodeCall(trace.correctProduct, (MILK, ITraceLedger.Category.Drug, producerA, "decision"))
        );
        vm.expectRevert(_errRelayed(ITraceLedger.allowReinspection.selector));
        manager.execute(address(trace), abi.encodeCall(trace.allowReinspection, (id, "decision")));
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- item 7: the inspection gate

    /// A pass on the raw material made a transformed Food output sellable uninspected.
    function test_transformInheritsPass_isRefused() public {
        bytes32 peel = _commission(producerA, PEEL, 1000);
        _certify(peel, true, block.timestamp + 30 days);
        bytes32 chenpi = _transform(producerA, _one(peel), CHENPI, 200_000, 0);
        assertEq(uint8(trace.batch(chenpi).cert), uint8(ITraceLedger.CertResult.None), "no inherited pass");
        _handOver(chenpi, producerA, retailerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotInspected.selector, chenpi));
        vm.prank(retailerA);
        trace.sell(chenpi, _ctx());
        // Its own pass covers it; a failed input still fails an output.
        _certify(chenpi, true, block.timestamp + 10 days);
        assertTrue(trace.isSellable(chenpi));
        bytes32 bad = _commission(producerA, PEEL, 1000);
        _certify(bad, false, 0);
        bytes32 out = _transform(producerA, _one(bad), CHENPI, 200_000, 0);
        assertEq(uint8(trace.batch(out).cert), uint8(ITraceLedger.CertResult.Failed));
    }

    /// Milk registered as Agricultural sold uninspected and nobody could correct it.
    function test_misdeclaredCategory_isCorrectedByRegulator() public {
        bytes32 code = "MILK-FRESH";
        vm.prank(producerB);
        trace.registerProduct(code, ITraceLedger.Category.Agricultural, producerB, false, keccak256("milk"));
        bytes32 id = _commission(producerB, code, 100);
        assertTrue(trace.isSellable(id), "sellable uninspected before the correction");
        vm.expectRevert(_errManaged(producerB));
        vm.prank(producerB);
        trace.correctProduct(code, ITraceLedger.Category.Agricultural, producerB, "self");
        vm.expectEmit(address(trace));
        emit ITraceLedger.ProductCorrected(
            code,
            producerB,
            marketRegulator,
            ITraceLedger.Category.Food,
            producerB,
            ITraceLedger.Category.Agricultural,
            keccak256("decision")
        );
        vm.prank(marketRegulator);
        trace.correctProduct(code, ITraceLedger.Category.Food, producerB, keccak256("decision"));
        assertFalse(trace.isSellable(id), "food needs a pass");
        _handOver(id, producerB, retailerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotInspected.selector, id));
        vm.prank(retailerA);
        trace.sell(id, _ctx());
        vm.startPrank(marketRegulator);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITraceLedger.TraceLedgerNothingToCorrect.selector,
                code,
                ITraceLedger.Category.Food,
                producerB
            )
        );
        trace.correctProduct(code, ITraceLedger.Category.Food, producerB, keccak256("again"));
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotProducer.selector, stranger));
        trace.correctProduct(code, ITraceLedger.Category.Food, stranger, keccak256("decision"));
        vm.expectRevert(ITraceLedger.TraceLedgerZeroHash.selector);
        trace.correctProduct(code, ITraceLedger.Category.Drug, producerB, bytes32(0));
        vm.stopPrank();
    }

    /// Producer B squats producer A's GTIN; the regulator gives it to its owner.
    function test_productCodeSquatting_isCorrectedByRegulator() public {
        bytes32 gtin = "06901234567892";
        vm.prank(producerB);
        trace.registerProduct(gtin, ITraceLedger.Category.Food, producerB, false, keccak256("squat"));
        ITraceLedger.Commission memory c = ITraceLedger.Commission(gtin, "A-1", 100, KGM, 0);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerNotProductProducer.selector, gtin, producerA, producerB)
        );
        vm.prank(producerA);
        trace.commissionBatch(c, _ctx());
        vm.prank(marketRegulator);
        trace.correctProduct(gtin, ITraceLedger.Category.Food, producerA, keccak256("GS1 licence"));
        assertEq(trace.product(gtin).producer, producerA);
        vm.prank(producerA);
        trace.commissionBatch(c, _ctx());
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerNotProductProducer.selector, gtin, producerB, producerA)
        );
        vm.prank(producerB);
        trace.commissionBatch(ITraceLedger.Commission(gtin, "B-1", 100, KGM, 0), _ctx());
    }

    // ---------------------------------------------------------------- item 11: recall accounting

    /// A holder of a batch in another unit reported 2^128 - 1: accounted exceeded affected and the next
    /// acknowledgement overflowed.
    function test_acknowledgeRecall_crossUnitOverflow_isRefused() public {
        bytes32 peel = _commission(producerA, PEEL, 1000);
        ITraceLedger.Transformation memory t = _transformation(CHENPI, H87, 1_000_000, 0);
        vm.prank(producerA);
        bytes32 boxes = trace.transform(_one(peel), t, _ctx());
        uint32 r = _recall(peel);
        vm.startPrank(producerA);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, type(uint128).max, 1000)
        );
        trace.acknowledgeRecall(r, boxes, ITraceLedger.RecallAction.Hold, type(uint128).max, "evidence");
        trace.acknowledgeRecall(r, boxes, ITraceLedger.RecallAction.Hold, 1000, "evidence");
        vm.stopPrank();
        assertEq(trace.recallInfo(r).accounted, 1000);
        assertLe(trace.recallInfo(r).accounted, trace.recallInfo(r).affected);
    }

    /// Acknowledgements of a batch merged with other stock add up to more than was recalled: the total
    /// stops at `affected` and a later acknowledgement is not blocked.
    function test_acknowledgeRecall_noAcknowledgementBlocksAnother() public {
        bytes32 a = _commission(producerA, APPLE, 100);
        (bytes32 a1, bytes32 a2) = _split2(a, producerA, 50, 50);
        bytes32 big = _merge2(producerA, a1, _commission(producerA, APPLE, 1000));
        uint32 r = _recall(a);
        vm.startPrank(producerA);
        trace.acknowledgeRecall(r, big, ITraceLedger.RecallAction.Hold, 100, "evidence");
        trace.acknowledgeRecall(r, a2, ITraceLedger.RecallAction.Destroy, 50, "evidence");
        vm.stopPrank();
        ITraceLedger.Recall memory info = trace.recallInfo(r);
        assertEq(info.accounted, info.affected, "stops at affected");
        assertEq(info.acknowledgements, 2);
    }

    // ---------------------------------------------------------------- item 13: lot spaces

    /// The retailer split under the producer's product with the producer's next lot code, so that the
    /// producer's commissionBatch reverted.
    function test_lotSquatting_bySplit_isRefused() public {
        bytes32 id = _commission(producerA, APPLE, 100);
        bytes32 lot = _lotOf[id];
        _handOver(id, producerA, retailerA);
        bytes32[] memory lots = new bytes32[](2);
        lots[0] = "LOT-2026-002"; // the producer's next lot
        lots[1] = subLotOf(lot, 2);
        uint128[] memory q = new uint128[](2);
        q[0] = 40;
        q[1] = 60;
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotSubLot.selector, lots[0], id));
        vm.prank(retailerA);
        trace.split(id, lots, q, _ctx());
        lots[0] = subLotOf(lot, 1);
        vm.prank(retailerA);
        trace.split(id, lots, q, _ctx());
        vm.prank(producerA);
        trace.commissionBatch(ITraceLedger.Commission(APPLE, "LOT-2026-002", 10, KGM, 0), _ctx());
        // The producer cannot take the holder's sub-lots either.
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerSubLotReserved.selector, APPLE, subLotOf(lot, 3), id)
        );
        vm.prank(producerA);
        trace.commissionBatch(ITraceLedger.Commission(APPLE, subLotOf(lot, 3), 10, KGM, 0), _ctx());
    }

    function test_lotSquatting_byMerge_isRefused() public {
        bytes32 a = _commission(producerA, APPLE, 100);
        bytes32 b = _commission(producerA, APPLE, 100);
        _handOver(a, producerA, logistics);
        _handOver(b, producerA, logistics);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotSubLot.selector, bytes32("NEXT-LOT"), a));
        vm.prank(logistics);
        trace.merge(_pair(a, b), "NEXT-LOT", _ctx());
        // A sub-lot of the other input's sibling space is not the first input's either.
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotSubLot.selector, subLotOf(_lotOf[b], 1), a));
        vm.prank(logistics);
        trace.merge(_pair(a, b), subLotOf(_lotOf[b], 1), _ctx());
        vm.prank(logistics);
        trace.merge(_pair(a, b), subLotOf(_lotOf[a], 1), _ctx());
    }

    // ---------------------------------------------------------------- item 14: certificates append

    /// A lab shopped for a pass after another lab's fail.
    function test_passAfterFail_isRefused() public {
        bytes32 id = _commission(producerB, MILK, 100);
        address lab2 = makeAddr("lab2");
        _register(lab2, uint8(Roles.INSPECTOR));
        _certify(id, false, 0);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerFailedInspectionStands.selector, id, lab2));
        vm.prank(lab2);
        trace.certify(id, true, uint64(block.timestamp + 1 days), keccak256("bought pass"));
        assertFalse(trace.isSellable(id));
        // Only the regulator reopens it, on the record.
        bytes32 uninspected = _commission(producerB, MILK, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITraceLedger.TraceLedgerNotFailed.selector,
                uninspected,
                ITraceLedger.CertResult.None
            )
        );
        vm.prank(marketRegulator);
        trace.allowReinspection(uninspected, keccak256("decision"));
        vm.expectEmit(address(trace));
        emit ITraceLedger.ReinspectionAllowed(id, marketRegulator, keccak256("re-inspection"));
        vm.prank(marketRegulator);
        trace.allowReinspection(id, keccak256("re-inspection"));
        vm.prank(lab2);
        trace.certify(id, true, uint64(block.timestamp + 1 days), keccak256("re-inspection report"));
        assertTrue(trace.isSellable(id));
    }

    /// A lab shortened a competitor's pass so that it expired at once.
    function test_shortenOthersPass_isRefused() public {
        bytes32 id = _commission(producerB, MILK, 100);
        _certify(id, true, block.timestamp + 30 days);
        _certify(id, true, block.timestamp + 1);
        assertEq(trace.batch(id).certValidUntil, block.timestamp + 30 days);
    }

    // ---------------------------------------------------------------- item 2: bounded counters

    function testFuzz_extremeAmounts_neverOverflow(uint128 a, uint128 b, uint32 ratio) public {
        a = uint128(bound(a, 1, type(uint128).max));
        b = uint128(bound(b, 1, type(uint128).max));
        ratio = uint32(bound(ratio, 1, type(uint32).max));
        bytes32 x = _commission(producerA, APPLE, a);
        bytes32 y = _commission(producerA, APPLE, b);
        uint256 total = uint256(a) + b;
        bytes32 lot = _freshLot();
        if (total > type(uint128).max) {
            vm.expectRevert(
                abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, total, type(uint128).max)
            );
        }
        vm.prank(producerA);
        trace.merge(_pair(x, y), lot, _ctx());
        if (total > type(uint128).max) {
            uint256 out = (uint256(a) * ratio) / 1e6;
            ITraceLedger.Transformation memory t = _transformation(APPLE, KGM, ratio, 0);
            if (out == 0) vm.expectRevert(ITraceLedger.TraceLedgerZeroQuantity.selector);
            else if (out > type(uint128).max) {
                vm.expectRevert(
                    abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, out, type(uint128).max)
                );
            }
            vm.prank(producerA);
            trace.transform(_one(x), t, _ctx());
        }
    }

    // ---------------------------------------------------------------- item 10: suspension

    /// A suspended custodian, lab or producer writes nothing; it may still acknowledge a recall of a batch it
    /// holds (the documented exception: the report is owed and attributed).
    function test_suspendedOrganisation_writesNothingButRecallReports() public {
        bytes32 id = _commission(producerA, APPLE, 100);
        _handOver(id, producerA, retailerA);
        bytes32 milk = _commission(producerB, MILK, 100);
        _suspend(retailerA);
        _suspend(inspector);
        ITraceLedger.Context memory ctx = _ctx();
        bytes memory lost = _errUnauthorized(retailerA, Roles.RETAILER);
        vm.startPrank(retailerA);
        vm.expectRevert(lost);
        trace.recordEvent(id, 7, ctx);
        vm.expectRevert(lost);
        trace.ship(id, logistics, ctx);
        vm.expectRevert(lost);
        trace.sell(id, ctx);
        vm.expectRevert(lost);
        trace.destroy(id, ctx);
        vm.stopPrank();
        vm.expectRevert(_errManaged(inspector));
        vm.prank(inspector);
        trace.certify(milk, false, 0, keccak256("spite"));
        _suspend(producerB);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotProducer.selector, producerB));
        vm.prank(marketRegulator);
        trace.correctProduct(APPLE, ITraceLedger.Category.Agricultural, producerB, keccak256("to a suspended one"));

        uint32 r = _recall(id);
        vm.prank(retailerA);
        trace.acknowledgeRecall(r, id, ITraceLedger.RecallAction.Destroy, 100, keccak256("destroyed"));
        assertEq(uint8(trace.batch(id).status), uint8(ITraceLedger.BatchStatus.Destroyed));
    }

    function _errRelayed(bytes4 selector) internal view returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerRelayedCall.selector, address(manager), selector);
    }
}
