// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `testFuzz_<fn>_<what>` / `invariant_<rule>`, the invariant handler
// next to its tests, a stateful handler); gas hints do not apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {Roles} from "../contracts/access/Roles.sol";
import {IOrgRegistry} from "../contracts/interfaces/IOrgRegistry.sol";
import {ITraceLedger} from "../contracts/interfaces/ITraceLedger.sol";
import {TraceLedger} from "../contracts/trace/TraceLedger.sol";
import {OrgRegistryFixture} from "./OrgRegistry.t.sol";
import {behindProxy} from "./upgrade/behindProxy.sol";

/// @dev Units as the ledger stores them (UN/CEFACT Recommendation 20): kilogram and piece.
bytes3 constant KGM = "KGM";
bytes3 constant H87 = "H87";

/// @dev GLN-13 numbers of the fixture's orchard and warehouse.
uint64 constant GLN_ORCHARD = 6_901_234_500_017;
uint64 constant GLN_WAREHOUSE = 6_901_234_500_024;

/// @dev The fixture's clock (June 2025), so that event times in the past are realistic.
uint256 constant T0 = 1_750_000_000;

/// @dev How far ahead of the block an event time may lie (ITraceLedger.Context: 15 minutes).
uint256 constant CLOCK_SKEW = 15 minutes;

/// @dev The ledger's bounds, spelled out from the interface's NatSpec.
uint256 constant MAX_SPLIT = 100;
uint256 constant MAX_INPUTS = 32;
uint256 constant MAX_LINEAGE = 255;

/// @dev `n` in decimal digits.
function decimal(uint256 n) pure returns (string memory) {
    uint256 digits = 1;
    for (uint256 m = n / 10; m != 0; m /= 10) ++digits;
    bytes memory s = new bytes(digits);
    for (uint256 i = digits; i > 0; --i) {
        s[i - 1] = bytes1(uint8(48 + (n % 10)));
        n /= 10;
    }
    return string(s);
}

/// @dev Lot code `<tag>-<n>`: printable ASCII, left-aligned.
function lotOf(string memory tag, uint256 n) pure returns (bytes32) {
    return bytes32(bytes(string.concat(tag, "-", decimal(n))));
}

/// @dev The fixture's own refusals: a sub-lot that does not fit, a batch made outside its helpers.
error FixtureSubLotTooLong(bytes32 lot, uint256 n);
error FixtureUnknownLot(bytes32 batchId);

/// @dev Sub-lot `<lot>.<n>`, as someone other than the producer names a batch derived from `lot`.
function subLotOf(bytes32 lot, uint256 n) pure returns (bytes32) {
    uint256 length = 0;
    while (length < 32 && lot[length] != 0) ++length;
    bytes memory sub = bytes.concat(trimmedCode(lot, length), ".", bytes(decimal(n)));
    if (sub.length > 32) revert FixtureSubLotTooLong(lot, n);
    return bytes32(sub);
}

/// @dev The first `length` bytes of a left-aligned code.
function trimmedCode(bytes32 code, uint256 length) pure returns (bytes memory out) {
    out = new bytes(length);
    for (uint256 i = 0; i < length; ++i) out[i] = code[i];
}

function contextOf(
    uint64 location,
    uint256 eventTime,
    bytes32 evidenceHash
) pure returns (ITraceLedger.Context memory) {
    return ITraceLedger.Context({location: location, eventTime: uint64(eventTime), evidenceHash: evidenceHash});
}

/// @dev UN/CEFACT codes as the NatSpec states them: two or three upper-case letters or digits.
function isUnitCode(bytes3 uom) pure returns (bool) {
    for (uint256 i = 0; i < 3; ++i) {
        bytes1 c = uom[i];
        bool upper = c >= "A" && c <= "Z";
        bool digit = c >= "0" && c <= "9";
        if (!upper && !digit && !(i == 2 && c == 0)) return false;
    }
    return true;
}

/**
 * @dev The traceability deployment as deploy/modules/Trace.ts builds it on the foundation: TraceLedger
 * is a target of the same manager and its functions are wired as deploy/wiring.ts says (one
 * `setTargetFunctionRole` per role; the custody functions and registerProduct to PUBLIC_ROLE). The
 * market regulator admits two producers, a logistics company, two retailers and an inspection lab
 * through the registry. Products: producer A registers its apples and Xinhui peel (a geographic
 * indication) itself; the regulator registers producer B's milk and producer A's 陈皮 (dried peel, a
 * GI food). The regulator issues a GI certificate for each GI product to producer A.
 */
abstract contract TraceLedgerFixture is OrgRegistryFixture {
    TraceLedger internal trace;

    address internal producerA;
    address internal producerB;
    address internal logistics;
    address internal retailerA;
    address internal retailerB;
    address internal inspector;
    address internal stranger;

    bytes32 internal constant APPLE = "APPLE-FUJI"; // producer A, agricultural
    bytes32 internal constant MILK = "MILK-UHT-1L"; // producer B, food
    bytes32 internal constant PEEL = "XINHUI-PEEL"; // producer A, agricultural, GI
    bytes32 internal constant CHENPI = "XINHUI-CHENPI"; // producer A, food, GI

    uint128 internal constant PEEL_CEILING = 50_000_000; // 50 t, in thousandths of a kilogram
    uint128 internal constant CHENPI_CEILING = 10_000_000;
    uint256 internal constant GI_VALIDITY = 3650 days;

    uint32 internal peelGi;
    uint32 internal chenpiGi;

    uint256 private _lotCount;
    /// @dev The lot code of each batch the helpers made, so that derived batches can take sub-lots.
    mapping(bytes32 id => bytes32 lot) internal _lotOf;

    /// @dev The TraceLedger as deployed: an implementation behind a transparent proxy whose ProxyAdmin the
    /// manager owns, initialized in the proxy's constructor (as deploy/modules/proxy.ts deploys it).
    function _deployTraceLedger() internal returns (TraceLedger) {
        address implementation = address(new TraceLedger());
        bytes memory init = abi.encodeCall(TraceLedger.initialize, (address(manager)));
        return TraceLedger(address(behindProxy(implementation, address(manager), init)));
    }

    function setUp() public virtual override {
        super.setUp();
        vm.warp(T0);
        trace = _deployTraceLedger();
        _wire();

        producerA = makeAddr("producerA");
        producerB = makeAddr("producerB");
        logistics = makeAddr("logistics");
        retailerA = makeAddr("retailerA");
        retailerB = makeAddr("retailerB");
        inspector = makeAddr("inspector");
        stranger = makeAddr("stranger");
        _register(producerA, uint8(Roles.PRODUCER));
        _register(producerB, uint8(Roles.PRODUCER));
        _register(logistics, uint8(Roles.LOGISTICS));
        _register(retailerA, uint8(Roles.RETAILER));
        _register(retailerB, uint8(Roles.RETAILER));
        _register(inspector, uint8(Roles.INSPECTOR));

        vm.startPrank(producerA);
        trace.registerProduct(APPLE, ITraceLedger.Category.Agricultural, producerA, false, keccak256("apple"));
        trace.registerProduct(PEEL, ITraceLedger.Category.Agricultural, producerA, true, keccak256("peel"));
        vm.stopPrank();
        vm.startPrank(marketRegulator);
        trace.registerProduct(MILK, ITraceLedger.Category.Food, producerB, false, keccak256("milk"));
        trace.registerProduct(CHENPI, ITraceLedger.Category.Food, producerA, true, keccak256("chenpi"));
        peelGi = trace.issueGiCertificate(
            producerA,
            PEEL,
            KGM,
            PEEL_CEILING,
            uint64(T0 + GI_VALIDITY),
            keccak256("GI peel")
        );
        chenpiGi = trace.issueGiCertificate(
            producerA,
            CHENPI,
            KGM,
            CHENPI_CEILING,
            uint64(T0 + GI_VALIDITY),
            keccak256("GI chenpi")
        );
        vm.stopPrank();
    }

    /// @dev deploy/wiring.ts, TraceLedger.
    function _wire() internal {
        bytes4[] memory regulator = new bytes4[](5);
        regulator[0] = ITraceLedger.setInspectionRequired.selector;
        regulator[1] = ITraceLedger.issueGiCertificate.selector;
        regulator[2] = ITraceLedger.recall.selector;
        regulator[3] = ITraceLedger.correctProduct.selector;
        regulator[4] = ITraceLedger.allowReinspection.selector;
        manager.setTargetFunctionRole(address(trace), regulator, Roles.MARKET_REGULATOR);

        bytes4[] memory producer = new bytes4[](2);
        producer[0] = ITraceLedger.commissionBatch.selector;
        producer[1] = ITraceLedger.transform.selector;
        manager.setTargetFunctionRole(address(trace), producer, Roles.PRODUCER);

        bytes4[] memory lab = new bytes4[](1);
        lab[0] = ITraceLedger.certify.selector;
        manager.setTargetFunctionRole(address(trace), lab, Roles.INSPECTOR);

        bytes4[] memory open = new bytes4[](10);
        open[0] = ITraceLedger.registerProduct.selector;
        open[1] = ITraceLedger.recordEvent.selector;
        open[2] = ITraceLedger.ship.selector;
        open[3] = ITraceLedger.accept.selector;
        open[4] = ITraceLedger.cancelShipment.selector;
        open[5] = ITraceLedger.split.selector;
        open[6] = ITraceLedger.merge.selector;
        open[7] = ITraceLedger.sell.selector;
        open[8] = ITraceLedger.destroy.selector;
        open[9] = ITraceLedger.acknowledgeRecall.selector;
        manager.setTargetFunctionRole(address(trace), open, manager.PUBLIC_ROLE());
    }

    // ---------------------------------------------------------------- steps

    function _ctx() internal view returns (ITraceLedger.Context memory) {
        return contextOf(GLN_ORCHARD, block.timestamp, keccak256(abi.encode("EPCIS document", block.timestamp)));
    }

    function _freshLot() internal returns (bytes32) {
        return lotOf("LOT", ++_lotCount);
    }

    /// @dev A lot for a batch `by` derives from `parent`: a fresh lot when `by` is the product's producer, a
    /// sub-lot `<parent's lot>.<n>` otherwise (the ledger's lot spaces).
    function _derivedLot(bytes32 parent, address by) internal returns (bytes32) {
        ITraceLedger.Batch memory b = trace.batch(parent);
        if (trace.product(trace.productCodeAt(b.productSeq)).producer == by) return _freshLot();
        bytes32 lot = _lotOf[parent];
        if (lot == 0) revert FixtureUnknownLot(parent);
        return subLotOf(lot, ++_lotCount);
    }

    /// @dev `by` commissions `quantity` kilograms of `productCode` under a fresh lot, unlabelled.
    function _commission(address by, bytes32 productCode, uint256 quantity) internal returns (bytes32) {
        return _commission(by, productCode, quantity, KGM, 0);
    }

    function _commission(
        address by,
        bytes32 productCode,
        uint256 quantity,
        bytes3 uom,
        uint32 gi
    ) internal returns (bytes32) {
        ITraceLedger.Commission memory c = ITraceLedger.Commission({
            productCode: productCode,
            lotCode: _freshLot(),
            quantity: uint128(quantity),
            uom: uom,
            giCertificate: gi
        });
        vm.prank(by);
        bytes32 id = trace.commissionBatch(c, _ctx());
        _lotOf[id] = c.lotCode;
        return id;
    }

    function _ship(bytes32 id, address from, address to) internal {
        vm.prank(from);
        trace.ship(id, to, _ctx());
    }

    function _accept(bytes32 id, address by) internal {
        vm.prank(by);
        trace.accept(id, _ctx());
    }

    /// @dev Ship and accept: custody passes from `from` to `to`.
    function _handOver(bytes32 id, address from, address to) internal {
        _ship(id, from, to);
        _accept(id, to);
    }

    function _split(bytes32 id, address by, uint128[] memory quantities) internal returns (bytes32[] memory children) {
        bytes32[] memory lots = new bytes32[](quantities.length);
        for (uint256 i = 0; i < lots.length; ++i) lots[i] = _derivedLot(id, by);
        vm.prank(by);
        children = trace.split(id, lots, quantities, _ctx());
        for (uint256 i = 0; i < lots.length; ++i) _lotOf[children[i]] = lots[i];
    }

    function _split2(bytes32 id, address by, uint256 a, uint256 b) internal returns (bytes32, bytes32) {
        uint128[] memory q = new uint128[](2);
        q[0] = uint128(a);
        q[1] = uint128(b);
        bytes32[] memory children = _split(id, by, q);
        return (children[0], children[1]);
    }

    function _merge(address by, bytes32[] memory inputs) internal returns (bytes32 output) {
        bytes32 lot = _derivedLot(inputs[0], by);
        vm.prank(by);
        output = trace.merge(inputs, lot, _ctx());
        _lotOf[output] = lot;
    }

    function _merge2(address by, bytes32 a, bytes32 b) internal returns (bytes32) {
        return _merge(by, _pair(a, b));
    }

    function _transformation(
        bytes32 outputProduct,
        bytes3 uom,
        uint256 ratioPpm,
        uint32 gi
    ) internal returns (ITraceLedger.Transformation memory) {
        return
            ITraceLedger.Transformation({
                outputProduct: outputProduct,
                outputLot: _freshLot(),
                outputUom: uom,
                ratioPpm: uint32(ratioPpm),
                giCertificate: gi
            });
    }

    function _transform(
        address by,
        bytes32[] memory inputs,
        bytes32 outputProduct,
        uint256 ratioPpm,
        uint32 gi
    ) internal returns (bytes32) {
        ITraceLedger.Transformation memory t = _transformation(outputProduct, KGM, ratioPpm, gi);
        vm.prank(by);
        bytes32 output = trace.transform(inputs, t, _ctx());
        _lotOf[output] = t.outputLot;
        return output;
    }

    function _certify(bytes32 id, bool passed, uint256 validUntil) internal {
        vm.prank(inspector);
        trace.certify(id, passed, uint64(validUntil), keccak256(abi.encode("lab report", id, passed)));
    }

    function _recall(bytes32 id) internal returns (uint32) {
        vm.prank(marketRegulator);
        return trace.recall(id, keccak256(abi.encode("recall notice", id)));
    }

    function _suspend(address account) internal {
        vm.prank(marketRegulator);
        registry.suspend(account, keccak256("suspension decision"));
    }

    function _reinstate(address account) internal {
        vm.prank(marketRegulator);
        registry.reinstate(account, keccak256("reinstatement decision"));
    }

    /// @dev `total` (at least `n`) cut into `n` non-zero parts: mostly even shares, one in four a
    /// random cut.
    function _partition(uint256 total, uint256 n, uint256 seed) internal pure returns (uint128[] memory q) {
        q = new uint128[](n);
        uint256 remaining = total;
        for (uint256 i = 0; i + 1 < n; ++i) {
            uint256 room = remaining - (n - 1 - i); // at least one for each later part
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 part = r % 4 == 0 ? 1 + ((r >> 2) % room) : remaining / (n - i);
            q[i] = uint128(part);
            remaining -= part;
        }
        q[n - 1] = uint128(remaining);
    }

    function _one(bytes32 a) internal pure returns (bytes32[] memory list) {
        list = new bytes32[](1);
        list[0] = a;
    }

    function _pair(bytes32 a, bytes32 b) internal pure returns (bytes32[] memory list) {
        list = new bytes32[](2);
        list[0] = a;
        list[1] = b;
    }

    function _status(bytes32 id) internal view returns (ITraceLedger.BatchStatus) {
        return trace.batch(id).status;
    }

    function _labelled(uint32 gi) internal view returns (uint256) {
        return trace.giCertificate(gi).labelled;
    }

    // ---------------------------------------------------------------- expected errors

    function _errManaged(address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, caller);
    }

    function _errUnauthorized(address caller, uint64 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerUnauthorized.selector, caller, role);
    }

    function _errNotCustodian(bytes32 id, address caller, address custodian) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerNotCustodian.selector, id, caller, custodian);
    }

    function _errWrongStatus(bytes32 id, ITraceLedger.BatchStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerWrongStatus.selector, id, status);
    }

    function _errRecalled(bytes32 id) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerRecalled.selector, id);
    }

    function _errMismatch(uint256 inputs, uint256 outputs) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityMismatch.selector, inputs, outputs);
    }

    function _errCeiling(uint32 gi, uint256 labelled, uint256 ceiling) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerGiCeilingExceeded.selector, gi, labelled, ceiling);
    }
}

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

