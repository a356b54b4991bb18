// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `testFuzz_<fn>_<what>` / `invariant_<rule>`, the invariant handler
// next to its tests, a stateful handler); gas hints do not apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings, function-max-lines
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {Roles} from "../contracts/access/Roles.sol";
import {IOrgRegistry} from "../contracts/interfaces/IOrgRegistry.sol";
import {IReliefLedger} from "../contracts/interfaces/IReliefLedger.sol";
import {ReliefLedger} from "../contracts/relief/ReliefLedger.sol";
import {
    EXTREME_HARDSHIP,
    LIFTED_FROM_POVERTY,
    LOW_INCOME_HOUSEHOLD,
    MAX_ATTESTATION_KIND,
    MAX_MILESTONES,
    MAX_TREE_DEPTH,
    MINIMUM_LIVING_ALLOWANCE,
    MONITORED_HOUSEHOLD,
    ReliefLedgerFixture,
    T0,
    YUAN,
    bitOf,
    docOf,
    keyOf,
    namespacedId
} from "./ReliefLedgerFixture.sol";

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

contract ReliefLedgerFuzzTest is ReliefLedgerFixture {
    /// @dev Amounts in fen the fuzz tests stay under, so that counters of many hops never near uint96.
    uint256 internal constant MAX_FUZZ_AMOUNT = 1e24;

    /// Rule: down a chain finance → rural affairs → township → village B each allocation moves exactly the
    /// amount (ZeroAmount for 0, InsufficientBalance(available, amount) beyond the balance), and returns
    /// go to the parent: every holding's available = received (budget for the root) + returns from its
    /// child - allocated - returned, the programme's sums are conserved and the parents are the chain.
    function testFuzz_allocate_conservesAlongChain(
        uint256 budget,
        uint256[3] memory amounts,
        uint256[3] memory returned
    ) public {
        budget = bound(budget, 3, MAX_FUZZ_AMOUNT);
        _createProgramme(PROG_C, _terms(1, REQUIRED_B, budget, 1));
        address[4] memory chain = [finance, ruralAffairsB, township, villageB];
        for (uint256 i = 0; i < 3; ++i) {
            _consent(PROG_C, chain[i], chain[i + 1]);
            uint256 avail = _available(PROG_C, chain[i]);
            if (amounts[i] % 8 == 0) {
                vm.expectRevert(_errZeroAmount());
                _allocate(PROG_C, chain[i], chain[i + 1], 0);
            } else if (amounts[i] % 8 == 1) {
                vm.expectRevert(_errInsufficient(PROG_C, chain[i], avail, avail + 1));
                _allocate(PROG_C, chain[i], chain[i + 1], avail + 1);
            }
            _allocate(PROG_C, chain[i], chain[i + 1], bound(amounts[i], 1, avail));
        }
        uint256[4] memory returnsIn;
        for (uint256 i = 3; i > 0; --i) {
            uint256 avail = _available(PROG_C, chain[i]);
            uint256 r = bound(returned[i - 1], 0, avail);
            if (r == 0) continue;
            _return(PROG_C, chain[i], r);
            returnsIn[i - 1] += r;
        }
        IReliefLedger.Programme memory p = relief.programme(PROG_C);
        uint256 hops = 0;
        uint256 backs = 0;
        for (uint256 i = 0; i < 4; ++i) {
            IReliefLedger.Holding memory h = _holding(PROG_C, chain[i]);
            uint256 inflow = (i == 0 ? budget : h.received) + returnsIn[i];
            assertEq(h.available, inflow - h.allocated - h.returned, "available = in - out");
            assertEq(h.parent, i == 0 ? address(0) : chain[i - 1], "parent");
            if (i < 3) assertEq(h.allocated, _holding(PROG_C, chain[i + 1]).received, "allocated = child's received");
            hops += h.allocated;
            backs += h.returned;
        }
        assertEq(p.allocated, hops, "programme allocated = every hop");
        assertEq(p.returned, backs, "programme returned = every return");
        _assertConserved(PROG_C);
    }

    /// Rule: a proposal's period is 1..periods (InvalidPeriod), its amount within the cap (OverCap), not
    /// zero and within the balance; an approved beneficiary is not paid again for that period
    /// (AlreadyPaid) but is for another.
    function testFuzz_proposeDisbursement_capAndPeriods(
        uint16 periods,
        uint256 cap,
        uint32 period,
        uint256 amount,
        uint256 balance
    ) public {
        periods = uint16(bound(periods, 1, type(uint16).max));
        cap = bound(cap, 1, MAX_FUZZ_AMOUNT);
        balance = bound(balance, 1, MAX_FUZZ_AMOUNT);
        amount = bound(amount, 0, 2 * MAX_FUZZ_AMOUNT);
        if (period % 4 == 0) period = uint32(bound(period, 1, periods)); // valid at least a quarter of the runs
        _createProgramme(PROG_C, _terms(periods, REQUIRED_B, 2 * MAX_FUZZ_AMOUNT, cap));
        _allocate(PROG_C, finance, villageB, balance);

        bytes memory expected;
        if (period == 0 || period > periods) {
            expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerInvalidPeriod.selector,
                PROG_C,
                period,
                periods
            );
        } else if (amount > cap) {
            expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerOverCap.selector, PROG_C, amount, cap);
        } else if (amount == 0) expected = _errZeroAmount();
        else if (amount > balance) expected = _errInsufficient(PROG_C, villageB, balance, amount);
        if (expected.length != 0) vm.expectRevert(expected);
        vm.prank(villageB);
        bytes32 id = relief.proposeDisbursement(PROG_C, period, key3, uint96(amount), keccak256("payment"));
        if (expected.length != 0) {
            assertEq(_holding(PROG_C, villageB).available, balance, "nothing reserved");
            return;
        }
        _approve(id, ruralAffairs);
        assertEq(relief.programme(PROG_C).disbursed, amount);
        _allocate(PROG_C, finance, villageB, 1); // so that the balance is not what refuses
        vm.expectRevert(_errAlreadyPaid(id, IReliefLedger.DisbursementStatus.Approved));
        _propose(PROG_C, villageB, period, key3, 1);
        uint256 left = balance - amount + 1;
        if (periods > 1 && left != 0) {
            uint32 next = uint32((uint256(period) % periods) + 1);
            _approve(_propose(PROG_C, villageB, next, key3, left < cap ? left : cap), ruralAffairsB);
        }
        _assertConserved(PROG_C);
    }

    /// Rule: whatever the programme's approver role, a disbursement is approved only by a holder of that
    /// role (Unauthorized otherwise, also when suspended) other than the proposer (SelfApproval), and only
    /// then counts as disbursed.
    function testFuzz_approveDisbursement_onlyAnotherApprover(
        uint256 roleSeed,
        uint256 proposerSeed,
        uint256 approverSeed,
        bool suspendApprover
    ) public {
        // Any department kind (villages, producers and recipients may not approve: issue 16, item 5).
        uint64[5] memory roles = [
            Roles.RURAL_AFFAIRS,
            Roles.AUDITOR,
            Roles.FINANCE,
            Roles.CIVIL_AFFAIRS,
            Roles.INSPECTOR
        ];
        uint64 role = roles[roleSeed % roles.length];
        IReliefLedger.ProgrammeTerms memory t = _terms(1, REQUIRED_B, 1_000_000 * YUAN, CAP_B);
        t.approverRole = uint8(role);
        _createProgramme(PROG_C, t);
        _allocate(PROG_C, finance, township, 100_000 * YUAN);
        _consentAndAllocate(PROG_C, township, villageA, 10_000 * YUAN);
        address proposer = proposerSeed % 2 == 0 ? villageA : township;
        bytes32 id = _propose(PROG_C, proposer, 1, key1, 1_000 * YUAN);

        address[14] memory accounts = _accounts();
        address approver = accounts[approverSeed % accounts.length];
        if (suspendApprover && registry.organisation(approver).status == IOrgRegistry.Status.Active) {
            _suspend(approver);
        }
        bytes memory expected;
        if (!_hasRole(role, approver)) expected = _errUnauthorized(approver, role);
        else if (approver == proposer) {
            expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerSelfApproval.selector, id, proposer);
        }
        if (expected.length != 0) vm.expectRevert(expected);
        _approve(id, approver);

        IReliefLedger.Disbursement memory d = relief.disbursement(id);
        if (expected.length != 0) {
            assertEq(uint8(d.status), uint8(IReliefLedger.DisbursementStatus.Proposed));
            assertEq(relief.programme(PROG_C).disbursed, 0, "not counted");
        } else {
            assertEq(uint8(d.status), uint8(IReliefLedger.DisbursementStatus.Approved));
            assertEq(d.decidedBy, approver);
            assertTrue(d.decidedBy != d.holder, "two organisations");
            assertEq(relief.programme(PROG_C).disbursed, 1_000 * YUAN);
        }
        _assertConserved(PROG_C);
    }

    /// Rule: a beneficiary must hold every attestation the programme requires when proposed and again
    /// when approved (NotEligible(required, held) at either step); isEligible says the same.
    function testFuzz_eligibility_checkedAtProposalAndApproval(
        uint16 required,
        uint16 atProposal,
        uint16 atApproval
    ) public {
        uint16 defined = 0x1f; // kinds 0-4
        required &= defined;
        atProposal &= defined;
        atApproval &= defined;
        _createProgramme(PROG_C, _terms(1, required, 1_000_000 * YUAN, CAP_B));
        _allocate(PROG_C, finance, villageB, 100_000 * YUAN);
        bytes32 key = keyOf("fuzz", 1);
        _registerBeneficiary(key, villageB);
        _setAttestations(key, atProposal);
        bool eligible = atProposal & required == required;
        assertEq(relief.isEligible(PROG_C, key), eligible);
        if (!eligible) vm.expectRevert(_errNotEligible(PROG_C, key, required, atProposal));
        bytes32 id = _propose(PROG_C, villageB, 1, key, 1_000 * YUAN);
        if (!eligible) return;

        _setAttestations(key, atApproval);
        eligible = atApproval & required == required;
        assertEq(relief.isEligible(PROG_C, key), eligible);
        if (!eligible) vm.expectRevert(_errNotEligible(PROG_C, key, required, atApproval));
        _approve(id, ruralAffairs);
        assertEq(relief.programme(PROG_C).disbursed, eligible ? 1_000 * YUAN : 0);
        assertEq(_holding(PROG_C, villageB).reserved, eligible ? 0 : 1_000 * YUAN);
        _assertConserved(PROG_C);
    }

    /// @dev Attests and revokes until `key` holds exactly the kinds of `mask`.
    function _setAttestations(bytes32 key, uint16 mask) internal {
        uint16 held = relief.beneficiary(key).attestations;
        for (uint8 k = 0; k < 5; ++k) {
            bool want = mask & bitOf(k) != 0;
            bool has = held & bitOf(k) != 0;
            if (want && !has) _attest(key, k);
            else if (!want && has) _revoke(key, k);
        }
        assertEq(relief.beneficiary(key).attestations, mask);
    }

    /// Rule: a project is funded up to its budget: each funding is refused beyond it
    /// (OverBudget(budget, funded + amount)), at zero and beyond the holder's balance; funded never
    /// exceeds the budget and equals what left the holder.
    function testFuzz_fundProject_upToBudget(uint256 budget, uint256 balance, uint256[5] memory amounts) public {
        budget = bound(budget, 1, MAX_FUZZ_AMOUNT);
        balance = bound(balance, 1, 2 * budget);
        _createProgramme(PROG_C, _terms(1, REQUIRED_B, balance, 1));
        _createProject(PROJECT, PROG_C, finance, budget, 1);
        uint256 funded = 0;
        for (uint256 i = 0; i < amounts.length; ++i) {
            uint256 avail = _available(PROG_C, finance);
            uint256 amount = bound(amounts[i], 0, budget - funded + 1);
            bytes memory expected;
            if (funded + amount > budget) {
                expected = abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerOverBudget.selector,
                    PROJECT,
                    budget,
                    funded + amount
                );
            } else if (amount == 0) expected = _errZeroAmount();
            else if (amount > avail) expected = _errInsufficient(PROG_C, finance, avail, amount);
            if (expected.length != 0) vm.expectRevert(expected);
            _fund(PROJECT, finance, amount);
            if (expected.length == 0) funded += amount;
            IReliefLedger.Project memory j = relief.project(PROJECT);
            assertEq(j.funded, funded);
            assertEq(j.available, funded);
            assertLe(j.funded, j.budget, "never beyond the budget");
            assertEq(_available(PROG_C, finance), balance - funded);
        }
        assertEq(relief.programme(PROG_C).allocated, funded);
        _assertConserved(PROG_C);
    }

    /// Rule: at acceptance the project's whole unspent balance (funded - paid) returns to its holder; paid
    /// milestones stay paid (each its amount fixed at creation), milestones never submitted cost nothing, and a
    /// rejected payment costs nothing until proposed again (acceptance waits for every submitted milestone).
    function testFuzz_acceptProject_returnsRemainder(
        uint256 funded,
        uint8 skipMask,
        uint8 milestones,
        uint8 rejectMask
    ) public {
        milestones = uint8(bound(milestones, 1, 4));
        funded = bound(funded, milestones, MAX_FUZZ_AMOUNT);
        _createProgramme(PROG_C, _terms(1, REQUIRED_B, MAX_FUZZ_AMOUNT, 1));
        _createProject(PROJECT, PROG_C, finance, funded, milestones);
        _fund(PROJECT, finance, funded);
        uint256 paid = 0;
        for (uint256 i = 0; i < milestones; ++i) {
            if (skipMask & (1 << i) != 0) continue;
            _submit(PROJECT, i);
            uint256 amount = relief.milestoneAmount(PROJECT, uint8(i));
            bytes32 id = _proposePayment(PROJECT, finance, i, amount);
            if (rejectMask & (1 << i) != 0) {
                _reject(id, ruralAffairs);
                vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerMilestoneUnpaid.selector, PROJECT, i));
                vm.prank(ruralAffairs);
                relief.acceptProject(PROJECT, keccak256("report"));
                id = _proposePayment(PROJECT, finance, i, amount);
            }
            _approve(id, ruralAffairs);
            paid += amount;
        }
        uint256 before = _available(PROG_C, finance);
        vm.prank(ruralAffairs);
        relief.acceptProject(PROJECT, keccak256("report"));
        IReliefLedger.Project memory j = relief.project(PROJECT);
        assertEq(j.paid, paid);
        assertEq(j.returned, funded - paid, "remainder returned");
        assertEq(j.available, 0);
        assertEq(_available(PROG_C, finance), before + funded - paid, "to the holder");
        assertEq(relief.programme(PROG_C).disbursed, paid);
        assertEq(relief.programme(PROG_C).returned, funded - paid);
        _assertConserved(PROG_C);
    }

    /// Rule: a further appropriation adds to the budget and the root's balance; a total beyond uint96 is
    /// AmountTooLarge(total).
    function testFuzz_appropriate_addsOrOverflows(uint256 budget, uint256 amount) public {
        budget = bound(budget, 1, type(uint96).max);
        amount = bound(amount, 1, type(uint96).max);
        _createProgramme(PROG_C, _terms(1, REQUIRED_B, budget, 1));
        bool overflow = budget + amount > type(uint96).max;
        if (overflow) {
            vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerAmountTooLarge.selector, budget + amount));
        }
        vm.prank(finance);
        relief.appropriate(PROG_C, uint96(amount), keccak256("supplementary"));
        uint256 total = overflow ? budget : budget + amount;
        assertEq(relief.programme(PROG_C).appropriated, total);
        assertEq(_available(PROG_C, finance), total);
    }

    /// Rule: a holder of two programmes spends each one's money under that programme only: allocating,
    /// returning or funding a project under C beyond its C balance is InsufficientBalance whatever it holds
    /// in D, and nothing of D changes.
    function testFuzz_programmeIsolation_balancesPerProgramme(uint256 inC, uint256 inD, uint256 amount) public {
        inC = bound(inC, 1, MAX_FUZZ_AMOUNT);
        inD = bound(inD, 1, MAX_FUZZ_AMOUNT);
        amount = bound(amount, 1, 2 * MAX_FUZZ_AMOUNT);
        _createProgramme(PROG_C, _terms(1, REQUIRED_B, inC, MAX_FUZZ_AMOUNT));
        _createProgramme(PROG_D, _terms(1, REQUIRED_B, inD, MAX_FUZZ_AMOUNT));
        _allocate(PROG_C, finance, ruralAffairsB, inC);
        _allocate(PROG_D, finance, ruralAffairsB, inD);
        _createProject(PROJECT, PROG_C, ruralAffairsB, 2 * MAX_FUZZ_AMOUNT, 1);
        bytes32 holdingD = keccak256(abi.encode(_holding(PROG_D, ruralAffairsB)));
        bytes32 programmeD = keccak256(abi.encode(relief.programme(PROG_D)));
        _consent(PROG_C, ruralAffairsB, villageB);

        for (uint256 step = 0; step < 3; ++step) {
            uint256 avail = _available(PROG_C, ruralAffairsB);
            bool refused = amount > avail;
            if (refused) vm.expectRevert(_errInsufficient(PROG_C, ruralAffairsB, avail, amount));
            if (step == 0) _allocate(PROG_C, ruralAffairsB, villageB, amount);
            else if (step == 1) _return(PROG_C, ruralAffairsB, amount);
            else _fund(PROJECT, ruralAffairsB, amount);
            assertEq(_available(PROG_C, ruralAffairsB), refused ? avail : avail - amount);
        }
        assertEq(keccak256(abi.encode(_holding(PROG_D, ruralAffairsB))), holdingD, "D holding untouched");
        assertEq(keccak256(abi.encode(relief.programme(PROG_D))), programmeD, "D programme untouched");
        _assertConserved(PROG_C);
        _assertConserved(PROG_D);
    }
}

