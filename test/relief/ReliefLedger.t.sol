// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings, function-max-lines
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {IReliefLedger} from "../../contracts/interfaces/IReliefLedger.sol";
import {
    ReliefLedgerFixture,
    EXTREME_HARDSHIP,
    LIFTED_FROM_POVERTY,
    LOW_INCOME_HOUSEHOLD,
    MAX_ATTESTATION_KIND,
    MAX_MILESTONES,
    MINIMUM_LIVING_ALLOWANCE,
    MONITORED_HOUSEHOLD,
    T0,
    YUAN,
    bitOf,
    docOf,
    keyOf,
    namespacedId
} from "../utils/ReliefLedgerFixture.sol";

contract ReliefLedgerTest is ReliefLedgerFixture {
    // ---------------------------------------------------------------- governance

    /// Rule: ADMIN defines kind 0-15 with an organisation kind as attester (redefining keeps the bits
    /// already held); a kind above 15 is UnknownAttestation, a non-kind attester InvalidTerms, a zero hash
    /// ZeroHash; anyone else is refused by the manager.
    function test_defineAttestation_adminDefinesKinds() public {
        assertEq(relief.attesterRole(MINIMUM_LIVING_ALLOWANCE), Roles.CIVIL_AFFAIRS);
        assertEq(relief.attesterRole(MONITORED_HOUSEHOLD), Roles.RURAL_AFFAIRS);
        assertEq(relief.attesterRole(9), 0, "undefined");

        vm.expectEmit(address(relief));
        emit IReliefLedger.AttestationDefined(MAX_ATTESTATION_KIND, uint8(Roles.INSPECTOR), keccak256("disability"));
        relief.defineAttestation(MAX_ATTESTATION_KIND, uint8(Roles.INSPECTOR), keccak256("disability"));
        assertEq(relief.attesterRole(MAX_ATTESTATION_KIND), Roles.INSPECTOR);

        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownAttestation.selector, 16));
        relief.defineAttestation(16, uint8(Roles.CIVIL_AFFAIRS), keccak256("x"));
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidTerms.selector, "attesterRole"));
        relief.defineAttestation(5, uint8(Roles.ADMIN), keccak256("x"));
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidTerms.selector, "attesterRole"));
        relief.defineAttestation(5, uint8(Roles.REGISTRAR), keccak256("x"));
        vm.expectRevert(_errZeroHash());
        relief.defineAttestation(5, uint8(Roles.CIVIL_AFFAIRS), bytes32(0));
        vm.expectRevert(_errManaged(civilAffairs));
        vm.prank(civilAffairs);
        relief.defineAttestation(5, uint8(Roles.CIVIL_AFFAIRS), keccak256("x"));

        // Kind 0 passes to rural affairs: beneficiary 1 keeps its bit; civil affairs no longer revokes it.
        relief.defineAttestation(MINIMUM_LIVING_ALLOWANCE, uint8(Roles.RURAL_AFFAIRS), keccak256("moved"));
        assertEq(relief.beneficiary(key1).attestations, REQUIRED_A, "bits kept");
        vm.expectRevert(_errUnauthorized(civilAffairs, Roles.RURAL_AFFAIRS));
        vm.prank(civilAffairs);
        relief.revokeAttestation(key1, MINIMUM_LIVING_ALLOWANCE, keccak256("r"));
        vm.prank(ruralAffairs);
        relief.revokeAttestation(key1, MINIMUM_LIVING_ALLOWANCE, keccak256("r"));
        assertEq(relief.beneficiary(key1).attestations, bitOf(MONITORED_HOUSEHOLD));
    }

    // ---------------------------------------------------------------- programmes

    /// Rule: createProgramme stores the terms, makes the caller the programme's finance and root (its
    /// whole budget available, no parent) and numbers the programme.
    function test_createProgramme_recordsTermsAndRoot() public {
        IReliefLedger.ProgrammeTerms memory t = IReliefLedger.ProgrammeTerms({
            category: IReliefLedger.Category.Housing,
            fiscalYear: 2026,
            periods: 4,
            approverRole: uint8(Roles.CIVIL_AFFAIRS),
            requiredAttestations: bitOf(EXTREME_HARDSHIP) | bitOf(LOW_INCOME_HOUSEHOLD),
            budget: uint96(3_000_000 * YUAN),
            perBeneficiaryCap: uint96(20_000 * YUAN)
        });
        bytes32 doc = keccak256("housing budget");
        string memory code = _text(PROG_C_CODE);
        PROG_C = relief.programmeIdOf(countyFinance, code);
        assertEq(PROG_C, namespacedId(countyFinance, code), "the county's id for the code");
        vm.expectEmit(address(relief));
        emit IReliefLedger.ProgrammeCreated(
            PROG_C,
            countyFinance,
            keccak256(bytes(code)),
            code,
            t.category,
            t.fiscalYear,
            t.periods,
            t.approverRole,
            t.requiredAttestations,
            t.budget,
            t.perBeneficiaryCap,
            doc
        );
        vm.prank(countyFinance);
        assertEq(relief.createProgramme(code, t, doc), PROG_C, "returns the id");

        IReliefLedger.Programme memory p = relief.programme(PROG_C);
        assertEq(p.finance, countyFinance);
        assertEq(uint8(p.category), uint8(IReliefLedger.Category.Housing));
        assertEq(p.fiscalYear, 2026);
        assertEq(p.periods, 4);
        assertEq(p.approverRole, Roles.CIVIL_AFFAIRS);
        assertEq(p.requiredAttestations, 18);
        assertEq(p.seq, 3);
        assertEq(p.appropriated, 3_000_000 * YUAN);
        assertEq(p.perBeneficiaryCap, 20_000 * YUAN);
        assertEq(p.allocated, 0);
        assertEq(p.disbursed, 0);
        assertEq(p.returned, 0);
        IReliefLedger.Holding memory root = _holding(PROG_C, countyFinance);
        assertEq(root.parent, address(0), "the root has no parent");
        assertEq(root.available, 3_000_000 * YUAN, "the whole budget at the root");
        assertEq(root.received, 0);
        assertEq(relief.programmeCount(), 3);
        assertEq(relief.programmeIdAt(1), PROG_A);
        assertEq(relief.programmeIdAt(3), PROG_C);
        assertEq(relief.programmeIdAt(0), bytes32(0));
        assertEq(relief.programmeIdAt(4), bytes32(0));
        assertEq(relief.programme("nope").seq, 0, "unknown: empty record");
        _assertConserved(PROG_C);
    }

    /// Rule: only FINANCE creates; code (1-64 bytes), document, budget, periods, fiscal year (2000-2999), cap,
    /// approver role (an organisation kind) and required kinds (defined ones) are checked, and a finance
    /// bureau uses a code once.
    function test_createProgramme_refusals() public {
        IReliefLedger.ProgrammeTerms memory t = _terms(12, REQUIRED_A, BUDGET_A, CAP_A);
        bytes32 doc = keccak256("doc");
        string memory code = _text(PROG_C_CODE);
        vm.expectRevert(_errManaged(ruralAffairs));
        vm.prank(ruralAffairs);
        relief.createProgramme(code, t, doc);

        vm.startPrank(finance);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidCode.selector, 0));
        relief.createProgramme("", t, doc);
        vm.expectRevert(_errZeroHash());
        relief.createProgramme(code, t, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerProgrammeExists.selector, PROG_A));
        relief.createProgramme(_text(PROG_A_CODE), t, doc);
        _expectTermsRevert(t, 0, "");
        _expectTermsRevert(t, 1, "periods");
        _expectTermsRevert(t, 2, "fiscalYear");
        _expectTermsRevert(t, 3, "fiscalYear");
        _expectTermsRevert(t, 4, "perBeneficiaryCap");
        _expectTermsRevert(t, 5, "approverRole");
        _expectTermsRevert(t, 6, "approverRole");
        t.requiredAttestations = REQUIRED_A | bitOf(7);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownAttestation.selector, 7));
        relief.createProgramme(code, t, doc);
        t.requiredAttestations = 0; // no attestation needed
        t.fiscalYear = 2999;
        relief.createProgramme(code, t, doc);
        vm.stopPrank();
        assertEq(relief.programme(PROG_C).seq, 3);
        _registerBeneficiary(keyOf("test", 9), villageB);
        assertTrue(relief.isEligible(PROG_C, keyOf("test", 9)), "nothing required");
    }

    /// @dev Breaks one field of `t` (0 budget, 1 periods, 2-3 fiscal year, 4 cap, 5-6 approver role) and
    /// expects InvalidTerms(field), or ZeroAmount for the budget.
    function _expectTermsRevert(IReliefLedger.ProgrammeTerms memory t, uint256 which, string memory field) internal {
        IReliefLedger.ProgrammeTerms memory bad = IReliefLedger.ProgrammeTerms({
            category: t.category,
            fiscalYear: which == 2 ? 1999 : (which == 3 ? 3000 : t.fiscalYear),
            periods: which == 1 ? 0 : t.periods,
            approverRole: which == 5 ? 0 : (which == 6 ? uint8(Roles.REGISTRAR) : t.approverRole),
            requiredAttestations: t.requiredAttestations,
            budget: which == 0 ? 0 : t.budget,
            perBeneficiaryCap: which == 4 ? 0 : t.perBeneficiaryCap
        });
        if (which == 0) vm.expectRevert(_errZeroAmount());
        else vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidTerms.selector, field));
        relief.createProgramme(_text(PROG_C_CODE), bad, keccak256("doc"));
    }

    /// Rule: the programme's finance raises its budget, at its root; another finance bureau is
    /// NotProgrammeFinance, anyone else is refused by the manager; zero, a zero document, an unknown
    /// programme and a total beyond uint96 are refused.
    function test_appropriate_raisesBudgetAtRoot() public {
        uint256 before = _available(PROG_A, finance);
        bytes32 doc = keccak256("supplementary budget");
        vm.expectEmit(address(relief));
        emit IReliefLedger.Appropriated(PROG_A, finance, uint96(500_000 * YUAN), doc);
        vm.prank(finance);
        relief.appropriate(PROG_A, uint96(500_000 * YUAN), doc);
        assertEq(relief.programme(PROG_A).appropriated, BUDGET_A + 500_000 * YUAN);
        assertEq(_available(PROG_A, finance), before + 500_000 * YUAN);
        _assertConserved(PROG_A);

        vm.expectRevert(
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotProgrammeFinance.selector,
                PROG_A,
                countyFinance,
                finance
            )
        );
        vm.prank(countyFinance);
        relief.appropriate(PROG_A, 1, doc);
        vm.expectRevert(_errManaged(ruralAffairs));
        vm.prank(ruralAffairs);
        relief.appropriate(PROG_A, 1, doc);

        vm.startPrank(finance);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownProgramme.selector, PROG_C));
        relief.appropriate(PROG_C, 1, doc);
        vm.expectRevert(_errZeroAmount());
        relief.appropriate(PROG_A, 0, doc);
        vm.expectRevert(_errZeroHash());
        relief.appropriate(PROG_A, 1, bytes32(0));
        uint256 appropriated = relief.programme(PROG_A).appropriated;
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerAmountTooLarge.selector, appropriated + type(uint96).max)
        );
        relief.appropriate(PROG_A, type(uint96).max, doc);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------- allocation

    /// Rule: an allocation moves the amount from the caller to `to` (conserved: the programme's sums do
    /// not change), counts it on both sides and in the programme, numbers it, and makes the caller the
    /// parent of a holder that had none; a later allocation from anyone else is NotParent, also when
    /// it would close a cycle. Parents are per programme.
    function test_allocate_conservesAndSetsParentOnce() public {
        uint256 amount = 300_000 * YUAN;
        uint64 next = relief.allocationCount() + 1;
        IReliefLedger.Holding memory rootBefore = _holding(PROG_B, finance);
        uint256 allocatedBefore = relief.programme(PROG_B).allocated;
        bytes32 doc = docOf("allocation notice", amount);

        vm.expectEmit(address(relief));
        emit IReliefLedger.Allocated(PROG_B, finance, ruralAffairsB, next, uint96(amount), doc);
        assertEq(_allocate(PROG_B, finance, ruralAffairsB, amount), next);
        assertEq(relief.allocationCount(), next);

        IReliefLedger.Holding memory to = _holding(PROG_B, ruralAffairsB);
        assertEq(to.parent, finance, "first allocation sets the parent");
        assertEq(to.available, amount);
        assertEq(to.received, amount);
        IReliefLedger.Holding memory root = _holding(PROG_B, finance);
        assertEq(root.available, rootBefore.available - amount);
        assertEq(root.allocated, rootBefore.allocated + amount);
        assertEq(relief.programme(PROG_B).allocated, allocatedBefore + amount, "every hop counts");
        assertEq(relief.programme(PROG_B).appropriated, BUDGET_B, "nothing created");
        _assertConserved(PROG_B);

        // The same parent again: fine.
        _allocate(PROG_B, finance, ruralAffairsB, 1);
        assertEq(_holding(PROG_B, ruralAffairsB).received, amount + 1);
        // Anyone else, though holding money of the programme: NotParent.
        vm.expectRevert(_errNotParent(PROG_B, ruralAffairsB, finance, ruralAffairs));
        _allocate(PROG_B, ruralAffairs, ruralAffairsB, 1);
        vm.expectRevert(_errNotParent(PROG_B, villageB, ruralAffairs, ruralAffairsB));
        _allocate(PROG_B, ruralAffairsB, villageB, 1);
        // Down the tree to another finance bureau (which accepts), then back up: a cycle is NotParent.
        _consentAndAllocate(PROG_B, ruralAffairsB, countyFinance, 10_000 * YUAN);
        assertEq(_holding(PROG_B, countyFinance).parent, ruralAffairsB);
        vm.expectRevert(_errNotParent(PROG_B, ruralAffairsB, finance, countyFinance));
        _allocate(PROG_B, countyFinance, ruralAffairsB, 1);
        // Parents are per programme: village B's parent is rural affairs in B, the township in A.
        _consentAndAllocate(PROG_A, township, villageB, 5_000 * YUAN);
        assertEq(_holding(PROG_A, villageB).parent, township);
        assertEq(_holding(PROG_B, villageB).parent, ruralAffairs);
        assertEq(_holding(PROG_B, ruralAffairsB).parent, finance, "parent unchanged");
        _assertConserved(PROG_A);
        _assertConserved(PROG_B);
    }

    /// Rule: the caller and `to` must be active finance, rural affairs or village organisations
    /// (NotHolder), `to` neither the caller nor the programme's finance (SelfAllocation); the allocation
    /// document is required; the amount is not zero and within the caller's balance in that programme; the
    /// programme exists.
    function test_allocate_refusals() public {
        address[4] memory nonHolders = [civilAffairs, inspector, producer, stranger];
        for (uint256 i = 0; i < nonHolders.length; ++i) {
            vm.expectRevert(_errNotHolder(nonHolders[i]));
            _allocate(PROG_A, nonHolders[i], villageB, 1);
            vm.expectRevert(_errNotHolder(nonHolders[i]));
            _allocate(PROG_A, ruralAffairs, nonHolders[i], 1);
        }
        vm.expectRevert(_errNotHolder(address(0)));
        _allocate(PROG_A, ruralAffairs, address(0), 1);
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerSelfAllocation.selector, PROG_A, ruralAffairs)
        );
        _allocate(PROG_A, ruralAffairs, ruralAffairs, 1);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerSelfAllocation.selector, PROG_A, finance));
        _allocate(PROG_A, ruralAffairs, finance, 1);
        vm.expectRevert(_errZeroHash());
        vm.prank(ruralAffairs);
        relief.allocate(PROG_A, villageB, 1, bytes32(0));
        vm.expectRevert(_errZeroAmount());
        _allocate(PROG_A, ruralAffairs, villageB, 0);
        uint256 avail = _available(PROG_A, ruralAffairs);
        vm.expectRevert(_errInsufficient(PROG_A, ruralAffairs, avail, avail + 1));
        _allocate(PROG_A, ruralAffairs, villageB, avail + 1);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownProgramme.selector, PROG_C));
        _allocate(PROG_C, stranger, villageB, 1);
        assertEq(_holding(PROG_A, villageB).parent, address(0), "nothing happened");
        // Village B has not accepted rural affairs in programme A: ParentNotAccepted (issue 16, item 3).
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerParentNotAccepted.selector, PROG_A, villageB, ruralAffairs)
        );
        _allocate(PROG_A, ruralAffairs, villageB, avail);
        // All of it is fine, once accepted.
        _consentAndAllocate(PROG_A, ruralAffairs, villageB, avail);
        assertEq(_available(PROG_A, ruralAffairs), 0);
        _assertConserved(PROG_A);
    }

    /// Rule: balances are per (programme, holder): money of programme A is never allocated, proposed or
    /// put into a project under programme B, whatever the holder holds in A.
    function test_programmeIsolation_moneyStaysInItsProgramme() public {
        IReliefLedger.Holding memory ruralA = _holding(PROG_A, ruralAffairs);
        IReliefLedger.Holding memory villageAinA = _holding(PROG_A, villageA);
        uint256 inB = _available(PROG_B, ruralAffairs);
        assertGt(ruralA.available, 1_000_000 * YUAN);

        vm.expectRevert(_errInsufficient(PROG_B, ruralAffairs, inB, 1_000_000 * YUAN));
        _allocate(PROG_B, ruralAffairs, ruralAffairsB, 1_000_000 * YUAN);
        vm.expectRevert(_errInsufficient(PROG_B, ruralAffairs, inB, inB + 1));
        _return(PROG_B, ruralAffairs, inB + 1);
        // Village A holds programme A money only: its beneficiary 1 is eligible in B, but nothing to pay from.
        assertTrue(relief.isEligible(PROG_B, key1));
        vm.expectRevert(_errInsufficient(PROG_B, villageA, 0, 100 * YUAN));
        _propose(PROG_B, villageA, 1, key1, 100 * YUAN);
        // A project of B funded by rural affairs: its B balance only.
        _createProject(GREENHOUSE, PROG_B, ruralAffairs, 5_000_000 * YUAN, 2);
        vm.expectRevert(_errInsufficient(PROG_B, ruralAffairs, inB, inB + 1));
        _fund(GREENHOUSE, ruralAffairs, inB + 1);
        _fund(GREENHOUSE, ruralAffairs, inB);

        assertEq(keccak256(abi.encode(_holding(PROG_A, ruralAffairs))), keccak256(abi.encode(ruralA)), "A untouched");
        assertEq(keccak256(abi.encode(_holding(PROG_A, villageA))), keccak256(abi.encode(villageAinA)));
        assertEq(_available(PROG_B, ruralAffairs), 0);
        // The same beneficiary and period under the two programmes are two payments.
        bytes32 idA = _propose(PROG_A, villageA, 1, key1, 100 * YUAN);
        _allocate(PROG_B, finance, villageA, 1_000 * YUAN);
        bytes32 idB = _propose(PROG_B, villageA, 1, key1, 100 * YUAN);
        assertTrue(idA != idB);
        _approve(idA, ruralAffairsB);
        assertEq(relief.programme(PROG_A).disbursed, 100 * YUAN);
        assertEq(relief.programme(PROG_B).disbursed, 0, "B's payment still pending");
        _assertConserved(PROG_A);
        _assertConserved(PROG_B);
    }

    /// Rule: a holder returns money to its parent (the amount conserved, counted as returned by it and in
    /// the programme); the root cannot return; a zero reason, zero amount, more than available (also
    /// for a holder with no place in the programme's tree) and a non-holder are refused.
    function test_returnFunds_goesToParent() public {
        uint256 amount = 300_000 * YUAN;
        uint256 parentBefore = _available(PROG_A, ruralAffairs);
        uint256 townshipBefore = _available(PROG_A, township);
        bytes32 reason = docOf("return", amount);
        vm.expectEmit(address(relief));
        emit IReliefLedger.FundsReturned(PROG_A, township, ruralAffairs, uint96(amount), reason);
        _return(PROG_A, township, amount);
        IReliefLedger.Holding memory h = _holding(PROG_A, township);
        assertEq(h.available, townshipBefore - amount);
        assertEq(h.returned, amount);
        assertEq(h.parent, ruralAffairs, "parent unchanged");
        assertEq(_available(PROG_A, ruralAffairs), parentBefore + amount, "to the parent");
        assertEq(relief.programme(PROG_A).returned, amount);
        _return(PROG_A, villageA, 200_000 * YUAN);
        assertEq(_available(PROG_A, villageA), 0);
        assertEq(_available(PROG_A, township), townshipBefore - amount + 200_000 * YUAN);
        _assertConserved(PROG_A);

        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerRootCannotReturn.selector, PROG_A, finance));
        _return(PROG_A, finance, 1);
        vm.expectRevert(_errZeroHash());
        vm.prank(township);
        relief.returnFunds(PROG_A, 1, bytes32(0));
        vm.expectRevert(_errZeroAmount());
        _return(PROG_A, township, 0);
        vm.expectRevert(_errInsufficient(PROG_A, villageA, 0, 1));
        _return(PROG_A, villageA, 1);
        vm.expectRevert(_errInsufficient(PROG_A, villageB, 0, 1));
        _return(PROG_A, villageB, 1);
        vm.expectRevert(_errNotHolder(stranger));
        _return(PROG_A, stranger, 1);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownProgramme.selector, PROG_C));
        _return(PROG_C, township, 1);
    }

    // ---------------------------------------------------------------- beneficiaries

    /// Rule: a village registers a key once (the first village keeps it) with a household-record hash;
    /// a zero key or hash is refused, anyone without VILLAGE is refused by the manager.
    function test_registerBeneficiary_byVillageOnce() public {
        bytes32 key = keyOf("test", 1);
        bytes32 household = keccak256("household record");
        vm.expectEmit(address(relief));
        emit IReliefLedger.BeneficiaryRegistered(key, villageB, household);
        vm.prank(villageB);
        relief.registerBeneficiary(key, household);
        IReliefLedger.Beneficiary memory b = relief.beneficiary(key);
        assertEq(b.village, villageB);
        assertEq(b.attestations, 0);
        assertEq(b.registeredAt, T0);
        assertFalse(relief.isEligible(PROG_B, key));

        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerBeneficiaryExists.selector, key, villageB));
        vm.prank(villageA);
        relief.registerBeneficiary(key, household);
        vm.expectRevert(IReliefLedger.ReliefLedgerZeroId.selector);
        vm.prank(villageA);
        relief.registerBeneficiary(bytes32(0), household);
        vm.expectRevert(_errZeroHash());
        vm.prank(villageA);
        relief.registerBeneficiary(keyOf("test", 2), bytes32(0));
        vm.expectRevert(_errManaged(ruralAffairs));
        vm.prank(ruralAffairs);
        relief.registerBeneficiary(keyOf("test", 2), household);
        assertEq(relief.beneficiary(key).village, villageB, "first village keeps it");
    }

    /// Rule: only a holder of the kind's attester role attests a defined kind of a registered beneficiary,
    /// with evidence, once; the beneficiary becomes eligible when it holds every required kind.
    function test_attest_byTheKindsAttester() public {
        bytes32 key = keyOf("test", 1);
        _registerBeneficiary(key, villageB);
        bytes32 evidence = keccak256("minimum living allowance certificate");
        vm.expectEmit(address(relief));
        emit IReliefLedger.Attested(key, MINIMUM_LIVING_ALLOWANCE, civilAffairs, evidence);
        vm.prank(civilAffairs);
        relief.attest(key, MINIMUM_LIVING_ALLOWANCE, evidence);
        assertTrue(relief.isEligible(PROG_B, key));
        assertFalse(relief.isEligible(PROG_A, key), "kind 3 missing");
        _attest(key, MONITORED_HOUSEHOLD);
        assertTrue(relief.isEligible(PROG_A, key));
        assertEq(relief.beneficiary(key).attestations, REQUIRED_A);

        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerAlreadyAttested.selector, key, MINIMUM_LIVING_ALLOWANCE)
        );
        vm.prank(civilAffairs);
        relief.attest(key, MINIMUM_LIVING_ALLOWANCE, evidence);
        vm.expectRevert(_errUnauthorized(ruralAffairs, Roles.CIVIL_AFFAIRS));
        vm.prank(ruralAffairs);
        relief.attest(key, EXTREME_HARDSHIP, evidence);
        vm.expectRevert(_errUnauthorized(villageB, Roles.RURAL_AFFAIRS));
        vm.prank(villageB);
        relief.attest(key, LIFTED_FROM_POVERTY, evidence);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownAttestation.selector, 9));
        vm.prank(civilAffairs);
        relief.attest(key, 9, evidence);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownAttestation.selector, 16));
        vm.prank(civilAffairs);
        relief.attest(key, 16, evidence);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownBeneficiary.selector, keyOf("x", 0)));
        vm.prank(civilAffairs);
        relief.attest(keyOf("x", 0), EXTREME_HARDSHIP, evidence);
        vm.expectRevert(_errZeroHash());
        vm.prank(civilAffairs);
        relief.attest(key, EXTREME_HARDSHIP, bytes32(0));
        // A second rural affairs bureau attests as well as the first.
        vm.prank(ruralAffairsB);
        relief.attest(key, LIFTED_FROM_POVERTY, evidence);
        assertEq(relief.beneficiary(key).attestations, REQUIRED_A | bitOf(LIFTED_FROM_POVERTY));
    }

    /// Rule: the kind's attester revokes a held attestation with a reason; a kind not held is NotAttested.
    function test_revokeAttestation_byTheKindsAttester() public {
        bytes32 reason = keccak256("income above the line");
        vm.expectEmit(address(relief));
        emit IReliefLedger.AttestationRevoked(key1, MONITORED_HOUSEHOLD, ruralAffairsB, reason);
        vm.prank(ruralAffairsB);
        relief.revokeAttestation(key1, MONITORED_HOUSEHOLD, reason);
        assertEq(relief.beneficiary(key1).attestations, bitOf(MINIMUM_LIVING_ALLOWANCE));
        assertFalse(relief.isEligible(PROG_A, key1));
        assertTrue(relief.isEligible(PROG_B, key1));

        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotAttested.selector, key1, MONITORED_HOUSEHOLD)
        );
        _revoke(key1, MONITORED_HOUSEHOLD);
        vm.expectRevert(_errUnauthorized(ruralAffairs, Roles.CIVIL_AFFAIRS));
        vm.prank(ruralAffairs);
        relief.revokeAttestation(key1, MINIMUM_LIVING_ALLOWANCE, reason);
        vm.expectRevert(_errZeroHash());
        vm.prank(civilAffairs);
        relief.revokeAttestation(key1, MINIMUM_LIVING_ALLOWANCE, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownAttestation.selector, 12));
        vm.prank(civilAffairs);
        relief.revokeAttestation(key1, 12, reason);
        _attest(key1, MONITORED_HOUSEHOLD);
        assertTrue(relief.isEligible(PROG_A, key1), "attested again");
    }

    /// Rule: isEligible is false for an unknown key or programme.
    function test_isEligible_unknownKeyOrProgramme() public view {
        assertTrue(relief.isEligible(PROG_A, key1));
        assertFalse(relief.isEligible(PROG_A, key2));
        assertFalse(relief.isEligible(PROG_C, key1), "unknown programme");
        assertFalse(relief.isEligible(PROG_B, keyOf("x", 0)), "unknown key");
    }

    // ---------------------------------------------------------------- disbursement

    /// Rule: a proposal reserves the amount from the proposer's balance and records the disbursement under
    /// its id (one per programme, period and beneficiary); nothing counts as disbursed yet.
    function test_proposeDisbursement_reservesAmount() public {
        uint256 amount = 800 * YUAN;
        bytes32 id = relief.disbursementIdOf(IReliefLedger.RecipientKind.Beneficiary, PROG_A, 1, key1);
        uint256 before = _available(PROG_A, villageA);
        vm.expectEmit(address(relief));
        emit IReliefLedger.DisbursementProposed(
            id,
            PROG_A,
            villageA,
            IReliefLedger.RecipientKind.Beneficiary,
            key1,
            1,
            uint96(amount),
            docOf("payment", amount)
        );
        assertEq(_propose(PROG_A, villageA, 1, key1, amount), id);

        IReliefLedger.Disbursement memory d = relief.disbursement(id);
        assertEq(d.holder, villageA);
        assertEq(d.amount, amount);
        assertEq(d.recipient, key1);
        assertEq(d.programmeSeq, 1);
        assertEq(d.period, 1);
        assertEq(uint8(d.kind), uint8(IReliefLedger.RecipientKind.Beneficiary));
        assertEq(uint8(d.status), uint8(IReliefLedger.DisbursementStatus.Proposed));
        assertEq(d.decidedBy, address(0));
        IReliefLedger.Holding memory h = _holding(PROG_A, villageA);
        assertEq(h.available, before - amount);
        assertEq(h.reserved, amount);
        assertEq(h.disbursed, 0);
        assertEq(relief.programme(PROG_A).disbursed, 0, "not counted before approval");
        assertTrue(
            id != relief.disbursementIdOf(IReliefLedger.RecipientKind.Beneficiary, PROG_A, 2, key1),
            "another period, another id"
        );
        assertTrue(
            id != relief.disbursementIdOf(IReliefLedger.RecipientKind.Project, PROG_A, 1, key1),
            "another kind, another id"
        );
        _assertConserved(PROG_A);
    }

    /// Rule: the proposer is the beneficiary's village or that village's parent in the programme's tree;
    /// a grandparent or another village is NotBeneficiaryVillage.
    function test_proposeDisbursement_byVillageOrItsParent() public {
        bytes32 id = _propose(PROG_A, township, 1, key1, 500 * YUAN);
        assertEq(relief.disbursement(id).holder, township);
        assertEq(_holding(PROG_A, township).reserved, 500 * YUAN);
        vm.expectRevert(
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotBeneficiaryVillage.selector,
                key1,
                villageA,
                ruralAffairs
            )
        );
        _propose(PROG_A, ruralAffairs, 2, key1, 500 * YUAN);
        _consentAndAllocate(PROG_A, township, villageB, 10_000 * YUAN);
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotBeneficiaryVillage.selector, key1, villageA, villageB)
        );
        _propose(PROG_A, villageB, 2, key1, 500 * YUAN);
        // In B village B's parent is rural affairs.
        _propose(PROG_B, ruralAffairs, 1, key3, 500 * YUAN);
        _assertConserved(PROG_A);
        _assertConserved(PROG_B);
    }

    /// Rule: proposal checks, in order: holder role, period 1..periods, cap, payment reference,
    /// registered beneficiary, proposer's village, eligibility, amount, balance; the programme exists.
    function test_proposeDisbursement_refusals() public {
        vm.expectRevert(_errNotHolder(civilAffairs));
        _propose(PROG_A, civilAffairs, 1, key1, 1);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidPeriod.selector, PROG_A, 0, 12));
        _propose(PROG_A, villageA, 0, key1, 1);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidPeriod.selector, PROG_A, 13, 12));
        _propose(PROG_A, villageA, 13, key1, 1);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerOverCap.selector, PROG_A, CAP_A + 1, CAP_A));
        _propose(PROG_A, villageA, 12, key1, CAP_A + 1);
        vm.expectRevert(_errZeroHash());
        vm.prank(villageA);
        relief.proposeDisbursement(PROG_A, 1, key1, 1, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownBeneficiary.selector, keyOf("x", 0)));
        _propose(PROG_A, villageA, 1, keyOf("x", 0), 1);
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotBeneficiaryVillage.selector, key3, villageB, villageA)
        );
        _propose(PROG_A, villageA, 1, key3, 1);
        vm.expectRevert(_errNotEligible(PROG_A, key2, REQUIRED_A, bitOf(MINIMUM_LIVING_ALLOWANCE)));
        _propose(PROG_A, villageA, 1, key2, 1);
        vm.expectRevert(_errZeroAmount());
        _propose(PROG_A, villageA, 1, key1, 0);
        _consentAndAllocate(PROG_A, township, villageB, 500);
        vm.expectRevert(_errInsufficient(PROG_A, villageB, 500, 600));
        _propose(PROG_A, villageB, 1, key3, 600);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownProgramme.selector, PROG_C));
        _propose(PROG_C, villageA, 1, key1, 1);
        // The cap itself and the last period are fine.
        bytes32 id = _propose(PROG_A, villageA, 12, key1, CAP_A);
        assertEq(relief.disbursement(id).amount, CAP_A);
    }

    /// Rule: an organisation other than the proposer holding the approver role approves: the reservation
    /// becomes disbursed, for the proposer and the programme; the disbursement is then closed to decisions.
    function test_approveDisbursement_countsWithSecondOrganisation() public {
        uint256 amount = 800 * YUAN;
        bytes32 id = _propose(PROG_A, villageA, 1, key1, amount);
        uint256 available = _available(PROG_A, villageA);
        vm.expectEmit(address(relief));
        emit IReliefLedger.DisbursementApproved(id, PROG_A, ruralAffairsB);
        _approve(id, ruralAffairsB);

        IReliefLedger.Disbursement memory d = relief.disbursement(id);
        assertEq(uint8(d.status), uint8(IReliefLedger.DisbursementStatus.Approved));
        assertEq(d.decidedBy, ruralAffairsB);
        IReliefLedger.Holding memory h = _holding(PROG_A, villageA);
        assertEq(h.reserved, 0);
        assertEq(h.disbursed, amount);
        assertEq(h.available, available, "available unchanged by approval");
        assertEq(relief.programme(PROG_A).disbursed, amount);
        _assertConserved(PROG_A);

        vm.expectRevert(_errWrongStatus(id, IReliefLedger.DisbursementStatus.Approved));
        _approve(id, ruralAffairs);
        vm.expectRevert(_errWrongStatus(id, IReliefLedger.DisbursementStatus.Approved));
        _reject(id, ruralAffairs);
        bytes32 unknown = keccak256("no such disbursement");
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownDisbursement.selector, unknown));
        _approve(unknown, ruralAffairs);

        // Rural affairs above the proposer approves as well.
        bytes32 second = _propose(PROG_A, villageA, 2, key1, amount);
        _approve(second, ruralAffairs);
        assertEq(relief.disbursement(second).decidedBy, ruralAffairs);
        assertEq(relief.programme(PROG_A).disbursed, 2 * amount);
        _assertConserved(PROG_A);
    }

    /// Rule: the proposer never approves its own proposal, even holding the approver role.
    function test_approveDisbursement_selfApprovalRefused() public {
        bytes32 id = _propose(PROG_B, ruralAffairs, 1, key3, 2_000 * YUAN);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerSelfApproval.selector, id, ruralAffairs));
        _approve(id, ruralAffairs);
        assertEq(uint8(_status(id)), uint8(IReliefLedger.DisbursementStatus.Proposed));
        assertEq(relief.programme(PROG_B).disbursed, 0);
        _approve(id, ruralAffairsB);
        IReliefLedger.Disbursement memory d = relief.disbursement(id);
        assertTrue(d.decidedBy != d.holder, "two organisations");
        assertEq(_holding(PROG_B, ruralAffairs).disbursed, 2_000 * YUAN);
        _assertConserved(PROG_B);
    }

    /// Rule: only holders of the programme's approver role approve (Unauthorized with that role), whatever
    /// their place in the tree; with VILLAGE as approver role another village approves and rural affairs
    /// does not.
    function test_approveDisbursement_needsProgrammesApproverRole() public {
        bytes32 id = _propose(PROG_A, villageA, 1, key1, 100 * YUAN);
        address[9] memory others = [
            township,
            villageB,
            civilAffairs,
            finance,
            countyFinance,
            inspector,
            producer,
            auditor,
            stranger
        ];
        for (uint256 i = 0; i < others.length; ++i) {
            vm.expectRevert(_errUnauthorized(others[i], Roles.RURAL_AFFAIRS));
            _approve(id, others[i]);
        }

        // Villages no longer approve (they propose and implement: issue 16, item 5); finance bureaus may. The
        // programme's finance, village A's parent in C, proposes: it cannot approve, the county finance can.
        IReliefLedger.ProgrammeTerms memory t = _terms(1, REQUIRED_B, 100_000 * YUAN, CAP_B);
        t.approverRole = uint8(Roles.VILLAGE);
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerApproverNotIndependent.selector, uint8(Roles.VILLAGE))
        );
        _createProgramme(PROG_C, t);
        t.approverRole = uint8(Roles.FINANCE);
        _createProgramme(PROG_C, t);
        _allocate(PROG_C, finance, villageA, 10_000 * YUAN);
        bytes32 c = _propose(PROG_C, finance, 1, key1, 100 * YUAN);
        vm.expectRevert(_errUnauthorized(ruralAffairs, Roles.FINANCE));
        _approve(c, ruralAffairs);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerSelfApproval.selector, c, finance));
        _approve(c, finance);
        _approve(c, countyFinance);
        assertEq(relief.programme(PROG_C).disbursed, 100 * YUAN);
        _assertConserved(PROG_C);
    }

    /// Rule: eligibility is checked again at approval: an attestation revoked after the proposal makes the
    /// approval NotEligible (the reservation stays); attested again, the approval goes through.
    function test_approveDisbursement_rechecksEligibility() public {
        bytes32 id = _propose(PROG_A, villageA, 3, key1, 900 * YUAN);
        _revoke(key1, MONITORED_HOUSEHOLD);
        vm.expectRevert(_errNotEligible(PROG_A, key1, REQUIRED_A, bitOf(MINIMUM_LIVING_ALLOWANCE)));
        _approve(id, ruralAffairs);
        assertEq(uint8(_status(id)), uint8(IReliefLedger.DisbursementStatus.Proposed));
        assertEq(_holding(PROG_A, villageA).reserved, 900 * YUAN);
        _attest(key1, MONITORED_HOUSEHOLD);
        _approve(id, ruralAffairs);
        assertEq(relief.programme(PROG_A).disbursed, 900 * YUAN);
        // A project payment has no beneficiary to re-check; revocations do not matter to it.
        _assertConserved(PROG_A);
    }

    /// Rule: an approver rejects or the proposer withdraws a proposal: the reservation returns to the
    /// proposer's balance; the same beneficiary and period may then be proposed again (by the village or
    /// its parent) and approved; anyone else is Unauthorized with the approver role.
    function test_rejectDisbursement_releasesAndAllowsReproposal() public {
        uint256 before = _available(PROG_A, villageA);
        bytes32 id = _propose(PROG_A, villageA, 1, key1, 700 * YUAN);
        address[4] memory others = [township, villageB, civilAffairs, stranger];
        for (uint256 i = 0; i < others.length; ++i) {
            vm.expectRevert(_errUnauthorized(others[i], Roles.RURAL_AFFAIRS));
            _reject(id, others[i]);
        }
        vm.expectRevert(_errZeroHash());
        vm.prank(ruralAffairs);
        relief.rejectDisbursement(id, bytes32(0));

        bytes32 reason = docOf("rejection", uint256(id));
        vm.expectEmit(address(relief));
        emit IReliefLedger.DisbursementRejected(id, PROG_A, ruralAffairs, reason);
        _reject(id, ruralAffairs);
        IReliefLedger.Disbursement memory d = relief.disbursement(id);
        assertEq(uint8(d.status), uint8(IReliefLedger.DisbursementStatus.Rejected));
        assertEq(d.decidedBy, ruralAffairs);
        assertEq(_available(PROG_A, villageA), before, "reservation released");
        assertEq(_holding(PROG_A, villageA).reserved, 0);
        vm.expectRevert(_errWrongStatus(id, IReliefLedger.DisbursementStatus.Rejected));
        _approve(id, ruralAffairsB);
        vm.expectRevert(_errWrongStatus(id, IReliefLedger.DisbursementStatus.Rejected));
        _reject(id, ruralAffairsB);

        // Proposed again, by the township this time, for another amount: the same id, a fresh decision.
        assertEq(_propose(PROG_A, township, 1, key1, 650 * YUAN), id);
        d = relief.disbursement(id);
        assertEq(d.holder, township);
        assertEq(d.amount, 650 * YUAN);
        assertEq(uint8(d.status), uint8(IReliefLedger.DisbursementStatus.Proposed));
        assertEq(d.decidedBy, address(0));
        // The proposer withdraws it, then proposes once more and it is approved.
        uint256 townshipBefore = _available(PROG_A, township) + 650 * YUAN;
        _reject(id, township);
        assertEq(_available(PROG_A, township), townshipBefore);
        assertEq(relief.disbursement(id).decidedBy, township);
        _propose(PROG_A, township, 1, key1, 600 * YUAN);
        _approve(id, ruralAffairs);
        assertEq(_holding(PROG_A, township).disbursed, 600 * YUAN);
        assertEq(relief.programme(PROG_A).disbursed, 600 * YUAN);
        vm.expectRevert(_errAlreadyPaid(id, IReliefLedger.DisbursementStatus.Approved));
        _propose(PROG_A, villageA, 1, key1, 100 * YUAN);
        _assertConserved(PROG_A);
    }

    /// Rule: a beneficiary is paid at most once per programme period: a second proposal while one is
    /// pending or approved is AlreadyPaid; another period, or the same period of another programme, is fine.
    function test_proposeDisbursement_oncePerPeriod() public {
        bytes32 id = _propose(PROG_A, villageA, 5, key1, 100 * YUAN);
        vm.expectRevert(_errAlreadyPaid(id, IReliefLedger.DisbursementStatus.Proposed));
        _propose(PROG_A, villageA, 5, key1, 100 * YUAN);
        vm.expectRevert(_errAlreadyPaid(id, IReliefLedger.DisbursementStatus.Proposed));
        _propose(PROG_A, township, 5, key1, 50 * YUAN);
        _approve(id, ruralAffairs);
        vm.expectRevert(_errAlreadyPaid(id, IReliefLedger.DisbursementStatus.Approved));
        _propose(PROG_A, township, 5, key1, 100 * YUAN);
        _approve(_propose(PROG_A, villageA, 6, key1, 100 * YUAN), ruralAffairs);
        _allocate(PROG_B, finance, villageA, 10_000 * YUAN);
        _approve(_propose(PROG_B, villageA, 1, key1, 100 * YUAN), ruralAffairs);
        assertEq(_holding(PROG_A, villageA).disbursed, 200 * YUAN);
        assertEq(_holding(PROG_B, villageA).disbursed, 100 * YUAN);
    }

    /// Rule: a usage receipt is recorded for an approved disbursement by its proposer (beneficiary
    /// payments) or the project's implementer; not for a pending, rejected or unknown one.
    function test_recordUsage_byRecipientSide() public {
        bytes32 id = _propose(PROG_A, villageA, 1, key1, 100 * YUAN);
        bytes32 receipt = keccak256("bank receipt");
        vm.expectRevert(_errWrongStatus(id, IReliefLedger.DisbursementStatus.Proposed));
        vm.prank(villageA);
        relief.recordUsage(id, receipt);
        _approve(id, ruralAffairs);
        vm.expectEmit(address(relief));
        emit IReliefLedger.UsageRecorded(id, villageA, receipt);
        vm.prank(villageA);
        relief.recordUsage(id, receipt);
        address[3] memory others = [township, ruralAffairs, producer];
        for (uint256 i = 0; i < others.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotRecipientSide.selector, id, others[i]));
            vm.prank(others[i]);
            relief.recordUsage(id, receipt);
        }
        vm.expectRevert(_errZeroHash());
        vm.prank(villageA);
        relief.recordUsage(id, bytes32(0));
        bytes32 unknown = keccak256("unknown");
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownDisbursement.selector, unknown));
        vm.prank(villageA);
        relief.recordUsage(unknown, receipt);
        bytes32 rejected = _propose(PROG_A, villageA, 2, key1, 100 * YUAN);
        _reject(rejected, villageA);
        vm.expectRevert(_errWrongStatus(rejected, IReliefLedger.DisbursementStatus.Rejected));
        vm.prank(villageA);
        relief.recordUsage(rejected, receipt);
    }

    // ---------------------------------------------------------------- projects

    /// Rule: a holder in the programme (the root, or one with a parent) creates a project with an active
    /// village, producer or recipient as implementer, a budget and 1-32 milestones.
    function test_createProject_byHolderInProgramme() public {
        bytes32 meta = docOf("project plan", uint256(ROAD));
        string memory code = _text(ROAD_CODE);
        assertEq(relief.projectIdOf(township, code), ROAD, "the township's id for the code");
        vm.expectEmit(address(relief));
        emit IReliefLedger.ProjectCreated(
            ROAD,
            PROG_A,
            township,
            keccak256(bytes(code)),
            code,
            producer,
            uint96(300_000 * YUAN),
            3,
            meta
        );
        assertEq(_createProject(ROAD, PROG_A, township, 300_000 * YUAN, 3), ROAD, "returns the id");
        IReliefLedger.Project memory j = relief.project(ROAD);
        assertEq(j.holder, township);
        assertEq(j.implementer, producer);
        assertEq(j.budget, 300_000 * YUAN);
        assertEq(j.milestoneCount, 3);
        assertEq(uint8(j.status), uint8(IReliefLedger.ProjectStatus.Active));
        assertEq(j.programmeSeq, 1);
        assertEq(j.funded, 0);
        assertEq(relief.projectProgramme(ROAD), PROG_A);
        assertEq(relief.projectProgramme("nope"), bytes32(0));

        // The root creates too, with a village or a 32-milestone plan.
        vm.prank(finance);
        GREENHOUSE = relief.createProject(
            _text(GREENHOUSE_CODE),
            PROG_A,
            villageA,
            MAX_MILESTONES,
            MAX_MILESTONES,
            meta
        );
        assertEq(GREENHOUSE, namespacedId(finance, _text(GREENHOUSE_CODE)));
        assertEq(relief.project(GREENHOUSE).implementer, villageA);

        vm.expectRevert(_errNotHolder(villageB));
        _createProject("P-1", PROG_A, villageB, 1, 1); // a village, but not in A's tree
        vm.expectRevert(_errNotHolder(civilAffairs));
        _createProject("P-1", PROG_A, civilAffairs, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownProgramme.selector, PROG_C));
        _createProject("P-1", PROG_C, township, 1, 1);
        vm.startPrank(township);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidCode.selector, 0));
        relief.createProject("", PROG_A, producer, 1, 1, meta);
        vm.expectRevert(_errZeroHash());
        relief.createProject("P-1", PROG_A, producer, 1, 1, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerProjectExists.selector, ROAD));
        relief.createProject(code, PROG_A, producer, 1, 1, meta);
        address[3] memory notImplementers = [ruralAffairs, inspector, stranger];
        for (uint256 i = 0; i < notImplementers.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotImplementer.selector, notImplementers[i])
            );
            relief.createProject("P-1", PROG_A, notImplementers[i], 1, 1, meta);
        }
        vm.expectRevert(_errZeroAmount());
        relief.createProject("P-1", PROG_A, producer, 0, 1, meta);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidTerms.selector, "milestoneCount"));
        relief.createProject("P-1", PROG_A, producer, 1, 0, meta);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidTerms.selector, "milestoneCount"));
        relief.createProject("P-1", PROG_A, producer, 1, MAX_MILESTONES + 1, meta);
        // Milestone amounts are fixed at creation (the budget split evenly): not fewer fen than milestones.
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidTerms.selector, "milestoneCount"));
        relief.createProject("P-1", PROG_A, producer, 2, 3, meta);
        vm.stopPrank();
    }

    /// Rule: the project's holder funds it from its balance in the project's programme, with a document, up
    /// to the budget (OverBudget beyond); conserved, numbered like allocations and counted as allocated.
    function test_fundProject_upToBudget() public {
        _createProject(ROAD, PROG_A, township, 300_000 * YUAN, 3);
        uint256 before = _available(PROG_A, township);
        uint256 allocatedBefore = relief.programme(PROG_A).allocated;
        uint64 next = relief.allocationCount() + 1;
        bytes32 doc = docOf("funding", 200_000 * YUAN);
        vm.expectEmit(address(relief));
        emit IReliefLedger.ProjectFunded(PROG_A, ROAD, township, next, uint96(200_000 * YUAN), doc);
        assertEq(_fund(ROAD, township, 200_000 * YUAN), next);
        IReliefLedger.Project memory j = relief.project(ROAD);
        assertEq(j.funded, 200_000 * YUAN);
        assertEq(j.available, 200_000 * YUAN);
        assertEq(_available(PROG_A, township), before - 200_000 * YUAN);
        assertEq(_holding(PROG_A, township).allocated, 200_000 * YUAN + 200_000 * YUAN, "village A and the road");
        assertEq(relief.programme(PROG_A).allocated, allocatedBefore + 200_000 * YUAN);
        _assertConserved(PROG_A);

        vm.expectRevert(
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerOverBudget.selector,
                ROAD,
                300_000 * YUAN,
                300_000 * YUAN + 1
            )
        );
        _fund(ROAD, township, 100_000 * YUAN + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotProjectHolder.selector, ROAD, township, ruralAffairs)
        );
        _fund(ROAD, ruralAffairs, 1);
        vm.expectRevert(_errZeroHash()); // before the budget is looked at
        vm.prank(township);
        relief.fundProject(ROAD, type(uint96).max, bytes32(0));
        vm.expectRevert(_errZeroAmount());
        _fund(ROAD, township, 0);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownProject.selector, GREENHOUSE));
        _fund(GREENHOUSE, township, 1);
        _createProject(GREENHOUSE, PROG_A, villageA, 300_000 * YUAN, 1);
        uint256 villageAvailable = _available(PROG_A, villageA);
        vm.expectRevert(_errInsufficient(PROG_A, villageA, villageAvailable, villageAvailable + 1));
        _fund(GREENHOUSE, villageA, villageAvailable + 1);

        _fund(ROAD, township, 100_000 * YUAN); // exactly the budget
        assertEq(relief.project(ROAD).funded, 300_000 * YUAN);
        vm.prank(ruralAffairs);
        relief.acceptProject(ROAD, keccak256("acceptance report"));
        vm.expectRevert(_errWrongProjectStatus(ROAD, IReliefLedger.ProjectStatus.Accepted));
        _fund(ROAD, township, 1);
        _assertConserved(PROG_A);
    }

    /// Rule: only the implementer submits evidence for a milestone (0 to milestoneCount - 1), once.
    function test_submitMilestone_byImplementerOnce() public {
        _createProject(ROAD, PROG_A, township, 300_000 * YUAN, 3);
        bytes32 evidence = docOf("milestone evidence", 0);
        vm.expectEmit(address(relief));
        emit IReliefLedger.MilestoneSubmitted(ROAD, 0, producer, evidence);
        _submit(ROAD, 0);
        assertEq(relief.project(ROAD).milestonesSubmitted, 1);
        _submit(ROAD, 2);
        assertEq(relief.project(ROAD).milestonesSubmitted, 5);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerMilestoneSubmitted.selector, ROAD, 0));
        _submit(ROAD, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotProjectImplementer.selector, ROAD, producer, township)
        );
        vm.prank(township);
        relief.submitMilestone(ROAD, 1, evidence);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidMilestone.selector, ROAD, 3, 3));
        _submit(ROAD, 3);
        vm.expectRevert(_errZeroHash());
        vm.prank(producer);
        relief.submitMilestone(ROAD, 1, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownProject.selector, GREENHOUSE));
        _submit(GREENHOUSE, 0);
    }

    /// Rule: a milestone is paid only after its implementer submitted evidence for it, as a disbursement
    /// from the project's balance (reserved at proposal) with the same two-organisation approval, once per
    /// milestone; the project's holder proposes, within the project's balance.
    function test_projectPayment_needsMilestoneEvidence() public {
        _createProject(ROAD, PROG_A, township, 300_000 * YUAN, 3);
        _fund(ROAD, township, 300_000 * YUAN);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerMilestoneNotSubmitted.selector, ROAD, 0));
        _proposePayment(ROAD, township, 0, 100_000 * YUAN);
        _submit(ROAD, 0);

        bytes32 id = relief.disbursementIdOf(IReliefLedger.RecipientKind.Project, PROG_A, 0, ROAD);
        vm.expectEmit(address(relief));
        emit IReliefLedger.DisbursementProposed(
            id,
            PROG_A,
            township,
            IReliefLedger.RecipientKind.Project,
            ROAD,
            0,
            uint96(100_000 * YUAN),
            docOf("invoice", 100_000 * YUAN)
        );
        assertEq(_proposePayment(ROAD, township, 0, 100_000 * YUAN), id);
        IReliefLedger.Project memory j = relief.project(ROAD);
        assertEq(j.available, 200_000 * YUAN);
        assertEq(j.reserved, 100_000 * YUAN);
        _assertConserved(PROG_A);
        vm.expectRevert(_errAlreadyPaid(id, IReliefLedger.DisbursementStatus.Proposed));
        _proposePayment(ROAD, township, 0, 100_000 * YUAN);
        vm.expectRevert(_errUnauthorized(township, Roles.RURAL_AFFAIRS));
        _approve(id, township);
        _approve(id, ruralAffairs);
        j = relief.project(ROAD);
        assertEq(j.reserved, 0);
        assertEq(j.paid, 100_000 * YUAN);
        assertEq(relief.programme(PROG_A).disbursed, 100_000 * YUAN);
        assertEq(_holding(PROG_A, township).disbursed, 0, "paid from the project, not the holder");
        vm.prank(producer);
        relief.recordUsage(id, keccak256("invoice receipt"));
        _assertConserved(PROG_A);
        _checkPaymentRefusals();
    }

    /// @dev The road (3 milestones of 100,000 yuan fixed at creation, 200,000 left): refusals of a payment for
    /// milestone 1.
    function _checkPaymentRefusals() internal {
        _submit(ROAD, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotProjectHolder.selector, ROAD, township, villageA)
        );
        _proposePayment(ROAD, villageA, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidMilestone.selector, ROAD, 3, 3));
        _proposePayment(ROAD, township, 3, 1);
        // Any amount but the milestone's fixed one (zero, or all that is left) is MilestoneAmount.
        vm.expectRevert(_errMilestoneAmount(ROAD, 1, 100_000 * YUAN, 0));
        _proposePayment(ROAD, township, 1, 0);
        vm.expectRevert(_errMilestoneAmount(ROAD, 1, 100_000 * YUAN, 200_000 * YUAN));
        _proposePayment(ROAD, township, 1, 200_000 * YUAN);
        vm.expectRevert(_errZeroHash());
        vm.prank(township);
        relief.proposeProjectPayment(ROAD, 1, uint96(100_000 * YUAN), bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownProject.selector, GREENHOUSE));
        _proposePayment(GREENHOUSE, township, 0, 1);
    }

    function _errMilestoneAmount(
        bytes32 projectId,
        uint256 index,
        uint256 fixedAmount,
        uint256 amount
    ) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerMilestoneAmount.selector,
                projectId,
                index,
                fixedAmount,
                amount
            );
    }

    /// Rule: a project payment is approved by an organisation other than the project's holder.
    function test_projectPayment_selfApprovalRefused() public {
        _createProject(GREENHOUSE, PROG_A, ruralAffairs, 50_000 * YUAN, 1);
        _fund(GREENHOUSE, ruralAffairs, 50_000 * YUAN);
        _submit(GREENHOUSE, 0);
        bytes32 id = _proposePayment(GREENHOUSE, ruralAffairs, 0, 50_000 * YUAN);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerSelfApproval.selector, id, ruralAffairs));
        _approve(id, ruralAffairs);
        _approve(id, ruralAffairsB);
        assertEq(relief.project(GREENHOUSE).paid, 50_000 * YUAN);
        _assertConserved(PROG_A);
    }

    /// Rule: the programme's approver department (rural affairs here) accepts a project: its unspent balance
    /// returns to the holder (counted as returned), the project is closed to funding, milestones and payments.
    function test_acceptProject_returnsRemainderToHolder() public {
        _createProject(ROAD, PROG_A, township, 300_000 * YUAN, 2);
        _fund(ROAD, township, 250_000 * YUAN);
        _submit(ROAD, 0);
        _approve(_proposePayment(ROAD, township, 0, 150_000 * YUAN), ruralAffairsB);
        uint256 holderBefore = _available(PROG_A, township);
        uint256 returnedBefore = relief.programme(PROG_A).returned;
        bytes32 report = keccak256("acceptance report");

        vm.expectEmit(address(relief));
        emit IReliefLedger.ProjectAccepted(ROAD, ruralAffairs, uint96(100_000 * YUAN), report);
        vm.expectEmit(address(relief));
        emit IReliefLedger.FundsReturned(PROG_A, address(relief), township, uint96(100_000 * YUAN), report);
        vm.prank(ruralAffairs);
        relief.acceptProject(ROAD, report);

        IReliefLedger.Project memory j = relief.project(ROAD);
        assertEq(uint8(j.status), uint8(IReliefLedger.ProjectStatus.Accepted));
        assertEq(j.available, 0);
        assertEq(j.returned, 100_000 * YUAN);
        assertEq(j.paid, 150_000 * YUAN);
        assertEq(_available(PROG_A, township), holderBefore + 100_000 * YUAN, "remainder to the holder");
        assertEq(relief.programme(PROG_A).returned, returnedBefore + 100_000 * YUAN);
        _assertConserved(PROG_A);

        bytes memory closed = _errWrongProjectStatus(ROAD, IReliefLedger.ProjectStatus.Accepted);
        vm.expectRevert(closed);
        _submit(ROAD, 1);
        vm.expectRevert(closed);
        _proposePayment(ROAD, township, 0, 1);
        vm.expectRevert(closed);
        vm.prank(ruralAffairs);
        relief.acceptProject(ROAD, report);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownProject.selector, GREENHOUSE));
        vm.prank(ruralAffairs);
        relief.acceptProject(GREENHOUSE, report);
    }

    /// Rule: acceptance is refused while a payment is pending (PaymentsPending), to anyone but an organisation
    /// of the programme's approver kind (Unauthorized naming that role; an inspector no longer accepts relief
    /// projects, issue 16 item 12), and without a report; a project never funded is accepted with nothing to
    /// return.
    function test_acceptProject_refusedWhilePaymentPending() public {
        _createProject(ROAD, PROG_A, township, 300_000 * YUAN, 2);
        _fund(ROAD, township, 200_000 * YUAN);
        _submit(ROAD, 1);
        bytes32 id = _proposePayment(ROAD, township, 1, 150_000 * YUAN);
        bytes32 report = keccak256("report");
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerPaymentsPending.selector, ROAD, 150_000 * YUAN)
        );
        vm.prank(ruralAffairs);
        relief.acceptProject(ROAD, report);
        address[5] memory others = [township, producer, finance, stranger, inspector];
        for (uint256 i = 0; i < others.length; ++i) {
            vm.expectRevert(_errUnauthorized(others[i], Roles.RURAL_AFFAIRS));
            vm.prank(others[i]);
            relief.acceptProject(ROAD, report);
        }
        vm.expectRevert(_errZeroHash());
        vm.prank(ruralAffairs);
        relief.acceptProject(ROAD, bytes32(0));

        _reject(id, township); // withdrawn: milestone 2 is submitted and unpaid again
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerMilestoneUnpaid.selector, ROAD, 1));
        vm.prank(ruralAffairsB);
        relief.acceptProject(ROAD, report);
        _approve(_proposePayment(ROAD, township, 1, 150_000 * YUAN), ruralAffairs);
        uint256 before = _available(PROG_A, township);
        vm.prank(ruralAffairsB);
        relief.acceptProject(ROAD, report);
        assertEq(_available(PROG_A, township), before + 50_000 * YUAN);
        _assertConserved(PROG_A);

        _createProject(GREENHOUSE, PROG_A, township, 1_000 * YUAN, 1);
        vm.recordLogs();
        vm.prank(ruralAffairs);
        relief.acceptProject(GREENHOUSE, report);
        // The NatSpec names FundsReturned too; the ledger emits it only when something returns. Pinned as it
        // is (reported in /tmp/relief-bugs.md as minor, possibly intended): change with the decision.
        assertEq(vm.getRecordedLogs().length, 1, "ProjectAccepted only: nothing returned");
        assertEq(relief.project(GREENHOUSE).returned, 0);
    }

    // ---------------------------------------------------------------- audit

    /// Rule: an auditor records a finding (severity 1-3) against an existing programme, allocation,
    /// disbursement, beneficiary or project, naming the respondent; findings are numbered from 1.
    function test_recordFinding_onEveryTargetKind() public {
        _recordFindings();
        assertEq(relief.findingCount(), 5);
        IReliefLedger.Finding memory f = relief.finding(2);
        assertEq(f.auditor, auditor);
        assertEq(f.severity, 2);
        assertEq(uint8(f.status), uint8(IReliefLedger.FindingStatus.Open));
        assertEq(uint8(f.targetKind), uint8(IReliefLedger.TargetKind.Allocation));
        assertEq(f.respondent, township);
        assertEq(f.target, bytes32(uint256(3)));
        for (uint32 id = 0; id < 7; id += 6) {
            vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownFinding.selector, id));
            relief.finding(id);
        }
    }

    /// @dev Five findings of the fixture's auditor, one per target kind, all to be answered by the township.
    function _recordFindings() internal {
        bytes32 disbursementId = _propose(PROG_A, villageA, 1, key1, 100 * YUAN);
        _createProject(ROAD, PROG_A, township, 1_000 * YUAN, 1);
        IReliefLedger.TargetKind[5] memory kinds = [
            IReliefLedger.TargetKind.Programme,
            IReliefLedger.TargetKind.Allocation,
            IReliefLedger.TargetKind.Disbursement,
            IReliefLedger.TargetKind.Beneficiary,
            IReliefLedger.TargetKind.Project
        ];
        bytes32[5] memory targets = [PROG_A, bytes32(uint256(3)), disbursementId, key1, ROAD];
        bytes32 doc = keccak256("audit working paper");
        for (uint256 i = 0; i < 5; ++i) {
            vm.expectEmit(address(relief));
            emit IReliefLedger.FindingRecorded(uint32(i + 1), targets[i], auditor, kinds[i], township, 2, doc);
            vm.prank(auditor);
            assertEq(relief.recordFinding(kinds[i], targets[i], township, 2, doc), i + 1);
        }
    }

    /// Rule: only the respondent answers, an open finding only, with a response.
    function test_answerFinding_byRespondentOnce() public {
        _recordFindings();
        bytes32 response = keccak256("rectification report");
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotRespondent.selector, 1, township, villageA)
        );
        vm.prank(villageA);
        relief.answerFinding(1, response);
        vm.expectRevert(_errZeroHash());
        vm.prank(township);
        relief.answerFinding(1, bytes32(0));
        vm.expectEmit(address(relief));
        emit IReliefLedger.FindingAnswered(1, township, response);
        vm.prank(township);
        relief.answerFinding(1, response);
        assertEq(uint8(relief.finding(1).status), uint8(IReliefLedger.FindingStatus.Answered));
        vm.expectRevert(_errWrongFindingStatus(1, IReliefLedger.FindingStatus.Answered));
        vm.prank(township);
        relief.answerFinding(1, response);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownFinding.selector, 6));
        vm.prank(township);
        relief.answerFinding(6, response);
    }

    /// Rule: only the auditor that recorded a finding closes it, answered or still open, once; a closed
    /// finding is not answered any more.
    function test_closeFinding_byRecordingAuditor() public {
        address auditorB = makeAddr("auditorB");
        _register(auditorB, uint8(Roles.AUDITOR));
        _recordFindings();
        vm.prank(township);
        relief.answerFinding(1, keccak256("rectification report"));

        bytes32 resolution = keccak256("resolution");
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotFindingAuditor.selector, 1, auditor, auditorB)
        );
        vm.prank(auditorB);
        relief.closeFinding(1, resolution);
        vm.expectRevert(_errManaged(township));
        vm.prank(township);
        relief.closeFinding(1, resolution);
        vm.expectRevert(_errZeroHash());
        vm.prank(auditor);
        relief.closeFinding(1, bytes32(0));
        vm.expectEmit(address(relief));
        emit IReliefLedger.FindingClosed(1, auditor, resolution);
        vm.prank(auditor);
        relief.closeFinding(1, resolution);
        assertEq(uint8(relief.finding(1).status), uint8(IReliefLedger.FindingStatus.Closed));
        vm.expectRevert(_errWrongFindingStatus(1, IReliefLedger.FindingStatus.Closed));
        vm.prank(auditor);
        relief.closeFinding(1, resolution);
        vm.expectRevert(_errWrongFindingStatus(1, IReliefLedger.FindingStatus.Closed));
        vm.prank(township);
        relief.answerFinding(1, keccak256("late answer"));
        // An open finding is closed without an answer.
        vm.prank(auditor);
        relief.closeFinding(2, resolution);
        assertEq(uint8(relief.finding(2).status), uint8(IReliefLedger.FindingStatus.Closed));
    }

    function _errWrongFindingStatus(
        uint32 findingId,
        IReliefLedger.FindingStatus status
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerWrongFindingStatus.selector, findingId, status);
    }

    /// Rule: a finding needs an existing target of its kind, a respondent, severity 1-3 and a document;
    /// only AUDITOR records.
    function test_recordFinding_refusals() public {
        bytes32 doc = keccak256("paper");
        uint64 allocations = relief.allocationCount();
        IReliefLedger.TargetKind[6] memory kinds = [
            IReliefLedger.TargetKind.Programme,
            IReliefLedger.TargetKind.Allocation,
            IReliefLedger.TargetKind.Allocation,
            IReliefLedger.TargetKind.Disbursement,
            IReliefLedger.TargetKind.Beneficiary,
            IReliefLedger.TargetKind.Project
        ];
        bytes32[6] memory targets = [PROG_C, bytes32(0), bytes32(uint256(allocations + 1)), key1, PROG_A, key1];
        vm.startPrank(auditor);
        for (uint256 i = 0; i < kinds.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownTarget.selector, kinds[i], targets[i])
            );
            relief.recordFinding(kinds[i], targets[i], township, 1, doc);
        }
        vm.expectRevert(IReliefLedger.ReliefLedgerZeroAccount.selector);
        relief.recordFinding(IReliefLedger.TargetKind.Beneficiary, key1, address(0), 1, doc);
        for (uint8 severity = 0; severity < 5; severity += 4) {
            vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidSeverity.selector, severity));
            relief.recordFinding(IReliefLedger.TargetKind.Beneficiary, key1, villageA, severity, doc);
        }
        vm.expectRevert(_errZeroHash());
        relief.recordFinding(IReliefLedger.TargetKind.Beneficiary, key1, villageA, 3, bytes32(0));
        relief.recordFinding(IReliefLedger.TargetKind.Allocation, bytes32(uint256(allocations)), villageA, 3, doc);
        vm.stopPrank();
        vm.expectRevert(_errManaged(ruralAffairs));
        vm.prank(ruralAffairs);
        relief.recordFinding(IReliefLedger.TargetKind.Beneficiary, key1, villageA, 1, doc);
        assertEq(relief.findingCount(), 1);
    }

    // ---------------------------------------------------------------- suspension

    /// Rule: a suspended holder (its role revoked at the manager by the registry) is stopped at once: it
    /// neither allocates, receives, returns, proposes nor creates or funds projects, nor registers
    /// beneficiaries; its parent still proposes for its beneficiaries; reinstated, it acts again.
    function test_suspendedHolder_stoppedAtOnce() public {
        _createProject(ROAD, PROG_A, township, 100_000 * YUAN, 1);
        _suspend(villageA);
        (bool member, ) = manager.hasRole(Roles.VILLAGE, villageA);
        assertFalse(member, "role revoked at the manager");
        vm.expectRevert(_errNotHolder(villageA));
        _allocate(PROG_A, villageA, villageB, 1);
        vm.expectRevert(_errNotHolder(villageA));
        _allocate(PROG_A, township, villageA, 1);
        vm.expectRevert(_errNotHolder(villageA));
        _return(PROG_A, villageA, 1);
        vm.expectRevert(_errNotHolder(villageA));
        _propose(PROG_A, villageA, 2, key1, 1);
        vm.expectRevert(_errNotHolder(villageA));
        _createProject(GREENHOUSE, PROG_A, villageA, 1, 1);
        vm.expectRevert(_errManaged(villageA));
        _registerBeneficiary(keyOf("test", 1), villageA);
        _propose(PROG_A, township, 2, key1, 100 * YUAN);

        _suspend(township);
        vm.expectRevert(_errNotHolder(township));
        _fund(ROAD, township, 1);
        _suspend(finance);
        vm.expectRevert(_errManaged(finance));
        vm.prank(finance);
        relief.appropriate(PROG_A, 1, keccak256("doc"));
        vm.expectRevert(_errNotHolder(finance));
        _allocate(PROG_A, finance, countyFinance, 1);

        _reinstate(villageA);
        _reinstate(township);
        _reinstate(finance);
        _consentAndAllocate(PROG_A, villageA, villageB, 1);
        _fund(ROAD, township, 1);
        _allocate(PROG_A, finance, countyFinance, 1);
        _assertConserved(PROG_A);
    }

    /// Rule: a suspended department is stopped at once in the role it acts in: approving and rejecting
    /// (the approver role), attesting (the kind's attester role), accepting projects (the approver role);
    /// reinstated, it acts again.
    function test_suspendedDepartment_stoppedAtOnce() public {
        _createProject(ROAD, PROG_A, township, 100_000 * YUAN, 1);
        bytes32 pending = _propose(PROG_A, villageA, 1, key1, 100 * YUAN);
        _suspend(ruralAffairsB);
        vm.expectRevert(_errUnauthorized(ruralAffairsB, Roles.RURAL_AFFAIRS));
        _approve(pending, ruralAffairsB);
        vm.expectRevert(_errUnauthorized(ruralAffairsB, Roles.RURAL_AFFAIRS));
        _reject(pending, ruralAffairsB);
        vm.expectRevert(_errUnauthorized(ruralAffairsB, Roles.RURAL_AFFAIRS));
        vm.prank(ruralAffairsB);
        relief.attest(key2, MONITORED_HOUSEHOLD, keccak256("evidence"));
        vm.expectRevert(_errUnauthorized(ruralAffairsB, Roles.RURAL_AFFAIRS));
        vm.prank(ruralAffairsB);
        relief.acceptProject(ROAD, keccak256("report"));

        _suspend(civilAffairs);
        vm.expectRevert(_errUnauthorized(civilAffairs, Roles.CIVIL_AFFAIRS));
        _attest(key2, EXTREME_HARDSHIP);

        _reinstate(ruralAffairsB);
        _reinstate(civilAffairs);
        _approve(pending, ruralAffairsB);
        _attest(key2, EXTREME_HARDSHIP);
        vm.prank(ruralAffairsB);
        relief.acceptProject(ROAD, keccak256("report"));
        _assertConserved(PROG_A);
    }

    /// Rule: a suspended implementer is stopped at once: it is no implementer of new projects, submits no
    /// milestone evidence and is paid nothing more; reinstated, it goes on.
    function test_suspendedImplementer_stoppedAtOnce() public {
        _createProject(ROAD, PROG_A, township, 100_000 * YUAN, 3);
        _fund(ROAD, township, 100_000 * YUAN);
        _submit(ROAD, 0);
        _suspend(producer);
        bytes memory notImplementer = abi.encodeWithSelector(
            IReliefLedger.ReliefLedgerNotImplementer.selector,
            producer
        );
        vm.expectRevert(notImplementer);
        _createProject(GREENHOUSE, PROG_A, township, 1, 1);
        vm.expectRevert(notImplementer);
        _submit(ROAD, 1);
        uint256 share = relief.milestoneAmount(ROAD, 0); // 100,000 yuan in three: 33,333.33
        vm.expectRevert(notImplementer);
        _proposePayment(ROAD, township, 0, share);
        // Its pending payment can still be rejected; acceptance returns the rest.
        _reinstate(producer);
        bytes32 id = _proposePayment(ROAD, township, 0, share);
        _suspend(producer);
        _reject(id, township);
        _reinstate(producer);
        _submit(ROAD, 1);
        _approve(_proposePayment(ROAD, township, 1, share), ruralAffairs);
        assertEq(relief.project(ROAD).paid, share);
        _assertConserved(PROG_A);
    }
}
