// SPDX-License-Identifier: Apache-2.0
// solhint-disable one-contract-per-file
pragma solidity ^0.8.24;

/**
 * @title StoreEverythingCharity
 * @notice Benchmark baseline only, never deployed: a charity ledger written the way most open-source
 * charity contracts are (every field of every donation and disbursement in a struct in storage, arrays
 * of records and per-project index lists, getters over them, a small event). It keeps the same
 * information as Zhixin Ledger's CharityLedger (commitments and hashes, no personal data) and the
 * same rules that make it comparable (unique donation ids, balance check, recipient confirmation).
 * @dev Its permission check is a plain `mapping(address => bool)`, cheaper than Zhixin Ledger's call to
 * the AccessManager hub, so the comparison is, if anything, in the baseline's favour.
 */
contract StoreEverythingCharity {
    struct Project {
        bytes32 id;
        address charity;
        uint256 target;
        uint256 received;
        uint256 disbursed;
        uint256 donationCount;
        bool approved;
    }

    struct Donation {
        bytes32 id;
        bytes32 projectId;
        bytes32 refHash;
        uint256 amount;
        bytes32 donorCommitment;
        uint8 channel;
        address recordedBy;
        bytes32 evidenceHash;
        uint256 timestamp;
    }

    struct DonationInput {
        bytes32 refHash;
        uint128 amount;
        bytes32 donorCommitment;
        uint8 channel;
        bytes32 evidenceHash;
    }

    struct Disbursement {
        bytes32 id;
        bytes32 projectId;
        address recipient;
        address charity;
        uint8 purpose;
        uint256 amount;
        bytes32 evidenceHash;
        uint256 timestamp;
        bool confirmed;
        bytes32 receiptHash;
        uint256 confirmedAt;
    }

    error StoreEverythingCharityUnauthorized(address caller);
    error StoreEverythingCharityDuplicate(bytes32 donationId);
    error StoreEverythingCharityInsufficientBalance(uint256 available, uint256 requested);
    error StoreEverythingCharityNotRecipient(address caller);

    event DonationRecorded(bytes32 indexed donationId, bytes32 indexed projectId, uint256 amount);
    event Disbursed(
        bytes32 indexed disbursementId,
        bytes32 indexed projectId,
        address indexed recipient,
        uint256 amount
    );
    event DisbursementConfirmed(bytes32 indexed disbursementId, address indexed recipient);

    mapping(address account => bool) public isCharity;
    mapping(address account => bool) public isRecipient;
    mapping(bytes32 projectId => Project) public projects;
    Donation[] public donations;
    mapping(bytes32 donationId => uint256 indexPlusOne) public donationIndex;
    mapping(bytes32 projectId => uint256[] indices) public projectDonations;
    Disbursement[] public disbursements;
    mapping(bytes32 disbursementId => uint256 indexPlusOne) public disbursementIndex;
    mapping(bytes32 projectId => uint256[] indices) public projectDisbursements;
    mapping(address charity => uint256) public totalReceivedBy;
    uint256 public totalReceived;
    uint256 public totalDisbursed;

    constructor(address[] memory charities, address[] memory recipients) {
        for (uint256 i = 0; i < charities.length; ++i) isCharity[charities[i]] = true;
        for (uint256 i = 0; i < recipients.length; ++i) isRecipient[recipients[i]] = true;
    }

    function createProject(bytes32 id, uint256 target) external {
        if (!isCharity[msg.sender]) revert StoreEverythingCharityUnauthorized(msg.sender);
        projects[id] = Project(id, msg.sender, target, 0, 0, 0, true);
    }

    function recordDonation(bytes32 projectId, DonationInput calldata d) external returns (bytes32 id) {
        if (!isCharity[msg.sender]) revert StoreEverythingCharityUnauthorized(msg.sender);
        id = _record(projectId, d);
    }

    function recordDonations(bytes32 projectId, DonationInput[] calldata ds) external returns (uint256 recorded) {
        if (!isCharity[msg.sender]) revert StoreEverythingCharityUnauthorized(msg.sender);
        for (uint256 i = 0; i < ds.length; ++i) {
            _record(projectId, ds[i]);
            ++recorded;
        }
    }

    function disburse(
        bytes32 projectId,
        address recipient,
        uint8 purpose,
        uint256 amount,
        bytes32 evidenceHash
    ) external returns (bytes32 id) {
        Project storage p = projects[projectId];
        if (p.charity != msg.sender) revert StoreEverythingCharityUnauthorized(msg.sender);
        if (!isRecipient[recipient]) revert StoreEverythingCharityNotRecipient(recipient);
        uint256 balance = p.received - p.disbursed;
        if (amount > balance) revert StoreEverythingCharityInsufficientBalance(balance, amount);
        id = keccak256(abi.encode(projectId, disbursements.length));
        disbursements.push(
            Disbursement(
                id,
                projectId,
                recipient,
                msg.sender,
                purpose,
                amount,
                evidenceHash,
                block.timestamp,
                false,
                bytes32(0),
                0
            )
        );
        disbursementIndex[id] = disbursements.length;
        projectDisbursements[projectId].push(disbursements.length - 1);
        p.disbursed += amount;
        totalDisbursed += amount;
        emit Disbursed(id, projectId, recipient, amount);
    }

    function confirmDisbursement(bytes32 id, bytes32 receiptHash) external {
        Disbursement storage d = disbursements[disbursementIndex[id] - 1];
        if (d.recipient != msg.sender || d.confirmed) revert StoreEverythingCharityNotRecipient(msg.sender);
        d.confirmed = true;
        d.receiptHash = receiptHash;
        d.confirmedAt = block.timestamp;
        emit DisbursementConfirmed(id, msg.sender);
    }

    function donationCount() external view returns (uint256) {
        return donations.length;
    }

    function _record(bytes32 projectId, DonationInput calldata d) private returns (bytes32 id) {
        Project storage p = projects[projectId];
        if (!p.approved) revert StoreEverythingCharityUnauthorized(msg.sender);
        id = keccak256(abi.encode(p.charity, d.refHash));
        if (donationIndex[id] != 0) revert StoreEverythingCharityDuplicate(id);
        donations.push(
            Donation(
                id,
                projectId,
                d.refHash,
                d.amount,
                d.donorCommitment,
                d.channel,
                msg.sender,
                d.evidenceHash,
                block.timestamp
            )
        );
        donationIndex[id] = donations.length;
        projectDonations[projectId].push(donations.length - 1);
        p.received += d.amount;
        ++p.donationCount;
        totalReceivedBy[p.charity] += d.amount;
        totalReceived += d.amount;
        emit DonationRecorded(id, projectId, d.amount);
    }
}

