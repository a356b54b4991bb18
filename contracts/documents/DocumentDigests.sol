// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";

import {IDocumentDigests} from "../interfaces/IDocumentDigests.sol";
import {IOrgRegistry} from "../interfaces/IOrgRegistry.sol";

/**
 * @title DocumentDigests
 * @notice Organisations' bindings of documents' keccak-256 to their SHA-256 (see IDocumentDigests).
 * @dev `bindDigests` is `restricted` and wired PUBLIC (every kind of organisation anchors documents), so the
 * emergency brake and a suspension through the manager still stop it; the caller must be an active
 * organisation of the registry. Storage is one map keyed by (organisation, keccak-256), written once per key.
 * Not behind a proxy: it holds no money and no rule of the ledgers; a new version is a new contract the
 * indexer follows, and the bindings already made stay in this one's events.
 */
contract DocumentDigests is IDocumentDigests, AccessManaged {
    /// @notice Most pairs in one call (one command's files; an import of more files sends several calls).
    uint256 public constant MAX_BATCH = 256;

    // ---------------------------------------------------------------- storage

    IOrgRegistry private immutable REGISTRY;
    /// @dev organisation → keccak-256 → the SHA-256 it bound (zero: none).
    mapping(address by => mapping(bytes32 keccak256Digest => bytes32)) private _sha256Of;

    constructor(address manager, IOrgRegistry orgRegistry) AccessManaged(manager) {
        REGISTRY = orgRegistry;
    }

    // ---------------------------------------------------------------- access

    /// @dev A call relayed by `AccessManager.execute` arrives with the manager as `msg.sender`: it is
    /// refused before the manager's own check, which would let it through.
    function _checkCanCall(address caller, bytes calldata data) internal override {
        if (caller == authority()) revert DocumentDigestsRelayedCall(caller, bytes4(data[0:4]));
        super._checkCanCall(caller, data);
    }

    // ---------------------------------------------------------------- writes

    /// @inheritdoc IDocumentDigests
    function bindDigests(bytes32[] calldata keccak256Digests, bytes32[] calldata sha256Digests) external restricted {
        uint256 n = keccak256Digests.length;
        if (n == 0 || n > MAX_BATCH || n != sha256Digests.length) {
            revert DocumentDigestsBadBatch(n, sha256Digests.length);
        }
        if (REGISTRY.organisation(msg.sender).status != IOrgRegistry.Status.Active) {
            revert DocumentDigestsNotOrganisation(msg.sender);
        }
        mapping(bytes32 => bytes32) storage mine = _sha256Of[msg.sender];
        for (uint256 i = 0; i < n; ++i) {
            bytes32 k = keccak256Digests[i];
            bytes32 s = sha256Digests[i];
            if (k == bytes32(0) || s == bytes32(0)) revert DocumentDigestsZeroDigest(k, s);
            bytes32 bound = mine[k];
            if (bound == s) continue;
            if (bound != bytes32(0)) revert DocumentDigestsAlreadyBound(msg.sender, k, bound, s);
            mine[k] = s;
            emit DigestsBound(k, s, msg.sender);
        }
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IDocumentDigests
    function registry() external view returns (address) {
        return address(REGISTRY);
    }

    /// @inheritdoc IDocumentDigests
    function sha256Of(address by, bytes32 keccak256Digest) external view returns (bytes32) {
        return _sha256Of[by][keccak256Digest];
    }
}
