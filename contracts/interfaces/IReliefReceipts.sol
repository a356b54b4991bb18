// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IReliefReceipts
 * @notice Receipt codes of relief payments, so that a villager can check a payment without an ID number.
 * The village that proposes a beneficiary's payment draws a random receipt code (`RP-` and 80 random
 * bits in base32 with a check, see src/relief/receipt-code.ts), prints it on the payment notice it
 * keeps for the household (a file, never on chain) and binds the code's hash to the payment here.
 * Anyone holding the code finds the payment (amount, programme, period, approving department) by
 * hashing the code; nobody can enumerate codes (2^80 of them), and the hash tells nothing about the
 * household. A payment has at most one receipt and a receipt names one payment: bindings are never
 * changed or removed. Kept beside ReliefLedger rather than in it, which is near the EIP-170 size limit.
 */
interface IReliefReceipts {
    // ---------------------------------------------------------------- errors

    /// @notice Calls relayed through the AccessManager (`execute`) are refused: the manager would
    /// stand in as the village and hide who bound the receipt.
    error ReliefReceiptsRelayedCall(address manager, bytes4 selector);
    /// @notice The receipt hash is zero.
    error ReliefReceiptsZeroHash();
    /// @notice No disbursement `disbursementId` exists on the relief ledger.
    error ReliefReceiptsUnknownDisbursement(bytes32 disbursementId);
    /// @notice Disbursement `disbursementId` pays a relief project, not a beneficiary: receipts are for households.
    error ReliefReceiptsNotBeneficiaryPayment(bytes32 disbursementId);
    /// @notice Only the organisation that proposed the disbursement (`proposer`) binds its receipt, not `caller`.
    error ReliefReceiptsNotProposer(bytes32 disbursementId, address proposer, address caller);
    /// @notice Disbursement `disbursementId` was rejected or withdrawn: no receipt for a payment that is not made.
    error ReliefReceiptsRejected(bytes32 disbursementId);
    /// @notice Disbursement `disbursementId` already has receipt `receiptHash`: a binding is never changed.
    error ReliefReceiptsAlreadyBound(bytes32 disbursementId, bytes32 receiptHash);
    /// @notice Receipt `receiptHash` already names disbursement `disbursementId`: a code is used once.
    error ReliefReceiptsReceiptTaken(bytes32 receiptHash, bytes32 disbursementId);

    // ---------------------------------------------------------------- events

    /// @notice `by` (the proposing village or township) bound receipt `receiptHash` to disbursement
    /// `disbursementId` of programme `programmeId`.
    event ReceiptBound(
        bytes32 indexed receiptHash,
        bytes32 indexed disbursementId,
        address indexed by,
        bytes32 programmeId
    );

    // ---------------------------------------------------------------- writes

    /**
     * @notice Binds the hash of a payment's receipt code to the payment.
     * @dev Public in the wiring; the caller must be the disbursement's proposer (its holder), and the
     * disbursement a beneficiary payment that is proposed or approved. Emits {ReceiptBound}.
     * @param disbursementId The relief ledger's disbursement id.
     * @param receiptHash keccak256("zhixin-relief-receipt-v1" ‖ the code's 10 random bytes).
     */
    function bindReceipt(bytes32 disbursementId, bytes32 receiptHash) external;

    // ---------------------------------------------------------------- views

    /// @notice The relief ledger whose disbursements receipts name.
    function ledger() external view returns (address);

    /// @notice The disbursement receipt `receiptHash` names (zero: none).
    function disbursementOf(bytes32 receiptHash) external view returns (bytes32);

    /// @notice The receipt hash bound to disbursement `disbursementId` (zero: none).
    function receiptOf(bytes32 disbursementId) external view returns (bytes32);
}
