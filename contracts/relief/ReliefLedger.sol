// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {Roles} from "../access/Roles.sol";
import {IReliefLedger} from "../interfaces/IReliefLedger.sol";

/**
 * @title ReliefLedger
 * @notice The poverty-relief fund ledger (see IReliefLedger).
 * @dev Role checks: createProgramme and appropriate (FINANCE), registerBeneficiary (VILLAGE),
 * moveBeneficiary (RURAL_AFFAIRS), recordFinding and closeFinding (AUDITOR) and defineAttestation (ADMIN)
 * are `restricted` to one role by the wiring. Functions open to several roles (holding money: finance,
 * rural affairs or village; attesting: the kind's attester; approving and accepting a project: the
 * programme's approver; implementing; answering a finding) are wired PUBLIC and check inside, through the
 * manager, that the caller holds the role it acts in, so a suspended organisation is stopped at once.
 */
contract ReliefLedger is IReliefLedger, AccessManagedUpgradeable {
    uint8 public constant MAX_ATTESTATION_KIND = 15;
    uint8 public constant MAX_MILESTONES = 32;
    uint8 public constant MAX_SEVERITY = 3;
    /// @dev The most hops from a new parent up to the programme's finance that `setParent` follows.
    uint8 public constant MAX_TREE_DEPTH = 16;
    uint256 private constant MAX_CODE_LENGTH = 64;

    // ---------------------------------------------------------------- storage

    mapping(bytes32 programmeId => Programme) private _programmes;
    bytes32[] private _programmeIds;
    mapping(bytes32 programmeId => mapping(address holder => Holding)) private _holdings;
    mapping(bytes32 key => Beneficiary) private _beneficiaries;
    mapping(uint8 kind => uint8 role) private _attesterRoles;
    mapping(bytes32 projectId => Project) private _projects;
    mapping(bytes32 disbursementId => Disbursement) private _disbursements;
    Finding[] private _findings;
    uint64 private _allocationCount;

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
        if (caller == authority()) revert ReliefLedgerRelayedCall(caller, bytes4(data[0:4]));
        super._checkCanCall(caller, data);
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc IReliefLedger
    function defineAttestation(uint8 kind, uint8 attesterRole_, bytes32 definitionHash) external restricted {
        if (kind > MAX_ATTESTATION_KIND) revert ReliefLedgerUnknownAttestation(kind);
        if (!Roles.isKind(attesterRole_)) revert ReliefLedgerInvalidTerms("attesterRole");
        if (definitionHash == bytes32(0)) revert ReliefLedgerZeroHash();
        _attesterRoles[kind] = attesterRole_;
        emit AttestationDefined(kind, attesterRole_, definitionHash);
    }

    // ---------------------------------------------------------------- programmes and allocation

    /// @inheritdoc IReliefLedger
    function createProgramme(
        string calldata code,
        ProgrammeTerms calldata terms,
        bytes32 documentHash
    ) external restricted returns (bytes32 programmeId) {
        bytes32 codeHash = _codeHash(code);
        programmeId = keccak256(abi.encode(msg.sender, codeHash));
        if (documentHash == bytes32(0)) revert ReliefLedgerZeroHash();
        Programme storage p = _programmes[programmeId];
        if (p.seq != 0) revert ReliefLedgerProgrammeExists(programmeId);
        if (terms.budget == 0) revert ReliefLedgerZeroAmount();
        if (terms.periods == 0) revert ReliefLedgerInvalidTerms("periods");
        if (terms.fiscalYear < 2000 || terms.fiscalYear > 2999) revert ReliefLedgerInvalidTerms("fiscalYear");
        if (terms.perBeneficiaryCap == 0) revert ReliefLedgerInvalidTerms("perBeneficiaryCap");
        if (!Roles.isKind(terms.approverRole)) revert ReliefLedgerInvalidTerms("approverRole");
        if (
            terms.approverRole == Roles.VILLAGE ||
            terms.approverRole == Roles.PRODUCER ||
            terms.approverRole == Roles.RECIPIENT
        ) revert ReliefLedgerApproverNotIndependent(terms.approverRole);
        uint16 required = terms.requiredAttestations;
        for (uint8 k = 0; k <= MAX_ATTESTATION_KIND; ++k) {
            if (required & (uint16(1) << k) != 0 && _attesterRoles[k] == 0) revert ReliefLedgerUnknownAttestation(k);
        }
        _programmeIds.push(programmeId);
        p.finance = msg.sender;
        p.category = terms.category;
        p.fiscalYear = terms.fiscalYear;
        p.periods = terms.periods;
        p.approverRole = terms.approverRole;
        p.requiredAttestations = required;
        p.seq = uint32(_programmeIds.length);
        p.appropriated = terms.budget;
        p.perBeneficiaryCap = terms.perBeneficiaryCap;
        _holdings[programmeId][msg.sender].available = terms.budget;
        _emitProgrammeCreated(programmeId, codeHash, code, terms, documentHash);
    }

    /// @inheritdoc IReliefLedger
    function appropriate(bytes32 programmeId, uint96 amount, bytes32 documentHash) external restricted {
        Programme storage p = _programme(programmeId);
        if (p.finance != msg.sender) revert ReliefLedgerNotProgrammeFinance(programmeId, msg.sender, p.finance);
        if (amount == 0) revert ReliefLedgerZeroAmount();
        if (documentHash == bytes32(0)) revert ReliefLedgerZeroHash();
        p.appropriated = _add(p.appropriated, amount);
        Holding storage root = _holdings[programmeId][msg.sender];
        root.available = _add(root.available, amount);
        emit Appropriated(programmeId, msg.sender, amount, documentHash);
    }

    /// @inheritdoc IReliefLedger
    function allocate(
        bytes32 programmeId,
        address to,
        uint96 amount,
        bytes32 documentHash
    ) external restricted returns (uint64 allocationId) {
        Programme storage p = _programme(programmeId);
        _checkHolderRole(msg.sender);
        if (!_isHolderRole(to)) revert ReliefLedgerNotHolder(to);
        if (to == msg.sender || to == p.finance) revert ReliefLedgerSelfAllocation(programmeId, to);
        if (documentHash == bytes32(0)) revert ReliefLedgerZeroHash();
        Holding storage from = _debit(programmeId, msg.sender, amount);
        from.allocated += amount;
        Holding storage h = _holdings[programmeId][to];
        address parent = h.parent;
        if (parent == address(0)) {
            // Only the programme's owner places a holder without its consent (a squatter cannot).
            if (msg.sender != p.finance) revert ReliefLedgerParentNotAccepted(programmeId, to, msg.sender);
            h.parent = msg.sender; // told by Allocated: a holder's first allocation from the finance attaches it
        } else if (parent != msg.sender) {
            revert ReliefLedgerNotParent(programmeId, to, parent, msg.sender);
        }
        h.available += amount;
        h.received += amount;
        p.allocated += amount;
        allocationId = ++_allocationCount;
        emit Allocated(programmeId, msg.sender, to, allocationId, amount, documentHash);
    }

    /// @inheritdoc IReliefLedger
    function returnFunds(bytes32 programmeId, uint96 amount, bytes32 reasonHash) external restricted {
        Programme storage p = _programme(programmeId);
        _checkHolderRole(msg.sender);
        if (reasonHash == bytes32(0)) revert ReliefLedgerZeroHash();
        Holding storage h = _debit(programmeId, msg.sender, amount);
        address parent = h.parent;
        if (parent == address(0)) revert ReliefLedgerRootCannotReturn(programmeId, msg.sender);
        h.returned += amount;
        _holdings[programmeId][parent].available += amount;
        p.returned += amount;
        emit FundsReturned(programmeId, msg.sender, parent, amount, reasonHash);
    }

    /// @inheritdoc IReliefLedger
    function setParent(bytes32 programmeId, address holder_, address parent, bytes32 documentHash) external restricted {
        Programme storage p = _programme(programmeId);
        Holding storage h = _holdings[programmeId][holder_];
        if (msg.sender == holder_) {
            _checkHolderRole(msg.sender);
            address current = h.parent;
            if (current != address(0)) revert ReliefLedgerNotParent(programmeId, holder_, current, parent);
        } else if (msg.sender != p.finance || !_holds(Roles.FINANCE, msg.sender)) {
            revert ReliefLedgerNotProgrammeFinance(programmeId, msg.sender, p.finance);
        }
        if (holder_ == p.finance || !_isHolderRole(parent))
            revert ReliefLedgerInvalidParent(programmeId, holder_, parent);
        // The new parent must lead up to the finance, and not through `holder_` (no cycle), within MAX_TREE_DEPTH.
        address node = parent;
        for (uint256 i = 0; node != p.finance; ++i) {
            if (node == holder_ || node == address(0) || i == MAX_TREE_DEPTH) {
                revert ReliefLedgerInvalidParent(programmeId, holder_, parent);
            }
            node = _holdings[programmeId][node].parent;
        }
        if (documentHash == bytes32(0)) revert ReliefLedgerZeroHash();
        h.parent = parent;
        emit ParentSet(programmeId, holder_, parent, msg.sender, documentHash);
    }

    // ---------------------------------------------------------------- beneficiaries

    /// @inheritdoc IReliefLedger
    function registerBeneficiary(bytes32 key, bytes32 householdHash) external restricted {
        if (key == bytes32(0)) revert ReliefLedgerZeroId();
        if (householdHash == bytes32(0)) revert ReliefLedgerZeroHash();
        Beneficiary storage b = _beneficiaries[key];
        if (b.village != address(0)) revert ReliefLedgerBeneficiaryExists(key, b.village);
        b.village = msg.sender;
        b.registeredAt = uint64(block.timestamp);
        emit BeneficiaryRegistered(key, msg.sender, householdHash);
    }

    /// @inheritdoc IReliefLedger
    function moveBeneficiary(bytes32 key, address village, bytes32 reasonHash) external restricted {
        Beneficiary storage b = _beneficiaries[key];
        address from = b.village;
        if (from == address(0)) revert ReliefLedgerUnknownBeneficiary(key);
        if (reasonHash == bytes32(0)) revert ReliefLedgerZeroHash();
        if (village == address(0)) {
            delete _beneficiaries[key];
        } else {
            if (village == from || !_holds(Roles.VILLAGE, village)) revert ReliefLedgerNotVillage(village);
            b.village = village;
        }
        emit BeneficiaryMoved(key, from, village, msg.sender, reasonHash);
    }

    /// @inheritdoc IReliefLedger
    function attest(bytes32 key, uint8 kind, bytes32 evidenceHash) external restricted {
        Beneficiary storage b = _attestable(key, kind);
        if (evidenceHash == bytes32(0)) revert ReliefLedgerZeroHash();
        uint16 bit = uint16(1) << kind;
        if (b.attestations & bit != 0) revert ReliefLedgerAlreadyAttested(key, kind);
        b.attestations |= bit;
        emit Attested(key, kind, msg.sender, evidenceHash);
    }

    /// @inheritdoc IReliefLedger
    function revokeAttestation(bytes32 key, uint8 kind, bytes32 reasonHash) external restricted {
        Beneficiary storage b = _attestable(key, kind);
        if (reasonHash == bytes32(0)) revert ReliefLedgerZeroHash();
        uint16 bit = uint16(1) << kind;
        if (b.attestations & bit == 0) revert ReliefLedgerNotAttested(key, kind);
        b.attestations &= ~bit;
        emit AttestationRevoked(key, kind, msg.sender, reasonHash);
    }

    // ---------------------------------------------------------------- projects

    /// @inheritdoc IReliefLedger
    function createProject(
        string calldata code,
        bytes32 programmeId,
        address implementer,
        uint96 budget,
        uint8 milestoneCount,
        bytes32 metadataHash
    ) external restricted returns (bytes32 projectId) {
        Programme storage p = _programme(programmeId);
        _checkHolderRole(msg.sender);
        if (msg.sender != p.finance && _holdings[programmeId][msg.sender].parent == address(0)) {
            revert ReliefLedgerNotHolder(msg.sender);
        }
        bytes32 codeHash = _codeHash(code);
        projectId = keccak256(abi.encode(msg.sender, codeHash));
        if (metadataHash == bytes32(0)) revert ReliefLedgerZeroHash();
        Project storage j = _projects[projectId];
        if (j.status != ProjectStatus.None) revert ReliefLedgerProjectExists(projectId);
        if (!_isImplementerRole(implementer)) revert ReliefLedgerNotImplementer(implementer);
        if (budget == 0) revert ReliefLedgerZeroAmount();
        if (milestoneCount == 0 || milestoneCount > MAX_MILESTONES || budget < milestoneCount) {
            revert ReliefLedgerInvalidTerms("milestoneCount");
        }
        j.holder = msg.sender;
        j.budget = budget;
        j.implementer = implementer;
        j.milestoneCount = milestoneCount;
        j.status = ProjectStatus.Active;
        j.programmeSeq = p.seq;
        emit ProjectCreated(
            projectId,
            programmeId,
            msg.sender,
            codeHash,
            code,
            implementer,
            budget,
            milestoneCount,
            metadataHash
        );
    }

    /// @inheritdoc IReliefLedger
    function fundProject(
        bytes32 projectId,
        uint96 amount,
        bytes32 documentHash
    ) external restricted returns (uint64 allocationId) {
        Project storage j = _activeProject(projectId);
        _checkProjectHolder(projectId, j);
        if (documentHash == bytes32(0)) revert ReliefLedgerZeroHash();
        uint96 funded = _add(j.funded, amount);
        if (funded > j.budget) revert ReliefLedgerOverBudget(projectId, j.budget, funded);
        bytes32 programmeId = _programmeIds[j.programmeSeq - 1];
        Holding storage from = _debit(programmeId, msg.sender, amount);
        from.allocated += amount;
        j.funded = funded;
        j.available += amount;
        _programmes[programmeId].allocated += amount;
        allocationId = ++_allocationCount;
        emit ProjectFunded(programmeId, projectId, msg.sender, allocationId, amount, documentHash);
    }

    /// @inheritdoc IReliefLedger
    function submitMilestone(bytes32 projectId, uint8 index, bytes32 evidenceHash) external restricted {
        Project storage j = _activeProject(projectId);
        if (msg.sender != j.implementer) revert ReliefLedgerNotProjectImplementer(projectId, j.implementer, msg.sender);
        if (!_isImplementerRole(msg.sender)) revert ReliefLedgerNotImplementer(msg.sender);
        if (index >= j.milestoneCount) revert ReliefLedgerInvalidMilestone(projectId, index, j.milestoneCount);
        if (evidenceHash == bytes32(0)) revert ReliefLedgerZeroHash();
        uint32 bit = uint32(1) << index;
        if (j.milestonesSubmitted & bit != 0) revert ReliefLedgerMilestoneSubmitted(projectId, index);
        j.milestonesSubmitted |= bit;
        emit MilestoneSubmitted(projectId, index, msg.sender, evidenceHash);
    }

    /// @inheritdoc IReliefLedger
    function acceptProject(bytes32 projectId, bytes32 reportHash) external restricted {
        Project storage j = _activeProject(projectId);
        bytes32 programmeId = _programmeIds[j.programmeSeq - 1];
        uint8 approver = _programmes[programmeId].approverRole;
        if (!_holds(approver, msg.sender)) revert ReliefLedgerUnauthorized(msg.sender, approver);
        if (reportHash == bytes32(0)) revert ReliefLedgerZeroHash();
        if (j.reserved != 0) revert ReliefLedgerPaymentsPending(projectId, j.reserved);
        uint32 unpaid = j.milestonesSubmitted & ~j.milestonesPaid;
        if (unpaid != 0) revert ReliefLedgerMilestoneUnpaid(projectId, _lowestBit(unpaid));
        uint96 remainder = j.available;
        j.status = ProjectStatus.Accepted;
        emit ProjectAccepted(projectId, msg.sender, remainder, reportHash);
        if (remainder != 0) {
            j.available = 0;
            j.returned = remainder;
            _holdings[programmeId][j.holder].available += remainder;
            _programmes[programmeId].returned += remainder;
            emit FundsReturned(programmeId, address(this), j.holder, remainder, reportHash);
        }
    }

    // ---------------------------------------------------------------- disbursement

    /// @inheritdoc IReliefLedger
    function proposeDisbursement(
        bytes32 programmeId,
        uint32 period,
        bytes32 key,
        uint96 amount,
        bytes32 paymentRefHash
    ) external restricted returns (bytes32 id) {
        Programme storage p = _programme(programmeId);
        _checkHolderRole(msg.sender);
        if (period == 0 || period > p.periods) revert ReliefLedgerInvalidPeriod(programmeId, period, p.periods);
        if (amount > p.perBeneficiaryCap) revert ReliefLedgerOverCap(programmeId, amount, p.perBeneficiaryCap);
        if (paymentRefHash == bytes32(0)) revert ReliefLedgerZeroHash();
        Beneficiary storage b = _beneficiaries[key];
        address village = b.village;
        if (village == address(0)) revert ReliefLedgerUnknownBeneficiary(key);
        if (village != msg.sender && _holdings[programmeId][village].parent != msg.sender) {
            revert ReliefLedgerNotBeneficiaryVillage(key, village, msg.sender);
        }
        _checkEligible(programmeId, p.requiredAttestations, key, b.attestations);
        id = _disbursementId(RecipientKind.Beneficiary, programmeId, period, key);
        Holding storage h = _debit(programmeId, msg.sender, amount);
        h.reserved += amount;
        _newDisbursement(id, amount, key, p.seq, period, RecipientKind.Beneficiary, paymentRefHash);
        emit DisbursementProposed(
            id,
            programmeId,
            msg.sender,
            RecipientKind.Beneficiary,
            key,
            period,
            amount,
            paymentRefHash
        );
    }

    /// @inheritdoc IReliefLedger
    function proposeProjectPayment(
        bytes32 projectId,
        uint8 index,
        uint96 amount,
        bytes32 paymentRefHash
    ) external restricted returns (bytes32 id) {
        Project storage j = _activeProject(projectId);
        _checkProjectHolder(projectId, j);
        if (!_isImplementerRole(j.implementer)) revert ReliefLedgerNotImplementer(j.implementer);
        if (index >= j.milestoneCount) revert ReliefLedgerInvalidMilestone(projectId, index, j.milestoneCount);
        if (j.milestonesSubmitted & (uint32(1) << index) == 0)
            revert ReliefLedgerMilestoneNotSubmitted(projectId, index);
        uint96 fixedAmount = _milestoneAmount(j, index);
        if (amount != fixedAmount) revert ReliefLedgerMilestoneAmount(projectId, index, fixedAmount, amount);
        if (paymentRefHash == bytes32(0)) revert ReliefLedgerZeroHash();
        bytes32 programmeId = _programmeIds[j.programmeSeq - 1];
        uint96 available = j.available;
        if (available < amount) revert ReliefLedgerInsufficientBalance(programmeId, address(this), available, amount);
        id = _disbursementId(RecipientKind.Project, programmeId, index, projectId);
        j.available = available - amount;
        j.reserved += amount;
        _newDisbursement(id, amount, projectId, j.programmeSeq, index, RecipientKind.Project, paymentRefHash);
        emit DisbursementProposed(
            id,
            programmeId,
            msg.sender,
            RecipientKind.Project,
            projectId,
            index,
            amount,
            paymentRefHash
        );
    }

    /// @inheritdoc IReliefLedger
    function approveDisbursement(bytes32 id, uint96 amount, bytes32 paymentRefHash) external restricted {
        Disbursement storage d = _proposed(id);
        bytes32 programmeId = _programmeIds[d.programmeSeq - 1];
        Programme storage p = _programmes[programmeId];
        if (!_holds(p.approverRole, msg.sender)) revert ReliefLedgerUnauthorized(msg.sender, p.approverRole);
        address proposer = d.holder;
        if (msg.sender == proposer) revert ReliefLedgerSelfApproval(id, proposer);
        _checkTerms(id, d, amount, paymentRefHash);
        if (d.kind == RecipientKind.Beneficiary) {
            _checkStillPayable(programmeId, p.requiredAttestations, d.recipient, proposer);
            Holding storage h = _holdings[programmeId][proposer];
            h.reserved -= amount;
            h.disbursed += amount;
        } else {
            Project storage j = _projects[d.recipient];
            address payee = j.implementer;
            if (msg.sender == payee) revert ReliefLedgerPayeeApproval(id, payee);
            j.reserved -= amount;
            j.paid += amount;
            j.milestonesPaid |= uint32(1) << d.period;
        }
        d.status = DisbursementStatus.Approved;
        d.decidedBy = msg.sender;
        p.disbursed += amount;
        emit DisbursementApproved(id, programmeId, msg.sender);
    }

    /// @inheritdoc IReliefLedger
    function rejectDisbursement(bytes32 id, bytes32 reasonHash) external restricted {
        Disbursement storage d = _proposed(id);
        bytes32 programmeId = _programmeIds[d.programmeSeq - 1];
        address proposer = d.holder;
        if (msg.sender == proposer) {
            _checkHolderRole(msg.sender);
        } else {
            uint8 approver = _programmes[programmeId].approverRole;
            if (!_holds(approver, msg.sender)) revert ReliefLedgerUnauthorized(msg.sender, approver);
        }
        if (reasonHash == bytes32(0)) revert ReliefLedgerZeroHash();
        uint96 amount = d.amount;
        if (d.kind == RecipientKind.Beneficiary) {
            Holding storage h = _holdings[programmeId][proposer];
            h.reserved -= amount;
            h.available += amount;
        } else {
            Project storage j = _projects[d.recipient];
            j.reserved -= amount;
            j.available += amount;
        }
        d.status = DisbursementStatus.Rejected;
        d.decidedBy = msg.sender;
        emit DisbursementRejected(id, programmeId, msg.sender, reasonHash);
    }

    /// @inheritdoc IReliefLedger
    function recordUsage(bytes32 id, bytes32 receiptHash) external restricted {
        Disbursement storage d = _disbursements[id];
        DisbursementStatus status = d.status;
        if (status == DisbursementStatus.None) revert ReliefLedgerUnknownDisbursement(id);
        if (status != DisbursementStatus.Approved) revert ReliefLedgerWrongDisbursementStatus(id, status);
        bool beneficiary_ = d.kind == RecipientKind.Beneficiary;
        address side = beneficiary_ ? d.holder : _projects[d.recipient].implementer;
        if (msg.sender != side) revert ReliefLedgerNotRecipientSide(id, msg.sender);
        if (beneficiary_) _checkHolderRole(msg.sender);
        else if (!_isImplementerRole(msg.sender)) revert ReliefLedgerNotImplementer(msg.sender);
        if (receiptHash == bytes32(0)) revert ReliefLedgerZeroHash();
        emit UsageRecorded(id, msg.sender, receiptHash);
    }

    // ---------------------------------------------------------------- audit

    /// @inheritdoc IReliefLedger
    function recordFinding(
        TargetKind targetKind,
        bytes32 target,
        address respondent,
        uint8 severity,
        bytes32 documentHash
    ) external restricted returns (uint32 findingId) {
        if (!_exists(targetKind, target)) revert ReliefLedgerUnknownTarget(targetKind, target);
        if (respondent == address(0)) revert ReliefLedgerZeroAccount();
        if (severity == 0 || severity > MAX_SEVERITY) revert ReliefLedgerInvalidSeverity(severity);
        if (documentHash == bytes32(0)) revert ReliefLedgerZeroHash();
        _findings.push(
            Finding({
                auditor: msg.sender,
                severity: severity,
                status: FindingStatus.Open,
                targetKind: targetKind,
                respondent: respondent,
                target: target
            })
        );
        findingId = uint32(_findings.length);
        emit FindingRecorded(findingId, target, msg.sender, targetKind, respondent, severity, documentHash);
    }

    /// @inheritdoc IReliefLedger
    function answerFinding(uint32 findingId, bytes32 responseHash) external restricted {
        Finding storage f = _finding(findingId);
        if (msg.sender != f.respondent) revert ReliefLedgerNotRespondent(findingId, f.respondent, msg.sender);
        if (!_isActiveOrganisation(msg.sender)) revert ReliefLedgerInactiveOrganisation(msg.sender);
        if (f.status != FindingStatus.Open) revert ReliefLedgerWrongFindingStatus(findingId, f.status);
        if (responseHash == bytes32(0)) revert ReliefLedgerZeroHash();
        f.status = FindingStatus.Answered;
        emit FindingAnswered(findingId, msg.sender, responseHash);
    }

    /// @inheritdoc IReliefLedger
    function closeFinding(uint32 findingId, bytes32 resolutionHash) external restricted {
        Finding storage f = _finding(findingId);
        if (msg.sender != f.auditor) revert ReliefLedgerNotFindingAuditor(findingId, f.auditor, msg.sender);
        if (f.status == FindingStatus.Closed) revert ReliefLedgerWrongFindingStatus(findingId, f.status);
        if (resolutionHash == bytes32(0)) revert ReliefLedgerZeroHash();
        f.status = FindingStatus.Closed;
        emit FindingClosed(findingId, msg.sender, resolutionHash);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IReliefLedger
    function programme(bytes32 programmeId) external view returns (Programme memory) {
        return _programmes[programmeId];
    }

    /// @inheritdoc IReliefLedger
    function programmeCount() external view returns (uint32) {
        return uint32(_programmeIds.length);
    }

    /// @inheritdoc IReliefLedger
    function programmeIdAt(uint32 seq) external view returns (bytes32) {
        return seq == 0 || seq > _programmeIds.length ? bytes32(0) : _programmeIds[seq - 1];
    }

    /// @inheritdoc IReliefLedger
    function programmeIdOf(address finance, string calldata code) external pure returns (bytes32) {
        return keccak256(abi.encode(finance, keccak256(bytes(code))));
    }

    /// @inheritdoc IReliefLedger
    function projectIdOf(address holder, string calldata code) external pure returns (bytes32) {
        return keccak256(abi.encode(holder, keccak256(bytes(code))));
    }

    /// @inheritdoc IReliefLedger
    function holding(bytes32 programmeId, address holder) external view returns (Holding memory) {
        return _holdings[programmeId][holder];
    }

    /// @inheritdoc IReliefLedger
    function beneficiary(bytes32 key) external view returns (Beneficiary memory) {
        return _beneficiaries[key];
    }

    /// @inheritdoc IReliefLedger
    function attesterRole(uint8 kind) external view returns (uint8) {
        return _attesterRoles[kind];
    }

    /// @inheritdoc IReliefLedger
    function isEligible(bytes32 programmeId, bytes32 key) external view returns (bool) {
        Beneficiary storage b = _beneficiaries[key];
        uint16 required = _programmes[programmeId].requiredAttestations;
        return b.village != address(0) && _programmes[programmeId].seq != 0 && b.attestations & required == required;
    }

    /// @inheritdoc IReliefLedger
    function project(bytes32 projectId) external view returns (Project memory) {
        return _projects[projectId];
    }

    /// @inheritdoc IReliefLedger
    function milestoneAmount(bytes32 projectId, uint8 index) external view returns (uint96) {
        Project storage j = _projects[projectId];
        return index < j.milestoneCount ? _milestoneAmount(j, index) : 0;
    }

    /// @inheritdoc IReliefLedger
    function projectProgramme(bytes32 projectId) external view returns (bytes32) {
        uint32 seq = _projects[projectId].programmeSeq;
        return seq == 0 ? bytes32(0) : _programmeIds[seq - 1];
    }

    /// @inheritdoc IReliefLedger
    function disbursement(bytes32 id) external view returns (Disbursement memory) {
        return _disbursements[id];
    }

    /// @inheritdoc IReliefLedger
    function disbursementIdOf(
        RecipientKind kind,
        bytes32 programmeId,
        uint32 period,
        bytes32 recipient
    ) external pure returns (bytes32) {
        return _disbursementId(kind, programmeId, period, recipient);
    }

    /// @inheritdoc IReliefLedger
    function allocationCount() external view returns (uint64) {
        return _allocationCount;
    }

    /// @inheritdoc IReliefLedger
    function finding(uint32 findingId) external view returns (Finding memory) {
        return _finding(findingId);
    }

    /// @inheritdoc IReliefLedger
    function findingCount() external view returns (uint32) {
        return uint32(_findings.length);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Emits ProgrammeCreated (its own frame: the event's twelve words do not fit createProgramme's stack).
    function _emitProgrammeCreated(
        bytes32 programmeId,
        bytes32 codeHash,
        string calldata code,
        ProgrammeTerms calldata terms,
        bytes32 documentHash
    ) private {
        emit ProgrammeCreated(
            programmeId,
            msg.sender,
            codeHash,
            code,
            terms.category,
            terms.fiscalYear,
            terms.periods,
            terms.approverRole,
            terms.requiredAttestations,
            terms.budget,
            terms.perBeneficiaryCap,
            documentHash
        );
    }

    /// @dev keccak256 of a programme or project code, refused unless 1 to 64 bytes.
    function _codeHash(string calldata code) private pure returns (bytes32) {
        uint256 length = bytes(code).length;
        if (length == 0 || length > MAX_CODE_LENGTH) revert ReliefLedgerInvalidCode(length);
        return keccak256(bytes(code));
    }

    function _programme(bytes32 programmeId) private view returns (Programme storage p) {
        p = _programmes[programmeId];
        if (p.seq == 0) revert ReliefLedgerUnknownProgramme(programmeId);
    }

    function _activeProject(bytes32 projectId) private view returns (Project storage j) {
        j = _projects[projectId];
        if (j.status == ProjectStatus.None) revert ReliefLedgerUnknownProject(projectId);
        if (j.status != ProjectStatus.Active) revert ReliefLedgerWrongProjectStatus(projectId, j.status);
    }

    function _checkProjectHolder(bytes32 projectId, Project storage j) private view {
        if (msg.sender != j.holder) revert ReliefLedgerNotProjectHolder(projectId, j.holder, msg.sender);
        _checkHolderRole(msg.sender);
    }

    function _proposed(bytes32 id) private view returns (Disbursement storage d) {
        d = _disbursements[id];
        DisbursementStatus status = d.status;
        if (status == DisbursementStatus.None) revert ReliefLedgerUnknownDisbursement(id);
        if (status != DisbursementStatus.Proposed) revert ReliefLedgerWrongDisbursementStatus(id, status);
    }

    function _finding(uint32 findingId) private view returns (Finding storage) {
        if (findingId == 0 || findingId > _findings.length) revert ReliefLedgerUnknownFinding(findingId);
        return _findings[findingId - 1];
    }

    /// @dev Takes `amount` from the caller's available balance in the programme. Every movement of money out
    /// of a holding passes here: `virtual` so that a later version can add a rule to all of them at once.
    function _debit(bytes32 programmeId, address holder_, uint96 amount) internal virtual returns (Holding storage h) {
        if (amount == 0) revert ReliefLedgerZeroAmount();
        h = _holdings[programmeId][holder_];
        uint96 available = h.available;
        if (available < amount) revert ReliefLedgerInsufficientBalance(programmeId, holder_, available, amount);
        h.available = available - amount;
    }

    /// @dev A new disbursement, or a new proposal in place of a rejected one.
    function _newDisbursement(
        bytes32 id,
        uint96 amount,
        bytes32 recipient,
        uint32 programmeSeq,
        uint32 period,
        RecipientKind kind,
        bytes32 paymentRefHash
    ) private {
        Disbursement storage d = _disbursements[id];
        DisbursementStatus status = d.status;
        if (status == DisbursementStatus.Proposed || status == DisbursementStatus.Approved) {
            revert ReliefLedgerAlreadyPaid(id, status);
        }
        d.holder = msg.sender;
        d.amount = amount;
        if (status == DisbursementStatus.None) {
            d.recipient = recipient;
        }
        d.programmeSeq = programmeSeq;
        d.period = period;
        d.kind = kind;
        d.status = DisbursementStatus.Proposed;
        d.decidedBy = address(0);
        d.paymentRefHash = paymentRefHash;
    }

    /// @dev An approval names the terms it reviewed: they must be the proposal's now.
    function _checkTerms(bytes32 id, Disbursement storage d, uint96 amount, bytes32 paymentRefHash) private view {
        if (amount != d.amount || paymentRefHash != d.paymentRefHash) {
            revert ReliefLedgerTermsChanged(id, d.amount, d.paymentRefHash, amount, paymentRefHash);
        }
    }

    /// @dev At approval: the beneficiary is still registered, the proposer is still its village or that village's
    /// parent (rural affairs may have moved it), and it is still eligible.
    function _checkStillPayable(bytes32 programmeId, uint16 required, bytes32 key, address proposer) private view {
        Beneficiary storage b = _beneficiaries[key];
        address village = b.village;
        if (village == address(0)) revert ReliefLedgerUnknownBeneficiary(key);
        if (village != proposer && _holdings[programmeId][village].parent != proposer) {
            revert ReliefLedgerNotBeneficiaryVillage(key, village, proposer);
        }
        _checkEligible(programmeId, required, key, b.attestations);
    }

    /// @dev The budget split evenly over the milestones, the last taking the remainder.
    function _milestoneAmount(Project storage j, uint8 index) private view returns (uint96) {
        uint96 count = j.milestoneCount;
        uint96 share = j.budget / count;
        return index + 1 == count ? j.budget - share * (count - 1) : share;
    }

    function _lowestBit(uint32 bits) private pure returns (uint256 index) {
        while (bits & (uint32(1) << uint32(index)) == 0) ++index;
    }

    function _checkEligible(bytes32 programmeId, uint16 required, bytes32 key, uint16 held) private pure {
        if (held & required != required) revert ReliefLedgerNotEligible(programmeId, key, required, held);
    }

    function _attestable(bytes32 key, uint8 kind) private view returns (Beneficiary storage b) {
        uint8 role = kind > MAX_ATTESTATION_KIND ? 0 : _attesterRoles[kind];
        if (role == 0) revert ReliefLedgerUnknownAttestation(kind);
        if (!_holds(role, msg.sender)) revert ReliefLedgerUnauthorized(msg.sender, role);
        b = _beneficiaries[key];
        if (b.village == address(0)) revert ReliefLedgerUnknownBeneficiary(key);
    }

    function _exists(TargetKind kind, bytes32 target) private view returns (bool) {
        if (kind == TargetKind.Programme) return _programmes[target].seq != 0;
        if (kind == TargetKind.Allocation) return uint256(target) != 0 && uint256(target) <= _allocationCount;
        if (kind == TargetKind.Disbursement) return _disbursements[target].status != DisbursementStatus.None;
        if (kind == TargetKind.Beneficiary) return _beneficiaries[target].village != address(0);
        return _projects[target].status != ProjectStatus.None;
    }

    function _checkHolderRole(address account) private view {
        if (!_isHolderRole(account)) revert ReliefLedgerNotHolder(account);
    }

    /// @dev Organisations that hold programme money: finance, rural affairs, townships and villages.
    function _isHolderRole(address account) private view returns (bool) {
        return _holds(Roles.VILLAGE, account) || _holds(Roles.RURAL_AFFAIRS, account) || _holds(Roles.FINANCE, account);
    }

    /// @dev Organisations that implement relief projects: villages, producers (cooperatives, enterprises), recipients.
    function _isImplementerRole(address account) private view returns (bool) {
        return _holds(Roles.VILLAGE, account) || _holds(Roles.PRODUCER, account) || _holds(Roles.RECIPIENT, account);
    }

    /// @dev Whether `account` holds any organisation kind's role (suspension revokes it).
    function _isActiveOrganisation(address account) private view returns (bool) {
        for (uint8 kind = Roles.FIRST_KIND; kind <= Roles.LAST_KIND; ++kind) {
            if (_holds(kind, account)) return true;
        }
        return false;
    }

    function _holds(uint64 role, address account) private view returns (bool) {
        (bool isMember, uint32 delay) = IAccessManager(authority()).hasRole(role, account);
        return isMember && delay == 0;
    }

    function _add(uint96 a, uint96 b) private pure returns (uint96) {
        uint256 sum = uint256(a) + b;
        if (sum > type(uint96).max) revert ReliefLedgerAmountTooLarge(sum);
        return uint96(sum);
    }

    function _disbursementId(
        RecipientKind kind,
        bytes32 programmeId,
        uint32 period,
        bytes32 recipient
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(kind, programmeId, period, recipient));
    }
}
