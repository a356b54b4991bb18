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
    H87,
    KGM,
    contextOf,
    isUnitCode,
    subLotOf
} from "../utils/TraceLedgerFixture.sol";

contract TraceLedgerFuzzTest is TraceLedgerFixture {
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

    /// Rule: the custodian records only observation steps (inspecting, packing, storing, ...; not
    /// commissioning, shipping, receiving, retail_selling, destroying or transforming), on an Active batch.
    function testFuzz_recordEvent_onlyObservationSteps(uint8 step) public {
        bytes32 id = _commission(producerA, APPLE, 100);
        // CBV codes of src/trace/vocabulary.ts: observation steps are 2-42 but shipping (5), receiving (6),
        // retail_selling (8), destroying (9) and transforming (10), which have their own functions (issue 19:
        // all 41 CBV steps).
        bool observation = step >= 2 && step <= 42 && (step < 5 || step == 7 || step > 10);
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

    /// Rule: split conserves quantity: children of the same product and unit whose quantities add up
    /// to the parent's, the parent Consumed, each child held by the splitter with the parent's
    /// certificate, GI label and recall cache, lineage parent + 1. Quantities that do not add up are
    /// QuantityMismatch(parent, sum); a zero part is ZeroQuantity.
    function testFuzz_split_conservesQuantity(uint256 total, uint256 n, uint256 seed, uint256 delta) public {
        n = bound(n, 2, 20);
        total = bound(total, n, type(uint128).max);
        bytes32 parent = _commission(producerA, PEEL, total, KGM, 0);
        _certify(parent, true, block.timestamp + 30 days);
        _handOver(parent, producerA, logistics);

        uint128[] memory quantities = _partition(total, n, seed);
        uint256 k = seed % n;
        bytes32[] memory lots = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) lots[i] = subLotOf(_lotOf[parent], i); // the logistics company's lots

        // One part too small or too large by delta.
        uint128 kept = quantities[k];
        uint256 wrong;
        if (seed % 2 == 0 && kept > 1) {
            delta = bound(delta, 1, kept - 1);
            quantities[k] = uint128(kept - delta);
            wrong = total - delta;
        } else {
            delta = bound(delta, 1, type(uint128).max - kept);
            quantities[k] = uint128(kept + delta);
            wrong = total + delta;
        }
        vm.expectRevert(_errMismatch(total, wrong));
        vm.prank(logistics);
        trace.split(parent, lots, quantities, _ctx());
        quantities[k] = 0;
        vm.expectRevert(ITraceLedger.TraceLedgerZeroQuantity.selector);
        vm.prank(logistics);
        trace.split(parent, lots, quantities, _ctx());
        quantities[k] = kept;

        vm.prank(logistics);
        bytes32[] memory children = trace.split(parent, lots, quantities, _ctx());
        _checkSplit(parent, children, lots, quantities, total);
    }

    /// @dev Children of a split by the logistics company of a certified peel batch of `total`.
    function _checkSplit(
        bytes32 parent,
        bytes32[] memory children,
        bytes32[] memory lots,
        uint128[] memory quantities,
        uint256 total
    ) internal view {
        assertEq(uint8(_status(parent)), uint8(ITraceLedger.BatchStatus.Consumed));
        ITraceLedger.Batch memory p = trace.batch(parent);
        uint256 sum = 0;
        for (uint256 i = 0; i < children.length; ++i) {
            ITraceLedger.Batch memory c = trace.batch(children[i]);
            assertEq(children[i], trace.batchId(PEEL, lots[i]));
            assertEq(c.quantity, quantities[i]);
            assertEq(c.custodian, logistics);
            assertEq(c.custodianRole, Roles.LOGISTICS);
            assertEq(uint8(c.status), uint8(ITraceLedger.BatchStatus.Active));
            assertEq(c.uom, KGM);
            assertEq(uint8(c.cert), uint8(ITraceLedger.CertResult.Passed), "certificate inherited");
            assertEq(c.certValidUntil, p.certValidUntil);
            assertEq(c.productSeq, p.productSeq);
            assertEq(c.lineage, 2);
            assertEq(c.parentCount, 1);
            bytes32[] memory parents = trace.parentsOf(children[i]);
            assertEq(parents.length, 1);
            assertEq(parents[0], parent);
            assertTrue(trace.descendsFrom(children[i], parent));
            assertFalse(trace.descendsFrom(parent, children[i]));
            sum += c.quantity;
        }
        assertEq(sum, total, "quantity conserved");
    }

    /// Rule: merging 2..5 batches of one product and unit held by the caller makes one batch of their
    /// total with all of them as parents (lineage 1 + theirs); the inputs are Consumed.
    function testFuzz_merge_conservesQuantity(uint128[5] memory quantities, uint256 n) public {
        n = bound(n, 2, 5);
        bytes32[] memory inputs = new bytes32[](n);
        uint256 total = 0;
        for (uint256 i = 0; i < n; ++i) {
            uint256 q = bound(quantities[i], 1, type(uint128).max / 8);
            inputs[i] = _commission(producerB, MILK, q);
            _handOver(inputs[i], producerB, logistics);
            total += q;
        }
        bytes32 lot = subLotOf(_lotOf[inputs[0]], 1); // the logistics company's lot
        ITraceLedger.Context memory ctx = _ctx();
        bytes32 expectedId = trace.batchId(MILK, lot);
        vm.expectEmit(address(trace));
        emit ITraceLedger.BatchesMerged(expectedId, logistics, inputs, lot, uint128(total), ctx);
        vm.prank(logistics);
        bytes32 output = trace.merge(inputs, lot, ctx);
        assertEq(output, expectedId);

        ITraceLedger.Batch memory o = trace.batch(output);
        assertEq(o.quantity, total, "quantity conserved");
        assertEq(o.custodian, logistics);
        assertEq(o.custodianRole, Roles.LOGISTICS);
        assertEq(o.uom, KGM);
        assertEq(o.productSeq, trace.product(MILK).seq);
        assertEq(o.lineage, n + 1);
        bytes32[] memory parents = trace.parentsOf(output);
        assertEq(parents.length, n);
        for (uint256 i = 0; i < n; ++i) {
            assertEq(parents[i], inputs[i]);
            assertEq(uint8(_status(inputs[i])), uint8(ITraceLedger.BatchStatus.Consumed));
            assertTrue(trace.descendsFrom(output, inputs[i]));
        }
    }

    /// Rule: a transformation's output quantity is exactly floor(sum(inputs) * ratioPpm / 1e6), in the
    /// output product and unit, with the inputs as parents; a result of zero is ZeroQuantity.
    function testFuzz_transform_outputIsInputsTimesRatio(
        uint128[3] memory quantities,
        uint256 n,
        uint32 ratioPpm,
        bool pieces
    ) public {
        n = bound(n, 1, 3);
        ratioPpm = uint32(bound(ratioPpm, 1, type(uint32).max));
        bytes32[] memory inputs = new bytes32[](n);
        uint256 total = 0;
        for (uint256 i = 0; i < n; ++i) {
            // Small quantities too, so that rounding down to zero happens.
            uint256 q =
                i == 0 && quantities[0] % 2 == 0 ? bound(quantities[i], 1, 1000) : bound(quantities[i], 1, 1e27);
            inputs[i] = _commission(producerA, PEEL, q);
            total += q;
        }
        uint256 expected = (total * ratioPpm) / 1e6;
        ITraceLedger.Transformation memory t = _transformation(CHENPI, pieces ? H87 : KGM, ratioPpm, 0);
        ITraceLedger.Context memory ctx = _ctx();
        if (expected == 0) vm.expectRevert(ITraceLedger.TraceLedgerZeroQuantity.selector);
        else {
            vm.expectEmit(address(trace));
            emit ITraceLedger.BatchTransformed(
                trace.batchId(CHENPI, t.outputLot),
                producerA,
                CHENPI,
                inputs,
                t,
                uint128(expected),
                ctx
            );
        }
        vm.prank(producerA);
        bytes32 output = trace.transform(inputs, t, ctx);
        if (expected == 0) return;

        ITraceLedger.Batch memory o = trace.batch(output);
        assertEq(o.quantity, expected, "sum * ratioPpm / 1e6");
        assertEq(o.uom, pieces ? H87 : KGM);
        assertEq(o.productSeq, trace.product(CHENPI).seq);
        assertEq(o.custodian, producerA);
        assertEq(o.lineage, n + 1);
        assertEq(trace.parentsOf(output).length, n);
        for (uint256 i = 0; i < n; ++i) {
            assertEq(uint8(_status(inputs[i])), uint8(ITraceLedger.BatchStatus.Consumed));
        }
    }

    /// Rule: a pass is valid up to and including its validUntil; after it the batch is not sold
    /// (CertificateExpired), also when its category needs no inspection.
    function testFuzz_sell_refusesExpiredCertificate(uint256 validFor, uint256 wait, bool food) public {
        validFor = bound(validFor, 1, 365 days);
        wait = bound(wait, 0, 730 days);
        bytes32 id = food ? _commission(producerB, MILK, 100) : _commission(producerA, APPLE, 100);
        uint256 validUntil = block.timestamp + validFor;
        _certify(id, true, validUntil);
        _handOver(id, food ? producerB : producerA, retailerB);
        vm.warp(block.timestamp + wait);
        bool expired = wait > validFor;
        assertEq(trace.isSellable(id), !expired);
        if (expired) {
            vm.expectRevert(
                abi.encodeWithSelector(ITraceLedger.TraceLedgerCertificateExpired.selector, id, uint64(validUntil))
            );
        }
        vm.prank(retailerB);
        trace.sell(id, _ctx());
        assertEq(_status(id) == ITraceLedger.BatchStatus.RetailSold, !expired);
    }

    /// Rule: isRecalled walks the whole lineage: in a chain of `depth` splits, a recall at level `level`
    /// reaches exactly the batches at or below it (and the siblings split off below it), also after an
    /// unrelated recall made every cache stale; a recall elsewhere reaches none of them.
    function testFuzz_isRecalled_atDepth(uint256 depth, uint256 level, bool unrelatedFirst) public {
        depth = bound(depth, 1, 30);
        level = bound(level, 0, depth);
        bytes32[] memory chain = new bytes32[](depth + 1);
        bytes32[] memory siblings = new bytes32[](depth + 1);
        chain[0] = _commission(producerA, APPLE, 1e18);
        for (uint256 i = 1; i <= depth; ++i) {
            uint256 q = trace.batch(chain[i - 1]).quantity;
            (chain[i], siblings[i]) = _split2(chain[i - 1], producerA, q - q / 3, q / 3);
        }
        bytes32 leaf = chain[depth];
        assertEq(trace.batch(leaf).lineage, depth + 1);
        if (unrelatedFirst) {
            _recall(_commission(producerA, APPLE, 5));
            assertTrue(trace.batch(leaf).cleanAtRecall != trace.recallCount(), "cache stale");
            assertFalse(trace.isRecalled(leaf), "a recall elsewhere does not reach the chain");
        }
        _recall(chain[level]);
        for (uint256 i = 0; i <= depth; ++i) {
            assertEq(trace.isRecalled(chain[i]), i >= level, "chain");
            if (i != 0) assertEq(trace.isRecalled(siblings[i]), i > level, "sibling");
        }
        vm.expectRevert(_errRecalled(leaf));
        _ship(leaf, producerA, logistics);
    }
}