contract TraceLedgerLineageTest is TraceLedgerFixture {
    // ---------------------------------------------------------------- split

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
        emit ITraceLedger.RecallAcknowledged(r, c[0], logistics, ITraceLedger.RecallAction.Hold, 6000, "held");
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
        emit ITraceLedger.BatchDestroyed(c[1], producerA, contextOf(0, block.timestamp, "destroyed"));
        trace.acknowledgeRecall(r, c[1], ITraceLedger.RecallAction.Destroy, 3000, "destroyed");
        assertEq(uint8(_status(c[1])), uint8(ITraceLedger.BatchStatus.Destroyed));
        // Another unit: the quantity is the holder's estimate in the recalled unit, at most the recalled
        // quantity; the total stops at the affected quantity (issue 16, item 11).
        vm.expectRevert(abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, 10_001, 10_000));
        trace.acknowledgeRecall(r, pieces, ITraceLedger.RecallAction.Return, 10_001, "returned");
        trace.acknowledgeRecall(r, pieces, ITraceLedger.RecallAction.Return, 5000, "returned");
        vm.stopPrank();
        ITraceLedger.Recall memory info = trace.recallInfo(r);
        assertEq(info.accounted, 10_000, "6,000 + 3,000 + 5,000 stops at the 10,000 recalled");
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
        // 4000 * 0.06275 = 251 is one too many; 4000 * 0.0625 = 250 fills the ceiling.
        vm.expectRevert(_errCeiling(c, 2001, 2000));
        _transform(producerA, _one(mixed), CHENPI, 62_750, c);
        _transform(producerA, _one(mixed), CHENPI, 62_500, c);
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

/**
 * @dev Drives the ledger with random sequences over a small city: two producers, a logistics company,
 * two retailers, an inspection lab and the regulator. Batches are commissioned (some GI-labelled under
 * certificates with small ceilings), shipped, accepted, cancelled or refused, split, merged,
 * transformed, sold, destroyed, certified and recalled, and recalls are acknowledged; organisations are
 * suspended and reinstated and time passes. A ghost model keeps every batch (custodian, status,
 * quantity, parents, label, certificate), every GI certificate's labelled quantity and every recall,
 * and predicts each call's outcome exactly (success, or the revert data the contract's checks give in
 * their order); a mismatch is recorded rather than reverted (failOnRevert: false), and a call the model
 * did not expect to succeed changes no ghost state. Pickers prefer batches in the state an action needs,
 * callers are the right account about seven times in eight, and one pick in eight takes a batch whose
 * lineage is recalled, so that recalled moves and foreign callers are tried all the time.
 */
