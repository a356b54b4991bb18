// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {ITraceUnits} from "../../contracts/interfaces/ITraceUnits.sol";
import {TraceUnits} from "../../contracts/trace/TraceUnits.sol";
import {TraceUnitsHandler} from "../handlers/TraceUnitsHandler.sol";
import {TraceUnitsFixture, serialOf, ssccOf} from "../utils/TraceUnitsFixture.sol";
import {proxyAdminOf} from "../utils/BehindProxy.sol";

contract TraceUnitsTest is TraceUnitsFixture {
    bytes32[] internal _none;

    // ---------------------------------------------------------------- items

    /// Rule: only the product's producer commissions its serials; each item is held by it.
    function test_commissionItems_byTheProductsProducer() public {
        bytes32[] memory ids = _items(producerA, APPLE, 3);
        for (uint256 i = 0; i < 3; ++i) {
            assertEq(ids[i], units.itemId(APPLE, serialOf(i + 1)));
            assertEq(_holder(ids[i]), producerA);
        }
        ITraceUnits.Unit memory u = units.unit(ids[0]);
        assertEq(u.holderRole, Roles.PRODUCER);
        assertFalse(u.container);
    }

    /// Attack: another producer squats serial numbers of producer A's GTIN; a logistics company is not wired.
    function test_commissionItems_refusesSquattingSerials() public {
        bytes32[] memory serials = _freshSerials(1);
        vm.prank(producerB);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceUnits.TraceUnitsNotProductProducer.selector, APPLE, producerB, producerA)
        );
        units.commissionItems(APPLE, 0, serials, _uctx());
        vm.prank(logistics);
        vm.expectRevert(_errManaged(logistics));
        units.commissionItems(APPLE, 0, serials, _uctx());
    }

    /// Rule: an item id is commissioned once; serials are GS1 AI 21 strings (1 to 20 printable bytes).
    function test_commissionItems_refusesDuplicatesAndBadSerials() public {
        bytes32[] memory ids = _items(producerA, APPLE, 1);
        bytes32[] memory again = new bytes32[](1);
        again[0] = serialOf(1);
        vm.prank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsUnitExists.selector, ids[0]));
        units.commissionItems(APPLE, 0, again, _uctx());
        bytes32[3] memory bad = [bytes32(0), bytes32("has space"), bytes32("123456789012345678901")];
        for (uint256 i = 0; i < 3; ++i) {
            again[0] = bad[i];
            vm.prank(producerA);
            vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsInvalidSerial.selector, bad[i]));
            units.commissionItems(APPLE, 0, again, _uctx());
        }
    }

    /// Rule: items bound to a lot need the lot's batch in the producer's custody.
    function test_commissionItems_lotMustBeHeld() public {
        bytes32 batch = _commission(producerA, APPLE, 1000);
        bytes32 lot = _lotOf[batch];
        bytes32[] memory serials = _freshSerials(2);
        vm.prank(producerA);
        units.commissionItems(APPLE, lot, serials, _uctx());
        _handOver(batch, producerA, logistics);
        serials = _freshSerials(1);
        vm.prank(producerA);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceUnits.TraceUnitsNotBatchCustodian.selector, batch, producerA, logistics)
        );
        units.commissionItems(APPLE, lot, serials, _uctx());
    }

    // ---------------------------------------------------------------- aggregation and custody

    /// Rule: shipping a pallet moves the custody of everything on it in one record; unpacking leaves the
    /// items loose with the new holder.
    function test_pack_shipThePallet_movesItsContents() public {
        bytes32[] memory items = _items(producerA, APPLE, 10);
        bytes32 pallet = _pack(producerA, items);
        assertEq(units.containerOf(items[3]), pallet);
        assertEq(units.contents(pallet).units, 10);
        _shipUnit(pallet, producerA, logistics);
        (, , ITraceUnits.UnitStatus status) = units.holderOf(items[0]);
        assertEq(uint8(status), uint8(ITraceUnits.UnitStatus.InTransit), "items travel with the pallet");
        _acceptUnit(pallet, logistics);
        for (uint256 i = 0; i < 10; ++i) assertEq(_holder(items[i]), logistics);
        vm.prank(logistics);
        units.unpack(pallet, _two(items[0], items[1]), _none, _uctx());
        assertEq(units.containerOf(items[0]), bytes32(0));
        assertEq(units.unit(items[0]).holder, logistics);
        assertEq(units.unit(items[0]).holderRole, Roles.LOGISTICS);
        assertEq(units.contents(pallet).units, 8);
        _shipUnit(items[0], logistics, retailerA);
        _acceptUnit(items[0], retailerA);
        assertEq(_holder(items[0]), retailerA);
        assertEq(_holder(items[2]), logistics);
    }

    /// Attack: packing items the caller does not hold, and packing an item twice.
    function test_pack_refusesForeignAndDoublePacking() public {
        bytes32[] memory items = _items(producerA, APPLE, 2);
        uint64 sscc = ssccOf(6_901_234_000_000_999);
        vm.prank(logistics);
        vm.expectRevert(_errNotHolder(items[0], logistics, producerA));
        units.pack(logistics, sscc, items, _none, _uctx());
        bytes32 first = _pack(producerA, _one(items[0]));
        vm.prank(producerA);
        vm.expectRevert(_errPacked(items[0], first));
        units.pack(producerA, sscc, items, _none, _uctx());
        // A unit listed twice in one call fails at its second sight.
        bytes32 fresh = units.containerId(producerA, sscc);
        vm.prank(producerA);
        vm.expectRevert(_errPacked(items[1], fresh));
        units.pack(producerA, sscc, _two(items[1], items[1]), _none, _uctx());
    }

    /// Attack: packing into somebody else's container, and creating a container under another's name.
    function test_pack_refusesForeignContainer() public {
        bytes32[] memory mine = _items(producerA, APPLE, 1);
        bytes32 pallet = _pack(producerA, mine);
        bytes32[] memory theirs = _items(producerB, MILK, 1);
        (address assigner, uint64 sscc) = (producerA, ssccOf(6_901_234_000_000_001));
        assertEq(units.containerId(assigner, sscc), pallet);
        vm.prank(producerB);
        vm.expectRevert(_errNotHolder(pallet, producerB, producerA));
        units.pack(assigner, sscc, theirs, _none, _uctx());
        uint64 fresh = ssccOf(6_901_234_000_000_777);
        bytes32 other = units.containerId(producerA, fresh);
        vm.prank(producerB);
        vm.expectRevert(_errNotHolder(other, producerB, producerA));
        units.pack(producerA, fresh, theirs, _none, _uctx());
    }

    /// Rule: an SSCC is scoped by its assigner, so using another's SSCC first blocks nobody.
    function test_pack_ssccNamespacesPreventSquatting() public {
        uint64 sscc = ssccOf(6_901_234_000_000_500);
        bytes32[] memory milk = _items(producerB, MILK, 1);
        vm.prank(producerB);
        bytes32 squat = units.pack(producerB, sscc, milk, _none, _uctx());
        bytes32[] memory apples = _items(producerA, APPLE, 1);
        vm.prank(producerA);
        bytes32 own = units.pack(producerA, sscc, apples, _none, _uctx());
        assertTrue(own != squat);
        assertEq(_holder(apples[0]), producerA);
    }

    /// Rule: SSCCs are 18 digits with a GS1 check digit.
    function test_pack_refusesBadSscc() public {
        bytes32[] memory items = _items(producerA, APPLE, 1);
        uint64 good = ssccOf(6_901_234_000_000_321);
        uint64[2] memory bad = [good + 1 - (good % 10 == 9 ? 10 : 0), uint64(1e18)];
        for (uint256 i = 0; i < 2; ++i) {
            vm.prank(producerA);
            vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsInvalidSscc.selector, bad[i]));
            units.pack(producerA, bad[i], items, _none, _uctx());
        }
        // GS1's example SSCC 0614141.1234567890 (urn:epc:id:sscc) is 106141412345678908.
        vm.prank(producerA);
        units.pack(producerA, 106_141_412_345_678_908, items, _none, _uctx());
    }

    /// Rule: cases go on a pallet (two levels); a pallet never goes into another container, nothing into itself.
    function test_pack_nestsTwoLevelsAtMost() public {
        bytes32 caseA = _pack(producerA, _items(producerA, APPLE, 3));
        bytes32 caseB = _pack(producerA, _items(producerA, APPLE, 3));
        bytes32 pallet = _pack(producerA, _two(caseA, caseB));
        assertEq(units.contents(pallet).containers, 2);
        bytes32 wrapper = _pack(producerA, _items(producerA, APPLE, 1));
        uint64 wrapperSscc = ssccOf(6_901_234_000_000_004);
        assertEq(units.containerId(producerA, wrapperSscc), wrapper);
        vm.prank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsNestingTooDeep.selector, pallet, wrapper));
        units.pack(producerA, wrapperSscc, _one(pallet), _none, _uctx());
        vm.prank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsNestingTooDeep.selector, wrapper, wrapper));
        units.pack(producerA, wrapperSscc, _one(wrapper), _none, _uctx());
        // Items in a case on the pallet travel with the pallet.
        _shipUnit(pallet, producerA, retailerA);
        _acceptUnit(pallet, retailerA);
        bytes32 firstItem = units.itemId(APPLE, serialOf(1));
        assertEq(_holder(firstItem), retailerA);
        vm.prank(retailerA);
        units.unpack(caseA, _one(firstItem), _none, _uctx());
        assertEq(units.unit(firstItem).holder, retailerA);
    }

    /// Rule: a packed unit moves only with its container; a container in transit cannot be opened.
    function test_packedUnitsMoveOnlyWithTheirContainer() public {
        bytes32[] memory items = _items(producerA, APPLE, 2);
        bytes32 pallet = _pack(producerA, items);
        vm.prank(producerA);
        vm.expectRevert(_errPacked(items[0], pallet));
        units.ship(items[0], logistics, _uctx());
        _shipUnit(pallet, producerA, logistics);
        vm.prank(producerA);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceUnits.TraceUnitsWrongStatus.selector, pallet, ITraceUnits.UnitStatus.InTransit)
        );
        units.unpack(pallet, items, _none, _uctx());
        vm.prank(retailerA);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceUnits.TraceUnitsNotReceiver.selector, pallet, retailerA, logistics)
        );
        units.accept(pallet, _uctx());
        vm.prank(logistics);
        units.cancelShipment(pallet); // refused by the receiver
        assertEq(_holder(items[1]), producerA);
    }

    /// Rule: batch ids go into a container as its manifest, by their TraceLedger custodian, once at a time.
    function test_pack_batchesByTheirCustodianOnce() public {
        bytes32 batch = _commission(producerA, APPLE, 1000);
        bytes32 foreign = _commission(producerB, MILK, 1000);
        uint64 sscc = ssccOf(6_901_234_000_000_600);
        vm.prank(producerA);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceUnits.TraceUnitsNotBatchCustodian.selector, foreign, producerA, producerB)
        );
        units.pack(producerA, sscc, _none, _one(foreign), _uctx());
        vm.prank(producerA);
        bytes32 pallet = units.pack(producerA, sscc, _none, _one(batch), _uctx());
        assertEq(units.containerOfBatch(batch), pallet);
        vm.prank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsBatchAlreadyPacked.selector, batch, pallet));
        units.pack(producerA, ssccOf(6_901_234_000_000_601), _none, _one(batch), _uctx());
        vm.prank(producerA);
        units.unpack(pallet, _none, _one(batch), _uctx());
        assertEq(units.containerOfBatch(batch), bytes32(0));
    }

    /// Attack: a holder has the manager relay its call; a suspended holder ships.
    function test_refusesRelaysAndSuspendedHolders() public {
        bytes32[] memory items = _items(producerA, APPLE, 1);
        bytes memory call = abi.encodeCall(TraceUnits.ship, (items[0], logistics, _uctx()));
        vm.prank(producerA);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITraceUnits.TraceUnitsRelayedCall.selector,
                address(manager),
                TraceUnits.ship.selector
            )
        );
        manager.execute(address(units), call);
        _suspend(producerA);
        vm.prank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsUnauthorized.selector, producerA, Roles.PRODUCER));
        units.ship(items[0], logistics, _uctx());
    }

    /// Rule: observations of units need their holder and one of the ledger's observation steps.
    function test_observe_byTheHolder() public {
        bytes32[] memory items = _items(producerA, APPLE, 2);
        vm.prank(producerA);
        units.observe(items, 2, _uctx()); // inspecting
        vm.prank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsNotObservationStep.selector, uint8(0)));
        units.observe(items, 0, _uctx());
        vm.prank(logistics);
        vm.expectRevert(_errNotHolder(items[0], logistics, producerA));
        units.observe(items, 2, _uctx());
    }

    // ---------------------------------------------------------------- association and transactions

    /// Rule: an association is recorded once per eventID and recorder; units on chain need their holder.
    function test_recordAssociation_oncePerEventIdAndRecorder() public {
        bytes32 crate = keccak256("grai crate");
        bytes32[] memory sensors = _one(keccak256("giai sensor"));
        bytes32 eventId = keccak256("ni:///sha-256;...");
        vm.prank(producerA);
        units.recordAssociation(eventId, crate, sensors, true, _uctx());
        assertTrue(units.isRecorded(producerA, eventId));
        vm.prank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsEventRecorded.selector, producerA, eventId));
        units.recordAssociation(eventId, crate, sensors, false, _uctx());
        // Another organisation's record under the same eventID is its own: nobody squats an eventID.
        vm.prank(logistics);
        units.recordAssociation(eventId, crate, sensors, true, _uctx());
        bytes32 pallet = _pack(producerA, _items(producerA, APPLE, 1));
        vm.prank(logistics);
        vm.expectRevert(_errNotHolder(pallet, logistics, producerA));
        units.recordAssociation(keccak256("other"), pallet, sensors, true, _uctx());
        vm.prank(inspector);
        vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsNotSupplyChainOrg.selector, inspector));
        units.recordAssociation(keccak256("lab"), crate, sensors, true, _uctx());
    }

    /// Rule: every unit write records its event id once per organisation (a re-import is refused; another
    /// organisation's event under the same id is its own: nobody squats an eventID).
    function test_eventId_recordedOncePerOrganisation() public {
        bytes32[] memory items = _items(producerA, APPLE, 1);
        ITraceUnits.Context memory ctx = _uctx();
        ctx.eventId = keccak256("urn:uuid:observation");
        vm.prank(producerA);
        units.observe(items, 2, ctx);
        assertTrue(units.isRecorded(producerA, ctx.eventId));
        vm.prank(producerA);
        vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsEventRecorded.selector, producerA, ctx.eventId));
        units.observe(items, 2, ctx);
        bytes32[] memory theirs = _items(producerB, MILK, 1);
        vm.prank(producerB);
        units.observe(theirs, 2, ctx);
        // An association or transaction given the same id in its context records it once, not twice.
        ITraceUnits.Context memory assoc = _uctx();
        assoc.eventId = keccak256("urn:uuid:association");
        vm.prank(producerA);
        units.recordAssociation(assoc.eventId, keccak256("grai crate"), _one(keccak256("giai")), true, assoc);
        assertTrue(units.isRecorded(producerA, assoc.eventId));
    }

    /// Rule: an errorDeclaration is a correction by the organisation that recorded the event, once, naming the
    /// corrective events; it never records the event again, and another organisation's event of the same id is
    /// not touched.
    function test_correctEvent_byItsRecorderOnly() public {
        bytes32[] memory items = _items(producerA, APPLE, 1);
        ITraceUnits.Context memory wrong = _uctx();
        wrong.eventId = keccak256("wrong");
        vm.prank(producerA);
        units.observe(items, 2, wrong);
        ITraceUnits.Context memory right = _uctx();
        right.eventId = keccak256("right");
        vm.prank(producerA);
        units.observe(items, 2, right);

        vm.prank(logistics);
        vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsUnknownEvent.selector, logistics, wrong.eventId));
        units.correctEvent(wrong.eventId, 2, _one(right.eventId));
        vm.prank(producerA);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceUnits.TraceUnitsUnknownEvent.selector, producerA, keccak256("no"))
        );
        units.correctEvent(keccak256("no"), 2, _one(right.eventId));

        vm.expectEmit(address(units));
        emit ITraceUnits.UnitEventCorrected(producerA, wrong.eventId, 2, _one(right.eventId));
        vm.prank(producerA);
        units.correctEvent(wrong.eventId, 2, _one(right.eventId));
        assertTrue(units.isCorrected(producerA, wrong.eventId));
        assertFalse(units.isCorrected(producerA, right.eventId));
        vm.prank(producerA);
        vm.expectRevert(
            abi.encodeWithSelector(ITraceUnits.TraceUnitsEventAlreadyCorrected.selector, producerA, wrong.eventId)
        );
        units.correctEvent(wrong.eventId, 2, new bytes32[](0));
        // Corrective events are named, not required on chain yet: EPCIS lists them after the declaration.
        vm.prank(producerA);
        units.correctEvent(right.eventId, 1, _one(keccak256("corrective event recorded later")));
        assertTrue(units.isCorrected(producerA, right.eventId));
    }

    /// Fuzz: whoever calls, with whatever id, only an event the caller recorded here can be declared in error.
    function testFuzz_correctEvent_onlyWhatTheCallerRecorded(address caller, bytes32 eventId) public {
        bytes32[] memory items = _items(producerA, APPLE, 1);
        ITraceUnits.Context memory ctx = _uctx();
        ctx.eventId = keccak256("recorded by A");
        vm.prank(producerA);
        units.observe(items, 2, ctx);
        vm.assume(caller != producerA && caller != proxyAdminOf(address(units)));
        vm.prank(caller);
        vm.expectRevert();
        units.correctEvent(eventId, 2, new bytes32[](0));
        if (eventId != ctx.eventId) {
            vm.prank(producerA);
            vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsUnknownEvent.selector, producerA, eventId));
            units.correctEvent(eventId, 2, new bytes32[](0));
        }
        assertFalse(units.isCorrected(producerA, ctx.eventId));
    }

    /// Rule: business transactions bind to units and batches the recorder holds or awaits.
    function test_recordTransaction_bindsHeldOrAwaitedGoods() public {
        bytes32[] memory items = _items(producerA, APPLE, 1);
        bytes32 pallet = _pack(producerA, items);
        bytes32 batch = _commission(producerA, APPLE, 1000);
        bytes32[] memory po = _one(keccak256("po 1234"));
        vm.prank(producerA);
        units.recordTransaction(keccak256("e1"), true, po, _one(pallet), _one(batch), _uctx());
        vm.prank(logistics);
        vm.expectRevert(_errNotHolder(pallet, logistics, producerA));
        units.recordTransaction(keccak256("e2"), true, po, _one(pallet), _none, _uctx());
        _shipUnit(pallet, producerA, logistics);
        _ship(batch, producerA, logistics);
        vm.prank(logistics); // the receiver binds its despatch advice to what it awaits
        units.recordTransaction(keccak256("e2"), true, po, _one(pallet), _one(batch), _uctx());
        vm.prank(logistics);
        vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsBadCount.selector, 0, 1, 100));
        units.recordTransaction(keccak256("e3"), true, _none, _one(pallet), _none, _uctx());
    }

    // ---------------------------------------------------------------- fuzz

    /// Rule: only an 18-digit number with the right GS1 check digit is an SSCC.
    function testFuzz_pack_acceptsOnlyValidSscc(uint64 sscc) public {
        bytes32[] memory items = _items(producerA, APPLE, 1);
        bool valid = sscc < 1e18 && ssccOf(sscc / 10) == sscc;
        vm.prank(producerA);
        if (!valid) vm.expectRevert(abi.encodeWithSelector(ITraceUnits.TraceUnitsInvalidSscc.selector, sscc));
        units.pack(producerA, sscc, items, _none, _uctx());
    }

    /// Rule: a pallet of any size up to the bound is shipped and accepted in one record each, every item
    /// follows, and the contents count what was packed.
    function testFuzz_pack_palletOfAnySize(uint256 n, uint256 unpacked) public {
        n = bound(n, 1, 60);
        unpacked = bound(unpacked, 0, n);
        bytes32[] memory items = _items(producerA, APPLE, n);
        bytes32 pallet = _pack(producerA, items);
        _shipUnit(pallet, producerA, retailerB);
        _acceptUnit(pallet, retailerB);
        bytes32[] memory out = new bytes32[](unpacked);
        for (uint256 i = 0; i < unpacked; ++i) out[i] = items[i];
        if (unpacked != 0) {
            vm.prank(retailerB);
            units.unpack(pallet, out, _none, _uctx());
        }
        assertEq(units.contents(pallet).units, n - unpacked);
        for (uint256 i = 0; i < n; ++i) {
            assertEq(_holder(items[i]), retailerB);
            assertEq(units.containerOf(items[i]), i < unpacked ? bytes32(0) : pallet);
        }
    }

    function _two(bytes32 a, bytes32 b) internal pure returns (bytes32[] memory list) {
        list = new bytes32[](2);
        list[0] = a;
        list[1] = b;
    }
}

