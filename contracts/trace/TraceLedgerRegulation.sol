// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Roles} from "../access/Roles.sol";
import {ITraceLedger} from "../interfaces/ITraceLedger.sol";
import {TraceLedgerBase} from "./TraceLedgerBase.sol";

/**
 * @title TraceLedgerRegulation
 * @notice The regulation half of the trace ledger: products, GI certificates, unit conversions, inspection
 * results, event corrections and recalls. `TraceLedger` creates it in its constructor and runs its code by
 * delegatecall, on the ledger's storage and as the ledger (events come from the ledger's address), after its
 * own `restricted` check. Called directly, it acts on its own empty storage and is never read.
 */
contract TraceLedgerRegulation is TraceLedgerBase {
    uint256 private constant _MAX_CORRECTIVES = 32;

    /// @dev See ITraceLedger; the ledger checked the caller (`restricted`) before delegating.
    function registerProduct(
        bytes32 productCode,
        ITraceLedger.Category category,
        address producer,
        bool geographicIndication,
        bytes32 metadataHash
    ) external {
        if (_holds(Roles.MARKET_REGULATOR, msg.sender)) {
            if (!_holds(Roles.PRODUCER, producer)) revert ITraceLedger.TraceLedgerNotProducer(producer);
        } else if (producer != msg.sender || !_holds(Roles.PRODUCER, msg.sender)) {
            revert ITraceLedger.TraceLedgerUnauthorized(
                msg.sender,
                _holds(Roles.PRODUCER, msg.sender) ? Roles.MARKET_REGULATOR : Roles.PRODUCER
            );
        }
        _checkCode(productCode);
        ITraceLedger.Product storage p = _products[productCode];
        if (p.seq != 0) revert ITraceLedger.TraceLedgerProductExists(productCode);
        // ITraceLedger.Product sequence numbers are uint32: the last one is refused rather than wrapped to 0.
        if (_productCodes.length >= type(uint32).max) {
            revert ITraceLedger.TraceLedgerBadCount(_productCodes.length, 0, type(uint32).max - 1);
        }
        _productCodes.push(productCode);
        p.producer = producer;
        p.category = category;
        p.geographicIndication = geographicIndication;
        p.seq = uint32(_productCodes.length);
        emit ITraceLedger.ProductRegistered(
            productCode,
            producer,
            msg.sender,
            category,
            geographicIndication,
            metadataHash
        );
    }

    /// @dev See ITraceLedger; the ledger checked the caller (`restricted`) before delegating.
    function correctProduct(
        bytes32 productCode,
        ITraceLedger.Category category,
        address producer,
        bytes32 reasonHash
    ) external {
        ITraceLedger.Product storage p = _product(productCode);
        if (!_holds(Roles.PRODUCER, producer)) revert ITraceLedger.TraceLedgerNotProducer(producer);
        if (reasonHash == bytes32(0)) revert ITraceLedger.TraceLedgerZeroHash();
        address previousProducer = p.producer;
        ITraceLedger.Category previousCategory = p.category;
        if (previousProducer == producer && previousCategory == category) {
            revert ITraceLedger.TraceLedgerNothingToCorrect(productCode, category, producer);
        }
        p.producer = producer;
        p.category = category;
        emit ITraceLedger.ProductCorrected(
            productCode,
            producer,
            msg.sender,
            category,
            previousProducer,
            previousCategory,
            reasonHash
        );
    }

    /// @dev See ITraceLedger; the ledger checked the caller (`restricted`) before delegating.
    function setInspectionRequired(ITraceLedger.Category category, bool required) external {
        uint8 bit = uint8(1 << uint8(category));
        _inspectionMask = required ? _inspectionMask | bit : _inspectionMask & ~bit;
        emit ITraceLedger.InspectionRequirementSet(category, required, msg.sender);
    }

    /// @dev See ITraceLedger; the ledger checked the caller (`restricted`) before delegating.
    function issueGiCertificate(
        address producer,
        bytes32 productCode,
        bytes3 uom,
        uint128 ceiling,
        uint64 validUntil,
        bytes32 documentHash
    ) external returns (uint32 certificateId) {
        ITraceLedger.Product storage p = _product(productCode);
        if (!p.geographicIndication) revert ITraceLedger.TraceLedgerNotGiProduct(productCode);
        if (p.producer != producer)
            revert ITraceLedger.TraceLedgerNotProductProducer(productCode, producer, p.producer);
        if (!_holds(Roles.PRODUCER, producer)) revert ITraceLedger.TraceLedgerNotProducer(producer);
        _checkUnit(uom);
        if (ceiling == 0) revert ITraceLedger.TraceLedgerZeroQuantity();
        if (validUntil <= block.timestamp) revert ITraceLedger.TraceLedgerInvalidValidity(validUntil);
        if (documentHash == bytes32(0)) revert ITraceLedger.TraceLedgerZeroHash();
        if (_giCertificates.length >= type(uint32).max) {
            revert ITraceLedger.TraceLedgerBadCount(_giCertificates.length, 0, type(uint32).max - 1);
        }
        _giCertificates.push(
            ITraceLedger.GiCertificate({
                producer: producer,
                productSeq: p.seq,
                uom: uom,
                validUntil: validUntil,
                ceiling: ceiling,
                labelled: 0
            })
        );
        certificateId = uint32(_giCertificates.length);
        _giSeasonStart[certificateId] = uint64(block.timestamp);
        emit ITraceLedger.GiCertificateIssued(
            certificateId,
            producer,
            productCode,
            uom,
            ceiling,
            validUntil,
            documentHash
        );
    }

    /// @dev See ITraceLedger; the ledger checked the caller (`restricted`) before delegating.
    function declareConversion(bytes32 productCode, bytes3 from, bytes3 to, uint64 ppm) external {
        ITraceLedger.Product storage p = _product(productCode);
        if (p.producer != msg.sender)
            revert ITraceLedger.TraceLedgerNotProductProducer(productCode, msg.sender, p.producer);
        _checkUnit(from);
        _checkUnit(to);
        if (from == to) revert ITraceLedger.TraceLedgerUnitMismatch(productCode, from, to);
        if (ppm == 0) revert ITraceLedger.TraceLedgerZeroRatio();
        uint32 seq = p.seq;
        uint64 existing = _conversions[seq][from][to];
        if (existing == 0) existing = _conversions[seq][to][from];
        if (existing != 0) revert ITraceLedger.TraceLedgerConversionExists(productCode, from, to, existing);
        _conversions[seq][from][to] = ppm;
        emit ITraceLedger.UnitConversionDeclared(productCode, msg.sender, from, to, ppm);
    }

    /// @dev See ITraceLedger; the ledger checked the caller (`restricted`) before delegating.
    function correctEvent(bytes32 eventId, uint8 reason, bytes32[] calldata correctiveIds) external {
        // Only what the caller recorded: another organisation's event of the same id is not the caller's to correct.
        ITraceLedger.EventRecord storage e = _events[msg.sender][eventId];
        if (e.org == address(0)) revert ITraceLedger.TraceLedgerUnknownEvent(eventId, msg.sender);
        if (e.corrected) revert ITraceLedger.TraceLedgerEventAlreadyCorrected(eventId);
        // Corrective events are named, not required on chain yet: EPCIS lists them after the declaration (GS1's own
        // example), possibly recorded by another party; the explorer shows which of them the chain holds.
        uint256 n = correctiveIds.length;
        if (n > _MAX_CORRECTIVES) revert ITraceLedger.TraceLedgerBadCount(n, 0, _MAX_CORRECTIVES);
        e.corrected = true;
        emit ITraceLedger.EventCorrected(eventId, msg.sender, reason, correctiveIds);
    }

    /// @dev See ITraceLedger; the ledger checked the caller (`restricted`) before delegating.
    function certify(bytes32 id, bool passed, uint64 validUntil, bytes32 reportHash) external {
        ITraceLedger.Batch storage b = _existing(id);
        ITraceLedger.BatchStatus status = b.status;
        if (status != ITraceLedger.BatchStatus.Active && status != ITraceLedger.BatchStatus.InTransit)
            revert ITraceLedger.TraceLedgerWrongStatus(id, status);
        if (reportHash == bytes32(0)) revert ITraceLedger.TraceLedgerZeroHash();
        if (passed && validUntil <= block.timestamp) revert ITraceLedger.TraceLedgerInvalidValidity(validUntil);
        if (!passed) {
            b.cert = ITraceLedger.CertResult.Failed;
            b.certValidUntil = 0;
        } else if (b.cert == ITraceLedger.CertResult.Failed) {
            // A fail stands until the regulator orders a re-inspection (allowReinspection).
            revert ITraceLedger.TraceLedgerFailedInspectionStands(id, msg.sender);
        } else {
            // Passes add up: a later pass may extend the validity, never shorten another lab's.
            b.cert = ITraceLedger.CertResult.Passed;
            if (validUntil > b.certValidUntil) b.certValidUntil = validUntil;
        }
        emit ITraceLedger.CertificateRecorded(id, msg.sender, passed, passed ? validUntil : 0, reportHash);
    }

    /// @dev See ITraceLedger; the ledger checked the caller (`restricted`) before delegating.
    function allowReinspection(bytes32 id, bytes32 decisionHash) external {
        ITraceLedger.Batch storage b = _existing(id);
        if (b.cert != ITraceLedger.CertResult.Failed) revert ITraceLedger.TraceLedgerNotFailed(id, b.cert);
        if (decisionHash == bytes32(0)) revert ITraceLedger.TraceLedgerZeroHash();
        b.cert = ITraceLedger.CertResult.None;
        emit ITraceLedger.ReinspectionAllowed(id, msg.sender, decisionHash);
    }

    /// @dev See ITraceLedger; the ledger checked the caller (`restricted`) before delegating.
    function recall(bytes32 id, bytes32 reasonHash) external returns (uint32 recallId) {
        ITraceLedger.Batch storage b = _existing(id);
        if (b.recalled) revert ITraceLedger.TraceLedgerAlreadyRecalled(id);
        if (reasonHash == bytes32(0)) revert ITraceLedger.TraceLedgerZeroHash();
        if (_recalls.length >= type(uint24).max)
            revert ITraceLedger.TraceLedgerBadCount(_recalls.length, 0, type(uint24).max - 1);
        b.recalled = true;
        // Everything the batch was made with: what it holds, and what it sold, destroyed or shipped off in part.
        ITraceLedger.Flows storage f = _flows[id];
        uint128 affected = _toQuantity(uint256(b.quantity) + f.sold + f.destroyed + f.shippedOff);
        _recalls.push(
            ITraceLedger.Recall({batchId: id, uom: b.uom, acknowledgements: 0, affected: affected, accounted: 0})
        );
        recallId = uint32(_recalls.length);
        emit ITraceLedger.BatchRecalled(recallId, id, msg.sender, affected, b.uom, reasonHash);
    }

    /// @dev See ITraceLedger; the ledger checked the caller (`restricted`) before delegating.
    function acknowledgeRecall(
        uint32 recallId,
        bytes32 id,
        ITraceLedger.RecallAction action,
        uint128 quantity,
        bytes32 evidenceHash
    ) external {
        if (recallId == 0 || recallId > _recalls.length) revert ITraceLedger.TraceLedgerUnknownRecall(recallId);
        if (action == ITraceLedger.RecallAction.None) revert ITraceLedger.TraceLedgerInvalidAction();
        // The custodian, even suspended: accounting for recalled goods is owed whatever the holder's
        // standing, and a suspended holder's report is still its own (see ITraceLedger.acknowledgeRecall).
        ITraceLedger.Batch storage b = _existing(id);
        if (msg.sender != b.custodian) revert ITraceLedger.TraceLedgerNotCustodian(id, msg.sender, b.custodian);
        ITraceLedger.Recall storage r = _recalls[recallId - 1];
        uint256 bound = _acknowledgeOnce(recallId, id, b, action);
        if (quantity > bound) revert ITraceLedger.TraceLedgerQuantityTooLarge(quantity, bound);
        (bool found, uint256 converted) = _inRecallUnit(id, quantity, r.batchId);
        if (!found) revert ITraceLedger.TraceLedgerNotInRecall(recallId, id);
        // Acknowledgements of batches merged with other stock may add up to more than was recalled: the
        // total stops at `affected` (100 %), so no acknowledgement is refused because of others'.
        uint256 accounted = uint256(r.accounted) + converted;
        r.accounted = accounted < r.affected ? uint128(accounted) : r.affected;
        ++r.acknowledgements;
        if (action == ITraceLedger.RecallAction.Destroy) {
            ITraceLedger.Context memory ctx;
            ctx.eventTime = uint64(block.timestamp);
            ctx.evidenceHash = evidenceHash;
            ctx.quantity = quantity;
            emit ITraceLedger.BatchDestroyed(id, msg.sender, quantity, _destroy(id, b, quantity), ctx);
        }
        emit ITraceLedger.RecallAcknowledged(
            recallId,
            id,
            msg.sender,
            action,
            quantity,
            _toQuantity(converted),
            evidenceHash
        );
    }

    /// @dev Marks the acknowledgement of `id` for `recallId` (once for what it holds, once for what it sold at
    /// retail: `ReachedConsumer`) and returns its bound, in the batch's unit.
    function _acknowledgeOnce(
        uint32 recallId,
        bytes32 id,
        ITraceLedger.Batch storage b,
        ITraceLedger.RecallAction action
    ) private returns (uint256) {
        ITraceLedger.BatchStatus status = b.status;
        if (action == ITraceLedger.RecallAction.ReachedConsumer) {
            if (status != ITraceLedger.BatchStatus.Active && status != ITraceLedger.BatchStatus.RetailSold) {
                revert ITraceLedger.TraceLedgerWrongStatus(id, status);
            }
            if (_soldAcknowledged[recallId][id]) revert ITraceLedger.TraceLedgerAlreadyAcknowledged(recallId, id);
            _soldAcknowledged[recallId][id] = true;
            return _flows[id].sold + (status == ITraceLedger.BatchStatus.RetailSold ? b.quantity : 0);
        }
        if (status != ITraceLedger.BatchStatus.Active) revert ITraceLedger.TraceLedgerWrongStatus(id, status);
        if (_acknowledged[recallId][id]) revert ITraceLedger.TraceLedgerAlreadyAcknowledged(recallId, id);
        _acknowledged[recallId][id] = true;
        return b.quantity;
    }
}
