// SPDX-License-Identifier: Apache-2.0
// solhint-disable func-name-mixedcase, gas-small-strings
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {IReliefLedger} from "../../contracts/interfaces/IReliefLedger.sol";
import {ReliefLedgerFixture, YUAN, docOf, keyOf, namespacedId} from "../utils/ReliefLedgerFixture.sol";

/**
 * @dev Insider attacks on the relief ledger (issue 16, "Close the holes an insider can use"), one test per
 * attack, named after it: each plays the attack as an organisation holding one key would, and shows the
 * ledger refusing it with an error that names the values (or, where the rule is a repair, the repair).
 * The fixture is ReliefLedger.t.sol's: programme A flows finance → rural affairs → township → village A,
 * programme B finance → rural affairs → village B.
 */
contract ReliefLedgerAttacksTest is ReliefLedgerFixture {
    // ---------------------------------------------------------------- relays through the manager

    function _relay(address caller, bytes memory data) internal {
        vm.prank(caller);
        manager.execute(address(relief), data);
    }

    function _errRelayed(bytes4 selector) internal view returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerRelayedCall.selector, address(manager), selector);
    }

    /// A village asks the manager to relay its registration: the record would name the manager, not the village.
    function test_relay_registerBeneficiary_isRefused() public {
        bytes32 key = keyOf("relayed", 1);
        bytes32 household = docOf("household record", 1);
        vm.expectRevert(_errRelayed(IReliefLedger.registerBeneficiary.selector));
        _relay(villageA, abi.encodeCall(relief.registerBeneficiary, (key, household)));
        assertEq(relief.beneficiary(key).village, address(0));

        vm.expectEmit(address(relief));
        emit IReliefLedger.BeneficiaryRegistered(key, villageA, household);
        vm.prank(villageA);
        relief.registerBeneficiary(key, household);
        assertEq(relief.beneficiary(key).village, villageA, "the direct call names the real village");
    }

    /// The proposer relays the approval of its own payment (approveDisbursement is PUBLIC at the manager): the
    /// manager would be the approver, a second organisation that never looked at it.
    function test_relay_approveDisbursement_isRefused() public {
        bytes32 id = _propose(PROG_A, villageA, 1, key1, 800 * YUAN);
        bytes32 ref = docOf("payment", 800 * YUAN);
        bytes memory data = abi.encodeCall(relief.approveDisbursement, (id, uint96(800 * YUAN), ref));
        vm.expectRevert(_errRelayed(IReliefLedger.approveDisbursement.selector));
        _relay(villageA, data);
        vm.expectRevert(_errRelayed(IReliefLedger.approveDisbursement.selector));
        _relay(ruralAffairs, data);
        assertEq(uint8(relief.disbursement(id).status), uint8(IReliefLedger.DisbursementStatus.Proposed));

        vm.expectEmit(address(relief));
        emit IReliefLedger.DisbursementApproved(id, PROG_A, ruralAffairs);
        _approve(id, ruralAffairs);
        assertEq(relief.disbursement(id).decidedBy, ruralAffairs, "the direct call names the real approver");
    }

    /// An auditor relays a finding: the finding would carry the manager as its auditor, and nobody could close it.
    function test_relay_recordFinding_isRefused() public {
        bytes memory data = abi.encodeCall(
            relief.recordFinding,
            (IReliefLedger.TargetKind.Beneficiary, key1, villageA, 2, docOf("audit report", 1))
        );
        vm.expectRevert(_errRelayed(IReliefLedger.recordFinding.selector));
        _relay(auditor, data);
        assertEq(relief.findingCount(), 0);

        vm.prank(auditor);
        uint32 findingId = relief.recordFinding(
            IReliefLedger.TargetKind.Beneficiary,
            key1,
            villageA,
            2,
            docOf("audit report", 1)
        );
        assertEq(relief.finding(findingId).auditor, auditor, "the direct call names the real auditor");
    }

    /// Rural affairs relays a move of a beneficiary, and a holder relays its consent to a parent.
    function test_relay_moveBeneficiary_and_setParent_areRefused() public {
        vm.expectRevert(_errRelayed(IReliefLedger.moveBeneficiary.selector));
        _relay(ruralAffairs, abi.encodeCall(relief.moveBeneficiary, (key1, villageB, docOf("decision", 1))));
        vm.expectRevert(_errRelayed(IReliefLedger.setParent.selector));
        _relay(villageB, abi.encodeCall(relief.setParent, (PROG_A, villageB, township, docOf("consent", 1))));
        assertEq(relief.beneficiary(key1).village, villageA);
        assertEq(relief.holding(PROG_A, villageB).parent, address(0));
    }

    /// The fixture's `_approve` reads the proposed terms from storage: its slots are the view's.
    function test_proposedTerms_readFromStorage() public {
        bytes32 id = _propose(PROG_A, villageA, 1, key1, 800 * YUAN);
        (uint96 amount, bytes32 ref) = _proposedTerms(id);
        IReliefLedger.Disbursement memory d = relief.disbursement(id);
        assertEq(amount, d.amount);
        assertEq(ref, d.paymentRefHash);
        assertEq(ref, docOf("payment", 800 * YUAN));
    }

    // ---------------------------------------------------------------- item 3: parent squatting

    /// The township allocates 1 fen to village B (not yet in programme A's tree) before rural affairs does, to
    /// become its parent for good and collect its returns: refused, village B never accepted the township.
    function test_parentSquatting_isRefused() public {
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerParentNotAccepted.selector, PROG_A, villageB, township)
        );
        vm.prank(township);
        relief.allocate(PROG_A, villageB, 1, docOf("allocation notice", 1));

        // Village B accepts rural affairs; rural affairs allocates; the township still cannot.
        vm.expectEmit(address(relief));
        emit IReliefLedger.ParentSet(PROG_A, villageB, ruralAffairs, villageB, docOf("consent", 2));
        vm.prank(villageB);
        relief.setParent(PROG_A, villageB, ruralAffairs, docOf("consent", 2));
        _allocate(PROG_A, ruralAffairs, villageB, 10_000 * YUAN);
        vm.expectRevert(_errNotParent(PROG_A, villageB, ruralAffairs, township));
        vm.prank(township);
        relief.allocate(PROG_A, villageB, 1, docOf("allocation notice", 1));
        // Village B's returns go to rural affairs.
        uint256 before = _available(PROG_A, ruralAffairs);
        _return(PROG_A, villageB, 1_000 * YUAN);
        assertEq(_available(PROG_A, ruralAffairs), before + 1_000 * YUAN);
    }

    /// Once a holder has a parent it cannot swap it for a friend (who would then collect its returns), nor take
    /// a parent outside the tree or below itself.
    function test_parentSquatting_consentOverAParent_isRefused() public {
        vm.expectRevert(_errNotParent(PROG_A, villageA, township, villageB));
        vm.prank(villageA);
        relief.setParent(PROG_A, villageA, villageB, docOf("consent", 3));
        // Village B (outside programme A's tree) cannot be a parent; the township cannot go under village A.
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidParent.selector, PROG_A, countyFinance, villageB)
        );
        vm.prank(countyFinance);
        relief.setParent(PROG_A, countyFinance, villageB, docOf("consent", 4));
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidParent.selector, PROG_A, township, villageA)
        );
        vm.prank(finance);
        relief.setParent(PROG_A, township, villageA, docOf("tree decision", 1));
        // Another finance bureau is not the programme's owner.
        vm.expectRevert(
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotProgrammeFinance.selector,
                PROG_A,
                countyFinance,
                finance
            )
        );
        vm.prank(countyFinance);
        relief.setParent(PROG_A, villageA, ruralAffairs, docOf("tree decision", 2));
    }

    /// A squatter that did get in (village B accepted the township by mistake) is removed by the programme's
    /// finance, which re-attaches village B under rural affairs: its returns then go there.
    function test_parentSquatting_financeFixesTheTree() public {
        vm.prank(villageB);
        relief.setParent(PROG_A, villageB, township, docOf("consent", 5));
        _allocate(PROG_A, township, villageB, 1);
        vm.expectEmit(address(relief));
        emit IReliefLedger.ParentSet(PROG_A, villageB, ruralAffairs, finance, docOf("tree decision", 3));
        vm.prank(finance);
        relief.setParent(PROG_A, villageB, ruralAffairs, docOf("tree decision", 3));
        _allocate(PROG_A, ruralAffairs, villageB, 5_000 * YUAN);
        uint256 before = _available(PROG_A, ruralAffairs);
        _return(PROG_A, villageB, 1);
        assertEq(_available(PROG_A, ruralAffairs), before + 1, "returns credited to the new parent");
        _assertConserved(PROG_A);
    }

    // ---------------------------------------------------------------- item 4: beneficiary squatting

    /// Village B registers village A's resident first; village A can neither register nor pay them. Rural affairs
    /// moves the beneficiary to village A (the squatter named in the event); village B's pending proposal can no
    /// longer be approved and village A pays.
    function test_beneficiarySquatting_ruralAffairsMovesIt() public {
        bytes32 resident = keyOf("resident of village A", 1);
        _registerBeneficiary(resident, villageB);
        _attest(resident, 0);
        _attest(resident, 3);
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerBeneficiaryExists.selector, resident, villageB)
        );
        vm.prank(villageA);
        relief.registerBeneficiary(resident, docOf("household record", 9));
        // Village B has money in programme B only; it proposes there.
        bytes32 squatted = _propose(PROG_B, villageB, 1, resident, 1_000 * YUAN);

        vm.expectRevert(_errManaged(villageA));
        vm.prank(villageA);
        relief.moveBeneficiary(resident, villageA, docOf("move decision", 1));

        vm.expectEmit(address(relief));
        emit IReliefLedger.BeneficiaryMoved(resident, villageB, villageA, ruralAffairs, docOf("move decision", 1));
        vm.prank(ruralAffairs);
        relief.moveBeneficiary(resident, villageA, docOf("move decision", 1));
        assertEq(relief.beneficiary(resident).village, villageA);
        assertEq(relief.beneficiary(resident).attestations, 9, "attestations follow the person");

        vm.expectRevert(
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotBeneficiaryVillage.selector,
                resident,
                villageA,
                villageB
            )
        );
        vm.prank(ruralAffairs);
        relief.approveDisbursement(squatted, uint96(1_000 * YUAN), docOf("payment", 1_000 * YUAN));
        _reject(squatted, ruralAffairs);
        _approve(_propose(PROG_A, villageA, 1, resident, 800 * YUAN), ruralAffairs);
    }

    /// Rural affairs deregisters a squatted beneficiary (its attestations dropped); its own village registers it.
    function test_beneficiarySquatting_deregistered_thenRegisteredByItsVillage() public {
        bytes32 resident = keyOf("resident of village A", 2);
        _registerBeneficiary(resident, villageB);
        _attest(resident, 0);
        vm.expectEmit(address(relief));
        emit IReliefLedger.BeneficiaryMoved(resident, villageB, address(0), ruralAffairs, docOf("deregistration", 1));
        vm.prank(ruralAffairs);
        relief.moveBeneficiary(resident, address(0), docOf("deregistration", 1));
        assertEq(relief.beneficiary(resident).village, address(0));
        assertEq(relief.beneficiary(resident).attestations, 0);
        _registerBeneficiary(resident, villageA);
        assertEq(relief.beneficiary(resident).village, villageA);
        // A move to a non-village, or to the same village, is refused.
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotVillage.selector, producer));
        vm.prank(ruralAffairs);
        relief.moveBeneficiary(resident, producer, docOf("move decision", 2));
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotVillage.selector, villageA));
        vm.prank(ruralAffairs);
        relief.moveBeneficiary(resident, villageA, docOf("move decision", 3));
    }

    // ---------------------------------------------------------------- item 5: the payee side approves itself

    /// A programme whose approvers are villages (townships are that kind, and implement projects): refused.
    function test_payeeSelfApproval_villageApprover_isRefused() public {
        IReliefLedger.ProgrammeTerms memory t = _terms(1, 1, 1_000_000 * YUAN, 1_000 * YUAN);
        uint8[3] memory payeeKinds = [uint8(Roles.VILLAGE), uint8(Roles.PRODUCER), uint8(Roles.RECIPIENT)];
        for (uint256 i = 0; i < 3; ++i) {
            t.approverRole = payeeKinds[i];
            vm.expectRevert(
                abi.encodeWithSelector(IReliefLedger.ReliefLedgerApproverNotIndependent.selector, payeeKinds[i])
            );
            vm.prank(finance);
            relief.createProgramme("PROG-PAYEE-APPROVES", t, docOf("budget document", i));
        }
    }

    /// The holder proposes the whole budget against milestone 0 of 3: refused, milestone 0 is a third of it.
    function test_wholeBudgetOnFirstMilestone_isRefused() public {
        _createProject(ROAD, PROG_A, township, 90_000 * YUAN + 2, 3);
        _fund(ROAD, township, 90_000 * YUAN + 2);
        _submit(ROAD, 0);
        assertEq(relief.milestoneAmount(ROAD, 0), 30_000 * YUAN);
        assertEq(relief.milestoneAmount(ROAD, 2), 30_000 * YUAN + 2, "the last milestone takes the remainder");
        vm.expectRevert(
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerMilestoneAmount.selector,
                ROAD,
                0,
                30_000 * YUAN,
                90_000 * YUAN + 2
            )
        );
        _proposePayment(ROAD, township, 0, 90_000 * YUAN + 2);
        _approve(_proposePayment(ROAD, township, 0, 30_000 * YUAN), ruralAffairs);
        assertEq(relief.project(ROAD).paid, 30_000 * YUAN);
    }

    // ---------------------------------------------------------------- item 6: approval bound to the terms

    /// Rural affairs reviews 800 yuan to reference R; the village withdraws and re-proposes the same id with
    /// 1,000 yuan to another reference while the approval is in the pool: the approval does not land.
    function test_approvalOnChangedTerms_isRefused() public {
        bytes32 refReviewed = docOf("payment", 800 * YUAN);
        bytes32 id = _propose(PROG_A, villageA, 1, key1, 800 * YUAN);
        _reject(id, villageA); // withdrawn
        bytes32 refSwapped = keccak256("another account");
        vm.prank(villageA);
        relief.proposeDisbursement(PROG_A, 1, key1, uint96(1_000 * YUAN), refSwapped);

        vm.expectRevert(
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerTermsChanged.selector,
                id,
                uint96(1_000 * YUAN),
                refSwapped,
                uint96(800 * YUAN),
                refReviewed
            )
        );
        vm.prank(ruralAffairs);
        relief.approveDisbursement(id, uint96(800 * YUAN), refReviewed);
        // Same amount, other reference: refused as well.
        vm.expectRevert(
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerTermsChanged.selector,
                id,
                uint96(1_000 * YUAN),
                refSwapped,
                uint96(1_000 * YUAN),
                refReviewed
            )
        );
        vm.prank(ruralAffairs);
        relief.approveDisbursement(id, uint96(1_000 * YUAN), refReviewed);
        assertEq(uint8(relief.disbursement(id).status), uint8(IReliefLedger.DisbursementStatus.Proposed));
    }

    // ---------------------------------------------------------------- item 10: suspended organisations

    /// A suspended village still recorded usage receipts of its payments: refused.
    function test_suspended_recordUsage_isRefused() public {
        bytes32 id = _propose(PROG_A, villageA, 1, key1, 800 * YUAN);
        _approve(id, ruralAffairs);
        _suspend(villageA);
        vm.expectRevert(_errNotHolder(villageA));
        vm.prank(villageA);
        relief.recordUsage(id, docOf("usage receipt", 1));
        _reinstate(villageA);
        vm.prank(villageA);
        relief.recordUsage(id, docOf("usage receipt", 1));
    }

    /// A suspended implementer still recorded usage of a project payment: refused.
    function test_suspended_implementerRecordUsage_isRefused() public {
        _createProject(ROAD, PROG_A, township, 30_000 * YUAN, 1);
        _fund(ROAD, township, 30_000 * YUAN);
        _submit(ROAD, 0);
        bytes32 id = _proposePayment(ROAD, township, 0, 30_000 * YUAN);
        _approve(id, ruralAffairs);
        _suspend(producer);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotImplementer.selector, producer));
        vm.prank(producer);
        relief.recordUsage(id, docOf("usage receipt", 2));
    }

    /// A suspended village still answered findings: refused (the auditor's resolution anchors its answer).
    function test_suspended_answerFinding_isRefused() public {
        vm.prank(auditor);
        uint32 findingId = relief.recordFinding(
            IReliefLedger.TargetKind.Beneficiary,
            key1,
            villageA,
            2,
            docOf("audit report", 2)
        );
        _suspend(villageA);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerInactiveOrganisation.selector, villageA));
        vm.prank(villageA);
        relief.answerFinding(findingId, docOf("response", 1));
        vm.prank(auditor);
        relief.closeFinding(findingId, docOf("resolution", 1));
    }

    /// A suspended proposer still withdrew its proposals: refused; the approver can still reject them.
    function test_suspended_withdrawal_isRefused() public {
        bytes32 id = _propose(PROG_A, villageA, 1, key1, 800 * YUAN);
        _suspend(villageA);
        vm.expectRevert(_errNotHolder(villageA));
        vm.prank(villageA);
        relief.rejectDisbursement(id, docOf("withdrawal", 1));
        _reject(id, ruralAffairs);
    }

    // ---------------------------------------------------------------- item 12: accepting (closing) a project

    /// Any inspector accepted any relief project: refused, only the programme's approver department accepts.
    function test_acceptProject_byInspector_isRefused() public {
        _createProject(ROAD, PROG_A, township, 30_000 * YUAN, 1);
        vm.expectRevert(_errUnauthorized(inspector, Roles.RURAL_AFFAIRS));
        vm.prank(inspector);
        relief.acceptProject(ROAD, docOf("acceptance report", 1));
        vm.expectRevert(_errUnauthorized(township, Roles.RURAL_AFFAIRS));
        vm.prank(township);
        relief.acceptProject(ROAD, docOf("acceptance report", 1));
    }

    /// Rural affairs closed a project while the implementer's submitted milestone was unpaid (its remainder
    /// returned to the holder): refused until the milestone is paid.
    function test_acceptProject_overSubmittedUnpaidMilestone_isRefused() public {
        _createProject(ROAD, PROG_A, township, 60_000 * YUAN, 2);
        _fund(ROAD, township, 60_000 * YUAN);
        _submit(ROAD, 1);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerMilestoneUnpaid.selector, ROAD, 1));
        vm.prank(ruralAffairs);
        relief.acceptProject(ROAD, docOf("acceptance report", 2));
        _approve(_proposePayment(ROAD, township, 1, 30_000 * YUAN), ruralAffairs);
        vm.prank(ruralAffairs);
        relief.acceptProject(ROAD, docOf("acceptance report", 2));
        assertEq(relief.project(ROAD).returned, 30_000 * YUAN);
    }

    // ---------------------------------------------------------------- item 2: counters cannot overflow

    /// Money cycled down and back up the tree at the uint96 limit: the programme's and holders' cumulative
    /// counters pass 2^96 without a panic, so other organisations' allocations keep working.
    function test_counterOverflow_byCyclingMoney_isImpossible() public {
        uint256 max = type(uint96).max;
        bytes32 big = _createProgramme("PROG-BIG", _terms(1, 1, max, 1_000 * YUAN));
        for (uint256 i = 0; i < 3; ++i) {
            _allocate(big, finance, ruralAffairs, max - 1);
            _return(big, ruralAffairs, max - 1);
        }
        IReliefLedger.Programme memory p = relief.programme(big);
        assertEq(p.allocated, 3 * (max - 1));
        assertEq(p.returned, 3 * (max - 1));
        assertEq(relief.holding(big, ruralAffairs).received, 3 * (max - 1));
        _allocate(big, finance, ruralAffairs, 1);
        _consentAndAllocate(big, ruralAffairs, township, 1);
        _assertConserved(big);
    }

    // ---------------------------------------------------------------- item 15: ids namespaced by their creator

    /// The county finance bureau creates the city's programme code first, hoping to own the city's programme id:
    /// it gets only its own id (programmeIdOf(county, code)); the city still creates its programme under its
    /// code, with a distinct id that it owns and the county cannot act on.
    function test_programmeIdSquatting_isRefused() public {
        IReliefLedger.ProgrammeTerms memory t = _terms(1, 1, 1_000_000 * YUAN, 1_000 * YUAN);
        string memory code = "TS-IND-2026";
        vm.prank(countyFinance);
        bytes32 squatted = relief.createProgramme(code, t, docOf("county budget", 1));
        assertEq(squatted, relief.programmeIdOf(countyFinance, code));
        assertEq(relief.programme(squatted).finance, countyFinance);

        vm.prank(finance);
        bytes32 own = relief.createProgramme(code, t, docOf("city budget", 1));
        assertEq(own, relief.programmeIdOf(finance, code), "the city's id for its code");
        assertEq(own, namespacedId(finance, code));
        assertTrue(own != squatted, "a distinct id");
        assertEq(relief.programme(own).finance, finance, "owned by the city");
        assertEq(relief.holding(own, finance).available, 1_000_000 * YUAN);
        assertEq(relief.holding(own, countyFinance).available, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotProgrammeFinance.selector, own, countyFinance, finance)
        );
        vm.prank(countyFinance);
        relief.appropriate(own, 1, docOf("county appropriation", 1));
        // Each bureau uses a code once.
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerProgrammeExists.selector, own));
        vm.prank(finance);
        relief.createProgramme(code, t, docOf("city budget", 2));
        _assertConserved(own);
        _assertConserved(squatted);
    }

    /// Rural affairs (a holder in programme A too) creates the township's project code first: it gets only its
    /// own id; the township still creates its project under the code, with a distinct id that it holds.
    function test_projectIdSquatting_isRefused() public {
        string memory code = "PRJ-2025-VILLAGE-ROAD";
        vm.prank(ruralAffairs);
        bytes32 squatted = relief.createProject(code, PROG_A, producer, uint96(1_000 * YUAN), 1, docOf("squat", 1));
        assertEq(squatted, relief.projectIdOf(ruralAffairs, code));
        assertEq(relief.project(squatted).holder, ruralAffairs);

        vm.prank(township);
        bytes32 own = relief.createProject(code, PROG_A, producer, uint96(30_000 * YUAN), 1, docOf("road plan", 1));
        assertEq(own, relief.projectIdOf(township, code), "the township's id for its code");
        assertEq(own, namespacedId(township, code));
        assertTrue(own != squatted, "a distinct id");
        assertEq(relief.project(own).holder, township, "held by the township");
        assertEq(relief.project(own).budget, 30_000 * YUAN);
        _fund(own, township, 30_000 * YUAN);
        assertEq(relief.project(own).funded, 30_000 * YUAN);
        vm.expectRevert(abi.encodeWithSelector(IReliefLedger.ReliefLedgerProjectExists.selector, own));
        vm.prank(township);
        relief.createProject(code, PROG_A, producer, 1, 1, docOf("road plan", 2));
    }

    /// Codes are 1 to 64 bytes, for programmes and projects alike; a valid one gives the creator's namespaced id.
    function testFuzz_createProgrammeAndProject_codeLength(uint256 length, bytes1 fill) public {
        length = bound(length, 0, 160);
        bytes memory raw = new bytes(length);
        for (uint256 i = 0; i < length; ++i) raw[i] = fill;
        string memory code = string(raw);
        bool valid = length != 0 && length <= 64;
        bytes memory invalid = abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidCode.selector, length);

        if (!valid) vm.expectRevert(invalid);
        vm.prank(countyFinance);
        bytes32 programmeId = relief.createProgramme(code, _terms(1, 1, 1_000 * YUAN, 1_000 * YUAN), docOf("b", 1));
        if (valid) {
            assertEq(programmeId, namespacedId(countyFinance, code));
            assertEq(relief.programme(programmeId).finance, countyFinance);
        }

        if (!valid) vm.expectRevert(invalid);
        vm.prank(township);
        bytes32 projectId = relief.createProject(code, PROG_A, producer, 1, 1, docOf("p", 1));
        if (valid) {
            assertEq(projectId, namespacedId(township, code));
            assertEq(relief.project(projectId).holder, township);
        }
    }
}