contract TraceUnitsInvariantTest is TraceUnitsFixture {
    TraceUnitsHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new TraceUnitsHandler(units, manager, APPLE, producerA, producerB, logistics, retailerA, retailerB);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](11);
        selectors[0] = TraceUnitsHandler.commission.selector;
        selectors[1] = TraceUnitsHandler.pack.selector;
        selectors[2] = TraceUnitsHandler.unpack.selector;
        selectors[3] = TraceUnitsHandler.ship.selector;
        selectors[4] = TraceUnitsHandler.accept.selector;
        selectors[5] = TraceUnitsHandler.attackSquatSerial.selector;
        selectors[6] = TraceUnitsHandler.attackPackForeign.selector;
        selectors[7] = TraceUnitsHandler.attackPackIntoForeign.selector;
        selectors[8] = TraceUnitsHandler.attackShipPacked.selector;
        selectors[9] = TraceUnitsHandler.attackAcceptForeign.selector;
        selectors[10] = TraceUnitsHandler.attackRelay.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// Rule: no attack (squatting serials, packing what one does not hold, double packing, packing into a
    /// foreign container, shipping a packed unit, accepting another's shipment, relays) ever succeeds.
    function invariant_noAttackSucceeds() public view {
        assertEq(handler.attacksSucceeded(), 0);
    }

    /// Rule: every call the model says is allowed succeeds (the rules do not over-refuse).
    function invariant_honestCallsSucceed() public view {
        assertEq(handler.honestFailures(), 0);
    }

    /// Rule: each unit's holder, container and status are the model's: custody follows the outermost container.
    function invariant_custodyFollowsTheModel() public view {
        uint256 n = handler.poolLength();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.pool(i);
            bytes32 top = handler.topOf(id);
            (address holder, , ITraceUnits.UnitStatus status) = units.holderOf(id);
            assertEq(holder, handler.ghostHolder(top));
            assertEq(units.containerOf(id), handler.ghostParent(id));
            bool moving = handler.ghostReceiver(top) != address(0);
            assertEq(uint8(status), uint8(moving ? ITraceUnits.UnitStatus.InTransit : ITraceUnits.UnitStatus.Active));
            if (handler.isContainer(id)) {
                ITraceUnits.Contents memory k = units.contents(id);
                assertEq(k.units, handler.ghostUnits(id));
                assertEq(k.containers, handler.ghostNested(id));
            }
        }
    }
}
