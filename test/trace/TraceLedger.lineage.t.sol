// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {ITraceLedger} from "../../contracts/interfaces/ITraceLedger.sol";
import {
    TraceLedgerFixture,
    GLN_ORCHARD,
    H87,
    KGM,
    MAX_INPUTS,
    MAX_SPLIT,
    contextOf
} from "../utils/TraceLedgerFixture.sol";

contract TraceLedgerLineageTest is TraceLedgerFixture {
    // ---------------------------------------------------------------- split

    /// Rule: 2 to 100 children, as many quantities as lot codes, each child a new batch.
    function test_split_rejectsBadCountsAndExistingChildren() public {
        bytes32 id = _commission(producerA, APPLE, 1000);
        ITraceLedger.Context memory ctx = _ctx();
        vm.startPrank(producerA);
        for (uint256 n = 0; n < 3; ++n) {
            uint256 count = n == 2 ? MAX_SPLIT + 1 : n;
            vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerBadCount.selector, count, 2, MAX_SPLIT));
            trace.split(id, new bytes32[](count), new uint128[](count), ctx);
        }
        bytes32[] memory lots = new bytes32[](2);
        lots[0] = "A-1";
        lots[1] = "A-1";
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerBadCount.selector, 3, 2, 2));
        trace.split(id, lots, new uint128[](3), ctx);
        uint128[] memory quantities = new uint128[](2);
        quantities[0] = 500;
        quantities[1] = 500;
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerBatchExists.selector, trace.batchId(APPLE, "A-1"))
        );
        trace.split(id, lots, quantities, ctx);
        lots[1] = "LOT-1"; // the parent's own lot
        assertEq(trace.batchId(APPLE, "LOT-1"), id);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerBatchExists.selector, id));
        trace.split(id, lots, quantities, ctx);
        lots[1] = "bad lot";
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidCode.selector, bytes32("bad lot")));
        trace.split(id, lots, quantities, ctx);
        vm.stopPrank();

        // The largest split: 100 children of 10.
        uint128[] memory hundred = new uint128[](MAX_SPLIT);
        for (uint256 i = 0; i < MAX_SPLIT; ++i) hundred[i] = 10;
        bytes32[] memory children = _split(id, producerA, hundred);
        assertEq(children.length, MAX_SPLIT);
        assertEq(uint8(_status(id)), uint8(ITraceLedger.BatchStatus.Consumed));
        quantities[0] = 5;
        quantities[1] = 5;
        lots[1] = "A-2";
        vm.expectRevert(_errWrongStatus(id, ITraceLedger.BatchStatus.Consumed));
        vm.prank(producerA);
        trace.split(id, lots, quantities, ctx);
        _ship(children[0], producerA, logistics);
        vm.expectRevert(_errWrongStatus(children[0], ITraceLedger.BatchStatus.InTransit));
        vm.prank(producerA);
        trace.split(children[0], lots, quantities, ctx);
    }

    // ---------------------------------------------------------------- merge

    /// Rule: merge inputs are 2..32 distinct Active batches of one product and one unit, all held by
    /// the caller.
    function test_merge_refusesMixedProductsUnitsAndDuplicates() public {
        bytes32 apple = _commission(producerA, APPLE, 100);
        bytes32 apple2 = _commission(producerA, APPLE, 100);
        bytes32 applePieces = _commission(producerA, APPLE, 100, H87, 0);
        bytes32 milk = _commission(producerB, MILK, 100);
        bytes32 otherApple = _commission(producerA, APPLE, 100);
        _handOver(milk, producerB, producerA);
        _handOver(otherApple, producerA, logistics);
        ITraceLedger.Context memory ctx = _ctx();

        vm.startPrank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerProductMismatch.selector, milk));
        trace.merge(_pair(apple, milk), "M-1", ctx);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnitMismatch.selector, applePieces, H87, KGM));
        trace.merge(_pair(apple, applePieces), "M-1", ctx);
        vm.expectRevert(_errWrongStatus(apple, ITraceLedger.BatchStatus.Consumed));
        trace.merge(_pair(apple, apple), "M-1", ctx);
        vm.expectRevert(_errNotCustodian(otherApple, producerA, logistics));
        trace.merge(_pair(apple, otherApple), "M-1", ctx);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerBadCount.selector, 1, 2, MAX_INPUTS));
        trace.merge(_one(apple), "M-1", ctx);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerBadCount.selector, MAX_INPUTS + 1, 2, MAX_INPUTS)
        );
        trace.merge(new bytes32[](MAX_INPUTS + 1), "M-1", ctx);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerBatchExists.selector, apple));
        trace.merge(_pair(apple, apple2), "LOT-1", ctx); // the first input's own lot
        vm.stopPrank();
        assertEq(uint8(_status(apple)), uint8(ITraceLedger.BatchStatus.Active), "failed merges consume nothing");
        bytes32 merged = _merge2(producerA, apple, apple2);
        assertEq(trace.batch(merged).quantity, 200);
    }

    // ---------------------------------------------------------------- transform

    /// Rule: transform is for producers, into one of their own products, needs a ratio and valid codes, an
    /// evidence hash (the conversion document) and inputs in one unit held by the caller.
    function test_transform_refusals() public {
        bytes32 a = _commission(producerA, PEEL, 1000);
        bytes32 b = _commission(producerA, PEEL, 1000, H87, 0);
        ITraceLedger.Transformation memory t = _transformation(CHENPI, KGM, 250_000, 0);
        ITraceLedger.Context memory ctx = _ctx();
        _handOver(a, producerA, logistics);
        vm.expectRevert(_errManaged(logistics));
        vm.prank(logistics);
        trace.transform(_one(a), t, ctx);
        _handOver(a, logistics, producerA);

        vm.startPrank(producerA);
        t.ratioPpm = 0;
        vm.expectRevert(ITraceLedger.TraceLedgerZeroRatio.selector);
        trace.transform(_one(a), t, ctx);
        t.ratioPpm = 250_000;
        t.outputProduct = "DURIAN";
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownProduct.selector, bytes32("DURIAN")));
        trace.transform(_one(a), t, ctx);
        t.outputProduct = MILK;
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerNotProductProducer.selector, MILK, producerA, producerB)
        );
        trace.transform(_one(a), t, ctx);
        t.outputProduct = CHENPI;
        t.outputUom = "k g";
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidUnit.selector, bytes3("k g")));
        trace.transform(_one(a), t, ctx);
        t.outputUom = KGM;
        vm.expectRevert(ITraceLedger.TraceLedgerZeroHash.selector);
        trace.transform(_one(a), t, contextOf(GLN_ORCHARD, block.timestamp, bytes32(0)));
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnitMismatch.selector, b, H87, KGM));
        trace.transform(_pair(a, b), t, ctx);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerBadCount.selector, 0, 1, MAX_INPUTS));
        trace.transform(new bytes32[](0), t, ctx);
        vm.stopPrank();

        bytes32 out = _transform(producerA, _one(a), CHENPI, 250_000, 0);
        assertEq(trace.batch(out).quantity, 250);
    }

    // ---------------------------------------------------------------- certificates and retail sale

    /// Rule: a batch whose category requires inspection (food by default) is sold only with a valid
    /// pass: without one it is NotInspected; with one it sells.
    function test_sell_needsPassWhenCategoryRequiresInspection() public {
        assertTrue(trace.inspectionRequired(ITraceLedger.Category.Food));
        assertFalse(trace.inspectionRequired(ITraceLedger.Category.Agricultural));
        bytes32 id = _commission(producerB, MILK, 100);
        _handOver(id, producerB, retailerA);
        assertFalse(trace.isSellable(id));
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotInspected.selector, id));
        vm.prank(retailerA);
        trace.sell(id, _ctx());

        uint256 validUntil = block.timestamp + 30 days;
        vm.expectEmit(address(trace));
        emit ITraceLedger.CertificateRecorded(id, inspector, true, uint64(validUntil), keccak256("report"));
        vm.prank(inspector);
        trace.certify(id, true, uint64(validUntil), keccak256("report"));
        assertTrue(trace.isSellable(id));
        vm.prank(retailerA);
        trace.sell(id, _ctx());
        assertEq(uint8(_status(id)), uint8(ITraceLedger.BatchStatus.RetailSold));
        assertFalse(trace.isSellable(id));
    }

    /// Rule: a batch that failed inspection is never sold, whatever its category.
    function test_sell_refusesFailedInspection() public {
        bytes32 id = _commission(producerA, APPLE, 100);
        _handOver(id, producerA, retailerA);
        assertTrue(trace.isSellable(id));
        vm.prank(inspector);
        trace.certify(id, false, uint64(block.timestamp + 30 days), keccak256("pesticide residue"));
        ITraceLedger.Batch memory b = trace.batch(id);
        assertEq(uint8(b.cert), uint8(ITraceLedger.CertResult.Failed));
        assertEq(b.certValidUntil, 0, "a failure has no validity");
        assertFalse(trace.isSellable(id));
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerInspectionFailed.selector, id));
        vm.prank(retailerA);
        trace.sell(id, _ctx());
    }

    /// Rule: only a retailer holding the batch sells it at retail.
    function test_sell_onlyRetailerCustodian() public {
        bytes32 id = _commission(producerA, APPLE, 100);
        vm.expectRevert(_errUnauthorized(producerA, Roles.RETAILER));
        vm.prank(producerA);
        trace.sell(id, _ctx());
        _handOver(id, producerA, logistics);
        vm.expectRevert(_errUnauthorized(logistics, Roles.RETAILER));
        vm.prank(logistics);
        trace.sell(id, _ctx());
    }

    /// Rule: the regulator alone decides which categories need inspection.
    function test_setInspectionRequired_regulatorDecides() public {
        bytes32 id = _commission(producerA, APPLE, 100);
        _handOver(id, producerA, retailerA);
        vm.expectRevert(_errManaged(producerA));
        vm.prank(producerA);
        trace.setInspectionRequired(ITraceLedger.Category.Food, false);

        vm.expectEmit(address(trace));
        emit ITraceLedger.InspectionRequirementSet(ITraceLedger.Category.Agricultural, true, marketRegulator);
        vm.prank(marketRegulator);
        trace.setInspectionRequired(ITraceLedger.Category.Agricultural, true);
        assertTrue(trace.inspectionRequired(ITraceLedger.Category.Agricultural));
        assertTrue(trace.inspectionRequired(ITraceLedger.Category.Drug), "others unchanged");
        assertFalse(trace.isSellable(id));
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotInspected.selector, id));
        vm.prank(retailerA);
        trace.sell(id, _ctx());

        vm.prank(marketRegulator);
        trace.setInspectionRequired(ITraceLedger.Category.Agricultural, false);
        vm.prank(retailerA);
        trace.sell(id, _ctx());
    }

    /// Rule: the inspector certifies an Active or InTransit batch with a report hash and, for a pass, a
    /// validity in the future; split children inherit the result; a merge keeps the weakest result
    /// (and the earliest validity when all passed).
    function test_certify_rulesAndInheritance() public {
        bytes32 a = _commission(producerA, APPLE, 100);
        bytes32 b = _commission(producerA, APPLE, 100);
        bytes32 c = _commission(producerA, APPLE, 100);
        vm.expectRevert(_errManaged(producerA));
        vm.prank(producerA);
        trace.certify(a, true, uint64(block.timestamp + 1 days), keccak256("r"));
        vm.startPrank(inspector);
        vm.expectRevert(ITraceLedger.TraceLedgerZeroHash.selector);
        trace.certify(a, true, uint64(block.timestamp + 1 days), bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidValidity.selector, uint64(block.timestamp))
        );
        trace.certify(a, true, uint64(block.timestamp), keccak256("r"));
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownBatch.selector, bytes32("nope")));
        trace.certify("nope", true, uint64(block.timestamp + 1 days), keccak256("r"));
        vm.stopPrank();

        _certify(a, true, block.timestamp + 10 days);
        _certify(b, true, block.timestamp + 5 days);
        _ship(c, producerA, logistics);
        _certify(c, true, block.timestamp + 20 days); // in transit
        vm.prank(producerA);
        trace.cancelShipment(c);

        (bytes32 a1, bytes32 a2) = _split2(a, producerA, 40, 60);
        assertEq(uint8(trace.batch(a1).cert), uint8(ITraceLedger.CertResult.Passed));
        assertEq(trace.batch(a2).certValidUntil, block.timestamp + 10 days);
        vm.expectRevert(_errWrongStatus(a, ITraceLedger.BatchStatus.Consumed));
        _certify(a, false, 0);

        bytes32 passed = _merge2(producerA, a1, b);
        assertEq(uint8(trace.batch(passed).cert), uint8(ITraceLedger.CertResult.Passed));
        assertEq(trace.batch(passed).certValidUntil, block.timestamp + 5 days, "earliest validity");
        bytes32 none = _merge2(producerA, passed, _commission(producerA, APPLE, 1));
        assertEq(uint8(trace.batch(none).cert), uint8(ITraceLedger.CertResult.None));
        assertEq(trace.batch(none).certValidUntil, 0);
        _certify(c, false, 0);
        bytes32 failed = _merge2(producerA, a2, c);
        assertEq(uint8(trace.batch(failed).cert), uint8(ITraceLedger.CertResult.Failed));
    }

    // ---------------------------------------------------------------- recall

    /// Rule: a recall reaches the recalled batch and every batch made from it, through splits, merges
    /// and transformations, and nothing else (not the other inputs of a merge); a recalled lineage
    /// cannot be shipped, accepted, split, merged, transformed or sold, but may still be certified,
    /// cancelled back and destroyed.
    function test_recall_reachesSplitMergedAndTransformedDescendants() public {
        Family memory f = _family();
        uint32 recallId = _recall(f.root);
        assertEq(recallId, 1);
        ITraceLedger.Recall memory r = trace.recallInfo(recallId);
        assertEq(r.batchId, f.root);
        assertEq(r.uom, KGM);
        assertEq(r.affected, 10_000);
        assertEq(trace.recallCount(), 1);

        bytes32[7] memory reached = [f.root, f.s1, f.s2, f.merged, f.transformed, f.m1, f.m2];
        for (uint256 i = 0; i < reached.length; ++i) {
            assertTrue(trace.isRecalled(reached[i]), "descendant recalled");
            assertTrue(trace.descendsFrom(reached[i], f.root));
        }
        assertTrue(trace.batch(f.root).recalled);
        assertFalse(trace.batch(f.m2).recalled, "recalled through its lineage, not directly");
        assertFalse(trace.isRecalled(f.other), "another input of the merge is not made from the root");
        assertFalse(trace.isRecalled(f.unrelated));
        assertTrue(trace.descendsFrom(f.m2, f.other));
        assertFalse(trace.descendsFrom(f.other, f.root));
        assertFalse(trace.isSellable(f.transformed));

        _checkRecalledCannotMove(f);

        _certify(f.m2, false, 0);
        vm.startPrank(producerA);
        trace.cancelShipment(f.m1);
        trace.destroy(f.m1, _ctx());
        vm.stopPrank();
        assertEq(uint8(_status(f.m1)), uint8(ITraceLedger.BatchStatus.Destroyed));
        // Unrelated batches still move.
        _handOver(f.unrelated, producerA, logistics);
    }

    struct Family {
        bytes32 root;
        bytes32 other;
        bytes32 unrelated;
        bytes32 s1;
        bytes32 s2;
        bytes32 merged;
        bytes32 transformed;
        bytes32 m1;
        bytes32 m2;
    }

    /// @dev root split into s1 and s2; s1 merged with other; s2 transformed to 陈皮 (at retailer A,
    /// certified); the merge split into m1 (in transit to logistics) and m2; unrelated on its own.
    function _family() internal returns (Family memory f) {
        f.root = _commission(producerA, PEEL, 10_000);
        f.other = _commission(producerA, PEEL, 3000);
        f.unrelated = _commission(producerA, PEEL, 500);
        (f.s1, f.s2) = _split2(f.root, producerA, 6000, 4000);
        f.merged = _merge2(producerA, f.s1, f.other);
        f.transformed = _transform(producerA, _one(f.s2), CHENPI, 250_000, 0);
        (f.m1, f.m2) = _split2(f.merged, producerA, 4500, 4500);
        _handOver(f.transformed, producerA, retailerA);
        _certify(f.transformed, true, block.timestamp + 30 days);
        assertTrue(trace.isSellable(f.transformed));
        _ship(f.m1, producerA, logistics);
    }

    function _checkRecalledCannotMove(Family memory f) internal {
        ITraceLedger.Context memory ctx = _ctx();
        bytes32 fresh = _commission(producerA, PEEL, 10);
        vm.startPrank(producerA);
        vm.expectRevert(_errRecalled(f.m2));
        trace.ship(f.m2, logistics, ctx);
        bytes32[] memory lots = new bytes32[](2);
        lots[0] = "R-1";
        lots[1] = "R-2";
        uint128[] memory quantities = new uint128[](2);
        quantities[0] = 4000;
        quantities[1] = 500;
        vm.expectRevert(_errRecalled(f.m2));
        trace.split(f.m2, lots, quantities, ctx);
        vm.expectRevert(_errRecalled(f.m2));
        trace.merge(_pair(fresh, f.m2), "R-3", ctx);
        vm.expectRevert(_errRecalled(f.m2));
        trace.transform(_one(f.m2), _transformation(CHENPI, KGM, 1e6, 0), ctx);
        vm.stopPrank();
        vm.expectRevert(_errRecalled(f.m1));
        _accept(f.m1, logistics);
        vm.expectRevert(_errRecalled(f.transformed));
        vm.prank(retailerA);
        trace.sell(f.transformed, ctx);
    }

    /// Rule: the recall cache is only a shortcut: a batch found clean (and its cache refreshed by a
    /// write) is still caught by a later recall of one of its ancestors.
    function test_isRecalled_cacheFollowsLaterRecalls() public {
        bytes32 root = _commission(producerA, APPLE, 900);
        (bytes32 a, ) = _split2(root, producerA, 600, 300);
        (bytes32 leaf, ) = _split2(a, producerA, 400, 200);
        _recall(_commission(producerA, APPLE, 5));
        assertEq(trace.batch(leaf).cleanAtRecall, 0);
        _handOver(leaf, producerA, logistics);
        assertEq(trace.batch(leaf).cleanAtRecall, 1, "refreshed by the write");
        assertEq(trace.batch(root).cleanAtRecall, 0, "ancestors untouched");
        _recall(root);
        assertTrue(trace.isRecalled(leaf));
        vm.expectRevert(_errRecalled(leaf));
        _ship(leaf, logistics, retailerA);
    }

    /// Rule: holders of batches in the recall's lineage report once per batch what they did; the
    /// quantities add up in `accounted` (bounded by the batch's quantity when the units agree),
    /// Destroy destroys the batch; batches outside the lineage are NotInRecall.
    function test_acknowledgeRecall_accountsAndRefusesOutsideLineage() public {
        bytes32 root = _commission(producerA, PEEL, 10_000);
        bytes32 outside = _commission(producerA, PEEL, 500);
        uint128[] memory parts = new uint128[](3);
        parts[0] = 6000;
        parts[1] = 3000;
        parts[2] = 1000;
        bytes32[] memory c = _split(root, producerA, parts);
        _handOver(c[0], producerA, logistics);
        ITraceLedger.Transformation memory t = _transformation(CHENPI, H87, 2e6, 0);
        vm.prank(producerA);
        bytes32 pieces = trace.transform(_one(c[2]), t, _ctx());
        uint32 r = _recall(root);

        vm.expectEmit(address(trace));
        emit ITraceLedger.RecallAcknowledged(r, c[0], logistics, ITraceLedger.RecallAction.Hold, 6000, 6000, "held");
        vm.prank(logistics);
        trace.acknowledgeRecall(r, c[0], ITraceLedger.RecallAction.Hold, 6000, "held");
        assertEq(trace.recallInfo(r).accounted, 6000);
        assertEq(trace.recallInfo(r).acknowledgements, 1);
        assertEq(uint8(_status(c[0])), uint8(ITraceLedger.BatchStatus.Active), "held, not destroyed");
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerAlreadyAcknowledged.selector, r, c[0]));
        vm.prank(logistics);
        trace.acknowledgeRecall(r, c[0], ITraceLedger.RecallAction.Return, 1, "again");

        vm.startPrank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, 3001, 3000));
        trace.acknowledgeRecall(r, c[1], ITraceLedger.RecallAction.Destroy, 3001, "destroyed");
        vm.expectEmit(address(trace));
        ITraceLedger.Context memory destroyed = contextOf(0, block.timestamp, "destroyed");
        destroyed.quantity = 3000;
        emit ITraceLedger.BatchDestroyed(c[1], producerA, 3000, 0, destroyed);
        trace.acknowledgeRecall(r, c[1], ITraceLedger.RecallAction.Destroy, 3000, "destroyed");
        assertEq(uint8(_status(c[1])), uint8(ITraceLedger.BatchStatus.Destroyed));
        // Another unit (issue 19): the quantity is in the batch's own unit, at most what it holds (2,000
        // pieces made from 1,000 at 2 per unit), converted back along the lineage: 2,000 pieces are 1,000 of
        // the recalled unit. The total stops at the affected quantity.
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, 2001, 2000));
        trace.acknowledgeRecall(r, pieces, ITraceLedger.RecallAction.Return, 2001, "returned");
        vm.expectEmit(address(trace));
        emit ITraceLedger.RecallAcknowledged(r, pieces, producerA, ITraceLedger.RecallAction.Return, 2000, 1000, "r");
        trace.acknowledgeRecall(r, pieces, ITraceLedger.RecallAction.Return, 2000, "r");
        vm.stopPrank();
        ITraceLedger.Recall memory info = trace.recallInfo(r);
        assertEq(info.accounted, 10_000, "6,000 + 3,000 + 1,000 (2,000 pieces) is the 10,000 recalled");
        assertEq(info.acknowledgements, 3);
        _checkAcknowledgeRefusals(r, root, outside, c, pieces);
    }

    function _checkAcknowledgeRefusals(
        uint32 r,
        bytes32 root,
        bytes32 outside,
        bytes32[] memory c,
        bytes32 pieces
    ) internal {
        vm.startPrank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotInRecall.selector, r, outside));
        trace.acknowledgeRecall(r, outside, ITraceLedger.RecallAction.Hold, 1, "h");
        vm.expectRevert(_errWrongStatus(root, ITraceLedger.BatchStatus.Consumed));
        trace.acknowledgeRecall(r, root, ITraceLedger.RecallAction.Hold, 1, "h");
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownRecall.selector, 0));
        trace.acknowledgeRecall(0, c[1], ITraceLedger.RecallAction.Hold, 1, "h");
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownRecall.selector, 2));
        trace.acknowledgeRecall(2, c[1], ITraceLedger.RecallAction.Hold, 1, "h");
        vm.expectRevert(ITraceLedger.TraceLedgerInvalidAction.selector);
        trace.acknowledgeRecall(r, pieces, ITraceLedger.RecallAction.None, 1, "h");
        vm.stopPrank();
        vm.expectRevert(_errNotCustodian(c[0], retailerA, logistics));
        vm.prank(retailerA);
        trace.acknowledgeRecall(r, c[0], ITraceLedger.RecallAction.Hold, 1, "h");

        // A batch outside one recall's lineage may be in another's.
        uint32 r2 = _recall(outside);
        vm.prank(producerA);
        trace.acknowledgeRecall(r2, outside, ITraceLedger.RecallAction.Hold, 500, "h");
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotInRecall.selector, r2, pieces));
        vm.prank(producerA);
        trace.acknowledgeRecall(r2, pieces, ITraceLedger.RecallAction.Hold, 1, "h");
        assertEq(trace.recallInfo(r).accounted, 10_000, "the first recall unchanged");
    }

    /// Rule: only the regulator recalls, a known batch, once, with a reason.
    function test_recall_rules() public {
        bytes32 id = _commission(producerA, APPLE, 100);
        vm.expectRevert(_errManaged(producerA));
        vm.prank(producerA);
        trace.recall(id, "reason");
        vm.startPrank(marketRegulator);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownBatch.selector, bytes32("nope")));
        trace.recall("nope", "reason");
        vm.expectRevert(ITraceLedger.TraceLedgerZeroHash.selector);
        trace.recall(id, bytes32(0));
        vm.expectEmit(address(trace));
        emit ITraceLedger.BatchRecalled(1, id, marketRegulator, 100, KGM, "reason");
        assertEq(trace.recall(id, "reason"), 1);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerAlreadyRecalled.selector, id));
        trace.recall(id, "again");
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownRecall.selector, 2));
        trace.recallInfo(2);
    }

    // ---------------------------------------------------------------- geographic indication

    /// Rule: labelled quantity of a GI certificate = quantity of the existing batches labelled under it,
    /// never above the ceiling: commissioning labels (and is refused beyond the ceiling), a split keeps
    /// the label, a merge keeps a label common to all inputs and releases it otherwise; a released
    /// quantity can be labelled again; an expired certificate labels nothing more.
    function test_gi_ceilingAcrossCommissionSplitMerge() public {
        (uint32 g, ) = _smallCertificates();
        bytes32 p1 = _commission(producerA, PEEL, 6000, KGM, g);
        assertEq(_labelled(g), 6000);
        vm.expectRevert(_errCeiling(g, 11_000, 10_000));
        _commission(producerA, PEEL, 5000, KGM, g);
        bytes32 p2 = _commission(producerA, PEEL, 4000, KGM, g);
        assertEq(_labelled(g), 10_000, "up to the ceiling");
        vm.expectRevert(_errCeiling(g, 10_001, 10_000));
        _commission(producerA, PEEL, 1, KGM, g);

        (bytes32 p1a, bytes32 p1b) = _split2(p1, producerA, 3000, 3000);
        assertEq(trace.batch(p1a).giCertificate, g);
        assertEq(trace.batch(p1b).giCertificate, g);
        assertEq(_labelled(g), 10_000, "split keeps the label");
        bytes32 m = _merge2(producerA, p1a, p2);
        assertEq(trace.batch(m).giCertificate, g);
        assertEq(_labelled(g), 10_000, "merge of one label keeps it");
        bytes32 mixed = _merge2(producerA, p1b, _commission(producerA, PEEL, 1000));
        assertEq(trace.batch(mixed).giCertificate, 0, "mixed merge: no label");
        assertEq(_labelled(g), 7000, "p1b's 3000 released");
        _commission(producerA, PEEL, 3000, KGM, g);
        assertEq(_labelled(g), 10_000, "released quantity labelled again");

        uint64 validUntil = trace.giCertificate(g).validUntil;
        vm.warp(validUntil + 1);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerGiCertificateExpired.selector, g, validUntil));
        _commission(producerA, PEEL, 1, KGM, g);
    }

    /// Rule: a transformation releases its inputs' labels and labels its output under the certificate
    /// it names, within that certificate's ceiling (the whole transformation is refused beyond it);
    /// sold batches keep their label.
    function test_gi_ceilingAcrossTransform() public {
        (uint32 g, uint32 c) = _smallCertificates();
        bytes32 m = _merge2(
            producerA,
            _commission(producerA, PEEL, 3000, KGM, g),
            _commission(producerA, PEEL, 4000, KGM, g)
        );
        bytes32 mixed = _merge2(
            producerA,
            _commission(producerA, PEEL, 3000, KGM, g),
            _commission(producerA, PEEL, 1000)
        );
        assertEq(_labelled(g), 7000);

        // 7000 * 0.3 = 2100 > 2000: refused, nothing changes.
        ITraceLedger.Transformation memory t = _transformation(CHENPI, KGM, 300_000, c);
        vm.expectRevert(_errCeiling(c, 2100, 2000));
        vm.prank(producerA);
        trace.transform(_one(m), t, _ctx());
        assertEq(_labelled(g), 7000);
        bytes32 dried = _transform(producerA, _one(m), CHENPI, 250_000, c);
        assertEq(trace.batch(dried).quantity, 1750);
        assertEq(trace.batch(dried).giCertificate, c);
        assertEq(_labelled(g), 0, "transformation releases its inputs");
        assertEq(_labelled(c), 1750);

        // Sold batches still exist: their label stays.
        _handOver(dried, producerA, retailerA);
        _certify(dried, true, block.timestamp + 1 days);
        vm.prank(retailerA);
        trace.sell(dried, _ctx());
        assertEq(_labelled(c), 1750);
        // The mixed merge lost its label: it backs no GI output (issue 19, GI mass balance).
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerGiMassNotBacked.selector, c, 0, 251));
        _transform(producerA, _one(mixed), CHENPI, 62_750, c);
        // Labelled peel: 4000 * 0.06275 = 251 is one too many; 4000 * 0.0625 = 250 fills the ceiling.
        bytes32 more = _commission(producerA, PEEL, 4000, KGM, g);
        vm.expectRevert(_errCeiling(c, 2001, 2000));
        _transform(producerA, _one(more), CHENPI, 62_750, c);
        _transform(producerA, _one(more), CHENPI, 62_500, c);
        assertEq(_labelled(c), 2000);
    }

    /// @dev Certificates for producer A valid 30 days: peel up to 10 kg, 陈皮 up to 2 kg.
    function _smallCertificates() internal returns (uint32 g, uint32 c) {
        vm.startPrank(marketRegulator);
        g = trace.issueGiCertificate(producerA, PEEL, KGM, 10_000, uint64(block.timestamp + 30 days), "doc");
        c = trace.issueGiCertificate(producerA, CHENPI, KGM, 2000, uint64(block.timestamp + 30 days), "doc");
        vm.stopPrank();
    }

    /// Rule: a batch is labelled only under a known certificate of its producer, product and unit.
    function test_gi_labelNeedsMatchingCertificate() public {
        vm.startPrank(marketRegulator);
        trace.registerProduct("LIZHI-GI", ITraceLedger.Category.Agricultural, producerB, true, "lychee");
        uint32 forB = trace.issueGiCertificate(producerB, "LIZHI-GI", KGM, 1000, uint64(block.timestamp + 1 days), "d");
        vm.stopPrank();
        bytes memory mismatch = abi.encodeWithSelector(ITraceLedger.TraceLedgerGiCertificateMismatch.selector, peelGi);
        vm.expectRevert(mismatch);
        _commission(producerA, APPLE, 1, KGM, peelGi); // another product
        vm.expectRevert(mismatch);
        _commission(producerA, PEEL, 1, H87, peelGi); // another unit
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerGiCertificateMismatch.selector, forB));
        _commission(producerA, PEEL, 1, KGM, forB); // another producer's (and product's) certificate
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownGiCertificate.selector, 99));
        _commission(producerA, PEEL, 1, KGM, 99);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownGiCertificate.selector, 99));
        trace.giCertificate(99);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownGiCertificate.selector, 0));
        trace.giCertificate(0);
        assertEq(trace.giCertificateCount(), 3);
        bytes32 id = _commission(producerA, PEEL, 1, KGM, peelGi);
        assertEq(trace.batch(id).giCertificate, peelGi);
        assertEq(_labelled(peelGi), 1);
    }

    /// Rule: the regulator issues a GI certificate for a GI product to its (active) producer, in a valid
    /// unit, with a ceiling, a future validity and a document hash.
    function test_issueGiCertificate_rules() public {
        uint64 until = uint64(block.timestamp + 1 days);
        vm.expectRevert(_errManaged(producerA));
        vm.prank(producerA);
        trace.issueGiCertificate(producerA, PEEL, KGM, 1, until, "d");
        vm.startPrank(marketRegulator);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownProduct.selector, bytes32("NOPE")));
        trace.issueGiCertificate(producerA, "NOPE", KGM, 1, until, "d");
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotGiProduct.selector, APPLE));
        trace.issueGiCertificate(producerA, APPLE, KGM, 1, until, "d");
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerNotProductProducer.selector, PEEL, producerB, producerA)
        );
        trace.issueGiCertificate(producerB, PEEL, KGM, 1, until, "d");
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidUnit.selector, bytes3("kg")));
        trace.issueGiCertificate(producerA, PEEL, "kg", 1, until, "d");
        vm.expectRevert(ITraceLedger.TraceLedgerZeroQuantity.selector);
        trace.issueGiCertificate(producerA, PEEL, KGM, 0, until, "d");
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidValidity.selector, uint64(block.timestamp))
        );
        trace.issueGiCertificate(producerA, PEEL, KGM, 1, uint64(block.timestamp), "d");
        vm.expectRevert(ITraceLedger.TraceLedgerZeroHash.selector);
        trace.issueGiCertificate(producerA, PEEL, KGM, 1, until, bytes32(0));
        vm.stopPrank();
        _suspend(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotProducer.selector, producerA));
        vm.prank(marketRegulator);
        trace.issueGiCertificate(producerA, PEEL, KGM, 1, until, "d");
        _reinstate(producerA);
        vm.startPrank(marketRegulator);
        vm.expectEmit(address(trace));
        emit ITraceLedger.GiCertificateIssued(3, producerA, PEEL, KGM, 1, until, "d");
        assertEq(trace.issueGiCertificate(producerA, PEEL, KGM, 1, until, "d"), 3);
        vm.stopPrank();
        ITraceLedger.GiCertificate memory g = trace.giCertificate(3);
        assertEq(g.producer, producerA);
        assertEq(g.productSeq, trace.product(PEEL).seq);
        assertEq(g.ceiling, 1);
        assertEq(g.labelled, 0);
    }
}
