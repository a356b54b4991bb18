// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ReliefLedger} from "../../contracts/relief/ReliefLedger.sol";

/**
 * @title ReliefLedgerV2
 * @notice A second version of the relief ledger for the upgrade test (test/upgrade/upgrade.ts): the same
 * storage and functions, and one new rule: no single movement of money out of a holding (an allocation,
 * a return, a project's funding, a disbursement) may exceed `MAX_MOVEMENT`.
 * @dev It lives with the tests: it shows how a version 2 is written (inherit or edit in place, append
 * storage only, raise `version()`) and is checked against version 1's recorded storage layout like any
 * real one (scripts/upgrade-layouts.ts). It adds no state, so it needs no initializer of its own: the proxy
 * was initialized by version 1 (a version that adds state would add a `reinitializer(2)`).
 * @custom:oz-upgrades-unsafe-allow missing-initializer
 */
contract ReliefLedgerV2 is ReliefLedger {
    /// @notice The largest single movement out of a holding, in fen (500,000 yuan).
    uint96 public constant MAX_MOVEMENT = 500_000 * 100;

    /// @notice A movement of `amount` fen out of `holder`'s holding in `programmeId` is above `maximum`.
    error ReliefLedgerV2MovementTooLarge(bytes32 programmeId, address holder, uint96 amount, uint96 maximum);

    /// @inheritdoc ReliefLedger
    function version() external pure override returns (uint256) {
        return 2;
    }

    function _debit(bytes32 programmeId, address holder_, uint96 amount) internal override returns (Holding storage) {
        if (amount > MAX_MOVEMENT) revert ReliefLedgerV2MovementTooLarge(programmeId, holder_, amount, MAX_MOVEMENT);
        return super._debit(programmeId, holder_, amount);
    }
}
