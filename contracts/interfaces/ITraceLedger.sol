// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title ITraceLedger
 * @notice Product traceability (区块链+重要产品追溯: 来源可查、去向可追、责任可究), modelled on GS1 EPCIS 2.0:
 * what (a product and a batch with quantity and unit), when (event time), where (a GLN-like location
 * code), why (the business step, and the disposition kept as the batch's status), plus an evidence hash
 * binding the full off-chain event document.
 *
 * Rules the ledger enforces:
 * - Only a batch's current custodian acts on it, and only while it holds a supply-chain role.
 * - Custody moves in two steps: the custodian ships to a registered producer, logistics company or
 *   retailer; custody passes when that receiver accepts. The sender may cancel and the receiver may
 *   refuse a pending shipment.
 * - Split and merge conserve quantity (same unit); a transformation declares its conversion ratio, and
 *   its output quantity is exactly `sum(inputs) * ratioPpm / 1e6`. Parents are kept as state (child to
 *   parent); the events carry both directions.
 * - A recall reaches the recalled batch and every batch made from it: `isRecalled` walks the lineage,
 *   which is bounded (`MAX_LINEAGE`), and remembers per batch the recall count it was last found clean
 *   at, so writes pay for the walk only after a new recall.
 * - A batch can be sold at retail only if it is not recalled, did not fail inspection, its certificate
 *   has not expired, and, when its product's category requires inspection, it holds a valid pass that
 *   covers it: a pass on the batch or on the batch it was split or merged from (same product); a
 *   transformation's output is a new product and needs its own pass (a failed input fails it). The
 *   market regulator can correct a product's category and producer (`correctProduct`).
 * - Certificates append: a fail is never replaced by a later pass (only the regulator's
 *   `allowReinspection` reopens a failed batch to inspection), and a later pass never shortens an
 *   earlier pass's validity.
 * - Lot spaces: a sub-lot `<lot>.<suffix>` of an existing batch is created only from that batch. Anyone but
 *   the product's producer splits and merges only into sub-lots of the (first) input, so a custodian never
 *   takes a lot code from the producer's space; the producer never commissions another batch's sub-lot.
 * - Bounded counters: a recall's accounted quantity never exceeds its affected quantity, and no
 *   acknowledgement is refused because of others'.
 * - Geographic-indication mass balance: the quantity of batches labelled under a GI certificate that
 *   exist (not consumed into other batches) never exceeds the certificate's ceiling. The label starts only
 *   at a harvest (commissioning an agricultural product, within the certificate's season: from its issue to
 *   `validUntil`) and passes through a transformation only onto output backed by labelled input: the output,
 *   in the input's unit (the output product's declared conversion when units differ), never exceeds the
 *   labelled input. GI mass is never created. Certificates are appended, never overwritten.
 * - Quantities on every custody and disposition event (`Context.quantity`/`uom`, 0 = the whole batch as
 *   held): observations, sales and destruction are bounded by what is held; a sale or destruction of part
 *   reduces the batch (the part is counted in `flowsOf`); a shipment moves the whole batch, a partial
 *   shipment (`shipPart`) makes the shipped part its own sub-lot batch; a receipt must state what was
 *   shipped. A quantity stated in another unit is converted by the product's declared conversion
 *   (`declareConversion`, immutable once declared) or refused.
 * - Event time order per batch: an event's time is not before the batch's last event time minus
 *   `MAX_CLOCK_SKEW`, nor more than `MAX_CLOCK_SKEW` ahead of the block.
 * - `Context.eventId` (the EPCIS eventID, 0 when none) is recorded once per recording organisation: a second
 *   record of the same id by the same organisation is refused, and nobody can take another organisation's id
 *   first. An errorDeclaration is `correctEvent`: the organisation marks an event it recorded corrected, never
 *   records it again.
 * - Recall accounting: acknowledgements are in the batch's unit, bounded by what the holder holds (or, for
 *   `ReachedConsumer`, what it sold at retail), converted to the recalled batch's unit along the lineage
 *   (each transformation's ratio), and add up to at most the recall's `affected` quantity (100 %).
 *
 * Quantities are integers in thousandths of the unit (1.5 kg = 1500 with unit "KGM"); units are
 * UN/CEFACT Recommendation 20 codes as used by EPCIS (KGM, GRM, TNE, LTR, H87 piece, XBX box, ...).
 * Locations are GLN-13 numbers (0 when not stated). Lot and product codes are ASCII, at most 32 bytes.
 */
interface ITraceLedger {
    enum Category {
        Agricultural,
        Food,
        Drug,
        AgriculturalInput,
        SpecialEquipment
    }

    /// @notice A batch's status; the EPCIS disposition is this, or `recalled` when `isRecalled`.
    enum BatchStatus {
        None,
        Active,
        InTransit,
        Consumed, // split, merged or transformed into other batches
        RetailSold,
        Destroyed
    }

    enum CertResult {
        None,
        Passed,
        Failed
    }

    enum RecallAction {
        None,
        Hold,
        Return,
        Destroy,
        ReachedConsumer // sold at retail before the recall: the quantity is accounted as reached the consumer
    }

    struct Product {
        address producer;
        Category category;
        bool geographicIndication;
        uint32 seq;
    }

    /// @notice A batch as stored.
    /// @dev Slot 0 is everything a custody write checks (custodian, its role, status, flags, recall
    /// cache); slot 1 quantity, product, GI certificate and certificate validity; slot 2 the pending
    /// receiver of a shipment and its role.
    struct Batch {
        address custodian;
        uint8 custodianRole;
        BatchStatus status;
        bool recalled; // recalled directly (the lineage may still recall it: see isRecalled)
        bytes3 uom;
        CertResult cert;
        uint8 parentCount;
        uint8 lineage; // this batch plus its ancestors, counted once per path
        uint24 cleanAtRecall; // recallCount at which the lineage was last found free of recalls
        uint128 quantity;
        uint32 productSeq;
        uint32 giCertificate;
        uint64 certValidUntil;
        address receiver;
        uint8 receiverRole;
        uint64 lastEventTime; // the latest event time recorded on the batch (event order)
    }

    struct GiCertificate {
        address producer;
        uint32 productSeq;
        bytes3 uom;
        uint64 validUntil;
        uint128 ceiling;
        uint128 labelled; // quantity of existing batches labelled under this certificate
    }

    struct Recall {
        bytes32 batchId;
        bytes3 uom;
        uint64 acknowledgements;
        uint128 affected; // the recalled batch's quantity
        uint128 accounted; // quantities acknowledged by holders of batches in the lineage, at most `affected`
    }

    /// @notice Where and when a step happened, and the document that describes it.
    struct Context {
        uint64 location; // GLN-13, 0 when not stated
        uint64 eventTime; // unix seconds; not more than 15 minutes ahead of the block
        bytes32 evidenceHash; // hash of the full off-chain event document (e.g. canonical EPCIS JSON)
        bytes32 eventId; // the EPCIS eventID (hash), recorded once; 0 when none
        uint128 quantity; // the event's quantity (quantityList), thousandths of `uom`; 0 = the whole batch
        bytes3 uom; // the unit of `quantity`; 0 = the batch's unit
        uint8 disposition; // the CBV disposition the document states (src/trace/vocabulary.ts), 0 = none
    }

    /// @notice What left a batch in part, in the batch's unit: sold at retail, destroyed, and shipped off as a
    /// sub-lot (`shipPart`). The batch was made with `quantity + sold + destroyed + shippedOff`.
    struct Flows {
        uint128 sold;
        uint128 destroyed;
        uint128 shippedOff;
    }

    /// @notice Who recorded an event id, and whether an errorDeclaration corrected it.
    struct EventRecord {
        address org;
        bool corrected;
    }

    struct Commission {
        bytes32 productCode;
        bytes32 lotCode;
        uint128 quantity;
        bytes3 uom;
        uint32 giCertificate; // 0 for none
    }

    struct Transformation {
        bytes32 outputProduct;
        bytes32 outputLot;
        bytes3 outputUom;
        uint32 ratioPpm; // output quantity per input quantity, in millionths; 1e6 conserves
        uint32 giCertificate; // label the output under this GI certificate, or 0
    }

    // ---------------------------------------------------------------- errors

    /// @notice `TraceLedger` refuses calls relayed through the AccessManager (`execute`): the
    /// manager would stand in as the acting organisation and hide who acted.
    error TraceLedgerRelayedCall(address manager, bytes4 selector);
    error TraceLedgerUnauthorized(address caller, uint64 requiredRole);
    error TraceLedgerProductExists(bytes32 productCode);
    error TraceLedgerUnknownProduct(bytes32 productCode);
    error TraceLedgerUnknownProductSeq(uint32 seq);
    error TraceLedgerNotProducer(address account);
    error TraceLedgerNotProductProducer(bytes32 productCode, address caller, address producer);
    error TraceLedgerInvalidCode(bytes32 code);
    error TraceLedgerBatchExists(bytes32 batchId);
    error TraceLedgerUnknownBatch(bytes32 batchId);
    error TraceLedgerZeroQuantity();
    error TraceLedgerInvalidUnit(bytes3 uom);
    error TraceLedgerEventInFuture(uint64 eventTime, uint256 blockTime);
    error TraceLedgerNotCustodian(bytes32 batchId, address caller, address custodian);
    error TraceLedgerWrongStatus(bytes32 batchId, BatchStatus status);
    error TraceLedgerRecalled(bytes32 batchId);
    error TraceLedgerNotSupplyChainOrg(address account);
    error TraceLedgerNotReceiver(bytes32 batchId, address caller, address receiver);
    error TraceLedgerSelfShipment(bytes32 batchId);
    error TraceLedgerNotObservationStep(uint8 bizStep);
    error TraceLedgerQuantityMismatch(uint256 inputs, uint256 outputs);
    error TraceLedgerUnitMismatch(bytes32 batchId, bytes3 uom, bytes3 expected);
    error TraceLedgerProductMismatch(bytes32 batchId);
    error TraceLedgerBadCount(uint256 count, uint256 min, uint256 max);
    error TraceLedgerLineageTooLarge(uint256 lineage, uint256 max);
    error TraceLedgerZeroRatio();
    error TraceLedgerNotInspected(bytes32 batchId);
    error TraceLedgerInspectionFailed(bytes32 batchId);
    error TraceLedgerCertificateExpired(bytes32 batchId, uint64 validUntil);
    error TraceLedgerInvalidValidity(uint64 validUntil);
    error TraceLedgerUnknownGiCertificate(uint32 certificateId);
    error TraceLedgerGiCertificateMismatch(uint32 certificateId);
    error TraceLedgerGiCertificateExpired(uint32 certificateId, uint64 validUntil);
    error TraceLedgerGiCeilingExceeded(uint32 certificateId, uint256 labelled, uint256 ceiling);
    error TraceLedgerNotGiProduct(bytes32 productCode);
    error TraceLedgerAlreadyRecalled(bytes32 batchId);
    error TraceLedgerUnknownRecall(uint32 recallId);
    error TraceLedgerNotInRecall(uint32 recallId, bytes32 batchId);
    error TraceLedgerAlreadyAcknowledged(uint32 recallId, bytes32 batchId);
    error TraceLedgerInvalidAction();
    error TraceLedgerQuantityTooLarge(uint256 quantity, uint256 available);
    error TraceLedgerZeroHash();
    error TraceLedgerNoOrigin();
    /// @notice `inspector` tried to pass a batch that failed inspection: a fail stands until the market
    /// regulator allows a re-inspection.
    error TraceLedgerFailedInspectionStands(bytes32 batchId, address inspector);
    /// @notice `allowReinspection` on a batch whose inspection result is `cert`, not a fail.
    error TraceLedgerNotFailed(bytes32 batchId, CertResult cert);
    /// @notice Someone other than the product's producer derived a batch under a lot code that is not a
    /// sub-lot (`<lot>.<suffix>`) of `parentBatchId`, the batch it derives from.
    error TraceLedgerNotSubLot(bytes32 lotCode, bytes32 parentBatchId);
    /// @notice `lotCode` is a sub-lot of `ownerBatchId`, an existing batch: only a batch made from that batch
    /// takes it.
    error TraceLedgerSubLotReserved(bytes32 productCode, bytes32 lotCode, bytes32 ownerBatchId);
    /// @notice `correctProduct` with the category and producer the product already has.
    error TraceLedgerNothingToCorrect(bytes32 productCode, Category category, address producer);
    /// @notice `org` has recorded `eventId` already: an organisation records an EPCIS event once.
    error TraceLedgerEventRecorded(bytes32 eventId, address org);
    /// @notice `org` has recorded no event `eventId` (an organisation declares in error only events it recorded).
    error TraceLedgerUnknownEvent(bytes32 eventId, address org);
    /// @notice `eventId` was already declared in error.
    error TraceLedgerEventAlreadyCorrected(bytes32 eventId);
    /// @notice An event on `batchId` dated `eventTime`, before the batch's last event (`lastEventTime`) beyond
    /// the clock-skew tolerance.
    error TraceLedgerEventOutOfOrder(bytes32 batchId, uint64 eventTime, uint64 lastEventTime);
    /// @notice A receipt of `received` (in the batch's unit) for a shipment of `shipped`.
    error TraceLedgerReceiptMismatch(bytes32 batchId, uint256 shipped, uint256 received);
    /// @notice `ship` of `quantity` of a batch holding `held`: a part ships with `shipPart` under its own lot.
    error TraceLedgerPartialShipment(bytes32 batchId, uint256 held, uint256 quantity);
    /// @notice The product declares the conversion `from` → `to` already (`ppm`): declarations are immutable.
    error TraceLedgerConversionExists(bytes32 productCode, bytes3 from, bytes3 to, uint64 ppm);
    /// @notice A GI label on an output that labelled input does not back: `output` (in the input's unit) is
    /// more than `giInput`, the labelled input.
    error TraceLedgerGiMassNotBacked(uint32 certificateId, uint256 giInput, uint256 output);
    /// @notice A GI label at commissioning of a product that is not a harvest (not agricultural): processed
    /// GI goods take the label only from labelled input through `transform`.
    error TraceLedgerGiNeedsInput(bytes32 productCode);
    /// @notice A harvest dated `eventTime` outside the certificate's season (`from` its issue to `until`).
    error TraceLedgerGiOutOfSeason(uint32 certificateId, uint64 eventTime, uint64 from, uint64 until);

    // ---------------------------------------------------------------- events

    event ProductRegistered(
        bytes32 indexed productCode,
        address indexed producer,
        address indexed by,
        Category category,
        bool geographicIndication,
        bytes32 metadataHash
    );
    /// @notice The market regulator corrected a product's category or producer (a squatted code given to its
    /// owner, a misdeclared category): every batch of the product follows the new category at once.
    event ProductCorrected(
        bytes32 indexed productCode,
        address indexed producer,
        address indexed by,
        Category category,
        address previousProducer,
        Category previousCategory,
        bytes32 reasonHash
    );
    event InspectionRequirementSet(Category indexed category, bool required, address indexed by);
    event GiCertificateIssued(
        uint32 indexed certificateId,
        address indexed producer,
        bytes32 indexed productCode,
        bytes3 uom,
        uint128 ceiling,
        uint64 validUntil,
        bytes32 documentHash
    );
    /// @notice EPCIS ObjectEvent ADD, bizStep commissioning.
    event BatchCommissioned(
        bytes32 indexed batchId,
        bytes32 indexed productCode,
        address indexed producer,
        bytes32 lotCode,
        uint128 quantity,
        bytes3 uom,
        uint32 giCertificate,
        Context context
    );
    /// @notice EPCIS ObjectEvent OBSERVE with an observation business step (inspecting, packing, storing...).
    event BatchObserved(bytes32 indexed batchId, address indexed org, uint8 indexed bizStep, Context context);
    /// @notice bizStep shipping, disposition in_transit, of part of `parent` (`quantity` in its unit) that
    /// became batch `part` (lot `lotCode`, a sub-lot of the parent's): the parent keeps the rest.
    event BatchPartShipped(
        bytes32 indexed parent,
        bytes32 indexed part,
        address indexed from,
        address to,
        bytes32 lotCode,
        uint128 quantity,
        Context context
    );
    /// @notice bizStep shipping, disposition in_transit.
    event BatchShipped(bytes32 indexed batchId, address indexed from, address indexed to, Context context);
    /// @notice bizStep receiving, disposition active, custody passes to `to`.
    event BatchReceived(bytes32 indexed batchId, address indexed from, address indexed to, Context context);
    /// @notice A pending shipment ended without a hand-over: cancelled by the sender or refused by the receiver.
    event ShipmentCancelled(bytes32 indexed batchId, address indexed by, address indexed receiver, bool refused);
    /// @notice EPCIS TransformationEvent: `parent` became `children` with the same unit (quantity conserved).
    event BatchSplit(
        bytes32 indexed parent,
        address indexed org,
        bytes32[] children,
        bytes32[] lotCodes,
        uint128[] quantities,
        Context context
    );
    /// @notice EPCIS TransformationEvent: `inputs` became `output` (quantity conserved).
    event BatchesMerged(
        bytes32 indexed output,
        address indexed org,
        bytes32[] inputs,
        bytes32 lotCode,
        uint128 quantity,
        Context context
    );
    /// @notice EPCIS TransformationEvent with a declared conversion (e.g. fresh peel to dried 陈皮).
    event BatchTransformed(
        bytes32 indexed output,
        address indexed org,
        bytes32 indexed outputProduct,
        bytes32[] inputs,
        Transformation transformation,
        uint128 quantity,
        Context context
    );
    /// @notice bizStep retail_selling: `quantity` (in the batch's unit) sold; `rest` is what the batch still
    /// holds (0: all sold, disposition retail_sold).
    event BatchSold(bytes32 indexed batchId, address indexed retailer, uint128 quantity, uint128 rest, Context context);
    /// @notice bizStep destroying: `quantity` (in the batch's unit) destroyed; `rest` is what the batch still
    /// holds (0: all destroyed, disposition destroyed).
    event BatchDestroyed(bytes32 indexed batchId, address indexed org, uint128 quantity, uint128 rest, Context context);
    /// @notice A product's unit conversion: 1 `from` is `ppm` millionths of `to` (1 XBX = 0.25 KGM: 250000).
    event UnitConversionDeclared(
        bytes32 indexed productCode,
        address indexed producer,
        bytes3 from,
        bytes3 to,
        uint64 ppm
    );
    /// @notice An EPCIS errorDeclaration: event `eventId` did not occur as recorded (`reason`, a CBV error
    /// reason code); `correctiveIds` name the events that correct it. The corrected event stays.
    event EventCorrected(bytes32 indexed eventId, address indexed org, uint8 reason, bytes32[] correctiveIds);
    /// @notice An inspection result (EPCIS bizStep inspecting by an accredited lab).
    event CertificateRecorded(
        bytes32 indexed batchId,
        address indexed inspector,
        bool passed,
        uint64 validUntil,
        bytes32 reportHash
    );
    /// @notice The market regulator reopened a failed batch to inspection (a re-inspection it ordered): the
    /// fail stays in the history, the batch is uninspected until a lab records a new result.
    event ReinspectionAllowed(bytes32 indexed batchId, address indexed regulator, bytes32 decisionHash);
    event BatchRecalled(
        uint32 indexed recallId,
        bytes32 indexed batchId,
        address indexed regulator,
        uint128 quantity,
        bytes3 uom,
        bytes32 reasonHash
    );
    event RecallAcknowledged(
        uint32 indexed recallId,
        bytes32 indexed batchId,
        address indexed holder,
        RecallAction action,
        uint128 quantity,
        uint128 accounted,
        bytes32 evidenceHash
    );

    // ---------------------------------------------------------------- products and regulation

    /// @notice Register a product. A producer registers its own (`producer` = caller); the market
    /// regulator registers one for any active producer. Wired PUBLIC; the role is checked inside.
    function registerProduct(
        bytes32 productCode,
        Category category,
        address producer,
        bool geographicIndication,
        bytes32 metadataHash
    ) external;

    /// @notice MARKET_REGULATOR: correct a product's category and producer (an active producer), e.g. a
    /// product code registered by someone else than its owner, or a category declared wrongly. Batches
    /// already made keep their custodians; sales follow the new category at once.
    function correctProduct(bytes32 productCode, Category category, address producer, bytes32 reasonHash) external;

    /// @notice MARKET_REGULATOR: whether batches of `category` need a valid passing certificate to be sold.
    function setInspectionRequired(Category category, bool required) external;

    /// @notice MARKET_REGULATOR: a geographic-indication certificate with a quantity ceiling, for the producer of a
    /// GI product.
    function issueGiCertificate(
        address producer,
        bytes32 productCode,
        bytes3 uom,
        uint128 ceiling,
        uint64 validUntil,
        bytes32 documentHash
    ) external returns (uint32 certificateId);

    // ---------------------------------------------------------------- batches

    /// @notice PRODUCER: commission a batch of one of the caller's products at `context.location`.
    function commissionBatch(Commission calldata c, Context calldata context) external returns (bytes32 batchId);

    /// @notice The custodian records an observation step (see `isObservationStep`).
    function recordEvent(bytes32 batchId, uint8 bizStep, Context calldata context) external;

    /// @notice The custodian ships the whole batch to an active producer, logistics company or retailer.
    function ship(bytes32 batchId, address to, Context calldata context) external;

    /// @notice The custodian ships `context.quantity` of the batch (less than it holds) as a new batch under
    /// `lotCode` (a sub-lot `<lot>.<suffix>` unless the caller is the product's producer); the batch keeps
    /// the rest. The part is in transit to `to`, which accepts it as any shipment.
    function shipPart(
        bytes32 batchId,
        bytes32 lotCode,
        address to,
        Context calldata context
    ) external returns (bytes32 part);

    /// @notice The pending receiver accepts: custody passes to it.
    function accept(bytes32 batchId, Context calldata context) external;

    /// @notice The sender cancels, or the pending receiver refuses, a pending shipment.
    function cancelShipment(bytes32 batchId) external;

    /// @notice The custodian splits a batch into 2..100 batches of the same product and unit. Anyone but the
    /// product's producer names them as sub-lots of the batch (`<lot>.<suffix>`).
    function split(
        bytes32 batchId,
        bytes32[] calldata lotCodes,
        uint128[] calldata quantities,
        Context calldata context
    ) external returns (bytes32[] memory children);

    /// @notice The custodian merges 2..32 batches of one product and unit into one. Anyone but the product's
    /// producer names it as a sub-lot of the first input (`<lot>.<suffix>`).
    function merge(
        bytes32[] calldata inputs,
        bytes32 lotCode,
        Context calldata context
    ) external returns (bytes32 output);

    /// @notice PRODUCER: transform 1..32 input batches (one unit) into a batch of `t.outputProduct`, a product
    /// of the caller's. The output does not inherit the inputs' pass (it needs its own); a failed input fails it.
    function transform(
        bytes32[] calldata inputs,
        Transformation calldata t,
        Context calldata context
    ) external returns (bytes32 output);

    /// @notice The custodian, a RETAILER, sells `context.quantity` of the batch at retail (0: all of it).
    function sell(bytes32 batchId, Context calldata context) external;

    /// @notice The custodian destroys `context.quantity` of the batch (0: all of it).
    function destroy(bytes32 batchId, Context calldata context) external;

    /// @notice PRODUCER: the product's producer declares that 1 `from` of it is `ppm` millionths of `to`. Used
    /// for event quantities stated in another unit than the batch's, and for GI mass balance. Immutable.
    function declareConversion(bytes32 productCode, bytes3 from, bytes3 to, uint64 ppm) external;

    /// @notice The caller declares event `eventId`, which it recorded, in error (EPCIS errorDeclaration,
    /// `reason` a CBV error reason code), naming the events that correct it (EPCIS lists them after the
    /// declaration: they need not be on chain yet). Wired PUBLIC.
    function correctEvent(bytes32 eventId, uint8 reason, bytes32[] calldata correctiveIds) external;

    /// @notice INSPECTOR: record an inspection result on a batch that has not been consumed. Results append: a
    /// fail stands (a later pass is refused until `allowReinspection`), a pass keeps the latest validity of
    /// the passes recorded.
    function certify(bytes32 batchId, bool passed, uint64 validUntil, bytes32 reportHash) external;

    /// @notice MARKET_REGULATOR: reopen a failed batch to inspection (a re-inspection it decided, the decision
    /// document's hash recorded). The fail stays in the history.
    function allowReinspection(bytes32 batchId, bytes32 decisionHash) external;

    // ---------------------------------------------------------------- recall

    /// @notice MARKET_REGULATOR: recall a batch and, with it, every batch made from it.
    function recall(bytes32 batchId, bytes32 reasonHash) external returns (uint32 recallId);

    /// @notice The custodian of a batch in the recall's lineage reports what it did with it, once per batch
    /// and recall for what it holds (Hold, Return, Destroy: at most the batch's quantity) and once for what it
    /// sold at retail (`ReachedConsumer`: at most the quantity sold). `quantity` is in the batch's unit; it is
    /// converted to the recalled batch's unit along the lineage (the inverse of each transformation's ratio),
    /// and the recall's `accounted` adds it up to `affected` at most. `Destroy` destroys that quantity.
    /// Suspension does not stop it (a documented exception): the custodian still owes the report, and it is
    /// still attributed to it.
    function acknowledgeRecall(
        uint32 recallId,
        bytes32 batchId,
        RecallAction action,
        uint128 quantity,
        bytes32 evidenceHash
    ) external;

    // ---------------------------------------------------------------- views

    function product(bytes32 productCode) external view returns (Product memory);
    function productCodeAt(uint32 seq) external view returns (bytes32);
    function batch(bytes32 batchId) external view returns (Batch memory);
    function parentsOf(bytes32 batchId) external view returns (bytes32[] memory);
    function giCertificate(uint32 certificateId) external view returns (GiCertificate memory);
    function giCertificateCount() external view returns (uint32);
    function recallInfo(uint32 recallId) external view returns (Recall memory);
    function recallCount() external view returns (uint32);
    function inspectionRequired(Category category) external view returns (bool);
    /// @notice Whether the batch or any batch it was made from has been recalled. Bounded by `MAX_LINEAGE`.
    function isRecalled(bytes32 batchId) external view returns (bool);
    /// @notice Whether `batchId` is `ancestor` or made from it.
    function descendsFrom(bytes32 batchId, bytes32 ancestor) external view returns (bool);
    /// @notice Whether the batch could be sold at retail now (ignoring who holds it).
    function isSellable(bytes32 batchId) external view returns (bool);
    function batchId(bytes32 productCode, bytes32 lotCode) external pure returns (bytes32);
    function isObservationStep(uint8 bizStep) external pure returns (bool);
    /// @notice What left the batch in part (sold, destroyed or shipped off as a sub-lot).
    function flowsOf(bytes32 batchId) external view returns (Flows memory);
    /// @notice 1 `from` of the product in millionths of `to`, 0 when not declared.
    function conversion(bytes32 productCode, bytes3 from, bytes3 to) external view returns (uint64);
    /// @notice Whether `org` recorded event `eventId` (`org` set) and declared it in error (`corrected`).
    function eventRecord(address org, bytes32 eventId) external view returns (EventRecord memory);
    /// @notice A transformation output's ratio (output per input, millionths), 0 for other batches.
    function ratioOf(bytes32 batchId) external view returns (uint32);
    /// @notice When a GI certificate's season starts (its issue).
    function giSeasonStart(uint32 certificateId) external view returns (uint64);
}
