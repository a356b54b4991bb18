// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings, function-max-lines
pragma solidity ^0.8.24;

import {Roles} from "../../contracts/access/Roles.sol";
import {IReliefLedger} from "../../contracts/interfaces/IReliefLedger.sol";
import {ReliefLedgerHandler} from "../handlers/ReliefLedgerHandler.sol";
import {ReliefLedgerFixture, MONITORED_HOUSEHOLD, bitOf} from "../utils/ReliefLedgerFixture.sol";

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
