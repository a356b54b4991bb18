// SPDX-License-Identifier: Apache-2.0
// solhint-disable func-name-mixedcase
pragma solidity ^0.8.24;

import {MINIMUM_LIVING_ALLOWANCE, ReliefLedgerFixture, YUAN, keyOf} from "../utils/ReliefLedgerFixture.sol";

/**
 * @dev Named gas figures of the relief ledger's hot paths, committed in snapshots/ReliefLedger.json.
 * `npm test` fails when they change (`--snapshot-check`); `npm run gas:snapshot` records new ones, and
 * the commit that changes them says why.
 *
 * Figures are for a ledger in use: set-up (in `setUp`, a transaction of its own) builds the fixture's two
 * programmes with their allocation trees and attested beneficiaries, pays beneficiary 1 for period 1,
 * leaves two more of its payments pending (so the village's reserved and disbursed counters and the
 * programme's are not zero) and registers a beneficiary with no attestation yet; each measured call is
 * the first of its test's transaction and finds storage cold, as a real transaction does.
 * `vm.snapshotGasLastCall` records the execution gas of the call; a transaction also pays 21,000 and
 * its calldata.
 */
contract ReliefLedgerGasTest is ReliefLedgerFixture {
    bytes32 internal pending;
    bytes32 internal fresh;

    function setUp() public override {
        super.setUp();
        _approve(_propose(PROG_A, villageA, 1, key1, 800 * YUAN), ruralAffairs);
        pending = _propose(PROG_A, villageA, 2, key1, 800 * YUAN);
        _propose(PROG_A, villageA, 3, key1, 800 * YUAN);
        fresh = keyOf("gas", 1);
        _registerBeneficiary(fresh, villageB);
        _consent(PROG_A, township, villageB);
    }

    /// @dev The township's first allocation to village B in programme A, which accepted the township as its
    /// parent (`setParent`) beforehand: village B becomes a holder of it.
    function test_gas_allocate_newHolder() public {
        vm.prank(township);
        relief.allocate(PROG_A, villageB, uint96(50_000 * YUAN), keccak256("allocation notice 2025-07"));
        vm.snapshotGasLastCall("ReliefLedger", "allocate_newHolder");
    }

    function test_gas_proposeDisbursement() public {
        vm.prank(villageA);
        relief.proposeDisbursement(PROG_A, 4, key1, uint96(800 * YUAN), keccak256("payment instruction 2025-04"));
        vm.snapshotGasLastCall("ReliefLedger", "proposeDisbursement");
    }

    /// @dev Rural affairs B approves village A's pending payment on the terms it reviewed; the beneficiary's
    /// village and eligibility are checked again.
    function test_gas_approveDisbursement() public {
        vm.prank(ruralAffairsB);
        relief.approveDisbursement(pending, uint96(800 * YUAN), keccak256(abi.encode("payment", 800 * YUAN)));
        vm.snapshotGasLastCall("ReliefLedger", "approveDisbursement");
    }

    function test_gas_attest() public {
        vm.prank(civilAffairs);
        relief.attest(fresh, MINIMUM_LIVING_ALLOWANCE, keccak256("dibao certificate 2025-0117"));
        vm.snapshotGasLastCall("ReliefLedger", "attest");
    }
}
