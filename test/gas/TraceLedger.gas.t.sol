// SPDX-License-Identifier: Apache-2.0
// solhint-disable func-name-mixedcase
pragma solidity ^0.8.24;

import {ITraceLedger} from "../../contracts/interfaces/ITraceLedger.sol";
import {GLN_WAREHOUSE, KGM, TraceLedgerFixture, contextOf} from "../utils/TraceLedgerFixture.sol";

/**
 * @dev Named gas figures of the traceability ledger's everyday calls, committed in
 * snapshots/TraceLedger.json. `npm test` fails when they change (`--snapshot-check`);
 * `npm run gas:snapshot` records new ones, and the commit that changes them says why.
 *
 * Figures are for a ledger in use: set-up (in `setUp`, a transaction of its own) registers the
 * products, builds a chain of ten splits, recalls an unrelated batch (so the chain's recall caches
 * are stale) and then commissions the batches the writes act on, with one shipment pending; each
 * measured call is the first of its test's transaction and finds storage cold, as a real transaction
 * does. `vm.snapshotGasLastCall` records the execution gas of the call; a transaction also pays 21,000
 * and its calldata.
 */
contract TraceLedgerGasTest is TraceLedgerFixture {
    uint256 internal constant DEPTH = 10;
    uint256 internal constant PARTS = 10;

    bytes32 internal leaf;
    bytes32 internal stock;
    bytes32 internal pending;
    bytes32 internal mergeA;
    bytes32 internal mergeB;

    function setUp() public override {
        super.setUp();
        // A chain of ten splits: the leaf's lineage is 11 batches.
        leaf = _commission(producerA, APPLE, 1_000_000);
        for (uint256 i = 0; i < DEPTH; ++i) {
            uint256 q = trace.batch(leaf).quantity;
            (leaf, ) = _split2(leaf, producerA, q - q / 4, q / 4);
        }
        _recall(_commission(producerA, APPLE, 1000)); // elsewhere in the city
        assertEq(trace.batch(leaf).lineage, DEPTH + 1);
        assertTrue(trace.batch(leaf).cleanAtRecall != trace.recallCount(), "cache stale");

        stock = _commission(producerA, APPLE, 10_000_000);
        mergeA = _commission(producerA, APPLE, 250_000);
        mergeB = _commission(producerA, APPLE, 750_000);
        pending = _commission(producerA, APPLE, 500_000);
        _ship(pending, producerA, logistics);
    }

    function test_gas_commissionBatch() public {
        ITraceLedger.Commission memory c = ITraceLedger.Commission({
            productCode: APPLE,
            lotCode: "LOT-2025-0615-A",
            quantity: 1_500_000,
            uom: KGM,
            giCertificate: 0
        });
        ITraceLedger.Context memory ctx = _ctx();
        vm.prank(producerA);
        trace.commissionBatch(c, ctx);
        vm.snapshotGasLastCall("TraceLedger", "commissionBatch");
    }

    function test_gas_recordEvent() public {
        ITraceLedger.Context memory ctx = _ctx();
        vm.prank(producerA);
        trace.recordEvent(stock, 7, ctx); // storing
        vm.snapshotGasLastCall("TraceLedger", "recordEvent");
    }

    function test_gas_ship() public {
        ITraceLedger.Context memory ctx = _ctx();
        vm.prank(producerA);
        trace.ship(stock, logistics, ctx);
        vm.snapshotGasLastCall("TraceLedger", "ship");
    }

    function test_gas_accept() public {
        ITraceLedger.Context memory ctx = contextOf(GLN_WAREHOUSE, block.timestamp, keccak256("receiving"));
        vm.prank(logistics);
        trace.accept(pending, ctx);
        vm.snapshotGasLastCall("TraceLedger", "accept");
    }

    /// @dev Ten children of 1,000 kg each.
    function test_gas_split_10() public {
        bytes32[] memory lots = new bytes32[](PARTS);
        uint128[] memory quantities = new uint128[](PARTS);
        for (uint256 i = 0; i < PARTS; ++i) {
            lots[i] = bytes32(bytes.concat("LOT-2025-0615-S", bytes1(uint8(65 + i))));
            quantities[i] = 1_000_000;
        }
        ITraceLedger.Context memory ctx = _ctx();
        vm.prank(producerA);
        trace.split(stock, lots, quantities, ctx);
        vm.snapshotGasLastCall("TraceLedger", "split_10");
    }

    function test_gas_merge_2() public {
        ITraceLedger.Context memory ctx = _ctx();
        bytes32[] memory inputs = _pair(mergeA, mergeB);
        vm.prank(producerA);
        trace.merge(inputs, "LOT-2025-0615-M", ctx);
        vm.snapshotGasLastCall("TraceLedger", "merge_2");
    }

    /// @dev The whole lineage of the leaf (11 batches) is walked: a recall elsewhere made its cache stale.
    function test_gas_isRecalled_depth10() public {
        bool recalled = trace.isRecalled(leaf);
        vm.snapshotGasLastCall("TraceLedger", "isRecalled_depth10");
        assertFalse(recalled);
    }
}
