// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {ITraceLedger} from "../../contracts/interfaces/ITraceLedger.sol";
import {TraceLedgerFixture, GLN_ORCHARD, KGM, T0, contextOf} from "../utils/TraceLedgerFixture.sol";

contract TraceLedgerTest is TraceLedgerFixture {
    // ---------------------------------------------------------------- products

    /// Rule: a producer registers its own product and the regulator one for any producer; the record
    /// keeps producer, category, the GI flag and a 1-based sequence number.
    function test_registerProduct_byProducerOrRegulator() public {
        ITraceLedger.Product memory apple = trace.product(APPLE);
        assertEq(apple.producer, producerA);
        assertEq(uint8(apple.category), uint8(ITraceLedger.Category.Agricultural));
        assertFalse(apple.geographicIndication);
        assertEq(apple.seq, 1);
        ITraceLedger.Product memory milk = trace.product(MILK);
        assertEq(milk.producer, producerB, "registered by the regulator for producer B");
        assertEq(uint8(milk.category), uint8(ITraceLedger.Category.Food));
        assertEq(milk.seq, 3);
        assertTrue(trace.product(CHENPI).geographicIndication);
        assertEq(trace.productCodeAt(4), CHENPI);
        assertEq(trace.product("UNKNOWN").seq, 0, "unknown product: empty record");
        for (uint32 seq = 0; seq < 6; seq += 5) {
            vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownProductSeq.selector, seq));
            trace.productCodeAt(seq);
        }
    }

    /// Rule: a product code is registered once and is left-aligned printable ASCII without spaces.
    function test_registerProduct_rejectsDuplicateAndInvalidCode() public {
        vm.prank(marketRegulator);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerProductExists.selector, APPLE));
        trace.registerProduct(APPLE, ITraceLedger.Category.Food, producerB, false, bytes32(0));

        bytes32[5] memory bad = [
            bytes32(0),
            bytes32("PEAR YALI"),
            bytes32(uint256(0x41)), // right-aligned: a zero byte before a character
            bytes32(bytes.concat("PEAR", bytes1(0x80))),
            bytes32(bytes.concat("PEAR", bytes1(0), "X"))
        ];
        for (uint256 i = 0; i < bad.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidCode.selector, bad[i]));
            vm.prank(producerA);
            trace.registerProduct(bad[i], ITraceLedger.Category.Food, producerA, false, bytes32(0));
        }
        // 32 printable bytes are a valid code.
        bytes32 full = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        vm.prank(producerA);
        trace.registerProduct(full, ITraceLedger.Category.Food, producerA, false, bytes32(0));
        assertEq(trace.product(full).seq, 5);
    }

    // ---------------------------------------------------------------- commission

    /// Rule: a commissioned batch is Active with its producer as custodian (role PRODUCER), lineage 1,
    /// the stated quantity and unit; its id is keccak256(abi.encode(productCode, lotCode)).
    function test_commissionBatch_recordsBatch() public {
        bytes32 lot = "LOT-2025-0601";
        ITraceLedger.Context memory ctx = contextOf(GLN_ORCHARD, T0 - 1 hours, keccak256("epcis"));
        bytes32 expectedId = keccak256(abi.encode(APPLE, lot));
        assertEq(trace.batchId(APPLE, lot), expectedId);
        vm.expectEmit(address(trace));
        emit ITraceLedger.BatchCommissioned(expectedId, APPLE, producerA, lot, 1500, KGM, 0, ctx);
        vm.prank(producerA);
        bytes32 id = trace.commissionBatch(
            ITraceLedger.Commission({productCode: APPLE, lotCode: lot, quantity: 1500, uom: KGM, giCertificate: 0}),
            ctx
        );
        assertEq(id, expectedId);
        ITraceLedger.Batch memory b = trace.batch(id);
        assertEq(b.custodian, producerA);
        assertEq(b.custodianRole, Roles.PRODUCER);
        assertEq(uint8(b.status), uint8(ITraceLedger.BatchStatus.Active));
        assertFalse(b.recalled);
        assertEq(b.uom, KGM);
        assertEq(uint8(b.cert), uint8(ITraceLedger.CertResult.None));
        assertEq(b.parentCount, 0);
        assertEq(b.lineage, 1);
        assertEq(b.quantity, 1500);
        assertEq(b.productSeq, 1);
        assertEq(b.giCertificate, 0);
        assertEq(b.receiver, address(0));
        assertEq(trace.parentsOf(id).length, 0);
        assertFalse(trace.isRecalled(id));
        assertTrue(trace.isSellable(id), "apples need no inspection");
    }

    /// Rule: (product, lot) names one batch: the same lot again is BatchExists; the same lot of
    /// another product is another batch. An unknown product is UnknownProduct.
    function test_commissionBatch_rejectsDuplicateLotAndUnknownProduct() public {
        ITraceLedger.Commission memory c = ITraceLedger.Commission({
            productCode: APPLE,
            lotCode: "LOT-1",
            quantity: 10,
            uom: KGM,
            giCertificate: 0
        });
        vm.prank(producerA);
        bytes32 id = trace.commissionBatch(c, _ctx());
        c.quantity = 20;
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerBatchExists.selector, id));
        vm.prank(producerA);
        trace.commissionBatch(c, _ctx());
        assertEq(trace.batch(id).quantity, 10, "first quantity kept");

        c.productCode = PEEL;
        vm.prank(producerA);
        bytes32 peel = trace.commissionBatch(c, _ctx());
        assertTrue(peel != id, "same lot, other product: another batch");

        c.productCode = "DURIAN";
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownProduct.selector, bytes32("DURIAN")));
        vm.prank(producerA);
        trace.commissionBatch(c, _ctx());
    }

    // ---------------------------------------------------------------- custody

    /// Rule: ship leaves custody with the sender (InTransit, receiver and its role stored); accept
    /// by the receiver passes custody, with the receiver's role, and makes the batch Active again.
    function test_shipAccept_movesCustodian() public {
        bytes32 id = _commission(producerA, APPLE, 2000);
        ITraceLedger.Context memory ctx = _ctx();

        vm.expectEmit(address(trace));
        emit ITraceLedger.BatchShipped(id, producerA, logistics, ctx);
        vm.prank(producerA);
        trace.ship(id, logistics, ctx);
        ITraceLedger.Batch memory b = trace.batch(id);
        assertEq(b.custodian, producerA, "custody stays with the sender until accepted");
        assertEq(uint8(b.status), uint8(ITraceLedger.BatchStatus.InTransit));
        assertEq(b.receiver, logistics);
        assertEq(b.receiverRole, Roles.LOGISTICS);

        vm.expectEmit(address(trace));
        emit ITraceLedger.BatchReceived(id, producerA, logistics, ctx);
        vm.prank(logistics);
        trace.accept(id, ctx);
        b = trace.batch(id);
        assertEq(b.custodian, logistics);
        assertEq(b.custodianRole, Roles.LOGISTICS);
        assertEq(uint8(b.status), uint8(ITraceLedger.BatchStatus.Active));
        assertEq(b.receiver, address(0));
        assertEq(b.receiverRole, 0);

        // The former custodian can no longer act.
        vm.expectRevert(_errNotCustodian(id, producerA, logistics));
        _ship(id, producerA, retailerA);

        _handOver(id, logistics, retailerA);
        assertEq(trace.batch(id).custodianRole, Roles.RETAILER);
        vm.expectEmit(address(trace));
        emit ITraceLedger.BatchSold(id, retailerA, trace.batch(id).quantity, 0, ctx);
        vm.prank(retailerA);
        trace.sell(id, ctx);
        assertEq(uint8(_status(id)), uint8(ITraceLedger.BatchStatus.RetailSold));
        vm.expectRevert(_errWrongStatus(id, ITraceLedger.BatchStatus.RetailSold));
        _ship(id, retailerA, logistics);
    }

    /// Rule: a pending shipment ends without hand-over when the sender cancels or the receiver
    /// refuses; the batch is Active with its sender again. No one else may end it.
    function test_cancelShipment_bySenderOrRefusedByReceiver() public {
        bytes32 id = _commission(producerA, APPLE, 100);
        vm.expectRevert(_errWrongStatus(id, ITraceLedger.BatchStatus.Active));
        vm.prank(producerA);
        trace.cancelShipment(id);

        _ship(id, producerA, logistics);
        vm.expectRevert(_errNotCustodian(id, retailerA, producerA));
        vm.prank(retailerA);
        trace.cancelShipment(id);

        vm.expectEmit(address(trace));
        emit ITraceLedger.ShipmentCancelled(id, producerA, logistics, false);
        vm.prank(producerA);
        trace.cancelShipment(id);
        ITraceLedger.Batch memory b = trace.batch(id);
        assertEq(b.custodian, producerA);
        assertEq(uint8(b.status), uint8(ITraceLedger.BatchStatus.Active));
        assertEq(b.receiver, address(0));
        vm.expectRevert(_errWrongStatus(id, ITraceLedger.BatchStatus.Active));
        _accept(id, logistics);

        _ship(id, producerA, retailerA);
        vm.expectEmit(address(trace));
        emit ITraceLedger.ShipmentCancelled(id, retailerA, retailerA, true);
        vm.prank(retailerA);
        trace.cancelShipment(id);
        b = trace.batch(id);
        assertEq(b.custodian, producerA, "refused: the sender keeps it");
        assertEq(uint8(b.status), uint8(ITraceLedger.BatchStatus.Active));
    }

    /// Rule: an organisation suspended through OrgRegistry.suspend has lost its role: as custodian it
    /// can no longer act (Unauthorized with the role it held the batch in), as receiver it can
    /// neither accept nor refuse and cannot be shipped to; reinstated, it acts again.
    function test_custody_suspendedOrganisationCannotAct() public {
        bytes32 id = _commission(producerA, APPLE, 100);
        ITraceLedger.Context memory ctx = _ctx();
        _suspend(producerA);
        bytes memory lost = _errUnauthorized(producerA, Roles.PRODUCER);
        vm.startPrank(producerA);
        vm.expectRevert(lost);
        trace.ship(id, logistics, ctx);
        vm.expectRevert(lost);
        trace.recordEvent(id, 7, ctx);
        vm.expectRevert(lost);
        trace.destroy(id, ctx);
        bytes32[] memory lots = new bytes32[](2);
        lots[0] = "S-1";
        lots[1] = "S-2";
        uint128[] memory quantities = new uint128[](2);
        quantities[0] = 60;
        quantities[1] = 40;
        vm.expectRevert(lost);
        trace.split(id, lots, quantities, ctx);
        vm.expectRevert(lost);
        trace.registerProduct("PEAR", ITraceLedger.Category.Agricultural, producerA, false, bytes32(0));
        vm.stopPrank();
        vm.expectRevert(_errManaged(producerA));
        _commission(producerA, APPLE, 1);

        _reinstate(producerA);
        _ship(id, producerA, logistics);
        _suspend(logistics);
        bytes memory receiverLost = _errUnauthorized(logistics, Roles.LOGISTICS);
        vm.expectRevert(receiverLost);
        _accept(id, logistics);
        vm.expectRevert(receiverLost);
        vm.prank(logistics);
        trace.cancelShipment(id);
        vm.prank(producerA);
        trace.cancelShipment(id);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotSupplyChainOrg.selector, logistics));
        _ship(id, producerA, logistics);

        _reinstate(logistics);
        _handOver(id, producerA, logistics);
        _suspend(logistics);
        vm.expectRevert(receiverLost);
        _ship(id, logistics, retailerA);
        _reinstate(logistics);
        _handOver(id, logistics, retailerA);
        assertEq(trace.batch(id).custodian, retailerA);
    }

    /// Rule: the custodian destroys an Active batch (recalled or not); a batch is destroyed once.
    function test_destroy_byCustodian() public {
        bytes32 id = _commission(producerA, APPLE, 100);
        _recall(id);
        ITraceLedger.Context memory ctx = _ctx();
        vm.expectEmit(address(trace));
        emit ITraceLedger.BatchDestroyed(id, producerA, 100, 0, ctx);
        vm.prank(producerA);
        trace.destroy(id, ctx);
        assertEq(uint8(_status(id)), uint8(ITraceLedger.BatchStatus.Destroyed));
        vm.expectRevert(_errWrongStatus(id, ITraceLedger.BatchStatus.Destroyed));
        vm.prank(producerA);
        trace.destroy(id, ctx);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownBatch.selector, bytes32("nope")));
        vm.prank(producerA);
        trace.destroy("nope", ctx);
    }
}