contract TraceLedgerHandler is CommonBase, StdUtils {
    enum Action {
        Commission,
        Ship,
        Accept,
        Cancel,
        Split,
        Merge,
        Transform,
        Sell,
        Destroy,
        Certify,
        Recall,
        Acknowledge,
        Suspend,
        Warp,
        Relay
    }

    enum Origin {
        Commissioned,
        Split,
        Merged,
        Transformed
    }

    /// @dev What a picker looks for (one pick in eight takes any batch instead).
    enum Want {
        Any,
        Live, // Active or InTransit
        Active,
        InTransit,
        Movable, // Active, lineage not recalled
        RecalledActive, // Active, lineage recalled
        Consumed, // made into other batches
        AtProducer, // movable and held as PRODUCER
        AtRetailer // movable and held as RETAILER
    }

    uint256 internal constant ACTIONS = 15;
    uint256 internal constant MAX_BATCHES = 80;
    uint256 internal constant MAX_QUANTITY = 1e6;
    uint64 internal constant GLN_BASE = 6_901_234_000_000;

    struct GhostBatch {
        address custodian;
        uint8 custodianRole;
        ITraceLedger.BatchStatus status;
        bool recalled;
        ITraceLedger.CertResult cert;
        Origin origin;
        uint8 product; // index into the products (productSeq - 1)
        uint8 lineage;
        address receiver;
        uint8 receiverRole;
        bytes3 uom;
        uint32 gi;
        uint32 ratioPpm; // a transformation output's declared ratio
        uint64 certValidUntil;
        uint128 quantity;
        bytes32 lot;
        bytes32[] parents;
        bytes32[] children; // a split parent's children
    }

    struct GhostProduct {
        bytes32 code;
        address producer;
        ITraceLedger.Category category;
        bool gi;
    }

    struct GhostGi {
        address producer;
        uint32 productSeq;
        bytes3 uom;
        uint64 validUntil;
        uint128 ceiling;
        uint128 labelled;
    }

    struct GhostRecall {
        bytes32 batchId;
        bytes3 uom;
        uint32 acknowledgements;
        uint128 affected;
        uint128 accounted;
    }

    /// @dev The inputs of a merge or transformation as `_consume` sees them.
    struct Consumed {
        uint256 total;
        uint256 lineage;
        uint32 gi; // the label common to all inputs, or 0
        ITraceLedger.CertResult cert;
        uint64 validUntil;
        bool recalled; // some input's lineage is recalled
        bool entitled; // the caller holds every input
    }

    /// @dev One call under construction.
    struct Step {
        bytes32 id;
        address caller;
        ITraceLedger.Context ctx;
        bytes ctxError;
        bytes expected;
    }

    TraceLedger public trace;
    IOrgRegistry public registry;
    address public regulator;
    address public inspector;
    address public stranger;
    address[5] public supply;
    mapping(address account => uint8 kind) public kindOf;
    mapping(address account => bool) public suspended;

    GhostProduct[] internal _products;
    GhostGi[] internal _gis;
    GhostRecall[] internal _recalls;
    bytes32[] public batchIds;
    mapping(bytes32 id => GhostBatch) internal _batches;
    mapping(uint256 recallId => mapping(bytes32 id => bool)) internal _acknowledged;
    uint256 internal _lotCount;

    /// @dev Commissioned + transformation outputs - transformation inputs: what the non-consumed
    /// batches must add up to (split and merge change nothing).
    uint256 public ghostTotal;
    /// @dev Successful moves (ship, accept, split, merge, transform, sell) of a batch whose lineage was
    /// recalled at the time, and successful custody calls by someone other than the custodian (the
    /// receiver for accept and refusal): both must stay 0.
    uint256 public ghostRecalledMoves;
    uint256 public ghostForeignActs;
    /// @dev How often those were tried.
    uint256 public recalledMoveAttempts;
    uint256 public foreignAttempts;

    uint256[ACTIONS] public calls;
    uint256[ACTIONS] public successes;
    uint256 public mismatches;
    string public firstMismatch;

    constructor(
        TraceLedger trace_,
        IOrgRegistry registry_,
        address regulator_,
        address inspector_,
        address stranger_,
        address[5] memory supply_
    ) {
        trace = trace_;
        registry = registry_;
        regulator = regulator_;
        inspector = inspector_;
        stranger = stranger_;
        supply = supply_;
        // Two producers, a logistics company, two retailers.
        kindOf[supply_[0]] = uint8(Roles.PRODUCER);
        kindOf[supply_[1]] = uint8(Roles.PRODUCER);
        kindOf[supply_[2]] = uint8(Roles.LOGISTICS);
        kindOf[supply_[3]] = uint8(Roles.RETAILER);
        kindOf[supply_[4]] = uint8(Roles.RETAILER);
    }

    // ---------------------------------------------------------------- set-up (not targets)

    function noteProduct(bytes32 code, address producer, ITraceLedger.Category category, bool gi) external {
        _products.push(GhostProduct({code: code, producer: producer, category: category, gi: gi}));
    }

    function noteGiCertificate(
        address producer,
        uint32 productSeq,
        bytes3 uom,
        uint64 validUntil,
        uint128 ceiling
    ) external {
        _gis.push(
            GhostGi({
                producer: producer,
                productSeq: productSeq,
                uom: uom,
                validUntil: validUntil,
                ceiling: ceiling,
                labelled: 0
            })
        );
    }

    /// @dev Commissions a batch of product `p` by its producer in `uom`, labelled under `gi` (0: none).
    function seedBatch(uint256 p, uint128 quantity, bytes3 uom, uint32 gi) external returns (bytes32 id) {
        GhostProduct storage prod = _products[p];
        bytes32 lot = _newLot();
        vm.prank(prod.producer);
        id = trace.commissionBatch(
            ITraceLedger.Commission({
                productCode: prod.code,
                lotCode: lot,
                quantity: quantity,
                uom: uom,
                giCertificate: gi
            }),
            contextOf(GLN_BASE, block.timestamp, keccak256("seed"))
        );
        _addCommissioned(id, p, lot, prod.producer, quantity, uom, gi);
    }

    /// @dev The inspector passes a seeded batch until `validUntil`.
    function seedCertified(bytes32 id, uint256 validUntil) external returns (bytes32) {
        vm.prank(inspector);
        trace.certify(id, true, uint64(validUntil), keccak256("seed report"));
        _batches[id].cert = ITraceLedger.CertResult.Passed;
        _batches[id].certValidUntil = uint64(validUntil);
        return id;
    }

    /// @dev Ships and accepts a seeded batch.
    function seedHandOver(bytes32 id, address to) external {
        GhostBatch storage g = _batches[id];
        ITraceLedger.Context memory ctx = contextOf(GLN_BASE, block.timestamp, keccak256("seed"));
        vm.prank(g.custodian);
        trace.ship(id, to, ctx);
        vm.prank(to);
        trace.accept(id, ctx);
        g.custodian = to;
        g.custodianRole = kindOf[to];
    }

    // ---------------------------------------------------------------- commission

    function commission(uint256 productSeed, uint256 callerSeed, uint256 quantitySeed, uint256 contextSeed) external {
        if (batchIds.length >= MAX_BATCHES) return;
        ITraceLedger.Commission memory c = _commissionOf(productSeed, quantitySeed);
        (, uint256 p) = _productIndex(c.productCode);
        Step memory s;
        s.caller = callerSeed % 8 < 6 ? _products[p].producer : _actor(callerSeed >> 3);
        (s.ctx, s.ctxError) = _context(contextSeed);
        if ((contextSeed >> 128) % 32 == 31) s.ctx.location = 0;
        s.id = keccak256(abi.encode(c.productCode, c.lotCode));
        s.expected = _commissionError(s, c, p);

        (bool ok, bytes memory ret) = _call(
            Action.Commission,
            s.caller,
            abi.encodeCall(trace.commissionBatch, (c, s.ctx)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        _checkReturnedId(ret, s.id, "commissionBatch");
        _addCommissioned(s.id, p, c.lotCode, s.caller, c.quantity, c.uom, c.giCertificate);
    }

    /// @dev A product (one seed in sixteen: the product and lot of an existing batch, one in sixteen an
    /// invalid lot), up to 1,000 kg (one in 32: zero), in KGM (one in eight H87, one in sixteen an
    /// invalid unit), labelled as `_pickGi` says.
    function _commissionOf(
        uint256 productSeed,
        uint256 quantitySeed
    ) internal returns (ITraceLedger.Commission memory c) {
        uint256 p = productSeed % _products.length;
        c.lotCode = _newLot();
        if (productSeed % 16 == 15 && batchIds.length != 0) {
            GhostBatch storage old = _batches[batchIds[(productSeed >> 8) % batchIds.length]];
            p = old.product;
            c.lotCode = old.lot;
        } else if (productSeed % 16 == 14) {
            c.lotCode = "bad lot";
        }
        c.productCode = _products[p].code;
        uint256 u = (quantitySeed >> 128) % 16;
        c.uom = u == 0 || u == 2 ? H87 : (u == 1 ? bytes3("kg") : KGM);
        c.quantity = quantitySeed % 32 == 0 ? 0 : uint128(1 + ((quantitySeed >> 8) % MAX_QUANTITY));
        // Extreme amounts: one in 32 near the uint128 ceiling (merges and transformations of it must be
        // refused with QuantityTooLarge, never overflow).
        if (quantitySeed % 32 == 1) c.quantity = type(uint128).max - uint128((quantitySeed >> 8) % 1000);
        // Squatting: one in sixteen a sub-lot of an existing batch of the product (SubLotReserved).
        if (productSeed % 16 == 13 && batchIds.length != 0) {
            GhostBatch storage old = _batches[batchIds[(productSeed >> 8) % batchIds.length]];
            (bytes32 sub, bool fits) = _subLot(old.lot, ++_lotCount);
            if (fits) {
                p = old.product;
                c.lotCode = sub;
                c.productCode = _products[p].code;
                c.giCertificate = _pickGi(p, quantitySeed >> 64);
            }
        }
        c.giCertificate = _pickGi(p, quantitySeed >> 64);
    }

    /// @dev The contract's commissionBatch checks in order.
    function _commissionError(
        Step memory s,
        ITraceLedger.Commission memory c,
        uint256 p
    ) internal view returns (bytes memory) {
        address producer = _products[p].producer;
        if (!_holds(Roles.PRODUCER, s.caller)) return _managed(s.caller);
        if (s.caller != producer) {
            return
                abi.encodeWithSelector(
                    ITraceLedger.TraceLedgerNotProductProducer.selector,
                    c.productCode,
                    s.caller,
                    producer
                );
        }
        if (c.lotCode == "bad lot")
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidCode.selector, c.lotCode);
        bytes memory space = _lotSpaceError(p, c.lotCode, 0, true);
        if (space.length != 0) return space;
        if (c.uom == "kg") return abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidUnit.selector, c.uom);
        if (c.quantity == 0) return abi.encodeWithSelector(ITraceLedger.TraceLedgerZeroQuantity.selector);
        if (s.ctx.location == 0) return abi.encodeWithSelector(ITraceLedger.TraceLedgerNoOrigin.selector);
        if (s.ctxError.length != 0) return s.ctxError;
        if (_batches[s.id].status != ITraceLedger.BatchStatus.None) return _exists(s.id);
        if (c.giCertificate == 0) return "";
        return _labelError(c.giCertificate, p, c.uom, c.quantity, s.caller, _labelledOf(c.giCertificate));
    }

    // ---------------------------------------------------------------- custody

    function ship(uint256 batchSeed, uint256 callerSeed, uint256 toSeed, uint256 contextSeed) external {
        if (batchIds.length == 0) return;
        _ship(batchSeed, callerSeed, toSeed, contextSeed);
    }

    function _ship(
        uint256 batchSeed,
        uint256 callerSeed,
        uint256 toSeed,
        uint256 contextSeed
    ) internal returns (bytes32, bool) {
        Step memory s;
        s.id = _pickMove(batchSeed, Want.Movable);
        GhostBatch storage g = _batches[s.id];
        s.caller = _caller(callerSeed, g.custodian);
        address to = toSeed % 8 == 7 ? _actor(toSeed >> 3) : supply[(toSeed >> 3) % 5];
        if (to == s.caller && toSeed % 8 != 7) to = supply[((toSeed >> 3) + 1) % 5];
        (s.ctx, s.ctxError) = _context(contextSeed);

        s.expected = _movableError(s.id, s.caller, g.status);
        if (s.expected.length != 0) {} else if (to == s.caller) {
            s.expected = abi.encodeWithSelector(ITraceLedger.TraceLedgerSelfShipment.selector, s.id);
        } else if (s.ctxError.length != 0) s.expected = s.ctxError;
        else if (_supplyRole(to) == 0) {
            s.expected = abi.encodeWithSelector(ITraceLedger.TraceLedgerNotSupplyChainOrg.selector, to);
        }

        (bool ok, ) = _call(Action.Ship, s.caller, abi.encodeCall(trace.ship, (s.id, to, s.ctx)), s.expected);
        _audit(_lineageRecalled(s.id), s.caller == g.custodian, ok);
        if (!ok || s.expected.length != 0) return (s.id, false);
        g.status = ITraceLedger.BatchStatus.InTransit;
        g.receiver = to;
        g.receiverRole = _supplyRole(to);
        return (s.id, true);
    }

    /// @dev A batch in transit; when the pick is not, three seeds in four ship one first (a ship call
    /// by its custodian with a valid context), so that hand-overs are exercised.
    function _pickInTransit(uint256 seed) internal returns (bytes32 id) {
        id = _pick(seed, Want.InTransit);
        if (_batches[id].status == ITraceLedger.BatchStatus.InTransit || seed % 4 == 3) return id;
        (bytes32 shipped, bool ok) = _ship(_movableSeed(seed), 0, ((seed >> 16) % 5) << 3, 0);
        if (ok) id = shipped;
    }

    /// @dev A movable batch held by a retailer; when the pick is not, three seeds in four hand one
    /// over to a retailer first (ship and accept, valid calls), so that sales are exercised.
    function _pickAtRetailer(uint256 seed) internal returns (bytes32 id) {
        id = _pickMove(seed, Want.AtRetailer);
        if (seed % 4 == 3 || _wanted(id, Want.AtRetailer)) return id;
        (bytes32 shipped, bool ok) = _ship(_movableSeed(seed), 0, (3 + ((seed >> 16) % 2)) << 3, 0);
        if (ok && _supplyRole(_batches[shipped].receiver) == Roles.RETAILER && _accept(shipped, 0, 0)) id = shipped;
    }

    /// @dev A seed that `_pickMove` and `_pick` read as "the first movable batch from a random start".
    function _movableSeed(uint256 seed) internal pure returns (uint256) {
        return (seed >> 3) << 3;
    }

    function accept(uint256 batchSeed, uint256 callerSeed, uint256 contextSeed) external {
        if (batchIds.length == 0) return;
        _accept(_pickInTransit(batchSeed), callerSeed, contextSeed);
    }

    function _accept(bytes32 id, uint256 callerSeed, uint256 contextSeed) internal returns (bool) {
        Step memory s;
        s.id = id;
        GhostBatch storage g = _batches[s.id];
        s.caller = _caller(callerSeed, g.receiver);
        (s.ctx, s.ctxError) = _context(contextSeed);

        if (g.status != ITraceLedger.BatchStatus.InTransit) s.expected = _wrongStatus(s.id, g.status);
        else if (s.caller != g.receiver) {
            s.expected = abi.encodeWithSelector(
                ITraceLedger.TraceLedgerNotReceiver.selector,
                s.id,
                s.caller,
                g.receiver
            );
        } else if (!_holds(g.receiverRole, s.caller)) s.expected = _unauthorized(s.caller, g.receiverRole);
        else if (_lineageRecalled(s.id)) s.expected = _recalledError(s.id);
        else if (s.ctxError.length != 0) s.expected = s.ctxError;

        (bool ok, ) = _call(Action.Accept, s.caller, abi.encodeCall(trace.accept, (s.id, s.ctx)), s.expected);
        _audit(_lineageRecalled(s.id), s.caller == g.receiver, ok);
        if (!ok || s.expected.length != 0) return false;
        g.custodian = s.caller;
        g.custodianRole = g.receiverRole;
        g.status = ITraceLedger.BatchStatus.Active;
        g.receiver = address(0);
        g.receiverRole = 0;
        return true;
    }

    /// @dev Three callers in eight are the receiver (a refusal), four the sender.
    function cancelShipment(uint256 batchSeed, uint256 callerSeed) external {
        if (batchIds.length == 0) return;
        Step memory s;
        s.id = _pickInTransit(batchSeed);
        GhostBatch storage g = _batches[s.id];
        uint256 r = callerSeed % 8;
        s.caller = r < 3 ? g.receiver : (r < 7 ? g.custodian : _actor(callerSeed >> 3));
        bool refused = s.caller == g.receiver;

        if (g.status != ITraceLedger.BatchStatus.InTransit) s.expected = _wrongStatus(s.id, g.status);
        else if (!refused && s.caller != g.custodian) s.expected = _notCustodian(s.id, s.caller, g.custodian);
        else {
            uint8 role = refused ? g.receiverRole : g.custodianRole;
            if (!_holds(role, s.caller)) s.expected = _unauthorized(s.caller, role);
        }

        (bool ok, ) = _call(Action.Cancel, s.caller, abi.encodeCall(trace.cancelShipment, (s.id)), s.expected);
        _audit(false, s.caller == g.custodian || (s.caller == g.receiver && s.caller != address(0)), ok);
        if (!ok || s.expected.length != 0) return;
        g.status = ITraceLedger.BatchStatus.Active;
        g.receiver = address(0);
        g.receiverRole = 0;
    }

    // ---------------------------------------------------------------- split, merge, transform

    function split(uint256 batchSeed, uint256 callerSeed, uint256 shapeSeed, uint256 contextSeed) external {
        if (batchIds.length == 0 || batchIds.length + 4 > MAX_BATCHES) return;
        Step memory s;
        s.id = _pickMove(batchSeed, Want.Movable);
        GhostBatch storage g = _batches[s.id];
        s.caller = _caller(callerSeed, g.custodian);
        (s.ctx, s.ctxError) = _context(contextSeed);
        SplitShape memory shape = _splitShape(s.id, shapeSeed, s.caller);
        uint256 n = shape.lots.length;

        s.expected = _movableError(s.id, s.caller, g.status);
        if (s.expected.length != 0) {} else if (n < 2) {
            s.expected = abi.encodeWithSelector(ITraceLedger.TraceLedgerBadCount.selector, n, 2, MAX_SPLIT);
        } else if (s.ctxError.length != 0) s.expected = s.ctxError;
        else if (uint256(g.lineage) + 1 > MAX_LINEAGE) {
            s.expected = abi.encodeWithSelector(
                ITraceLedger.TraceLedgerLineageTooLarge.selector,
                uint256(g.lineage) + 1,
                MAX_LINEAGE
            );
        } else s.expected = _splitPartsError(s.id, s.caller, shape, g.quantity);

        (bool ok, bytes memory ret) = _call(
            Action.Split,
            s.caller,
            abi.encodeCall(trace.split, (s.id, shape.lots, shape.quantities, s.ctx)),
            s.expected
        );
        _audit(_lineageRecalled(s.id), s.caller == g.custodian, ok);
        if (!ok || s.expected.length != 0) return;
        if (keccak256(ret) != keccak256(abi.encode(shape.children))) _mismatch("split returned other children", ret);
        g.status = ITraceLedger.BatchStatus.Consumed;
        g.children = shape.children;
        for (uint256 i = 0; i < n; ++i) _addChild(shape.children[i], s.id, shape.lots[i], shape.quantities[i]);
    }

    struct SplitShape {
        bytes32[] lots;
        uint128[] quantities;
        bytes32[] children;
    }

    /// @dev Into 2..4 parts that add up (one in sixteen: 1 part); one shape in eight adds one to the last
    /// part and one in eight takes one away; one in sixteen reuses the parent's lot for the first child.
    /// Someone other than the producer takes sub-lots of the parent, except one shape in eight (squatting:
    /// fresh lots from the producer's space, NotSubLot).
    function _splitShape(bytes32 id, uint256 seed, address caller) internal returns (SplitShape memory shape) {
        GhostBatch storage g = _batches[id];
        uint256 n = seed % 16 == 15 ? 1 : 2 + ((seed >> 4) % 3);
        shape.quantities = _cut(g.quantity, n, seed >> 8);
        uint256 tweak = (seed >> 16) % 8;
        if (tweak == 7) shape.quantities[n - 1] += 1;
        else if (tweak == 6 && shape.quantities[n - 1] != 0) shape.quantities[n - 1] -= 1;
        shape.lots = new bytes32[](n);
        shape.children = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            shape.lots[i] = i == 0 && (seed >> 24) % 16 == 15 ? g.lot : _derivedLot(g, caller, seed >> 32);
            shape.children[i] = keccak256(abi.encode(_products[g.product].code, shape.lots[i]));
        }
    }

    /// @dev 2 or 3 inputs, the others preferably held with the first, of its product and unit; one in
    /// sixteen lists the first input twice, one in sixteen reuses its lot for the output.
    function merge(uint256 batchSeed, uint256 callerSeed, uint256 shapeSeed, uint256 contextSeed) external {
        if (batchIds.length == 0 || batchIds.length >= MAX_BATCHES) return;
        Step memory s;
        bytes32[] memory inputs = _pickInputs(batchSeed, 2 + (shapeSeed % 2), shapeSeed >> 8, true);
        if ((shapeSeed >> 4) % 16 == 15) inputs[1] = inputs[0];
        GhostBatch storage first = _batches[inputs[0]];
        s.caller = _caller(callerSeed, first.custodian);
        (s.ctx, s.ctxError) = _context(contextSeed);
        bytes32 lot = (shapeSeed >> 128) % 16 == 15 ? first.lot : _derivedLot(first, s.caller, shapeSeed >> 136);
        s.id = keccak256(abi.encode(_products[first.product].code, lot));

        (bytes memory consumeError, Consumed memory m) = _consumeError(inputs, s.caller, true);
        if (s.ctxError.length != 0) s.expected = s.ctxError;
        else if (consumeError.length != 0) s.expected = consumeError;
        else {
            s.expected = _lotSpaceError(first.product, lot, inputs[0], _products[first.product].producer == s.caller);
            if (s.expected.length != 0) {} else if (_batches[s.id].status != ITraceLedger.BatchStatus.None) {
                s.expected = _exists(s.id);
            } else if (m.total > type(uint128).max) s.expected = _tooLarge(m.total, type(uint128).max);
        }

        (bool ok, bytes memory ret) = _call(
            Action.Merge,
            s.caller,
            abi.encodeCall(trace.merge, (inputs, lot, s.ctx)),
            s.expected
        );
        _audit(m.recalled, m.entitled, ok);
        if (!ok || s.expected.length != 0) return;
        _checkReturnedId(ret, s.id, "merge");
        if (m.gi == 0) _release(inputs);
        GhostBatch storage o = _addOutput(s.id, inputs, lot, m, Origin.Merged);
        o.product = first.product;
        o.uom = first.uom;
        o.quantity = uint128(m.total);
        o.gi = m.gi;
    }

    /// @dev 1..3 inputs preferably held with the first and in its unit (see `_transformationOf` for the output).
    function transform(uint256 batchSeed, uint256 callerSeed, uint256 shapeSeed, uint256 outputSeed) external {
        if (batchIds.length == 0 || batchIds.length >= MAX_BATCHES) return;
        Step memory s;
        bytes32[] memory inputs = _pickInputs(batchSeed, 1 + (shapeSeed % 3), shapeSeed >> 8, false);
        s.caller = _caller(callerSeed, _batches[inputs[0]].custodian);
        (s.ctx, s.ctxError) = _context(outputSeed >> 64);
        if ((outputSeed >> 56) % 16 == 15) s.ctx.evidenceHash = bytes32(0);
        ITraceLedger.Transformation memory t = _transformationOf(outputSeed, s.caller);
        s.id = keccak256(abi.encode(t.outputProduct, t.outputLot));
        (bytes memory consumeError, Consumed memory m) = _consumeError(inputs, s.caller, false);
        s.expected = _transformError(s, inputs, t, consumeError, m.total);
        // A pass covers the inspected batch, not a new product made from it.
        if (m.cert == ITraceLedger.CertResult.Passed) {
            m.cert = ITraceLedger.CertResult.None;
            m.validUntil = 0;
        }

        (bool ok, bytes memory ret) = _call(
            Action.Transform,
            s.caller,
            abi.encodeCall(trace.transform, (inputs, t, s.ctx)),
            s.expected
        );
        _audit(m.recalled, m.entitled, ok);
        if (!ok || s.expected.length != 0) return;
        _checkReturnedId(ret, s.id, "transform");
        uint256 quantity = (m.total * t.ratioPpm) / 1e6;
        _release(inputs);
        if (t.giCertificate != 0) _gis[t.giCertificate - 1].labelled += uint128(quantity);
        (, uint256 p) = _productIndex(t.outputProduct);
        GhostBatch storage o = _addOutput(s.id, inputs, t.outputLot, m, Origin.Transformed);
        o.product = uint8(p);
        o.uom = t.outputUom;
        o.quantity = uint128(quantity);
        o.gi = t.giCertificate;
        o.ratioPpm = t.ratioPpm;
        ghostTotal = ghostTotal + quantity - m.total;
    }

    /// @dev The contract's transform checks in order (the inputs' part from `_consumeError`).
    function _transformError(
        Step memory s,
        bytes32[] memory inputs,
        ITraceLedger.Transformation memory t,
        bytes memory consumeError,
        uint256 total
    ) internal view returns (bytes memory) {
        (bool known, uint256 p) = _productIndex(t.outputProduct);
        uint256 quantity = (total * t.ratioPpm) / 1e6;
        if (!_holds(Roles.PRODUCER, s.caller)) return _managed(s.caller);
        if (t.ratioPpm == 0) return abi.encodeWithSelector(ITraceLedger.TraceLedgerZeroRatio.selector);
        if (!known) return abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownProduct.selector, t.outputProduct);
        if (_products[p].producer != s.caller) {
            return
                abi.encodeWithSelector(
                    ITraceLedger.TraceLedgerNotProductProducer.selector,
                    t.outputProduct,
                    s.caller,
                    _products[p].producer
                );
        }
        if (t.outputUom == bytes3("k g")) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidUnit.selector, t.outputUom);
        }
        if (s.ctxError.length != 0) return s.ctxError;
        if (s.ctx.evidenceHash == bytes32(0)) return abi.encodeWithSelector(ITraceLedger.TraceLedgerZeroHash.selector);
        if (consumeError.length != 0) return consumeError;
        if (quantity == 0) return abi.encodeWithSelector(ITraceLedger.TraceLedgerZeroQuantity.selector);
        if (_batches[s.id].status != ITraceLedger.BatchStatus.None) return _exists(s.id);
        if (t.giCertificate != 0) {
            uint256 labelled = _labelledOf(t.giCertificate) - _labelledIn(inputs, t.giCertificate);
            bytes memory err = _labelError(t.giCertificate, p, t.outputUom, quantity, s.caller, labelled);
            if (err.length != 0) return err;
        }
        // The output's quantity is bounded whether or not it is GI labelled (found by the deep profile:
        // an unlabelled transformation of extreme inputs was predicted to succeed).
        if (quantity > type(uint128).max) return _tooLarge(quantity, type(uint128).max);
        return "";
    }

    function _productIndex(bytes32 code) internal view returns (bool known, uint256 p) {
        for (p = 0; p < _products.length; ++p) if (_products[p].code == code) return (true, p);
        return (false, 0);
    }

    // ---------------------------------------------------------------- sale and destruction

    function sell(uint256 batchSeed, uint256 callerSeed, uint256 contextSeed) external {
        if (batchIds.length == 0) return;
        Step memory s;
        s.id = _pickAtRetailer(batchSeed);
        GhostBatch storage g = _batches[s.id];
        s.caller = _caller(callerSeed, g.custodian);
        (s.ctx, s.ctxError) = _context(contextSeed);
        bytes memory certificateError = _saleCertificateError(s.id);
        bool sellable =
            g.status == ITraceLedger.BatchStatus.Active && !_lineageRecalled(s.id) && certificateError.length == 0;
        if (trace.isSellable(s.id) != sellable) _mismatch("isSellable against the model", abi.encode(s.id));

        s.expected = _movableError(s.id, s.caller, g.status);
        if (s.expected.length != 0) {} else if (g.custodianRole != Roles.RETAILER) {
            s.expected = _unauthorized(s.caller, uint8(Roles.RETAILER));
        } else if (certificateError.length != 0) s.expected = certificateError;
        else if (s.ctxError.length != 0) s.expected = s.ctxError;

        (bool ok, ) = _call(Action.Sell, s.caller, abi.encodeCall(trace.sell, (s.id, s.ctx)), s.expected);
        _audit(_lineageRecalled(s.id), s.caller == g.custodian, ok);
        if (!ok || s.expected.length != 0) return;
        g.status = ITraceLedger.BatchStatus.RetailSold;
    }

    /// @dev One call in two does nothing, so that batches stay in circulation.
    function destroy(uint256 batchSeed, uint256 callerSeed, uint256 contextSeed) external {
        if (batchIds.length == 0 || batchSeed % 2 == 1) return;
        Step memory s;
        s.id = _pick(batchSeed, Want.Active);
        GhostBatch storage g = _batches[s.id];
        s.caller = _caller(callerSeed, g.custodian);
        (s.ctx, s.ctxError) = _context(contextSeed);

        s.expected = _custodyError(s.id, s.caller);
        if (s.expected.length != 0) {} else if (g.status != ITraceLedger.BatchStatus.Active) {
            s.expected = _wrongStatus(s.id, g.status);
        } else if (s.ctxError.length != 0) s.expected = s.ctxError;

        (bool ok, ) = _call(Action.Destroy, s.caller, abi.encodeCall(trace.destroy, (s.id, s.ctx)), s.expected);
        _audit(false, s.caller == g.custodian, ok);
        if (!ok || s.expected.length != 0) return;
        g.status = ITraceLedger.BatchStatus.Destroyed;
    }

    // ---------------------------------------------------------------- inspection and recall

    /// @dev Passes three times in four, valid 1 hour to 60 days (one in eight already expired).
    function certify(uint256 batchSeed, uint256 callerSeed, uint256 verdictSeed) external {
        if (batchIds.length == 0) return;
        Step memory s;
        s.id = _pick(batchSeed, Want.Live);
        GhostBatch storage g = _batches[s.id];
        s.caller = _caller(callerSeed, inspector);
        bool passed = verdictSeed % 4 != 0;
        uint256 validUntil =
            (verdictSeed >> 8) % 8 == 0
                ? block.timestamp - ((verdictSeed >> 16) % 1 days)
                : block.timestamp + 1 hours + ((verdictSeed >> 16) % 60 days);
        bytes32 report = (verdictSeed >> 64) % 16 == 15 ? bytes32(0) : keccak256(abi.encode("report", verdictSeed));

        if (!_holds(Roles.INSPECTOR, s.caller)) s.expected = _managed(s.caller);
        else if (g.status != ITraceLedger.BatchStatus.Active && g.status != ITraceLedger.BatchStatus.InTransit) {
            s.expected = _wrongStatus(s.id, g.status);
        } else if (report == bytes32(0)) s.expected = abi.encodeWithSelector(ITraceLedger.TraceLedgerZeroHash.selector);
        else if (passed && validUntil <= block.timestamp) {
            s.expected = abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidValidity.selector, uint64(validUntil));
        } else if (passed && g.cert == ITraceLedger.CertResult.Failed) {
            // Shopping for a pass after a fail.
            s.expected = abi.encodeWithSelector(
                ITraceLedger.TraceLedgerFailedInspectionStands.selector,
                s.id,
                s.caller
            );
        }

        (bool ok, ) = _call(
            Action.Certify,
            s.caller,
            abi.encodeCall(trace.certify, (s.id, passed, uint64(validUntil), report)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        g.cert = passed ? ITraceLedger.CertResult.Passed : ITraceLedger.CertResult.Failed;
        if (!passed) g.certValidUntil = 0;
        else if (uint64(validUntil) > g.certValidUntil) g.certValidUntil = uint64(validUntil);
    }

    /// @dev Three calls in four do nothing, so that recalls do not take over every lineage.
    function recall(uint256 batchSeed, uint256 callerSeed) external {
        if (batchIds.length == 0 || batchSeed % 4 != 0) return;
        _recall(batchSeed >> 2, callerSeed);
    }

    /// @dev Half the seeds a batch already made into others (a raw material lot whose products are in
    /// circulation), half one in circulation; recalled by the regulator seven times in eight.
    function _recall(uint256 batchSeed, uint256 callerSeed) internal {
        Step memory s;
        s.id = _pick(batchSeed, (batchSeed >> 3) % 2 == 0 ? Want.Consumed : Want.Live);
        GhostBatch storage g = _batches[s.id];
        s.caller = _caller(callerSeed, regulator);
        bytes32 reason = (callerSeed >> 64) % 16 == 15 ? bytes32(0) : keccak256(abi.encode("recall", callerSeed));

        if (!_holds(Roles.MARKET_REGULATOR, s.caller)) s.expected = _managed(s.caller);
        else if (g.recalled)
            s.expected = abi.encodeWithSelector(ITraceLedger.TraceLedgerAlreadyRecalled.selector, s.id);
        else if (reason == bytes32(0)) s.expected = abi.encodeWithSelector(ITraceLedger.TraceLedgerZeroHash.selector);

        (bool ok, bytes memory ret) = _call(
            Action.Recall,
            s.caller,
            abi.encodeCall(trace.recall, (s.id, reason)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        g.recalled = true;
        _recalls.push(
            GhostRecall({batchId: s.id, uom: g.uom, acknowledgements: 0, affected: g.quantity, accounted: 0})
        );
        if (keccak256(ret) != keccak256(abi.encode(uint32(_recalls.length)))) {
            _mismatch("recall returned another id", ret);
        }
    }

    /// @dev Seven batches in eight are in the recall's lineage; one recall id in sixteen is unknown, one
    /// action in sixteen None, one quantity in eight one more than the batch holds. While there is no
    /// recall, one call in two has the regulator recall a batch first.
    function acknowledgeRecall(uint256 recallSeed, uint256 batchSeed, uint256 callerSeed, uint256 actionSeed) external {
        if (batchIds.length == 0) return;
        if (_recalls.length == 0 && recallSeed % 2 == 0) _recall(_movableSeed(batchSeed >> 8), 0);
        uint256 count = _recalls.length;
        uint32 recallId = uint32(count == 0 || recallSeed % 16 == 15 ? count + 1 : 1 + ((recallSeed >> 4) % count));
        Step memory s;
        s.id =
            recallId <= count ? _pickInLineage(batchSeed, _recalls[recallId - 1].batchId) : _pick(batchSeed, Want.Any);
        GhostBatch storage g = _batches[s.id];
        s.caller = _caller(callerSeed, g.custodian);
        ITraceLedger.RecallAction action =
            actionSeed % 16 == 15 ? ITraceLedger.RecallAction.None : ITraceLedger.RecallAction(1 + (actionSeed % 3));
        uint128 quantity = uint128((actionSeed >> 16) % (uint256(g.quantity) + 1));
        if ((actionSeed >> 8) % 8 == 7 && g.quantity < type(uint128).max) quantity = g.quantity + 1;
        if ((actionSeed >> 8) % 8 == 6) quantity = type(uint128).max; // extreme amount

        bytes32 evidence = keccak256(abi.encode("acknowledgement", actionSeed));

        s.expected = _acknowledgeError(recallId, s.id, s.caller, action, quantity);
        (bool ok, ) = _call(
            Action.Acknowledge,
            s.caller,
            abi.encodeCall(trace.acknowledgeRecall, (recallId, s.id, action, quantity, evidence)),
            s.expected
        );
        _audit(false, s.caller == g.custodian, ok);
        if (!ok || s.expected.length != 0) return;
        GhostRecall storage r = _recalls[recallId - 1];
        _acknowledged[recallId][s.id] = true;
        uint256 accounted = uint256(r.accounted) + quantity;
        r.accounted = uint128(accounted < r.affected ? accounted : r.affected);
        ++r.acknowledgements;
        if (action == ITraceLedger.RecallAction.Destroy) g.status = ITraceLedger.BatchStatus.Destroyed;
    }

    // ---------------------------------------------------------------- organisations and time

    /// @dev One call in three: the regulator suspends a supply-chain organisation, or (seven times in
    /// eight while one is suspended) reinstates it, through the registry.
    function toggleSuspension(uint256 seed) external {
        if (seed % 3 != 0) return;
        seed /= 3;
        ++calls[uint256(Action.Suspend)];
        address account = supply[seed % 5];
        for (uint256 i = 0; i < 5; ++i) {
            if (suspended[supply[i]] && seed % 8 != 7) account = supply[i];
        }
        bytes memory data =
            suspended[account]
                ? abi.encodeCall(registry.reinstate, (account, keccak256("reinstated")))
                : abi.encodeCall(registry.suspend, (account, keccak256("suspended")));
        vm.prank(regulator);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = address(registry).call(data);
        if (!ok) return _mismatch("registry refused a suspension or reinstatement", ret);
        ++successes[uint256(Action.Suspend)];
        suspended[account] = !suspended[account];
    }

    /// @dev An attacker relays a write through `AccessManager.execute`, as an organisation entitled to call
    /// it directly: a recall, a certificate, a commissioning, a shipment, a product correction or a recall
    /// acknowledgement. The ledger refuses it (RelayedCall) whenever the manager lets it through.
    function relay(uint256 seed) external {
        if (batchIds.length == 0) return;
        ++calls[uint256(Action.Relay)];
        (address caller, bytes memory data) = _relayOrder(seed);
        IAccessManager manager = IAccessManager(trace.authority());
        bytes4 selector = bytes4(data);
        (bool immediate, ) = manager.canCall(caller, address(trace), selector);
        bytes memory expected =
            immediate
                ? abi.encodeWithSelector(ITraceLedger.TraceLedgerRelayedCall.selector, address(manager), selector)
                : abi.encodeWithSelector(
                    IAccessManager.AccessManagerUnauthorizedCall.selector,
                    caller,
                    address(trace),
                    selector
                );
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = address(manager).call(abi.encodeCall(manager.execute, (address(trace), data)));
        if (ok) {
            ++successes[uint256(Action.Relay)];
            _mismatch("a relayed call went through: ", data);
        } else if (keccak256(ret) != keccak256(expected)) {
            _mismatch("a relayed call was refused otherwise: ", ret);
        }
    }

    /// @dev Who relays which call (see `relay`).
    function _relayOrder(uint256 seed) internal returns (address caller, bytes memory data) {
        bytes32 id = batchIds[(seed >> 8) % batchIds.length];
        GhostBatch storage g = _batches[id];
        ITraceLedger.Context memory ctx = contextOf(GLN_BASE, block.timestamp, keccak256("relayed"));
        caller = g.custodian;
        uint256 kind = seed % 6;
        if (kind == 0) {
            caller = regulator;
            data = abi.encodeCall(trace.recall, (id, keccak256("relayed recall")));
        } else if (kind == 1) {
            caller = inspector;
            data = abi.encodeCall(trace.certify, (id, true, uint64(block.timestamp + 1 days), keccak256("r")));
        } else if (kind == 2) {
            caller = _products[g.product].producer;
            ITraceLedger.Commission memory c = ITraceLedger.Commission({
                productCode: _products[g.product].code,
                lotCode: _newLot(),
                quantity: 1,
                uom: KGM,
                giCertificate: 0
            });
            data = abi.encodeCall(trace.commissionBatch, (c, ctx));
        } else if (kind == 3) {
            data = abi.encodeCall(trace.ship, (id, supply[(seed >> 4) % 5], ctx));
        } else if (kind == 4) {
            caller = regulator;
            data = abi.encodeCall(
                trace.correctProduct,
                (_products[g.product].code, ITraceLedger.Category.Drug, supply[0], keccak256("relayed"))
            );
        } else {
            data = abi.encodeCall(
                trace.acknowledgeRecall,
                (1, id, ITraceLedger.RecallAction.Destroy, type(uint128).max, keccak256("relayed"))
            );
        }
    }

    function warp(uint256 seed) external {
        ++calls[uint256(Action.Warp)];
        ++successes[uint256(Action.Warp)];
        vm.warp(block.timestamp + 1 hours + (seed % 20 days));
    }

    // ---------------------------------------------------------------- views for the invariants

    function batchCount() external view returns (uint256) {
        return batchIds.length;
    }

    function ghostBatch(bytes32 id) external view returns (GhostBatch memory) {
        return _batches[id];
    }

    function giCount() external view returns (uint256) {
        return _gis.length;
    }

    function ghostGi(uint32 certificateId) external view returns (GhostGi memory) {
        return _gis[certificateId - 1];
    }

    function recallCount() external view returns (uint256) {
        return _recalls.length;
    }

    function ghostRecall(uint32 recallId) external view returns (GhostRecall memory) {
        return _recalls[recallId - 1];
    }

    /// @dev Whether `id` or any batch it was made from has been recalled, by a full walk of the ghost.
    function lineageRecalled(bytes32 id) external view returns (bool) {
        return _lineageRecalled(id);
    }

    /// @dev "action ok/calls" for each action, for the success-mix report.
    function summary() external view returns (string memory s) {
        string[ACTIONS] memory names = [
            "commission",
            "ship",
            "accept",
            "cancel",
            "split",
            "merge",
            "transform",
            "sell",
            "destroy",
            "certify",
            "recall",
            "acknowledge",
            "suspend",
            "warp",
            "relay"
        ];
        for (uint256 i = 0; i < ACTIONS; ++i) {
            s = string.concat(s, names[i], " ", vm.toString(successes[i]), "/", vm.toString(calls[i]), "; ");
        }
        s = string.concat(
            s,
            "batches ",
            vm.toString(batchIds.length),
            "; recalls ",
            vm.toString(_recalls.length),
            "; recalled moves tried ",
            vm.toString(recalledMoveAttempts),
            "; foreign calls tried ",
            vm.toString(foreignAttempts)
        );
    }

    // ---------------------------------------------------------------- model

    function _holds(uint64 role, address account) internal view returns (bool) {
        if (account == regulator) return role == Roles.MARKET_REGULATOR;
        if (account == inspector) return role == Roles.INSPECTOR;
        return kindOf[account] != 0 && kindOf[account] == role && !suspended[account];
    }

    /// @dev The role a receiver of a shipment is stored with: its kind while active, else 0.
    function _supplyRole(address account) internal view returns (uint8) {
        return suspended[account] ? 0 : kindOf[account];
    }

    function _lineageRecalled(bytes32 id) internal view returns (bool) {
        GhostBatch storage g = _batches[id];
        if (g.recalled) return true;
        for (uint256 i = 0; i < g.parents.length; ++i) {
            if (_lineageRecalled(g.parents[i])) return true;
        }
        return false;
    }

    function _descends(bytes32 id, bytes32 ancestor) internal view returns (bool) {
        if (id == ancestor) return true;
        bytes32[] storage parents = _batches[id].parents;
        for (uint256 i = 0; i < parents.length; ++i) {
            if (_descends(parents[i], ancestor)) return true;
        }
        return false;
    }

    function _custodyError(bytes32 id, address caller) internal view returns (bytes memory) {
        GhostBatch storage g = _batches[id];
        if (caller != g.custodian) return _notCustodian(id, caller, g.custodian);
        if (!_holds(g.custodianRole, caller)) return _unauthorized(caller, g.custodianRole);
        return "";
    }

    /// @dev The contract's `_movable`, with the status the batch has at that point of the call.
    function _movableError(
        bytes32 id,
        address caller,
        ITraceLedger.BatchStatus status
    ) internal view returns (bytes memory err) {
        err = _custodyError(id, caller);
        if (err.length != 0) return err;
        if (status != ITraceLedger.BatchStatus.Active) return _wrongStatus(id, status);
        if (_lineageRecalled(id)) return _recalledError(id);
    }

    /// @dev The contract's `_consume` in order: each input movable (a repeated input is Consumed by its
    /// second sight), in the first input's unit (and product for a merge); then the lineage bound.
    /// Returns the facts the audit needs even when the call is refused.
    function _consumeError(
        bytes32[] memory inputs,
        address caller,
        bool sameProduct
    ) internal view returns (bytes memory err, Consumed memory m) {
        GhostBatch storage first = _batches[inputs[0]];
        m.gi = first.gi;
        m.cert = ITraceLedger.CertResult.Passed;
        m.validUntil = type(uint64).max;
        m.lineage = 1;
        m.entitled = true;
        for (uint256 i = 0; i < inputs.length; ++i) {
            bytes32 id = inputs[i];
            GhostBatch storage g = _batches[id];
            if (_lineageRecalled(id)) m.recalled = true;
            if (caller != g.custodian) m.entitled = false;
            if (err.length != 0) continue;
            bool repeated = false;
            for (uint256 j = 0; j < i; ++j) if (inputs[j] == id) repeated = true;
            err = _movableError(id, caller, repeated ? ITraceLedger.BatchStatus.Consumed : g.status);
            if (err.length != 0) continue;
            if (g.uom != first.uom) {
                err = abi.encodeWithSelector(ITraceLedger.TraceLedgerUnitMismatch.selector, id, g.uom, first.uom);
            } else if (sameProduct && g.product != first.product) {
                err = abi.encodeWithSelector(ITraceLedger.TraceLedgerProductMismatch.selector, id);
            }
            if (err.length != 0) continue;
            if (g.gi != m.gi) m.gi = 0;
            if (g.cert == ITraceLedger.CertResult.Failed) m.cert = ITraceLedger.CertResult.Failed;
            else if (g.cert == ITraceLedger.CertResult.None && m.cert == ITraceLedger.CertResult.Passed) {
                m.cert = ITraceLedger.CertResult.None;
            }
            if (g.certValidUntil < m.validUntil) m.validUntil = g.certValidUntil;
            m.total += g.quantity;
            m.lineage += g.lineage;
        }
        if (err.length == 0 && m.lineage > MAX_LINEAGE) {
            err = abi.encodeWithSelector(ITraceLedger.TraceLedgerLineageTooLarge.selector, m.lineage, MAX_LINEAGE);
        }
        if (m.cert != ITraceLedger.CertResult.Passed) m.validUntil = 0;
    }

    /// @dev The split loop: each part not zero, each lot in the caller's space, each child new; then the sum
    /// against the parent.
    function _splitPartsError(
        bytes32 id,
        address caller,
        SplitShape memory shape,
        uint256 parentQuantity
    ) internal view returns (bytes memory) {
        uint256 total = 0;
        uint8 p = _batches[id].product;
        bool owner = _products[p].producer == caller;
        for (uint256 i = 0; i < shape.children.length; ++i) {
            if (shape.quantities[i] == 0) return abi.encodeWithSelector(ITraceLedger.TraceLedgerZeroQuantity.selector);
            bytes memory space = _lotSpaceError(p, shape.lots[i], id, owner);
            if (space.length != 0) return space;
            if (_batches[shape.children[i]].status != ITraceLedger.BatchStatus.None) return _exists(shape.children[i]);
            total += shape.quantities[i];
        }
        if (total != parentQuantity) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityMismatch.selector, parentQuantity, total);
        }
        return "";
    }

    function _labelError(
        uint32 gi,
        uint256 p,
        bytes3 uom,
        uint256 quantity,
        address caller,
        uint256 labelled
    ) internal view returns (bytes memory) {
        if (gi == 0 || gi > _gis.length) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownGiCertificate.selector, gi);
        }
        GhostGi storage g = _gis[gi - 1];
        if (g.producer != caller || g.productSeq != p + 1 || g.uom != uom) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerGiCertificateMismatch.selector, gi);
        }
        if (g.validUntil < block.timestamp) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerGiCertificateExpired.selector, gi, g.validUntil);
        }
        if (labelled + quantity > g.ceiling) {
            return
                abi.encodeWithSelector(
                    ITraceLedger.TraceLedgerGiCeilingExceeded.selector,
                    gi,
                    labelled + quantity,
                    g.ceiling
                );
        }
        return "";
    }

    function _saleCertificateError(bytes32 id) internal view returns (bytes memory) {
        GhostBatch storage g = _batches[id];
        if (g.cert == ITraceLedger.CertResult.Failed) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerInspectionFailed.selector, id);
        }
        if (g.cert == ITraceLedger.CertResult.Passed) {
            if (g.certValidUntil < block.timestamp) {
                return
                    abi.encodeWithSelector(ITraceLedger.TraceLedgerCertificateExpired.selector, id, g.certValidUntil);
            }
            return "";
        }
        // Every category but agricultural needs inspection by default (the handler never changes it).
        if (_products[g.product].category != ITraceLedger.Category.Agricultural) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerNotInspected.selector, id);
        }
        return "";
    }

    function _acknowledgeError(
        uint32 recallId,
        bytes32 id,
        address caller,
        ITraceLedger.RecallAction action,
        uint128 quantity
    ) internal view returns (bytes memory err) {
        if (recallId == 0 || recallId > _recalls.length) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownRecall.selector, recallId);
        }
        if (action == ITraceLedger.RecallAction.None) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerInvalidAction.selector);
        }
        GhostBatch storage g = _batches[id];
        // The custodian, suspended or not (a documented exception).
        if (caller != g.custodian) return _notCustodian(id, caller, g.custodian);
        if (g.status != ITraceLedger.BatchStatus.Active) return _wrongStatus(id, g.status);
        GhostRecall storage r = _recalls[recallId - 1];
        if (!_descends(id, r.batchId)) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerNotInRecall.selector, recallId, id);
        }
        if (_acknowledged[recallId][id]) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerAlreadyAcknowledged.selector, recallId, id);
        }
        if (g.uom == r.uom && quantity > g.quantity) return _tooLarge(quantity, g.quantity);
        if (quantity > r.affected) return _tooLarge(quantity, r.affected);
    }

    /// @dev The contract's lot spaces: the longest existing batch `lot` is a sub-lot of must be `parent`;
    /// otherwise NotSubLot for anyone but the producer, SubLotReserved for the producer when there is one.
    function _lotSpaceError(uint256 p, bytes32 lot, bytes32 parent, bool owner) internal view returns (bytes memory) {
        bytes32 found = 0;
        for (uint256 i = 31; i != 0 && found == 0; --i) {
            if (lot[i] != ".") continue;
            bytes32 id = keccak256(abi.encode(_products[p].code, lot & ~bytes32(type(uint256).max >> (8 * i))));
            if (_batches[id].status != ITraceLedger.BatchStatus.None) found = id;
        }
        if (found == parent) return "";
        if (!owner) return abi.encodeWithSelector(ITraceLedger.TraceLedgerNotSubLot.selector, lot, parent);
        if (found != 0) {
            return
                abi.encodeWithSelector(ITraceLedger.TraceLedgerSubLotReserved.selector, _products[p].code, lot, found);
        }
        return "";
    }

    /// @dev The lot a derived batch of `g` takes: the caller's own space for the producer, a sub-lot of `g`
    /// for anyone else, except one seed in eight (a squatting order: a lot from the producer's space).
    function _derivedLot(GhostBatch storage g, address caller, uint256 seed) internal returns (bytes32) {
        if (_products[g.product].producer == caller || seed % 8 == 7) return _newLot();
        (bytes32 sub, bool fits) = _subLot(g.lot, ++_lotCount);
        return fits ? sub : _newLot();
    }

    /// @dev `<lot>.<n>`, when it fits in 32 bytes.
    function _subLot(bytes32 lot, uint256 n) internal pure returns (bytes32 sub, bool fits) {
        uint256 length = 0;
        while (length < 32 && lot[length] != 0) ++length;
        bytes memory b = bytes.concat(trimmedCode(lot, length), ".", bytes(decimal(n)));
        if (b.length > 32) return (0, false);
        return (bytes32(b), true);
    }

    function _tooLarge(uint256 quantity, uint256 available) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerQuantityTooLarge.selector, quantity, available);
    }

    // ---------------------------------------------------------------- ghost updates

    function _addCommissioned(
        bytes32 id,
        uint256 p,
        bytes32 lot,
        address producer,
        uint128 quantity,
        bytes3 uom,
        uint32 gi
    ) internal {
        GhostBatch storage g = _newBatch(id, lot);
        g.custodian = producer;
        g.custodianRole = uint8(Roles.PRODUCER);
        g.product = uint8(p);
        g.lineage = 1;
        g.uom = uom;
        g.gi = gi;
        g.quantity = quantity;
        g.origin = Origin.Commissioned;
        ghostTotal += quantity;
        if (gi != 0) _gis[gi - 1].labelled += quantity;
    }

    function _addChild(bytes32 id, bytes32 parentId, bytes32 lot, uint128 quantity) internal {
        GhostBatch storage parent = _batches[parentId];
        GhostBatch storage c = _newBatch(id, lot);
        c.custodian = parent.custodian;
        c.custodianRole = parent.custodianRole;
        c.cert = parent.cert;
        c.certValidUntil = parent.certValidUntil;
        c.product = parent.product;
        c.lineage = parent.lineage + 1;
        c.uom = parent.uom;
        c.gi = parent.gi;
        c.quantity = quantity;
        c.origin = Origin.Split;
        c.parents.push(parentId);
    }

    /// @dev The output of a merge or transformation: held as its first input, the inputs consumed.
    function _addOutput(
        bytes32 id,
        bytes32[] memory inputs,
        bytes32 lot,
        Consumed memory m,
        Origin origin
    ) internal returns (GhostBatch storage o) {
        address holder = _batches[inputs[0]].custodian;
        uint8 role = _batches[inputs[0]].custodianRole;
        for (uint256 i = 0; i < inputs.length; ++i) _batches[inputs[i]].status = ITraceLedger.BatchStatus.Consumed;
        o = _newBatch(id, lot);
        o.custodian = holder;
        o.custodianRole = role;
        o.cert = m.cert;
        o.certValidUntil = m.validUntil;
        o.lineage = uint8(m.lineage);
        o.origin = origin;
        o.parents = inputs;
    }

    function _newBatch(bytes32 id, bytes32 lot) internal returns (GhostBatch storage g) {
        batchIds.push(id);
        g = _batches[id];
        g.status = ITraceLedger.BatchStatus.Active;
        g.lot = lot;
    }

    /// @dev Takes the GI labels off the inputs (their batches are about to be consumed).
    function _release(bytes32[] memory inputs) internal {
        for (uint256 i = 0; i < inputs.length; ++i) {
            GhostBatch storage g = _batches[inputs[i]];
            if (g.gi != 0) _gis[g.gi - 1].labelled -= g.quantity;
        }
    }

    function _labelledOf(uint32 gi) internal view returns (uint256) {
        return gi == 0 || gi > _gis.length ? 0 : _gis[gi - 1].labelled;
    }

    /// @dev Quantity of the distinct inputs labelled under `gi`.
    function _labelledIn(bytes32[] memory inputs, uint32 gi) internal view returns (uint256 sum) {
        for (uint256 i = 0; i < inputs.length; ++i) {
            bool repeated = false;
            for (uint256 j = 0; j < i; ++j) if (inputs[j] == inputs[i]) repeated = true;
            if (!repeated && _batches[inputs[i]].gi == gi) sum += _batches[inputs[i]].quantity;
        }
    }

    // ---------------------------------------------------------------- pickers

    /// @dev Six seeds in eight: the first batch (from a random start) matching `want`; one in eight an
    /// Active batch whose lineage is recalled; one in eight any batch.
    function _pickMove(uint256 seed, Want want) internal view returns (bytes32) {
        return _pick(seed, seed % 8 == 6 ? Want.RecalledActive : want);
    }

    function _pick(uint256 seed, Want want) internal view returns (bytes32) {
        uint256 n = batchIds.length;
        uint256 start = (seed >> 8) % n;
        if (seed % 8 != 7) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = batchIds[(start + j) % n];
                if (_wanted(id, want)) return id;
            }
        }
        return batchIds[start];
    }

    function _wanted(bytes32 id, Want want) internal view returns (bool) {
        GhostBatch storage g = _batches[id];
        if (want == Want.Any) return true;
        if (want == Want.InTransit) return g.status == ITraceLedger.BatchStatus.InTransit;
        if (want == Want.Consumed) return g.status == ITraceLedger.BatchStatus.Consumed;
        if (want == Want.Live && g.status == ITraceLedger.BatchStatus.InTransit) return true;
        if (g.status != ITraceLedger.BatchStatus.Active) return false;
        if (want == Want.Active || want == Want.Live) return true;
        bool recalled = _lineageRecalled(id);
        if (want == Want.RecalledActive) return recalled;
        if (recalled) return false;
        if (want == Want.AtProducer) return g.custodianRole == Roles.PRODUCER;
        if (want == Want.AtRetailer) return g.custodianRole == Roles.RETAILER;
        return true; // Movable
    }

    /// @dev The first input as `_pickMove` picks it (a producer's for a transformation), six seeds in eight
    /// one that has a partner; then up to `n - 1` partners: six seeds in eight the first movable batch
    /// held with the first input in its unit (and product for a merge) not already taken, one in eight
    /// one held with it in another unit or of another product (if any), one in eight any batch. Fewer
    /// inputs when partners run out, but at least `min`.
    function _pickInputs(
        uint256 seed,
        uint256 n,
        uint256 partnerSeed,
        bool sameProduct
    ) internal view returns (bytes32[] memory inputs) {
        Want want = sameProduct ? Want.Movable : Want.AtProducer;
        uint256 count = batchIds.length;
        bytes32[] memory list = new bytes32[](n);
        list[0] = _pickMove(seed, want);
        if (n > 1 && seed % 8 < 6) {
            uint256 start = (seed >> 8) % count;
            for (uint256 j = 0; j < count; ++j) {
                bytes32 id = batchIds[(start + j) % count];
                if (_wanted(id, want) && _partner(id, list, 1, sameProduct, 0, 0) != bytes32(0)) {
                    list[0] = id;
                    break;
                }
            }
        }
        uint256 m = 1;
        for (uint256 k = 1; k < n; ++k) {
            uint256 r = partnerSeed >> (16 * k);
            bytes32 id = r % 8 == 7 ? batchIds[(r >> 4) % count] : bytes32(0);
            if (r % 8 == 6) id = _partner(list[0], list, m, sameProduct, r >> 4, sameProduct ? 1 + ((r >> 3) % 2) : 1);
            if (id == bytes32(0)) id = _partner(list[0], list, m, sameProduct, r >> 4, 0);
            if (id != bytes32(0)) list[m++] = id;
        }
        uint256 min = sameProduct ? 2 : 1;
        if (m < min) list[m++] = batchIds[(partnerSeed >> 4) % count];
        inputs = new bytes32[](m);
        for (uint256 i = 0; i < m; ++i) inputs[i] = list[i];
    }

    /// @dev The first movable batch from `start` not among the first `taken` of `list`, held with `first`:
    /// `mode` 0 in its unit (and product when `sameProduct`), 1 in another unit (same product when
    /// `sameProduct`), 2 of another product in its unit; 0 if none.
    function _partner(
        bytes32 first,
        bytes32[] memory list,
        uint256 taken,
        bool sameProduct,
        uint256 start,
        uint256 mode
    ) internal view returns (bytes32) {
        GhostBatch storage f = _batches[first];
        uint256 count = batchIds.length;
        for (uint256 j = 0; j < count; ++j) {
            bytes32 id = batchIds[(start + j) % count];
            GhostBatch storage g = _batches[id];
            bool sameUnit = g.uom == f.uom;
            bool productFits = !sameProduct || g.product == f.product;
            bool fits =
                mode == 0
                    ? sameUnit && productFits
                    : (mode == 1 ? !sameUnit && productFits : sameUnit && g.product != f.product);
            if (
                fits &&
                id != first &&
                !_taken(list, taken, id) &&
                g.custodian == f.custodian &&
                _wanted(id, Want.Movable)
            ) return id;
        }
        return bytes32(0);
    }

    function _taken(bytes32[] memory inputs, uint256 k, bytes32 id) internal pure returns (bool) {
        for (uint256 i = 0; i < k; ++i) if (inputs[i] == id) return true;
        return false;
    }

    /// @dev Seven seeds in eight: an Active batch descending from `root` (if any); else any batch.
    function _pickInLineage(uint256 seed, bytes32 root) internal view returns (bytes32) {
        uint256 n = batchIds.length;
        uint256 start = (seed >> 8) % n;
        if (seed % 8 != 7) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = batchIds[(start + j) % n];
                if (_batches[id].status == ITraceLedger.BatchStatus.Active && _descends(id, root)) return id;
            }
        }
        return batchIds[start];
    }

    /// @dev For product `p`: a GI product six seeds in eight gets one of its certificates, one in eight
    /// none; one seed in eight (any product) a certificate picked at random, or an unknown one.
    function _pickGi(uint256 p, uint256 seed) internal view returns (uint32) {
        uint256 r = seed % 8;
        uint256 n = _gis.length;
        if (r == 7) return uint32(1 + ((seed >> 8) % (n + 1)));
        if (!_products[p].gi || r == 6) return 0;
        uint256 start = (seed >> 8) % n;
        for (uint256 j = 0; j < n; ++j) {
            uint256 k = (start + j) % n;
            if (_gis[k].productSeq == p + 1) return uint32(k + 1);
        }
        return 0;
    }

    /// @dev Into one of `caller`'s products (one seed in eight any product, one in sixteen an unknown one),
    /// at a ratio up to 2 (one in sixteen 0, one in sixteen 1 ppm), in KGM (one in sixteen H87, one in
    /// sixteen an invalid unit), labelled three times in four when the product is GI.
    function _transformationOf(uint256 seed, address caller) internal returns (ITraceLedger.Transformation memory t) {
        uint256 p = seed % _products.length;
        if (seed % 8 != 7) {
            for (uint256 j = 0; j < _products.length; ++j) {
                uint256 k = (p + j) % _products.length;
                if (_products[k].producer == caller) {
                    p = k;
                    break;
                }
            }
        }
        t.outputProduct = (seed >> 4) % 16 == 15 ? bytes32("NO-SUCH-PRODUCT") : _products[p].code;
        uint256 r = (seed >> 8) % 16;
        t.ratioPpm = r == 0 ? 0 : (r == 1 ? 1 : uint32(1 + ((seed >> 16) % 2_000_000)));
        uint256 u = (seed >> 40) % 16;
        t.outputUom = u == 0 ? H87 : (u == 1 ? bytes3("k g") : KGM);
        t.outputLot = _newLot();
        if ((seed >> 48) % 4 != 3) t.giCertificate = _pickGi(p, seed >> 80);
    }

    /// @dev Who calls: seven seeds in eight `right`, else any of the eight accounts.
    function _caller(uint256 seed, address right) internal view returns (address) {
        return seed % 8 == 7 ? _actor(seed >> 3) : right;
    }

    function _actor(uint256 seed) internal view returns (address) {
        uint256 i = seed % 8;
        if (i < 5) return supply[i];
        if (i == 5) return inspector;
        if (i == 6) return regulator;
        return stranger;
    }

    /// @dev An event context: one seed in sixteen more than 15 minutes ahead (EventInFuture), one
    /// exactly 15 minutes ahead, the rest up to a day in the past.
    function _context(uint256 seed) internal view returns (ITraceLedger.Context memory ctx, bytes memory err) {
        uint256 r = seed % 16;
        uint256 eventTime = block.timestamp - ((seed >> 8) % 1 days);
        if (r == 15) eventTime = block.timestamp + CLOCK_SKEW + 1 + ((seed >> 8) % 1 days);
        else if (r == 14) eventTime = block.timestamp + CLOCK_SKEW;
        ctx = contextOf(GLN_BASE + uint64((seed >> 40) % 1000), eventTime, keccak256(abi.encode("event", seed)));
        if (eventTime > block.timestamp + CLOCK_SKEW) {
            err = abi.encodeWithSelector(ITraceLedger.TraceLedgerEventInFuture.selector, eventTime, block.timestamp);
        }
    }

    /// @dev `total` cut into `n` parts that add up (zero parts when `total` < `n`).
    function _cut(uint256 total, uint256 n, uint256 seed) internal pure returns (uint128[] memory q) {
        q = new uint128[](n);
        uint256 remaining = total;
        for (uint256 i = 0; i + 1 < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 part = remaining / (n - i);
            if (r % 4 == 0 && remaining > n - i) part = 1 + ((r >> 2) % (remaining - (n - 1 - i)));
            q[i] = uint128(part);
            remaining -= part;
        }
        q[n - 1] = uint128(remaining);
    }

    function _newLot() internal returns (bytes32) {
        return lotOf("H", ++_lotCount);
    }

    // ---------------------------------------------------------------- outcomes

    /// @dev Calls the ledger as `caller` and compares the outcome with the model's `expected` revert
    /// data (empty: success).
    function _call(
        Action action,
        address caller,
        bytes memory data,
        bytes memory expected
    ) internal returns (bool ok, bytes memory ret) {
        ++calls[uint256(action)];
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (ok, ret) = address(trace).call(data);
        if (ok) {
            ++successes[uint256(action)];
            if (expected.length != 0) {
                _mismatch(string.concat("action ", vm.toString(uint256(action)), " succeeded, model: "), expected);
            }
        } else if (keccak256(ret) != keccak256(expected)) {
            _mismatch(string.concat("action ", vm.toString(uint256(action)), " reverted against the model: "), ret);
        }
    }

    /// @dev Counts attempts and successes of recalled moves and of calls by someone not entitled.
    function _audit(bool recalledMove, bool entitled, bool ok) internal {
        if (recalledMove) ++recalledMoveAttempts;
        if (!entitled) ++foreignAttempts;
        if (!ok) return;
        if (recalledMove) ++ghostRecalledMoves;
        if (!entitled) ++ghostForeignActs;
    }

    function _checkReturnedId(bytes memory ret, bytes32 id, string memory what) internal {
        if (keccak256(ret) != keccak256(abi.encode(id))) _mismatch(string.concat(what, " returned another id: "), ret);
    }

    function _mismatch(string memory what, bytes memory data) internal {
        if (mismatches++ == 0) firstMismatch = string.concat(what, vm.toString(data));
    }

    function _managed(address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, caller);
    }

    function _unauthorized(address caller, uint64 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerUnauthorized.selector, caller, role);
    }

    function _notCustodian(bytes32 id, address caller, address custodian) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerNotCustodian.selector, id, caller, custodian);
    }

    function _wrongStatus(bytes32 id, ITraceLedger.BatchStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerWrongStatus.selector, id, status);
    }

    function _recalledError(bytes32 id) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerRecalled.selector, id);
    }

    function _exists(bytes32 id) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceLedger.TraceLedgerBatchExists.selector, id);
    }
}

