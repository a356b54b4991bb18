// SPDX-License-Identifier: Apache-2.0
// The relief ledger's Solidity fixture, shared by its example, fuzz, invariant, attack and gas tests. Like every
// fixture in test/utils/ it is a small file of its own, so that a test file importing it does not also compile
// the handler (test/handlers/): solcjs (WebAssembly) runs out of memory on such a job.
// The labels (PROG_A, ROAD, …) read as the constants they were before ids were namespaced: var-name-mixedcase.
// solhint-disable func-name-mixedcase, max-states-count, gas-increment-by-one, gas-small-strings, var-name-mixedcase
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {IReliefLedger} from "../../contracts/interfaces/IReliefLedger.sol";
import {ReliefLedger} from "../../contracts/relief/ReliefLedger.sol";
import {OrgRegistryFixture} from "./OrgRegistryFixture.sol";
import {behindProxy} from "./BehindProxy.sol";
import {Wiring} from "./Wiring.sol";

/// @dev Amounts are integer fen: one yuan is 100.
uint256 constant YUAN = 100;

/// @dev The fixture's clock (June 2025).
uint256 constant T0 = 1_750_000_000;

/// @dev Eligibility facts as src/relief/attestations.ts numbers them (kinds 0, 1 and 4 attested by civil
/// affairs, 2 and 3 by rural affairs).
uint8 constant MINIMUM_LIVING_ALLOWANCE = 0;
uint8 constant EXTREME_HARDSHIP = 1;
uint8 constant LIFTED_FROM_POVERTY = 2;
uint8 constant MONITORED_HOUSEHOLD = 3;
uint8 constant LOW_INCOME_HOUSEHOLD = 4;

/// @dev ReliefLedgerUnauthorized's role when the caller holds none of the roles an operation takes (accepting
/// a project: inspector or rural affairs).
uint64 constant ANY_ROLE = 0;

/// @dev The ledger's bounds, spelled out from the interface's NatSpec.
uint8 constant MAX_ATTESTATION_KIND = 15;
uint8 constant MAX_MILESTONES = 32;
uint8 constant MAX_TREE_DEPTH = 16;

/// @dev Bit `kind` of an attestation mask.
function bitOf(uint8 kind) pure returns (uint16) {
    return uint16(1) << kind;
}

/// @dev A beneficiary key. On chain it is HMAC-SHA256 of the ID number under the consortium secret; any
/// 32 bytes stand for one here.
function keyOf(string memory tag, uint256 n) pure returns (bytes32) {
    return keccak256(abi.encode("beneficiary", tag, n));
}

/// @dev A namespaced programme or project id, as ReliefLedger computes it: keccak256(abi.encode(creator, keccak256(code))).
function namespacedId(address creator, string memory code) pure returns (bytes32) {
    return keccak256(abi.encode(creator, keccak256(bytes(code))));
}

/// @dev A document hash with realistic (non-zero) content.
function docOf(string memory what, uint256 n) pure returns (bytes32) {
    return keccak256(abi.encode(what, n));
}

/**
 * @dev The relief deployment as deploy/modules/Relief.ts builds it on the foundation: ReliefLedger is a
 * target of the same manager, its functions are wired as deploy/wiring.ts says (one
 * `setTargetFunctionRole` per role; the functions open to several roles to PUBLIC_ROLE) and the five
 * attestation kinds of src/relief/attestations.ts are defined. ADMIN registers the city finance bureau, a
 * county finance bureau, a second rural affairs bureau and the auditor; rural affairs registers a township
 * and two villages; the market regulator an inspection lab and a cooperative (a project implementer).
 *
 * Programme A (monthly living allowance, 12 periods, needs kinds 0 and 3) flows finance → rural affairs →
 * township → village A; programme B (a one-off grant, needs kind 0) finance → rural affairs → village B.
 * Beneficiary 1 (village A) holds kinds 0 and 3, beneficiary 2 (village A) kind 0 only, beneficiary 3
 * (village B) kinds 0 and 3.
 */
