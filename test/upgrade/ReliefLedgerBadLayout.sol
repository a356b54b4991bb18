// solhint-disable one-contract-per-file
// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ReliefLedger} from "../../contracts/relief/ReliefLedger.sol";

/// @dev A base with one storage variable of its own. Inherited before ReliefLedger, it takes slot 0 and
/// shifts every ledger variable by one slot: programmes would be read from where the id list was.
abstract contract InsertedCounter {
    uint256 internal _insertedCounter;
}

/**
 * @title ReliefLedgerBadLayout
 * @notice A version 2 that must be refused: its storage layout is incompatible with version 1's
 * (test/upgrade/upgrade.ts shows scripts/upgrade-layouts.ts refusing it).
 */
contract ReliefLedgerBadLayout is InsertedCounter, ReliefLedger {
    /// @inheritdoc ReliefLedger
    function version() external pure override returns (uint256) {
        return 2;
    }
}
