// SPDX-License-Identifier: Apache-2.0
// solhint-disable func-name-mixedcase, gas-increment-by-one
pragma solidity ^0.8.24;

import {TraceUnitsFixture} from "../utils/TraceUnitsFixture.sol";

/**
 * @dev Named gas figures of serialised items and containers, committed in snapshots/TraceUnits.json
 * (`--snapshot-check` fails when they change; the commit that changes them says why), and the pallet
 * benchmark of bench/RESULTS.md ("Serialised items and pallets"): commissioning, packing and unpacking a
 * pallet of 1, 10 and 100 serialised boxes, and shipping and accepting the pallet, whose cost does not grow
 * with what it holds. Set-up commissions the boxes in its own transaction; each measured call is the first of
 * its test's transaction and finds storage cold. `vm.snapshotGasLastCall` records the execution gas of the
 * call; a transaction also pays 21,000 and its calldata (32 bytes per listed unit).
 */
contract TraceUnitsGasTest is TraceUnitsFixture {
    bytes32[] internal box1;
    bytes32[] internal box10;
    bytes32[] internal box100;
    bytes32 internal pallet100;
    bytes32 internal pallet10;

    function setUp() public override {
        super.setUp();
        box1 = _items(producerA, APPLE, 1);
        box10 = _items(producerA, APPLE, 10);
        box100 = _items(producerA, APPLE, 100);
        bytes32[] memory more = _items(producerA, APPLE, 100);
        pallet100 = _pack(producerA, more);
        pallet10 = _pack(producerA, _items(producerA, APPLE, 10));
        _shipUnit(pallet10, producerA, logistics);
    }

    function _commissionN(uint256 n, string memory name) internal {
        bytes32[] memory serials = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) serials[i] = bytes32(bytes(string.concat("G", vm.toString(i))));
        vm.prank(producerB);
        units.commissionItems(MILK, 0, serials, _uctx());
        vm.snapshotGasLastCall("TraceUnits", name);
    }

    function test_gas_commissionItems_1() public {
        _commissionN(1, "commissionItems_1");
    }

    function test_gas_commissionItems_10() public {
        _commissionN(10, "commissionItems_10");
    }

    function test_gas_commissionItems_100() public {
        _commissionN(100, "commissionItems_100");
    }

    function _packN(bytes32[] memory boxes, string memory name) internal {
        uint64 sscc = _freshSscc();
        vm.prank(producerA);
        units.pack(producerA, sscc, boxes, new bytes32[](0), _uctx());
        vm.snapshotGasLastCall("TraceUnits", name);
    }

    function test_gas_pack_1() public {
        _packN(box1, "pack_1");
    }

    function test_gas_pack_10() public {
        _packN(box10, "pack_10");
    }

    function test_gas_pack_100() public {
        _packN(box100, "pack_100");
    }

    function test_gas_unpack_100() public {
        bytes32[] memory all = new bytes32[](100);
        for (uint256 i = 0; i < 100; ++i)
            all[i] = units.itemId(APPLE, bytes32(bytes(string.concat("S", vm.toString(112 + i)))));
        vm.prank(producerA);
        units.unpack(pallet100, all, new bytes32[](0), _uctx());
        vm.snapshotGasLastCall("TraceUnits", "unpack_100");
    }

    function test_gas_shipPallet_100() public {
        vm.prank(producerA);
        units.ship(pallet100, logistics, _uctx());
        vm.snapshotGasLastCall("TraceUnits", "ship_pallet_100");
    }

    function test_gas_acceptPallet_10() public {
        vm.prank(logistics);
        units.accept(pallet10, _uctx());
        vm.snapshotGasLastCall("TraceUnits", "accept_pallet_10");
    }

    function test_gas_observe_10() public {
        vm.prank(producerA);
        units.observe(box10, 2, _uctx());
        vm.snapshotGasLastCall("TraceUnits", "observe_10");
    }

    function test_gas_recordTransaction() public {
        bytes32[] memory po = new bytes32[](1);
        po[0] = keccak256("po");
        bytes32[] memory pallet = new bytes32[](1);
        pallet[0] = pallet100;
        vm.prank(producerA);
        units.recordTransaction(keccak256("event"), true, po, pallet, new bytes32[](0), _uctx());
        vm.snapshotGasLastCall("TraceUnits", "recordTransaction");
    }

    function test_gas_recordAssociation() public {
        bytes32[] memory sensors = new bytes32[](1);
        sensors[0] = keccak256("giai");
        vm.prank(producerA);
        units.recordAssociation(keccak256("event"), keccak256("grai crate"), sensors, true, _uctx());
        vm.snapshotGasLastCall("TraceUnits", "recordAssociation");
    }
}