abstract contract ReliefLedgerFixture is OrgRegistryFixture {
    ReliefLedger internal relief;

    address internal finance; // 市财政局: creates both programmes
    address internal countyFinance; // 县财政局
    address internal ruralAffairsB; // a second 乡村振兴局 (`ruralAffairs` comes from the foundation)
    address internal township; // 乡镇 (VILLAGE)
    address internal villageA; // 村委会
    address internal villageB;
    address internal inspector;
    address internal producer; // a cooperative
    address internal auditor;
    address internal stranger;

    /// @dev Programme and project labels: each is also the code, as a short string (`_text`), and stands for
    /// the namespaced id of the organisation that created it — `_createProgramme` and `_createProject` set the
    /// label to the id they created; until then it is the id of its usual creator (finance for programmes,
    /// the township for ROAD, village A for GREENHOUSE, finance for PROJECT).
    bytes32 internal PROG_A;
    bytes32 internal PROG_B;
    bytes32 internal PROG_C;
    bytes32 internal PROG_D;
    bytes32 internal ROAD;
    bytes32 internal GREENHOUSE;
    bytes32 internal PROJECT;
    bytes32 internal constant PROG_A_CODE = "2025-MLA-MONTHLY";
    bytes32 internal constant PROG_B_CODE = "2025-EDU-ONEOFF";
    bytes32 internal constant PROG_C_CODE = "2025-HOUSING";
    bytes32 internal constant PROG_D_CODE = "FUZZ-D";
    bytes32 internal constant ROAD_CODE = "PRJ-2025-VILLAGE-ROAD";
    bytes32 internal constant GREENHOUSE_CODE = "PRJ-2025-GREENHOUSE";
    bytes32 internal constant PROJECT_CODE = "FUZZ-PROJECT";
    uint16 internal constant REQUIRED_A = 9; // kinds 0 and 3
    uint16 internal constant REQUIRED_B = 1; // kind 0
    uint256 internal constant BUDGET_A = 10_000_000 * YUAN;
    uint256 internal constant BUDGET_B = 2_000_000 * YUAN;
    uint256 internal constant CAP_A = 1_000 * YUAN;
    uint256 internal constant CAP_B = 5_000 * YUAN;

    bytes32 internal key1;
    bytes32 internal key2;
    bytes32 internal key3;

    /// @dev Projects created through `_createProject`, for the conservation sums.
    bytes32[] internal createdProjects;

    function setUp() public virtual override {
        super.setUp();
        vm.warp(T0);
        relief = _deployReliefLedger();
        _defineAttestations();

        finance = makeAddr("finance");
        countyFinance = makeAddr("countyFinance");
        ruralAffairsB = makeAddr("ruralAffairsB");
        township = makeAddr("township");
        villageA = makeAddr("villageA");
        villageB = makeAddr("villageB");
        inspector = makeAddr("inspector");
        producer = makeAddr("producer");
        auditor = makeAddr("auditor");
        stranger = makeAddr("stranger");
        _register(finance, uint8(Roles.FINANCE));
        _register(countyFinance, uint8(Roles.FINANCE));
        _register(ruralAffairsB, uint8(Roles.RURAL_AFFAIRS));
        _register(township, uint8(Roles.VILLAGE));
        _register(villageA, uint8(Roles.VILLAGE));
        _register(villageB, uint8(Roles.VILLAGE));
        _register(inspector, uint8(Roles.INSPECTOR));
        _register(producer, uint8(Roles.PRODUCER));
        _register(auditor, uint8(Roles.AUDITOR));
        _labelIds();

        _createProgramme(PROG_A, _terms(12, REQUIRED_A, BUDGET_A, CAP_A));
        _createProgramme(PROG_B, _terms(1, REQUIRED_B, BUDGET_B, CAP_B));
        _allocate(PROG_A, finance, ruralAffairs, 4_000_000 * YUAN);
        _consentAndAllocate(PROG_A, ruralAffairs, township, 1_000_000 * YUAN);
        _consentAndAllocate(PROG_A, township, villageA, 200_000 * YUAN);
        _allocate(PROG_B, finance, ruralAffairs, 500_000 * YUAN);
        _consentAndAllocate(PROG_B, ruralAffairs, villageB, 100_000 * YUAN);

        key1 = keyOf("fixture", 1);
        key2 = keyOf("fixture", 2);
        key3 = keyOf("fixture", 3);
        _registerBeneficiary(key1, villageA);
        _registerBeneficiary(key2, villageA);
        _registerBeneficiary(key3, villageB);
        _attest(key1, MINIMUM_LIVING_ALLOWANCE);
        _attest(key1, MONITORED_HOUSEHOLD);
        _attest(key2, MINIMUM_LIVING_ALLOWANCE);
        _attest(key3, MINIMUM_LIVING_ALLOWANCE);
        _attest(key3, MONITORED_HOUSEHOLD);
    }

    /// @dev The ledger as deploy/modules/Relief.ts deploys it: a target of the manager, wired as
    /// deploy/wiring.ts says (test/utils/Wiring.sol). The one place the fixtures deploy it.
    function _deployReliefLedger() internal returns (ReliefLedger deployed) {
        address implementation = address(new ReliefLedger());
        bytes memory init = abi.encodeCall(ReliefLedger.initialize, (address(manager)));
        deployed = ReliefLedger(address(behindProxy(implementation, address(manager), init)));
        Wiring.reliefLedger(manager, address(deployed));
    }

    /// @dev src/relief/attestations.ts, as the Relief module defines them (the fixture is the ADMIN).
    function _defineAttestations() internal {
        _define(MINIMUM_LIVING_ALLOWANCE, Roles.CIVIL_AFFAIRS, unicode"MINIMUM_LIVING_ALLOWANCE:最低生活保障对象");
        _define(EXTREME_HARDSHIP, Roles.CIVIL_AFFAIRS, unicode"EXTREME_HARDSHIP:特困供养人员");
        _define(LIFTED_FROM_POVERTY, Roles.RURAL_AFFAIRS, unicode"LIFTED_FROM_POVERTY:脱贫户");
        _define(MONITORED_HOUSEHOLD, Roles.RURAL_AFFAIRS, unicode"MONITORED_HOUSEHOLD:防返贫监测对象");
        _define(LOW_INCOME_HOUSEHOLD, Roles.CIVIL_AFFAIRS, unicode"LOW_INCOME_HOUSEHOLD:低收入家庭");
    }

    function _define(uint8 kind, uint64 attester, string memory wording) internal {
        relief.defineAttestation(kind, uint8(attester), _definitionHash(kind, attester, wording));
    }

    /// @dev attestationDefinitionHash of src/relief/attestations.ts: the kind bound to its published wording.
    function _definitionHash(uint8 kind, uint64 attester, string memory wording) internal pure returns (bytes32) {
        string memory role = attester == Roles.CIVIL_AFFAIRS ? "CIVIL_AFFAIRS" : "RURAL_AFFAIRS";
        return
            keccak256(
                bytes(
                    string.concat("zhixin-relief-attestation:v1:", vm.toString(uint256(kind)), ":", wording, ":", role)
                )
            );
    }

    // ---------------------------------------------------------------- steps

    /// @dev Terms of a programme approved by rural affairs.
    function _terms(
        uint256 periods,
        uint16 required,
        uint256 budget,
        uint256 cap
    ) internal pure returns (IReliefLedger.ProgrammeTerms memory) {
        return
            IReliefLedger.ProgrammeTerms({
                category: IReliefLedger.Category.Other,
                fiscalYear: 2025,
                periods: uint16(periods),
                approverRole: uint8(Roles.RURAL_AFFAIRS),
                requiredAttestations: required,
                budget: uint96(budget),
                perBeneficiaryCap: uint96(cap)
            });
    }

    /// @dev The labels' ids before any is created: those of their usual creators.
    function _labelIds() internal {
        PROG_A = relief.programmeIdOf(finance, _text(PROG_A_CODE));
        PROG_B = relief.programmeIdOf(finance, _text(PROG_B_CODE));
        PROG_C = relief.programmeIdOf(finance, _text(PROG_C_CODE));
        PROG_D = relief.programmeIdOf(finance, _text(PROG_D_CODE));
        ROAD = relief.projectIdOf(township, _text(ROAD_CODE));
        GREENHOUSE = relief.projectIdOf(villageA, _text(GREENHOUSE_CODE));
        PROJECT = relief.projectIdOf(finance, _text(PROJECT_CODE));
    }

    /// @dev Finance creates the programme labelled `label` (a label above, or a short string code).
    function _createProgramme(bytes32 label, IReliefLedger.ProgrammeTerms memory terms) internal returns (bytes32 id) {
        string memory code = _codeOf(label);
        id = namespacedId(finance, code);
        vm.prank(finance);
        relief.createProgramme(code, terms, docOf("budget document", uint256(id)));
        _relabel(label, id);
    }

    /// @dev The code a label stands for: a programme or project label's code, else the label itself as text.
    function _codeOf(bytes32 label) internal view returns (string memory) {
        if (label == PROG_A) return _text(PROG_A_CODE);
        if (label == PROG_B) return _text(PROG_B_CODE);
        if (label == PROG_C) return _text(PROG_C_CODE);
        if (label == PROG_D) return _text(PROG_D_CODE);
        if (label == ROAD) return _text(ROAD_CODE);
        if (label == GREENHOUSE) return _text(GREENHOUSE_CODE);
        if (label == PROJECT) return _text(PROJECT_CODE);
        return _text(label);
    }

    /// @dev Points the label that named `label` at `id` (the id its creator got).
    function _relabel(bytes32 label, bytes32 id) internal {
        if (label == PROG_C) PROG_C = id;
        else if (label == PROG_D) PROG_D = id;
        else if (label == ROAD) ROAD = id;
        else if (label == GREENHOUSE) GREENHOUSE = id;
        else if (label == PROJECT) PROJECT = id;
    }

    /// @dev A left-aligned short string (a bytes32 literal) as text, without its trailing zero bytes.
    function _text(bytes32 short) internal pure returns (string memory) {
        uint256 n = 0;
        while (n < 32 && short[n] != 0) ++n;
        bytes memory b = new bytes(n);
        for (uint256 i = 0; i < n; ++i) b[i] = short[i];
        return string(b);
    }

    function _allocate(bytes32 programmeId, address from, address to, uint256 amount) internal returns (uint64) {
        vm.prank(from);
        return relief.allocate(programmeId, to, uint96(amount), docOf("allocation notice", amount));
    }

    /// @dev `_allocate` after `to` accepted `from` as its parent (when it has none and `from` is not the
    /// programme's finance). Not for use after `vm.expectRevert` (the consent is a call of its own).
    function _consentAndAllocate(bytes32 programmeId, address from, address to, uint256 amount) internal {
        _consent(programmeId, from, to);
        _allocate(programmeId, from, to, amount);
    }

    /// @dev `to` accepts `from` as its parent when it has none and `from` is not the programme's finance.
    function _consent(bytes32 programmeId, address from, address to) internal {
        if (
            relief.holding(programmeId, to).parent == address(0) &&
            from != relief.programme(programmeId).finance &&
            to != relief.programme(programmeId).finance &&
            to != from
        ) {
            vm.prank(to);
            relief.setParent(programmeId, to, from, docOf("parent consent", uint256(uint160(from))));
        }
    }

    function _return(bytes32 programmeId, address by, uint256 amount) internal {
        vm.prank(by);
        relief.returnFunds(programmeId, uint96(amount), docOf("return", amount));
    }

    function _registerBeneficiary(bytes32 key, address village) internal {
        vm.prank(village);
        relief.registerBeneficiary(key, docOf("household record", uint256(key)));
    }

    /// @dev The fixture's attester of `kind`: civil affairs or (kinds 2 and 3) rural affairs.
    function _attester(uint8 kind) internal view returns (address) {
        return kind == LIFTED_FROM_POVERTY || kind == MONITORED_HOUSEHOLD ? ruralAffairs : civilAffairs;
    }

    function _attest(bytes32 key, uint8 kind) internal {
        vm.prank(_attester(kind));
        relief.attest(key, kind, docOf("attestation evidence", uint256(key) ^ kind));
    }

    function _revoke(bytes32 key, uint8 kind) internal {
        vm.prank(_attester(kind));
        relief.revokeAttestation(key, kind, docOf("revocation", uint256(key) ^ kind));
    }

    function _propose(
        bytes32 programmeId,
        address by,
        uint256 period,
        bytes32 key,
        uint256 amount
    ) internal returns (bytes32) {
        vm.prank(by);
        return relief.proposeDisbursement(programmeId, uint32(period), key, uint96(amount), docOf("payment", amount));
    }

    /// @dev Approves on the terms currently proposed, read from storage with `vm.load` (not a call, so that a
    /// preceding `vm.expectRevert` applies to the approval itself).
    function _approve(bytes32 id, address by) internal {
        (uint96 amount, bytes32 paymentRefHash) = _proposedTerms(id);
        vm.prank(by);
        relief.approveDisbursement(id, amount, paymentRefHash);
    }

    /// @dev Slot 6 of ReliefLedger's layout is `_disbursements` (deploy/layouts/ReliefLedger.json: the authority
    /// and the initializer state are in ERC-7201 namespaces, not in the sequential slots); a
    /// Disbursement's first slot packs holder and amount, its fourth is paymentRefHash.
    /// `test_proposedTerms_readFromStorage` pins this against the `disbursement` view.
    function _proposedTerms(bytes32 id) internal view returns (uint96 amount, bytes32 paymentRefHash) {
        uint256 base = uint256(keccak256(abi.encode(id, uint256(6))));
        amount = uint96(uint256(vm.load(address(relief), bytes32(base))) >> 160);
        paymentRefHash = vm.load(address(relief), bytes32(base + 3));
    }

    function _reject(bytes32 id, address by) internal {
        vm.prank(by);
        relief.rejectDisbursement(id, docOf("rejection", uint256(id)));
    }

    /// @dev A project implemented by the cooperative, created by `by` under the code `label` stands for; the
    /// label then names `by`'s id.
    function _createProject(
        bytes32 label,
        bytes32 programmeId,
        address by,
        uint256 budget,
        uint256 milestones
    ) internal returns (bytes32 projectId) {
        string memory code = _codeOf(label);
        projectId = namespacedId(by, code);
        vm.prank(by);
        relief.createProject(
            code,
            programmeId,
            producer,
            uint96(budget),
            uint8(milestones),
            docOf("project plan", uint256(projectId))
        );
        if (relief.project(projectId).holder == by) {
            _relabel(label, projectId);
            if (!_listed(projectId)) createdProjects.push(projectId);
        }
    }

    function _listed(bytes32 projectId) internal view returns (bool) {
        for (uint256 i = 0; i < createdProjects.length; ++i) if (createdProjects[i] == projectId) return true;
        return false;
    }

    function _fund(bytes32 projectId, address by, uint256 amount) internal returns (uint64) {
        vm.prank(by);
        return relief.fundProject(projectId, uint96(amount), docOf("funding", amount));
    }

    function _submit(bytes32 projectId, uint256 index) internal {
        vm.prank(producer);
        relief.submitMilestone(projectId, uint8(index), docOf("milestone evidence", index));
    }

    function _proposePayment(bytes32 projectId, address by, uint256 index, uint256 amount) internal returns (bytes32) {
        vm.prank(by);
        return relief.proposeProjectPayment(projectId, uint8(index), uint96(amount), docOf("invoice", amount));
    }

    /// @dev The registry suspends `account` (its role is revoked at the manager), called by its admitter.
    function _suspend(address account) internal {
        vm.prank(_admitter(registry.organisation(account).kind));
        registry.suspend(account, keccak256("suspension decision"));
    }

    function _reinstate(address account) internal {
        vm.prank(_admitter(registry.organisation(account).kind));
        registry.reinstate(account, keccak256("reinstatement decision"));
    }

    function _holding(bytes32 programmeId, address holder) internal view returns (IReliefLedger.Holding memory) {
        return relief.holding(programmeId, holder);
    }

    function _available(bytes32 programmeId, address holder) internal view returns (uint256) {
        return relief.holding(programmeId, holder).available;
    }

    function _status(bytes32 id) internal view returns (IReliefLedger.DisbursementStatus) {
        return relief.disbursement(id).status;
    }

    /// @dev Every account the fixture knows.
    function _accounts() internal view returns (address[14] memory) {
        return
            [
                address(this),
                civilAffairs,
                marketRegulator,
                ruralAffairs,
                finance,
                countyFinance,
                ruralAffairsB,
                township,
                villageA,
                villageB,
                inspector,
                producer,
                auditor,
                stranger
            ];
    }

    /// @dev Per programme: appropriated = Σ over holders and projects of (available + reserved) + disbursed,
    /// and disbursed = Σ holders' disbursed + Σ projects' paid.
    function _assertConserved(bytes32 programmeId) internal view {
        IReliefLedger.Programme memory p = relief.programme(programmeId);
        address[14] memory accounts = _accounts();
        uint256 held = 0;
        uint256 spent = 0;
        for (uint256 i = 0; i < accounts.length; ++i) {
            IReliefLedger.Holding memory h = relief.holding(programmeId, accounts[i]);
            held += uint256(h.available) + h.reserved;
            spent += h.disbursed;
        }
        for (uint256 i = 0; i < createdProjects.length; ++i) {
            if (relief.projectProgramme(createdProjects[i]) != programmeId) continue;
            IReliefLedger.Project memory j = relief.project(createdProjects[i]);
            held += uint256(j.available) + j.reserved;
            spent += j.paid;
        }
        assertEq(held + p.disbursed, p.appropriated, "appropriated = held + disbursed");
        assertEq(spent, p.disbursed, "disbursed = holders' disbursed + projects' paid");
    }

    // ---------------------------------------------------------------- expected errors

    function _errManaged(address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, caller);
    }

    function _errUnauthorized(address caller, uint64 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnauthorized.selector, caller, role);
    }

    function _errNotHolder(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotHolder.selector, account);
    }

    function _errInsufficient(
        bytes32 programmeId,
        address holder,
        uint256 available,
        uint256 amount
    ) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerInsufficientBalance.selector,
                programmeId,
                holder,
                available,
                amount
            );
    }

    function _errNotParent(
        bytes32 programmeId,
        address to,
        address parent,
        address caller
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotParent.selector, programmeId, to, parent, caller);
    }

    function _errNotEligible(
        bytes32 programmeId,
        bytes32 key,
        uint16 required,
        uint16 held
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotEligible.selector, programmeId, key, required, held);
    }

    function _errAlreadyPaid(bytes32 id, IReliefLedger.DisbursementStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerAlreadyPaid.selector, id, status);
    }

    function _errWrongStatus(bytes32 id, IReliefLedger.DisbursementStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerWrongDisbursementStatus.selector, id, status);
    }

    function _errWrongProjectStatus(
        bytes32 projectId,
        IReliefLedger.ProjectStatus status
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerWrongProjectStatus.selector, projectId, status);
    }

    function _errZeroHash() internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerZeroHash.selector);
    }

    function _errZeroAmount() internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerZeroAmount.selector);
    }
}
