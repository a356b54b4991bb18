// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IReliefLedger
 * @notice Poverty-relief fund flows (区块链+精准扶贫: 资金拨付、使用跟踪, 精准识别、精准管理, 专款专用).
 *
 * - A programme is created by FINANCE with an appropriated budget. Its money moves down an allocation
 *   tree (finance → county → township → village, or into a relief project). Every hop conserves the
 *   amount and keeps the programme: balances are kept per (programme, holder), so money of one
 *   programme can never be spent under another. A holder may return unused money to the holder above
 *   it (its parent in that programme's tree, fixed by the first allocation it received).
 * - A beneficiary is a key: HMAC-SHA256 of the ID number under a consortium secret kept off chain,
 *   so the key cannot be brute-forced from the 18-digit number space. A VILLAGE registers it with a
 *   household-record hash; departments attest eligibility facts (e.g. civil affairs: minimum living
 *   allowance; rural affairs: monitored household) and may revoke them. Which role attests which
 *   fact is governance data (`defineAttestation`).
 * - A disbursement is proposed by a holder (the beneficiary's village or that village's parent in
 *   the programme's tree) and counts only once an organisation other than the proposer, holding the
 *   programme's approver role, approves it. The amount is reserved at proposal. It goes only to a
 *   beneficiary holding every attestation the programme requires (checked at proposal and again at
 *   approval), within the programme's per-payment cap, once per beneficiary and programme period.
 * - A relief project (a village road, a greenhouse) is funded from a holder's balance, paid to its
 *   implementer one milestone at a time against the implementer's milestone evidence (each payment
 *   a disbursement with the same two-organisation approval), accepted by an INSPECTOR or
 *   RURAL_AFFAIRS; its unspent remainder then returns to the holder that funded it.
 * - An AUDITOR attaches findings to any programme, allocation, disbursement, beneficiary or project,
 *   naming the organisation that must answer; the auditor closes them.
 *
 * Per programme: appropriated = Σ over holders and projects of (available + reserved) + disbursed.
 * Amounts are integer fen (分). Documents are kept off chain and anchored by hash.
 */
interface IReliefLedger {
    enum Category {
        Industry, // 产业扶持
        Education, // 教育
        Housing, // 住房
        Medical, // 医疗
        Employment, // 就业
        Infrastructure, // 基础设施
        Other
    }

    enum RecipientKind {
        Beneficiary,
        Project
    }

    enum DisbursementStatus {
        None,
        Proposed,
        Approved,
        Rejected
    }

    enum ProjectStatus {
        None,
        Active,
        Accepted
    }

    enum TargetKind {
        Programme,
        Allocation,
        Disbursement,
        Beneficiary,
        Project
    }

    enum FindingStatus {
        None,
        Open,
        Answered,
        Closed
    }

    /// @notice What `createProgramme` takes.
    struct ProgrammeTerms {
        Category category;
        uint16 fiscalYear;
        /// @dev Payment periods in the programme (12 for monthly, 1 for a one-off payment); a beneficiary
        /// is paid at most once per period.
        uint16 periods;
        /// @dev Organisation kind whose holders approve disbursements (RURAL_AFFAIRS unless stated).
        uint8 approverRole;
        /// @dev Bit `k` set: beneficiaries need attestation kind `k`.
        uint16 requiredAttestations;
        uint96 budget;
        /// @dev Upper bound of one payment to one beneficiary.
        uint96 perBeneficiaryCap;
    }

    /// @notice A programme as stored.
    struct Programme {
        address finance;
        Category category;
        uint16 fiscalYear;
        uint16 periods;
        uint8 approverRole;
        uint16 requiredAttestations;
        uint32 seq;
        uint96 appropriated;
        uint96 perBeneficiaryCap;
        uint96 allocated; // every allocation out of any holder of the programme, to holders and projects
        uint96 disbursed;
        uint96 returned; // every return up the tree, project remainders included
    }

    /// @notice One organisation's balance in one programme.
    struct Holding {
        address parent; // zero for the programme's finance (the root) and for non-holders
        uint96 available;
        uint96 received; // allocated to it
        uint96 allocated; // allocated by it, to holders and projects
        uint96 reserved; // proposed, not yet approved or rejected
        uint96 disbursed;
        uint96 returned; // returned by it to its parent
    }

    struct Beneficiary {
        address village;
        uint16 attestations; // bit k: attestation kind k held
        uint64 registeredAt;
    }

    struct Project {
        address holder; // the organisation that funds it and proposes its payments
        uint96 budget;
        address implementer;
        uint96 funded;
        uint96 available;
        uint96 paid;
        uint8 milestoneCount;
        ProjectStatus status;
        uint32 programmeSeq;
        uint96 reserved;
        uint96 returned;
        uint32 milestonesSubmitted; // bit i: evidence for milestone i submitted
    }

    struct Disbursement {
        address holder; // the proposer, from whose balance (or project) the money comes
        uint96 amount;
        bytes32 recipient; // beneficiary key or project id
        uint32 programmeSeq;
        uint32 period; // the period, or the milestone index for a project payment
        RecipientKind kind;
        DisbursementStatus status;
        address decidedBy;
    }

    struct Finding {
        address auditor;
        uint8 severity; // 1 low, 2 medium, 3 high
        FindingStatus status;
        TargetKind targetKind;
        address respondent;
        bytes32 target;
    }

    // ---------------------------------------------------------------- errors

    /// @notice `ReliefLedger` refuses calls relayed through the AccessManager (`execute`): the
    /// manager would stand in as the acting organisation and hide who acted.
    error ReliefLedgerRelayedCall(address manager, bytes4 selector);
    error ReliefLedgerZeroAmount();
    error ReliefLedgerZeroHash();
    error ReliefLedgerZeroId();
    error ReliefLedgerZeroAccount();
    error ReliefLedgerAmountTooLarge(uint256 amount);
    error ReliefLedgerProgrammeExists(bytes32 programmeId);
    error ReliefLedgerUnknownProgramme(bytes32 programmeId);
    error ReliefLedgerInvalidTerms(string field);
    error ReliefLedgerNotProgrammeFinance(bytes32 programmeId, address caller, address finance);
    /// @notice `caller` does not hold `requiredRole` (or, with role 0, any of the roles the operation takes).
    error ReliefLedgerUnauthorized(address caller, uint64 requiredRole);
    /// @notice `account` cannot hold programme money (it is not an active finance, rural affairs or village organisation).
    error ReliefLedgerNotHolder(address account);
    error ReliefLedgerSelfAllocation(bytes32 programmeId, address holder);
    /// @notice `to` already has `parent` above it in the programme's tree.
    error ReliefLedgerNotParent(bytes32 programmeId, address to, address parent, address caller);
    error ReliefLedgerInsufficientBalance(bytes32 programmeId, address holder, uint256 available, uint256 amount);
    error ReliefLedgerRootCannotReturn(bytes32 programmeId, address holder);
    error ReliefLedgerBeneficiaryExists(bytes32 key, address village);
    error ReliefLedgerUnknownBeneficiary(bytes32 key);
    error ReliefLedgerUnknownAttestation(uint8 kind);
    error ReliefLedgerAlreadyAttested(bytes32 key, uint8 kind);
    error ReliefLedgerNotAttested(bytes32 key, uint8 kind);
    error ReliefLedgerNotEligible(bytes32 programmeId, bytes32 key, uint16 required, uint16 held);
    error ReliefLedgerNotBeneficiaryVillage(bytes32 key, address village, address caller);
    error ReliefLedgerOverCap(bytes32 programmeId, uint256 amount, uint256 cap);
    error ReliefLedgerInvalidPeriod(bytes32 programmeId, uint32 period, uint16 periods);
    error ReliefLedgerAlreadyPaid(bytes32 disbursementId, DisbursementStatus status);
    error ReliefLedgerUnknownDisbursement(bytes32 disbursementId);
    error ReliefLedgerWrongDisbursementStatus(bytes32 disbursementId, DisbursementStatus status);
    error ReliefLedgerSelfApproval(bytes32 disbursementId, address proposer);
    error ReliefLedgerProjectExists(bytes32 projectId);
    error ReliefLedgerUnknownProject(bytes32 projectId);
    error ReliefLedgerWrongProjectStatus(bytes32 projectId, ProjectStatus status);
    error ReliefLedgerNotImplementer(address account);
    error ReliefLedgerNotProjectHolder(bytes32 projectId, address holder, address caller);
    error ReliefLedgerNotProjectImplementer(bytes32 projectId, address implementer, address caller);
    error ReliefLedgerOverBudget(bytes32 projectId, uint256 budget, uint256 funded);
    error ReliefLedgerInvalidMilestone(bytes32 projectId, uint256 index, uint8 milestoneCount);
    error ReliefLedgerMilestoneSubmitted(bytes32 projectId, uint256 index);
    error ReliefLedgerMilestoneNotSubmitted(bytes32 projectId, uint256 index);
    error ReliefLedgerPaymentsPending(bytes32 projectId, uint256 reserved);
    error ReliefLedgerNotRecipientSide(bytes32 disbursementId, address caller);
    error ReliefLedgerUnknownTarget(TargetKind kind, bytes32 target);
    error ReliefLedgerInvalidSeverity(uint8 severity);
    error ReliefLedgerUnknownFinding(uint32 findingId);
    error ReliefLedgerWrongFindingStatus(uint32 findingId, FindingStatus status);
    error ReliefLedgerNotRespondent(uint32 findingId, address respondent, address caller);
    error ReliefLedgerNotFindingAuditor(uint32 findingId, address auditor, address caller);

    // ---------------------------------------------------------------- events

    event AttestationDefined(uint8 indexed kind, uint8 indexed attesterRole, bytes32 definitionHash);
    event ProgrammeCreated(
        bytes32 indexed programmeId,
        address indexed finance,
        Category category,
        uint16 fiscalYear,
        uint16 periods,
        uint8 approverRole,
        uint16 requiredAttestations,
        uint96 budget,
        uint96 perBeneficiaryCap,
        bytes32 documentHash
    );
    event Appropriated(bytes32 indexed programmeId, address indexed by, uint96 amount, bytes32 documentHash);
    /// @notice `amount` of the programme moved from `from` to `to` (an organisation).
    event Allocated(
        bytes32 indexed programmeId,
        address indexed from,
        address indexed to,
        uint64 allocationId,
        uint96 amount,
        bytes32 documentHash
    );
    /// @notice `amount` of the programme moved from `from` into the project.
    event ProjectFunded(
        bytes32 indexed programmeId,
        bytes32 indexed projectId,
        address indexed from,
        uint64 allocationId,
        uint96 amount,
        bytes32 documentHash
    );
    /// @notice `amount` went back up the tree from `from` to `to`; `from` is this ledger's own address when a
    /// project's remainder returns to its holder at acceptance.
    event FundsReturned(
        bytes32 indexed programmeId,
        address indexed from,
        address indexed to,
        uint96 amount,
        bytes32 reasonHash
    );
    event BeneficiaryRegistered(bytes32 indexed key, address indexed village, bytes32 householdHash);
    event Attested(bytes32 indexed key, uint8 indexed kind, address indexed by, bytes32 evidenceHash);
    event AttestationRevoked(bytes32 indexed key, uint8 indexed kind, address indexed by, bytes32 reasonHash);
    event ProjectCreated(
        bytes32 indexed projectId,
        bytes32 indexed programmeId,
        address indexed holder,
        address implementer,
        uint96 budget,
        uint8 milestoneCount,
        bytes32 metadataHash
    );
    event MilestoneSubmitted(bytes32 indexed projectId, uint8 indexed index, address indexed by, bytes32 evidenceHash);
    event ProjectAccepted(bytes32 indexed projectId, address indexed by, uint96 returned, bytes32 reportHash);
    event DisbursementProposed(
        bytes32 indexed disbursementId,
        bytes32 indexed programmeId,
        address indexed holder,
        RecipientKind kind,
        bytes32 recipient,
        uint32 period,
        uint96 amount,
        bytes32 paymentRefHash
    );
    event DisbursementApproved(bytes32 indexed disbursementId, bytes32 indexed programmeId, address indexed approver);
    event DisbursementRejected(
        bytes32 indexed disbursementId,
        bytes32 indexed programmeId,
        address indexed by,
        bytes32 reasonHash
    );
    event UsageRecorded(bytes32 indexed disbursementId, address indexed by, bytes32 receiptHash);
    event FindingRecorded(
        uint32 indexed findingId,
        bytes32 indexed target,
        address indexed auditor,
        TargetKind targetKind,
        address respondent,
        uint8 severity,
        bytes32 documentHash
    );
    event FindingAnswered(uint32 indexed findingId, address indexed by, bytes32 responseHash);
    event FindingClosed(uint32 indexed findingId, address indexed by, bytes32 resolutionHash);

    // ---------------------------------------------------------------- governance

    /**
     * @notice Define (or redefine) attestation kind `kind` (0–15) and the organisation kind that attests it.
     * @dev Wired to ADMIN. Existing attestations keep their bit. Emits {AttestationDefined}.
     */
    function defineAttestation(uint8 kind, uint8 attesterRole, bytes32 definitionHash) external;

    // ---------------------------------------------------------------- programmes and allocation

    /**
     * @notice Create a programme; the caller (FINANCE) holds its whole budget as the root of its tree.
     * @dev Emits {ProgrammeCreated}.
     */
    function createProgramme(bytes32 programmeId, ProgrammeTerms calldata terms, bytes32 documentHash) external;

    /// @notice Raise a programme's budget by a further appropriation; only the programme's finance.
    function appropriate(bytes32 programmeId, uint96 amount, bytes32 documentHash) external;

    /**
     * @notice Move `amount` of the programme from the caller's balance to `to`, an active finance,
     * rural affairs or village organisation. The first allocation `to` receives in a programme makes the
     * caller its parent; later ones must come from the same parent. The allocation document (资金拨付文件) is
     * required. Emits {Allocated}.
     */
    function allocate(
        bytes32 programmeId,
        address to,
        uint96 amount,
        bytes32 documentHash
    ) external returns (uint64 allocationId);

    /// @notice Return `amount` of the caller's available balance to its parent. Emits {FundsReturned}.
    function returnFunds(bytes32 programmeId, uint96 amount, bytes32 reasonHash) external;

    // ---------------------------------------------------------------- beneficiaries

    /// @notice Register a beneficiary key (HMAC of the ID number) for the calling village. Emits {BeneficiaryRegistered}.
    function registerBeneficiary(bytes32 key, bytes32 householdHash) external;

    /// @notice Attest eligibility fact `kind`; the caller must hold the kind's attester role. Emits {Attested}.
    function attest(bytes32 key, uint8 kind, bytes32 evidenceHash) external;

    /// @notice Revoke attestation `kind`; the caller must hold the kind's attester role. Emits {AttestationRevoked}.
    function revokeAttestation(bytes32 key, uint8 kind, bytes32 reasonHash) external;

    // ---------------------------------------------------------------- projects

    /**
     * @notice Create a relief project under a programme; the caller must be a holder in that programme
     * and funds it from its balance (`fundProject`). The implementer is an active village, producer
     * (cooperative, enterprise) or recipient organisation. Emits {ProjectCreated}.
     */
    function createProject(
        bytes32 projectId,
        bytes32 programmeId,
        address implementer,
        uint96 budget,
        uint8 milestoneCount,
        bytes32 metadataHash
    ) external;

    /// @notice Move `amount` from the caller's (the project holder's) balance into the project, up to its budget.
    function fundProject(bytes32 projectId, uint96 amount, bytes32 documentHash) external returns (uint64 allocationId);

    /// @notice The implementer submits the evidence that milestone `index` (0-based) is done; it must still be an
    /// active village, producer or recipient organisation. Emits {MilestoneSubmitted}.
    function submitMilestone(bytes32 projectId, uint8 index, bytes32 evidenceHash) external;

    /**
     * @notice An INSPECTOR or RURAL_AFFAIRS accepts a finished project; its unspent balance returns to
     * the project's holder. No payment may be pending. Emits {ProjectAccepted} and {FundsReturned}.
     */
    function acceptProject(bytes32 projectId, bytes32 reportHash) external;

    // ---------------------------------------------------------------- disbursement

    /**
     * @notice Propose paying `amount` to beneficiary `key` for `period` (1 to the programme's periods),
     * reserving it from the caller's balance. The caller is the beneficiary's village or that
     * village's parent in the programme. Emits {DisbursementProposed}.
     * @param paymentRefHash hash of the bank payment reference (一卡通 payment instruction)
     */
    function proposeDisbursement(
        bytes32 programmeId,
        uint32 period,
        bytes32 key,
        uint96 amount,
        bytes32 paymentRefHash
    ) external returns (bytes32 disbursementId);

    /// @notice Propose paying milestone `index` of a project to its implementer (still active), from the project's balance.
    function proposeProjectPayment(
        bytes32 projectId,
        uint8 index,
        uint96 amount,
        bytes32 paymentRefHash
    ) external returns (bytes32 disbursementId);

    /// @notice Approve a proposed disbursement: the caller holds the programme's approver role and is not the proposer.
    function approveDisbursement(bytes32 disbursementId) external;

    /// @notice Reject a proposed disbursement (an approver) or withdraw it (the proposer); the reservation is released.
    function rejectDisbursement(bytes32 disbursementId, bytes32 reasonHash) external;

    /// @notice Record a usage receipt of an approved disbursement: its proposer (for a beneficiary) or the project's implementer.
    function recordUsage(bytes32 disbursementId, bytes32 receiptHash) external;

    // ---------------------------------------------------------------- audit

    /// @notice Record a finding (severity 1–3) against a record; `respondent` is the organisation that must answer.
    function recordFinding(
        TargetKind targetKind,
        bytes32 target,
        address respondent,
        uint8 severity,
        bytes32 documentHash
    ) external returns (uint32 findingId);

    /// @notice The respondent answers an open finding.
    function answerFinding(uint32 findingId, bytes32 responseHash) external;

    /// @notice The auditor that recorded a finding closes it.
    function closeFinding(uint32 findingId, bytes32 resolutionHash) external;

    // ---------------------------------------------------------------- views

    function programme(bytes32 programmeId) external view returns (Programme memory);

    function programmeCount() external view returns (uint32);

    function programmeIdAt(uint32 seq) external view returns (bytes32);

    function holding(bytes32 programmeId, address holder) external view returns (Holding memory);

    function beneficiary(bytes32 key) external view returns (Beneficiary memory);

    /// @notice The attester role of attestation kind `kind` (0: not defined).
    function attesterRole(uint8 kind) external view returns (uint8);

    /// @notice Whether `key` holds every attestation the programme requires.
    function isEligible(bytes32 programmeId, bytes32 key) external view returns (bool);

    function project(bytes32 projectId) external view returns (Project memory);

    function projectProgramme(bytes32 projectId) external view returns (bytes32);

    function disbursement(bytes32 disbursementId) external view returns (Disbursement memory);

    /// @notice The id of the (single) disbursement to `recipient` for `period` under a programme.
    function disbursementIdOf(
        RecipientKind kind,
        bytes32 programmeId,
        uint32 period,
        bytes32 recipient
    ) external pure returns (bytes32);

    function allocationCount() external view returns (uint64);

    function finding(uint32 findingId) external view returns (Finding memory);

    function findingCount() external view returns (uint32);
}