/**
 * @dev Drives the ledger with random sequences over two programmes of its own (P0: three periods, needs
 * kinds 0 and 3, approved by rural affairs; P1: a one-off payment, needs kind 0, approved by civil affairs):
 * appropriations, allocations down a tree of seven holders (two finance bureaus, two rural affairs
 * bureaus, a township and two villages) and attempts to re-parent, returns, beneficiaries registered
 * with attestations attested and revoked, disbursements proposed, approved (sometimes after a required
 * attestation was revoked) and rejected, relief projects created (some under a code another holder already
 * used: squatting orders, which get the caller's own namespaced id; P0's code is squatted by the county
 * finance bureau before the handler's finance creates it), funded, paid by milestone and accepted; organisations are suspended and reinstated through the registry. A ghost model keeps every
 * programme, holding, beneficiary, project and disbursement and predicts each call's outcome exactly
 * (success with its return value, or the revert data the contract's checks give in their order); a
 * mismatch is recorded rather than reverted (failOnRevert: false), and a call the model did not expect
 * to succeed changes no ghost state. Callers are the right account about seven times in eight, one
 * amount in eight is more than the caller holds in the programme but within what it holds in the other
 * (a cross-programme move), and pickers prefer holders, beneficiaries, periods, projects and
 * disbursements in the state an action needs. Fuzzer inputs are hashed first (`_mix`), so that they spread
 * evenly over those choices.
 */
