// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {Roles} from "../access/Roles.sol";
import {ITraceLedger} from "../interfaces/ITraceLedger.sol";

/**
 * @title TraceLedger
 * @notice The product traceability ledger (see ITraceLedger).
 * @dev Role checks: commissionBatch and transform (PRODUCER), certify (INSPECTOR), recall, correctProduct,
 * allowReinspection, setInspectionRequired and issueGiCertificate (MARKET_REGULATOR) are `restricted` to one role by the
 * wiring. The custody functions are open to any supply-chain role (producer, logistics, retailer) and
 * registerProduct to producers and the regulator, so they are wired PUBLIC and check inside, through the
 * manager, that the caller still holds the role it acts in (a suspended organisation has lost it).
 */
contract TraceLedger is ITraceLedger, AccessManagedUpgradeable {
    /// @notice Upper bound of a batch's lineage (itself plus ancestors, counted once per path).
    uint256 public constant MAX_LINEAGE = 255;
    uint256 public constant MAX_SPLIT = 100;
    uint256 public constant MAX_INPUTS = 32;
    /// @notice How far an event time may lie ahead of the block (clock skew between organisations).
    uint256 public constant MAX_CLOCK_SKEW = 15 minutes;

    // CBV business steps (src/trace/vocabulary.ts has the names).
    uint8 internal constant STEP_INSPECTING = 2;
    /// @dev Steps recordEvent accepts: inspecting, packing, unpacking, storing, loading, unloading, holding,
    /// sensor_reporting, departing, arriving, sampling, transporting, stocking, staging_outbound, other.
    uint256 internal constant OBSERVATION_STEPS =
        (1 << 2) |
            (1 << 3) |
            (1 << 4) |
            (1 << 7) |
            (1 << 11) |
            (1 << 12) |
            (1 << 13) |
            (1 << 14) |
            (1 << 15) |
            (1 << 16) |
            (1 << 17) |
            (1 << 18) |
            (1 << 19) |
            (1 << 20) |
            (1 << 21);

    // ---------------------------------------------------------------- storage

    mapping(bytes32 productCode => Product) private _products;
    bytes32[] private _productCodes;
    mapping(bytes32 batchId => Batch) private _batches;
    mapping(bytes32 batchId => mapping(uint256 index => bytes32 parent)) private _parents;
    GiCertificate[] private _giCertificates;
    Recall[] private _recalls;
    mapping(uint32 recallId => mapping(bytes32 batchId => bool)) private _acknowledged;
    /// @dev Bit `category` set: batches of that category need a valid pass to be sold.
    uint8 private _inspectionMask;

    /// @dev The ledger is this implementation behind a transparent proxy (ERC-1967) whose ProxyAdmin the
    /// manager owns, so only ADMIN can upgrade it (README, "Upgrades"). The implementation's own
    /// initializer is disabled: only the proxy, which calls `initialize` in its constructor, is a ledger.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets the permission hub. The proxy calls it once, in its constructor, so nobody can
    /// initialize the ledger in between.
    /// @param manager The AccessManager that holds every role.
    function initialize(address manager) external initializer {
        __AccessManaged_init(manager);
        // Food, drugs, agricultural inputs and special equipment need a valid pass by default.
        _inspectionMask =
            uint8(1 << uint8(Category.Food)) |
            uint8(1 << uint8(Category.Drug)) |
            uint8(1 << uint8(Category.AgriculturalInput)) |
            uint8(1 << uint8(Category.SpecialEquipment));
    }

    /// @notice The version of the ledger's code behind the proxy (1 for the first deployment).
    function version() external pure virtual returns (uint256) {
        return 1;
    }

    // ---------------------------------------------------------------- access

    /// @dev Every record names the organisation that acted (`msg.sender`). A call relayed by
    /// `AccessManager.execute` arrives with the manager as `msg.sender`, whoever asked it to
    /// relay: it is refused before the manager's own check, which would let it through.
    function _checkCanCall(address caller, bytes calldata data) internal override {
        if (caller == authority()) revert TraceLedgerRelayedCall(caller, bytes4(data[0:4]));
        super._checkCanCall(caller, data);
    }

    // ---------------------------------------------------------------- products and regulation

    /// @inheritdoc ITraceLedger
    function registerProduct(
        bytes32 productCode,
        Category category,
        address producer,
        bool geographicIndication,
        bytes32 metadataHash
    ) external restricted {
        if (_holds(Roles.MARKET_REGULATOR, msg.sender)) {
            if (!_holds(Roles.PRODUCER, producer)) revert TraceLedgerNotProducer(producer);
        } else if (producer != msg.sender || !_holds(Roles.PRODUCER, msg.sender)) {
            revert TraceLedgerUnauthorized(
                msg.sender,
                _holds(Roles.PRODUCER, msg.sender) ? Roles.MARKET_REGULATOR : Roles.PRODUCER
            );
        }
        _checkCode(productCode);
        Product storage p = _products[productCode];
        if (p.seq != 0) revert TraceLedgerProductExists(productCode);
        // Product sequence numbers are uint32: the last one is refused rather than wrapped to 0.
        if (_productCodes.length >= type(uint32).max) {
            revert TraceLedgerBadCount(_productCodes.length, 0, type(uint32).max - 1);
        }
        _productCodes.push(productCode);
        p.producer = producer;
        p.category = category;
        p.geographicIndication = geographicIndication;
        p.seq = uint32(_productCodes.length);
        emit ProductRegistered(productCode, producer, msg.sender, category, geographicIndication, metadataHash);
    }

    /// @inheritdoc ITraceLedger
    function correctProduct(
        bytes32 productCode,
        Category category,
        address producer,
        bytes32 reasonHash
    ) external restricted {
        Product storage p = _product(productCode);
        if (!_holds(Roles.PRODUCER, producer)) revert TraceLedgerNotProducer(producer);
        if (reasonHash == bytes32(0)) revert TraceLedgerZeroHash();
        address previousProducer = p.producer;
        Category previousCategory = p.category;
        if (previousProducer == producer && previousCategory == category) {
            revert TraceLedgerNothingToCorrect(productCode, category, producer);
        }
        p.producer = producer;
        p.category = category;
        emit ProductCorrected(
            productCode,
            producer,
            msg.sender,
            category,
            previousProducer,
            previousCategory,
            reasonHash
        );
    }

    /// @inheritdoc ITraceLedger
    function setInspectionRequired(Category category, bool required) external restricted {
        uint8 bit = uint8(1 << uint8(category));
        _inspectionMask = required ? _inspectionMask | bit : _inspectionMask & ~bit;
        emit InspectionRequirementSet(category, required, msg.sender);
    }

    /// @inheritdoc ITraceLedger
    function issueGiCertificate(
        address producer,
        bytes32 productCode,
        bytes3 uom,
        uint128 ceiling,
        uint64 validUntil,
        bytes32 documentHash
    ) external restricted returns (uint32 certificateId) {
        Product storage p = _product(productCode);
        if (!p.geographicIndication) revert TraceLedgerNotGiProduct(productCode);
        if (p.producer != producer) revert TraceLedgerNotProductProducer(productCode, producer, p.producer);
        if (!_holds(Roles.PRODUCER, producer)) revert TraceLedgerNotProducer(producer);
        _checkUnit(uom);
        if (ceiling == 0) revert TraceLedgerZeroQuantity();
        if (validUntil <= block.timestamp) revert TraceLedgerInvalidValidity(validUntil);
        if (documentHash == bytes32(0)) revert TraceLedgerZeroHash();
        if (_giCertificates.length >= type(uint32).max) {
            revert TraceLedgerBadCount(_giCertificates.length, 0, type(uint32).max - 1);
        }
        _giCertificates.push(
            GiCertificate({
                producer: producer,
                productSeq: p.seq,
                uom: uom,
                validUntil: validUntil,
                ceiling: ceiling,
                labelled: 0
            })
        );
        certificateId = uint32(_giCertificates.length);
        emit GiCertificateIssued(certificateId, producer, productCode, uom, ceiling, validUntil, documentHash);
    }

    // ---------------------------------------------------------------- batches

    /// @inheritdoc ITraceLedger
    function commissionBatch(Commission calldata c, Context calldata context) external restricted returns (bytes32 id) {
        Product storage p = _product(c.productCode);
        if (p.producer != msg.sender) revert TraceLedgerNotProductProducer(c.productCode, msg.sender, p.producer);
        _checkOutputLot(c.productCode, c.lotCode, 0);
        _checkUnit(c.uom);
        if (c.quantity == 0) revert TraceLedgerZeroQuantity();
        if (context.location == 0) revert TraceLedgerNoOrigin();
        _checkContext(context);
        id = batchId(c.productCode, c.lotCode);
        Batch storage b = _new(id);
        b.custodian = msg.sender;
        b.custodianRole = uint8(Roles.PRODUCER);
        b.status = BatchStatus.Active;
        b.uom = c.uom;
        b.lineage = 1;
        b.cleanAtRecall = uint24(_recalls.length);
        b.quantity = c.quantity;
        b.productSeq = p.seq;
        if (c.giCertificate != 0) {
            _label(c.giCertificate, p.seq, c.uom, c.quantity);
            b.giCertificate = c.giCertificate;
        }
        emit BatchCommissioned(id, c.productCode, msg.sender, c.lotCode, c.quantity, c.uom, c.giCertificate, context);
    }

    /// @inheritdoc ITraceLedger
    function recordEvent(bytes32 id, uint8 bizStep, Context calldata context) external restricted {
        if (!isObservationStep(bizStep)) revert TraceLedgerNotObservationStep(bizStep);
        Batch storage b = _custody(id);
        if (b.status != BatchStatus.Active) revert TraceLedgerWrongStatus(id, b.status);
        _checkContext(context);
        emit BatchObserved(id, msg.sender, bizStep, context);
    }

    /// @inheritdoc ITraceLedger
    function ship(bytes32 id, address to, Context calldata context) external restricted {
        Batch storage b = _movable(id);
        if (to == msg.sender) revert TraceLedgerSelfShipment(id);
        _checkContext(context);
        b.receiver = to;
        b.receiverRole = _supplyChainRole(to);
        b.status = BatchStatus.InTransit;
        emit BatchShipped(id, msg.sender, to, context);
    }

    /// @inheritdoc ITraceLedger
    function accept(bytes32 id, Context calldata context) external restricted {
        Batch storage b = _existing(id);
        if (b.status != BatchStatus.InTransit) revert TraceLedgerWrongStatus(id, b.status);
        address receiver = b.receiver;
        if (msg.sender != receiver) revert TraceLedgerNotReceiver(id, msg.sender, receiver);
        uint8 role = b.receiverRole;
        if (!_holds(role, msg.sender)) revert TraceLedgerUnauthorized(msg.sender, role);
        _checkNotRecalled(id, b);
        _checkContext(context);
        address from = b.custodian;
        b.custodian = msg.sender;
        b.custodianRole = role;
        b.status = BatchStatus.Active;
        b.receiver = address(0);
        b.receiverRole = 0;
        emit BatchReceived(id, from, msg.sender, context);
    }

    /// @inheritdoc ITraceLedger
    function cancelShipment(bytes32 id) external restricted {
        Batch storage b = _existing(id);
        if (b.status != BatchStatus.InTransit) revert TraceLedgerWrongStatus(id, b.status);
        address receiver = b.receiver;
        bool refused = msg.sender == receiver;
        if (!refused && msg.sender != b.custodian) revert TraceLedgerNotCustodian(id, msg.sender, b.custodian);
        uint8 role = refused ? b.receiverRole : b.custodianRole;
        if (!_holds(role, msg.sender)) revert TraceLedgerUnauthorized(msg.sender, role);
        b.status = BatchStatus.Active;
        b.receiver = address(0);
        b.receiverRole = 0;
        emit ShipmentCancelled(id, msg.sender, receiver, refused);
    }

    /// @inheritdoc ITraceLedger
    function split(
        bytes32 id,
        bytes32[] calldata lotCodes,
        uint128[] calldata quantities,
        Context calldata context
    ) external restricted returns (bytes32[] memory children) {
        Batch storage parent = _movable(id);
        uint256 n = lotCodes.length;
        if (n < 2 || n > MAX_SPLIT) revert TraceLedgerBadCount(n, 2, MAX_SPLIT);
        if (quantities.length != n) revert TraceLedgerBadCount(quantities.length, n, n);
        _checkContext(context);
        if (uint256(parent.lineage) + 1 > MAX_LINEAGE) {
            revert TraceLedgerLineageTooLarge(uint256(parent.lineage) + 1, MAX_LINEAGE);
        }
        bytes32 productCode = _productCodes[parent.productSeq - 1];
        bool owner = _products[productCode].producer == msg.sender;
        children = new bytes32[](n);
        uint256 total;
        for (uint256 i = 0; i < n; ++i) {
            if (quantities[i] == 0) revert TraceLedgerZeroQuantity();
            total += quantities[i];
            children[i] = _derivedId(productCode, lotCodes[i], id, owner);
            _createChild(children[i], id, parent, quantities[i]);
        }
        if (total != parent.quantity) revert TraceLedgerQuantityMismatch(parent.quantity, total);
        parent.status = BatchStatus.Consumed;
        emit BatchSplit(id, msg.sender, children, lotCodes, quantities, context);
    }

    /// @inheritdoc ITraceLedger
    function merge(
        bytes32[] calldata inputs,
        bytes32 lotCode,
        Context calldata context
    ) external restricted returns (bytes32 output) {
        uint256 n = inputs.length;
        if (n < 2 || n > MAX_INPUTS) revert TraceLedgerBadCount(n, 2, MAX_INPUTS);
        uint256 dots = _checkCode(lotCode);
        _checkContext(context);
        Batch storage first = _batches[inputs[0]];
        uint32 productSeq = first.productSeq;
        Merged memory m = _consume(inputs, productSeq, first.uom);
        bytes32 productCode = _productCodes[productSeq - 1];
        bool owner = _products[productCode].producer == msg.sender;
        if (dots != 0 || !owner) _checkLotSpace(productCode, lotCode, dots, inputs[0], owner);
        output = batchId(productCode, lotCode);
        // Every input labelled under one certificate keeps the label; the total is unchanged.
        _createOutput(output, inputs, m, productSeq, first.uom, m.total, m.gi);
        emit BatchesMerged(output, msg.sender, inputs, lotCode, uint128(m.total), context);
    }

    /// @inheritdoc ITraceLedger
    function transform(
        bytes32[] calldata inputs,
        Transformation calldata t,
        Context calldata context
    ) external restricted returns (bytes32 output) {
        uint256 n = inputs.length;
        if (n < 1 || n > MAX_INPUTS) revert TraceLedgerBadCount(n, 1, MAX_INPUTS);
        if (t.ratioPpm == 0) revert TraceLedgerZeroRatio();
        Product storage out = _product(t.outputProduct);
        if (out.producer != msg.sender) revert TraceLedgerNotProductProducer(t.outputProduct, msg.sender, out.producer);
        uint32 productSeq = out.seq;
        _checkOutputLot(t.outputProduct, t.outputLot, inputs[0]);
        _checkUnit(t.outputUom);
        _checkContext(context);
        if (context.evidenceHash == bytes32(0)) revert TraceLedgerZeroHash();
        Merged memory m = _consume(inputs, 0, _batches[inputs[0]].uom);
        // A pass covers the batch that was inspected, not a new product made from it: the output needs its
        // own. A failed input still fails the output.
        if (m.cert == CertResult.Passed) {
            m.cert = CertResult.None;
            m.validUntil = 0;
        }
        uint256 quantity = (m.total * t.ratioPpm) / 1e6;
        if (quantity == 0) revert TraceLedgerZeroQuantity();
        output = batchId(t.outputProduct, t.outputLot);
        if (t.giCertificate != 0) _label(t.giCertificate, productSeq, t.outputUom, quantity);
        _createOutput(output, inputs, m, productSeq, t.outputUom, quantity, t.giCertificate);
        emit BatchTransformed(output, msg.sender, t.outputProduct, inputs, t, uint128(quantity), context);
    }

    /// @inheritdoc ITraceLedger
    function sell(bytes32 id, Context calldata context) external restricted {
        Batch storage b = _movable(id);
        if (b.custodianRole != Roles.RETAILER) revert TraceLedgerUnauthorized(msg.sender, Roles.RETAILER);
        _checkSaleCertificate(id, b);
        _checkContext(context);
        b.status = BatchStatus.RetailSold;
        emit BatchSold(id, msg.sender, context);
    }

    /// @inheritdoc ITraceLedger
    function destroy(bytes32 id, Context calldata context) external restricted {
        Batch storage b = _custody(id);
        if (b.status != BatchStatus.Active) revert TraceLedgerWrongStatus(id, b.status);
        _checkContext(context);
        b.status = BatchStatus.Destroyed;
        emit BatchDestroyed(id, msg.sender, context);
    }

    /// @inheritdoc ITraceLedger
    function certify(bytes32 id, bool passed, uint64 validUntil, bytes32 reportHash) external restricted {
        Batch storage b = _existing(id);
        BatchStatus status = b.status;
        if (status != BatchStatus.Active && status != BatchStatus.InTransit) revert TraceLedgerWrongStatus(id, status);
        if (reportHash == bytes32(0)) revert TraceLedgerZeroHash();
        if (passed && validUntil <= block.timestamp) revert TraceLedgerInvalidValidity(validUntil);
        if (!passed) {
            b.cert = CertResult.Failed;
            b.certValidUntil = 0;
        } else if (b.cert == CertResult.Failed) {
            // A fail stands until the regulator orders a re-inspection (allowReinspection).
            revert TraceLedgerFailedInspectionStands(id, msg.sender);
        } else {
            // Passes add up: a later pass may extend the validity, never shorten another lab's.
            b.cert = CertResult.Passed;
            if (validUntil > b.certValidUntil) b.certValidUntil = validUntil;
        }
        emit CertificateRecorded(id, msg.sender, passed, passed ? validUntil : 0, reportHash);
    }

    /// @inheritdoc ITraceLedger
    function allowReinspection(bytes32 id, bytes32 decisionHash) external restricted {
        Batch storage b = _existing(id);
        if (b.cert != CertResult.Failed) revert TraceLedgerNotFailed(id, b.cert);
        if (decisionHash == bytes32(0)) revert TraceLedgerZeroHash();
        b.cert = CertResult.None;
        emit ReinspectionAllowed(id, msg.sender, decisionHash);
    }

    // ---------------------------------------------------------------- recall

    /// @inheritdoc ITraceLedger
    function recall(bytes32 id, bytes32 reasonHash) external restricted returns (uint32 recallId) {
        Batch storage b = _existing(id);
        if (b.recalled) revert TraceLedgerAlreadyRecalled(id);
        if (reasonHash == bytes32(0)) revert TraceLedgerZeroHash();
        if (_recalls.length >= type(uint24).max) revert TraceLedgerBadCount(_recalls.length, 0, type(uint24).max - 1);
        b.recalled = true;
        _recalls.push(Recall({batchId: id, uom: b.uom, acknowledgements: 0, affected: b.quantity, accounted: 0}));
        recallId = uint32(_recalls.length);
        emit BatchRecalled(recallId, id, msg.sender, b.quantity, b.uom, reasonHash);
    }

    /// @inheritdoc ITraceLedger
    function acknowledgeRecall(
        uint32 recallId,
        bytes32 id,
        RecallAction action,
        uint128 quantity,
        bytes32 evidenceHash
    ) external restricted {
        if (recallId == 0 || recallId > _recalls.length) revert TraceLedgerUnknownRecall(recallId);
        if (action == RecallAction.None) revert TraceLedgerInvalidAction();
        // The custodian, even suspended: accounting for recalled goods is owed whatever the holder's
        // standing, and a suspended holder's report is still its own (see ITraceLedger.acknowledgeRecall).
        Batch storage b = _existing(id);
        if (msg.sender != b.custodian) revert TraceLedgerNotCustodian(id, msg.sender, b.custodian);
        if (b.status != BatchStatus.Active) revert TraceLedgerWrongStatus(id, b.status);
        Recall storage r = _recalls[recallId - 1];
        if (!_descends(id, r.batchId)) revert TraceLedgerNotInRecall(recallId, id);
        if (_acknowledged[recallId][id]) revert TraceLedgerAlreadyAcknowledged(recallId, id);
        // In the recall's unit: at most the batch when it is counted in that unit, and at most the recall.
        if (b.uom == r.uom && quantity > b.quantity) revert TraceLedgerQuantityTooLarge(quantity, b.quantity);
        if (quantity > r.affected) revert TraceLedgerQuantityTooLarge(quantity, r.affected);
        _acknowledged[recallId][id] = true;
        // Acknowledgements of batches merged with other stock may add up to more than was recalled: the
        // total stops at `affected`, so no acknowledgement is refused because of others'.
        uint256 accounted = uint256(r.accounted) + quantity;
        r.accounted = accounted < r.affected ? uint128(accounted) : r.affected;
        ++r.acknowledgements;
        if (action == RecallAction.Destroy) {
            b.status = BatchStatus.Destroyed;
            emit BatchDestroyed(
                id,
                msg.sender,
                Context({location: 0, eventTime: uint64(block.timestamp), evidenceHash: evidenceHash})
            );
        }
        emit RecallAcknowledged(recallId, id, msg.sender, action, quantity, evidenceHash);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ITraceLedger
    function product(bytes32 productCode) external view returns (Product memory) {
        return _products[productCode];
    }

    /// @inheritdoc ITraceLedger
    function productCodeAt(uint32 seq) external view returns (bytes32) {
        if (seq == 0 || seq > _productCodes.length) revert TraceLedgerUnknownProductSeq(seq);
        return _productCodes[seq - 1];
    }

    /// @inheritdoc ITraceLedger
    function batch(bytes32 id) external view returns (Batch memory) {
        return _batches[id];
    }

    /// @inheritdoc ITraceLedger
    function parentsOf(bytes32 id) external view returns (bytes32[] memory parents) {
        uint256 n = _batches[id].parentCount;
        parents = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) parents[i] = _parents[id][i];
    }

    /// @inheritdoc ITraceLedger
    function giCertificate(uint32 certificateId) external view returns (GiCertificate memory) {
        if (certificateId == 0 || certificateId > _giCertificates.length) {
            revert TraceLedgerUnknownGiCertificate(certificateId);
        }
        return _giCertificates[certificateId - 1];
    }

    /// @inheritdoc ITraceLedger
    function giCertificateCount() external view returns (uint32) {
        return uint32(_giCertificates.length);
    }

    /// @inheritdoc ITraceLedger
    function recallInfo(uint32 recallId) external view returns (Recall memory) {
        if (recallId == 0 || recallId > _recalls.length) revert TraceLedgerUnknownRecall(recallId);
        return _recalls[recallId - 1];
    }

    /// @inheritdoc ITraceLedger
    function recallCount() external view returns (uint32) {
        return uint32(_recalls.length);
    }

    /// @inheritdoc ITraceLedger
    function inspectionRequired(Category category) public view returns (bool) {
        return _inspectionMask & (1 << uint8(category)) != 0;
    }

    /// @inheritdoc ITraceLedger
    function isRecalled(bytes32 id) public view returns (bool) {
        Batch storage b = _batches[id];
        if (b.status == BatchStatus.None) return false;
        return _lineageRecalled(id, b);
    }

    /// @inheritdoc ITraceLedger
    function descendsFrom(bytes32 id, bytes32 ancestor) external view returns (bool) {
        if (_batches[id].status == BatchStatus.None) return false;
        return _descends(id, ancestor);
    }

    /// @inheritdoc ITraceLedger
    function isSellable(bytes32 id) external view returns (bool) {
        Batch storage b = _batches[id];
        if (b.status != BatchStatus.Active || _lineageRecalled(id, b)) return false;
        if (b.cert == CertResult.Failed) return false;
        if (b.cert == CertResult.Passed) return b.certValidUntil >= block.timestamp;
        return !inspectionRequired(_products[_productCodes[b.productSeq - 1]].category);
    }

    /// @inheritdoc ITraceLedger
    function batchId(bytes32 productCode, bytes32 lotCode) public pure returns (bytes32) {
        return keccak256(abi.encode(productCode, lotCode));
    }

    /// @inheritdoc ITraceLedger
    function isObservationStep(uint8 bizStep) public pure returns (bool) {
        return (OBSERVATION_STEPS >> bizStep) & 1 == 1;
    }

    // ---------------------------------------------------------------- internals

    function _product(bytes32 productCode) private view returns (Product storage p) {
        p = _products[productCode];
        if (p.seq == 0) revert TraceLedgerUnknownProduct(productCode);
    }

    function _existing(bytes32 id) private view returns (Batch storage b) {
        b = _batches[id];
        if (b.status == BatchStatus.None) revert TraceLedgerUnknownBatch(id);
    }

    function _new(bytes32 id) private view returns (Batch storage b) {
        b = _batches[id];
        if (b.status != BatchStatus.None) revert TraceLedgerBatchExists(id);
    }

    /// @dev The batch, after checking that the caller is its custodian and still holds its role.
    function _custody(bytes32 id) private view returns (Batch storage b) {
        b = _existing(id);
        address custodian = b.custodian;
        if (msg.sender != custodian) revert TraceLedgerNotCustodian(id, msg.sender, custodian);
        uint8 role = b.custodianRole;
        if (!_holds(role, msg.sender)) revert TraceLedgerUnauthorized(msg.sender, role);
    }

    /// @dev A batch its custodian may move, split, merge or sell: active and not recalled. Refreshes the
    /// recall cache when a recall happened since the batch was last found clean.
    function _movable(bytes32 id) private returns (Batch storage b) {
        b = _custody(id);
        if (b.status != BatchStatus.Active) revert TraceLedgerWrongStatus(id, b.status);
        _checkNotRecalled(id, b);
    }

    function _checkNotRecalled(bytes32 id, Batch storage b) private {
        uint24 count = uint24(_recalls.length);
        if (b.cleanAtRecall == count && !b.recalled) return;
        if (_lineageRecalled(id, b)) revert TraceLedgerRecalled(id);
        b.cleanAtRecall = count;
    }

    /// @dev What the inputs of a merge or transformation add up to.
    struct Merged {
        uint256 total;
        uint256 lineage;
        uint32 gi;
        CertResult cert;
        uint64 validUntil;
    }

    /// @dev Consumes merge or transform inputs, all held by the caller, active, not recalled, in `uom`
    /// (and of product `productSeq` unless 0). Releases their GI labels unless all share one certificate
    /// and this is a merge (returned as `gi`); the certificate result is the weakest of the inputs'.
    function _consume(bytes32[] calldata inputs, uint32 productSeq, bytes3 uom) private returns (Merged memory m) {
        uint256 n = inputs.length;
        uint32 gi = _batches[inputs[0]].giCertificate;
        m.cert = CertResult.Passed;
        m.validUntil = type(uint64).max;
        m.lineage = 1;
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = inputs[i];
            Batch storage b = _movable(id);
            if (b.uom != uom) revert TraceLedgerUnitMismatch(id, b.uom, uom);
            if (productSeq != 0 && b.productSeq != productSeq) revert TraceLedgerProductMismatch(id);
            if (b.giCertificate != gi) gi = 0;
            if (b.cert == CertResult.Failed) m.cert = CertResult.Failed;
            else if (b.cert == CertResult.None && m.cert == CertResult.Passed) m.cert = CertResult.None;
            if (b.certValidUntil < m.validUntil) m.validUntil = b.certValidUntil;
            m.total += b.quantity;
            m.lineage += b.lineage;
            // An input listed twice fails on its second sight: its status is Consumed by then.
            b.status = BatchStatus.Consumed;
        }
        if (m.lineage > MAX_LINEAGE) revert TraceLedgerLineageTooLarge(m.lineage, MAX_LINEAGE);
        if (m.cert != CertResult.Passed) m.validUntil = 0;
        if (gi != 0 && productSeq != 0) {
            m.gi = gi; // a merge keeps the common label
        } else if (gi != 0) {
            _giCertificates[gi - 1].labelled -= uint128(m.total); // a transformation labels its output itself
        } else {
            for (uint256 i = 0; i < n; ++i) {
                Batch storage b = _batches[inputs[i]];
                if (b.giCertificate != 0) _giCertificates[b.giCertificate - 1].labelled -= b.quantity;
            }
        }
    }

    /// @dev A split's child `childId` of `parent` (`parentId`): the parent's custodian, unit, product, labels
    /// and certificate, `quantity` of it.
    function _createChild(bytes32 childId, bytes32 parentId, Batch storage parent, uint128 quantity) private {
        Batch storage c = _new(childId);
        c.custodian = msg.sender;
        c.custodianRole = parent.custodianRole;
        c.status = BatchStatus.Active;
        c.uom = parent.uom;
        c.cert = parent.cert;
        c.parentCount = 1;
        c.lineage = parent.lineage + 1;
        c.cleanAtRecall = parent.cleanAtRecall;
        c.quantity = quantity;
        c.productSeq = parent.productSeq;
        c.giCertificate = parent.giCertificate;
        c.certValidUntil = parent.certValidUntil;
        _parents[childId][0] = parentId;
    }

    function _createOutput(
        bytes32 output,
        bytes32[] calldata inputs,
        Merged memory m,
        uint32 productSeq,
        bytes3 uom,
        uint256 quantity,
        uint32 gi
    ) private {
        Batch storage o = _new(output);
        o.custodian = msg.sender;
        o.custodianRole = _batches[inputs[0]].custodianRole;
        o.status = BatchStatus.Active;
        o.uom = uom;
        o.cert = m.cert;
        o.parentCount = uint8(inputs.length);
        o.lineage = uint8(m.lineage);
        o.cleanAtRecall = uint24(_recalls.length);
        o.quantity = _toQuantity(quantity);
        o.productSeq = productSeq;
        o.giCertificate = gi;
        o.certValidUntil = m.validUntil;
        uint256 n = inputs.length;
        for (uint256 i = 0; i < n; ++i) _parents[output][i] = inputs[i];
    }

    function _label(uint32 certificateId, uint32 productSeq, bytes3 uom, uint256 quantity) private {
        if (certificateId == 0 || certificateId > _giCertificates.length) {
            revert TraceLedgerUnknownGiCertificate(certificateId);
        }
        GiCertificate storage g = _giCertificates[certificateId - 1];
        if (g.producer != msg.sender || g.productSeq != productSeq || g.uom != uom) {
            revert TraceLedgerGiCertificateMismatch(certificateId);
        }
        if (g.validUntil < block.timestamp) revert TraceLedgerGiCertificateExpired(certificateId, g.validUntil);
        uint256 labelled = g.labelled + quantity;
        if (labelled > g.ceiling) revert TraceLedgerGiCeilingExceeded(certificateId, labelled, g.ceiling);
        g.labelled = uint128(labelled);
    }

    function _checkSaleCertificate(bytes32 id, Batch storage b) private view {
        CertResult cert = b.cert;
        if (cert == CertResult.Failed) revert TraceLedgerInspectionFailed(id);
        if (cert == CertResult.Passed) {
            if (b.certValidUntil < block.timestamp) revert TraceLedgerCertificateExpired(id, b.certValidUntil);
        } else if (inspectionRequired(_products[_productCodes[b.productSeq - 1]].category)) {
            revert TraceLedgerNotInspected(id);
        }
    }

    /// @dev Walks the lineage of `id` looking for a directly recalled batch; stops at ancestors already
    /// known clean at the current recall count. At most `lineage` (<= MAX_LINEAGE) nodes are visited.
    function _lineageRecalled(bytes32 id, Batch storage b) private view returns (bool) {
        if (b.recalled) return true;
        uint24 count = uint24(_recalls.length);
        if (b.cleanAtRecall == count) return false;
        bytes32[] memory stack = new bytes32[](b.lineage);
        uint256 top;
        stack[0] = id;
        top = 1;
        while (top != 0) {
            bytes32 current = stack[--top];
            Batch storage c = _batches[current];
            if (c.recalled) return true;
            if (c.cleanAtRecall == count) continue;
            uint256 parents = c.parentCount;
            for (uint256 i = 0; i < parents; ++i) {
                stack[top] = _parents[current][i];
                ++top;
            }
        }
        return false;
    }

    /// @dev Whether `ancestor` is `id` or in its lineage; at most `lineage` nodes are visited.
    function _descends(bytes32 id, bytes32 ancestor) private view returns (bool) {
        bytes32[] memory stack = new bytes32[](_batches[id].lineage);
        uint256 top;
        stack[0] = id;
        top = 1;
        while (top != 0) {
            bytes32 current = stack[--top];
            if (current == ancestor) return true;
            uint256 parents = _batches[current].parentCount;
            for (uint256 i = 0; i < parents; ++i) {
                stack[top] = _parents[current][i];
                ++top;
            }
        }
        return false;
    }

    /// @dev The supply-chain role `account` holds now: a receiver of a shipment must be one.
    function _supplyChainRole(address account) private view returns (uint8) {
        if (_holds(Roles.LOGISTICS, account)) return uint8(Roles.LOGISTICS);
        if (_holds(Roles.RETAILER, account)) return uint8(Roles.RETAILER);
        if (_holds(Roles.PRODUCER, account)) return uint8(Roles.PRODUCER);
        revert TraceLedgerNotSupplyChainOrg(account);
    }

    function _checkContext(Context calldata context) private view {
        if (context.eventTime > block.timestamp + MAX_CLOCK_SKEW) {
            revert TraceLedgerEventInFuture(context.eventTime, block.timestamp);
        }
    }

    /// @dev Codes are left-aligned printable ASCII without spaces, at least one byte. Returns the positions
    /// of its dots (bit i: byte i is '.'), where a sub-lot's parent lot may end.
    function _checkCode(bytes32 code) private pure returns (uint256 dots) {
        if (code == bytes32(0)) revert TraceLedgerInvalidCode(code);
        bool ended = false;
        for (uint256 i = 0; i < 32; ++i) {
            uint8 ch = uint8(code[i]);
            if (ch == 0) {
                ended = true;
            } else if (ended || ch < 0x21 || ch > 0x7e) {
                revert TraceLedgerInvalidCode(code);
            } else if (ch == 0x2e) {
                dots |= 1 << i;
            }
        }
    }

    /// @dev Lot spaces. A sub-lot `<lot>.<suffix>` of an existing batch belongs to that batch: only a holder
    /// of it derives there. Everyone but the product's producer derives only there (a sub-lot of `parent`),
    /// so nobody takes lot codes from the producer's space; the producer (`owner`) takes any lot that is
    /// not another batch's sub-lot. `parent` is 0 for a commissioning.
    function _checkLotSpace(
        bytes32 productCode,
        bytes32 lotCode,
        uint256 dots,
        bytes32 parent,
        bool owner
    ) private view {
        bytes32 found = _subLotParent(productCode, lotCode, dots);
        if (found == parent) return;
        if (!owner) revert TraceLedgerNotSubLot(lotCode, parent);
        if (found != 0) revert TraceLedgerSubLotReserved(productCode, lotCode, found);
    }

    /// @dev The id of a batch derived from `parent` under `lotCode`, a valid code in the caller's lot space.
    function _derivedId(
        bytes32 productCode,
        bytes32 lotCode,
        bytes32 parent,
        bool owner
    ) private view returns (bytes32) {
        uint256 dots = _checkCode(lotCode);
        if (dots != 0 || !owner) _checkLotSpace(productCode, lotCode, dots, parent, owner);
        return batchId(productCode, lotCode);
    }

    /// @dev A commissioned (`parent` 0) or transformed batch's lot: a valid code in its producer's (the
    /// caller's) space.
    function _checkOutputLot(bytes32 productCode, bytes32 lotCode, bytes32 parent) private view {
        uint256 dots = _checkCode(lotCode);
        if (dots != 0) _checkLotSpace(productCode, lotCode, dots, parent, true);
    }

    /// @dev The longest existing batch of which `lotCode` is a sub-lot, or 0.
    function _subLotParent(bytes32 productCode, bytes32 lotCode, uint256 dots) private view returns (bytes32) {
        for (uint256 i = 31; dots != 0 && i != 0; --i) {
            if ((dots >> i) & 1 == 0) continue;
            bytes32 id = batchId(productCode, _prefix(lotCode, i));
            if (_batches[id].status != BatchStatus.None) return id;
        }
        return 0;
    }

    /// @dev The first `length` bytes of `code`, left-aligned (1 <= length < 32).
    function _prefix(bytes32 code, uint256 length) private pure returns (bytes32) {
        return code & ~bytes32(type(uint256).max >> (8 * length));
    }

    /// @dev UN/CEFACT unit codes: two or three upper-case letters or digits.
    function _checkUnit(bytes3 uom) private pure {
        for (uint256 i = 0; i < 3; ++i) {
            uint8 ch = uint8(uom[i]);
            bool ok = (ch >= 0x41 && ch <= 0x5a) || (ch >= 0x30 && ch <= 0x39) || (i == 2 && ch == 0);
            if (!ok) revert TraceLedgerInvalidUnit(uom);
        }
    }

    function _toQuantity(uint256 q) private pure returns (uint128) {
        if (q > type(uint128).max) revert TraceLedgerQuantityTooLarge(q, type(uint128).max);
        return uint128(q);
    }

    function _holds(uint64 role, address account) private view returns (bool) {
        (bool isMember, uint32 delay) = IAccessManager(authority()).hasRole(role, account);
        return isMember && delay == 0;
    }
}