/**
 * @title StoreEverythingTrace
 * @notice Benchmark baseline only: a traceability contract in the common open-source style, where
 * every batch is a struct and every event of its history is pushed, field by field, to a per-batch
 * array in storage.
 */
contract StoreEverythingTrace {
    struct Batch {
        bytes32 id;
        bytes32 productCode;
        bytes32 lotCode;
        uint256 quantity;
        bytes3 uom;
        address producer;
        address owner;
        address pendingOwner;
        uint8 status;
        uint256 createdAt;
    }

    struct HistoryEntry {
        uint8 bizStep;
        address org;
        uint64 location;
        uint64 eventTime;
        bytes32 evidenceHash;
        uint256 timestamp;
    }

    error StoreEverythingTraceUnauthorized(address caller);

    event BatchEvent(bytes32 indexed batchId, address indexed org, uint8 indexed bizStep);

    mapping(address account => bool) public isMember;
    mapping(bytes32 batchId => Batch) public batches;
    bytes32[] public batchIds;
    mapping(bytes32 batchId => HistoryEntry[]) public history;

    constructor(address[] memory members) {
        for (uint256 i = 0; i < members.length; ++i) isMember[members[i]] = true;
    }

    function commissionBatch(
        bytes32 productCode,
        bytes32 lotCode,
        uint256 quantity,
        bytes3 uom,
        uint64 location,
        uint64 eventTime,
        bytes32 evidenceHash
    ) external returns (bytes32 id) {
        if (!isMember[msg.sender]) revert StoreEverythingTraceUnauthorized(msg.sender);
        id = keccak256(abi.encode(productCode, lotCode));
        if (batches[id].owner != address(0)) revert StoreEverythingTraceUnauthorized(msg.sender);
        batches[id] = Batch(
            id,
            productCode,
            lotCode,
            quantity,
            uom,
            msg.sender,
            msg.sender,
            address(0),
            1,
            block.timestamp
        );
        batchIds.push(id);
        _log(id, 1, location, eventTime, evidenceHash);
    }

    function recordEvent(bytes32 id, uint8 bizStep, uint64 location, uint64 eventTime, bytes32 evidenceHash) external {
        if (batches[id].owner != msg.sender) revert StoreEverythingTraceUnauthorized(msg.sender);
        _log(id, bizStep, location, eventTime, evidenceHash);
    }

    function ship(bytes32 id, address to, uint64 location, uint64 eventTime, bytes32 evidenceHash) external {
        Batch storage b = batches[id];
        if (b.owner != msg.sender || !isMember[to]) revert StoreEverythingTraceUnauthorized(msg.sender);
        b.pendingOwner = to;
        b.status = 2;
        _log(id, 22, location, eventTime, evidenceHash);
    }

    function accept(bytes32 id, uint64 location, uint64 eventTime, bytes32 evidenceHash) external {
        Batch storage b = batches[id];
        if (b.pendingOwner != msg.sender) revert StoreEverythingTraceUnauthorized(msg.sender);
        b.owner = msg.sender;
        b.pendingOwner = address(0);
        b.status = 1;
        _log(id, 23, location, eventTime, evidenceHash);
    }

    function historyLength(bytes32 id) external view returns (uint256) {
        return history[id].length;
    }

    function _log(bytes32 id, uint8 bizStep, uint64 location, uint64 eventTime, bytes32 evidenceHash) private {
        history[id].push(HistoryEntry(bizStep, msg.sender, location, eventTime, evidenceHash, block.timestamp));
        emit BatchEvent(id, msg.sender, bizStep);
    }
}
