// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {Roles} from "../access/Roles.sol";
import {ITraceLedger} from "../interfaces/ITraceLedger.sol";
import {ITraceUnits} from "../interfaces/ITraceUnits.sol";

/**
 * @title TraceUnits
 * @notice Serialised items, SSCC containers and association/transaction records beside the trace ledger
 * (see ITraceUnits). It reads TraceLedger's public views (a product's producer, a batch's custodian and
 * status, the observation steps) and writes nothing there.
 * @dev commissionItems is `restricted` to PRODUCER by the wiring; every other write is open to any
 * supply-chain role (whoever holds the unit), so it is wired PUBLIC and checks the role inside, through the
 * manager. Gas: packing, unpacking and observing are one storage write per listed unit; shipping and accepting
 * a container are O(1) whatever it holds (bench/RESULTS.md, "TraceUnits").
 */
contract TraceUnits is ITraceUnits, AccessManagedUpgradeable {
    /// @notice Most units (or serials, or batches) one call lists.
    uint256 public constant MAX_UNITS = 500;
    /// @notice Most children, transactions, units or batches of one association or transaction record.
    uint256 public constant MAX_LIST = 100;
    /// @notice How far an event time may lie ahead of the block (clock skew between organisations).
    uint256 public constant MAX_CLOCK_SKEW = 15 minutes;

    bytes32 private constant ITEM_TAG = "sgtin";
    bytes32 private constant CONTAINER_TAG = "sscc";
    uint64 private constant SSCC_LIMIT = 1e18; // 18 digits

    // ---------------------------------------------------------------- storage

    ITraceLedger private _ledger;
    mapping(bytes32 unitId => Unit) private _units;
    /// @dev Container ids by sequence number - 1 (a unit's `parent` and a container's `seq` point here).
    bytes32[] private _containers;
    mapping(uint32 seq => Contents) private _contents;
    /// @dev The pending receiver of a shipped unit; `holderRole` of the receiver in the second field.
    mapping(bytes32 unitId => Pending) private _pending;
    mapping(bytes32 batchId => uint32 seq) private _batchContainer;
    mapping(address recorder => mapping(bytes32 eventId => bool)) private _recorded;
    // Appended in version 2 (errorDeclarations, issue 19).
    mapping(address recorder => mapping(bytes32 eventId => bool)) private _corrected;

    /// @dev One slot: the receiver and the supply-chain role it will hold the unit in.
    struct Pending {
        address receiver;
        uint8 role;
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets the permission hub and the trace ledger. The proxy calls it once, in its constructor.
    /// @param manager The AccessManager that holds every role.
    /// @param ledger The TraceLedger (its proxy) whose products and batches this contract reads.
    function initialize(address manager, address ledger) external initializer {
        __AccessManaged_init(manager);
        _ledger = ITraceLedger(ledger);
    }

    /// @notice The version of the contract's code behind the proxy (1 for the first deployment).
    function version() external pure virtual returns (uint256) {
        return 1;
    }

    // ---------------------------------------------------------------- access

    /// @dev Every record names the organisation that acted (`msg.sender`): a call relayed by
    /// `AccessManager.execute` would name the manager, so it is refused.
    function _checkCanCall(address caller, bytes calldata data) internal override {
        if (caller == authority()) revert TraceUnitsRelayedCall(caller, bytes4(data[0:4]));
        super._checkCanCall(caller, data);
    }

    // ---------------------------------------------------------------- items

    /// @inheritdoc ITraceUnits
    function commissionItems(
        bytes32 productCode,
        bytes32 lotCode,
        bytes32[] calldata serials,
        Context calldata context
    ) external restricted returns (bytes32[] memory itemIds) {
        address producer = _ledger.product(productCode).producer;
        if (producer != msg.sender) revert TraceUnitsNotProductProducer(productCode, msg.sender, producer);
        if (lotCode != 0) _checkBatchHeld(_ledger.batchId(productCode, lotCode), false);
        uint256 n = serials.length;
        if (n == 0 || n > MAX_UNITS) revert TraceUnitsBadCount(n, 1, MAX_UNITS);
        _checkContext(context, 0);
        itemIds = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            _checkSerial(serials[i]);
            bytes32 id = itemId(productCode, serials[i]);
            Unit storage u = _units[id];
            if (u.status != UnitStatus.None) revert TraceUnitsUnitExists(id);
            u.holder = msg.sender;
            u.holderRole = uint8(Roles.PRODUCER);
            u.status = UnitStatus.Active;
            itemIds[i] = id;
        }
        emit ItemsCommissioned(productCode, msg.sender, lotCode, serials, context);
    }

    // ---------------------------------------------------------------- aggregation

    /// @inheritdoc ITraceUnits
    function pack(
        address assigner,
        uint64 sscc,
        bytes32[] calldata units,
        bytes32[] calldata batches,
        Context calldata context
    ) external restricted returns (bytes32 id) {
        _checkSscc(sscc);
        {
            uint256 n = units.length + batches.length;
            if (n == 0 || n > MAX_UNITS) revert TraceUnitsBadCount(n, 1, MAX_UNITS);
        }
        _checkContext(context, 0);
        id = containerId(assigner, sscc);
        Unit storage c = _units[id];
        bool created = c.status == UnitStatus.None;
        if (created) {
            _openContainer(id, c, assigner);
        } else {
            // Only a loose container takes contents: a case on a pallet is unpacked first (two levels at most).
            if (c.parent != 0) revert TraceUnitsAlreadyPacked(id, _containers[c.parent - 1]);
            _checkHeld(id, c);
        }
        _fill(id, c, units, batches);
        emit UnitsPacked(id, msg.sender, assigner, sscc, created, units, batches, context);
    }

    /// @inheritdoc ITraceUnits
    function unpack(
        bytes32 id,
        bytes32[] calldata units,
        bytes32[] calldata batches,
        Context calldata context
    ) external restricted {
        Unit storage c = _unit(id);
        if (!c.container) revert TraceUnitsNotContainer(id);
        {
            uint256 n = units.length + batches.length;
            if (n == 0 || n > MAX_UNITS) revert TraceUnitsBadCount(n, 1, MAX_UNITS);
        }
        _checkContext(context, 0);
        uint8 role = _checkHeld(id, c).holderRole;
        uint32 seq = c.seq;
        uint256 nested = _unpackUnits(id, seq, units, role);
        uint256 m = batches.length;
        for (uint256 i = 0; i < m; ++i) {
            if (_batchContainer[batches[i]] != seq) revert TraceUnitsNotInContainer(batches[i], id);
            delete _batchContainer[batches[i]];
        }
        Contents storage k = _contents[seq];
        k.units -= uint32(units.length);
        k.containers -= uint32(nested);
        k.batches -= uint32(m);
        emit UnitsUnpacked(id, msg.sender, units, batches, context);
    }

    /// @inheritdoc ITraceUnits
    function observe(bytes32[] calldata units, uint8 bizStep, Context calldata context) external restricted {
        if (!_ledger.isObservationStep(bizStep)) revert TraceUnitsNotObservationStep(bizStep);
        uint256 n = units.length;
        if (n == 0 || n > MAX_UNITS) revert TraceUnitsBadCount(n, 1, MAX_UNITS);
        _checkContext(context, 0);
        for (uint256 i = 0; i < n; ++i) _checkHeld(units[i], _unit(units[i]));
        emit UnitsObserved(msg.sender, bizStep, units, context);
    }

    // ---------------------------------------------------------------- custody

    /// @inheritdoc ITraceUnits
    function ship(bytes32 id, address to, Context calldata context) external restricted {
        Unit storage u = _unit(id);
        if (u.parent != 0) revert TraceUnitsAlreadyPacked(id, _containers[u.parent - 1]);
        _checkHeld(id, u);
        if (to == msg.sender) revert TraceUnitsSelfShipment(id);
        _checkContext(context, 0);
        _pending[id] = Pending({receiver: to, role: _supplyChainRole(to)});
        u.status = UnitStatus.InTransit;
        emit UnitShipped(id, msg.sender, to, context);
    }

    /// @inheritdoc ITraceUnits
    function accept(bytes32 id, Context calldata context) external restricted {
        Unit storage u = _unit(id);
        if (u.status != UnitStatus.InTransit) revert TraceUnitsWrongStatus(id, u.status);
        Pending memory p = _pending[id];
        if (msg.sender != p.receiver) revert TraceUnitsNotReceiver(id, msg.sender, p.receiver);
        if (!_holds(p.role, msg.sender)) revert TraceUnitsUnauthorized(msg.sender, p.role);
        _checkContext(context, 0);
        address from = u.holder;
        u.holder = msg.sender;
        u.holderRole = p.role;
        u.status = UnitStatus.Active;
        delete _pending[id];
        emit UnitReceived(id, from, msg.sender, context);
    }

    /// @inheritdoc ITraceUnits
    function cancelShipment(bytes32 id) external restricted {
        Unit storage u = _unit(id);
        if (u.status != UnitStatus.InTransit) revert TraceUnitsWrongStatus(id, u.status);
        Pending memory p = _pending[id];
        bool refused = msg.sender == p.receiver;
        if (!refused && msg.sender != u.holder) revert TraceUnitsNotHolder(id, msg.sender, u.holder);
        uint8 role = refused ? p.role : u.holderRole;
        if (!_holds(role, msg.sender)) revert TraceUnitsUnauthorized(msg.sender, role);
        u.status = UnitStatus.Active;
        delete _pending[id];
        emit UnitShipmentCancelled(id, msg.sender, p.receiver, refused);
    }

    // ---------------------------------------------------------------- association and transactions

    /// @inheritdoc ITraceUnits
    function recordAssociation(
        bytes32 eventId,
        bytes32 parent,
        bytes32[] calldata children,
        bool add,
        Context calldata context
    ) external restricted {
        _supplyChainRole(msg.sender);
        _claimEventId(eventId);
        if (parent == 0) revert TraceUnitsZeroHash();
        uint256 n = children.length;
        if (n > MAX_LIST) revert TraceUnitsBadCount(n, 0, MAX_LIST);
        _checkContext(context, eventId);
        _checkIfUnitHeld(parent);
        for (uint256 i = 0; i < n; ++i) {
            if (children[i] == 0) revert TraceUnitsZeroHash();
            _checkIfUnitHeld(children[i]);
        }
        emit AssociationRecorded(eventId, msg.sender, parent, add, children, context);
    }

    /// @inheritdoc ITraceUnits
    function recordTransaction(
        bytes32 eventId,
        bool add,
        bytes32[] calldata transactions,
        bytes32[] calldata units,
        bytes32[] calldata batches,
        Context calldata context
    ) external restricted {
        _supplyChainRole(msg.sender);
        _claimEventId(eventId);
        uint256 t = transactions.length;
        if (t == 0 || t > MAX_LIST) revert TraceUnitsBadCount(t, 1, MAX_LIST);
        if (units.length > MAX_LIST) revert TraceUnitsBadCount(units.length, 0, MAX_LIST);
        if (batches.length > MAX_LIST) revert TraceUnitsBadCount(batches.length, 0, MAX_LIST);
        _checkContext(context, eventId);
        for (uint256 i = 0; i < t; ++i) if (transactions[i] == 0) revert TraceUnitsZeroHash();
        for (uint256 i = 0; i < units.length; ++i) {
            bytes32 id = units[i];
            Unit storage u = _unit(id);
            if (_pending[id].receiver != msg.sender || u.status != UnitStatus.InTransit) _checkHolder(id, u);
        }
        for (uint256 i = 0; i < batches.length; ++i) _checkBatchHeld(batches[i], true);
        emit TransactionRecorded(eventId, msg.sender, add, transactions, units, batches, context);
    }

    // ---------------------------------------------------------------- corrections

    /// @inheritdoc ITraceUnits
    function correctEvent(bytes32 eventId, uint8 reason, bytes32[] calldata correctiveIds) external restricted {
        if (!_recorded[msg.sender][eventId]) revert TraceUnitsUnknownEvent(msg.sender, eventId);
        if (_corrected[msg.sender][eventId]) revert TraceUnitsEventAlreadyCorrected(msg.sender, eventId);
        // Corrective events are named, not required on chain yet (EPCIS lists them after the declaration).
        uint256 n = correctiveIds.length;
        if (n > MAX_LIST) revert TraceUnitsBadCount(n, 0, MAX_LIST);
        _corrected[msg.sender][eventId] = true;
        emit UnitEventCorrected(msg.sender, eventId, reason, correctiveIds);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ITraceUnits
    function traceLedger() external view returns (address) {
        return address(_ledger);
    }

    /// @inheritdoc ITraceUnits
    function unit(bytes32 id) external view returns (Unit memory) {
        return _units[id];
    }

    /// @inheritdoc ITraceUnits
    function holderOf(bytes32 id) external view returns (address holder, uint8 role, UnitStatus status) {
        Unit storage u = _units[id];
        if (u.status == UnitStatus.None) return (address(0), 0, UnitStatus.None);
        Unit storage top = _outermost(u);
        return (top.holder, top.holderRole, top.status);
    }

    /// @inheritdoc ITraceUnits
    function containerOf(bytes32 id) external view returns (bytes32) {
        uint32 parent = _units[id].parent;
        return parent == 0 ? bytes32(0) : _containers[parent - 1];
    }

    /// @inheritdoc ITraceUnits
    function containerOfBatch(bytes32 batchId) external view returns (bytes32) {
        uint32 seq = _batchContainer[batchId];
        return seq == 0 ? bytes32(0) : _containers[seq - 1];
    }

    /// @inheritdoc ITraceUnits
    function contents(bytes32 id) external view returns (Contents memory) {
        Unit storage u = _units[id];
        if (!u.container) return Contents(0, 0, 0);
        return _contents[u.seq];
    }

    /// @inheritdoc ITraceUnits
    function receiverOf(bytes32 id) external view returns (address) {
        return _pending[id].receiver;
    }

    /// @inheritdoc ITraceUnits
    function containerCount() external view returns (uint32) {
        return uint32(_containers.length);
    }

    /// @inheritdoc ITraceUnits
    function isRecorded(address recorder, bytes32 eventId) external view returns (bool) {
        return _recorded[recorder][eventId];
    }

    /// @inheritdoc ITraceUnits
    function isCorrected(address recorder, bytes32 eventId) external view returns (bool) {
        return _corrected[recorder][eventId];
    }

    /// @inheritdoc ITraceUnits
    function itemId(bytes32 productCode, bytes32 serial) public pure returns (bytes32) {
        return keccak256(abi.encode(ITEM_TAG, productCode, serial));
    }

    /// @inheritdoc ITraceUnits
    function containerId(address assigner, uint64 sscc) public pure returns (bytes32) {
        return keccak256(abi.encode(CONTAINER_TAG, assigner, sscc));
    }

    // ---------------------------------------------------------------- internals

    /// @dev A new container `id` assigned by the caller (`assigner`), held by it in its supply-chain role.
    function _openContainer(bytes32 id, Unit storage c, address assigner) private {
        if (assigner != msg.sender) revert TraceUnitsNotHolder(id, msg.sender, assigner);
        if (_containers.length >= type(uint32).max) {
            revert TraceUnitsBadCount(_containers.length, 0, type(uint32).max - 1);
        }
        _containers.push(id);
        c.holder = msg.sender;
        c.holderRole = _supplyChainRole(msg.sender);
        c.status = UnitStatus.Active;
        c.container = true;
        c.seq = uint32(_containers.length);
    }

    /// @dev Packs `units` and `batches` into container `c` (`id`) and counts them in its contents.
    function _fill(bytes32 id, Unit storage c, bytes32[] calldata units, bytes32[] calldata batches) private {
        uint32 seq = c.seq;
        uint256 nested = _packUnits(id, c, units);
        uint256 m = batches.length;
        for (uint256 i = 0; i < m; ++i) {
            bytes32 batchId = batches[i];
            uint32 listed = _batchContainer[batchId];
            if (listed != 0) revert TraceUnitsBatchAlreadyPacked(batchId, _containers[listed - 1]);
            _checkBatchHeld(batchId, false);
            _batchContainer[batchId] = seq;
        }
        Contents storage k = _contents[seq];
        k.units += uint32(units.length);
        k.containers += uint32(nested);
        k.batches += uint32(m);
    }

    /// @dev Takes `units` out of container number `seq` (`id`): loose, held by the caller in `role`. Returns how
    /// many are containers.
    function _unpackUnits(
        bytes32 id,
        uint32 seq,
        bytes32[] calldata units,
        uint8 role
    ) private returns (uint256 nested) {
        uint256 n = units.length;
        for (uint256 i = 0; i < n; ++i) {
            bytes32 childId = units[i];
            Unit storage u = _units[childId];
            if (u.status == UnitStatus.None || u.parent != seq) revert TraceUnitsNotInContainer(childId, id);
            if (u.container) ++nested;
            u.parent = 0;
            u.holder = msg.sender;
            u.holderRole = role;
        }
    }

    /// @dev Puts loose, active units the caller holds into container `c` (`id`); returns how many are containers.
    function _packUnits(bytes32 id, Unit storage c, bytes32[] calldata units) private returns (uint256 nested) {
        uint32 seq = c.seq;
        uint256 n = units.length;
        for (uint256 i = 0; i < n; ++i) {
            bytes32 childId = units[i];
            Unit storage u = _unit(childId);
            if (u.parent != 0) revert TraceUnitsAlreadyPacked(childId, _containers[u.parent - 1]);
            if (u.holder != msg.sender) revert TraceUnitsNotHolder(childId, msg.sender, u.holder);
            if (u.status != UnitStatus.Active) revert TraceUnitsWrongStatus(childId, u.status);
            if (u.holderRole != c.holderRole && !_holds(u.holderRole, msg.sender)) {
                revert TraceUnitsUnauthorized(msg.sender, u.holderRole);
            }
            if (u.container) {
                // A container goes into another only when it holds no container itself, never into itself.
                if (childId == id || _contents[u.seq].containers != 0) revert TraceUnitsNestingTooDeep(childId, id);
                ++nested;
            }
            u.parent = seq;
        }
    }

    function _unit(bytes32 id) private view returns (Unit storage u) {
        u = _units[id];
        if (u.status == UnitStatus.None) revert TraceUnitsUnknownUnit(id);
    }

    /// @dev The outermost container of `u` (itself when loose): at most two levels up.
    function _outermost(Unit storage u) private view returns (Unit storage top) {
        top = u;
        while (top.parent != 0) top = _units[_containers[top.parent - 1]];
    }

    /// @dev Checks that the caller holds unit `id` (through its containers) in a role it still holds.
    function _checkHolder(bytes32 id, Unit storage u) private view returns (Unit storage top) {
        top = _outermost(u);
        if (top.holder != msg.sender) revert TraceUnitsNotHolder(id, msg.sender, top.holder);
        if (!_holds(top.holderRole, msg.sender)) revert TraceUnitsUnauthorized(msg.sender, top.holderRole);
    }

    /// @dev As `_checkHolder`, and the outermost container is not in transit.
    function _checkHeld(bytes32 id, Unit storage u) private view returns (Unit storage top) {
        top = _checkHolder(id, u);
        if (top.status != UnitStatus.Active) revert TraceUnitsWrongStatus(id, top.status);
    }

    /// @dev When `id` is a unit on chain, the caller must hold it; other ids (assets not on chain) pass.
    function _checkIfUnitHeld(bytes32 id) private view {
        Unit storage u = _units[id];
        if (u.status != UnitStatus.None) _checkHolder(id, u);
    }

    /// @dev The caller holds batch `batchId` on TraceLedger, active (or, when `awaited`, is its receiver).
    function _checkBatchHeld(bytes32 batchId, bool awaited) private view {
        ITraceLedger.Batch memory b = _ledger.batch(batchId);
        if (awaited && b.receiver == msg.sender && b.status == ITraceLedger.BatchStatus.InTransit) return;
        if (b.custodian != msg.sender) revert TraceUnitsNotBatchCustodian(batchId, msg.sender, b.custodian);
        if (b.status != ITraceLedger.BatchStatus.Active) revert TraceUnitsBatchNotActive(batchId);
    }

    function _claimEventId(bytes32 eventId) private {
        if (eventId == 0) revert TraceUnitsZeroHash();
        if (_recorded[msg.sender][eventId]) revert TraceUnitsEventRecorded(msg.sender, eventId);
        _recorded[msg.sender][eventId] = true;
    }

    /// @dev The supply-chain role `account` holds now: a holder or receiver of units must be one.
    function _supplyChainRole(address account) private view returns (uint8) {
        if (_holds(Roles.LOGISTICS, account)) return uint8(Roles.LOGISTICS);
        if (_holds(Roles.RETAILER, account)) return uint8(Roles.RETAILER);
        if (_holds(Roles.PRODUCER, account)) return uint8(Roles.PRODUCER);
        revert TraceUnitsNotSupplyChainOrg(account);
    }

    /// @dev An event's time is not ahead of the block beyond the skew; its id, when it has one other than the
    /// `claimed` one the function records itself, is recorded once by the caller.
    function _checkContext(Context calldata context, bytes32 claimed) private {
        if (context.eventTime > block.timestamp + MAX_CLOCK_SKEW) {
            revert TraceUnitsEventInFuture(context.eventTime, block.timestamp);
        }
        bytes32 eventId = context.eventId;
        if (eventId != 0 && eventId != claimed) _claimEventId(eventId);
    }

    /// @dev GS1 AI 21: 1 to 20 printable ASCII bytes without spaces, left-aligned, zero-padded.
    function _checkSerial(bytes32 serial) private pure {
        if (serial == 0 || uint256(serial) & type(uint96).max != 0) revert TraceUnitsInvalidSerial(serial);
        bool ended = false;
        for (uint256 i = 0; i < 20; ++i) {
            uint8 ch = uint8(serial[i]);
            if (ch == 0) {
                ended = true;
            } else if (ended || ch < 0x21 || ch > 0x7e) {
                revert TraceUnitsInvalidSerial(serial);
            }
        }
    }

    /// @dev 18 digits (the extension digit may be 0, so the number is below 1e18) with the GS1 check digit:
    /// weights 3 and 1 alternating from the digit left of the check digit.
    function _checkSscc(uint64 sscc) private pure {
        if (sscc >= SSCC_LIMIT) revert TraceUnitsInvalidSscc(sscc);
        uint256 rest = sscc / 10;
        uint256 sum = 0;
        for (uint256 i = 0; i < 17; ++i) {
            sum += (rest % 10) * (i % 2 == 0 ? 3 : 1);
            rest /= 10;
        }
        if ((10 - (sum % 10)) % 10 != sscc % 10) revert TraceUnitsInvalidSscc(sscc);
    }

    function _holds(uint64 role, address account) private view returns (bool) {
        (bool isMember, uint32 delay) = IAccessManager(authority()).hasRole(role, account);
        return isMember && delay == 0;
    }
}
