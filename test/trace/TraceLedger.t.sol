// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {ITraceLedger} from "../../contracts/interfaces/ITraceLedger.sol";
import {
    TraceLedgerFixture,
    CLOCK_SKEW,
    GLN_ORCHARD,
    KGM,
    T0,
    contextOf,
    isUnitCode
} from "../utils/TraceLedgerFixture.sol";

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

    /// Rule: registerProduct succeeds for a producer registering for itself and for the regulator
    /// registering for an active producer; the regulator naming a non-producer is NotProducer; anyone
    /// else (another producer's product, a suspended producer, other roles) is Unauthorized with the
    /// role they lack (MARKET_REGULATOR for a producer, PRODUCER otherwise).
    function testFuzz_registerProduct_onlyProducerForItselfOrRegulator(
        uint256 callerSeed,
        uint256 producerSeed,
        bool suspendProducerA,
        uint8 category
    ) public {
        address[8] memory callers = [
            producerA,
            producerB,
            marketRegulator,
            logistics,
            retailerA,
            inspector,
            stranger,
            civilAffairs
        ];
        address[5] memory producers = [producerA, producerB, logistics, inspector, stranger];
        address caller = callers[callerSeed % callers.length];
        address producer = producers[producerSeed % producers.length];
        ITraceLedger.Category cat = ITraceLedger.Category(bound(category, 0, 4));
        if (suspendProducerA) _suspend(producerA);

        bytes memory expected;
        bool callerProduces = _hasRole(Roles.PRODUCER, caller);
        if (caller == marketRegulator) {
            if (!_hasRole(Roles.PRODUCER, producer)) {
                expected = abi.encodeWithSelector(ITraceLedger.TraceLedgerNotProducer.selector, producer);
            }
        } else if (producer != caller || !callerProduces) {
            expected = _errUnauthorized(caller, callerProduces ? Roles.MARKET_REGULATOR : Roles.PRODUCER);
        }

        bytes32 code = "PEAR-YALI";
        if (expected.length != 0) vm.expectRevert(expected);
        else {
            vm.expectEmit(address(trace));
            emit ITraceLedger.ProductRegistered(code, producer, caller, cat, true, keccak256("pear"));
        }
        vm.prank(caller);
        trace.registerProduct(code, cat, producer, true, keccak256("pear"));

        ITraceLedger.Product memory p = trace.product(code);
        if (expected.length != 0) {
            assertEq(p.seq, 0, "nothing registered");
        } else {
            assertEq(p.producer, producer);
            assertEq(uint8(p.category), uint8(cat));
            assertTrue(p.geographicIndication);
            assertEq(p.seq, 5);
            assertEq(trace.productCodeAt(5), code);
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

    /// Rule: only the product's producer commissions it: another producer is NotProductProducer, any
    /// account without the PRODUCER role (including a suspended producer) is refused by the manager.
    function testFuzz_commissionBatch_onlyTheProductsProducer(uint256 callerSeed, bool suspend) public {
        address[7] memory callers = [producerA, producerB, marketRegulator, logistics, retailerA, inspector, stranger];
        address caller = callers[callerSeed % callers.length];
        if (suspend && (caller == producerA || caller == producerB)) _suspend(caller);
        bytes memory expected;
        if (!_hasRole(Roles.PRODUCER, caller)) expected = _errManaged(caller);
        else if (caller != producerA) {
            expected = abi.encodeWithSelector(
                ITraceLedger.TraceLedgerNotProductProducer.selector,
                APPLE,
                caller,
                producerA
            );
        }
        if (expected.length != 0) vm.expectRevert(expected);
        bytes32 id = _commission(caller, APPLE, 1000);
        if (expected.length == 0) assertEq(trace.batch(id).custodian, producerA);
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

    /// Rule: the unit is two or three upper-case letters or digits (checked first), the quantity is
    /// not zero; any valid unit is accepted.
    function testFuzz_commissionBatch_rejectsBadUnitAndZeroQuantity(bytes3 uom, uint128 quantity) public {
        bool validUnit = isUnitCode(uom);
        if (!validUnit) {
            vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidUnit.selector, uom));
        } else if (quantity == 0) {
            vm.expectRevert(ITraceLedger.TraceLedgerZeroQuantity.selector);
        }
        bytes32 id = _commission(producerA, APPLE, quantity, uom, 0);
        if (validUnit && quantity != 0) {
            assertEq(trace.batch(id).uom, uom);
            assertEq(trace.batch(id).quantity, quantity);
        }
        // Zero is refused whatever the unit.
        vm.expectRevert(ITraceLedger.TraceLedgerZeroQuantity.selector);
        _commission(producerA, APPLE, 0, KGM, 0);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidUnit.selector, bytes3("kg")));
        _commission(producerA, APPLE, 1, "kg", 0);
    }

    /// Rule: a commissioning states where (location not 0: NoOrigin) and an event time at most 15
    /// minutes ahead of the block (EventInFuture beyond); any time in the past is accepted.
    function testFuzz_commissionBatch_needsOriginAndNoFutureTime(uint256 offset, bool ahead) public {
        offset = bound(offset, 0, 30 days);
        uint256 eventTime = ahead ? block.timestamp + offset : block.timestamp - offset;
        ITraceLedger.Commission memory c = ITraceLedger.Commission({
            productCode: APPLE,
            lotCode: "LOT-T",
            quantity: 5,
            uom: KGM,
            giCertificate: 0
        });

        vm.expectRevert(ITraceLedger.TraceLedgerNoOrigin.selector);
        vm.prank(producerA);
        trace.commissionBatch(c, contextOf(0, block.timestamp, bytes32(0)));

        bool future = ahead && offset > CLOCK_SKEW;
        if (future) {
            vm.expectRevert(
                abi.encodeWithSelector(ITraceLedger.TraceLedgerEventInFuture.selector, eventTime, block.timestamp)
            );
        }
        vm.prank(producerA);
        bytes32 id = trace.commissionBatch(c, contextOf(GLN_ORCHARD, eventTime, bytes32(0)));
        assertEq(_status(id) == ITraceLedger.BatchStatus.Active, !future);
    }

    // ---------------------------------------------------------------- observation events

    /// Rule: the custodian records only observation steps (inspecting, packing, storing, ...; not
    /// commissioning, shipping, receiving, retail_selling, destroying or transforming), on an Active batch.
    function testFuzz_recordEvent_onlyObservationSteps(uint8 step) public {
        bytes32 id = _commission(producerA, APPLE, 100);
        // CBV codes of src/trace/vocabulary.ts: observation steps are 2-4, 7 and 11-21.
        bool observation = step == 2 || step == 3 || step == 4 || step == 7 || (step >= 11 && step <= 21);
        assertEq(trace.isObservationStep(step), observation);
        ITraceLedger.Context memory ctx = _ctx();
        if (!observation) {
            vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotObservationStep.selector, step));
        } else {
            vm.expectEmit(address(trace));
            emit ITraceLedger.BatchObserved(id, producerA, step, ctx);
        }
        vm.prank(producerA);
        trace.recordEvent(id, step, ctx);

        _ship(id, producerA, logistics);
        vm.expectRevert(
            observation
                ? _errWrongStatus(id, ITraceLedger.BatchStatus.InTransit)
                : abi.encodeWithSelector(ITraceLedger.TraceLedgerNotObservationStep.selector, step)
        );
        vm.prank(producerA);
        trace.recordEvent(id, step, ctx);
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
        emit ITraceLedger.BatchSold(id, retailerA, ctx);
        vm.prank(retailerA);
        trace.sell(id, ctx);
        assertEq(uint8(_status(id)), uint8(ITraceLedger.BatchStatus.RetailSold));
        vm.expectRevert(_errWrongStatus(id, ITraceLedger.BatchStatus.RetailSold));
        _ship(id, retailerA, logistics);
    }

    /// Rule: only the pending receiver accepts; anyone else is NotReceiver, a batch not in transit is
    /// WrongStatus.
    function testFuzz_accept_onlyTheReceiver(uint256 callerSeed) public {
        address[8] memory callers = [
            producerA,
            producerB,
            marketRegulator,
            logistics,
            retailerA,
            inspector,
            stranger,
            retailerB
        ];
        address caller = callers[callerSeed % callers.length];
        bytes32 id = _commission(producerA, APPLE, 100);
        vm.expectRevert(_errWrongStatus(id, ITraceLedger.BatchStatus.Active));
        _accept(id, logistics);

        _ship(id, producerA, retailerB);
        if (caller != retailerB) {
            vm.expectRevert(
                abi.encodeWithSelector(ITraceLedger.TraceLedgerNotReceiver.selector, id, caller, retailerB)
            );
        }
        _accept(id, caller);
        assertEq(trace.batch(id).custodian, caller == retailerB ? retailerB : producerA);
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

    /// Rule: the receiver of a shipment is an active producer, logistics company or retailer (its
    /// role is stored); the sender itself is SelfShipment, anyone else NotSupplyChainOrg.
    function testFuzz_ship_receiverMustBeSupplyChainOrg(uint256 toSeed, address any, bool suspendReceiver) public {
        address[9] memory receivers = [
            producerB,
            logistics,
            retailerA,
            inspector,
            marketRegulator,
            civilAffairs,
            stranger,
            producerA,
            any
        ];
        address to = receivers[toSeed % receivers.length];
        vm.assume(to != address(manager) && to != address(registry) && to != address(this));
        if (suspendReceiver && (to == producerB || to == logistics || to == retailerA)) _suspend(to);
        bytes32 id = _commission(producerA, APPLE, 100);

        uint64 role = 0;
        if (_hasRole(Roles.LOGISTICS, to)) role = Roles.LOGISTICS;
        else if (_hasRole(Roles.RETAILER, to)) role = Roles.RETAILER;
        else if (_hasRole(Roles.PRODUCER, to)) role = Roles.PRODUCER;
        if (to == producerA) {
            vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerSelfShipment.selector, id));
        } else if (role == 0) {
            vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerNotSupplyChainOrg.selector, to));
        }
        _ship(id, producerA, to);
        ITraceLedger.Batch memory b = trace.batch(id);
        if (to != producerA && role != 0) {
            assertEq(b.receiver, to);
            assertEq(b.receiverRole, role);
        } else {
            assertEq(uint8(b.status), uint8(ITraceLedger.BatchStatus.Active));
        }
    }

    /// Rule: only the custodian acts on a batch: recordEvent, ship, split, merge, sell, destroy and
    /// cancelShipment by anyone else are NotCustodian.
    function testFuzz_custody_onlyTheCustodianActs(uint256 callerSeed) public {
        address[7] memory callers = [producerA, producerB, marketRegulator, logistics, retailerB, inspector, stranger];
        address caller = callers[callerSeed % callers.length];
        bytes32 id = _commission(producerA, APPLE, 100);
        bytes32 other = _commission(producerA, APPLE, 100);
        _handOver(id, producerA, retailerA);
        _handOver(other, producerA, retailerA);
        ITraceLedger.Context memory ctx = _ctx();
        bytes memory notCustodian = _errNotCustodian(id, caller, retailerA);

        vm.startPrank(caller);
        vm.expectRevert(notCustodian);
        trace.recordEvent(id, 7, ctx);
        vm.expectRevert(notCustodian);
        trace.ship(id, logistics, ctx);
        bytes32[] memory lots = new bytes32[](2);
        lots[0] = "X-1";
        lots[1] = "X-2";
        uint128[] memory quantities = new uint128[](2);
        quantities[0] = 50;
        quantities[1] = 50;
        vm.expectRevert(notCustodian);
        trace.split(id, lots, quantities, ctx);
        vm.expectRevert(notCustodian);
        trace.merge(_pair(id, other), "X-3", ctx);
        vm.expectRevert(notCustodian);
        trace.sell(id, ctx);
        vm.expectRevert(notCustodian);
        trace.destroy(id, ctx);
        vm.stopPrank();

        vm.prank(retailerA);
        trace.ship(id, logistics, ctx);
        if (caller != logistics) {
            vm.expectRevert(notCustodian);
            vm.prank(caller);
            trace.cancelShipment(id);
        }
        assertEq(trace.batch(id).custodian, retailerA);
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
        emit ITraceLedger.BatchDestroyed(id, producerA, ctx);
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
