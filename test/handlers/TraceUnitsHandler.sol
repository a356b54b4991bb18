// SPDX-License-Identifier: Apache-2.0
// TraceUnits' invariant handler (test/trace/TraceUnits.t.sol): a stateful handler with a ghost model.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {ITraceUnits} from "../../contracts/interfaces/ITraceUnits.sol";
import {TraceUnits} from "../../contracts/trace/TraceUnits.sol";
import {serialOf, ssccOf} from "../utils/TraceUnitsFixture.sol";

/**
 * @dev Drives TraceUnits over a producer, a logistics company and a retailer: items are commissioned, packed
 * into cases and pallets (new or existing SSCCs), unpacked, shipped and accepted. A ghost model keeps each
 * unit's loose holder, its container and its pending receiver, and the contents of each container. Honest
 * calls (the model says they must succeed) that fail are counted in `honestFailures`; the handler also
 * attacks, and counts in `attacksSucceeded` any of these that the contract let through: another producer
 * squatting the product's serials, re-commissioning a serial, packing a unit the caller does not hold or one
 * packed already, packing into someone else's container, shipping a packed unit, accepting a shipment sent
 * to someone else, and relaying a holder's call through the AccessManager.
 */
contract TraceUnitsHandler is CommonBase, StdUtils {
    uint256 internal constant MAX_POOL = 60;

    TraceUnits internal _units;
    IAccessManager internal _manager;
    bytes32 internal _product;
    address internal _producer;
    address internal _squatter;
    address[4] internal _actors;

    bytes32[] public pool;
    mapping(bytes32 id => bool) public isContainer;
    mapping(bytes32 id => address) public ghostHolder; // meaningful while loose
    mapping(bytes32 id => bytes32) public ghostParent;
    mapping(bytes32 id => address) public ghostReceiver;
    mapping(bytes32 id => uint256) public ghostUnits; // units packed in a container
    mapping(bytes32 id => uint256) public ghostNested; // of which containers

    uint256 public honestFailures;
    uint256 public attacksSucceeded;
    uint256 public packs;
    uint256 public handOvers;
    uint256 private _serials;
    uint64 private _ssccs;

    constructor(
        TraceUnits units_,
        IAccessManager manager_,
        bytes32 product_,
        address producer_,
        address squatter_,
        address logistics_,
        address retailer_,
        address otherRetailer_
    ) {
        _units = units_;
        _manager = manager_;
        _product = product_;
        _producer = producer_;
        _squatter = squatter_;
        _actors = [producer_, logistics_, retailer_, otherRetailer_];
    }

    function poolLength() external view returns (uint256) {
        return pool.length;
    }

    /// @dev The ghost's holder of `id`: the loose holder of its outermost container.
    function topOf(bytes32 id) public view returns (bytes32 top) {
        top = id;
        while (ghostParent[top] != 0) top = ghostParent[top];
    }

    // ---------------------------------------------------------------- honest steps

    function commission(uint256 n) external {
        if (pool.length >= MAX_POOL) return;
        n = bound(n, 1, 4);
        bytes32[] memory serials = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) serials[i] = serialOf(1_000_000 + ++_serials);
        vm.prank(_producer);
        try _units.commissionItems(_product, 0, serials, _ctx()) returns (bytes32[] memory ids) {
            for (uint256 i = 0; i < n; ++i) {
                pool.push(ids[i]);
                ghostHolder[ids[i]] = _producer;
            }
        } catch {
            ++honestFailures;
        }
    }

    /// @dev An actor packs up to `n` loose units it holds (none in transit) into a new SSCC, or into one of its
    /// loose containers when `existing`. Containers holding containers stay out (two levels at most).
    function pack(uint256 actorSeed, uint256 seed, uint256 n, bool existing) external {
        address a = _actors[actorSeed % 4];
        bytes32 target = existing ? _pick(seed, a, true, true) : bytes32(0);
        n = bound(n, 1, 5);
        bytes32[] memory chosen = new bytes32[](n);
        uint256 k = 0;
        uint256 len = pool.length;
        for (uint256 j = 0; j < len && k < n; ++j) {
            bytes32 id = pool[(seed + j) % len];
            if (id == target || !_looseHeldBy(id, a)) continue;
            if (isContainer[id] && ghostNested[id] != 0) continue;
            chosen[k++] = id;
        }
        if (k == 0) return;
        bytes32[] memory list = new bytes32[](k);
        for (uint256 i = 0; i < k; ++i) list[i] = chosen[i];
        address assigner = a;
        uint64 sscc;
        if (target == 0) {
            sscc = ssccOf(6_901_234_000_000_000 + ++_ssccs);
        } else {
            ITraceUnits.Unit memory t = _units.unit(target);
            (assigner, sscc) = _assignment(target, t);
        }
        vm.prank(a);
        try _units.pack(assigner, sscc, list, new bytes32[](0), _ctx()) returns (bytes32 id) {
            if (target == 0) {
                if (pool.length < MAX_POOL * 2) pool.push(id);
                isContainer[id] = true;
                ghostHolder[id] = a;
            }
            for (uint256 i = 0; i < k; ++i) {
                ghostParent[list[i]] = id;
                if (isContainer[list[i]]) ++ghostNested[id];
            }
            ghostUnits[id] += k;
            ++packs;
        } catch {
            ++honestFailures;
        }
    }

    function unpack(uint256 seed) external {
        uint256 len = pool.length;
        for (uint256 j = 0; j < len; ++j) {
            bytes32 id = pool[(seed + j) % len];
            bytes32 parent = ghostParent[id];
            if (parent == 0) continue;
            bytes32 top = topOf(id);
            if (ghostReceiver[top] != address(0)) continue;
            address h = ghostHolder[top];
            vm.prank(h);
            try _units.unpack(parent, _one(id), new bytes32[](0), _ctx()) {
                ghostParent[id] = 0;
                ghostHolder[id] = h;
                --ghostUnits[parent];
                if (isContainer[id]) --ghostNested[parent];
            } catch {
                ++honestFailures;
            }
            return;
        }
    }

    function ship(uint256 seed, uint256 toSeed) external {
        uint256 len = pool.length;
        for (uint256 j = 0; j < len; ++j) {
            bytes32 id = pool[(seed + j) % len];
            if (ghostParent[id] != 0 || ghostReceiver[id] != address(0)) continue;
            address h = ghostHolder[id];
            address to = _actors[toSeed % 4];
            if (to == h) to = _actors[(toSeed + 1) % 4];
            vm.prank(h);
            try _units.ship(id, to, _ctx()) {
                ghostReceiver[id] = to;
            } catch {
                ++honestFailures;
            }
            return;
        }
    }

    function accept(uint256 seed) external {
        uint256 len = pool.length;
        for (uint256 j = 0; j < len; ++j) {
            bytes32 id = pool[(seed + j) % len];
            address to = ghostReceiver[id];
            if (to == address(0)) continue;
            vm.prank(to);
            try _units.accept(id, _ctx()) {
                ghostReceiver[id] = address(0);
                ghostHolder[id] = to;
                ++handOvers;
            } catch {
                ++honestFailures;
            }
            return;
        }
    }

    // ---------------------------------------------------------------- attacks

    /// @dev Another producer commissions serials of the product (squatting), or the producer re-commissions one.
    function attackSquatSerial(uint256 seed, bool again) external {
        if (again && _serials == 0) return;
        bytes32[] memory serials = new bytes32[](1);
        // Again: one of the serials commissioned so far (1 .. _serials); squatting: any serial of the product.
        serials[0] = again ? serialOf(1_000_000 + 1 + (seed % _serials)) : serialOf(2_000_000 + (seed % 1000));
        vm.prank(again ? _producer : _squatter);
        try _units.commissionItems(_product, 0, serials, _ctx()) {
            ++attacksSucceeded;
        } catch {}
    }

    /// @dev An actor packs a unit it does not hold, or one packed already, into its own new SSCC.
    function attackPackForeign(uint256 actorSeed, uint256 seed) external {
        address a = _actors[actorSeed % 4];
        uint256 len = pool.length;
        for (uint256 j = 0; j < len; ++j) {
            bytes32 id = pool[(seed + j) % len];
            if (_looseHeldBy(id, a)) continue;
            vm.prank(a);
            try _units.pack(a, ssccOf(6_909_000_000_000_000 + ++_ssccs), _one(id), new bytes32[](0), _ctx()) {
                ++attacksSucceeded;
            } catch {}
            return;
        }
    }

    /// @dev An actor packs one of its own loose units into a container somebody else holds.
    function attackPackIntoForeign(uint256 actorSeed, uint256 seed) external {
        address a = _actors[actorSeed % 4];
        bytes32 unitId = _pick(seed, a, false, false);
        if (unitId == 0) return;
        uint256 len = pool.length;
        for (uint256 j = 0; j < len; ++j) {
            bytes32 c = pool[(seed + j) % len];
            if (!isContainer[c] || c == unitId || ghostHolder[topOf(c)] == a) continue;
            (address assigner, uint64 sscc) = _assignment(c, _units.unit(c));
            vm.prank(a);
            try _units.pack(assigner, sscc, _one(unitId), new bytes32[](0), _ctx()) {
                ++attacksSucceeded;
            } catch {}
            return;
        }
    }

    /// @dev The holder of a packed unit ships it alone, out of its container.
    function attackShipPacked(uint256 seed, uint256 toSeed) external {
        uint256 len = pool.length;
        for (uint256 j = 0; j < len; ++j) {
            bytes32 id = pool[(seed + j) % len];
            if (ghostParent[id] == 0) continue;
            address h = ghostHolder[topOf(id)];
            address to = _actors[toSeed % 4];
            if (to == h) to = _actors[(toSeed + 1) % 4];
            vm.prank(h);
            try _units.ship(id, to, _ctx()) {
                ++attacksSucceeded;
            } catch {}
            return;
        }
    }

    /// @dev Someone other than the receiver accepts a pending shipment.
    function attackAcceptForeign(uint256 seed, uint256 actorSeed) external {
        uint256 len = pool.length;
        for (uint256 j = 0; j < len; ++j) {
            bytes32 id = pool[(seed + j) % len];
            address to = ghostReceiver[id];
            if (to == address(0)) continue;
            address a = _actors[actorSeed % 4];
            if (a == to) a = _squatter;
            vm.prank(a);
            try _units.accept(id, _ctx()) {
                ++attacksSucceeded;
            } catch {}
            return;
        }
    }

    /// @dev A holder has the AccessManager relay its shipment (`execute`): the record would name the manager.
    function attackRelay(uint256 seed, uint256 toSeed) external {
        uint256 len = pool.length;
        for (uint256 j = 0; j < len; ++j) {
            bytes32 id = pool[(seed + j) % len];
            if (ghostParent[id] != 0 || ghostReceiver[id] != address(0)) continue;
            address h = ghostHolder[id];
            address to = _actors[toSeed % 4];
            if (to == h) to = _actors[(toSeed + 1) % 4];
            vm.prank(h);
            try _manager.execute(address(_units), abi.encodeCall(TraceUnits.ship, (id, to, _ctx()))) {
                ++attacksSucceeded;
            } catch {}
            return;
        }
    }

    // ---------------------------------------------------------------- helpers

    function _looseHeldBy(bytes32 id, address a) internal view returns (bool) {
        return ghostParent[id] == 0 && ghostReceiver[id] == address(0) && ghostHolder[id] == a;
    }

    /// @dev A unit loose, active and held by `a` (a container when `container`), or 0.
    function _pick(uint256 seed, address a, bool container, bool mustBeContainer) internal view returns (bytes32) {
        uint256 len = pool.length;
        for (uint256 j = 0; j < len; ++j) {
            bytes32 id = pool[(seed + j) % len];
            if (mustBeContainer && !isContainer[id]) continue;
            if (!container && isContainer[id]) continue;
            if (_looseHeldBy(id, a)) return id;
        }
        return 0;
    }

    /// @dev The assigner and SSCC a container was created with, from its UnitsPacked record's id: the handler
    /// created every container with `ssccOf(<base> + n)` by its first holder, so it searches its counter.
    function _assignment(bytes32 id, ITraceUnits.Unit memory) internal view returns (address, uint64) {
        for (uint64 i = 1; i <= _ssccs; ++i) {
            uint64 sscc = ssccOf(6_901_234_000_000_000 + i);
            for (uint256 k = 0; k < 4; ++k) if (_units.containerId(_actors[k], sscc) == id) return (_actors[k], sscc);
        }
        return (address(0), 0);
    }

    function _one(bytes32 id) internal pure returns (bytes32[] memory list) {
        list = new bytes32[](1);
        list[0] = id;
    }

    function _ctx() internal view returns (ITraceUnits.Context memory) {
        return
            ITraceUnits.Context({
                location: 0,
                eventTime: uint64(block.timestamp),
                evidenceHash: keccak256("doc"),
                eventId: bytes32(0)
            });
    }
}
