// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title ICharityLedger
 * @notice Charity donations (区块链+慈善捐赠): fundraising projects approved by civil affairs, cash and
 * goods donations recorded once per external reference, disbursements and goods dispatches confirmed by
 * the recipient, grants between projects, corrections co-signed by civil affairs, and statistics kept as
 * state so that a published report cannot disagree with the records.
 *
 * Money is in fen (分). A project's money is conserved:
 *   available = inflow - outflow, inflow = received + granted in, outflow = disbursed + granted out + reversed.
 * Events carry the project's cumulative inflow / outflow after each change, so the first-in first-out
 * trace of a donation to the outflows that used it needs no extra state.
 *
 * Bounds (no organisation can stop another's work, and no sequence of accepted calls overflows): one
 * record moves at most `MAX_AMOUNT` fen (2^48 - 1, about 2.8 trillion yuan) and a project's cumulative
 * inflow stays below 2^80. Every counter is a sum of at most 2^64 such records, so the uint128
 * counters per charity and in total cannot overflow; filling a project to its inflow bound would take
 * about 2^32 records of the largest amount.
 *
 * Decisions:
 * - A reversal returns the reversed donation's own money: it is refused once any outflow could have
 *   used it (the donation's inflow range must lie wholly at or above the project's cumulative outflow),
 *   so no other donor's trace changes. Corrections are made before the money is used; reversing the
 *   older of two donations first keeps both reversible.
 * - A goods donation is corrected the same way while nothing of the lot has been dispatched.
 * - A disbursement counts as spent when recorded (the bank transfer has been made); the recipient's
 *   confirmation is shown beside it and is not needed for it to count. It is not cancelled: money that
 *   comes back is a new donation or grant.
 * - A grant goes to any approved project without the receiving charity's consent, as any donation
 *   does; the bounds above keep a grant from blocking the receiver.
 */
interface ICharityLedger {
    enum ProjectStatus {
        None,
        Proposed,
        Approved,
        Closed
    }

    enum Channel {
        Bank,
        Alipay,
        Wechat,
        Cash,
        Other
    }

    enum Purpose {
        Programme,
        Administrative
    }

    enum DonationState {
        None,
        Recorded,
        ReversalProposed,
        Reversed
    }

    enum HandoverState {
        None,
        Pending,
        Confirmed
    }

    /// @notice A fundraising project.
    /// @dev Slot 0: charity + status + donationCount + outflowCount (the fields every write checks or bumps);
    /// slot 1: target + seq + received; slot 2: inflow + outflow; slot 3: disbursed + reversed.
    /// `outflowCount` (uint24) allows 16,777,215 disbursements, grants and reversals per project.
    struct Project {
        address charity;
        ProjectStatus status;
        uint64 donationCount;
        uint24 outflowCount;
        uint96 target;
        uint32 seq;
        uint128 received;
        uint128 inflow;
        uint128 outflow;
        uint128 disbursed;
        uint128 reversed;
    }

    /// @notice One cash donation of a batch (or of a single record).
    struct CashDonation {
        bytes32 refHash; // keccak256 of the external reference (bank transaction id, receipt number)
        uint128 amount; // fen, > 0
        bytes32 donorCommitment; // hash of donor name + salt, kept by the charity; never a name
        Channel channel;
        bytes32 evidenceHash;
        // the day the charity received it (its books' business date), in days since 1970-01-01; 0 when
        // the source does not say. Not after the day of recording (UTC) plus one (time zones).
        uint32 receivedOn;
    }

    /// @notice A donation in kind.
    struct GoodsDonation {
        bytes32 refHash;
        bytes32 itemCode; // e.g. a GTIN or the charity's item code
        uint96 quantity; // in `unit`, > 0
        bytes16 unit; // e.g. "箱", "kg" as UTF-8
        uint128 valuation; // fen
        bytes32 productBatchId; // traceability batch, or zero
        bytes32 donorCommitment;
        bytes32 evidenceHash;
    }

    /// @notice A donation record: the amount (fen) or quantity (goods), its project and state, and for
    /// cash the project's cumulative inflow before it (where its first-in first-out range starts).
    /// @dev One slot: amount + projectSeq + state + isGoods + inflowBefore (a project's inflow stays
    /// below 2^80, so it fits the slot the record writes anyway).
    struct Donation {
        uint128 amount;
        uint32 projectSeq;
        DonationState state;
        bool isGoods;
        uint80 inflowBefore;
    }

    /// @notice A goods lot (a goods donation): quantity received and dispatched so far, and its valuation.
    /// @dev Slot 0: quantity + dispatched + dispatchCount (what a dispatch reads and writes); slot 1:
    /// valuation, read only by a correction.
    struct Lot {
        uint96 quantity;
        uint96 dispatched;
        uint32 dispatchCount;
        uint128 valuation;
    }

    /// @notice A hand-over of money or goods awaiting or carrying the recipient's confirmation.
    /// @dev One slot: recipient + amount (fen or quantity) + state.
    struct Handover {
        address recipient;
        uint88 amount;
        HandoverState state;
    }

    /// @notice Counters per charity.
    struct CharityStats {
        uint128 received;
        uint128 programmeSpent;
        uint128 adminSpent;
        uint128 granted;
    }

    /// @notice Counters over all projects.
    struct Totals {
        uint128 received;
        uint128 reversed;
        uint128 programmeSpent;
        uint128 adminSpent;
        uint128 goodsValuation;
        uint64 donationCount;
        uint64 projectCount;
    }

    // ---------------------------------------------------------------- errors

    /// @notice `CharityLedger` refuses calls relayed through the AccessManager (`execute`): the
    /// manager would stand in as the acting organisation and hide who acted.
    error CharityLedgerRelayedCall(address manager, bytes4 selector);
    error CharityLedgerProjectExists(bytes32 projectId);
    /// @notice A project code must be 1 to 64 bytes of UTF-8; this one is `length` bytes.
    error CharityLedgerInvalidCode(uint256 length);
    error CharityLedgerUnknownProject(bytes32 projectId);
    error CharityLedgerWrongProjectStatus(bytes32 projectId, ProjectStatus status);
    error CharityLedgerNotProjectCharity(bytes32 projectId, address caller, address charity);
    error CharityLedgerUnauthorized(address caller, uint64 requiredRole);
    error CharityLedgerZeroAmount();
    /// @notice A donation's receipt date `receivedOn` (days since 1970-01-01) is after `latest`, the
    /// day after the day of recording: a receipt cannot be dated in the future.
    error CharityLedgerFutureDate(uint256 receivedOn, uint256 latest);
    /// @notice `amount` is above `max`: one record's amount above `MAX_AMOUNT`, or a project's
    /// cumulative inflow at or above 2^80.
    error CharityLedgerAmountTooLarge(uint256 amount, uint256 max);
    /// @notice A reversal of `donationId` is refused: outflows of its project (cumulative `outflow`) may
    /// have used it, since its first-in first-out range starts at `inflowBefore`.
    error CharityLedgerDonationUsed(bytes32 donationId, uint256 inflowBefore, uint256 outflow);
    /// @notice A correction of goods lot `lotId` is refused: `dispatched` of it have been handed over.
    error CharityLedgerGoodsDispatched(bytes32 lotId, uint256 dispatched);
    error CharityLedgerDuplicateDonation(bytes32 donationId);
    error CharityLedgerUnknownDonation(bytes32 donationId);
    error CharityLedgerWrongDonationState(bytes32 donationId, DonationState state);
    error CharityLedgerNotGoods(bytes32 donationId);
    error CharityLedgerInsufficientBalance(bytes32 projectId, uint256 available, uint256 requested);
    error CharityLedgerInsufficientGoods(bytes32 lotId, uint256 remaining, uint256 requested);
    error CharityLedgerNotRecipient(address account);
    error CharityLedgerUnknownHandover(bytes32 handoverId);
    error CharityLedgerNotHandoverRecipient(bytes32 handoverId, address caller, address recipient);
    error CharityLedgerAlreadyConfirmed(bytes32 handoverId);
    error CharityLedgerSameProject(bytes32 projectId);
    error CharityLedgerPeriodPublished(bytes32 periodId);

    // ---------------------------------------------------------------- events

    /// @notice A charity proposed a project under its public `code` (`codeHash` = keccak256 of it, to find
    /// a project by code); `projectId` = projectIdOf(charity, code).
    event ProjectProposed(
        bytes32 indexed projectId,
        address indexed charity,
        bytes32 indexed codeHash,
        string code,
        uint256 target,
        bytes32 permitHash,
        bytes32 metadataHash
    );
    event ProjectApproved(bytes32 indexed projectId, address indexed by);
    event ProjectClosed(bytes32 indexed projectId, address indexed by, uint256 available);

    /// @notice A cash donation; `inflowAfter` is the project's cumulative inflow including it; `receivedOn`
    /// the day the charity received it (days since 1970-01-01; 0: not stated, the block's day stands in).
    event DonationRecorded(
        bytes32 indexed donationId,
        bytes32 indexed projectId,
        address indexed by,
        bytes32 refHash,
        uint256 amount,
        bytes32 donorCommitment,
        Channel channel,
        bytes32 evidenceHash,
        uint256 inflowAfter,
        uint32 receivedOn
    );
    event GoodsRecorded(bytes32 indexed lotId, bytes32 indexed projectId, address indexed by, GoodsDonation goods);
    event GoodsDispatched(
        bytes32 indexed dispatchId,
        bytes32 indexed lotId,
        address indexed recipient,
        address by,
        uint256 quantity,
        bytes32 evidenceHash
    );
    event GoodsReceiptConfirmed(bytes32 indexed dispatchId, address indexed recipient, bytes32 receiptHash);

    /// @notice Money paid out of a project; `outflowAfter` is the project's cumulative outflow including it.
    event Disbursed(
        bytes32 indexed disbursementId,
        bytes32 indexed projectId,
        address indexed recipient,
        address by,
        Purpose purpose,
        uint256 amount,
        bytes32 evidenceHash,
        uint256 outflowAfter
    );
    event DisbursementConfirmed(bytes32 indexed disbursementId, address indexed recipient, bytes32 receiptHash);

    /// @notice Money passed between projects, conserved on both sides.
    event Granted(
        bytes32 indexed fromProjectId,
        bytes32 indexed toProjectId,
        address indexed by,
        uint256 amount,
        bytes32 evidenceHash,
        uint256 fromOutflowAfter,
        uint256 toInflowAfter
    );

    event ReversalProposed(
        bytes32 indexed donationId,
        bytes32 indexed projectId,
        address indexed by,
        bytes32 reasonHash
    );
    event ReversalRejected(
        bytes32 indexed donationId,
        bytes32 indexed projectId,
        address indexed by,
        bytes32 reasonHash
    );
    /// @notice A donation recorded in error was reversed (co-signed by civil affairs); its own money leaves
    /// the project: the inflow range [inflowBefore, inflowBefore + amount), which no outflow had reached.
    event DonationReversed(
        bytes32 indexed donationId,
        bytes32 indexed projectId,
        address indexed by,
        uint256 amount,
        uint256 inflowBefore,
        uint256 outflowAfter
    );

    /// @notice A goods donation recorded in error was reversed (co-signed by civil affairs) before any of
    /// it was dispatched; its quantity and valuation leave the counters.
    event GoodsReversed(
        bytes32 indexed lotId,
        bytes32 indexed projectId,
        address indexed by,
        uint256 quantity,
        uint256 valuation
    );

    /// @notice Civil affairs published a statistics report; the totals are the on-chain counters at that moment.
    event StatisticsPublished(bytes32 indexed periodId, address indexed by, bytes32 reportHash, Totals totals);

    // ---------------------------------------------------------------- writes

    /// @notice A charity proposes a fundraising project under its public code (e.g. "JM-FLOOD-2026").
    /// Codes are namespaced by charity: the project's id is projectIdOf(charity, code), so no other
    /// charity can take a code first (front-running or squatting). Restricted to CHARITY.
    /// Emits {ProjectProposed}.
    /// @param code the project's public code, 1 to 64 bytes of UTF-8 (public: a name, never personal data)
    /// @param permitHash hash of the fundraising permit / filing (公开募捐资格、备案)
    function proposeProject(
        string calldata code,
        uint96 target,
        bytes32 permitHash,
        bytes32 metadataHash
    ) external returns (bytes32 projectId);

    /// @notice Civil affairs approves a proposed project. Restricted to CIVIL_AFFAIRS. Emits {ProjectApproved}.
    function approveProject(bytes32 projectId) external;

    /// @notice The project's charity or civil affairs closes it to new donations; it may still pay out
    /// what it holds. Emits {ProjectClosed}.
    function closeProject(bytes32 projectId) external;

    /// @notice Records one cash donation; reverts if its id exists. By the project's charity or civil
    /// affairs. Emits {DonationRecorded}.
    function recordDonation(bytes32 projectId, CashDonation calldata donation) external returns (bytes32 donationId);

    /// @notice Records many cash donations to one project, skipping ids recorded already.
    /// By the project's charity or civil affairs. Emits {DonationRecorded} for each new one.
    /// @return recorded how many were new
    function recordDonations(bytes32 projectId, CashDonation[] calldata donations) external returns (uint256 recorded);

    /// @notice Records a donation in kind as a lot; reverts if its id exists. Emits {GoodsRecorded}.
    function recordGoods(bytes32 projectId, GoodsDonation calldata goods) external returns (bytes32 lotId);

    /// @notice The project's charity dispatches part of a lot to a registered recipient. Restricted to
    /// CHARITY. Emits {GoodsDispatched}.
    function dispatchGoods(
        bytes32 lotId,
        address recipient,
        uint88 quantity,
        bytes32 evidenceHash
    ) external returns (bytes32 dispatchId);

    /// @notice The recipient confirms receipt of a dispatch. Restricted to RECIPIENT. Emits {GoodsReceiptConfirmed}.
    function confirmGoodsReceipt(bytes32 dispatchId, bytes32 receiptHash) external;

    /// @notice The project's charity pays a registered recipient. Restricted to CHARITY. Emits {Disbursed}.
    function disburse(
        bytes32 projectId,
        address recipient,
        Purpose purpose,
        uint88 amount,
        bytes32 evidenceHash
    ) external returns (bytes32 disbursementId);

    /// @notice The recipient confirms receipt of a disbursement. Restricted to RECIPIENT.
    /// Emits {DisbursementConfirmed}.
    function confirmDisbursement(bytes32 disbursementId, bytes32 receiptHash) external;

    /// @notice The charity of `fromProjectId` passes money to another approved project. Restricted to
    /// CHARITY. Emits {Granted}.
    function grant(bytes32 fromProjectId, bytes32 toProjectId, uint128 amount, bytes32 evidenceHash) external;

    /// @notice The project's charity proposes reversing a donation recorded in error: cash no outflow
    /// can have used yet, or goods none of which were dispatched. Restricted to CHARITY. Emits {ReversalProposed}.
    function proposeReversal(bytes32 donationId, bytes32 reasonHash) external;

    /// @notice Civil affairs approves a proposed reversal; refused if an outflow may have used the cash
    /// (or goods were dispatched) meanwhile. Restricted to CIVIL_AFFAIRS. Emits {DonationReversed} for
    /// cash, {GoodsReversed} for goods.
    function approveReversal(bytes32 donationId) external;

    /// @notice Civil affairs rejects a proposed reversal. Restricted to CIVIL_AFFAIRS. Emits {ReversalRejected}.
    function rejectReversal(bytes32 donationId, bytes32 reasonHash) external;

    /// @notice Civil affairs publishes a statistics report for a period. Restricted to CIVIL_AFFAIRS.
    /// Emits {StatisticsPublished}.
    function publishStatistics(bytes32 periodId, bytes32 reportHash) external;

    // ---------------------------------------------------------------- views

    /// @notice The largest amount (fen) or valuation one record may carry: 2^48 - 1.
    function MAX_AMOUNT() external view returns (uint256);

    function project(bytes32 projectId) external view returns (Project memory);

    /// @notice Money the project holds now: inflow - outflow.
    function available(bytes32 projectId) external view returns (uint256);

    function projectIdAt(uint256 seq) external view returns (bytes32);

    function donation(bytes32 donationId) external view returns (Donation memory);

    function lot(bytes32 lotId) external view returns (Lot memory);

    function disbursement(bytes32 disbursementId) external view returns (Handover memory);

    function dispatch(bytes32 dispatchId) external view returns (Handover memory);

    function charityStats(address charity) external view returns (CharityStats memory);

    function totals() external view returns (Totals memory);

    /// @notice The id of `charity`'s project with public `code`: keccak256(abi.encode(charity, keccak256(code))).
    function projectIdOf(address charity, string calldata code) external pure returns (bytes32);

    /// @notice The id a donation with `refHash` gets in a project of `charity`.
    function donationId(address charity, bytes32 refHash) external pure returns (bytes32);
}
