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
 *   it (its parent in that programme's tree). A holder takes a parent only by consent: the programme's
 *   finance (its owner) places holders directly by allocating to them, any other organisation allocates
 *   only to a holder that has accepted it as parent (`setParent`); the finance can re-attach a holder
 *   to another parent at any time, so a squatter that got in first cannot keep the place.
 * - A beneficiary is a key: HMAC-SHA256 of the ID number under a consortium secret kept off chain,
 *   so the key cannot be brute-forced from the 18-digit number space. A VILLAGE registers it with a
 *   household-record hash; departments attest eligibility facts (e.g. civil affairs: minimum living
 *   allowance; rural affairs: monitored household) and may revoke them. Which role attests which
 *   fact is governance data (`defineAttestation`). Any village can compute any resident's key, so a
 *   registration by the wrong village is possible and visible ({BeneficiaryRegistered} names the
 *   village); RURAL_AFFAIRS moves the beneficiary to its own village or deregisters it
 *   (`moveBeneficiary`, with the decision's hash, {BeneficiaryMoved} naming both villages).
 * - A disbursement is proposed by a holder (the beneficiary's village or that village's parent in
 *   the programme's tree) and counts only once an organisation other than the proposer and the payee,
 *   holding the programme's approver role (a department: never a village, producer or recipient, the
 *   kinds that propose or are paid), approves it. The approval names the exact terms it reviewed
 *   (amount and payment-reference hash): a withdrawn and re-proposed disbursement with other terms
 *   does not take an approval meant for the old ones. The amount is reserved at proposal. It goes only
 *   to a beneficiary holding every attestation the programme requires (checked at proposal and again
 *   at approval), within the programme's per-payment cap, once per beneficiary and programme period.
 * - Periods are numbered, not dated: the ledger does not tie period `n` to a month of the calendar,
 *   so all 12 monthly payments of a programme can be proposed and approved on its first day. Keeping
 *   payments to their months is the approver's duty (the payment reference names the month) and the
 *   auditor's to check; the ledger guarantees only one payment per beneficiary and period.
 * - Payment references are committed, not hashed plainly: `paymentRefHash` is
 *   keccak256(salt ‖ reference) with a random 32-byte salt kept with the village's records, because a
 *   bank reference or card number is guessable by enumeration.
 * - A relief project (a village road, a greenhouse) is funded from a holder's balance, paid to its
 *   implementer one milestone at a time against the implementer's milestone evidence (each payment
 *   a disbursement with the same two-organisation approval). Milestone amounts are fixed when the
 *   project is created: the budget split evenly, the last milestone taking the remainder
 *   (`milestoneAmount`). The programme's approver department accepts (closes) the project, never while
 *   a submitted milestone is unpaid; its unspent remainder then returns to the holder that funded it.
 * - A suspended organisation (its role revoked by the registry) can make no write at all: every
 *   function checks, through the manager, that the caller still holds the role it acts in, including
 *   recording usage, answering a finding and withdrawing its own proposal.
 * - Counters that money can pass through more than once (allocated, returned, received per holder and
 *   programme) are uint128 while every amount is at most uint96: overflowing one takes more than 2^32
 *   calls, so no organisation can make another's call panic by cycling money.
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
        /// @dev Organisation kind whose holders approve disbursements and accept projects (RURAL_AFFAIRS
        /// unless stated); a department, never VILLAGE, PRODUCER or RECIPIENT (the kinds that propose or are paid).
        uint8 approverRole;
        /// @dev Bit `k` set: beneficiaries need attestation kind `k`.
        uint16 requiredAttestations;
        uint96 budget;
        /// @dev Upper bound of one payment to one beneficiary.
        uint96 perBeneficiaryCap;
    }

    /// @notice A programme as stored.
    /// @dev `allocated` and `returned` count money that can pass the same hop many times (allocated down,
    /// returned up, allocated again), so they are uint128: with every amount below 2^96 they cannot overflow
    /// in fewer than 2^32 calls. `disbursed` only grows by money leaving the programme (≤ appropriated).
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
        uint128 allocated; // every allocation out of any holder of the programme, to holders and projects
        uint96 disbursed;
        uint128 returned; // every return up the tree, project remainders included
    }

    /// @notice One organisation's balance in one programme.
    /// @dev `received`, `allocated` and `returned` are cumulative flows (uint128, see Programme).
    struct Holding {
        address parent; // zero for the programme's finance (the root) and for holders not yet attached
        uint96 available;
        uint128 received; // allocated to it
        uint128 allocated; // allocated by it, to holders and projects
        uint96 reserved; // proposed, not yet approved or rejected
        uint96 disbursed;
        uint128 returned; // returned by it to its parent
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
        uint32 milestonesPaid; // bit i: the payment of milestone i approved
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
        bytes32 paymentRefHash; // the terms an approval must name, with `amount`
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
    /// @notice An amount of zero: every transfer, cap and budget is more than zero.
    error ReliefLedgerZeroAmount();
    /// @notice A document, evidence or reference hash of zero where one is required.
    error ReliefLedgerZeroHash();
    /// @notice A beneficiary key of zero.
    error ReliefLedgerZeroId();
    /// @notice A programme or project code must be 1 to 64 bytes of UTF-8; this one is `length` bytes.
    error ReliefLedgerInvalidCode(uint256 length);
    /// @notice An account of zero where an organisation is required (a finding's respondent).
    error ReliefLedgerZeroAccount();
    /// @notice A total of `amount` would not fit the ledger's 96-bit amounts.
    error ReliefLedgerAmountTooLarge(uint256 amount);
    /// @notice The finance bureau has used this programme code already (`programmeId` exists).
    error ReliefLedgerProgrammeExists(bytes32 programmeId);
    /// @notice No programme `programmeId` exists.
    error ReliefLedgerUnknownProgramme(bytes32 programmeId);
    /// @notice The programme's (or attestation's, or project's) `field` is out of range.
    error ReliefLedgerInvalidTerms(string field);
    /// @notice Only the programme's finance `finance` may do this; `caller` is not it.
    error ReliefLedgerNotProgrammeFinance(bytes32 programmeId, address caller, address finance);
    /// @notice `caller` does not hold `requiredRole` (or, with role 0, any of the roles the operation takes).
    error ReliefLedgerUnauthorized(address caller, uint64 requiredRole);
    /// @notice `account` cannot hold programme money (it is not an active finance, rural affairs or village organisation).
    error ReliefLedgerNotHolder(address account);
    /// @notice `holder` is the caller or the programme's finance: money is not allocated to either.
    error ReliefLedgerSelfAllocation(bytes32 programmeId, address holder);
    /// @notice `to` already has `parent` above it in the programme's tree.
    error ReliefLedgerNotParent(bytes32 programmeId, address to, address parent, address caller);
    /// @notice `holder` holds `available` of the programme, less than `amount`.
    error ReliefLedgerInsufficientBalance(bytes32 programmeId, address holder, uint256 available, uint256 amount);
    /// @notice `holder` is the programme's finance: there is no holder above it to return money to.
    error ReliefLedgerRootCannotReturn(bytes32 programmeId, address holder);
    /// @notice Beneficiary `key` is registered already, by `village`.
    error ReliefLedgerBeneficiaryExists(bytes32 key, address village);
    /// @notice No beneficiary `key` is registered.
    error ReliefLedgerUnknownBeneficiary(bytes32 key);
    /// @notice Attestation kind `kind` is not defined.
    error ReliefLedgerUnknownAttestation(uint8 kind);
    /// @notice Beneficiary `key` holds attestation `kind` already.
    error ReliefLedgerAlreadyAttested(bytes32 key, uint8 kind);
    /// @notice Beneficiary `key` does not hold attestation `kind`.
    error ReliefLedgerNotAttested(bytes32 key, uint8 kind);
    /// @notice Beneficiary `key` holds attestations `held`, not all the `required` ones of the programme.
    error ReliefLedgerNotEligible(bytes32 programmeId, bytes32 key, uint16 required, uint16 held);
    /// @notice The beneficiary belongs to `village`: only it, or the holder above it, may propose paying it.
    error ReliefLedgerNotBeneficiaryVillage(bytes32 key, address village, address caller);
    /// @notice `amount` is above the programme's per-payment `cap`.
    error ReliefLedgerOverCap(bytes32 programmeId, uint256 amount, uint256 cap);
    /// @notice `period` is not between 1 and the programme's `periods`.
    error ReliefLedgerInvalidPeriod(bytes32 programmeId, uint32 period, uint16 periods);
    /// @notice The recipient has disbursement `disbursementId` (in `status`) for this period already.
    error ReliefLedgerAlreadyPaid(bytes32 disbursementId, DisbursementStatus status);
    /// @notice No disbursement `disbursementId` exists.
    error ReliefLedgerUnknownDisbursement(bytes32 disbursementId);
    /// @notice Disbursement `disbursementId` is in `status`, which does not allow the operation.
    error ReliefLedgerWrongDisbursementStatus(bytes32 disbursementId, DisbursementStatus status);
    /// @notice `proposer` proposed the disbursement: another organisation must approve it.
    error ReliefLedgerSelfApproval(bytes32 disbursementId, address proposer);
    /// @notice The holder has used this project code already (`projectId` exists).
    error ReliefLedgerProjectExists(bytes32 projectId);
    /// @notice No project `projectId` exists.
    error ReliefLedgerUnknownProject(bytes32 projectId);
    /// @notice Project `projectId` is in `status`, which does not allow the operation.
    error ReliefLedgerWrongProjectStatus(bytes32 projectId, ProjectStatus status);
    /// @notice `account` is not an active village, producer or recipient organisation: it cannot implement a project.
    error ReliefLedgerNotImplementer(address account);
    /// @notice Project `projectId` is funded by `holder`, not `caller`.
    error ReliefLedgerNotProjectHolder(bytes32 projectId, address holder, address caller);
    /// @notice Project `projectId` is implemented by `implementer`, not `caller`.
    error ReliefLedgerNotProjectImplementer(bytes32 projectId, address implementer, address caller);
    /// @notice Project `projectId` would be funded `funded`, over its `budget`.
    error ReliefLedgerOverBudget(bytes32 projectId, uint256 budget, uint256 funded);
    /// @notice Milestone `index` does not exist: the project has `milestoneCount`.
    error ReliefLedgerInvalidMilestone(bytes32 projectId, uint256 index, uint8 milestoneCount);
    /// @notice Milestone `index` of the project is submitted already.
    error ReliefLedgerMilestoneSubmitted(bytes32 projectId, uint256 index);
    /// @notice Milestone `index` of the project is not submitted: it cannot be paid yet.
    error ReliefLedgerMilestoneNotSubmitted(bytes32 projectId, uint256 index);
    /// @notice The project has `reserved` of payments awaiting approval: they are approved or rejected first.
    error ReliefLedgerPaymentsPending(bytes32 projectId, uint256 reserved);
    /// @notice `caller` is neither the disbursement's proposer nor the project's implementer: it may not record usage.
    error ReliefLedgerNotRecipientSide(bytes32 disbursementId, address caller);
    /// @notice No record `target` of `kind` exists for a finding.
    error ReliefLedgerUnknownTarget(TargetKind kind, bytes32 target);
    /// @notice A finding's `severity` is not 1 (low), 2 (medium) or 3 (high).
    error ReliefLedgerInvalidSeverity(uint8 severity);
    /// @notice No finding `findingId` exists.
    error ReliefLedgerUnknownFinding(uint32 findingId);
    /// @notice Finding `findingId` is in `status`, which does not allow the operation.
    error ReliefLedgerWrongFindingStatus(uint32 findingId, FindingStatus status);
    /// @notice Finding `findingId` is for `respondent` to answer, not `caller`.
    error ReliefLedgerNotRespondent(uint32 findingId, address respondent, address caller);
    /// @notice Finding `findingId` was recorded by `auditor`: only it may close it, not `caller`.
    error ReliefLedgerNotFindingAuditor(uint32 findingId, address auditor, address caller);
    /// @notice `caller` allocated to `to`, which has no parent in the programme yet and has not accepted
    /// `caller` as its parent (`setParent`); only the programme's finance places a holder without consent.
    error ReliefLedgerParentNotAccepted(bytes32 programmeId, address to, address caller);
    /// @notice `parent` cannot be `holder`'s parent: `holder` is the programme's finance, or `parent` is not an
    /// active holder, or does not lead up to the finance (within MAX_TREE_DEPTH hops) without passing `holder`.
    error ReliefLedgerInvalidParent(bytes32 programmeId, address holder, address parent);
    /// @notice `village` (the target of a move) is not an active village organisation.
    error ReliefLedgerNotVillage(address village);
    /// @notice The programme's approver role `approverRole` is a kind that proposes or is paid (village,
    /// producer, recipient): the approver must be a department independent of both.
    error ReliefLedgerApproverNotIndependent(uint8 approverRole);
    /// @notice `approver` is the payee (`payee`, the project's implementer) of the disbursement.
    error ReliefLedgerPayeeApproval(bytes32 disbursementId, address payee);
    /// @notice The approval named `amount` and `paymentRefHash`; the disbursement now proposes
    /// `proposedAmount` and `proposedRefHash` (re-proposed after the approver reviewed it).
    error ReliefLedgerTermsChanged(
        bytes32 disbursementId,
        uint96 proposedAmount,
        bytes32 proposedRefHash,
        uint96 amount,
        bytes32 paymentRefHash
    );
    /// @notice A milestone payment must be the amount fixed at the project's creation.
    error ReliefLedgerMilestoneAmount(bytes32 projectId, uint256 index, uint256 fixedAmount, uint256 amount);
    /// @notice Milestone `index` of the project was submitted and is not paid: the project cannot be accepted.
    error ReliefLedgerMilestoneUnpaid(bytes32 projectId, uint256 index);
    /// @notice `account` holds no organisation role (suspended or never registered) and cannot act.
    error ReliefLedgerInactiveOrganisation(address account);

    // ---------------------------------------------------------------- events

    event AttestationDefined(uint8 indexed kind, uint8 indexed attesterRole, bytes32 definitionHash);
    /// @notice A finance bureau created a programme under its public `code` (`codeHash` = keccak256 of it, to
    /// find a programme by code); `programmeId` = programmeIdOf(finance, code).
    event ProgrammeCreated(
        bytes32 indexed programmeId,
        address indexed finance,
        bytes32 indexed codeHash,
        string code,
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
    /// @notice Rural affairs (`by`) moved the beneficiary from village `from` to village `to`, or
    /// deregistered it (`to` zero: its attestations are dropped too), under the decision `reasonHash`.
    event BeneficiaryMoved(
        bytes32 indexed key,
        address indexed from,
        address indexed to,
        address by,
        bytes32 reasonHash
    );
    /// @notice `holder` now has `parent` above it in the programme's tree; `by` is the holder itself
    /// (its consent) or the programme's finance (re-attaching it), `documentHash` the decision. (A holder's
    /// first allocation from the programme's finance attaches it under the finance too: its {Allocated} tells it.)
    event ParentSet(
        bytes32 indexed programmeId,
        address indexed holder,
        address indexed parent,
        address by,
        bytes32 documentHash
    );
    event Attested(bytes32 indexed key, uint8 indexed kind, address indexed by, bytes32 evidenceHash);
    event AttestationRevoked(bytes32 indexed key, uint8 indexed kind, address indexed by, bytes32 reasonHash);
    /// @notice A holder created a relief project under its public `code`; `projectId` = projectIdOf(holder, code).
    /// `codeHash` (keccak256 of the code) is not indexed: the three topics are the project, its programme and
    /// the holder, which the tree view and an organisation's page filter by.
    event ProjectCreated(
        bytes32 indexed projectId,
        bytes32 indexed programmeId,
        address indexed holder,
        bytes32 codeHash,
        string code,
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
     * @notice Create a programme under the caller's public code (e.g. "TS-IND-2026"); the caller (FINANCE) holds
     * its whole budget as the root of its tree. Codes are namespaced by finance bureau: the programme's id is
     * programmeIdOf(finance, code), so no other finance bureau can take a code first (front-running or squatting).
     * @dev Emits {ProgrammeCreated}.
     * @param code the programme's public code, 1 to 64 bytes of UTF-8 (public: a name, never personal data)
     */
    function createProgramme(
        string calldata code,
        ProgrammeTerms calldata terms,
        bytes32 documentHash
    ) external returns (bytes32 programmeId);

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

    /**
     * @notice Attach `holder` under `parent` in the programme's tree. Called by `holder` itself (an
     * active holder), it is its consent to receive allocations from `parent`, once, while it has no parent.
     * Called by the programme's finance, it re-attaches `holder` at any time (the owner fixes the tree).
     * `parent` must be an active holder organisation in the tree: its parents lead to the finance without
     * passing `holder` (no cycle). Emits {ParentSet}.
     */
    function setParent(bytes32 programmeId, address holder, address parent, bytes32 documentHash) external;

    // ---------------------------------------------------------------- beneficiaries

    /// @notice Register a beneficiary key (HMAC of the ID number) for the calling village. Emits {BeneficiaryRegistered}.
    function registerBeneficiary(bytes32 key, bytes32 householdHash) external;

    /**
     * @notice RURAL_AFFAIRS moves a registered beneficiary to `village` (an active village), or deregisters it
     * when `village` is zero (its attestations are dropped; any village may register it again). Pending
     * proposals of the former village can no longer be approved. Emits {BeneficiaryMoved}.
     */
    function moveBeneficiary(bytes32 key, address village, bytes32 reasonHash) external;

    /// @notice Attest eligibility fact `kind`; the caller must hold the kind's attester role. Emits {Attested}.
    function attest(bytes32 key, uint8 kind, bytes32 evidenceHash) external;

    /// @notice Revoke attestation `kind`; the caller must hold the kind's attester role. Emits {AttestationRevoked}.
    function revokeAttestation(bytes32 key, uint8 kind, bytes32 reasonHash) external;

    // ---------------------------------------------------------------- projects

    /**
     * @notice Create a relief project under a programme; the caller must be a holder in that programme
     * and funds it from its balance (`fundProject`). The implementer is an active village, producer
     * (cooperative, enterprise) or recipient organisation. The budget is split into `milestoneCount`
     * fixed payments (`milestoneAmount`): even shares, the last taking the remainder. Codes are namespaced by
     * holder: the project's id is projectIdOf(holder, code), so no other holder can take a code first.
     * Emits {ProjectCreated}.
     * @param code the project's public code, 1 to 64 bytes of UTF-8 (public: a name, never personal data)
     */
    function createProject(
        string calldata code,
        bytes32 programmeId,
        address implementer,
        uint96 budget,
        uint8 milestoneCount,
        bytes32 metadataHash
    ) external returns (bytes32 projectId);

    /// @notice Move `amount` from the caller's (the project holder's) balance into the project, up to its budget.
    function fundProject(bytes32 projectId, uint96 amount, bytes32 documentHash) external returns (uint64 allocationId);

    /// @notice The implementer submits the evidence that milestone `index` (0-based) is done; it must still be an
    /// active village, producer or recipient organisation. Emits {MilestoneSubmitted}.
    function submitMilestone(bytes32 projectId, uint8 index, bytes32 evidenceHash) external;

    /**
     * @notice The programme's approver department (an organisation holding its approver role) accepts
     * (closes) a project; its unspent balance returns to the project's holder. No payment may be
     * pending and no submitted milestone unpaid. Emits {ProjectAccepted} and {FundsReturned}.
     */
    function acceptProject(bytes32 projectId, bytes32 reportHash) external;

    // ---------------------------------------------------------------- disbursement

    /**
     * @notice Propose paying `amount` to beneficiary `key` for `period` (1 to the programme's periods),
     * reserving it from the caller's balance. The caller is the beneficiary's village or that
     * village's parent in the programme. Periods are not tied to dates (see the contract's notes).
     * Emits {DisbursementProposed}.
     * @param paymentRefHash keccak256(salt ‖ bank payment reference) with a random 32-byte salt the village
     * keeps: a plain hash of a reference or card number can be inverted by enumeration
     */
    function proposeDisbursement(
        bytes32 programmeId,
        uint32 period,
        bytes32 key,
        uint96 amount,
        bytes32 paymentRefHash
    ) external returns (bytes32 disbursementId);

    /// @notice Propose paying milestone `index` of a project to its implementer (still active), from the project's
    /// balance; `amount` must be the milestone's fixed amount (`milestoneAmount`).
    function proposeProjectPayment(
        bytes32 projectId,
        uint8 index,
        uint96 amount,
        bytes32 paymentRefHash
    ) external returns (bytes32 disbursementId);

    /**
     * @notice Approve a proposed disbursement on the terms reviewed: `amount` and `paymentRefHash` must be the
     * proposal's. The caller holds the programme's approver role and is neither the proposer nor the payee.
     * A beneficiary's payment is approved only while the proposer is still its village or that village's parent.
     */
    function approveDisbursement(bytes32 disbursementId, uint96 amount, bytes32 paymentRefHash) external;

    /// @notice Reject a proposed disbursement (an approver) or withdraw it (the proposer, still an active holder);
    /// the reservation is released.
    function rejectDisbursement(bytes32 disbursementId, bytes32 reasonHash) external;

    /// @notice Record a usage receipt of an approved disbursement: its proposer (for a beneficiary) or the project's
    /// implementer, still active in that role.
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

    /// @notice The respondent, still an active organisation, answers an open finding (a suspended one's answer
    /// is anchored by the auditor's resolution when it closes the finding).
    function answerFinding(uint32 findingId, bytes32 responseHash) external;

    /// @notice The auditor that recorded a finding closes it.
    function closeFinding(uint32 findingId, bytes32 resolutionHash) external;

    // ---------------------------------------------------------------- views

    function programme(bytes32 programmeId) external view returns (Programme memory);

    function programmeCount() external view returns (uint32);

    function programmeIdAt(uint32 seq) external view returns (bytes32);

    /// @notice The id of `finance`'s programme with public `code`: keccak256(abi.encode(finance, keccak256(code))).
    function programmeIdOf(address finance, string calldata code) external pure returns (bytes32);

    /// @notice The id of `holder`'s relief project with public `code`: keccak256(abi.encode(holder, keccak256(code))).
    function projectIdOf(address holder, string calldata code) external pure returns (bytes32);

    function holding(bytes32 programmeId, address holder) external view returns (Holding memory);

    function beneficiary(bytes32 key) external view returns (Beneficiary memory);

    /// @notice The attester role of attestation kind `kind` (0: not defined).
    function attesterRole(uint8 kind) external view returns (uint8);

    /// @notice Whether `key` holds every attestation the programme requires.
    function isEligible(bytes32 programmeId, bytes32 key) external view returns (bool);

    function project(bytes32 projectId) external view returns (Project memory);

    /// @notice The fixed amount of milestone `index` of a project (0 for an unknown project or index).
    function milestoneAmount(bytes32 projectId, uint8 index) external view returns (uint96);

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
