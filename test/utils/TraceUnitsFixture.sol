// SPDX-License-Identifier: Apache-2.0
// The serialised-units fixture, shared by TraceUnits' example, fuzz, invariant and gas tests.
// solhint-disable func-name-mixedcase, one-contract-per-file, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {ITraceUnits} from "../../contracts/interfaces/ITraceUnits.sol";
import {TraceUnits} from "../../contracts/trace/TraceUnits.sol";
import {TraceLedgerFixture, decimal} from "./TraceLedgerFixture.sol";
import {behindProxy} from "./BehindProxy.sol";
import {Wiring} from "./Wiring.sol";

/// @dev An SSCC (18 digits) from a 17-digit body, with its GS1 check digit.
function ssccOf(uint64 body) pure returns (uint64) {
    uint256 rest = body;
    uint256 sum = 0;
    for (uint256 i = 0; i < 17; ++i) {
        sum += (rest % 10) * (i % 2 == 0 ? 3 : 1);
        rest /= 10;
    }
    return uint64(uint256(body) * 10 + ((10 - (sum % 10)) % 10));
}

/// @dev Serial number `S<n>`: printable ASCII, left-aligned.
function serialOf(uint256 n) pure returns (bytes32) {
    return bytes32(bytes(string.concat("S", decimal(n))));
}

/**
 * @dev TraceUnits as deploy/modules/TraceUnits.ts deploys it beside the trace fixture's ledger: behind a
 * transparent proxy, initialized with the manager and the ledger, wired as deploy/wiring.ts says.
 */
abstract contract TraceUnitsFixture is TraceLedgerFixture {
    TraceUnits internal units;
    uint256 private _serialCount;
    uint64 private _ssccCount;

    function setUp() public virtual override {
        super.setUp();
        address implementation = address(new TraceUnits());
        bytes memory init = abi.encodeCall(TraceUnits.initialize, (address(manager), address(trace)));
        units = TraceUnits(address(behindProxy(implementation, address(manager), init)));
        Wiring.traceUnits(manager, address(units));
    }

    function _uctx() internal view returns (ITraceUnits.Context memory) {
        return
            ITraceUnits.Context({
                location: 6_901_234_500_017,
                eventTime: uint64(block.timestamp),
                evidenceHash: keccak256(abi.encode("EPCIS document", block.timestamp)),
                eventId: bytes32(0)
            });
    }

    function _freshSerials(uint256 n) internal returns (bytes32[] memory serials) {
        serials = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) serials[i] = serialOf(++_serialCount);
    }

    /// @dev `n` fresh serialised items of `productCode`, commissioned by `by` (no lot).
    function _items(address by, bytes32 productCode, uint256 n) internal returns (bytes32[] memory) {
        bytes32[] memory serials = _freshSerials(n);
        vm.prank(by);
        return units.commissionItems(productCode, 0, serials, _uctx());
    }

    function _freshSscc() internal returns (uint64) {
        return ssccOf(6_901_234_000_000_000 + ++_ssccCount);
    }

    /// @dev `by` packs `contents` into a fresh SSCC of its own.
    function _pack(address by, bytes32[] memory contents) internal returns (bytes32) {
        uint64 sscc = _freshSscc();
        vm.prank(by);
        return units.pack(by, sscc, contents, new bytes32[](0), _uctx());
    }

    function _shipUnit(bytes32 id, address from, address to) internal {
        vm.prank(from);
        units.ship(id, to, _uctx());
    }

    function _acceptUnit(bytes32 id, address by) internal {
        vm.prank(by);
        units.accept(id, _uctx());
    }

    function _holder(bytes32 id) internal view returns (address holder) {
        (holder, , ) = units.holderOf(id);
    }

    function _errNotHolder(bytes32 id, address caller, address holder) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceUnits.TraceUnitsNotHolder.selector, id, caller, holder);
    }

    function _errPacked(bytes32 id, bytes32 containerId) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITraceUnits.TraceUnitsAlreadyPacked.selector, id, containerId);
    }
}
