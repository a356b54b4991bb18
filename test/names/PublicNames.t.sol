// SPDX-License-Identifier: Apache-2.0
// solhint-disable func-name-mixedcase, gas-small-strings
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {ICharityLedger} from "../../contracts/interfaces/ICharityLedger.sol";
import {IPublicNames} from "../../contracts/interfaces/IPublicNames.sol";
import {ITraceLedger} from "../../contracts/interfaces/ITraceLedger.sol";
import {PublicNames} from "../../contracts/names/PublicNames.sol";
import {behindProxy, deployArtifact} from "../utils/BehindProxy.sol";
import {ReliefLedgerFixture, YUAN} from "../utils/ReliefLedgerFixture.sol";
import {Wiring} from "../utils/Wiring.sol";

/// @dev Who may name what: only a record's creator (read from its ledger), active, once per distinct name; a
/// location by any active organisation for itself.
contract PublicNamesTest is ReliefLedgerFixture {
    ICharityLedger internal charityLedger;
    ITraceLedger internal trace;
    PublicNames internal names;

    address internal charity;
    address internal otherCharity;
    bytes32 internal charityProject;
    bytes32 internal constant GTIN = "06901234500028";

    function setUp() public override {
        super.setUp();
        charityLedger = ICharityLedger(
            behindProxy(
                deployArtifact("CharityLedger.sol:CharityLedger"),
                address(manager),
                abi.encodeWithSignature("initialize(address)", address(manager))
            )
        );
        Wiring.charityLedger(manager, address(charityLedger));
        trace = ITraceLedger(
            behindProxy(
                deployArtifact("TraceLedger.sol:TraceLedger"),
                address(manager),
                abi.encodeWithSignature("initialize(address)", address(manager))
            )
        );
        Wiring.traceLedger(manager, address(trace));
        names = new PublicNames(address(manager), registry, charityLedger, trace, relief);
        Wiring.publicNames(manager, address(names));

        charity = makeAddr("charity");
        otherCharity = makeAddr("otherCharity");
        _register(charity, uint8(Roles.CHARITY));
        _register(otherCharity, uint8(Roles.CHARITY));
        vm.prank(charity);
        charityProject = charityLedger.proposeProject("JM-FLOOD-2026", 1_000_000_00, keccak256("permit"), 0);
        vm.prank(producer);
        trace.registerProduct(GTIN, ITraceLedger.Category.Agricultural, producer, true, keccak256("chenpi"));
    }

    function test_creatorsNameTheirRecords() public {
        vm.expectEmit(address(names));
        emit IPublicNames.CharityProjectNamed(charityProject, charity, unicode"江门洪灾救助");
        vm.prank(charity);
        names.nameCharityProject(charityProject, unicode"江门洪灾救助");

        vm.expectEmit(address(names));
        emit IPublicNames.ProgrammeNamed(PROG_A, finance, unicode"最低生活保障金");
        vm.prank(finance);
        names.nameProgramme(PROG_A, unicode"最低生活保障金");

        vm.expectEmit(address(names));
        emit IPublicNames.PeriodNamed(PROG_A, 5, finance, "2025-05", unicode"2025年5月");
        vm.prank(finance);
        names.namePeriod(PROG_A, 5, "2025-05", unicode"2025年5月");

        bytes32 road = _createProject(ROAD, PROG_A, township, 30_000 * YUAN, 1);
        vm.expectEmit(address(names));
        emit IPublicNames.ReliefProjectNamed(road, PROG_A, township, unicode"村道硬化");
        vm.prank(township);
        names.nameReliefProject(road, unicode"村道硬化");

        vm.expectEmit(address(names));
        emit IPublicNames.ProductNamed(GTIN, producer, unicode"新会陈皮");
        vm.prank(producer);
        names.nameProduct(GTIN, unicode"新会陈皮");

        vm.expectEmit(address(names));
        emit IPublicNames.LocationNamed(producer, 6901234000004, unicode"新会陈皮仓库");
        vm.prank(producer);
        names.nameLocation(6901234000004, unicode"新会陈皮仓库");

        assertEq(
            names.nameHashOf(IPublicNames.Kind.Product, GTIN, 0),
            keccak256(bytes(unicode"新会陈皮")),
            "the product's name hash"
        );
        assertEq(
            names.nameHashOf(IPublicNames.Kind.Location, bytes32(uint256(6901234000004)), uint160(producer)),
            keccak256(bytes(unicode"新会陈皮仓库")),
            "the location's name hash, scoped to the producer"
        );
    }

    function test_onlyTheCreatorNamesARecord() public {
        _expectNotCreator(IPublicNames.Kind.CharityProject, charityProject, otherCharity, charity);
        vm.prank(otherCharity);
        names.nameCharityProject(charityProject, "squatted");

        _expectNotCreator(IPublicNames.Kind.CharityProject, charityProject, civilAffairs, charity);
        vm.prank(civilAffairs);
        names.nameCharityProject(charityProject, "squatted");

        _expectNotCreator(IPublicNames.Kind.Programme, PROG_A, countyFinance, finance);
        vm.prank(countyFinance);
        names.nameProgramme(PROG_A, "squatted");

        _expectNotCreator(IPublicNames.Kind.Programme, PROG_A, countyFinance, finance);
        vm.prank(countyFinance);
        names.namePeriod(PROG_A, 1, "P1", "squatted");

        bytes32 road = _createProject(ROAD, PROG_A, township, 30_000 * YUAN, 1);
        _expectNotCreator(IPublicNames.Kind.ReliefProject, road, finance, township);
        vm.prank(finance);
        names.nameReliefProject(road, "squatted");

        _expectNotCreator(IPublicNames.Kind.Product, GTIN, marketRegulator, producer);
        vm.prank(marketRegulator);
        names.nameProduct(GTIN, "squatted");
    }

    function test_refusesUnknownRecordsAndPeriods() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPublicNames.PublicNamesUnknownRecord.selector,
                IPublicNames.Kind.CharityProject,
                keccak256("none")
            )
        );
        vm.prank(charity);
        names.nameCharityProject(keccak256("none"), "x");

        vm.expectRevert(
            abi.encodeWithSelector(
                IPublicNames.PublicNamesUnknownRecord.selector,
                IPublicNames.Kind.Product,
                bytes32(uint256(42))
            )
        );
        vm.prank(producer);
        names.nameProduct(bytes32(uint256(42)), "x");

        vm.startPrank(finance);
        vm.expectRevert(abi.encodeWithSelector(IPublicNames.PublicNamesInvalidPeriod.selector, PROG_A, 0, 12));
        names.namePeriod(PROG_A, 0, "P0", "x");
        vm.expectRevert(abi.encodeWithSelector(IPublicNames.PublicNamesInvalidPeriod.selector, PROG_A, 13, 12));
        names.namePeriod(PROG_A, 13, "P13", "x");
        vm.stopPrank();
    }

    function test_refusesTheNameARecordAlreadyHasButAcceptsARename() public {
        vm.startPrank(producer);
        names.nameProduct(GTIN, unicode"新会陈皮");
        vm.expectRevert(
            abi.encodeWithSelector(
                IPublicNames.PublicNamesUnchanged.selector,
                IPublicNames.Kind.Product,
                GTIN,
                unicode"新会陈皮"
            )
        );
        names.nameProduct(GTIN, unicode"新会陈皮");
        names.nameProduct(GTIN, unicode"新会陈皮（三年陈）");
        names.nameProduct(GTIN, unicode"新会陈皮");
        vm.stopPrank();

        vm.startPrank(finance);
        names.namePeriod(PROG_A, 1, "2025-01", unicode"2025年1月");
        vm.expectRevert(
            abi.encodeWithSelector(
                IPublicNames.PublicNamesUnchanged.selector,
                IPublicNames.Kind.Period,
                PROG_A,
                unicode"2025年1月"
            )
        );
        names.namePeriod(PROG_A, 1, "2025-01", unicode"2025年1月");
        names.namePeriod(PROG_A, 2, "2025-01", unicode"2025年1月");
        vm.stopPrank();
    }

    function test_locationNamesAreEachOrganisationsOwn() public {
        vm.prank(producer);
        names.nameLocation(6901234000004, "A");
        // Another organisation naming the same number names its own (organisation, GLN): no squatting either way.
        vm.prank(inspector);
        names.nameLocation(6901234000004, "A");
        vm.prank(producer);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPublicNames.PublicNamesUnchanged.selector,
                IPublicNames.Kind.Location,
                bytes32(uint256(6901234000004)),
                "A"
            )
        );
        names.nameLocation(6901234000004, "A");

        vm.expectRevert(abi.encodeWithSelector(IPublicNames.PublicNamesInactiveOrganisation.selector, stranger));
        vm.prank(stranger);
        names.nameLocation(6901234000004, "B");

        vm.startPrank(producer);
        vm.expectRevert(abi.encodeWithSelector(IPublicNames.PublicNamesInvalidLocation.selector, 0));
        names.nameLocation(0, "B");
        vm.expectRevert(abi.encodeWithSelector(IPublicNames.PublicNamesInvalidLocation.selector, 10_000_000_000_000));
        names.nameLocation(10_000_000_000_000, "B");
        vm.stopPrank();
    }

    function test_refusesEmptyAndOverlongNames() public {
        vm.startPrank(producer);
        vm.expectRevert(abi.encodeWithSelector(IPublicNames.PublicNamesInvalidName.selector, 0, 96));
        names.nameProduct(GTIN, "");
        string memory long = string(new bytes(97));
        vm.expectRevert(abi.encodeWithSelector(IPublicNames.PublicNamesInvalidName.selector, 97, 96));
        names.nameProduct(GTIN, long);
        names.nameProduct(GTIN, string(new bytes(96)));
        vm.stopPrank();
        vm.prank(finance);
        vm.expectRevert(abi.encodeWithSelector(IPublicNames.PublicNamesInvalidName.selector, 33, 32));
        names.namePeriod(PROG_A, 1, string(new bytes(33)), "x");
    }

    function test_aSuspendedCreatorNamesNothing() public {
        _suspend(producer);
        vm.expectRevert(abi.encodeWithSelector(IPublicNames.PublicNamesInactiveOrganisation.selector, producer));
        vm.prank(producer);
        names.nameProduct(GTIN, "x");
    }

    function test_refusesCallsRelayedThroughTheManager() public {
        bytes memory call = abi.encodeCall(IPublicNames.nameLocation, (6901234000004, "A"));
        vm.expectRevert(
            abi.encodeWithSelector(
                IPublicNames.PublicNamesRelayedCall.selector,
                address(manager),
                IPublicNames.nameLocation.selector
            )
        );
        vm.prank(producer);
        manager.execute(address(names), call);
    }

    function test_stopsWhenTheTargetIsClosed() public {
        manager.setTargetClosed(address(names), true);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, producer));
        vm.prank(producer);
        names.nameLocation(6901234000004, "A");
    }

    function _expectNotCreator(IPublicNames.Kind kind, bytes32 id, address caller, address creator) internal {
        vm.expectRevert(abi.encodeWithSelector(IPublicNames.PublicNamesNotCreator.selector, kind, id, caller, creator));
    }
}
