// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {ITraceLedger} from "../interfaces/ITraceLedger.sol";

/**
 * @title TraceLedgerBase
 * @notice The trace ledger's storage and the helpers both of its halves use: `TraceLedger` (the batches, at the
 * proxy) and `TraceLedgerRegulation` (products, certificates, conversions, event corrections and recalls), whose
 * code the ledger runs by delegatecall on this same storage. The ledger outgrew EIP-170's 24,576 bytes with
 * issue 19's quantities (README, "Traceability: quantities, units, recall and GI accounting").
 * @dev The storage is the ledger's, in its original order (deploy/layouts/TraceLedger.json): append only.
 */
abstract contract TraceLedgerBase is AccessManagedUpgradeable {
    // ---------------------------------------------------------------- storage

    mapping(bytes32 productCode => ITraceLedger.Product) internal _products;
    bytes32[] internal _productCodes;
    mapping(bytes32 batchId => ITraceLedger.Batch) internal _batches;
    mapping(bytes32 batchId => mapping(uint256 index => bytes32 parent)) internal _parents;
    ITraceLedger.GiCertificate[] internal _giCertificates;
    ITraceLedger.Recall[] internal _recalls;
    mapping(uint32 recallId => mapping(bytes32 batchId => bool)) internal _acknowledged;
    /// @dev Bit `category` set: batches of that category need a valid pass to be sold.
    uint8 internal _inspectionMask;
    // Appended in version 2 (quantities, event ids, GI seasons): see README, "Traceability: quantities".
    /// @dev Per recording organisation: nobody can take another organisation's EPCIS eventID first.
    mapping(address org => mapping(bytes32 eventId => ITraceLedger.EventRecord)) internal _events;
    mapping(bytes32 batchId => ITraceLedger.Flows) internal _flows;
    mapping(bytes32 batchId => uint32 ratioPpm) internal _ratios;
    mapping(uint32 productSeq => mapping(bytes3 from => mapping(bytes3 to => uint64 ppm))) internal _conversions;
    mapping(uint32 certificateId => uint64 issuedAt) internal _giSeasonStart;
    mapping(uint32 recallId => mapping(bytes32 batchId => bool)) internal _soldAcknowledged;

    // ---------------------------------------------------------------- internals

    function _product(bytes32 productCode) internal view returns (ITraceLedger.Product storage p) {
        p = _products[productCode];
        if (p.seq == 0) revert ITraceLedger.TraceLedgerUnknownProduct(productCode);
    }

    function _existing(bytes32 id) internal view returns (ITraceLedger.Batch storage b) {
        b = _batches[id];
        if (b.status == ITraceLedger.BatchStatus.None) revert ITraceLedger.TraceLedgerUnknownBatch(id);
    }

    /// @dev Destroys `q` of the batch (all: the batch is destroyed); returns what it still holds.
    function _destroy(bytes32 id, ITraceLedger.Batch storage b, uint256 q) internal returns (uint128 rest) {
        rest = b.quantity - uint128(q);
        if (rest == 0) {
            b.status = ITraceLedger.BatchStatus.Destroyed;
        } else {
            b.quantity = rest;
            _flows[id].destroyed += uint128(q);
        }
    }

    /// @dev `q` of product `seq` from unit `from` to unit `to` by its declared conversion (either direction).
    function _convert(uint32 seq, uint256 q, bytes3 from, bytes3 to) internal view returns (bool, uint256) {
        if (from == to) return (true, q);
        uint256 ppm = _conversions[seq][from][to];
        if (ppm != 0) return (true, (q * ppm) / 1e6);
        ppm = _conversions[seq][to][from];
        if (ppm != 0) return (true, (q * 1e6) / ppm);
        return (false, 0);
    }

    /// @dev Whether `ancestor` is `id` or in its lineage, and `quantity` of `id` in the ancestor's unit: each
    /// transformation on the way back divides by its ratio (output per input). Split, merge and partial
    /// shipments keep the unit. At most `lineage` nodes are visited; values stop at 2^128 (the recall caps them).
    function _inRecallUnit(bytes32 id, uint256 quantity, bytes32 ancestor) internal view returns (bool, uint256) {
        uint256 size = _batches[id].lineage;
        bytes32[] memory stack = new bytes32[](size);
        uint256[] memory amounts = new uint256[](size);
        stack[0] = id;
        amounts[0] = quantity;
        uint256 top = 1;
        while (top != 0) {
            --top;
            bytes32 current = stack[top];
            uint256 q = amounts[top];
            if (current == ancestor) return (true, q);
            uint256 ratio = _ratios[current];
            if (ratio != 0) q = (q * 1e6) / ratio;
            if (q > type(uint128).max) q = type(uint128).max;
            uint256 parents = _batches[current].parentCount;
            for (uint256 i = 0; i < parents; ++i) {
                stack[top] = _parents[current][i];
                amounts[top] = q;
                ++top;
            }
        }
        return (false, 0);
    }

    /// @dev Codes are left-aligned printable ASCII without spaces, at least one byte. Returns the positions
    /// of its dots (bit i: byte i is '.'), where a sub-lot's parent lot may end.
    function _checkCode(bytes32 code) internal pure returns (uint256 dots) {
        if (code == bytes32(0)) revert ITraceLedger.TraceLedgerInvalidCode(code);
        bool ended = false;
        for (uint256 i = 0; i < 32; ++i) {
            uint8 ch = uint8(code[i]);
            if (ch == 0) {
                ended = true;
            } else if (ended || ch < 0x21 || ch > 0x7e) {
                revert ITraceLedger.TraceLedgerInvalidCode(code);
            } else if (ch == 0x2e) {
                dots |= 1 << i;
            }
        }
    }

    /// @dev UN/CEFACT unit codes: two or three upper-case letters or digits.
    function _checkUnit(bytes3 uom) internal pure {
        for (uint256 i = 0; i < 3; ++i) {
            uint8 ch = uint8(uom[i]);
            bool ok = (ch >= 0x41 && ch <= 0x5a) || (ch >= 0x30 && ch <= 0x39) || (i == 2 && ch == 0);
            if (!ok) revert ITraceLedger.TraceLedgerInvalidUnit(uom);
        }
    }

    function _toQuantity(uint256 q) internal pure returns (uint128) {
        if (q > type(uint128).max) revert ITraceLedger.TraceLedgerQuantityTooLarge(q, type(uint128).max);
        return uint128(q);
    }

    function _holds(uint64 role, address account) internal view returns (bool) {
        (bool isMember, uint32 delay) = IAccessManager(authority()).hasRole(role, account);
        return isMember && delay == 0;
    }
}
