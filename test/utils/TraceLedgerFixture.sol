// SPDX-License-Identifier: Apache-2.0
// The trace ledger's Solidity fixture, shared by its example, fuzz, invariant, attack and gas tests.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {ITraceLedger} from "../../contracts/interfaces/ITraceLedger.sol";
import {TraceLedger} from "../../contracts/trace/TraceLedger.sol";
import {OrgRegistryFixture} from "./OrgRegistryFixture.sol";
import {behindProxy} from "./BehindProxy.sol";
import {Wiring} from "./Wiring.sol";

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
    return
        ITraceLedger.Context({
            location: location,
            eventTime: uint64(eventTime),
            evidenceHash: evidenceHash,
            eventId: bytes32(0),
            quantity: 0,
            uom: bytes3(0),
            disposition: 0
        });
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

    function setUp() public virtual override {
        super.setUp();
        vm.warp(T0);
        trace = _deployTraceLedger();

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

    /// @dev The ledger as deploy/modules/Trace.ts deploys it: an implementation behind a transparent proxy
    /// whose ProxyAdmin the manager owns, initialized in the proxy's constructor (deploy/modules/proxy.ts), a
    /// target of the manager wired as deploy/wiring.ts says (test/utils/Wiring.sol). The one place the fixtures
    /// deploy it.
    function _deployTraceLedger() internal returns (TraceLedger deployed) {
        address implementation = address(new TraceLedger());
        bytes memory init = abi.encodeCall(TraceLedger.initialize, (address(manager)));
        deployed = TraceLedger(address(behindProxy(implementation, address(manager), init)));
        Wiring.traceLedger(manager, address(deployed));
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