contract TraceLedgerInvariantTest is TraceLedgerFixture {
    TraceLedgerHandler internal handler;

    /// @dev Certificates with ceilings the handler reaches: 3 kg of peel and 0.5 kg of 陈皮.
    uint128 internal constant SMALL_PEEL_CEILING = 3_000_000;
    uint128 internal constant SMALL_CHENPI_CEILING = 500_000;

    function setUp() public override {
        super.setUp();
        handler = new TraceLedgerHandler(
            trace,
            registry,
            marketRegulator,
            inspector,
            stranger,
            [producerA, producerB, logistics, retailerA, retailerB]
        );
        handler.noteProduct(APPLE, producerA, ITraceLedger.Category.Agricultural, false);
        handler.noteProduct(PEEL, producerA, ITraceLedger.Category.Agricultural, true);
        handler.noteProduct(MILK, producerB, ITraceLedger.Category.Food, false);
        handler.noteProduct(CHENPI, producerA, ITraceLedger.Category.Food, true);
        handler.noteGiCertificate(producerA, 2, KGM, uint64(T0 + GI_VALIDITY), PEEL_CEILING);
        handler.noteGiCertificate(producerA, 4, KGM, uint64(T0 + GI_VALIDITY), CHENPI_CEILING);
        uint64 until = uint64(T0 + 60 days); // expires during some runs
        vm.startPrank(marketRegulator);
        trace.issueGiCertificate(producerA, PEEL, KGM, SMALL_PEEL_CEILING, until, keccak256("small peel"));
        trace.issueGiCertificate(producerA, CHENPI, KGM, SMALL_CHENPI_CEILING, until, keccak256("small chenpi"));
        vm.stopPrank();
        handler.noteGiCertificate(producerA, 2, KGM, until, SMALL_PEEL_CEILING);
        handler.noteGiCertificate(producerA, 4, KGM, until, SMALL_CHENPI_CEILING);

        _seedStock();
        _targetHandler();
    }

    /// @dev Stock in every hand: apples (also by the piece) and labelled peel at producer A, milk (also by
    /// the piece) at producer B, apples at the logistics company, apples and certified milk at the retailers.
    function _seedStock() internal {
        handler.seedBatch(0, 500_000, KGM, 0);
        handler.seedBatch(1, 800_000, KGM, 3);
        handler.seedBatch(1, 200_000, KGM, 0);
        handler.seedBatch(2, 300_000, KGM, 0);
        handler.seedBatch(0, 2_000, H87, 0);
        handler.seedBatch(2, 1_000, H87, 0);
        handler.seedHandOver(handler.seedBatch(0, 400_000, KGM, 0), logistics);
        handler.seedHandOver(handler.seedBatch(0, 100_000, KGM, 0), retailerA);
        handler.seedHandOver(handler.seedBatch(0, 100_000, KGM, 0), retailerB);
        handler.seedHandOver(handler.seedCertified(handler.seedBatch(2, 50_000, KGM, 0), T0 + 365 days), retailerA);
        handler.seedHandOver(handler.seedCertified(handler.seedBatch(2, 50_000, KGM, 0), T0 + 365 days), retailerB);
    }

    function _targetHandler() internal {
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](15);
        selectors[0] = TraceLedgerHandler.commission.selector;
        selectors[1] = TraceLedgerHandler.ship.selector;
        selectors[2] = TraceLedgerHandler.accept.selector;
        selectors[3] = TraceLedgerHandler.cancelShipment.selector;
        selectors[4] = TraceLedgerHandler.split.selector;
        selectors[5] = TraceLedgerHandler.merge.selector;
        selectors[6] = TraceLedgerHandler.transform.selector;
        selectors[7] = TraceLedgerHandler.sell.selector;
        selectors[8] = TraceLedgerHandler.destroy.selector;
        selectors[9] = TraceLedgerHandler.certify.selector;
        selectors[10] = TraceLedgerHandler.recall.selector;
        selectors[11] = TraceLedgerHandler.acknowledgeRecall.selector;
        selectors[12] = TraceLedgerHandler.toggleSuspension.selector;
        selectors[13] = TraceLedgerHandler.warp.selector;
        selectors[14] = TraceLedgerHandler.relay.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// One campaign checks every rule below after every call. (A campaign per rule made the fuzzer repeat
    /// the same handler calls once per rule: 6 times the work for the same sequences.)
    function invariant_everyRule() public view {
        _checkOutcomesMatchModel();
        assertEq(handler.ghostRecalledMoves(), 0, "a recalled lineage moved");
        assertEq(handler.ghostForeignActs(), 0, "someone other than the custodian acted");
        uint256 certificates = trace.giCertificateCount();
        assertEq(certificates, handler.giCount(), "certificate count");
        uint256[] memory labelled = new uint256[](certificates + 1);
        uint256 existing = 0;
        uint256 n = handler.batchCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.batchIds(i);
            ITraceLedger.Batch memory b = trace.batch(id);
            _checkBatch(id, b, handler.ghostBatch(id));
            if (b.status != ITraceLedger.BatchStatus.Consumed) {
                existing += b.quantity;
                labelled[b.giCertificate] += b.quantity;
            }
        }
        assertEq(existing, handler.ghostTotal(), "non-consumed = commissioned + transformed out - transformed in");
        _checkGiMassBalance(labelled);
        _checkRecallsAccounted();
    }

    /// Every rule on one batch, read once from the ledger and once from the model (almost all of a
    /// campaign's time is this check):
    /// - rule (a): split and merge conserve quantity and a transformation yields sum * ratio / 1e6: every
    ///   split parent's children add up to it, every merge output to its parents, every transformation
    ///   output to floor(parents * ratioPpm / 1e6); quantity, status and parents are the model's (the sum of
    ///   the non-consumed batches is checked by the caller);
    /// - rule (b): a batch whose lineage was recalled never moved or sold (ghost count of such successes
    ///   stays 0, the handler tries them); isRecalled equals a full walk of the ghost lineage, and no such
    ///   batch is sellable;
    /// - rule (c): only the custodian acts (the receiver accepts or refuses): no call by anyone else ever
    ///   succeeded, and the batch's custodian, role and pending receiver are the model's.
    function _checkBatch(
        bytes32 id,
        ITraceLedger.Batch memory b,
        TraceLedgerHandler.GhostBatch memory g
    ) internal view {
        assertEq(uint8(b.status), uint8(g.status), "status");
        assertEq(b.quantity, g.quantity, "quantity");
        bytes32[] memory parents = trace.parentsOf(id);
        assertEq(keccak256(abi.encode(parents)), keccak256(abi.encode(g.parents)), "parents");
        if (g.origin == TraceLedgerHandler.Origin.Merged) {
            assertEq(b.quantity, _sumQuantities(parents), "merge output = sum of its inputs");
        } else if (g.origin == TraceLedgerHandler.Origin.Transformed) {
            assertEq(b.quantity, (_sumQuantities(parents) * g.ratioPpm) / 1e6, "transformation ratio");
        }
        if (g.children.length != 0) {
            assertEq(_sumQuantities(g.children), b.quantity, "split children = parent");
        }

        bool recalled = handler.lineageRecalled(id);
        assertEq(trace.isRecalled(id), recalled, "isRecalled = ghost walk");
        if (recalled) assertFalse(trace.isSellable(id), "recalled: not sellable");

        assertEq(b.custodian, g.custodian, "custodian");
        assertEq(b.custodianRole, g.custodianRole, "custodian role");
        assertEq(b.receiver, g.receiver, "receiver");
        assertEq(b.receiverRole, g.receiverRole, "receiver role");
    }

    /// Rule (d): each GI certificate's labelled quantity equals the quantity of the non-consumed batches
    /// labelled under it (`labelled`, summed from the ledger), is the model's, and never exceeds the ceiling.
    function _checkGiMassBalance(uint256[] memory labelled) internal view {
        for (uint32 k = 1; k < labelled.length; ++k) {
            ITraceLedger.GiCertificate memory c = trace.giCertificate(k);
            assertEq(c.labelled, labelled[k], "labelled = existing labelled batches");
            assertLe(c.labelled, c.ceiling, "labelled <= ceiling");
            assertEq(c.labelled, handler.ghostGi(k).labelled, "labelled = model");
        }
    }

    /// Rule: every recall's affected quantity, unit, acknowledgements and accounted quantity are the model's.
    function _checkRecallsAccounted() internal view {
        uint256 n = handler.recallCount();
        assertEq(trace.recallCount(), n, "recall count");
        for (uint32 k = 1; k <= n; ++k) {
            ITraceLedger.Recall memory r = trace.recallInfo(k);
            TraceLedgerHandler.GhostRecall memory g = handler.ghostRecall(k);
            assertEq(r.batchId, g.batchId, "recalled batch");
            assertEq(r.uom, g.uom, "unit");
            assertEq(r.affected, g.affected, "affected");
            assertEq(r.accounted, g.accounted, "accounted");
            assertEq(r.acknowledgements, g.acknowledgements, "acknowledgements");
            assertLe(r.accounted, r.affected, "accounted <= affected");
        }
    }

    /// Rule: every call succeeded or failed, with the exact error and return value, as the model predicts.
    function _checkOutcomesMatchModel() internal view {
        assertEq(handler.mismatches(), 0, handler.firstMismatch());
    }

    /// The handler reaches every path: a fixed pseudo-random sequence of 300 actions succeeds and
    /// fails at every action, tries recalled moves and foreign callers, and keeps every invariant.
    function test_handler_exercisesEveryAction() public {
        for (uint256 i = 0; i < 300; ++i) {
            uint256[4] memory r;
            for (uint256 k = 0; k < 4; ++k) r[k] = uint256(keccak256(abi.encode("drive", i, k)));
            _drive(r[0] % 14, r);
            if (i % 10 == 9) handler.relay(r[2]);
        }
        emit log(handler.summary());
        for (uint256 a = 0; a < 12; ++a) {
            assertGt(handler.successes(a), 0, string.concat("action ", vm.toString(a), " never succeeded"));
            assertGt(handler.calls(a), handler.successes(a), string.concat("action ", vm.toString(a), " never failed"));
        }
        assertGt(handler.successes(12), 0, "suspensions");
        assertGt(handler.calls(14), 0, "relays tried");
        assertEq(handler.successes(14), 0, "a relay went through");
        assertGt(handler.recalledMoveAttempts(), 0, "recalled moves tried");
        assertGt(handler.foreignAttempts(), 0, "foreign callers tried");
        invariant_everyRule();
    }

    function _drive(uint256 action, uint256[4] memory r) internal {
        if (action == 0) handler.commission(r[1], r[2], r[3], r[0]);
        else if (action == 1) handler.ship(r[1], r[2], r[3], r[0]);
        else if (action == 2) handler.accept(r[1], r[2], r[3]);
        else if (action == 3) handler.cancelShipment(r[1], r[2]);
        else if (action == 4) handler.split(r[1], r[2], r[3], r[0]);
        else if (action == 5) handler.merge(r[1], r[2], r[3], r[0]);
        else if (action == 6) handler.transform(r[1], r[2], r[3], r[0]);
        else if (action == 7) handler.sell(r[1], r[2], r[3]);
        else if (action == 8) handler.destroy(r[1], r[2], r[3]);
        else if (action == 9) handler.certify(r[1], r[2], r[3]);
        else if (action == 10) handler.recall(r[1], r[2]);
        else if (action == 11) handler.acknowledgeRecall(r[1], r[2], r[3], r[0]);
        else if (action == 12) handler.toggleSuspension(r[1]);
        else if (action == 13) handler.warp(r[1] % 3 days);
        else handler.relay(r[1]);
    }

    function _sumQuantities(bytes32[] memory ids) internal view returns (uint256 sum) {
        for (uint256 i = 0; i < ids.length; ++i) sum += trace.batch(ids[i]).quantity;
    }
}
