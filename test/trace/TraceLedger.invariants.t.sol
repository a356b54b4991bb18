// SPDX-License-Identifier: Apache-2.0
// Foundry conventions (test names `test_<what>`, `testFuzz_<fn>_<what>`, `invariant_<rule>`); gas hints do not
// apply to test code.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {ITraceLedger} from "../../contracts/interfaces/ITraceLedger.sol";
import {TraceLedgerHandler} from "../handlers/TraceLedgerHandler.sol";
import {TraceLedgerFixture, H87, KGM, T0} from "../utils/TraceLedgerFixture.sol";

contract TraceLedgerInvariantTest is TraceLedgerFixture {
    TraceLedgerHandler internal handler;

    /// @dev Certificates with ceilings the handler reaches: 3 kg of peel and 0.5 kg of 陈皮.
    uint128 internal constant SMALL_PEEL_CEILING = 3_000_000;
    uint128 internal constant SMALL_CHENPI_CEILING = 500_000;

    function setUp() public override {
        super.setUp();
        handler = new TraceLedgerHandler(
            trace,
            registry,
            marketRegulator,
            inspector,
            stranger,
            [producerA, producerB, logistics, retailerA, retailerB]
        );
        handler.noteProduct(APPLE, producerA, ITraceLedger.Category.Agricultural, false);
        handler.noteProduct(PEEL, producerA, ITraceLedger.Category.Agricultural, true);
        handler.noteProduct(MILK, producerB, ITraceLedger.Category.Food, false);
        handler.noteProduct(CHENPI, producerA, ITraceLedger.Category.Food, true);
        handler.noteGiCertificate(producerA, 2, KGM, uint64(T0 + GI_VALIDITY), PEEL_CEILING);
        handler.noteGiCertificate(producerA, 4, KGM, uint64(T0 + GI_VALIDITY), CHENPI_CEILING);
        uint64 until = uint64(T0 + 60 days); // expires during some runs
        vm.startPrank(marketRegulator);
        trace.issueGiCertificate(producerA, PEEL, KGM, SMALL_PEEL_CEILING, until, keccak256("small peel"));
        trace.issueGiCertificate(producerA, CHENPI, KGM, SMALL_CHENPI_CEILING, until, keccak256("small chenpi"));
        vm.stopPrank();
        handler.noteGiCertificate(producerA, 2, KGM, until, SMALL_PEEL_CEILING);
        handler.noteGiCertificate(producerA, 4, KGM, until, SMALL_CHENPI_CEILING);

        _seedStock();
        _targetHandler();
    }

    /// @dev Stock in every hand: apples (also by the piece) and labelled peel at producer A, milk (also by
    /// the piece) at producer B, apples at the logistics company, apples and certified milk at the retailers.
    function _seedStock() internal {
        handler.seedBatch(0, 500_000, KGM, 0);
        handler.seedBatch(1, 800_000, KGM, 3);
        handler.seedBatch(1, 200_000, KGM, 0);
        handler.seedBatch(2, 300_000, KGM, 0);
        handler.seedBatch(0, 2_000, H87, 0);
        handler.seedBatch(2, 1_000, H87, 0);
        handler.seedHandOver(handler.seedBatch(0, 400_000, KGM, 0), logistics);
        handler.seedHandOver(handler.seedBatch(0, 100_000, KGM, 0), retailerA);
        handler.seedHandOver(handler.seedBatch(0, 100_000, KGM, 0), retailerB);
        handler.seedHandOver(handler.seedCertified(handler.seedBatch(2, 50_000, KGM, 0), T0 + 365 days), retailerA);
        handler.seedHandOver(handler.seedCertified(handler.seedBatch(2, 50_000, KGM, 0), T0 + 365 days), retailerB);
    }

    function _targetHandler() internal {
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](16);
        selectors[0] = TraceLedgerHandler.commission.selector;
        selectors[1] = TraceLedgerHandler.ship.selector;
        selectors[2] = TraceLedgerHandler.accept.selector;
        selectors[3] = TraceLedgerHandler.cancelShipment.selector;
        selectors[4] = TraceLedgerHandler.split.selector;
        selectors[5] = TraceLedgerHandler.merge.selector;
        selectors[6] = TraceLedgerHandler.transform.selector;
        selectors[7] = TraceLedgerHandler.sell.selector;
        selectors[8] = TraceLedgerHandler.destroy.selector;
        selectors[9] = TraceLedgerHandler.certify.selector;
        selectors[10] = TraceLedgerHandler.recall.selector;
        selectors[11] = TraceLedgerHandler.acknowledgeRecall.selector;
        selectors[12] = TraceLedgerHandler.toggleSuspension.selector;
        selectors[13] = TraceLedgerHandler.warp.selector;
        selectors[14] = TraceLedgerHandler.relay.selector;
        selectors[15] = TraceLedgerHandler.squatEventId.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// One campaign checks every rule below after every call. (A campaign per rule made the fuzzer repeat
    /// the same handler calls once per rule: 6 times the work for the same sequences.)
    function invariant_everyRule() public view {
        _checkOutcomesMatchModel();
        assertEq(handler.ghostRecalledMoves(), 0, "a recalled lineage moved");
        assertEq(handler.ghostForeignActs(), 0, "someone other than the custodian acted");
        uint256 certificates = trace.giCertificateCount();
        assertEq(certificates, handler.giCount(), "certificate count");
        uint256[] memory labelled = new uint256[](certificates + 1);
        uint256 existing = 0;
        uint256 n = handler.batchCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.batchIds(i);
            ITraceLedger.Batch memory b = trace.batch(id);
            _checkBatch(id, b, handler.ghostBatch(id));
            // Conservation per lot (issue 19): what a batch holds unless consumed into others, plus what it sold
            // or destroyed in part before (parts shipped off are batches of their own).
            ITraceLedger.Flows memory f = trace.flowsOf(id);
            uint256 kept = (b.status == ITraceLedger.BatchStatus.Consumed ? 0 : b.quantity) + f.sold + f.destroyed;
            existing += kept;
            labelled[b.giCertificate] += kept;
        }
        assertEq(existing, handler.ghostTotal(), "kept = commissioned + transformed out - transformed in");
        _checkGiMassBalance(labelled);
        _checkRecallsAccounted();
    }

    /// Every rule on one batch, read once from the ledger and once from the model (almost all of a
    /// campaign's time is this check):
    /// - rule (a): split and merge conserve quantity and a transformation yields sum * ratio / 1e6: every
    ///   split parent's children add up to it (what they were made with: a child may since have sold,
    ///   destroyed or shipped off part of itself), every merge output to its parents, every transformation
    ///   output to floor(parents * ratioPpm / 1e6); quantity, status and parents are the model's (the sum of
    ///   the non-consumed batches is checked by the caller);
    /// - rule (b): a batch whose lineage was recalled never moved or sold (ghost count of such successes
    ///   stays 0, the handler tries them); isRecalled equals a full walk of the ghost lineage, and no such
    ///   batch is sellable;
    /// - rule (c): only the custodian acts (the receiver accepts or refuses): no call by anyone else ever
    ///   succeeded, and the batch's custodian, role and pending receiver are the model's.
    function _checkBatch(
        bytes32 id,
        ITraceLedger.Batch memory b,
        TraceLedgerHandler.GhostBatch memory g
    ) internal view {
        assertEq(uint8(b.status), uint8(g.status), "status");
        assertEq(b.quantity, g.quantity, "quantity");
        bytes32[] memory parents = trace.parentsOf(id);
        assertEq(keccak256(abi.encode(parents)), keccak256(abi.encode(g.parents)), "parents");
        ITraceLedger.Flows memory f = trace.flowsOf(id);
        uint256 made = uint256(b.quantity) + f.sold + f.destroyed + f.shippedOff;
        assertEq(f.destroyed, g.destroyed, "destroyed in part");
        if (g.origin == TraceLedgerHandler.Origin.Merged) {
            assertEq(made, _sumQuantities(parents), "merge output = sum of its inputs");
        } else if (g.origin == TraceLedgerHandler.Origin.Transformed) {
            assertEq(made, (_sumQuantities(parents) * g.ratioPpm) / 1e6, "transformation ratio");
            assertEq(trace.ratioOf(id), g.ratioPpm, "ratio kept for recall accounting");
        }
        if (g.children.length != 0) {
            assertEq(_sumMade(g.children), b.quantity, "split children = parent");
        }

        bool recalled = handler.lineageRecalled(id);
        assertEq(trace.isRecalled(id), recalled, "isRecalled = ghost walk");
        if (recalled) assertFalse(trace.isSellable(id), "recalled: not sellable");

        assertEq(b.custodian, g.custodian, "custodian");
        assertEq(b.custodianRole, g.custodianRole, "custodian role");
        assertEq(b.receiver, g.receiver, "receiver");
        assertEq(b.receiverRole, g.receiverRole, "receiver role");
    }

    /// Rule (d): each GI certificate's labelled quantity equals the quantity of the non-consumed batches
    /// labelled under it (`labelled`, summed from the ledger), is the model's, and never exceeds the ceiling.
    function _checkGiMassBalance(uint256[] memory labelled) internal view {
        uint256 all = 0;
        for (uint32 k = 1; k < labelled.length; ++k) all += labelled[k];
        assertLe(all, handler.ghostGiHarvested(), "GI mass never created: labelled <= harvested under a label");
        for (uint32 k = 1; k < labelled.length; ++k) {
            ITraceLedger.GiCertificate memory c = trace.giCertificate(k);
            assertEq(c.labelled, labelled[k], "labelled = existing labelled batches");
            assertLe(c.labelled, c.ceiling, "labelled <= ceiling");
            assertEq(c.labelled, handler.ghostGi(k).labelled, "labelled = model");
        }
    }

    /// Rule: every recall's affected quantity, unit, acknowledgements and accounted quantity are the model's.
    function _checkRecallsAccounted() internal view {
        uint256 n = handler.recallCount();
        assertEq(trace.recallCount(), n, "recall count");
        for (uint32 k = 1; k <= n; ++k) {
            ITraceLedger.Recall memory r = trace.recallInfo(k);
            TraceLedgerHandler.GhostRecall memory g = handler.ghostRecall(k);
            assertEq(r.batchId, g.batchId, "recalled batch");
            assertEq(r.uom, g.uom, "unit");
            assertEq(r.affected, g.affected, "affected");
            assertEq(r.accounted, g.accounted, "accounted");
            assertEq(r.acknowledgements, g.acknowledgements, "acknowledgements");
            assertLe(r.accounted, r.affected, "accounted <= affected");
        }
    }

    /// Rule: every call succeeded or failed, with the exact error and return value, as the model predicts.
    function _checkOutcomesMatchModel() internal view {
        assertEq(handler.mismatches(), 0, handler.firstMismatch());
    }

    /// The handler reaches every path: a fixed pseudo-random sequence of 300 actions succeeds and
    /// fails at every action, tries recalled moves and foreign callers, and keeps every invariant.
    function test_handler_exercisesEveryAction() public {
        for (uint256 i = 0; i < 300; ++i) {
            uint256[4] memory r;
            for (uint256 k = 0; k < 4; ++k) r[k] = uint256(keccak256(abi.encode("drive", i, k)));
            _drive(r[0] % 14, r);
            if (i % 10 == 9) handler.relay(r[2]);
            if (i % 10 == 4) handler.squatEventId(r[1], r[2], r[3]);
        }
        emit log(handler.summary());
        for (uint256 a = 0; a < 12; ++a) {
            assertGt(handler.successes(a), 0, string.concat("action ", vm.toString(a), " never succeeded"));
            assertGt(handler.calls(a), handler.successes(a), string.concat("action ", vm.toString(a), " never failed"));
        }
        assertGt(handler.successes(12), 0, "suspensions");
        assertGt(handler.calls(14), 0, "relays tried");
        assertEq(handler.successes(14), 0, "a relay went through");
        assertGt(handler.successes(15), 0, "a squat and its partner's own event under the same id, both recorded");
        assertGt(handler.recalledMoveAttempts(), 0, "recalled moves tried");
        assertGt(handler.foreignAttempts(), 0, "foreign callers tried");
        invariant_everyRule();
    }

    function _drive(uint256 action, uint256[4] memory r) internal {
        if (action == 0) handler.commission(r[1], r[2], r[3], r[0]);
        else if (action == 1) handler.ship(r[1], r[2], r[3], r[0]);
        else if (action == 2) handler.accept(r[1], r[2], r[3]);
        else if (action == 3) handler.cancelShipment(r[1], r[2]);
        else if (action == 4) handler.split(r[1], r[2], r[3], r[0]);
        else if (action == 5) handler.merge(r[1], r[2], r[3], r[0]);
        else if (action == 6) handler.transform(r[1], r[2], r[3], r[0]);
        else if (action == 7) handler.sell(r[1], r[2], r[3]);
        else if (action == 8) handler.destroy(r[1], r[2], r[3]);
        else if (action == 9) handler.certify(r[1], r[2], r[3]);
        else if (action == 10) handler.recall(r[1], r[2]);
        else if (action == 11) handler.acknowledgeRecall(r[1], r[2], r[3], r[0]);
        else if (action == 12) handler.toggleSuspension(r[1]);
        else if (action == 13) handler.warp(r[1] % 3 days);
        else handler.relay(r[1]);
    }

    /// @dev What the batches were made with: what each holds, plus what it sold, destroyed (a recall
    /// acknowledgement destroys part of a batch) or shipped off in part since.
    function _sumMade(bytes32[] memory ids) internal view returns (uint256 sum) {
        for (uint256 i = 0; i < ids.length; ++i) {
            ITraceLedger.Flows memory f = trace.flowsOf(ids[i]);
            sum += uint256(trace.batch(ids[i]).quantity) + f.sold + f.destroyed + f.shippedOff;
        }
    }

    function _sumQuantities(bytes32[] memory ids) internal view returns (uint256 sum) {
        for (uint256 i = 0; i < ids.length; ++i) sum += trace.batch(ids[i]).quantity;
    }
}
