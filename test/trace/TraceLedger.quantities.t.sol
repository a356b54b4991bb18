// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<rule or attack>`); gas hints do not apply to test code.
// solhint-disable func-name-mixedcase, gas-small-strings
pragma solidity ^0.8.24;

import {ITraceLedger} from "../../contracts/interfaces/ITraceLedger.sol";
import {TraceLedgerFixture, KGM, H87, CLOCK_SKEW, GLN_WAREHOUSE, contextOf} from "../utils/TraceLedgerFixture.sol";

/// Issue 19: quantities and units on every custody and disposition event, honest recall accounting, GI
/// mass balance, event-time order, event ids and errorDeclarations. Each attack the issue tried on the
/// CLI is written here as the call it made; each is refused with a custom error naming the values.
contract TraceLedgerQuantitiesTest is TraceLedgerFixture {
    bytes3 internal constant LTR = "LTR";
    bytes3 internal constant XBX = "XBX";

    function _q(uint256 quantity, bytes3 uom) internal view returns (ITraceLedger.Context memory ctx) {
        ctx = _ctx();
        ctx.quantity = uint128(quantity);
        ctx.uom = uom;
    }

    function _shipPart(bytes32 id, address from, address to, uint256 quantity) internal returns (bytes32 part) {
        bytes32 lot = _derivedLot(id, from);
        vm.prank(from);
        part = trace.shipPart(id, lot, to, _q(quantity, KGM));
        _lotOf[part] = lot;
    }

    // ---------------------------------------------------------------- custody with quantities

    /// The issue: "a 200 KGM receipt moves custody of a whole 1000 KGM lot". A receipt states what was
    /// shipped or is refused; a part ships as its own sub-lot and its receipt moves that part only.
    function test_receipt_mustMatchShipment_andPartialShipmentMovesThePart() public {
        bytes32 lot = _commission(producerA, APPLE, 1_000_000); // 1000 KGM
        _ship(lot, producerA, logistics);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerReceiptMismatch.selector, lot, 1_000_000, 200_000)
        );
        vm.prank(logistics);
        trace.accept(lot, _q(200_000, KGM));
        vm.prank(producerA);
        trace.cancelShipment(lot);

        // Shipping 200 of 1000 with `ship` would move the whole lot: refused, it names the held quantity.
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerPartialShipment.selector, lot, 1_000_000, 200_000)
        );
        vm.prank(producerA);
        trace.ship(lot, logistics, _q(200_000, KGM));

        bytes32 part = _shipPart(lot, producerA, logistics, 200_000);
        assertEq(trace.batch(lot).quantity, 800_000, "the lot keeps the rest");
        assertEq(trace.flowsOf(lot).shippedOff, 200_000);
        assertEq(trace.batch(part).quantity, 200_000);
        assertEq(uint8(trace.batch(part).status), uint8(ITraceLedger.BatchStatus.InTransit));
        assertTrue(trace.descendsFrom(part, lot), "the part descends from the lot: a recall reaches it");
        vm.prank(logistics);
        trace.accept(part, _q(200_000, KGM));
        assertEq(trace.batch(part).custodian, logistics);
        assertEq(trace.batch(lot).custodian, producerA, "the rest stays with the producer");

        // A part as large as the lot is a whole shipment.
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerPartialShipment.selector, lot, 800_000, 800_000)
        );
        vm.prank(producerA);
        trace.shipPart(lot, "P-WHOLE", logistics, _q(800_000, KGM));
    }

    /// The issue: "an LTR document is accepted for a KGM lot". A quantity in another unit is converted by the
    /// product's declared conversion, or refused.
    function test_unit_otherUnitRefused_unlessDeclaredConversion() public {
        bytes32 lot = _commission(producerA, APPLE, 1_000_000);
        _ship(lot, producerA, logistics);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerUnitMismatch.selector, lot, LTR, KGM));
        vm.prank(logistics);
        trace.accept(lot, _q(1_000_000, LTR));

        // 1 box of apples = 0.25 KGM: 4,000 boxes are the 1,000 KGM shipped.
        vm.prank(producerA);
        trace.declareConversion(APPLE, XBX, KGM, 250_000);
        assertEq(trace.conversion(APPLE, XBX, KGM), 250_000);
        vm.prank(logistics);
        trace.accept(lot, _q(4_000_000, XBX));
        assertEq(trace.batch(lot).custodian, logistics);

        // Declarations are immutable (either direction), and only the product's producer declares.
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerConversionExists.selector, APPLE, KGM, XBX, 250_000)
        );
        vm.prank(producerA);
        trace.declareConversion(APPLE, KGM, XBX, 1);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerNotProductProducer.selector, APPLE, producerB, producerA)
        );
        vm.prank(producerB);
        trace.declareConversion(APPLE, H87, KGM, 200_000);
    }

    /// Observations, sales and destruction carry quantities bounded by what is held; a part sold or
    /// destroyed reduces the batch and is counted in its flows.
    function test_observationSaleDestruction_boundedByHeld() public {
        bytes32 lot = _commission(producerA, APPLE, 30_000);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, 31_000, 30_000));
        vm.prank(producerA);
        trace.recordEvent(lot, 7, _q(31_000, KGM));
        vm.prank(producerA);
        trace.recordEvent(lot, 7, _q(10_000, KGM));
        assertEq(trace.batch(lot).quantity, 30_000, "an observation moves nothing");

        _handOver(lot, producerA, retailerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, 31_000, 30_000));
        vm.prank(retailerA);
        trace.sell(lot, _q(31_000, KGM));
        vm.expectEmit(address(trace));
        emit ITraceLedger.BatchSold(lot, retailerA, 10_000, 20_000, _q(10_000, KGM));
        vm.prank(retailerA);
        trace.sell(lot, _q(10_000, KGM));
        assertEq(trace.batch(lot).quantity, 20_000);
        assertEq(uint8(_status(lot)), uint8(ITraceLedger.BatchStatus.Active), "the rest is still on sale");
        vm.prank(retailerA);
        trace.destroy(lot, _q(5_000, KGM));
        assertEq(trace.flowsOf(lot).sold, 10_000);
        assertEq(trace.flowsOf(lot).destroyed, 5_000);
        vm.prank(retailerA);
        trace.sell(lot, _q(15_000, KGM));
        assertEq(uint8(_status(lot)), uint8(ITraceLedger.BatchStatus.RetailSold), "all sold");
    }

    // ---------------------------------------------------------------- recall accounting

    /// The issue: "acknowledging 31 boxes of 30 held is accepted; 1,000,000 boxes shows 100.0 %; sold units can
    /// never be accounted for"; "69 of 100 KGM mixes dried kilograms and boxes". Acknowledgements are in the
    /// batch's unit, bounded by what is held (or sold), and converted along the lineage to the recalled unit.
    function test_recall_accountsPerUnitAlongLineage_andCannotBeGamed() public {
        bytes32 peel = _commission(producerA, PEEL, 100_000); // 100 KGM of peel
        (bytes32 kept, bytes32 toBox) = _split2(peel, producerA, 70_000, 30_000);
        // 30 KGM packed into boxes of 0.25 KGM: 120 boxes (ratio 4 boxes per KGM).
        ITraceLedger.Transformation memory t = _transformation(CHENPI, XBX, 4e6, 0);
        vm.prank(producerA);
        bytes32 boxes = trace.transform(_one(toBox), t, _ctx());
        assertEq(trace.batch(boxes).quantity, 120_000);
        assertEq(trace.ratioOf(boxes), 4e6);
        (bytes32 held, bytes32 sold) = _split2(boxes, producerA, 30_000, 90_000);
        _certify(sold, true, block.timestamp + 30 days); // 陈皮 is food: sold with a valid pass
        _handOver(sold, producerA, retailerA);
        vm.prank(retailerA);
        trace.sell(sold, _ctx());
        uint32 r = _recall(peel);
        assertEq(trace.recallInfo(r).affected, 100_000);

        // 31 boxes of the 30 held, or a million boxes: refused, in the batch's own unit.
        vm.startPrank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, 31_000, 30_000));
        trace.acknowledgeRecall(r, held, ITraceLedger.RecallAction.Hold, 31_000, "h");
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, 1_000_000_000, 30_000)
        );
        trace.acknowledgeRecall(r, held, ITraceLedger.RecallAction.Hold, 1_000_000_000, "h");
        // 30 boxes are 7.5 KGM of the recalled peel.
        vm.expectEmit(address(trace));
        emit ITraceLedger.RecallAcknowledged(r, held, producerA, ITraceLedger.RecallAction.Hold, 30_000, 7_500, "h");
        trace.acknowledgeRecall(r, held, ITraceLedger.RecallAction.Hold, 30_000, "h");
        trace.acknowledgeRecall(r, kept, ITraceLedger.RecallAction.Destroy, 70_000, "d");
        vm.stopPrank();
        assertEq(trace.recallInfo(r).accounted, 77_500);

        // Sold boxes reached the consumer: the retailer accounts for what it sold, no more.
        vm.startPrank(retailerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerWrongStatus.selector, sold, _status(sold)));
        trace.acknowledgeRecall(r, sold, ITraceLedger.RecallAction.Hold, 1, "h");
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, 90_001, 90_000));
        trace.acknowledgeRecall(r, sold, ITraceLedger.RecallAction.ReachedConsumer, 90_001, "c");
        trace.acknowledgeRecall(r, sold, ITraceLedger.RecallAction.ReachedConsumer, 90_000, "c");
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerAlreadyAcknowledged.selector, r, sold));
        trace.acknowledgeRecall(r, sold, ITraceLedger.RecallAction.ReachedConsumer, 1, "c");
        vm.stopPrank();
        ITraceLedger.Recall memory info = trace.recallInfo(r);
        assertEq(info.accounted, 100_000, "70 + 7.5 + 22.5 KGM: every kilogram accounted, 100 %");
        assertLe(info.accounted, info.affected);
    }

    /// A recall of a partly sold and partly destroyed lot is of everything the lot was made with; the part
    /// sold is accounted by its retailer as reached the consumer.
    function test_recall_affectedIncludesPartsSoldAndDestroyed() public {
        bytes32 lot = _commission(producerA, APPLE, 30_000);
        _handOver(lot, producerA, retailerA);
        vm.startPrank(retailerA);
        trace.sell(lot, _q(10_000, KGM));
        trace.destroy(lot, _q(5_000, KGM));
        vm.stopPrank();
        uint32 r = _recall(lot);
        assertEq(trace.recallInfo(r).affected, 30_000);
        vm.startPrank(retailerA);
        trace.acknowledgeRecall(r, lot, ITraceLedger.RecallAction.ReachedConsumer, 10_000, "sold");
        trace.acknowledgeRecall(r, lot, ITraceLedger.RecallAction.Destroy, 6_000, "destroyed in part");
        vm.stopPrank();
        assertEq(trace.batch(lot).quantity, 9_000);
        assertEq(uint8(_status(lot)), uint8(ITraceLedger.BatchStatus.Active), "the rest is still held");
        assertEq(trace.recallInfo(r).accounted, 16_000);
    }

    // ---------------------------------------------------------------- GI mass balance

    /// The issue: "1 kg of non-GI peel became 250 kg of GI-labelled 新会陈皮". The label passes only onto output
    /// that labelled input backs, in the input's unit.
    function test_gi_transformationNeedsLabelledInputMass() public {
        bytes32 plain = _commission(producerA, PEEL, 1000); // 1 kg, no label
        ITraceLedger.Transformation memory t = _transformation(CHENPI, KGM, 250e6, chenpiGi);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerGiMassNotBacked.selector, chenpiGi, 0, 250_000));
        vm.prank(producerA);
        trace.transform(_one(plain), t, _ctx());

        // Labelled, 1 kg still does not make 250 kg: GI mass is never created.
        bytes32 labelled = _commission(producerA, PEEL, 1000, KGM, peelGi);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerGiMassNotBacked.selector, chenpiGi, 1000, 250_000)
        );
        vm.prank(producerA);
        trace.transform(_one(labelled), t, _ctx());

        // Drying 1 kg into 0.3 kg is backed.
        bytes32 dried = _transform(producerA, _one(labelled), CHENPI, 300_000, chenpiGi);
        assertEq(trace.batch(dried).giCertificate, chenpiGi);
        assertEq(_labelled(chenpiGi), 300);

        // Another output unit needs the output product's declared conversion.
        bytes32 more = _commission(producerA, PEEL, 1000, KGM, peelGi);
        ITraceLedger.Transformation memory boxes = _transformation(CHENPI, XBX, 1e6, chenpiGi);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerGiMassNotBacked.selector, chenpiGi, 1000, 0));
        vm.prank(producerA);
        trace.transform(_one(more), boxes, _ctx());
    }

    /// The issue: "50 kg was commissioned with the GI label and no input at all". The label starts only at
    /// a harvest (an agricultural product), within the certificate's season.
    function test_gi_commissionOnlyAtHarvestWithinSeason() public {
        ITraceLedger.Commission memory c = ITraceLedger.Commission({
            productCode: CHENPI,
            lotCode: _freshLot(),
            quantity: 50_000,
            uom: KGM,
            giCertificate: chenpiGi
        });
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerGiNeedsInput.selector, CHENPI));
        vm.prank(producerA);
        trace.commissionBatch(c, _ctx());

        // A harvest dated before the certificate's season (backdated to 2013).
        vm.warp(block.timestamp + 1 days);
        vm.prank(marketRegulator);
        uint32 late = trace.issueGiCertificate(producerA, PEEL, KGM, 1e6, uint64(block.timestamp + 30 days), "d");
        c.productCode = PEEL;
        c.giCertificate = late;
        ITraceLedger.Context memory ctx = _ctx();
        ctx.eventTime = 1_370_000_000;
        vm.expectRevert(
            abi.encodeWithSelector(
                ITraceLedger.TraceLedgerGiOutOfSeason.selector,
                late,
                1_370_000_000,
                uint64(block.timestamp),
                uint64(block.timestamp + 30 days)
            )
        );
        vm.prank(producerA);
        trace.commissionBatch(c, ctx);
        vm.prank(producerA);
        trace.commissionBatch(c, _ctx());
        assertEq(_labelled(late), 50_000);
    }

    /// Certificates cannot be overwritten: a second certificate for the same producer and product is a new
    /// one; the first keeps its ceiling, season and labelled quantity, and an inspection fail is not replaced
    /// by a later pass.
    function test_certificates_cannotBeOverwritten() public {
        _commission(producerA, PEEL, 1000, KGM, peelGi);
        ITraceLedger.GiCertificate memory before = trace.giCertificate(peelGi);
        uint64 seasonBefore = trace.giSeasonStart(peelGi);
        vm.warp(block.timestamp + 1 days);
        vm.prank(marketRegulator);
        uint32 second = trace.issueGiCertificate(producerA, PEEL, KGM, 1, uint64(block.timestamp + 1 days), "d2");
        assertTrue(second != peelGi);
        ITraceLedger.GiCertificate memory afterwards = trace.giCertificate(peelGi);
        assertEq(afterwards.ceiling, before.ceiling);
        assertEq(afterwards.labelled, before.labelled);
        assertEq(afterwards.validUntil, before.validUntil);
        assertEq(trace.giSeasonStart(peelGi), seasonBefore);

        bytes32 milk = _commission(producerB, MILK, 100);
        _certify(milk, false, 0);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerFailedInspectionStands.selector, milk, inspector)
        );
        _certify(milk, true, block.timestamp + 1 days);
    }

    // ---------------------------------------------------------------- event time order

    /// The issue: "a receipt dated 2013 was accepted after a 2026 shipment". An event is not before the
    /// batch's last event beyond the clock-skew tolerance (15 minutes); within it, it is accepted.
    function test_eventOrder_enforcedPerBatchWithTolerance() public {
        vm.warp(1_790_000_000); // 2026
        bytes32 lot = _commission(producerA, APPLE, 1000);
        _ship(lot, producerA, logistics);
        ITraceLedger.Context memory old = _ctx();
        old.eventTime = 1_370_000_000; // 2013
        vm.expectRevert(
            abi.encodeWithSelector(
                ITraceLedger.TraceLedgerEventOutOfOrder.selector,
                lot,
                1_370_000_000,
                uint64(block.timestamp)
            )
        );
        vm.prank(logistics);
        trace.accept(lot, old);
        ITraceLedger.Context memory skewed = _ctx();
        skewed.eventTime = uint64(block.timestamp - CLOCK_SKEW);
        vm.prank(logistics);
        trace.accept(lot, skewed);
        assertEq(trace.batch(lot).lastEventTime, block.timestamp, "the latest time is kept");

        // Derived batches start at their inputs' latest event time.
        vm.warp(block.timestamp + 1 hours);
        (bytes32 a, ) = _split2(lot, logistics, 400, 600);
        assertEq(trace.batch(a).lastEventTime, block.timestamp);
        ITraceLedger.Context memory early = _ctx();
        early.eventTime = uint64(block.timestamp - 1 hours);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITraceLedger.TraceLedgerEventOutOfOrder.selector,
                a,
                uint64(block.timestamp - 1 hours),
                uint64(block.timestamp)
            )
        );
        vm.prank(logistics);
        trace.recordEvent(a, 7, early);
    }

    // ---------------------------------------------------------------- event ids and errorDeclarations

    /// The issue: "re-importing an observation records it twice". An event id is recorded once, whoever
    /// sends it again.
    function test_eventId_recordedOnce() public {
        bytes32 lot = _commission(producerA, APPLE, 1000);
        ITraceLedger.Context memory ctx = _ctx();
        ctx.eventId = keccak256("ni:///sha-256;observation");
        vm.prank(producerA);
        trace.recordEvent(lot, 7, ctx);
        assertEq(trace.eventRecord(producerA, ctx.eventId).org, producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerEventRecorded.selector, ctx.eventId, producerA));
        vm.prank(producerA);
        trace.recordEvent(lot, 7, ctx);
        // Another step with the same id is the same event recorded twice too.
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerEventRecorded.selector, ctx.eventId, producerA));
        vm.prank(producerA);
        trace.ship(lot, logistics, ctx);
    }

    /// An attacker with a supply-chain role who has seen a partner's eventID (a document handed round for a
    /// multi-party import) records an event of its own under it first: the partner's event must still be
    /// recorded, and the id stays the partner's to correct. Event ids are kept per recording organisation.
    function test_eventId_cannotBeSquattedByAnotherOrganisation() public {
        bytes32 lot = _commission(producerA, APPLE, 1000);
        bytes32 milk = _commission(producerB, MILK, 100);
        ITraceLedger.Context memory ctx = _ctx();
        ctx.eventId = keccak256("urn:uuid:partner-event");
        vm.prank(producerB);
        trace.recordEvent(milk, 7, ctx); // the squat
        vm.prank(producerA);
        trace.recordEvent(lot, 7, ctx); // the partner's own event, under its own id
        // Each organisation corrects only what it recorded, and the squatter's correction leaves the partner's event.
        vm.prank(producerB);
        trace.correctEvent(ctx.eventId, 1, new bytes32[](0));
        assertTrue(trace.eventRecord(producerB, ctx.eventId).corrected);
        assertFalse(trace.eventRecord(producerA, ctx.eventId).corrected, "the partner's event is not corrected");
        vm.prank(producerA);
        trace.correctEvent(ctx.eventId, 2, new bytes32[](0));
        assertTrue(trace.eventRecord(producerA, ctx.eventId).corrected);
    }

    /// The issue: "an errorDeclaration is recorded as the very event it retracts". It is a correction of
    /// the referenced event, by the organisation that recorded it, once, naming recorded corrective events.
    function test_errorDeclaration_isACorrection() public {
        bytes32 lot = _commission(producerA, APPLE, 1000);
        ITraceLedger.Context memory wrong = _ctx();
        wrong.eventId = keccak256("wrong");
        vm.prank(producerA);
        trace.recordEvent(lot, 7, wrong);
        ITraceLedger.Context memory right = _ctx();
        right.eventId = keccak256("right");
        vm.prank(producerA);
        trace.recordEvent(lot, 7, right);

        bytes32[] memory corrective = _one(right.eventId);
        // Another organisation has recorded no such event: it cannot declare the producer's in error.
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownEvent.selector, wrong.eventId, logistics)
        );
        vm.prank(logistics);
        trace.correctEvent(wrong.eventId, 2, corrective);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownEvent.selector, keccak256("nope"), producerA)
        );
        vm.prank(producerA);
        trace.correctEvent(keccak256("nope"), 2, corrective);

        vm.expectEmit(address(trace));
        emit ITraceLedger.EventCorrected(wrong.eventId, producerA, 2, corrective);
        vm.prank(producerA);
        trace.correctEvent(wrong.eventId, 2, corrective);
        assertTrue(trace.eventRecord(producerA, wrong.eventId).corrected);
        assertEq(trace.batch(lot).quantity, 1000, "the correction records nothing else");
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerEventAlreadyCorrected.selector, wrong.eventId));
        vm.prank(producerA);
        trace.correctEvent(wrong.eventId, 2, corrective);
    }

    /// All 41 CBV business steps: those without a function of their own are observations (picking, 25, had
    /// "no ledger equivalent"); the disposition the document states is kept in the event.
    function test_observationSteps_allCbvStepsWithoutTheirOwnFunction() public {
        bytes32 lot = _commission(producerA, APPLE, 1000);
        for (uint8 step = 0; step < 64; ++step) {
            bool own = step < 2 || step == 5 || step == 6 || step == 8 || step == 9 || step == 10 || step > 42;
            assertEq(trace.isObservationStep(step), !own, "observation step");
        }
        ITraceLedger.Context memory ctx = _q(500, KGM);
        ctx.disposition = 4;
        vm.expectEmit(address(trace));
        emit ITraceLedger.BatchObserved(lot, producerA, 35, ctx);
        vm.prank(producerA);
        trace.recordEvent(lot, 35, ctx);
        // The fixture's warehouse, to show a location other than the orchard travels too.
        vm.prank(producerA);
        trace.recordEvent(lot, 22, contextOf(GLN_WAREHOUSE, block.timestamp, "d"));
    }
}
