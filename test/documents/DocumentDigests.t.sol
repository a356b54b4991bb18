// SPDX-License-Identifier: Apache-2.0
// solhint-disable func-name-mixedcase, gas-small-strings
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {DocumentDigests} from "../../contracts/documents/DocumentDigests.sol";
import {IDocumentDigests} from "../../contracts/interfaces/IDocumentDigests.sol";
import {OrgRegistryFixture} from "../utils/OrgRegistryFixture.sol";
import {Wiring} from "../utils/Wiring.sol";

/// @dev Who may bind what: any active organisation, for itself only (bindings keyed by organisation and
/// keccak-256), once per keccak-256; the same pair again changes nothing; another organisation's false binding
/// neither takes nor blocks the anchoring organisation's own.
contract DocumentDigestsTest is OrgRegistryFixture {
    DocumentDigests internal digests;
    address internal charity;
    address internal attacker;

    bytes internal constant FILE = "flood relief: bank statement of 2026-07-21";

    function setUp() public override {
        super.setUp();
        digests = new DocumentDigests(address(manager), registry);
        Wiring.documentDigests(manager, address(digests));
        charity = makeAddr("charity");
        attacker = makeAddr("attacker");
        _register(charity, uint8(Roles.CHARITY));
        _register(attacker, uint8(Roles.CHARITY));
    }

    function _one(bytes32 k, bytes32 s) internal pure returns (bytes32[] memory ks, bytes32[] memory ss) {
        ks = new bytes32[](1);
        ss = new bytes32[](1);
        ks[0] = k;
        ss[0] = s;
    }

    function _bind(address by, bytes32 k, bytes32 s) internal {
        (bytes32[] memory ks, bytes32[] memory ss) = _one(k, s);
        vm.prank(by);
        digests.bindDigests(ks, ss);
    }

    function test_anOrganisationBindsAFilesTwoDigestsWithOneEventNamingIt() public {
        bytes32 k = keccak256(FILE);
        bytes32 s = sha256(FILE);
        vm.expectEmit(address(digests));
        emit IDocumentDigests.DigestsBound(k, s, charity);
        _bind(charity, k, s);
        assertEq(digests.sha256Of(charity, k), s, "the charity's binding");
        assertEq(digests.sha256Of(attacker, k), bytes32(0), "nobody else's");
        assertEq(digests.registry(), address(registry), "the registry");
    }

    function test_bindsABatchWithOneEventPerNewPair() public {
        bytes32[] memory ks = new bytes32[](3);
        bytes32[] memory ss = new bytes32[](3);
        for (uint256 i = 0; i < 3; ++i) {
            ks[i] = keccak256(abi.encode(FILE, i));
            ss[i] = sha256(abi.encode(FILE, i));
        }
        _bind(charity, ks[1], ss[1]);
        vm.recordLogs();
        vm.prank(charity);
        digests.bindDigests(ks, ss);
        assertEq(vm.getRecordedLogs().length, 2, "the pair bound before is skipped");
        for (uint256 i = 0; i < 3; ++i) assertEq(digests.sha256Of(charity, ks[i]), ss[i], "bound");
    }

    function test_theSamePairAgainChangesNothing() public {
        bytes32 k = keccak256(FILE);
        bytes32 s = sha256(FILE);
        _bind(charity, k, s);
        vm.recordLogs();
        _bind(charity, k, s);
        assertEq(vm.getRecordedLogs().length, 0, "no event: nothing changed");
        assertEq(digests.sha256Of(charity, k), s, "still bound");
    }

    function test_refusesADifferentSha256ForTheSameKeccakWithBothValues() public {
        bytes32 k = keccak256(FILE);
        bytes32 s = sha256(FILE);
        _bind(charity, k, s);
        bytes32 other = sha256("another file");
        (bytes32[] memory ks, bytes32[] memory ss) = _one(k, other);
        vm.expectRevert(
            abi.encodeWithSelector(IDocumentDigests.DocumentDigestsAlreadyBound.selector, charity, k, s, other)
        );
        vm.prank(charity);
        digests.bindDigests(ks, ss);
    }

    function test_anAttackersBindingNeitherTakesNorBlocksTheAnchoringOrganisations() public {
        bytes32 k = keccak256(FILE);
        bytes32 forged = sha256("a forged file the attacker wants to pass as this one");
        // The attacker binds first, a wrong SHA-256 to the charity's document ...
        _bind(attacker, k, forged);
        // ... which is the attacker's own statement: the charity still binds the true one, and each binding
        // names who made it (the explorer follows a binding only to records its binder anchored).
        vm.expectEmit(address(digests));
        emit IDocumentDigests.DigestsBound(k, sha256(FILE), charity);
        _bind(charity, k, sha256(FILE));
        assertEq(digests.sha256Of(charity, k), sha256(FILE), "the charity's binding");
        assertEq(digests.sha256Of(attacker, k), forged, "the attacker's, under the attacker's name");
    }

    function test_refusesCallersThatAreNotActiveOrganisations() public {
        (bytes32[] memory ks, bytes32[] memory ss) = _one(keccak256(FILE), sha256(FILE));
        address stranger = makeAddr("stranger");
        vm.expectRevert(abi.encodeWithSelector(IDocumentDigests.DocumentDigestsNotOrganisation.selector, stranger));
        vm.prank(stranger);
        digests.bindDigests(ks, ss);

        vm.prank(civilAffairs);
        registry.suspend(charity, keccak256("decision"));
        vm.expectRevert(abi.encodeWithSelector(IDocumentDigests.DocumentDigestsNotOrganisation.selector, charity));
        vm.prank(charity);
        digests.bindDigests(ks, ss);
    }

    function test_refusesRelayedCallsAndAClosedTarget() public {
        (bytes32[] memory ks, bytes32[] memory ss) = _one(keccak256(FILE), sha256(FILE));
        bytes memory call = abi.encodeCall(IDocumentDigests.bindDigests, (ks, ss));
        vm.expectRevert(
            abi.encodeWithSelector(
                IDocumentDigests.DocumentDigestsRelayedCall.selector,
                address(manager),
                IDocumentDigests.bindDigests.selector
            )
        );
        vm.prank(charity);
        manager.execute(address(digests), call);

        manager.setTargetClosed(address(digests), true);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, charity));
        vm.prank(charity);
        digests.bindDigests(ks, ss);
    }

    function test_refusesZeroDigestsAndBadBatches() public {
        (bytes32[] memory ks, bytes32[] memory ss) = _one(keccak256(FILE), bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(IDocumentDigests.DocumentDigestsZeroDigest.selector, keccak256(FILE), bytes32(0))
        );
        vm.prank(charity);
        digests.bindDigests(ks, ss);

        vm.expectRevert(abi.encodeWithSelector(IDocumentDigests.DocumentDigestsBadBatch.selector, 0, 0));
        vm.prank(charity);
        digests.bindDigests(new bytes32[](0), new bytes32[](0));

        vm.expectRevert(abi.encodeWithSelector(IDocumentDigests.DocumentDigestsBadBatch.selector, 2, 1));
        vm.prank(charity);
        digests.bindDigests(new bytes32[](2), new bytes32[](1));

        uint256 tooMany = digests.MAX_BATCH() + 1;
        vm.expectRevert(abi.encodeWithSelector(IDocumentDigests.DocumentDigestsBadBatch.selector, tooMany, tooMany));
        vm.prank(charity);
        digests.bindDigests(new bytes32[](tooMany), new bytes32[](tooMany));
    }

    /// @dev Write-once per (organisation, keccak-256), whatever the values and the order of the calls: the first
    /// SHA-256 an organisation binds stays; the same pair again is a no-op; any other is refused; another
    /// organisation's bindings are independent.
    function testFuzz_bindDigests(bytes32 k, bytes32 s1, bytes32 s2, bytes32 s3, bool attackerFirst) public {
        vm.assume(k != 0 && s1 != 0 && s2 != 0 && s3 != 0 && s1 != s2);
        if (attackerFirst) _bind(attacker, k, s3);
        _bind(charity, k, s1);
        _bind(charity, k, s1);
        (bytes32[] memory ks, bytes32[] memory ss) = _one(k, s2);
        vm.expectRevert(
            abi.encodeWithSelector(IDocumentDigests.DocumentDigestsAlreadyBound.selector, charity, k, s1, s2)
        );
        vm.prank(charity);
        digests.bindDigests(ks, ss);
        if (!attackerFirst) _bind(attacker, k, s3);
        assertEq(digests.sha256Of(charity, k), s1, "the charity's first binding stays");
        assertEq(digests.sha256Of(attacker, k), s3, "the attacker's binding is its own");
    }
}