contract ReliefLedgerHandler is CommonBase, StdUtils {
    /// @dev A seeded programme did not get the id its creator's namespace gives (set-up, not a target).
    error SeedFailed(string code);

    enum Action {
        Appropriate,
        Allocate,
        Return,
        Register,
        Attest,
        Revoke,
        Propose,
        Approve,
        Reject,
        CreateProject,
        FundProject,
        SubmitMilestone,
        ProposePayment,
        AcceptProject,
        Suspend,
        SetParent,
        MoveBeneficiary,
        Relay
    }

    uint256 internal constant ACTIONS = 18;
    uint256 internal constant HOLDERS = 7;
    uint256 internal constant ACTORS = 11;
    uint256 internal constant MAX_KEYS = 10;
    uint256 internal constant MAX_PROJECTS = 8;
    uint256 internal constant MAX_APPROPRIATION = 1e8;
    uint256 internal constant MAX_BUDGET = 2e7;

    struct GhostProgramme {
        bytes32 id;
        uint16 periods;
        uint8 approverRole;
        uint16 required;
        uint256 cap;
        uint256 appropriated;
        uint256 allocated;
        uint256 disbursed;
        uint256 returned;
    }

    struct GhostHolding {
        address parent;
        uint256 available;
        uint256 received;
        uint256 allocated;
        uint256 reserved;
        uint256 disbursed;
        uint256 returned;
    }

    struct GhostProject {
        uint256 programme; // index 0 or 1
        address holder;
        address implementer;
        IReliefLedger.ProjectStatus status;
        uint8 milestoneCount;
        uint32 submitted;
        uint256 budget;
        uint256 funded;
        uint256 available;
        uint256 reserved;
        uint256 paid;
        uint256 returned;
        uint32 paidMilestones;
    }

    struct GhostDisbursement {
        uint256 programme;
        address holder;
        IReliefLedger.RecipientKind kind;
        IReliefLedger.DisbursementStatus status;
        uint32 period; // or milestone index
        bytes32 recipient;
        uint256 amount;
        address decidedBy;
        uint256 approvals; // successful approvals of this id
        bool approverEntitled; // by the model: the approver held the approver role and was not the proposer
        bytes32 refHash; // the payment-reference hash proposed
    }

    /// @dev One call under construction.
    struct Step {
        uint256 g; // programme index
        address caller;
        uint256 amount;
        bool cross; // more than the caller holds in programme g, within what it holds in the other one
        bytes32 hash;
        bytes32 id; // the disbursement
        bytes expected;
    }

    /// @dev A project about to be created.
    struct NewProject {
        string code;
        bytes32 id;
        address implementer;
        uint256 budget;
        uint8 milestoneCount;
    }

    ReliefLedger public relief;
    IOrgRegistry public registry;
    address public admin;
    address public regulator;
    address public finance;
    address[HOLDERS] public holders;
    address[4] public others; // civil affairs, inspector, producer, stranger
    mapping(address account => uint8 kind) public kindOf;
    mapping(address account => bool) public suspended;

    GhostProgramme[2] internal _programmes;
    mapping(uint256 g => mapping(address holder => GhostHolding)) internal _holdings;
    bytes32[] public keys;
    mapping(bytes32 key => address village) public villageOf;
    mapping(bytes32 key => uint16 mask) public attestationsOf;
    mapping(bytes32 key => bool) public knownKey;
    bytes32[] public projectIds;
    /// @dev The code of each of `projectIds`, for squatting orders (another holder creating a code already used).
    string[] internal projectCodes;
    mapping(bytes32 projectId => GhostProject) internal _projects;
    bytes32[] public disbursementIds;
    mapping(bytes32 id => GhostDisbursement) internal _disbursements;
    /// @dev Approvals per (programme, period or milestone, recipient, kind), keyed independently of the
    /// ledger's disbursement ids.
    bytes32[] public paymentSlots;
    mapping(bytes32 slot => uint256) public ghostPaidCount;
    uint64 public allocationBase;
    uint64 public ghostAllocations;

    /// @dev Successful cross-programme moves, approvals by the proposer or by someone without the
    /// programme's approver role, proposals for a (programme, period, recipient) already proposed or
    /// approved, and allocations to a holder from someone other than its parent: all must stay 0.
    uint256 public ghostCrossMoves;
    uint256 public ghostBadApprovals;
    uint256 public ghostDoublePayments;
    uint256 public ghostParentChanges;
    /// @dev How often those were tried, and approvals of a beneficiary no longer eligible.
    uint256 public crossAttempts;
    uint256 public selfApprovalAttempts;
    uint256 public doublePaymentAttempts;
    uint256 public parentChangeAttempts;
    uint256 public ineligibleApprovalAttempts;
    /// @dev Attacks tried: relays through the manager, approvals naming other terms than those proposed,
    /// parent squatting (allocations to a holder that did not accept the caller, consents over a parent),
    /// beneficiaries moved or deregistered, appropriations to the uint96 limit.
    uint256 public relayAttempts;
    uint256 public staleTermsAttempts;
    uint256 public squatAttempts;
    /// @dev Projects tried under a code another holder already used (each gets the caller's own id).
    uint256 public codeSquatAttempts;
    uint256 public moves;
    uint256 public extremeAmounts;

    uint256[ACTIONS] public calls;
    uint256[ACTIONS] public successes;
    uint256 public mismatches;
    string public firstMismatch;

    constructor(
        ReliefLedger relief_,
        IOrgRegistry registry_,
        address admin_,
        address regulator_,
        address[HOLDERS] memory holders_,
        address[4] memory others_
    ) {
        relief = relief_;
        registry = registry_;
        admin = admin_;
        regulator = regulator_;
        holders = holders_;
        others = others_;
        finance = holders_[0];
        // Two finance bureaus, two rural affairs bureaus, a township and two villages.
        uint8[HOLDERS] memory kinds = [
            uint8(Roles.FINANCE),
            uint8(Roles.FINANCE),
            uint8(Roles.RURAL_AFFAIRS),
            uint8(Roles.RURAL_AFFAIRS),
            uint8(Roles.VILLAGE),
            uint8(Roles.VILLAGE),
            uint8(Roles.VILLAGE)
        ];
        for (uint256 i = 0; i < HOLDERS; ++i) kindOf[holders_[i]] = kinds[i];
        kindOf[others_[0]] = uint8(Roles.CIVIL_AFFAIRS);
        kindOf[others_[1]] = uint8(Roles.INSPECTOR);
        kindOf[others_[2]] = uint8(Roles.PRODUCER);
        allocationBase = relief_.allocationCount();
    }

    // ---------------------------------------------------------------- set-up (not targets)

    /// @dev The handler's finance creates programme `g` under `code`. With `squat`, the county finance bureau
    /// (holders[1]) takes the code first, with the same terms: it gets its own id and programme, and the
    /// handler's finance still gets the id of its code (a programme the ghost does not model beyond that).
    function seedProgramme(
        uint256 g,
        string calldata code,
        IReliefLedger.ProgrammeTerms calldata terms,
        bool squat
    ) external returns (bytes32 id) {
        bytes32 expected = keccak256(abi.encode(finance, keccak256(bytes(code))));
        if (squat) {
            vm.prank(holders[1]);
            bytes32 squatted = relief.createProgramme(code, terms, keccak256(abi.encode("squatter budget", code)));
            if (squatted == expected || relief.programme(squatted).finance != holders[1]) revert SeedFailed(code);
        }
        vm.prank(finance);
        id = relief.createProgramme(code, terms, keccak256(abi.encode("handler budget", code)));
        if (id != expected || relief.programme(id).finance != finance) revert SeedFailed(code);
        _programmes[g] = GhostProgramme({
            id: id,
            periods: terms.periods,
            approverRole: terms.approverRole,
            required: terms.requiredAttestations,
            cap: terms.perBeneficiaryCap,
            appropriated: terms.budget,
            allocated: 0,
            disbursed: 0,
            returned: 0
        });
        _holdings[g][finance].available = terms.budget;
    }

    function seedAllocation(uint256 g, address from, address to, uint256 amount) external {
        if (from != finance && _holdings[g][to].parent == address(0)) {
            vm.prank(to);
            relief.setParent(_programmes[g].id, to, from, keccak256("seed consent"));
            _holdings[g][to].parent = from;
        }
        vm.prank(from);
        relief.allocate(_programmes[g].id, to, uint96(amount), keccak256("seed allocation"));
        _allocated(g, from, to, amount);
    }

    /// @dev `village` registers a new beneficiary holding the kinds of `mask` (0-4).
    function seedBeneficiary(address village, uint16 mask) external {
        bytes32 key = keyOf("handler", keys.length);
        vm.prank(village);
        relief.registerBeneficiary(key, keccak256(abi.encode("household", key)));
        villageOf[key] = village;
        keys.push(key);
        knownKey[key] = true;
        for (uint8 k = 0; k < 5; ++k) {
            if (mask & bitOf(k) == 0) continue;
            vm.prank(_attesterOf(k, 0));
            relief.attest(key, k, keccak256(abi.encode("seed evidence", key, k)));
        }
        attestationsOf[key] = mask;
    }

    /// @dev `proposer` proposes paying beneficiary `k` for `period` of programme `g`; `approver` (if not zero)
    /// approves it.
    function seedDisbursement(
        uint256 g,
        uint256 k,
        uint32 period,
        address proposer,
        uint256 amount,
        address approver
    ) external {
        Step memory s;
        s.g = g;
        s.caller = proposer;
        s.amount = amount;
        vm.prank(proposer);
        s.hash = keccak256("seed");
        s.id = relief.proposeDisbursement(_programmes[g].id, period, keys[k], uint96(amount), s.hash);
        GhostHolding storage h = _holdings[g][proposer];
        h.available -= amount;
        h.reserved += amount;
        _proposed(s, IReliefLedger.RecipientKind.Beneficiary, period, keys[k]);
        if (approver == address(0)) return;
        vm.prank(approver);
        relief.approveDisbursement(s.id, uint96(amount), s.hash);
        _approved(s.id, approver, true);
    }

    // ---------------------------------------------------------------- programmes and allocation

    function appropriate(uint256 programmeSeed, uint256 callerSeed, uint256 amountSeed) external {
        programmeSeed = _mix(programmeSeed);
        callerSeed = _mix(callerSeed);
        amountSeed = _mix(amountSeed);
        Step memory s;
        s.g = programmeSeed % 2;
        GhostProgramme storage p = _programmes[s.g];
        s.caller = callerSeed % 8 == 7 ? _actor(callerSeed >> 3) : finance;
        s.amount = amountSeed % 16 == 0 ? 0 : 1 + ((amountSeed >> 4) % MAX_APPROPRIATION);
        // Extreme amounts, one in sixteen: up to the uint96 limit, or one fen beyond it.
        uint256 room = type(uint96).max - p.appropriated;
        if (amountSeed % 16 == 1 && room != 0) {
            s.amount = (amountSeed >> 200) % 2 == 0 ? room : room + 1;
            if (s.amount > type(uint96).max) s.amount = type(uint96).max;
            ++extremeAmounts;
        }
        s.hash = _hashOf("appropriation", amountSeed, 16);
        if (!_holds(Roles.FINANCE, s.caller)) s.expected = _managed(s.caller);
        else if (s.caller != finance) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotProgrammeFinance.selector,
                p.id,
                s.caller,
                finance
            );
        } else if (s.amount == 0) s.expected = _zeroAmount();
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (p.appropriated + s.amount > type(uint96).max) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerAmountTooLarge.selector,
                p.appropriated + s.amount
            );
        }

        (bool ok, ) = _call(
            Action.Appropriate,
            s.caller,
            abi.encodeCall(relief.appropriate, (p.id, uint96(s.amount), s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        p.appropriated += s.amount;
        _holdings[s.g][finance].available += s.amount;
    }

    /// @dev From a holder with money in the programme to one below it (its child or a holder with no parent
    /// yet), seven times in eight each; else anyone, so that re-parenting, cycles, self-allocation and
    /// non-holders are tried.
    function allocate(uint256 programmeSeed, uint256 fromSeed, uint256 toSeed, uint256 amountSeed) external {
        programmeSeed = _mix(programmeSeed);
        fromSeed = _mix(fromSeed);
        toSeed = _mix(toSeed);
        amountSeed = _mix(amountSeed);
        Step memory s;
        s.g = programmeSeed % 2;
        s.caller = fromSeed % 8 == 7 ? _actor(fromSeed >> 3) : _pickFunded(s.g, fromSeed >> 3, false);
        address to = toSeed % 8 == 7 ? _actor(toSeed >> 3) : _pickChild(s.g, s.caller, toSeed >> 3);
        _pickAmount(s, amountSeed, type(uint256).max);
        s.hash = _hashOf("allocation notice", amountSeed, 16);
        s.expected = _allocateError(s, to);
        address parent = _holdings[s.g][to].parent;
        bool reparent = parent != address(0) && parent != s.caller;
        if (reparent) ++parentChangeAttempts;
        if (parent == address(0) && s.caller != finance) ++squatAttempts;

        (bool ok, bytes memory ret) = _call(
            Action.Allocate,
            s.caller,
            abi.encodeCall(relief.allocate, (_programmes[s.g].id, to, uint96(s.amount), s.hash)),
            s.expected
        );
        _audit(s, ok);
        if (ok && reparent) ++ghostParentChanges;
        if (!ok || s.expected.length != 0) return;
        _checkReturned(ret, abi.encode(allocationBase + ghostAllocations + 1), "allocate");
        _allocated(s.g, s.caller, to, s.amount);
    }

    /// @dev The contract's allocation checks in order.
    function _allocateError(Step memory s, address to) internal view returns (bytes memory) {
        bytes32 id = _programmes[s.g].id;
        uint256 avail = _holdings[s.g][s.caller].available;
        address parent = _holdings[s.g][to].parent;
        if (!_isHolder(s.caller)) return _notHolder(s.caller);
        if (!_isHolder(to)) return _notHolder(to);
        if (to == s.caller || to == finance) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerSelfAllocation.selector, id, to);
        }
        if (s.hash == bytes32(0)) return _zeroHash();
        if (s.amount == 0) return _zeroAmount();
        if (s.amount > avail) return _insufficient(id, s.caller, avail, s.amount);
        if (parent == address(0) && s.caller != finance) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerParentNotAccepted.selector, id, to, s.caller);
        }
        if (parent != address(0) && parent != s.caller) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotParent.selector, id, to, parent, s.caller);
        }
        return "";
    }

    /// @dev A holder accepts a parent (half the time, squatting orders included: a holder that already has one,
    /// a parent outside the tree or below the holder), the programme's finance re-attaches one (a quarter), or
    /// another finance bureau or anyone tries.
    function setParent(uint256 programmeSeed, uint256 holderSeed, uint256 parentSeed, uint256 callerSeed) external {
        programmeSeed = _mix(programmeSeed);
        holderSeed = _mix(holderSeed);
        parentSeed = _mix(parentSeed);
        callerSeed = _mix(callerSeed);
        Step memory s;
        s.g = programmeSeed % 2;
        address holder = holders[1 + (holderSeed % (HOLDERS - 1))];
        address parent = parentSeed % 8 == 7 ? _actor(parentSeed >> 3) : holders[(parentSeed >> 3) % HOLDERS];
        uint256 r = callerSeed % 8;
        s.caller = r < 4 ? holder : (r < 6 ? finance : (r == 6 ? holders[1] : _actor(callerSeed >> 3)));
        s.hash = _hashOf("parent consent", callerSeed, 16);
        if (s.caller == holder && _holdings[s.g][holder].parent != address(0)) ++squatAttempts;
        s.expected = _setParentError(s, holder, parent);
        (bool ok, ) = _call(
            Action.SetParent,
            s.caller,
            abi.encodeCall(relief.setParent, (_programmes[s.g].id, holder, parent, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        _holdings[s.g][holder].parent = parent;
    }

    /// @dev The contract's setParent checks in order.
    function _setParentError(Step memory s, address holder, address parent) internal view returns (bytes memory) {
        bytes32 id = _programmes[s.g].id;
        address current = _holdings[s.g][holder].parent;
        if (s.caller == holder) {
            if (!_isHolder(s.caller)) s.expected = _notHolder(s.caller);
            else if (current != address(0)) {
                s.expected = abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerNotParent.selector,
                    id,
                    holder,
                    current,
                    parent
                );
            }
        } else if (s.caller != finance || !_holds(Roles.FINANCE, s.caller)) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotProgrammeFinance.selector,
                id,
                s.caller,
                finance
            );
        }
        if (s.expected.length == 0) {
            if (holder == finance || !_isHolder(parent) || !_leadsToFinance(s.g, holder, parent)) {
                s.expected = abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerInvalidParent.selector,
                    id,
                    holder,
                    parent
                );
            } else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        }
        return s.expected;
    }

    /// @dev Whether `parent`'s parents lead to the finance without passing `holder`, as the ledger follows them.
    function _leadsToFinance(uint256 g, address holder, address parent) internal view returns (bool) {
        address node = parent;
        for (uint256 i = 0; node != finance; ++i) {
            if (node == holder || node == address(0) || i == MAX_TREE_DEPTH) return false;
            node = _holdings[g][node].parent;
        }
        return true;
    }

    /// @dev Seven times in eight a holder with money and a parent; else anyone (the root too).
    function returnFunds(uint256 programmeSeed, uint256 callerSeed, uint256 amountSeed) external {
        programmeSeed = _mix(programmeSeed);
        callerSeed = _mix(callerSeed);
        amountSeed = _mix(amountSeed);
        Step memory s;
        s.g = programmeSeed % 2;
        s.caller = callerSeed % 8 == 7 ? _actor(callerSeed >> 3) : _pickFunded(s.g, callerSeed >> 3, true);
        _pickAmount(s, amountSeed, type(uint256).max);
        s.hash = _hashOf("return", amountSeed, 16);
        bytes32 id = _programmes[s.g].id;
        GhostHolding storage h = _holdings[s.g][s.caller];
        if (!_isHolder(s.caller)) s.expected = _notHolder(s.caller);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (s.amount == 0) s.expected = _zeroAmount();
        else if (s.amount > h.available) s.expected = _insufficient(id, s.caller, h.available, s.amount);
        else if (h.parent == address(0)) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerRootCannotReturn.selector, id, s.caller);
        }

        (bool ok, ) = _call(
            Action.Return,
            s.caller,
            abi.encodeCall(relief.returnFunds, (id, uint96(s.amount), s.hash)),
            s.expected
        );
        _audit(s, ok);
        if (!ok || s.expected.length != 0) return;
        h.available -= s.amount;
        h.returned += s.amount;
        _holdings[s.g][h.parent].available += s.amount;
        _programmes[s.g].returned += s.amount;
    }

    // ---------------------------------------------------------------- beneficiaries

    /// @dev A new key while there is room (one in eight an existing one), by the township or a village
    /// seven times in eight.
    function registerBeneficiary(uint256 villageSeed, uint256 keySeed) external {
        villageSeed = _mix(villageSeed);
        keySeed = _mix(keySeed);
        Step memory s;
        s.caller = villageSeed % 8 == 7 ? _actor(villageSeed >> 3) : holders[4 + ((villageSeed >> 3) % 3)];
        bool fresh = keys.length < MAX_KEYS && keySeed % 8 != 7;
        bytes32 key = fresh ? keyOf("handler", keys.length) : keys[(keySeed >> 3) % keys.length];
        s.hash = _hashOf("household", keySeed, 16);
        if (!_holds(Roles.VILLAGE, s.caller)) s.expected = _managed(s.caller);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (villageOf[key] != address(0)) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerBeneficiaryExists.selector,
                key,
                villageOf[key]
            );
        }
        (bool ok, ) = _call(
            Action.Register,
            s.caller,
            abi.encodeCall(relief.registerBeneficiary, (key, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        villageOf[key] = s.caller;
        if (!knownKey[key]) {
            knownKey[key] = true;
            keys.push(key);
        }
    }

    /// @dev Rural affairs (seven times in eight) moves a registered beneficiary to another village (a squatter's
    /// registration undone) or, one time in four, deregisters it; else anyone tries, or the target is no village.
    function moveBeneficiary(uint256 keySeed, uint256 villageSeed, uint256 callerSeed) external {
        keySeed = _mix(keySeed);
        villageSeed = _mix(villageSeed);
        callerSeed = _mix(callerSeed);
        if (keySeed % 2 == 1) return;
        keySeed >>= 1;
        Step memory s;
        s.caller = _caller(callerSeed, holders[2 + ((callerSeed >> 3) % 2)]);
        bytes32 key = keySeed % 16 == 15 ? keyOf("unregistered", keySeed) : keys[(keySeed >> 4) % keys.length];
        uint256 r = villageSeed % 8;
        address village = r < 2 ? address(0) : (r == 7 ? _actor(villageSeed >> 3) : holders[4 + (r % 3)]);
        s.hash = _hashOf("move decision", villageSeed, 16);
        address from = villageOf[key];
        if (!_holds(Roles.RURAL_AFFAIRS, s.caller)) s.expected = _managed(s.caller);
        else if (from == address(0)) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownBeneficiary.selector, key);
        } else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (village != address(0) && (village == from || !_holds(Roles.VILLAGE, village))) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotVillage.selector, village);
        }
        (bool ok, ) = _call(
            Action.MoveBeneficiary,
            s.caller,
            abi.encodeCall(relief.moveBeneficiary, (key, village, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        ++moves;
        villageOf[key] = village;
        if (village == address(0)) attestationsOf[key] = 0;
    }

    /// @dev An organisation asks the manager to relay a ledger call (`AccessManager.execute`): the manager lets
    /// it through when the caller may call the function, and the ledger must refuse it (the manager would stand
    /// in as the actor); else the manager refuses it. Nothing may change either way.
    function relay(uint256 whichSeed, uint256 callerSeed) external {
        whichSeed = _mix(whichSeed);
        callerSeed = _mix(callerSeed);
        address caller = _actor(callerSeed);
        (bytes memory data, uint64 role) = _relayed(whichSeed);
        bytes4 selector = bytes4(data);
        address manager = relief.authority();
        bytes memory expected =
            role == type(uint64).max || _holds(role, caller)
                ? abi.encodeWithSelector(IReliefLedger.ReliefLedgerRelayedCall.selector, manager, selector)
                : abi.encodeWithSelector(
                    IAccessManager.AccessManagerUnauthorizedCall.selector,
                    caller,
                    address(relief),
                    selector
                );
        ++relayAttempts;
        ++calls[uint256(Action.Relay)];
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = manager.call(abi.encodeCall(IAccessManager.execute, (address(relief), data)));
        if (ok) return _mismatch("a relayed call succeeded: ", data);
        if (keccak256(ret) != keccak256(expected)) return _mismatch("a relayed call failed against the model: ", ret);
        ++successes[uint256(Action.Relay)]; // refused as it must be
    }

    /// @dev A ledger call to relay and the role the manager requires for it (type(uint64).max: PUBLIC).
    function _relayed(uint256 whichSeed) internal view returns (bytes memory data, uint64 role) {
        bytes32 pid = _programmes[whichSeed % 2].id;
        bytes32 key = keys[(whichSeed >> 8) % keys.length];
        bytes32 h = keccak256(abi.encode("relayed", whichSeed));
        role = type(uint64).max;
        uint256 r = (whichSeed >> 1) % 8;
        if (r == 0) {
            data = abi.encodeCall(relief.registerBeneficiary, (keyOf("relayed", whichSeed), h));
            role = Roles.VILLAGE;
        } else if (r == 1) data = abi.encodeCall(relief.allocate, (pid, holders[4], 1, h));
        else if (r == 2) {
            bytes32 id = disbursementIds.length == 0 ? h : disbursementIds[(whichSeed >> 16) % disbursementIds.length];
            data = abi.encodeCall(
                relief.approveDisbursement,
                (id, uint96(_disbursements[id].amount), _disbursements[id].refHash)
            );
        } else if (r == 3) {
            data = abi.encodeCall(relief.recordFinding, (IReliefLedger.TargetKind.Beneficiary, key, holders[4], 1, h));
            role = Roles.AUDITOR;
        } else if (r == 4) {
            data = abi.encodeCall(relief.moveBeneficiary, (key, address(0), h));
            role = Roles.RURAL_AFFAIRS;
        } else if (r == 5) data = abi.encodeCall(relief.setParent, (pid, holders[6], holders[2], h));
        else if (r == 6) data = abi.encodeCall(relief.proposeDisbursement, (pid, 1, key, 1, h));
        else {
            data = abi.encodeCall(relief.appropriate, (pid, 1, h));
            role = Roles.FINANCE;
        }
    }

    function attest(uint256 keySeed, uint256 kindSeed, uint256 callerSeed) external {
        keySeed = _mix(keySeed);
        kindSeed = _mix(kindSeed);
        callerSeed = _mix(callerSeed);
        bytes32 key = keySeed % 16 == 15 ? keyOf("unregistered", keySeed) : keys[(keySeed >> 4) % keys.length];
        uint8 kind = _pickKind(key, kindSeed, true);
        _attestation(Action.Attest, key, kind, _caller(callerSeed, _attesterOf(kind, callerSeed >> 8)), kindSeed);
    }

    /// @dev One call in two does nothing, so that beneficiaries stay eligible long enough to be paid.
    function revokeAttestation(uint256 keySeed, uint256 kindSeed, uint256 callerSeed) external {
        keySeed = _mix(keySeed);
        kindSeed = _mix(kindSeed);
        callerSeed = _mix(callerSeed);
        if (callerSeed % 2 == 1) return;
        callerSeed >>= 1;
        bytes32 key = keySeed % 16 == 15 ? keyOf("unregistered", keySeed) : keys[(keySeed >> 4) % keys.length];
        uint8 kind = _pickKind(key, kindSeed, false);
        _attestation(Action.Revoke, key, kind, _caller(callerSeed, _attesterOf(kind, callerSeed >> 8)), kindSeed);
    }

    function _attestation(Action action, bytes32 key, uint8 kind, address caller, uint256 seed) internal {
        bool attesting = action == Action.Attest;
        Step memory s;
        s.caller = caller;
        s.hash = _hashOf("attestation evidence", seed, 16);
        uint8 role = kind > MAX_ATTESTATION_KIND ? 0 : _attesterRole(kind);
        uint16 bit = kind > MAX_ATTESTATION_KIND ? 0 : bitOf(kind);
        bool held = attestationsOf[key] & bit != 0;
        if (role == 0) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownAttestation.selector, kind);
        } else if (!_holds(role, caller)) s.expected = _unauthorized(caller, role);
        else if (villageOf[key] == address(0)) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownBeneficiary.selector, key);
        } else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (attesting && held) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerAlreadyAttested.selector, key, kind);
        } else if (!attesting && !held) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotAttested.selector, key, kind);
        }
        bytes memory data =
            attesting
                ? abi.encodeCall(relief.attest, (key, kind, s.hash))
                : abi.encodeCall(relief.revokeAttestation, (key, kind, s.hash));
        (bool ok, ) = _call(action, caller, data, s.expected);
        if (!ok || s.expected.length != 0) return;
        attestationsOf[key] = attesting ? attestationsOf[key] | bit : attestationsOf[key] & ~bit;
    }

    // ---------------------------------------------------------------- disbursement

    /// @dev An eligible beneficiary three times in four, proposed by its village or the village's parent, for
    /// a period not yet paid three times in four; one call in eight repeats a payment (`_proposalTarget`).
    function proposeDisbursement(
        uint256 programmeSeed,
        uint256 keySeed,
        uint256 callerSeed,
        uint256 periodSeed,
        uint256 amountSeed
    ) external {
        programmeSeed = _mix(programmeSeed);
        keySeed = _mix(keySeed);
        callerSeed = _mix(callerSeed);
        periodSeed = _mix(periodSeed);
        amountSeed = _mix(amountSeed);
        Step memory s;
        s.g = programmeSeed % 2;
        bytes32 pid = _programmes[s.g].id;
        (bytes32 key, uint32 period) = _proposalTarget(s, keySeed, callerSeed, periodSeed);
        _pickAmount(s, amountSeed, _programmes[s.g].cap);
        if ((amountSeed >> 64) % 16 == 15) s.amount = _programmes[s.g].cap + 1;
        s.hash = _hashOf("payment reference", amountSeed, 32);
        s.id = relief.disbursementIdOf(IReliefLedger.RecipientKind.Beneficiary, pid, period, key);
        s.expected = _proposeError(s, key, period);

        bool again = _pending(s.id);
        if (again) ++doublePaymentAttempts;
        (bool ok, bytes memory ret) = _call(
            Action.Propose,
            s.caller,
            abi.encodeCall(relief.proposeDisbursement, (pid, period, key, uint96(s.amount), s.hash)),
            s.expected
        );
        _audit(s, ok);
        if (ok && again) ++ghostDoublePayments;
        if (!ok || s.expected.length != 0) return;
        _checkReturned(ret, abi.encode(s.id), "proposeDisbursement");
        GhostHolding storage h = _holdings[s.g][s.caller];
        h.available -= s.amount;
        h.reserved += s.amount;
        _proposed(s, IReliefLedger.RecipientKind.Beneficiary, period, key);
    }

    /// @dev Sets the proposer; returns the beneficiary and period. One key seed in eight repeats a pending or
    /// approved payment of the programme (a second payment), one in sixteen is an unregistered key.
    function _proposalTarget(
        Step memory s,
        uint256 keySeed,
        uint256 callerSeed,
        uint256 periodSeed
    ) internal view returns (bytes32 key, uint32 period) {
        if (keySeed % 8 == 6) {
            bytes32 id = _pickPaid(s.g, keySeed >> 3);
            if (id != bytes32(0)) {
                GhostDisbursement storage d = _disbursements[id];
                s.caller = _caller(callerSeed, d.holder);
                return (d.recipient, d.period);
            }
        }
        key = keySeed % 16 == 15 ? keyOf("unregistered", keySeed) : _pickKey(s.g, keySeed >> 4);
        s.caller = callerSeed % 8 == 7 ? _actor(callerSeed >> 3) : _proposerFor(s.g, villageOf[key], callerSeed >> 3);
        period = _pickPeriod(s.g, key, periodSeed);
    }

    /// @dev A pending or approved beneficiary payment of programme `g` (from a random start), or 0.
    function _pickPaid(uint256 g, uint256 seed) internal view returns (bytes32) {
        uint256 n = disbursementIds.length;
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = disbursementIds[(seed + i) % n];
            GhostDisbursement storage d = _disbursements[id];
            if (d.programme == g && d.kind == IReliefLedger.RecipientKind.Beneficiary && _pending(id)) return id;
        }
        return bytes32(0);
    }

    /// @dev The contract's proposal checks in order.
    function _proposeError(Step memory s, bytes32 key, uint32 period) internal view returns (bytes memory) {
        GhostProgramme storage p = _programmes[s.g];
        address village = villageOf[key];
        uint256 avail = _holdings[s.g][s.caller].available;
        uint16 held = attestationsOf[key];
        if (!_isHolder(s.caller)) return _notHolder(s.caller);
        if (period == 0 || period > p.periods) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidPeriod.selector, p.id, period, p.periods);
        }
        if (s.amount > p.cap) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerOverCap.selector, p.id, s.amount, p.cap);
        }
        if (s.hash == bytes32(0)) return _zeroHash();
        if (village == address(0)) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownBeneficiary.selector, key);
        }
        if (village != s.caller && _holdings[s.g][village].parent != s.caller) {
            return
                abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerNotBeneficiaryVillage.selector,
                    key,
                    village,
                    s.caller
                );
        }
        if (held & p.required != p.required) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotEligible.selector, p.id, key, p.required, held);
        }
        if (s.amount == 0) return _zeroAmount();
        if (s.amount > avail) return _insufficient(p.id, s.caller, avail, s.amount);
        if (_pending(s.id)) return _alreadyPaid(s.id, _disbursements[s.id].status);
        return "";
    }

    /// @dev A submitted milestone not yet paid three times in four, by the project's holder seven times in eight.
    function proposeProjectPayment(
        uint256 projectSeed,
        uint256 indexSeed,
        uint256 callerSeed,
        uint256 amountSeed
    ) external {
        projectSeed = _mix(projectSeed);
        indexSeed = _mix(indexSeed);
        callerSeed = _mix(callerSeed);
        amountSeed = _mix(amountSeed);
        if (projectIds.length == 0) return;
        bytes32 projectId = _pickProject(projectSeed, true);
        GhostProject storage j = _projects[projectId];
        Step memory s;
        s.g = j.programme;
        s.caller = _caller(callerSeed, j.holder);
        uint8 index = _pickMilestone(projectId, indexSeed, true);
        // The milestone's fixed amount seven times in eight; else the whole budget or another amount.
        uint256 fixedAmount = _milestoneAmount(j, index);
        uint256 r = amountSeed % 16;
        if (r == 0) s.amount = j.budget;
        else if (r == 1) s.amount = 1 + ((amountSeed >> 8) % (j.budget + 1));
        else s.amount = fixedAmount;
        s.hash = _hashOf("invoice", amountSeed, 32);
        s.id = relief.disbursementIdOf(IReliefLedger.RecipientKind.Project, _programmes[s.g].id, index, projectId);
        s.expected = _paymentError(s, projectId, index);

        bool again = _pending(s.id);
        if (again) ++doublePaymentAttempts;
        (bool ok, bytes memory ret) = _call(
            Action.ProposePayment,
            s.caller,
            abi.encodeCall(relief.proposeProjectPayment, (projectId, index, uint96(s.amount), s.hash)),
            s.expected
        );
        if (ok && again) ++ghostDoublePayments;
        if (!ok || s.expected.length != 0) return;
        _checkReturned(ret, abi.encode(s.id), "proposeProjectPayment");
        j.available -= s.amount;
        j.reserved += s.amount;
        _proposed(s, IReliefLedger.RecipientKind.Project, index, projectId);
    }

    function _paymentError(Step memory s, bytes32 projectId, uint8 index) internal view returns (bytes memory) {
        GhostProject storage j = _projects[projectId];
        if (j.status != IReliefLedger.ProjectStatus.Active) return _wrongProjectStatus(projectId, j.status);
        if (s.caller != j.holder) {
            return
                abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerNotProjectHolder.selector,
                    projectId,
                    j.holder,
                    s.caller
                );
        }
        if (!_isHolder(s.caller)) return _notHolder(s.caller);
        if (!_isImplementer(j.implementer)) return _notImplementer(j.implementer);
        if (index >= j.milestoneCount) return _invalidMilestone(projectId, index, j.milestoneCount);
        if (j.submitted & (uint32(1) << index) == 0) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerMilestoneNotSubmitted.selector, projectId, index);
        }
        uint256 fixedAmount = _milestoneAmount(j, index);
        if (s.amount != fixedAmount) {
            return
                abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerMilestoneAmount.selector,
                    projectId,
                    index,
                    fixedAmount,
                    s.amount
                );
        }
        if (s.hash == bytes32(0)) return _zeroHash();
        if (s.amount > j.available) {
            return _insufficient(_programmes[s.g].id, address(relief), j.available, s.amount);
        }
        if (_pending(s.id)) return _alreadyPaid(s.id, _disbursements[s.id].status);
        return "";
    }

    /// @dev A pending disbursement seven times in eight (one id in 32 unknown), approved by another holder of
    /// the approver role 13 times in 16, else by anyone or (two in 16) by its proposer, then preferably one
    /// whose proposer holds the approver role. One call in four first has the attester revoke an
    /// attestation the programme requires (approval must then fail).
    function approveDisbursement(uint256 idSeed, uint256 callerSeed) external {
        idSeed = _mix(idSeed);
        callerSeed = _mix(callerSeed);
        if (disbursementIds.length == 0) return;
        uint256 r = callerSeed % 16;
        bytes32 id =
            idSeed % 32 == 31
                ? keccak256(abi.encode("unknown disbursement", idSeed))
                : _pickDisbursement(idSeed >> 5, r < 2);
        GhostDisbursement storage d = _disbursements[id];
        if ((idSeed >> 64) % 4 == 0) _revokeRequired(d, idSeed >> 72);
        Step memory s;
        s.g = d.programme;
        uint8 role = _programmes[s.g].approverRole;
        if (r < 2) s.caller = d.holder;
        else if (r == 2) s.caller = _actor(callerSeed >> 4);
        else s.caller = _approverFor(role, d.holder, callerSeed >> 4);
        // One call in eight names other terms than those proposed (as if the proposal changed under review).
        s.amount = d.amount;
        s.hash = d.refHash;
        if ((idSeed >> 80) % 8 == 0) {
            ++staleTermsAttempts;
            if ((idSeed >> 84) % 2 == 0) s.amount = d.amount + 1;
            else s.hash = keccak256(abi.encode("other reference", idSeed));
        }
        s.expected = _approveError(id, s);

        (bool ok, ) = _call(
            Action.Approve,
            s.caller,
            abi.encodeCall(relief.approveDisbursement, (id, uint96(s.amount), s.hash)),
            s.expected
        );
        bool entitled = s.caller != d.holder && _holds(role, s.caller);
        if (ok && !entitled) ++ghostBadApprovals;
        if (!ok || s.expected.length != 0) return;
        _approved(id, s.caller, entitled);
    }

    function _approved(bytes32 id, address approver, bool entitled) internal {
        GhostDisbursement storage d = _disbursements[id];
        d.status = IReliefLedger.DisbursementStatus.Approved;
        d.decidedBy = approver;
        d.approverEntitled = entitled;
        ++d.approvals;
        if (d.kind == IReliefLedger.RecipientKind.Beneficiary) {
            GhostHolding storage h = _holdings[d.programme][d.holder];
            h.reserved -= d.amount;
            h.disbursed += d.amount;
        } else {
            GhostProject storage j = _projects[d.recipient];
            j.reserved -= d.amount;
            j.paid += d.amount;
            j.paidMilestones |= uint32(1) << d.period;
        }
        _programmes[d.programme].disbursed += d.amount;
        bytes32 slot = keccak256(abi.encode(d.programme, d.period, d.recipient, d.kind));
        if (ghostPaidCount[slot]++ == 0) paymentSlots.push(slot);
    }

    function _approveError(bytes32 id, Step memory s) internal returns (bytes memory) {
        address caller = s.caller;
        GhostDisbursement storage d = _disbursements[id];
        GhostProgramme storage p = _programmes[d.programme];
        if (d.status == IReliefLedger.DisbursementStatus.None) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownDisbursement.selector, id);
        }
        if (d.status != IReliefLedger.DisbursementStatus.Proposed) return _wrongStatus(id, d.status);
        if (!_holds(p.approverRole, caller)) return _unauthorized(caller, p.approverRole);
        if (caller == d.holder) {
            ++selfApprovalAttempts;
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerSelfApproval.selector, id, d.holder);
        }
        if (s.amount != d.amount || s.hash != d.refHash) return _termsChanged(id, d, s);
        if (d.kind == IReliefLedger.RecipientKind.Project) {
            address payee = _projects[d.recipient].implementer;
            if (caller == payee)
                return abi.encodeWithSelector(IReliefLedger.ReliefLedgerPayeeApproval.selector, id, payee);
            return "";
        }
        address village = villageOf[d.recipient];
        if (village == address(0)) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownBeneficiary.selector, d.recipient);
        }
        if (village != d.holder && _holdings[d.programme][village].parent != d.holder) {
            return
                abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerNotBeneficiaryVillage.selector,
                    d.recipient,
                    village,
                    d.holder
                );
        }
        uint16 held = attestationsOf[d.recipient];
        if (held & p.required != p.required) {
            ++ineligibleApprovalAttempts;
            return
                abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerNotEligible.selector,
                    p.id,
                    d.recipient,
                    p.required,
                    held
                );
        }
        return "";
    }

    function _termsChanged(
        bytes32 id,
        GhostDisbursement storage d,
        Step memory s
    ) internal view returns (bytes memory) {
        bytes memory proposed = abi.encode(id, uint96(d.amount), d.refHash);
        return
            bytes.concat(
                IReliefLedger.ReliefLedgerTermsChanged.selector,
                proposed,
                abi.encode(uint96(s.amount), s.hash)
            );
    }

    /// @dev The attester revokes one of the attestations the programme requires that a pending
    /// beneficiary payment's beneficiary holds (counted as a revocation).
    function _revokeRequired(GhostDisbursement storage d, uint256 seed) internal {
        if (d.kind != IReliefLedger.RecipientKind.Beneficiary || d.status != IReliefLedger.DisbursementStatus.Proposed)
            return;
        uint16 held = attestationsOf[d.recipient] & _programmes[d.programme].required;
        for (uint8 k = 0; k < 5; ++k) {
            if (held & bitOf(k) == 0) continue;
            _attestation(Action.Revoke, d.recipient, k, _attesterOf(k, seed), seed | 1);
            return;
        }
    }

    /// @dev One call in two does nothing, so that approvals outnumber rejections. Rejected by the proposer
    /// (withdrawn) half the time, another approver three times in eight, else anyone.
    function rejectDisbursement(uint256 idSeed, uint256 callerSeed, uint256 reasonSeed) external {
        idSeed = _mix(idSeed);
        callerSeed = _mix(callerSeed);
        reasonSeed = _mix(reasonSeed);
        if (disbursementIds.length == 0 || reasonSeed % 2 == 1) return;
        bytes32 id =
            idSeed % 32 == 31
                ? keccak256(abi.encode("unknown disbursement", idSeed))
                : _pickDisbursement(idSeed >> 5, false);
        GhostDisbursement storage d = _disbursements[id];
        Step memory s;
        s.g = d.programme;
        uint8 role = _programmes[s.g].approverRole;
        uint256 r = callerSeed % 8;
        if (r < 4) s.caller = d.holder;
        else if (r < 7) s.caller = _approverFor(role, d.holder, callerSeed >> 3);
        else s.caller = _actor(callerSeed >> 3);
        s.hash = _hashOf("rejection", reasonSeed, 16);
        if (d.status == IReliefLedger.DisbursementStatus.None) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownDisbursement.selector, id);
        } else if (d.status != IReliefLedger.DisbursementStatus.Proposed) s.expected = _wrongStatus(id, d.status);
        else if (s.caller == d.holder && !_isHolder(s.caller)) s.expected = _notHolder(s.caller);
        else if (s.caller != d.holder && !_holds(role, s.caller)) s.expected = _unauthorized(s.caller, role);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();

        (bool ok, ) = _call(
            Action.Reject,
            s.caller,
            abi.encodeCall(relief.rejectDisbursement, (id, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        d.status = IReliefLedger.DisbursementStatus.Rejected;
        d.decidedBy = s.caller;
        if (d.kind == IReliefLedger.RecipientKind.Beneficiary) {
            GhostHolding storage h = _holdings[s.g][d.holder];
            h.reserved -= d.amount;
            h.available += d.amount;
        } else {
            GhostProject storage j = _projects[d.recipient];
            j.reserved -= d.amount;
            j.available += d.amount;
        }
    }

    // ---------------------------------------------------------------- projects

    /// @dev By a holder in the programme seven times in eight; a new id while there is room (one in sixteen
    /// an existing one; once full, one call in four tries an existing one).
    function createProject(
        uint256 programmeSeed,
        uint256 callerSeed,
        uint256 implementerSeed,
        uint256 termsSeed
    ) external {
        programmeSeed = _mix(programmeSeed);
        callerSeed = _mix(callerSeed);
        implementerSeed = _mix(implementerSeed);
        termsSeed = _mix(termsSeed);
        bool full = projectIds.length >= MAX_PROJECTS;
        if (full && termsSeed % 4 != 0) return;
        Step memory s;
        s.g = programmeSeed % 2;
        s.caller = callerSeed % 8 == 7 ? _actor(callerSeed >> 3) : _pickMember(s.g, callerSeed >> 3);
        s.hash = _hashOf("project plan", termsSeed, 32);
        NewProject memory n = _newProject(full, s.caller, implementerSeed, termsSeed);
        if (_codeUsedByAnother(n.code, s.caller)) ++codeSquatAttempts;
        s.expected = _createProjectError(s, n);

        (bool ok, ) = _call(
            Action.CreateProject,
            s.caller,
            abi.encodeCall(
                relief.createProject,
                (n.code, _programmes[s.g].id, n.implementer, uint96(n.budget), n.milestoneCount, s.hash)
            ),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        projectIds.push(n.id);
        projectCodes.push(n.code);
        GhostProject storage j = _projects[n.id];
        j.programme = s.g;
        j.holder = s.caller;
        j.implementer = n.implementer;
        j.status = IReliefLedger.ProjectStatus.Active;
        j.milestoneCount = n.milestoneCount;
        j.budget = n.budget;
    }

    /// @dev A new code while there is room; one in sixteen (once full, every time) a code already used, by the
    /// caller (ProjectExists) or by another holder (a squatting order: the caller gets its own id). The id is
    /// the caller's namespaced one, keccak256(abi.encode(caller, keccak256(code))).
    function _newProject(
        bool full,
        address caller,
        uint256 implementerSeed,
        uint256 termsSeed
    ) internal view returns (NewProject memory n) {
        uint256 count = projectIds.length;
        n.code =
            (full || termsSeed % 16 == 1) && count != 0
                ? projectCodes[(termsSeed >> 4) % count]
                : string.concat("HANDLER-PRJ-", vm.toString(count));
        n.id = keccak256(abi.encode(caller, keccak256(bytes(n.code))));
        uint256 r = implementerSeed % 8;
        if (r < 4)
            n.implementer = others[2]; // the cooperative
        else if (r < 7)
            n.implementer = holders[4 + (r - 4)]; // the township or a village
        else n.implementer = _actor(implementerSeed >> 3);
        n.budget = (termsSeed >> 8) % 16 == 0 ? 0 : 1 + ((termsSeed >> 12) % MAX_BUDGET);
        uint256 m = (termsSeed >> 40) % 16;
        n.milestoneCount = m == 0 ? 0 : (m == 1 ? MAX_MILESTONES + 1 : uint8(1 + ((termsSeed >> 44) % 4)));
    }

    function _codeUsedByAnother(string memory code, address caller) internal view returns (bool) {
        for (uint256 i = 0; i < projectIds.length; ++i) {
            if (
                keccak256(bytes(projectCodes[i])) == keccak256(bytes(code)) && _projects[projectIds[i]].holder != caller
            ) {
                return true;
            }
        }
        return false;
    }

    function _createProjectError(Step memory s, NewProject memory n) internal view returns (bytes memory) {
        if (!_isHolder(s.caller)) return _notHolder(s.caller);
        if (s.caller != finance && _holdings[s.g][s.caller].parent == address(0)) return _notHolder(s.caller);
        if (s.hash == bytes32(0)) return _zeroHash();
        if (_projects[n.id].status != IReliefLedger.ProjectStatus.None) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerProjectExists.selector, n.id);
        }
        if (!_isImplementer(n.implementer)) return _notImplementer(n.implementer);
        if (n.budget == 0) return _zeroAmount();
        if (n.milestoneCount == 0 || n.milestoneCount > MAX_MILESTONES || n.budget < n.milestoneCount) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidTerms.selector, "milestoneCount");
        }
        return "";
    }

    /// @dev By the project's holder seven times in eight; one amount in sixteen beyond the budget.
    function fundProject(uint256 projectSeed, uint256 callerSeed, uint256 amountSeed) external {
        projectSeed = _mix(projectSeed);
        callerSeed = _mix(callerSeed);
        amountSeed = _mix(amountSeed);
        if (projectIds.length == 0) return;
        bytes32 projectId = _pickProject(projectSeed, false);
        GhostProject storage j = _projects[projectId];
        Step memory s;
        s.g = j.programme;
        s.caller = _caller(callerSeed, j.holder);
        uint256 room = j.budget - j.funded;
        _pickAmount(s, amountSeed, room);
        if ((amountSeed >> 64) % 16 == 15) s.amount = room + 1;
        s.hash = _hashOf("funding document", amountSeed, 16);
        uint256 avail = _holdings[s.g][s.caller].available;
        if (j.status != IReliefLedger.ProjectStatus.Active) s.expected = _wrongProjectStatus(projectId, j.status);
        else if (s.caller != j.holder) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotProjectHolder.selector,
                projectId,
                j.holder,
                s.caller
            );
        } else if (!_isHolder(s.caller)) s.expected = _notHolder(s.caller);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (j.funded + s.amount > j.budget) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerOverBudget.selector,
                projectId,
                j.budget,
                j.funded + s.amount
            );
        } else if (s.amount == 0) s.expected = _zeroAmount();
        else if (s.amount > avail) s.expected = _insufficient(_programmes[s.g].id, s.caller, avail, s.amount);

        (bool ok, bytes memory ret) = _call(
            Action.FundProject,
            s.caller,
            abi.encodeCall(relief.fundProject, (projectId, uint96(s.amount), s.hash)),
            s.expected
        );
        _audit(s, ok);
        if (!ok || s.expected.length != 0) return;
        _checkReturned(ret, abi.encode(allocationBase + ++ghostAllocations), "fundProject");
        GhostHolding storage h = _holdings[s.g][s.caller];
        h.available -= s.amount;
        h.allocated += s.amount;
        j.funded += s.amount;
        j.available += s.amount;
        _programmes[s.g].allocated += s.amount;
    }

    /// @dev A milestone not yet submitted three times in four, by the implementer seven times in eight.
    function submitMilestone(uint256 projectSeed, uint256 indexSeed, uint256 callerSeed) external {
        projectSeed = _mix(projectSeed);
        indexSeed = _mix(indexSeed);
        callerSeed = _mix(callerSeed);
        if (projectIds.length == 0) return;
        bytes32 projectId = _pickProject(projectSeed, false);
        GhostProject storage j = _projects[projectId];
        Step memory s;
        s.caller = _caller(callerSeed, j.implementer);
        uint8 index = _pickMilestone(projectId, indexSeed, false);
        s.hash = _hashOf("milestone evidence", indexSeed, 32);
        if (j.status != IReliefLedger.ProjectStatus.Active) s.expected = _wrongProjectStatus(projectId, j.status);
        else if (s.caller != j.implementer) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotProjectImplementer.selector,
                projectId,
                j.implementer,
                s.caller
            );
        } else if (!_isImplementer(s.caller)) s.expected = _notImplementer(s.caller);
        else if (index >= j.milestoneCount) s.expected = _invalidMilestone(projectId, index, j.milestoneCount);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (j.submitted & (uint32(1) << index) != 0) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerMilestoneSubmitted.selector,
                projectId,
                index
            );
        }

        (bool ok, ) = _call(
            Action.SubmitMilestone,
            s.caller,
            abi.encodeCall(relief.submitMilestone, (projectId, index, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        j.submitted |= uint32(1) << index;
    }

    /// @dev Two calls in three do nothing, so that projects stay active. By an organisation of the programme's
    /// approver kind half the time, the inspector or rural affairs a quarter, else the project's holder or anyone.
    function acceptProject(uint256 projectSeed, uint256 callerSeed, uint256 reportSeed) external {
        projectSeed = _mix(projectSeed);
        callerSeed = _mix(callerSeed);
        reportSeed = _mix(reportSeed);
        if (projectIds.length == 0 || projectSeed % 3 != 0) return;
        bytes32 projectId = _pickProject(projectSeed / 3, false);
        GhostProject storage j = _projects[projectId];
        Step memory s;
        s.g = j.programme;
        uint256 r = callerSeed % 8;
        uint8 role = _programmes[s.g].approverRole;
        if (r < 4) s.caller = _approverFor(role, address(0), callerSeed >> 3);
        else if (r == 4) s.caller = others[1];
        else if (r == 5) s.caller = holders[2 + ((callerSeed >> 3) % 2)];
        else s.caller = r == 6 ? j.holder : _actor(callerSeed >> 3);
        s.hash = _hashOf("acceptance report", reportSeed, 16);
        if (j.status != IReliefLedger.ProjectStatus.Active) s.expected = _wrongProjectStatus(projectId, j.status);
        else if (!_holds(role, s.caller)) s.expected = _unauthorized(s.caller, role);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (j.reserved != 0) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerPaymentsPending.selector,
                projectId,
                j.reserved
            );
        } else if (j.submitted & ~j.paidMilestones != 0) s.expected = _milestoneUnpaid(projectId, j);

        (bool ok, ) = _call(
            Action.AcceptProject,
            s.caller,
            abi.encodeCall(relief.acceptProject, (projectId, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        uint256 remainder = j.available;
        j.status = IReliefLedger.ProjectStatus.Accepted;
        j.available = 0;
        j.returned = remainder;
        _holdings[s.g][j.holder].available += remainder;
        _programmes[s.g].returned += remainder;
    }

    // ---------------------------------------------------------------- organisations

    /// @dev One call in three: the registry suspends an organisation (its role revoked at the manager) or,
    /// seven times in eight while one is suspended, reinstates it. The two rural affairs bureaus (which
    /// admit villages) are never both suspended.
    function toggleSuspension(uint256 seed) external {
        seed = _mix(seed);
        if (seed % 3 != 0) return;
        seed /= 3;
        ++calls[uint256(Action.Suspend)];
        address account = _suspendable(seed % 10);
        if ((seed >> 8) % 8 != 7) {
            for (uint256 i = 0; i < 10; ++i) {
                address a = _suspendable((seed + i) % 10);
                if (suspended[a]) {
                    account = a;
                    break;
                }
            }
        }
        if (!suspended[account] && kindOf[account] == Roles.RURAL_AFFAIRS) {
            address other = account == holders[2] ? holders[3] : holders[2];
            if (suspended[other]) account = other;
        }
        bytes memory data =
            suspended[account]
                ? abi.encodeCall(registry.reinstate, (account, keccak256("reinstated")))
                : abi.encodeCall(registry.suspend, (account, keccak256("suspended")));
        vm.prank(_admitterOf(account));
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = address(registry).call(data);
        if (!ok) return _mismatch("registry refused a suspension or reinstatement: ", ret);
        ++successes[uint256(Action.Suspend)];
        suspended[account] = !suspended[account];
    }

    function _suspendable(uint256 i) internal view returns (address) {
        return i < HOLDERS ? holders[i] : others[i - HOLDERS];
    }

    /// @dev Roles.admitterOf as the handler's accounts hold it: an active rural affairs bureau for villages,
    /// the regulator for the inspector and the cooperative, the ADMIN for the rest.
    function _admitterOf(address account) internal view returns (address) {
        uint8 kind = kindOf[account];
        if (kind == Roles.VILLAGE) return suspended[holders[2]] ? holders[3] : holders[2];
        if (kind == Roles.INSPECTOR || kind == Roles.PRODUCER) return regulator;
        return admin;
    }

    // ---------------------------------------------------------------- views for the invariants

    function programmeId(uint256 g) external view returns (bytes32) {
        return _programmes[g].id;
    }

    function ghostProgramme(uint256 g) external view returns (GhostProgramme memory) {
        return _programmes[g];
    }

    /// @dev The model's money held in programme `g`: Σ (available + reserved) over accounts and projects.
    function ghostHeld(uint256 g) external view returns (uint256 held) {
        for (uint256 i = 0; i < ACTORS; ++i) {
            GhostHolding storage h = _holdings[g][_actor(i)];
            held += h.available + h.reserved;
        }
        for (uint256 i = 0; i < projectIds.length; ++i) {
            GhostProject storage j = _projects[projectIds[i]];
            if (j.programme == g) held += j.available + j.reserved;
        }
    }

    /// @dev The invariants read the model in one call per kind of record.
    function ghostHoldings(
        uint256 g
    ) external view returns (address[ACTORS] memory actors, GhostHolding[ACTORS] memory holdings) {
        for (uint256 i = 0; i < ACTORS; ++i) {
            actors[i] = _actor(i);
            holdings[i] = _holdings[g][actors[i]];
        }
    }

    function ghostProjects() external view returns (bytes32[] memory ids, GhostProject[] memory projects) {
        ids = projectIds;
        projects = new GhostProject[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) projects[i] = _projects[ids[i]];
    }

    function ghostDisbursements()
        external
        view
        returns (bytes32[] memory ids, GhostDisbursement[] memory disbursements)
    {
        ids = disbursementIds;
        disbursements = new GhostDisbursement[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) disbursements[i] = _disbursements[ids[i]];
    }

    function ghostBeneficiaries()
        external
        view
        returns (bytes32[] memory keys_, address[] memory villages, uint16[] memory masks)
    {
        keys_ = keys;
        villages = new address[](keys_.length);
        masks = new uint16[](keys_.length);
        for (uint256 i = 0; i < keys_.length; ++i) {
            villages[i] = villageOf[keys_[i]];
            masks[i] = attestationsOf[keys_[i]];
        }
    }

    /// @dev The most approvals the model counted for one (programme, period or milestone, recipient).
    function ghostMostPaid() external view returns (uint256 most) {
        for (uint256 i = 0; i < paymentSlots.length; ++i) {
            uint256 count = ghostPaidCount[paymentSlots[i]];
            if (count > most) most = count;
        }
    }

    /// @dev "action ok/calls" for each action, for the success-mix report.
    function summary() external view returns (string memory s) {
        string[ACTIONS] memory names = [
            "appropriate",
            "allocate",
            "return",
            "register",
            "attest",
            "revoke",
            "propose",
            "approve",
            "reject",
            "createProject",
            "fundProject",
            "submitMilestone",
            "proposePayment",
            "acceptProject",
            "suspend",
            "setParent",
            "moveBeneficiary",
            "relay (refused)"
        ];
        for (uint256 i = 0; i < ACTIONS; ++i) {
            s = string.concat(s, names[i], " ", vm.toString(successes[i]), "/", vm.toString(calls[i]), "; ");
        }
        s = string.concat(
            s,
            "disbursements ",
            vm.toString(disbursementIds.length),
            "; projects ",
            vm.toString(projectIds.length),
            "; cross moves tried ",
            vm.toString(crossAttempts),
            "; self-approvals tried ",
            vm.toString(selfApprovalAttempts),
            "; second payments tried ",
            vm.toString(doublePaymentAttempts),
            "; re-parenting tried ",
            vm.toString(parentChangeAttempts),
            "; ineligible approvals tried ",
            vm.toString(ineligibleApprovalAttempts),
            _attacksSummary()
        );
    }

    /// @dev The attacks tried, for the success-mix report.
    function _attacksSummary() internal view returns (string memory) {
        return
            string.concat(
                "; relays tried ",
                vm.toString(relayAttempts),
                "; project codes squatted ",
                vm.toString(codeSquatAttempts),
                "; stale terms tried ",
                vm.toString(staleTermsAttempts),
                "; squatting tried ",
                vm.toString(squatAttempts),
                "; beneficiaries moved ",
                vm.toString(moves),
                "; extreme amounts ",
                vm.toString(extremeAmounts)
            );
    }

    // ---------------------------------------------------------------- model

    function _holds(uint64 role, address account) internal view returns (bool) {
        return kindOf[account] != 0 && kindOf[account] == role && !suspended[account];
    }

    /// @dev Organisations that hold programme money: active finance, rural affairs and villages.
    function _isHolder(address account) internal view returns (bool) {
        return _holds(Roles.FINANCE, account) || _holds(Roles.RURAL_AFFAIRS, account) || _holds(Roles.VILLAGE, account);
    }

    /// @dev Organisations that implement relief projects: active villages, producers and recipients.
    function _isImplementer(address account) internal view returns (bool) {
        return _holds(Roles.VILLAGE, account) || _holds(Roles.PRODUCER, account) || _holds(Roles.RECIPIENT, account);
    }

    /// @dev src/relief/attestations.ts: kinds 0, 1 and 4 by civil affairs, 2 and 3 by rural affairs.
    function _attesterRole(uint8 kind) internal pure returns (uint8) {
        if (kind == MINIMUM_LIVING_ALLOWANCE || kind == EXTREME_HARDSHIP || kind == LOW_INCOME_HOUSEHOLD) {
            return uint8(Roles.CIVIL_AFFAIRS);
        }
        if (kind == LIFTED_FROM_POVERTY || kind == MONITORED_HOUSEHOLD) return uint8(Roles.RURAL_AFFAIRS);
        return 0;
    }

    function _attesterOf(uint8 kind, uint256 seed) internal view returns (address) {
        if (_attesterRole(kind) == Roles.RURAL_AFFAIRS) return holders[2 + (seed % 2)];
        return others[0];
    }

    /// @dev The ledger's fixed milestone amount: the budget split evenly, the last taking the remainder.
    function _milestoneAmount(GhostProject storage j, uint8 index) internal view returns (uint256) {
        uint256 share = j.budget / j.milestoneCount;
        return index + 1 == j.milestoneCount ? j.budget - share * (j.milestoneCount - 1) : share;
    }

    function _pending(bytes32 id) internal view returns (bool) {
        IReliefLedger.DisbursementStatus status = _disbursements[id].status;
        return
            status == IReliefLedger.DisbursementStatus.Proposed || status == IReliefLedger.DisbursementStatus.Approved;
    }

    function _allocated(uint256 g, address from, address to, uint256 amount) internal {
        GhostHolding storage f = _holdings[g][from];
        GhostHolding storage t = _holdings[g][to];
        f.available -= amount;
        f.allocated += amount;
        if (t.parent == address(0)) t.parent = from;
        t.available += amount;
        t.received += amount;
        _programmes[g].allocated += amount;
        ++ghostAllocations;
    }

    function _proposed(Step memory s, IReliefLedger.RecipientKind kind, uint32 period, bytes32 recipient) internal {
        GhostDisbursement storage d = _disbursements[s.id];
        if (d.status == IReliefLedger.DisbursementStatus.None) disbursementIds.push(s.id);
        d.programme = s.g;
        d.holder = s.caller;
        d.kind = kind;
        d.status = IReliefLedger.DisbursementStatus.Proposed;
        d.period = period;
        d.recipient = recipient;
        d.amount = s.amount;
        d.decidedBy = address(0);
        d.refHash = s.hash;
    }

    /// @dev Counts attempted and successful cross-programme moves.
    function _audit(Step memory s, bool ok) internal {
        if (!s.cross) return;
        ++crossAttempts;
        if (ok) ++ghostCrossMoves;
    }

    // ---------------------------------------------------------------- pickers

    /// @dev One seed in sixteen nothing, one more than available; one in eight more than available but
    /// within the caller's balance in the other programme (when that is larger) and within `limit`; else
    /// up to min(available, limit), all of it one seed in sixteen.
    function _pickAmount(Step memory s, uint256 seed, uint256 limit) internal view {
        uint256 avail = _holdings[s.g][s.caller].available;
        uint256 otherAvail = _holdings[1 - s.g][s.caller].available;
        uint256 room = avail < limit ? avail : limit;
        uint256 r = seed % 16;
        uint256 most = otherAvail < limit ? otherAvail : limit;
        if (r == 0) s.amount = 0;
        else if (r == 1) s.amount = avail + 1;
        else if (r < 4 && most > avail) s.amount = avail + 1 + ((seed >> 8) % (most - avail));
        else if (r == 4 && room != 0) s.amount = room;
        else s.amount = 1 + ((seed >> 8) % (room == 0 ? 1000 : room));
        s.cross = s.amount > avail && s.amount <= otherAvail;
    }

    /// @dev The first holder from a random start with money in programme `g` (and a parent when
    /// `needParent`); else any holder.
    function _pickFunded(uint256 g, uint256 seed, bool needParent) internal view returns (address) {
        uint256 start = seed % HOLDERS;
        for (uint256 i = 0; i < HOLDERS; ++i) {
            address a = holders[(start + i) % HOLDERS];
            GhostHolding storage h = _holdings[g][a];
            if (h.available != 0 && (!needParent || h.parent != address(0))) return a;
        }
        return holders[start];
    }

    /// @dev A holder that `from` may allocate to: its child or one without a parent (not `from`, not the
    /// root); else any holder.
    function _pickChild(uint256 g, address from, uint256 seed) internal view returns (address) {
        uint256 start = seed % HOLDERS;
        for (uint256 i = 0; i < HOLDERS; ++i) {
            address a = holders[(start + i) % HOLDERS];
            address parent = _holdings[g][a].parent;
            if (a != from && a != finance && (parent == from || parent == address(0))) return a;
        }
        return holders[start];
    }

    /// @dev A holder in programme `g` (the root or one with a parent), preferably with money; else any holder.
    function _pickMember(uint256 g, uint256 seed) internal view returns (address) {
        uint256 start = seed % HOLDERS;
        for (uint256 i = 0; i < HOLDERS; ++i) {
            address a = holders[(start + i) % HOLDERS];
            GhostHolding storage h = _holdings[g][a];
            if (h.available != 0 && (a == finance || h.parent != address(0))) return a;
        }
        return holders[start];
    }

    /// @dev Three seeds in four a key eligible in programme `g` (from a random start); else any key.
    function _pickKey(uint256 g, uint256 seed) internal view returns (bytes32) {
        uint256 n = keys.length;
        uint256 start = (seed >> 2) % n;
        uint16 required = _programmes[g].required;
        if (seed % 4 != 3) {
            for (uint256 i = 0; i < n; ++i) {
                bytes32 key = keys[(start + i) % n];
                if (attestationsOf[key] & required == required) return key;
            }
        }
        return keys[start];
    }

    /// @dev The beneficiary's village or its parent in the programme: the parent one seed in four, the
    /// village one in four, else whichever holds more.
    function _proposerFor(uint256 g, address village, uint256 seed) internal view returns (address) {
        if (village == address(0)) return holders[seed % HOLDERS];
        address parent = _holdings[g][village].parent;
        if (parent == address(0)) return village;
        uint256 r = seed % 4;
        if (r == 0) return parent;
        if (r == 1) return village;
        return _holdings[g][parent].available > _holdings[g][village].available ? parent : village;
    }

    /// @dev One seed in sixteen period 0, one periods + 1; else from a random period, three times in four
    /// the first one without a pending or approved payment to `key`.
    function _pickPeriod(uint256 g, bytes32 key, uint256 seed) internal view returns (uint32) {
        GhostProgramme storage p = _programmes[g];
        uint256 r = seed % 16;
        if (r == 0) return 0;
        if (r == 1) return p.periods + 1;
        uint256 start = (seed >> 4) % p.periods;
        if ((seed >> 8) % 4 != 3) {
            for (uint256 i = 0; i < p.periods; ++i) {
                uint32 period = uint32(1 + ((start + i) % p.periods));
                bytes32 id = relief.disbursementIdOf(IReliefLedger.RecipientKind.Beneficiary, p.id, period, key);
                if (!_pending(id)) return period;
            }
        }
        return uint32(1 + start);
    }

    /// @dev Seven seeds in eight an Active project (for a payment: one with money and a submitted milestone
    /// not yet paid) from a random start; else any project.
    function _pickProject(uint256 seed, bool forPayment) internal view returns (bytes32) {
        uint256 n = projectIds.length;
        uint256 start = (seed >> 3) % n;
        if (seed % 8 != 7) {
            for (uint256 i = 0; i < n; ++i) {
                bytes32 id = projectIds[(start + i) % n];
                GhostProject storage j = _projects[id];
                if (j.status != IReliefLedger.ProjectStatus.Active) continue;
                if (!forPayment || (j.available != 0 && _payableMilestone(id) < j.milestoneCount)) return id;
            }
        }
        return projectIds[start];
    }

    /// @dev The first submitted milestone without a pending or approved payment, or milestoneCount.
    function _payableMilestone(bytes32 projectId) internal view returns (uint8 index) {
        GhostProject storage j = _projects[projectId];
        for (index = 0; index < j.milestoneCount; ++index) {
            if (j.submitted & (uint32(1) << index) != 0 && !_pending(_paymentId(projectId, index))) return index;
        }
    }

    function _paymentId(bytes32 projectId, uint8 index) internal view returns (bytes32) {
        bytes32 id = _programmes[_projects[projectId].programme].id;
        return relief.disbursementIdOf(IReliefLedger.RecipientKind.Project, id, index, projectId);
    }

    /// @dev One seed in sixteen milestoneCount (invalid); else from a random milestone, three times in four
    /// the first one that is payable (`forPayment`) or not yet submitted.
    function _pickMilestone(bytes32 projectId, uint256 seed, bool forPayment) internal view returns (uint8) {
        GhostProject storage j = _projects[projectId];
        if (seed % 16 == 15) return j.milestoneCount;
        uint256 start = (seed >> 4) % j.milestoneCount;
        if ((seed >> 8) % 4 != 3) {
            for (uint256 i = 0; i < j.milestoneCount; ++i) {
                uint8 index = uint8((start + i) % j.milestoneCount);
                bool submitted = j.submitted & (uint32(1) << index) != 0;
                if (forPayment ? submitted && !_pending(_paymentId(projectId, index)) : !submitted) return index;
            }
        }
        return uint8(start);
    }

    /// @dev Seven seeds in eight a Proposed disbursement (from a random start), when `byApprover` preferably
    /// one whose proposer holds the programme's approver role (to try self-approval); else any.
    function _pickDisbursement(uint256 seed, bool byApprover) internal view returns (bytes32) {
        uint256 n = disbursementIds.length;
        uint256 start = (seed >> 3) % n;
        if (seed % 8 != 7) {
            bytes32 found;
            for (uint256 i = 0; i < n; ++i) {
                bytes32 id = disbursementIds[(start + i) % n];
                GhostDisbursement storage d = _disbursements[id];
                if (d.status != IReliefLedger.DisbursementStatus.Proposed) continue;
                if (!byApprover || _holds(_programmes[d.programme].approverRole, d.holder)) return id;
                if (found == bytes32(0)) found = id;
            }
            if (found != bytes32(0)) return found;
        }
        return disbursementIds[start];
    }

    /// @dev Another holder of `role` than `proposer` (from a random start), else anyone.
    function _approverFor(uint8 role, address proposer, uint256 seed) internal view returns (address) {
        for (uint256 i = 0; i < ACTORS; ++i) {
            address a = _actor(seed + i);
            if (a != proposer && _holds(role, a)) return a;
        }
        return _actor(seed);
    }

    /// @dev Three seeds in four the kinds 0 and 3 the programmes require first, one in eight any of 0-4,
    /// one in sixteen an undefined kind (9), one a kind beyond 15; among 0-4 the first not held
    /// (`attesting`) or held.
    function _pickKind(bytes32 key, uint256 seed, bool attesting) internal view returns (uint8) {
        uint256 r = seed % 16;
        if (r == 14) return 9;
        if (r == 15) return MAX_ATTESTATION_KIND + 1;
        uint8[5] memory order = [
            MINIMUM_LIVING_ALLOWANCE,
            MONITORED_HOUSEHOLD,
            EXTREME_HARDSHIP,
            LIFTED_FROM_POVERTY,
            LOW_INCOME_HOUSEHOLD
        ];
        if (r >= 12) return order[(seed >> 4) % 5];
        uint256 start = (seed >> 4) % 2;
        for (uint256 i = 0; i < 5; ++i) {
            uint8 kind = order[(start + i) % 5];
            bool held = attestationsOf[key] & bitOf(kind) != 0;
            if (held != attesting) return kind;
        }
        return order[start];
    }

    /// @dev Who calls: seven seeds in eight `right`, else any of the eleven accounts.
    function _caller(uint256 seed, address right) internal view returns (address) {
        return seed % 8 == 7 ? _actor(seed >> 3) : right;
    }

    function _actor(uint256 seed) internal view returns (address) {
        uint256 i = seed % ACTORS;
        return i < HOLDERS ? holders[i] : others[i - HOLDERS];
    }

    /// @dev A fuzzer input spread evenly: the fuzzer favours small and edge values, which would otherwise
    /// pick the same (mostly refused) choices again and again.
    function _mix(uint256 seed) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("relief handler", seed)));
    }

    /// @dev keccak256 of the tag and seed; zero one seed in `oneIn` (bits 128 and up).
    function _hashOf(string memory tag, uint256 seed, uint256 oneIn) internal pure returns (bytes32) {
        if ((seed >> 128) % oneIn == oneIn - 1) return bytes32(0);
        return keccak256(abi.encode(tag, seed));
    }

    // ---------------------------------------------------------------- outcomes

    /// @dev Calls the ledger as `caller` and compares the outcome with the model's `expected` revert
    /// data (empty: success).
    function _call(
        Action action,
        address caller,
        bytes memory data,
        bytes memory expected
    ) internal returns (bool ok, bytes memory ret) {
        ++calls[uint256(action)];
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (ok, ret) = address(relief).call(data);
        if (ok) {
            ++successes[uint256(action)];
            if (expected.length != 0) {
                _mismatch(string.concat("action ", vm.toString(uint256(action)), " succeeded, model: "), expected);
            }
        } else if (keccak256(ret) != keccak256(expected)) {
            _mismatch(string.concat("action ", vm.toString(uint256(action)), " reverted against the model: "), ret);
        }
    }

    function _checkReturned(bytes memory ret, bytes memory expected, string memory what) internal {
        if (keccak256(ret) != keccak256(expected)) _mismatch(string.concat(what, " returned another value: "), ret);
    }

    function _mismatch(string memory what, bytes memory data) internal {
        if (mismatches++ == 0) firstMismatch = string.concat(what, vm.toString(data));
    }

    function _managed(address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, caller);
    }

    function _unauthorized(address caller, uint64 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnauthorized.selector, caller, role);
    }

    function _notHolder(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotHolder.selector, account);
    }

    function _notImplementer(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotImplementer.selector, account);
    }

    function _insufficient(
        bytes32 id,
        address holder,
        uint256 available,
        uint256 amount
    ) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerInsufficientBalance.selector,
                id,
                holder,
                available,
                amount
            );
    }

    function _alreadyPaid(bytes32 id, IReliefLedger.DisbursementStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerAlreadyPaid.selector, id, status);
    }

    function _wrongStatus(bytes32 id, IReliefLedger.DisbursementStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerWrongDisbursementStatus.selector, id, status);
    }

    function _wrongProjectStatus(
        bytes32 projectId,
        IReliefLedger.ProjectStatus status
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerWrongProjectStatus.selector, projectId, status);
    }

    function _invalidMilestone(bytes32 projectId, uint8 index, uint8 count) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidMilestone.selector, projectId, index, count);
    }

    function _milestoneUnpaid(bytes32 projectId, GhostProject storage j) internal view returns (bytes memory) {
        uint32 unpaid = j.submitted & ~j.paidMilestones;
        uint256 lowest = 0;
        while (unpaid & (uint32(1) << uint32(lowest)) == 0) ++lowest;
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerMilestoneUnpaid.selector, projectId, lowest);
    }

    function _zeroHash() internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerZeroHash.selector);
    }

    function _zeroAmount() internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerZeroAmount.selector);
    }
}

