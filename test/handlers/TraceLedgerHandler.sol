// SPDX-License-Identifier: Apache-2.0
// The trace ledger's invariant handler (test/trace/TraceLedger.invariants.t.sol): a stateful handler.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {IOrgRegistry} from "../../contracts/interfaces/IOrgRegistry.sol";
import {ITraceLedger} from "../../contracts/interfaces/ITraceLedger.sol";
import {TraceLedger} from "../../contracts/trace/TraceLedger.sol";
import {
    CLOCK_SKEW,
    H87,
    KGM,
    MAX_LINEAGE,
    MAX_SPLIT,
    contextOf,
    decimal,
    lotOf,
    trimmedCode
} from "../utils/TraceLedgerFixture.sol";

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
        Relay,
        Squat
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

    uint256 internal constant ACTIONS = 16;
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
        uint128 destroyed; // destroyed in part (a recall acknowledgement Destroy of less than the batch)
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
        uint64 seasonStart; // when it was issued
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
        uint256 giInput; // the inputs' labelled quantity
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
    mapping(uint256 recallId => mapping(bytes32 id => bool)) internal _soldAcknowledged;
    uint256 internal _lotCount;

    /// @dev Commissioned + transformation outputs - transformation inputs: what the non-consumed
    /// batches must add up to (split and merge change nothing).
    uint256 public ghostTotal;
    /// @dev GI-labelled quantity harvested (commissioned with a label): labelled batches never add up to more
    /// (GI mass is never created; every certificate of the campaign is in KGM).
    uint256 public ghostGiHarvested;
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
                labelled: 0,
                seasonStart: uint64(block.timestamp)
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
        // A GI label starts only at a harvest (issue 19).
        if (_products[p].category != ITraceLedger.Category.Agricultural) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerGiNeedsInput.selector, c.productCode);
        }
        bytes memory err = _labelError(c.giCertificate, p, c.uom, c.quantity, s.caller, _labelledOf(c.giCertificate));
        if (err.length != 0) return err;
        GhostGi storage g = _gis[c.giCertificate - 1];
        if (s.ctx.eventTime + CLOCK_SKEW < g.seasonStart || s.ctx.eventTime > g.validUntil) {
            return
                abi.encodeWithSelector(
                    ITraceLedger.TraceLedgerGiOutOfSeason.selector,
                    c.giCertificate,
                    s.ctx.eventTime,
                    g.seasonStart,
                    g.validUntil
                );
        }
        return "";
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
        s.expected = _transformError(s, inputs, t, consumeError, m);
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
        Consumed memory m
    ) internal view returns (bytes memory) {
        (bool known, uint256 p) = _productIndex(t.outputProduct);
        uint256 quantity = (m.total * t.ratioPpm) / 1e6;
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
            bytes memory err = _transformLabelError(s.caller, inputs, t, m.giInput, p, quantity);
            if (err.length != 0) return err;
        }
        // The output's quantity is bounded whether or not it is GI labelled (found by the deep profile:
        // an unlabelled transformation of extreme inputs was predicted to succeed).
        if (quantity > type(uint128).max) return _tooLarge(quantity, type(uint128).max);
        return "";
    }

    /// @dev GI mass balance (issue 19): the labelled output, in the input's unit, is backed by labelled input
    /// (the handler declares no conversions: another output unit is never backed); then the label's own checks.
    function _transformLabelError(
        address caller,
        bytes32[] memory inputs,
        ITraceLedger.Transformation memory t,
        uint256 giInput,
        uint256 p,
        uint256 quantity
    ) internal view returns (bytes memory) {
        bool sameUnit = t.outputUom == _batches[inputs[0]].uom;
        if (!sameUnit || quantity > giInput) {
            return
                abi.encodeWithSelector(
                    ITraceLedger.TraceLedgerGiMassNotBacked.selector,
                    t.giCertificate,
                    giInput,
                    sameUnit ? quantity : 0
                );
        }
        uint256 labelled = _labelledOf(t.giCertificate) - _labelledIn(inputs, t.giCertificate);
        return _labelError(t.giCertificate, p, t.outputUom, quantity, caller, labelled);
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

    /// @dev One call in four recalls, one in four tries a recall the ledger refuses (`_recallRefused`); the
    /// others do nothing, so that recalls do not take over every lineage.
    function recall(uint256 batchSeed, uint256 callerSeed) external {
        if (batchIds.length == 0 || batchSeed % 4 > 1) return;
        if (batchSeed % 4 == 0) _recall(batchSeed >> 2, callerSeed);
        else _recallRefused(batchSeed >> 2, callerSeed);
    }

    /// @dev An attack the ledger refuses: the regulator (or, one time in eight, anyone) recalls a batch
    /// that was never commissioned, or (half the seeds, once there is a recall) a batch recalled already.
    function _recallRefused(uint256 batchSeed, uint256 callerSeed) internal {
        bytes32 id =
            batchSeed % 2 == 0 && _recalls.length != 0
                ? _recalls[(batchSeed >> 1) % _recalls.length].batchId
                : keccak256(abi.encode("never commissioned", batchSeed));
        address caller = _caller(callerSeed, regulator);
        bytes memory expected;
        if (!_holds(Roles.MARKET_REGULATOR, caller)) expected = _managed(caller);
        else if (_batches[id].status == ITraceLedger.BatchStatus.None)
            expected = abi.encodeWithSelector(ITraceLedger.TraceLedgerUnknownBatch.selector, id);
        else expected = abi.encodeWithSelector(ITraceLedger.TraceLedgerAlreadyRecalled.selector, id);
        _call(Action.Recall, caller, abi.encodeCall(trace.recall, (id, keccak256("again"))), expected);
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
            GhostRecall({
                batchId: s.id,
                uom: g.uom,
                acknowledgements: 0,
                affected: g.quantity + g.destroyed,
                accounted: 0
            })
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
            actionSeed % 16 == 15 ? ITraceLedger.RecallAction.None : ITraceLedger.RecallAction(1 + (actionSeed % 4));
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
        if (action == ITraceLedger.RecallAction.ReachedConsumer) _soldAcknowledged[recallId][s.id] = true;
        else _acknowledged[recallId][s.id] = true;
        (, uint256 converted) = _inRecallUnit(s.id, quantity, r.batchId);
        uint256 accounted = uint256(r.accounted) + converted;
        r.accounted = uint128(accounted < r.affected ? accounted : r.affected);
        ++r.acknowledgements;
        if (action == ITraceLedger.RecallAction.Destroy) {
            if (quantity == g.quantity) {
                g.status = ITraceLedger.BatchStatus.Destroyed;
            } else {
                g.quantity -= quantity;
                g.destroyed += quantity;
            }
        }
    }

    /// @dev The contract's walk: depth first, last parent first; each transformation on the way back divides
    /// by its ratio; values stop at 2^128 - 1.
    function _inRecallUnit(bytes32 id, uint256 q, bytes32 ancestor) internal view returns (bool, uint256) {
        if (id == ancestor) return (true, q);
        GhostBatch storage g = _batches[id];
        if (g.origin == Origin.Transformed) q = (q * 1e6) / g.ratioPpm;
        if (q > type(uint128).max) q = type(uint128).max;
        for (uint256 i = g.parents.length; i > 0; --i) {
            (bool found, uint256 v) = _inRecallUnit(g.parents[i - 1], q, ancestor);
            if (found) return (true, v);
        }
        return (false, 0);
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

    /// @dev An attacker holding a batch records an observation under the EPCIS event id a partner holding another
    /// batch is about to use (it saw the partner's document first), then the partner records its own event under
    /// that id: the squat never blocks it (event ids are kept per recording organisation), and each organisation's
    /// record stays its own.
    function squatEventId(uint256 attackerSeed, uint256 partnerSeed, uint256 idSeed) external {
        if (batchIds.length < 2) return;
        ++calls[uint256(Action.Squat)];
        bytes32 theirs = batchIds[attackerSeed % batchIds.length];
        bytes32 mine = batchIds[partnerSeed % batchIds.length];
        address attacker = _batches[theirs].custodian;
        address partner = _batches[mine].custodian;
        if (attacker == partner) return;
        ITraceLedger.Context memory ctx = contextOf(GLN_BASE, block.timestamp, keccak256(abi.encode("squat", idSeed)));
        ctx.eventId = keccak256(abi.encode("urn:uuid:partner-event", idSeed));
        if (trace.eventRecord(partner, ctx.eventId).org != address(0)) return;
        vm.prank(attacker);
        // solhint-disable-next-line avoid-low-level-calls
        (bool squatted, ) = address(trace).call(abi.encodeCall(trace.recordEvent, (theirs, 7, ctx)));
        vm.prank(partner);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = address(trace).call(abi.encodeCall(trace.recordEvent, (mine, 7, ctx)));
        if (!ok && bytes4(ret) == ITraceLedger.TraceLedgerEventRecorded.selector) {
            _mismatch("a squatted event id blocked its partner: ", ret);
        }
        if (ok && trace.eventRecord(partner, ctx.eventId).org != partner) {
            _mismatch("the partner's event is not recorded as its own: ", abi.encode(ctx.eventId));
        }
        if (squatted && ok) ++successes[uint256(Action.Squat)];
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
            "relay",
            "squat"
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
            if (g.gi != 0) m.giInput += g.quantity;
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
        // In the batch's unit, bounded by what it holds, or what it sold for ReachedConsumer (issue 19).
        uint256 bound;
        if (action == ITraceLedger.RecallAction.ReachedConsumer) {
            if (g.status != ITraceLedger.BatchStatus.Active && g.status != ITraceLedger.BatchStatus.RetailSold) {
                return _wrongStatus(id, g.status);
            }
            if (_soldAcknowledged[recallId][id]) {
                return abi.encodeWithSelector(ITraceLedger.TraceLedgerAlreadyAcknowledged.selector, recallId, id);
            }
            bound = g.status == ITraceLedger.BatchStatus.RetailSold ? g.quantity : 0;
        } else {
            if (g.status != ITraceLedger.BatchStatus.Active) return _wrongStatus(id, g.status);
            if (_acknowledged[recallId][id]) {
                return abi.encodeWithSelector(ITraceLedger.TraceLedgerAlreadyAcknowledged.selector, recallId, id);
            }
            bound = g.quantity;
        }
        if (quantity > bound) return _tooLarge(quantity, bound);
        if (!_descends(id, _recalls[recallId - 1].batchId)) {
            return abi.encodeWithSelector(ITraceLedger.TraceLedgerNotInRecall.selector, recallId, id);
        }
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
        if (gi != 0) {
            _gis[gi - 1].labelled += quantity;
            ghostGiHarvested += quantity;
        }
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
    /// exactly now, the rest up to 15 minutes in the past: never before a batch's last event beyond the
    /// clock skew (time only moves forward here), so event order holds (its refusals are unit-tested in
    /// TraceLedger.quantities.t.sol).
    function _context(uint256 seed) internal view returns (ITraceLedger.Context memory ctx, bytes memory err) {
        uint256 r = seed % 16;
        uint256 eventTime = block.timestamp - ((seed >> 8) % CLOCK_SKEW);
        if (r == 15) eventTime = block.timestamp + CLOCK_SKEW + 1 + ((seed >> 8) % 1 days);
        else if (r == 14) eventTime = block.timestamp;
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
