// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";

import {IReliefLedger} from "../interfaces/IReliefLedger.sol";
import {IReliefReceipts} from "../interfaces/IReliefReceipts.sol";

/**
 * @title ReliefReceipts
 * @notice Binds the hashes of relief payments' receipt codes to the payments (see IReliefReceipts).
 * @dev `bindReceipt` is `restricted` (public in the wiring, so the emergency brake and a suspension
 * through the manager still stop it); who may bind is a domain rule checked here against the relief
 * ledger: the disbursement's proposer. Storage is two append-only maps, written once per key.
 */
contract ReliefReceipts is IReliefReceipts, AccessManaged {
    // ---------------------------------------------------------------- storage

    IReliefLedger private immutable RELIEF_LEDGER;
    /// @dev receipt hash → disbursement id.
    mapping(bytes32 receiptHash => bytes32) private _disbursementOf;
    /// @dev disbursement id → receipt hash.
    mapping(bytes32 disbursementId => bytes32) private _receiptOf;

    constructor(address manager, IReliefLedger reliefLedger) AccessManaged(manager) {
        RELIEF_LEDGER = reliefLedger;
    }

    // ---------------------------------------------------------------- access

    /// @dev A call relayed by `AccessManager.execute` arrives with the manager as `msg.sender`: it is
    /// refused before the manager's own check, which would let it through.
    function _checkCanCall(address caller, bytes calldata data) internal override {
        if (caller == authority()) revert ReliefReceiptsRelayedCall(caller, bytes4(data[0:4]));
        super._checkCanCall(caller, data);
    }

    // ---------------------------------------------------------------- writes

    /// @inheritdoc IReliefReceipts
    function bindReceipt(bytes32 disbursementId, bytes32 receiptHash) external restricted {
        if (receiptHash == bytes32(0)) revert ReliefReceiptsZeroHash();
        IReliefLedger.Disbursement memory d = RELIEF_LEDGER.disbursement(disbursementId);
        if (d.status == IReliefLedger.DisbursementStatus.None) {
            revert ReliefReceiptsUnknownDisbursement(disbursementId);
        }
        if (d.kind != IReliefLedger.RecipientKind.Beneficiary) {
            revert ReliefReceiptsNotBeneficiaryPayment(disbursementId);
        }
        if (d.holder != msg.sender) revert ReliefReceiptsNotProposer(disbursementId, d.holder, msg.sender);
        if (d.status == IReliefLedger.DisbursementStatus.Rejected) revert ReliefReceiptsRejected(disbursementId);
        bytes32 bound = _receiptOf[disbursementId];
        if (bound != bytes32(0)) revert ReliefReceiptsAlreadyBound(disbursementId, bound);
        bytes32 taken = _disbursementOf[receiptHash];
        if (taken != bytes32(0)) revert ReliefReceiptsReceiptTaken(receiptHash, taken);
        _receiptOf[disbursementId] = receiptHash;
        _disbursementOf[receiptHash] = disbursementId;
        emit ReceiptBound(receiptHash, disbursementId, msg.sender, RELIEF_LEDGER.programmeIdAt(d.programmeSeq));
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IReliefReceipts
    function ledger() external view returns (address) {
        return address(RELIEF_LEDGER);
    }

    /// @inheritdoc IReliefReceipts
    function disbursementOf(bytes32 receiptHash) external view returns (bytes32) {
        return _disbursementOf[receiptHash];
    }

    /// @inheritdoc IReliefReceipts
    function receiptOf(bytes32 disbursementId) external view returns (bytes32) {
        return _receiptOf[disbursementId];
    }
}
