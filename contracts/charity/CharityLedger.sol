// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {Roles} from "../access/Roles.sol";
import {ICharityLedger} from "../interfaces/ICharityLedger.sol";

/**
 * @title CharityLedger
 * @notice The charity donation ledger (see ICharityLedger). Role checks are the AccessManager's
 * (`restricted`); the domain rules (the caller is the project's charity, the payee is a registered
 * recipient, the confirmer is the payee, balances never go negative) are checked here.
 * @dev Functions open to both the project's charity and civil affairs (closeProject, recordDonation,
 * recordDonations, recordGoods) are wired to PUBLIC_ROLE and check the caller's role through the
 * manager, since a selector carries one role only.
 */
contract CharityLedger is ICharityLedger, AccessManagedUpgradeable {
    /// @inheritdoc ICharityLedger
    uint256 public constant MAX_AMOUNT = 2 ** 48 - 1;
    /// @dev A project code's longest length in bytes.
    uint256 private constant MAX_CODE_LENGTH = 64;
    /// @dev A project's cumulative inflow stays below this (it is kept in a Donation's uint80).
    uint256 private constant INFLOW_BOUND = 2 ** 80;

    // ---------------------------------------------------------------- storage

    /// @dev Projects by id; `_projectIds[seq - 1]` maps back from the sequence number kept in records.
    mapping(bytes32 projectId => Project) private _projects;
    bytes32[] private _projectIds;
    /// @dev Every donation id ever recorded (cash and goods): uniqueness forever.
    mapping(bytes32 donationId => Donation) private _donations;
    mapping(bytes32 lotId => Lot) private _lots;
    mapping(bytes32 disbursementId => Handover) private _disbursements;
    mapping(bytes32 dispatchId => Handover) private _dispatches;
    mapping(address charity => CharityStats) private _charityStats;
    mapping(bytes32 periodId => bool) private _published;
    Totals private _totals;

    // ---------------------------------------------------------------- constructor

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
        if (caller == authority()) revert CharityLedgerRelayedCall(caller, bytes4(data[0:4]));
        super._checkCanCall(caller, data);
    }

    // ---------------------------------------------------------------- projects

    /// @inheritdoc ICharityLedger
    function proposeProject(
        string calldata code,
        uint96 target,
        bytes32 permitHash,
        bytes32 metadataHash
    ) external restricted returns (bytes32 projectId) {
        uint256 length = bytes(code).length;
        if (length == 0 || length > MAX_CODE_LENGTH) revert CharityLedgerInvalidCode(length);
        bytes32 codeHash = keccak256(bytes(code));
        projectId = keccak256(abi.encode(msg.sender, codeHash));
        Project storage p = _projects[projectId];
        if (p.status != ProjectStatus.None) revert CharityLedgerProjectExists(projectId);
        _projectIds.push(projectId);
        p.charity = msg.sender;
        p.status = ProjectStatus.Proposed;
        p.target = target;
        p.seq = uint32(_projectIds.length);
        ++_totals.projectCount;
        emit ProjectProposed(projectId, msg.sender, codeHash, code, target, permitHash, metadataHash);
    }

    /// @inheritdoc ICharityLedger
    function approveProject(bytes32 projectId) external restricted {
        Project storage p = _existing(projectId);
        if (p.status != ProjectStatus.Proposed) revert CharityLedgerWrongProjectStatus(projectId, p.status);
        p.status = ProjectStatus.Approved;
        emit ProjectApproved(projectId, msg.sender);
    }

    /// @inheritdoc ICharityLedger
    function closeProject(bytes32 projectId) external restricted {
        Project storage p = _existing(projectId);
        _checkCharityOrCivilAffairs(projectId, p);
        ProjectStatus status = p.status;
        if (status != ProjectStatus.Proposed && status != ProjectStatus.Approved) {
            revert CharityLedgerWrongProjectStatus(projectId, status);
        }
        p.status = ProjectStatus.Closed;
        emit ProjectClosed(projectId, msg.sender, p.inflow - p.outflow);
    }

    // ---------------------------------------------------------------- donations

    /// @inheritdoc ICharityLedger
    function recordDonation(
        bytes32 projectId,
        CashDonation calldata d
    ) external restricted returns (bytes32 donationId_) {
        Project storage p = _receiving(projectId);
        address charity = p.charity;
        donationId_ = donationId(charity, d.refHash);
        if (_donations[donationId_].state != DonationState.None) revert CharityLedgerDuplicateDonation(donationId_);
        uint256 inflow = _storeCash(projectId, p.seq, p.inflow, donationId_, d);
        _credit(p, charity, d.amount, inflow, 1);
    }

    /// @inheritdoc ICharityLedger
    function recordDonations(
        bytes32 projectId,
        CashDonation[] calldata donations
    ) external restricted returns (uint256 recorded) {
        Project storage p = _receiving(projectId);
        address charity = p.charity;
        uint32 seq = p.seq;
        uint256 inflow = p.inflow;
        uint256 start = inflow;
        uint256 n = donations.length;
        for (uint256 i = 0; i < n; ++i) {
            CashDonation calldata d = donations[i];
            bytes32 id = donationId(charity, d.refHash);
            if (_donations[id].state != DonationState.None) continue;
            inflow = _storeCash(projectId, seq, inflow, id, d);
            ++recorded;
        }
        if (recorded != 0) _credit(p, charity, inflow - start, inflow, recorded);
    }

    /// @inheritdoc ICharityLedger
    function recordGoods(bytes32 projectId, GoodsDonation calldata g) external restricted returns (bytes32 lotId) {
        Project storage p = _receiving(projectId);
        lotId = donationId(p.charity, g.refHash);
        Donation storage record = _donations[lotId];
        if (record.state != DonationState.None) revert CharityLedgerDuplicateDonation(lotId);
        if (g.quantity == 0) revert CharityLedgerZeroAmount();
        _checkAmount(g.valuation);
        record.amount = g.quantity;
        record.projectSeq = p.seq;
        record.state = DonationState.Recorded;
        record.isGoods = true;
        Lot storage goodsLot = _lots[lotId];
        goodsLot.quantity = g.quantity;
        if (g.valuation != 0) goodsLot.valuation = g.valuation;
        _totals.goodsValuation += g.valuation;
        emit GoodsRecorded(lotId, projectId, msg.sender, g);
    }

    // ---------------------------------------------------------------- goods hand-over

    /// @inheritdoc ICharityLedger
    function dispatchGoods(
        bytes32 lotId,
        address recipient,
        uint88 quantity,
        bytes32 evidenceHash
    ) external restricted returns (bytes32 dispatchId) {
        Donation storage record = _donations[lotId];
        DonationState state = record.state;
        if (state == DonationState.None) revert CharityLedgerUnknownDonation(lotId);
        if (!record.isGoods) revert CharityLedgerNotGoods(lotId);
        // A lot under correction (or corrected) stays where it is.
        if (state != DonationState.Recorded) revert CharityLedgerWrongDonationState(lotId, state);
        bytes32 projectId = _projectIds[record.projectSeq - 1];
        _checkProjectCharity(projectId, _projects[projectId]);
        _checkRecipient(recipient);
        if (quantity == 0) revert CharityLedgerZeroAmount();
        Lot storage goodsLot = _lots[lotId];
        uint256 remaining = goodsLot.quantity - goodsLot.dispatched;
        if (quantity > remaining) revert CharityLedgerInsufficientGoods(lotId, remaining, quantity);
        uint32 n = goodsLot.dispatchCount;
        goodsLot.dispatched += quantity;
        goodsLot.dispatchCount = n + 1;
        dispatchId = keccak256(abi.encode(lotId, n));
        _dispatches[dispatchId] = Handover(recipient, quantity, HandoverState.Pending);
        emit GoodsDispatched(dispatchId, lotId, recipient, msg.sender, quantity, evidenceHash);
    }

    /// @inheritdoc ICharityLedger
    function confirmGoodsReceipt(bytes32 dispatchId, bytes32 receiptHash) external restricted {
        address recipient = _confirm(_dispatches[dispatchId], dispatchId);
        emit GoodsReceiptConfirmed(dispatchId, recipient, receiptHash);
    }

    // ---------------------------------------------------------------- money out

    /// @inheritdoc ICharityLedger
    function disburse(
        bytes32 projectId,
        address recipient,
        Purpose purpose,
        uint88 amount,
        bytes32 evidenceHash
    ) external restricted returns (bytes32 disbursementId) {
        Project storage p = _existing(projectId);
        _checkProjectCharity(projectId, p);
        _checkRecipient(recipient);
        uint256 outflow = _debit(projectId, p, amount);
        p.disbursed += amount;
        CharityStats storage s = _charityStats[msg.sender];
        if (purpose == Purpose.Programme) {
            s.programmeSpent += amount;
            _totals.programmeSpent += amount;
        } else {
            s.adminSpent += amount;
            _totals.adminSpent += amount;
        }
        uint24 n = p.outflowCount;
        p.outflowCount = n + 1;
        disbursementId = keccak256(abi.encode(projectId, n));
        _disbursements[disbursementId] = Handover(recipient, amount, HandoverState.Pending);
        emit Disbursed(disbursementId, projectId, recipient, msg.sender, purpose, amount, evidenceHash, outflow);
    }

    /// @inheritdoc ICharityLedger
    function confirmDisbursement(bytes32 disbursementId, bytes32 receiptHash) external restricted {
        address recipient = _confirm(_disbursements[disbursementId], disbursementId);
        emit DisbursementConfirmed(disbursementId, recipient, receiptHash);
    }

    /// @inheritdoc ICharityLedger
    function grant(
        bytes32 fromProjectId,
        bytes32 toProjectId,
        uint128 amount,
        bytes32 evidenceHash
    ) external restricted {
        if (fromProjectId == toProjectId) revert CharityLedgerSameProject(fromProjectId);
        _checkAmount(amount);
        Project storage from = _existing(fromProjectId);
        _checkProjectCharity(fromProjectId, from);
        Project storage to = _existing(toProjectId);
        if (to.status != ProjectStatus.Approved) revert CharityLedgerWrongProjectStatus(toProjectId, to.status);
        uint256 fromOutflow = _debit(fromProjectId, from, amount);
        ++from.outflowCount;
        uint256 toInflow = uint256(to.inflow) + amount;
        _checkInflow(toInflow);
        to.inflow = uint128(toInflow);
        _charityStats[msg.sender].granted += amount;
        emit Granted(fromProjectId, toProjectId, msg.sender, amount, evidenceHash, fromOutflow, toInflow);
    }

    // ---------------------------------------------------------------- corrections

    /// @inheritdoc ICharityLedger
    function proposeReversal(bytes32 donationId_, bytes32 reasonHash) external restricted {
        (Donation storage record, bytes32 projectId) = _correctable(donationId_, DonationState.Recorded);
        Project storage p = _projects[projectId];
        _checkProjectCharity(projectId, p);
        _checkUnused(donationId_, record, p);
        record.state = DonationState.ReversalProposed;
        emit ReversalProposed(donationId_, projectId, msg.sender, reasonHash);
    }

    /// @inheritdoc ICharityLedger
    function approveReversal(bytes32 donationId_) external restricted {
        (Donation storage record, bytes32 projectId) = _correctable(donationId_, DonationState.ReversalProposed);
        Project storage p = _projects[projectId];
        _checkUnused(donationId_, record, p);
        uint128 amount = record.amount;
        record.state = DonationState.Reversed;
        if (record.isGoods) {
            uint128 valuation = _lots[donationId_].valuation;
            _totals.goodsValuation -= valuation;
            emit GoodsReversed(donationId_, projectId, msg.sender, amount, valuation);
            return;
        }
        uint256 outflow = _debit(projectId, p, amount);
        ++p.outflowCount;
        p.reversed += amount;
        _totals.reversed += amount;
        emit DonationReversed(donationId_, projectId, msg.sender, amount, record.inflowBefore, outflow);
    }

    /// @inheritdoc ICharityLedger
    function rejectReversal(bytes32 donationId_, bytes32 reasonHash) external restricted {
        (Donation storage record, bytes32 projectId) = _correctable(donationId_, DonationState.ReversalProposed);
        record.state = DonationState.Recorded;
        emit ReversalRejected(donationId_, projectId, msg.sender, reasonHash);
    }

    // ---------------------------------------------------------------- statistics

    /// @inheritdoc ICharityLedger
    function publishStatistics(bytes32 periodId, bytes32 reportHash) external restricted {
        if (_published[periodId]) revert CharityLedgerPeriodPublished(periodId);
        _published[periodId] = true;
        emit StatisticsPublished(periodId, msg.sender, reportHash, _totals);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICharityLedger
    function project(bytes32 projectId) external view returns (Project memory) {
        return _projects[projectId];
    }

    /// @inheritdoc ICharityLedger
    function available(bytes32 projectId) external view returns (uint256) {
        Project storage p = _projects[projectId];
        return p.inflow - p.outflow;
    }

    /// @inheritdoc ICharityLedger
    function projectIdAt(uint256 seq) external view returns (bytes32) {
        return _projectIds[seq - 1];
    }

    /// @inheritdoc ICharityLedger
    function donation(bytes32 donationId_) external view returns (Donation memory) {
        return _donations[donationId_];
    }

    /// @inheritdoc ICharityLedger
    function lot(bytes32 lotId) external view returns (Lot memory) {
        return _lots[lotId];
    }

    /// @inheritdoc ICharityLedger
    function disbursement(bytes32 disbursementId) external view returns (Handover memory) {
        return _disbursements[disbursementId];
    }

    /// @inheritdoc ICharityLedger
    function dispatch(bytes32 dispatchId) external view returns (Handover memory) {
        return _dispatches[dispatchId];
    }

    /// @inheritdoc ICharityLedger
    function charityStats(address charity) external view returns (CharityStats memory) {
        return _charityStats[charity];
    }

    /// @inheritdoc ICharityLedger
    function totals() external view returns (Totals memory) {
        return _totals;
    }

    /// @inheritdoc ICharityLedger
    function projectIdOf(address charity, string calldata code) external pure returns (bytes32) {
        return keccak256(abi.encode(charity, keccak256(bytes(code))));
    }

    /// @inheritdoc ICharityLedger
    function donationId(address charity, bytes32 refHash) public pure returns (bytes32) {
        return keccak256(abi.encode(charity, refHash));
    }

    // ---------------------------------------------------------------- internal

    function _existing(bytes32 projectId) private view returns (Project storage p) {
        p = _projects[projectId];
        if (p.status == ProjectStatus.None) revert CharityLedgerUnknownProject(projectId);
    }

    /// @dev An approved project, and a caller who is its charity or civil affairs.
    function _receiving(bytes32 projectId) private view returns (Project storage p) {
        p = _existing(projectId);
        if (p.status != ProjectStatus.Approved) revert CharityLedgerWrongProjectStatus(projectId, p.status);
        _checkCharityOrCivilAffairs(projectId, p);
    }

    /// @dev Stores one new cash donation and emits its event; returns the project's inflow after it.
    function _storeCash(
        bytes32 projectId,
        uint32 seq,
        uint256 inflow,
        bytes32 id,
        CashDonation calldata d
    ) private returns (uint256) {
        uint128 amount = d.amount;
        if (amount == 0) revert CharityLedgerZeroAmount();
        _checkAmount(amount);
        uint32 receivedOn = d.receivedOn;
        if (receivedOn > block.timestamp / 1 days + 1) {
            revert CharityLedgerFutureDate(receivedOn, block.timestamp / 1 days + 1);
        }
        // An out-of-range channel never gets here: the ABI decoder rejects it. `inflow` is below 2^80:
        // it was checked after the previous record, and the batch's total is checked in _credit.
        _donations[id] = Donation(amount, seq, DonationState.Recorded, false, uint80(inflow));
        inflow += amount;
        emit DonationRecorded(
            id,
            projectId,
            msg.sender,
            d.refHash,
            amount,
            d.donorCommitment,
            d.channel,
            d.evidenceHash,
            inflow,
            receivedOn
        );
        return inflow;
    }

    /// @dev Writes the counters of `count` new donations worth `amount` once, whatever the batch size.
    function _credit(Project storage p, address charity, uint256 amount, uint256 inflow, uint256 count) private {
        _checkInflow(inflow);
        p.inflow = uint128(inflow);
        p.received += uint128(amount);
        p.donationCount += uint64(count);
        _charityStats[charity].received += uint128(amount);
        _totals.received += uint128(amount);
        _totals.donationCount += uint64(count);
    }

    /// @dev Takes `amount` out of the project; returns its outflow after.
    function _debit(bytes32 projectId, Project storage p, uint256 amount) private returns (uint256 outflow) {
        if (amount == 0) revert CharityLedgerZeroAmount();
        uint256 balance = p.inflow - p.outflow;
        if (amount > balance) revert CharityLedgerInsufficientBalance(projectId, balance, amount);
        outflow = p.outflow + amount;
        p.outflow = uint128(outflow);
    }

    /// @dev A donation (cash or goods) in `expected` state, and its project id.
    function _correctable(
        bytes32 id,
        DonationState expected
    ) private view returns (Donation storage record, bytes32 projectId) {
        record = _donations[id];
        DonationState state = record.state;
        if (state == DonationState.None) revert CharityLedgerUnknownDonation(id);
        if (state != expected) revert CharityLedgerWrongDonationState(id, state);
        projectId = _projectIds[record.projectSeq - 1];
    }

    /// @dev Reverts unless a correction takes back only what the donation itself brought: cash whose
    /// first-in first-out range no outflow can have reached (it starts at or above the project's
    /// cumulative outflow, reversals included), or goods none of which were dispatched.
    function _checkUnused(bytes32 id, Donation storage record, Project storage p) private view {
        if (record.isGoods) {
            uint96 dispatched = _lots[id].dispatched;
            if (dispatched != 0) revert CharityLedgerGoodsDispatched(id, dispatched);
        } else {
            uint80 inflowBefore = record.inflowBefore;
            uint128 outflow = p.outflow;
            if (inflowBefore < outflow) revert CharityLedgerDonationUsed(id, inflowBefore, outflow);
        }
    }

    /// @dev One record's amount or valuation stays within MAX_AMOUNT.
    function _checkAmount(uint256 amount) private pure {
        if (amount > MAX_AMOUNT) revert CharityLedgerAmountTooLarge(amount, MAX_AMOUNT);
    }

    /// @dev A project's cumulative inflow stays below INFLOW_BOUND.
    function _checkInflow(uint256 inflow) private pure {
        if (inflow >= INFLOW_BOUND) revert CharityLedgerAmountTooLarge(inflow, INFLOW_BOUND - 1);
    }

    /// @dev Marks a pending hand-over confirmed by its recipient; returns the recipient.
    function _confirm(Handover storage h, bytes32 id) private returns (address recipient) {
        HandoverState state = h.state;
        if (state == HandoverState.None) revert CharityLedgerUnknownHandover(id);
        recipient = h.recipient;
        if (msg.sender != recipient) revert CharityLedgerNotHandoverRecipient(id, msg.sender, recipient);
        if (state == HandoverState.Confirmed) revert CharityLedgerAlreadyConfirmed(id);
        h.state = HandoverState.Confirmed;
    }

    function _checkProjectCharity(bytes32 projectId, Project storage p) private view {
        if (p.status == ProjectStatus.None) revert CharityLedgerUnknownProject(projectId);
        if (msg.sender != p.charity) revert CharityLedgerNotProjectCharity(projectId, msg.sender, p.charity);
    }

    /// @dev The project's charity (still holding CHARITY, i.e. not suspended) or civil affairs.
    function _checkCharityOrCivilAffairs(bytes32 projectId, Project storage p) private view {
        if (msg.sender == p.charity) {
            if (!_holds(Roles.CHARITY, msg.sender)) revert CharityLedgerUnauthorized(msg.sender, Roles.CHARITY);
        } else if (!_holds(Roles.CIVIL_AFFAIRS, msg.sender)) {
            if (_holds(Roles.CHARITY, msg.sender)) {
                revert CharityLedgerNotProjectCharity(projectId, msg.sender, p.charity);
            }
            revert CharityLedgerUnauthorized(msg.sender, Roles.CIVIL_AFFAIRS);
        }
    }

    function _checkRecipient(address recipient) private view {
        if (!_holds(Roles.RECIPIENT, recipient)) revert CharityLedgerNotRecipient(recipient);
    }

    function _holds(uint64 role, address account) private view returns (bool) {
        (bool isMember, uint32 delay) = IAccessManager(authority()).hasRole(role, account);
        return isMember && delay == 0;
    }
}
