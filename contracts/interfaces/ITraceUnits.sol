// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title ITraceUnits
 * @notice Serialised items and logistic units beside the trace ledger (GS1 EPCIS 2.0): SGTIN instances (a
 * product's GTIN plus a serial number), SSCC containers (pallets, cases) holding items, other containers and
 * batch ids, and the AssociationEvent and TransactionEvent records that qualify them.
 *
 * Rules the contract enforces:
 * - Serial numbers of a product are commissioned only by the product's producer (TraceLedger's product
 *   record), so nobody squats another company's serials; an item bound to a lot needs the lot's batch held
 *   by the producer. An item id is unique: commissioning it twice is refused.
 * - A container is keyed by the organisation that assigned its SSCC and the SSCC (`containerId`): an
 *   organisation packs its own SSCCs, and nobody blocks another's SSCC by using it first.
 * - Only the holder of a unit acts on it, while it holds the role it holds it in. A packed unit's holder is
 *   the holder of the outermost container (at most two levels: item → case → pallet); packing, unpacking and
 *   observing need that holder, and the outermost container not in transit. A unit is packed in one
 *   container at a time; a batch id is listed in one container at a time, by its TraceLedger custodian.
 * - Custody moves in two steps, as for batches: the holder ships a loose unit (an item or an outermost
 *   container) to a producer, logistics company or retailer; custody passes when that receiver accepts. A
 *   container's hand-over moves the custody of everything packed in it as one record, in O(1) gas.
 *   Batch ids listed in a container are its manifest: a batch's own custody stays on TraceLedger.
 * - Association and transaction records are keyed by the EPCIS eventID per recording organisation (recorded
 *   once: a re-import is refused, and nobody blocks another's eventID). Units they name that are on chain
 *   must be held (or, for a transaction, awaited) by the recorder; a batch must be in its custody. Every other
 *   write records `Context.eventId` (when not 0) the same way, once per organisation.
 * - An EPCIS errorDeclaration is `correctEvent`: the organisation that recorded an event declares it in error,
 *   naming the events that correct it (recorded before or after, by it or another party); the event stays,
 *   marked corrected.
 *
 * Lists are bounded (`MAX_UNITS`, `MAX_LIST`); identifiers of business transactions and of assets that are
 * not on chain (GRAI, GIAI, sensors) are 32-byte keyed hashes computed off chain: no document number and no
 * personal data is written.
 */
interface ITraceUnits {
    /// @notice A unit's own status. A packed unit is `Active`; whether it can move follows its outermost
    /// container (`holderOf`).
    enum UnitStatus {
        None,
        Active,
        InTransit
    }

    /// @notice A serialised item or a container, as stored.
    /// @dev One slot: holder (20 bytes), its role, status, the container flag, the sequence number of the
    /// container the unit is packed in (0: loose) and, for a container, its own sequence number. A packed
    /// unit's `holder` is stale; `holderOf` resolves the holder through the containers.
    struct Unit {
        address holder;
        uint8 holderRole;
        UnitStatus status;
        bool container;
        uint32 parent;
        uint32 seq;
    }

    /// @notice What a container holds: units (items and containers), of which containers, and batch ids.
    struct Contents {
        uint32 units;
        uint32 containers;
        uint32 batches;
    }

    /// @notice Where and when a step happened, and the document that describes it (as ITraceLedger.Context).
    struct Context {
        uint64 location; // GLN-13, 0 when not stated
        uint64 eventTime; // unix seconds; not more than 15 minutes ahead of the block
        bytes32 evidenceHash; // hash of the full off-chain event document (e.g. canonical EPCIS JSON)
        bytes32 eventId; // the EPCIS eventID (hash), recorded once per organisation; 0 when none
    }

    // ---------------------------------------------------------------- errors

    /// @notice `TraceUnits` refuses calls relayed through the AccessManager (`execute`): the manager would stand
    /// in as the acting organisation and hide who acted.
    error TraceUnitsRelayedCall(address manager, bytes4 selector);
    /// @notice `caller` does not hold `requiredRole` (any longer).
    error TraceUnitsUnauthorized(address caller, uint64 requiredRole);
    /// @notice `caller` commissioned serials of `productCode`, which belongs to `producer`.
    error TraceUnitsNotProductProducer(bytes32 productCode, address caller, address producer);
    /// @notice A batch named by the call is held on TraceLedger by `custodian`, not by `caller`.
    error TraceUnitsNotBatchCustodian(bytes32 batchId, address caller, address custodian);
    /// @notice A batch named by the call is not active on TraceLedger (in transit, consumed, sold...).
    error TraceUnitsBatchNotActive(bytes32 batchId);
    /// @notice A serial number must be 1 to 20 printable ASCII bytes without spaces, left-aligned (GS1 AI 21).
    error TraceUnitsInvalidSerial(bytes32 serial);
    /// @notice An SSCC must be 18 digits with a correct GS1 check digit.
    error TraceUnitsInvalidSscc(uint64 sscc);
    error TraceUnitsUnitExists(bytes32 unitId);
    error TraceUnitsUnknownUnit(bytes32 unitId);
    error TraceUnitsNotContainer(bytes32 unitId);
    /// @notice `caller` acted on a unit held by `holder`.
    error TraceUnitsNotHolder(bytes32 unitId, address caller, address holder);
    /// @notice The unit (or its outermost container) is `status`, which does not allow this.
    error TraceUnitsWrongStatus(bytes32 unitId, UnitStatus status);
    /// @notice `unitId` is packed in `containerId` already: unpack it first.
    error TraceUnitsAlreadyPacked(bytes32 unitId, bytes32 containerId);
    /// @notice `batchId` is listed in `containerId` already.
    error TraceUnitsBatchAlreadyPacked(bytes32 batchId, bytes32 containerId);
    /// @notice Unpacking `id` (a unit or a batch) from `containerId`, which does not hold it.
    error TraceUnitsNotInContainer(bytes32 id, bytes32 containerId);
    /// @notice Packing `child` into `containerId` would nest deeper than a container in a container, or pack
    /// a container into itself.
    error TraceUnitsNestingTooDeep(bytes32 child, bytes32 containerId);
    error TraceUnitsBadCount(uint256 count, uint256 min, uint256 max);
    error TraceUnitsSelfShipment(bytes32 unitId);
    error TraceUnitsNotReceiver(bytes32 unitId, address caller, address receiver);
    error TraceUnitsNotSupplyChainOrg(address account);
    error TraceUnitsEventInFuture(uint64 eventTime, uint256 blockTime);
    error TraceUnitsNotObservationStep(uint8 bizStep);
    /// @notice `recorder` has recorded an event with this EPCIS eventID already.
    error TraceUnitsEventRecorded(address recorder, bytes32 eventId);
    /// @notice `recorder` has recorded no event `eventId` here.
    error TraceUnitsUnknownEvent(address recorder, bytes32 eventId);
    /// @notice `recorder` has declared event `eventId` in error already.
    error TraceUnitsEventAlreadyCorrected(address recorder, bytes32 eventId);
    error TraceUnitsZeroHash();

    // ---------------------------------------------------------------- events

    /// @notice EPCIS ObjectEvent ADD, bizStep commissioning, epcList of SGTINs: `serials` of `productCode`
    /// (lot `lotCode`, 0 when none), items `itemId(productCode, serial)` held by `producer`.
    event ItemsCommissioned(
        bytes32 indexed productCode,
        address indexed producer,
        bytes32 lotCode,
        bytes32[] serials,
        Context context
    );
    /// @notice EPCIS AggregationEvent ADD (packing): `units` and `batches` put into `containerId`, SSCC `sscc`
    /// assigned by `assigner`; `created` when this packing assigned it.
    event UnitsPacked(
        bytes32 indexed containerId,
        address indexed org,
        address indexed assigner,
        uint64 sscc,
        bool created,
        bytes32[] units,
        bytes32[] batches,
        Context context
    );
    /// @notice EPCIS AggregationEvent DELETE (unpacking): `units` and `batches` taken out of `containerId`;
    /// the units are loose, held by `org`.
    event UnitsUnpacked(
        bytes32 indexed containerId,
        address indexed org,
        bytes32[] units,
        bytes32[] batches,
        Context context
    );
    /// @notice EPCIS ObjectEvent OBSERVE with an observation business step on serialised items or containers.
    event UnitsObserved(address indexed org, uint8 indexed bizStep, bytes32[] units, Context context);
    /// @notice bizStep shipping: `unitId` (with everything packed in it) is in transit to `to`.
    event UnitShipped(bytes32 indexed unitId, address indexed from, address indexed to, Context context);
    /// @notice bizStep receiving: custody of `unitId` and everything packed in it passes to `to`.
    event UnitReceived(bytes32 indexed unitId, address indexed from, address indexed to, Context context);
    /// @notice A pending shipment of a unit ended without a hand-over: cancelled by the sender or refused.
    event UnitShipmentCancelled(bytes32 indexed unitId, address indexed by, address indexed receiver, bool refused);
    /// @notice EPCIS AssociationEvent: `children` associated with (`add`) or dissociated from `parent`
    /// (keyed hashes of GRAI/GIAI/SGTIN/SSCC identifiers, or unit ids), recorded once per eventID by `org`.
    event AssociationRecorded(
        bytes32 indexed eventId,
        address indexed org,
        bytes32 indexed parent,
        bool add,
        bytes32[] children,
        Context context
    );
    /// @notice EPCIS TransactionEvent, or an event's bizTransactionList: business transactions (keyed hashes of
    /// purchase orders, invoices, despatch advices...) bound to (`add`) or unbound from units and batches.
    event TransactionRecorded(
        bytes32 indexed eventId,
        address indexed org,
        bool add,
        bytes32[] transactions,
        bytes32[] units,
        bytes32[] batches,
        Context context
    );

    /// @notice An EPCIS errorDeclaration: event `eventId`, recorded by `org`, did not occur as recorded (`reason`,
    /// a CBV error reason code); `correctiveIds` name the events that correct it. The event stays.
    event UnitEventCorrected(address indexed org, bytes32 indexed eventId, uint8 reason, bytes32[] correctiveIds);

    // ---------------------------------------------------------------- writes

    /// @notice The product's producer commissions serialised items `itemId(productCode, serial)`, bound to lot
    /// `lotCode` when not 0 (the caller must hold that batch). Wired to PRODUCER. Emits ItemsCommissioned.
    function commissionItems(
        bytes32 productCode,
        bytes32 lotCode,
        bytes32[] calldata serials,
        Context calldata context
    ) external returns (bytes32[] memory itemIds);

    /// @notice Packs loose units the caller holds and batches it holds on TraceLedger into container
    /// `containerId(assigner, sscc)`, which the caller holds, or which the caller (as `assigner`) creates
    /// here. Wired PUBLIC; the supply-chain role is checked inside. Emits UnitsPacked.
    function pack(
        address assigner,
        uint64 sscc,
        bytes32[] calldata units,
        bytes32[] calldata batches,
        Context calldata context
    ) external returns (bytes32 containerId);

    /// @notice Takes units and batch ids out of a container the caller holds. Emits UnitsUnpacked.
    function unpack(
        bytes32 containerId,
        bytes32[] calldata units,
        bytes32[] calldata batches,
        Context calldata context
    ) external;

    /// @notice Records an observation (a step TraceLedger.isObservationStep accepts) of units the caller holds.
    function observe(bytes32[] calldata units, uint8 bizStep, Context calldata context) external;

    /// @notice Ships a loose unit (an item or an outermost container) to a supply-chain organisation.
    function ship(bytes32 unitId, address to, Context calldata context) external;

    /// @notice The receiver accepts a shipped unit: custody of it and of all it holds passes to the caller.
    function accept(bytes32 unitId, Context calldata context) external;

    /// @notice The sender cancels, or the receiver refuses, a pending shipment of a unit.
    function cancelShipment(bytes32 unitId) external;

    /// @notice Records an EPCIS AssociationEvent with eventID `eventId` (once per recorder). A parent or child
    /// that is a unit on chain must be held by the caller. Emits AssociationRecorded.
    function recordAssociation(
        bytes32 eventId,
        bytes32 parent,
        bytes32[] calldata children,
        bool add,
        Context calldata context
    ) external;

    /// @notice Records an EPCIS TransactionEvent, or binds an event's bizTransactionList, under eventID
    /// `eventId` (once per recorder): every unit must be held or awaited by the caller, every batch held or
    /// awaited on TraceLedger. Emits TransactionRecorded.
    function recordTransaction(
        bytes32 eventId,
        bool add,
        bytes32[] calldata transactions,
        bytes32[] calldata units,
        bytes32[] calldata batches,
        Context calldata context
    ) external;

    /// @notice The caller declares event `eventId`, which it recorded here, in error (EPCIS errorDeclaration,
    /// `reason` a CBV error reason code), naming the events that correct it (at most `MAX_LIST`; EPCIS lists them
    /// after the declaration, so they need not be on chain yet). Wired PUBLIC: who may is the recorder, checked
    /// inside. Emits UnitEventCorrected.
    function correctEvent(bytes32 eventId, uint8 reason, bytes32[] calldata correctiveIds) external;

    // ---------------------------------------------------------------- views

    /// @notice The trace ledger whose products, batches and steps this contract reads.
    function traceLedger() external view returns (address);
    function unit(bytes32 unitId) external view returns (Unit memory);
    /// @notice Who holds `unitId` now (the outermost container's holder), the role it holds it in and the
    /// outermost container's status (`None` for an unknown unit).
    function holderOf(bytes32 unitId) external view returns (address holder, uint8 role, UnitStatus status);
    /// @notice The container `unitId` is packed in (0 when loose).
    function containerOf(bytes32 unitId) external view returns (bytes32);
    /// @notice The container batch `batchId` is listed in (0 when none).
    function containerOfBatch(bytes32 batchId) external view returns (bytes32);
    function contents(bytes32 containerId) external view returns (Contents memory);
    /// @notice The pending receiver of a shipped unit (0 when none).
    function receiverOf(bytes32 unitId) external view returns (address);
    function containerCount() external view returns (uint32);
    /// @notice Whether `recorder` has recorded an event with EPCIS eventID `eventId` here.
    function isRecorded(address recorder, bytes32 eventId) external view returns (bool);
    /// @notice Whether `recorder` has declared its event `eventId` in error.
    function isCorrected(address recorder, bytes32 eventId) external view returns (bool);
    function itemId(bytes32 productCode, bytes32 serial) external pure returns (bytes32);
    function containerId(address assigner, uint64 sscc) external pure returns (bytes32);
}
