// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Roles} from "../access/Roles.sol";
import {ITraceLedger} from "../interfaces/ITraceLedger.sol";
import {TraceLedgerBase} from "./TraceLedgerBase.sol";
import {TraceLedgerRegulation} from "./TraceLedgerRegulation.sol";

/**
 * @title TraceLedger
 * @notice The product traceability ledger (see ITraceLedger).
 * @dev Role checks: commissionBatch and transform (PRODUCER), certify (INSPECTOR), recall, correctProduct,
 * allowReinspection, setInspectionRequired and issueGiCertificate (MARKET_REGULATOR) are `restricted` to one role by the
 * wiring. The custody functions are open to any supply-chain role (producer, logistics, retailer) and
 * registerProduct to producers and the regulator, so they are wired PUBLIC and check inside, through the
 * manager, that the caller still holds the role it acts in (a suspended organisation has lost it).
 */
contract TraceLedger is TraceLedgerBase, ITraceLedger {
    /// @notice Upper bound of a batch's lineage (itself plus ancestors, counted once per path).
    uint256 public constant MAX_LINEAGE = 255;
    uint256 public constant MAX_SPLIT = 100;
    uint256 public constant MAX_INPUTS = 32;
    /// @notice How far an event time may lie ahead of the block, or before a batch's last event time (clock
    /// skew between organisations).
    uint256 public constant MAX_CLOCK_SKEW = 15 minutes;

    // CBV business steps (src/trace/vocabulary.ts has the names).
    uint8 internal constant STEP_INSPECTING = 2;
    /// @dev Steps recordEvent accepts: every CBV step (codes 2..42) but those with their own function:
    /// shipping (5), receiving (6), retail_selling (8), destroying (9) and transforming (10).
    uint256 internal constant OBSERVATION_STEPS =
        ((uint256(1) << 43) - (uint256(1) << 2)) & ~uint256((1 << 5) | (1 << 6) | (1 << 8) | (1 << 9) | (1 << 10));

    // ---------------------------------------------------------------- storage (TraceLedgerBase)

    /// @dev The regulation half's code (TraceLedgerRegulation), created with this implementation: an upgrade
    /// replaces both at once. Immutable, so it lives in this code, not in the proxy's storage.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _REGULATION;

    /// @dev The ledger is this implementation behind a transparent proxy (ERC-1967) whose ProxyAdmin the
    /// manager owns, so only ADMIN can upgrade it (README, "Upgrades"). The implementation's own
    /// initializer is disabled: only the proxy, which calls `initialize` in its constructor, is a ledger.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
        _REGULATION = address(new TraceLedgerRegulation());
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
    // Checked here (`restricted`), run by TraceLedgerRegulation's code on this storage (`_regulation`).

    /// @inheritdoc ITraceLedger
    function registerProduct(bytes32, Category, address, bool, bytes32) external restricted {
        _regulation();
    }

    /// @inheritdoc ITraceLedger
    function correctProduct(bytes32, Category, address, bytes32) external restricted {
        _regulation();
    }

    /// @inheritdoc ITraceLedger
    function setInspectionRequired(Category, bool) external restricted {
        _regulation();
    }

    /// @inheritdoc ITraceLedger
    function issueGiCertificate(
        address,
        bytes32,
        bytes3,
        uint128,
        uint64,
        bytes32
    ) external restricted returns (uint32) {
        _regulation(); // returns the certificate id itself
    }

    /// @inheritdoc ITraceLedger
    function declareConversion(bytes32, bytes3, bytes3, uint64) external restricted {
        _regulation();
    }

    /// @inheritdoc ITraceLedger
    function correctEvent(bytes32, uint8, bytes32[] calldata) external restricted {
        _regulation();
    }

    /// @inheritdoc ITraceLedger
    function certify(bytes32, bool, uint64, bytes32) external restricted {
        _regulation();
    }

    /// @inheritdoc ITraceLedger
    function allowReinspection(bytes32, bytes32) external restricted {
        _regulation();
    }

    /// @inheritdoc ITraceLedger
    function recall(bytes32, bytes32) external restricted returns (uint32) {
        _regulation(); // returns the recall id itself
    }

    /// @inheritdoc ITraceLedger
    function acknowledgeRecall(uint32, bytes32, RecallAction, uint128, bytes32) external restricted {
        _regulation();
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
        b.lastEventTime = context.eventTime;
        b.custodian = msg.sender;
        b.custodianRole = uint8(Roles.PRODUCER);
        b.status = BatchStatus.Active;
        b.uom = c.uom;
        b.lineage = 1;
        b.cleanAtRecall = uint24(_recalls.length);
        b.quantity = c.quantity;
        b.productSeq = p.seq;
        if (c.giCertificate != 0) {
            // A GI label starts at a harvest, within the certificate's season.
            if (p.category != Category.Agricultural) revert TraceLedgerGiNeedsInput(c.productCode);
            _label(c.giCertificate, p.seq, c.uom, c.quantity);
            uint64 from = _giSeasonStart[c.giCertificate];
            uint64 until = _giCertificates[c.giCertificate - 1].validUntil;
            if (context.eventTime + MAX_CLOCK_SKEW < from || context.eventTime > until) {
                revert TraceLedgerGiOutOfSeason(c.giCertificate, context.eventTime, from, until);
            }
            b.giCertificate = c.giCertificate;
        }
        emit BatchCommissioned(id, c.productCode, msg.sender, c.lotCode, c.quantity, c.uom, c.giCertificate, context);
    }

    /// @inheritdoc ITraceLedger
    function recordEvent(bytes32 id, uint8 bizStep, Context calldata context) external restricted {
        if (!isObservationStep(bizStep)) revert TraceLedgerNotObservationStep(bizStep);
        Batch storage b = _custody(id);
        if (b.status != BatchStatus.Active) revert TraceLedgerWrongStatus(id, b.status);
        _held(id, b, context);
        _checkEvent(id, b, context);
        emit BatchObserved(id, msg.sender, bizStep, context);
    }

    /// @inheritdoc ITraceLedger
    function ship(bytes32 id, address to, Context calldata context) external restricted {
        Batch storage b = _movable(id);
        if (to == msg.sender) revert TraceLedgerSelfShipment(id);
        uint256 q = _held(id, b, context);
        if (q != b.quantity) revert TraceLedgerPartialShipment(id, b.quantity, q);
        _checkEvent(id, b, context);
        b.receiver = to;
        b.receiverRole = _supplyChainRole(to);
        b.status = BatchStatus.InTransit;
        emit BatchShipped(id, msg.sender, to, context);
    }

    /// @inheritdoc ITraceLedger
    function shipPart(
        bytes32 id,
        bytes32 lotCode,
        address to,
        Context calldata context
    ) external restricted returns (bytes32 part) {
        Batch storage parent = _movable(id);
        if (to == msg.sender) revert TraceLedgerSelfShipment(id);
        uint256 q = _held(id, parent, context);
        if (q == parent.quantity) revert TraceLedgerPartialShipment(id, parent.quantity, q);
        _checkEvent(id, parent, context);
        if (uint256(parent.lineage) + 1 > MAX_LINEAGE) {
            revert TraceLedgerLineageTooLarge(uint256(parent.lineage) + 1, MAX_LINEAGE);
        }
        bytes32 productCode = _productCodes[parent.productSeq - 1];
        part = _derivedId(productCode, lotCode, id, _products[productCode].producer == msg.sender);
        Batch storage c = _createChild(part, id, parent, uint128(q));
        c.status = BatchStatus.InTransit;
        c.receiver = to;
        c.receiverRole = _supplyChainRole(to);
        c.lastEventTime = parent.lastEventTime;
        parent.quantity -= uint128(q);
        _flows[id].shippedOff += uint128(q);
        emit BatchPartShipped(id, part, msg.sender, to, lotCode, uint128(q), context);
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
        uint256 q = _stated(id, b, context);
        if (q != b.quantity) revert TraceLedgerReceiptMismatch(id, b.quantity, q);
        _checkEvent(id, b, context);
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
        _checkEvent(id, parent, context);
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
            _createChild(children[i], id, parent, quantities[i]).lastEventTime = parent.lastEventTime;
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
        Merged memory m = _consume(inputs, productSeq, first.uom, context.eventTime);
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
        Merged memory m = _consume(inputs, 0, _batches[inputs[0]].uom, context.eventTime);
        // A pass covers the batch that was inspected, not a new product made from it: the output needs its
        // own. A failed input still fails the output.
        if (m.cert == CertResult.Passed) {
            m.cert = CertResult.None;
            m.validUntil = 0;
        }
        uint256 quantity = (m.total * t.ratioPpm) / 1e6;
        if (quantity == 0) revert TraceLedgerZeroQuantity();
        output = batchId(t.outputProduct, t.outputLot);
        if (t.giCertificate != 0) _labelOutput(t, productSeq, quantity, m);
        _createOutput(output, inputs, m, productSeq, t.outputUom, quantity, t.giCertificate);
        _ratios[output] = t.ratioPpm;
        emit BatchTransformed(output, msg.sender, t.outputProduct, inputs, t, uint128(quantity), context);
    }

    /// @inheritdoc ITraceLedger
    function sell(bytes32 id, Context calldata context) external restricted {
        Batch storage b = _movable(id);
        if (b.custodianRole != Roles.RETAILER) revert TraceLedgerUnauthorized(msg.sender, Roles.RETAILER);
        _checkSaleCertificate(id, b);
        uint256 q = _held(id, b, context);
        _checkEvent(id, b, context);
        uint128 rest = b.quantity - uint128(q);
        if (rest == 0) {
            b.status = BatchStatus.RetailSold;
        } else {
            b.quantity = rest;
            _flows[id].sold += uint128(q);
        }
        emit BatchSold(id, msg.sender, uint128(q), rest, context);
    }

    /// @inheritdoc ITraceLedger
    function destroy(bytes32 id, Context calldata context) external restricted {
        Batch storage b = _custody(id);
        if (b.status != BatchStatus.Active) revert TraceLedgerWrongStatus(id, b.status);
        uint256 q = _held(id, b, context);
        _checkEvent(id, b, context);
        emit BatchDestroyed(id, msg.sender, uint128(q), _destroy(id, b, q), context);
    }

    // ---------------------------------------------------------------- recall

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
        (bool found, ) = _inRecallUnit(id, 0, ancestor);
        return found;
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

    /// @inheritdoc ITraceLedger
    function flowsOf(bytes32 id) external view returns (Flows memory) {
        return _flows[id];
    }

    /// @inheritdoc ITraceLedger
    function conversion(bytes32 productCode, bytes3 from, bytes3 to) external view returns (uint64) {
        return _conversions[_products[productCode].seq][from][to];
    }

    /// @inheritdoc ITraceLedger
    function eventRecord(address org, bytes32 eventId) external view returns (EventRecord memory) {
        return _events[org][eventId];
    }

    /// @inheritdoc ITraceLedger
    function ratioOf(bytes32 id) external view returns (uint32) {
        return _ratios[id];
    }

    /// @inheritdoc ITraceLedger
    function giSeasonStart(uint32 certificateId) external view returns (uint64) {
        return _giSeasonStart[certificateId];
    }

    // ---------------------------------------------------------------- internals

    /// @dev Runs this call's function in TraceLedgerRegulation's code on the ledger's storage, as the ledger,
    /// and returns or reverts with its result. Never returns to the caller's code.
    /// @custom:oz-upgrades-unsafe-allow delegatecall
    function _regulation() private {
        address target = _REGULATION;
        // solhint-disable-next-line no-inline-assembly
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
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
        uint256 giInput; // the inputs' quantity labelled under a GI certificate
        uint64 lastEventTime; // the latest event time of the inputs and this event
        bytes3 uom; // the inputs' unit
    }

    /// @dev Consumes merge or transform inputs, all held by the caller, active, not recalled, in `uom`
    /// (and of product `productSeq` unless 0). Releases their GI labels unless all share one certificate
    /// and this is a merge (returned as `gi`); the certificate result is the weakest of the inputs'.
    function _consume(
        bytes32[] calldata inputs,
        uint32 productSeq,
        bytes3 uom,
        uint64 eventTime
    ) private returns (Merged memory m) {
        uint256 n = inputs.length;
        uint32 gi = _batches[inputs[0]].giCertificate;
        m.cert = CertResult.Passed;
        m.validUntil = type(uint64).max;
        m.lineage = 1;
        m.lastEventTime = eventTime;
        m.uom = uom;
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = inputs[i];
            Batch storage b = _movable(id);
            _checkOrder(id, b, eventTime);
            if (b.lastEventTime > m.lastEventTime) m.lastEventTime = b.lastEventTime;
            if (b.giCertificate != 0) m.giInput += b.quantity;
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
    function _createChild(
        bytes32 childId,
        bytes32 parentId,
        Batch storage parent,
        uint128 quantity
    ) private returns (Batch storage c) {
        c = _new(childId);
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
    ) private returns (Batch storage o) {
        o = _new(output);
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
        o.lastEventTime = m.lastEventTime;
        uint256 n = inputs.length;
        for (uint256 i = 0; i < n; ++i) _parents[output][i] = inputs[i];
    }

    /// @dev GI mass balance: a transformation's labelled output, in the input's unit (by the output product's
    /// declared conversion when the units differ), is backed by labelled input.
    function _labelOutput(Transformation calldata t, uint32 productSeq, uint256 quantity, Merged memory m) private {
        (bool ok, uint256 asInput) = _convert(productSeq, quantity, t.outputUom, m.uom);
        if (!ok || asInput > m.giInput) revert TraceLedgerGiMassNotBacked(t.giCertificate, m.giInput, asInput);
        _label(t.giCertificate, productSeq, t.outputUom, quantity);
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

    /// @dev The supply-chain role `account` holds now: a receiver of a shipment must be one.
    function _supplyChainRole(address account) private view returns (uint8) {
        if (_holds(Roles.LOGISTICS, account)) return uint8(Roles.LOGISTICS);
        if (_holds(Roles.RETAILER, account)) return uint8(Roles.RETAILER);
        if (_holds(Roles.PRODUCER, account)) return uint8(Roles.PRODUCER);
        revert TraceLedgerNotSupplyChainOrg(account);
    }

    /// @dev An event's time is not ahead of the block beyond the skew; its id, when it has one, is recorded
    /// once by the caller (ids are kept per organisation).
    function _checkContext(Context calldata context) private {
        if (context.eventTime > block.timestamp + MAX_CLOCK_SKEW) {
            revert TraceLedgerEventInFuture(context.eventTime, block.timestamp);
        }
        bytes32 eventId = context.eventId;
        if (eventId != bytes32(0)) {
            EventRecord storage e = _events[msg.sender][eventId];
            if (e.org != address(0)) revert TraceLedgerEventRecorded(eventId, msg.sender);
            e.org = msg.sender;
        }
    }

    /// @dev `_checkContext`, and the event is not before the batch's last event beyond the skew; it becomes the
    /// batch's last event time if it is later.
    function _checkEvent(bytes32 id, Batch storage b, Context calldata context) private {
        _checkContext(context);
        _checkOrder(id, b, context.eventTime);
    }

    function _checkOrder(bytes32 id, Batch storage b, uint64 eventTime) private {
        uint64 last = b.lastEventTime;
        if (uint256(eventTime) + MAX_CLOCK_SKEW < last) revert TraceLedgerEventOutOfOrder(id, eventTime, last);
        if (eventTime > last) b.lastEventTime = eventTime;
    }

    /// @dev The quantity the event states, in the batch's unit (converted by the product's declared
    /// conversion when stated in another unit), or the batch's whole quantity when it states none.
    function _stated(bytes32 id, Batch storage b, Context calldata context) private view returns (uint256 q) {
        if (context.quantity == 0) return b.quantity;
        bytes3 uom = context.uom == bytes3(0) ? b.uom : context.uom;
        bool ok;
        (ok, q) = _convert(b.productSeq, context.quantity, uom, b.uom);
        if (!ok) revert TraceLedgerUnitMismatch(id, uom, b.uom);
        if (q == 0) revert TraceLedgerZeroQuantity();
    }

    /// @dev `_stated`, at most what the batch holds.
    function _held(bytes32 id, Batch storage b, Context calldata context) private view returns (uint256 q) {
        q = _stated(id, b, context);
        if (q > b.quantity) revert TraceLedgerQuantityTooLarge(q, b.quantity);
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
}