contract ReliefLedgerInvariantTest is ReliefLedgerFixture {
    ReliefLedgerHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new ReliefLedgerHandler(
            relief,
            registry,
            address(this),
            marketRegulator,
            [finance, countyFinance, ruralAffairs, ruralAffairsB, township, villageA, villageB],
            [civilAffairs, inspector, producer, stranger]
        );
        // P0: three periods, kinds 0 and 3, 500 yuan a payment, approved by rural affairs; P1: one payment,
        // kind 0, 2,000 yuan, approved by civil affairs (a department that neither proposes nor is paid;
        // villages may no longer approve). One million yuan each.
        IReliefLedger.ProgrammeTerms memory t = _terms(3, REQUIRED_A, 100_000_000, 50_000);
        handler.seedProgramme(0, "HANDLER-P0", t, true); // the county finance bureau squats P0's code first
        t = _terms(1, REQUIRED_B, 100_000_000, 200_000);
        t.approverRole = uint8(Roles.CIVIL_AFFAIRS);
        handler.seedProgramme(1, "HANDLER-P1", t, false);
        // A tree in each, leaving the county finance bureau (and in P1 the township) outside.
        handler.seedAllocation(0, finance, ruralAffairs, 40_000_000);
        handler.seedAllocation(0, ruralAffairs, township, 20_000_000);
        handler.seedAllocation(0, township, villageA, 5_000_000);
        handler.seedAllocation(0, ruralAffairs, villageB, 5_000_000);
        handler.seedAllocation(1, finance, ruralAffairsB, 40_000_000);
        handler.seedAllocation(1, ruralAffairsB, villageB, 10_000_000);
        handler.seedAllocation(1, ruralAffairsB, villageA, 2_000_000);
        handler.seedBeneficiary(villageA, REQUIRED_A);
        handler.seedBeneficiary(villageA, REQUIRED_B);
        handler.seedBeneficiary(villageB, REQUIRED_A);
        handler.seedBeneficiary(township, bitOf(MONITORED_HOUSEHOLD));
        // Payments already made and pending, so that second payments and decisions are tried from the start.
        handler.seedDisbursement(0, 0, 1, villageA, 30_000, ruralAffairs);
        handler.seedDisbursement(0, 2, 1, ruralAffairs, 40_000, ruralAffairsB);
        handler.seedDisbursement(0, 0, 2, township, 30_000, address(0));
        handler.seedDisbursement(1, 2, 1, villageB, 150_000, civilAffairs);
        handler.seedDisbursement(1, 1, 1, villageA, 100_000, address(0));
        _targetHandler();
    }

    function _targetHandler() internal {
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](18);
        selectors[0] = ReliefLedgerHandler.appropriate.selector;
        selectors[1] = ReliefLedgerHandler.allocate.selector;
        selectors[2] = ReliefLedgerHandler.returnFunds.selector;
        selectors[3] = ReliefLedgerHandler.registerBeneficiary.selector;
        selectors[4] = ReliefLedgerHandler.attest.selector;
        selectors[5] = ReliefLedgerHandler.revokeAttestation.selector;
        selectors[6] = ReliefLedgerHandler.proposeDisbursement.selector;
        selectors[7] = ReliefLedgerHandler.approveDisbursement.selector;
        selectors[8] = ReliefLedgerHandler.rejectDisbursement.selector;
        selectors[9] = ReliefLedgerHandler.createProject.selector;
        selectors[10] = ReliefLedgerHandler.fundProject.selector;
        selectors[11] = ReliefLedgerHandler.submitMilestone.selector;
        selectors[12] = ReliefLedgerHandler.proposeProjectPayment.selector;
        selectors[13] = ReliefLedgerHandler.acceptProject.selector;
        selectors[14] = ReliefLedgerHandler.toggleSuspension.selector;
        selectors[15] = ReliefLedgerHandler.setParent.selector;
        selectors[16] = ReliefLedgerHandler.moveBeneficiary.selector;
        selectors[17] = ReliefLedgerHandler.relay.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// One campaign checks every rule below after every call. (A campaign per rule made the fuzzer repeat
    /// the same handler calls once per rule: 6 times the work for the same sequences.) Almost all of a
    /// campaign's time is this check, so each record is read once, from the ledger and from the model, and
    /// every rule that concerns it is asserted on that reading: rules (a) conservation, (b) no money
    /// crosses programmes, (c) a second organisation approves, (d) no double payment, parents never change,
    /// and outcomes match the model.
    function invariant_everyRule() public view {
        _checkOutcomesMatchModel();
        assertEq(handler.ghostCrossMoves(), 0, "a cross-programme move succeeded");
        assertEq(handler.ghostBadApprovals(), 0, "approved by the proposer or a non-approver");
        assertEq(handler.ghostDoublePayments(), 0, "a second payment was proposed");
        assertEq(handler.ghostParentChanges(), 0, "a parent changed");
        bytes32[2] memory ids = [handler.programmeId(0), handler.programmeId(1)];
        (uint256[2] memory projectHeld, uint256[2] memory projectPaid) = _checkProjects(ids);
        uint256[2] memory disbursed;
        for (uint256 g = 0; g < 2; ++g) disbursed[g] = _checkProgramme(g, ids[g], projectHeld[g], projectPaid[g]);
        _checkDisbursements(ids, disbursed);
        // Rule (d), by the model: its count of approvals per (programme, period or milestone, recipient) is
        // at most one.
        assertLe(handler.ghostMostPaid(), 1, "paid twice");
    }

    /// Rules (a) and (b) for projects: every project is the model's and conserves (available + reserved + paid
    /// + returned = funded <= budget), and stays in its programme. Returns, per programme (as the ledger
    /// files each project), Σ (available + reserved) and Σ paid.
    function _checkProjects(
        bytes32[2] memory ids
    ) internal view returns (uint256[2] memory held, uint256[2] memory paid) {
        (bytes32[] memory projectIds, ReliefLedgerHandler.GhostProject[] memory ghosts) = handler.ghostProjects();
        for (uint256 i = 0; i < projectIds.length; ++i) {
            bytes32 id = projectIds[i];
            IReliefLedger.Project memory j = relief.project(id);
            ReliefLedgerHandler.GhostProject memory g = ghosts[i];
            assertEq(j.holder, g.holder, "project holder");
            assertEq(j.implementer, g.implementer, "implementer");
            assertEq(uint8(j.status), uint8(g.status), "project status");
            assertEq(j.budget, g.budget, "budget");
            assertEq(j.funded, g.funded, "funded");
            assertEq(j.available, g.available, "project available");
            assertEq(j.reserved, g.reserved, "project reserved");
            assertEq(j.paid, g.paid, "paid");
            assertEq(j.returned, g.returned, "project returned");
            assertEq(j.milestonesSubmitted, g.submitted, "milestones");
            assertEq(j.milestonesPaid, g.paidMilestones, "milestones paid");
            if (j.status == IReliefLedger.ProjectStatus.Accepted) {
                assertEq(j.milestonesSubmitted & ~j.milestonesPaid, 0, "accepted over a submitted unpaid milestone");
            }
            _checkMilestoneAmounts(id, ids[g.programme], j.milestoneCount);
            assertLe(j.funded, j.budget, "funded <= budget");
            assertEq(uint256(j.available) + j.reserved + j.paid + j.returned, j.funded, "project conserves");
            bytes32 programme = relief.projectProgramme(id);
            assertEq(programme, ids[g.programme], "project programme");
            for (uint256 k = 0; k < 2; ++k) {
                if (programme != ids[k]) continue;
                held[k] += uint256(j.available) + j.reserved;
                paid[k] += j.paid;
            }
        }
    }

    /// Item 5: every payment proposed for a milestone is the milestone's fixed amount.
    function _checkMilestoneAmounts(bytes32 projectId, bytes32 programmeId, uint8 count) internal view {
        for (uint8 m = 0; m < count; ++m) {
            bytes32 pay = relief.disbursementIdOf(IReliefLedger.RecipientKind.Project, programmeId, m, projectId);
            IReliefLedger.Disbursement memory d = relief.disbursement(pay);
            if (d.status == IReliefLedger.DisbursementStatus.None) continue;
            assertEq(d.amount, relief.milestoneAmount(projectId, m), "a milestone paid other than its fixed amount");
        }
    }

    /// For programme `g`, from one reading of every holding of the accounts the fixture knows:
    /// - rule (a): appropriated = Σ over holders and projects of (available + reserved) + disbursed, and
    ///   disbursed = Σ holders' disbursed + Σ projects' paid (sums read from the ledger); the programme's
    ///   counters and every actor's holding are the model's;
    /// - rule (b): the money held in the programme, summed from the ledger, is the model's for that
    ///   programme, which conserves it;
    /// - parents: every stored parent is the model's, and following parents from any holder in the tree
    ///   reaches the programme's finance.
    /// Returns the programme's disbursed counter.
    function _checkProgramme(
        uint256 g,
        bytes32 id,
        uint256 projectHeld,
        uint256 projectPaid
    ) internal view returns (uint256) {
        ReliefLedgerHandler.GhostProgramme memory gp = handler.ghostProgramme(g);
        IReliefLedger.Programme memory p = relief.programme(id);
        address[14] memory accounts = _accounts();
        IReliefLedger.Holding[14] memory holdings;
        uint256 held = projectHeld;
        uint256 spent = projectPaid;
        for (uint256 i = 0; i < accounts.length; ++i) {
            holdings[i] = relief.holding(id, accounts[i]);
            held += uint256(holdings[i].available) + holdings[i].reserved;
            spent += holdings[i].disbursed;
        }
        assertEq(held + p.disbursed, p.appropriated, "appropriated = held + disbursed");
        assertEq(spent, p.disbursed, "disbursed = holders' disbursed + projects' paid");
        assertEq(p.appropriated, gp.appropriated, "appropriated");
        assertEq(p.allocated, gp.allocated, "allocated");
        assertEq(p.disbursed, gp.disbursed, "disbursed");
        assertEq(p.returned, gp.returned, "returned");
        uint256 ghostHeld = handler.ghostHeld(g);
        assertEq(held, ghostHeld, "held in the programme = model");
        assertEq(ghostHeld + gp.disbursed, gp.appropriated, "model conserves each programme");
        _checkActors(g, id, accounts, holdings);
        return p.disbursed;
    }

    /// @dev Every actor's holding in programme `g` is the model's, and its parents lead to the finance.
    function _checkActors(
        uint256 g,
        bytes32 id,
        address[14] memory accounts,
        IReliefLedger.Holding[14] memory holdings
    ) internal view {
        (address[11] memory actors, ReliefLedgerHandler.GhostHolding[11] memory ghosts) = handler.ghostHoldings(g);
        for (uint256 i = 0; i < actors.length; ++i) {
            address account = actors[i];
            IReliefLedger.Holding memory h = _held(id, accounts, holdings, account);
            _assertHolding(h, ghosts[i]);
            if (h.parent == address(0)) continue;
            address node = account;
            for (uint256 steps = 0; steps < 11; ++steps) {
                address parent = _held(id, accounts, holdings, node).parent;
                if (parent == address(0)) break;
                node = parent;
            }
            assertEq(node, finance, "the tree's root is the finance");
        }
    }

    /// @dev `account`'s holding from the reading in `holdings`, or from the ledger for an account outside it.
    function _held(
        bytes32 id,
        address[14] memory accounts,
        IReliefLedger.Holding[14] memory holdings,
        address account
    ) internal view returns (IReliefLedger.Holding memory) {
        for (uint256 i = 0; i < accounts.length; ++i) if (accounts[i] == account) return holdings[i];
        return relief.holding(id, account);
    }

    function _assertHolding(IReliefLedger.Holding memory h, ReliefLedgerHandler.GhostHolding memory m) internal pure {
        assertEq(h.parent, m.parent, "parent = model");
        assertEq(h.available, m.available, "available");
        assertEq(h.received, m.received, "received");
        assertEq(h.allocated, m.allocated, "allocated by");
        assertEq(h.reserved, m.reserved, "reserved");
        assertEq(h.disbursed, m.disbursed, "disbursed by");
        assertEq(h.returned, m.returned, "returned by");
    }

    /// From one reading of every disbursement:
    /// - rule (b): it stays in its programme;
    /// - rule (c): a disbursement counts only once approved by an organisation other than its proposer holding
    ///   the programme's approver role: no approval by the proposer or a non-approver ever succeeded (the
    ///   handler tries both); every record is the model's; an approved one was decided by the approver the
    ///   model saw entitled, never by its holder; a programme's disbursed is the sum of its approved ones;
    /// - rule (d): no double payment per (programme, period, beneficiary): no proposal for one already
    ///   proposed or approved ever succeeded (the handler tries them); each is kept under the one id
    ///   disbursementIdOf names and approved at most once.
    function _checkDisbursements(bytes32[2] memory ids, uint256[2] memory disbursed) internal view {
        uint256[2] memory approved;
        (bytes32[] memory disbursementIds, ReliefLedgerHandler.GhostDisbursement[] memory ghosts) = handler
            .ghostDisbursements();
        for (uint256 i = 0; i < disbursementIds.length; ++i) {
            bytes32 id = disbursementIds[i];
            IReliefLedger.Disbursement memory d = relief.disbursement(id);
            ReliefLedgerHandler.GhostDisbursement memory g = ghosts[i];
            assertEq(relief.programmeIdAt(d.programmeSeq), ids[g.programme], "disbursement programme");
            assertEq(d.holder, g.holder, "proposer");
            assertEq(d.amount, g.amount, "amount");
            assertEq(d.recipient, g.recipient, "recipient");
            assertEq(d.period, g.period, "period");
            assertEq(uint8(d.kind), uint8(g.kind), "kind");
            assertEq(uint8(d.status), uint8(g.status), "status");
            assertEq(d.decidedBy, g.decidedBy, "decided by");
            assertEq(d.paymentRefHash, g.refHash, "payment reference hash");
            if (d.status == IReliefLedger.DisbursementStatus.Approved) {
                assertTrue(d.decidedBy != d.holder, "approved by its proposer");
                assertTrue(g.approverEntitled, "approver not entitled");
                approved[g.programme] += d.amount;
            } else {
                assertEq(g.approvals, 0, "approved, yet not Approved");
            }
            assertEq(
                relief.disbursementIdOf(g.kind, ids[g.programme], g.period, g.recipient),
                id,
                "one id per (programme, period, recipient)"
            );
            assertLe(g.approvals, 1, "approved twice");
        }
        for (uint256 g = 0; g < 2; ++g) assertEq(disbursed[g], approved[g], "disbursed = approved ones");
    }

    /// Rule: every call succeeded or failed, with the exact error and return value, as the model predicts;
    /// every beneficiary's village and attestations are the model's.
    function _checkOutcomesMatchModel() internal view {
        assertEq(handler.mismatches(), 0, handler.firstMismatch());
        (bytes32[] memory keys, address[] memory villages, uint16[] memory masks) = handler.ghostBeneficiaries();
        for (uint256 i = 0; i < keys.length; ++i) {
            IReliefLedger.Beneficiary memory b = relief.beneficiary(keys[i]);
            assertEq(b.village, villages[i], "village");
            assertEq(b.attestations, masks[i], "attestations");
        }
    }

    /// The handler reaches every path: a fixed pseudo-random sequence of 600 actions succeeds and fails at
    /// every action, tries cross-programme moves, self-approvals, second payments, re-parenting and
    /// approvals of beneficiaries no longer eligible, and keeps every invariant.
    function test_handler_exercisesEveryAction() public {
        for (uint256 i = 0; i < 800; ++i) {
            uint256[5] memory r;
            for (uint256 k = 0; k < 5; ++k) r[k] = uint256(keccak256(abi.encode("drive", i, k)));
            _drive(r[0] % 18, r);
        }
        emit log(handler.summary());
        for (uint256 a = 0; a < 14; ++a) {
            assertGt(handler.successes(a), 0, string.concat("action ", vm.toString(a), " never succeeded"));
            assertGt(handler.calls(a), handler.successes(a), string.concat("action ", vm.toString(a), " never failed"));
        }
        assertGt(handler.successes(14), 0, "suspensions");
        assertGt(handler.crossAttempts(), 0, "cross-programme moves tried");
        assertGt(handler.selfApprovalAttempts(), 0, "self-approvals tried");
        assertGt(handler.doublePaymentAttempts(), 0, "second payments tried");
        assertGt(handler.parentChangeAttempts(), 0, "re-parenting tried");
        assertGt(handler.ineligibleApprovalAttempts(), 0, "ineligible approvals tried");
        for (uint256 a = 15; a < 18; ++a) {
            assertGt(handler.successes(a), 0, string.concat("action ", vm.toString(a), " never succeeded"));
        }
        assertGt(handler.calls(15), handler.successes(15), "setParent never refused");
        assertGt(handler.calls(16), handler.successes(16), "moveBeneficiary never refused");
        assertEq(handler.calls(17), handler.successes(17), "a relay was not refused as the model says");
        assertGt(handler.relayAttempts(), 0, "relays tried");
        assertGt(handler.staleTermsAttempts(), 0, "approvals on stale terms tried");
        assertGt(handler.squatAttempts(), 0, "parent squatting tried");
        assertGt(handler.codeSquatAttempts(), 0, "project code squatting tried");
        assertGt(handler.moves(), 0, "beneficiaries moved");
        assertGt(handler.extremeAmounts(), 0, "extreme amounts tried");
        invariant_everyRule();
    }

    function _drive(uint256 action, uint256[5] memory r) internal {
        if (action == 0) handler.appropriate(r[1], r[2], r[3]);
        else if (action == 1) handler.allocate(r[1], r[2], r[3], r[4]);
        else if (action == 2) handler.returnFunds(r[1], r[2], r[3]);
        else if (action == 3) handler.registerBeneficiary(r[1], r[2]);
        else if (action == 4) handler.attest(r[1], r[2], r[3]);
        else if (action == 5) handler.revokeAttestation(r[1], r[2], r[3]);
        else if (action == 6) handler.proposeDisbursement(r[1], r[2], r[3], r[4], r[0]);
        else if (action == 7) handler.approveDisbursement(r[1], r[2]);
        else if (action == 8) handler.rejectDisbursement(r[1], r[2], r[3]);
        else if (action == 9) handler.createProject(r[1], r[2], r[3], r[4]);
        else if (action == 10) handler.fundProject(r[1], r[2], r[3]);
        else if (action == 11) handler.submitMilestone(r[1], r[2], r[3]);
        else if (action == 12) handler.proposeProjectPayment(r[1], r[2], r[3], r[4]);
        else if (action == 13) handler.acceptProject(r[1], r[2], r[3]);
        else if (action == 14) handler.toggleSuspension(r[1]);
        else if (action == 15) handler.setParent(r[1], r[2], r[3], r[4]);
        else if (action == 16) handler.moveBeneficiary(r[1], r[2], r[3]);
        else handler.relay(r[1], r[2]);
    }
}
