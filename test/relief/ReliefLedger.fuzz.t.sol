// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings, function-max-lines
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {IOrgRegistry} from "../../contracts/interfaces/IOrgRegistry.sol";
import {IReliefLedger} from "../../contracts/interfaces/IReliefLedger.sol";
import {ReliefLedgerFixture, YUAN, bitOf, keyOf} from "../utils/ReliefLedgerFixture.sol";

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
