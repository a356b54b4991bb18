// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";

import {ICharityLedger} from "../interfaces/ICharityLedger.sol";
import {IOrgRegistry} from "../interfaces/IOrgRegistry.sol";
import {IPublicNames} from "../interfaces/IPublicNames.sol";
import {IReliefLedger} from "../interfaces/IReliefLedger.sol";
import {ITraceLedger} from "../interfaces/ITraceLedger.sol";

/**
 * @title PublicNames
 * @notice Readable public names bound to the ledgers' ids (see IPublicNames).
 * @dev Every write is `restricted` and wired PUBLIC: the creators are of several kinds (charities, finance,
 * any holder, producers), so who may name a record is read from the ledger that holds it. Not behind a proxy:
 * it holds no money and no rule of the ledgers; a new version is a new contract the indexer follows, and the
 * names already given stay in this one's events.
 */
contract PublicNames is IPublicNames, AccessManaged {
    /// @notice Longest name, in bytes of UTF-8 (32 Chinese characters).
    uint256 public constant MAX_NAME_BYTES = 96;
    /// @notice Longest period code, in bytes.
    uint256 public constant MAX_CODE_BYTES = 32;
    /// @dev The largest GLN-13.
    uint64 private constant _MAX_GLN = 9_999_999_999_999;

    // ---------------------------------------------------------------- storage

    IOrgRegistry public immutable REGISTRY;
    ICharityLedger public immutable CHARITY;
    ITraceLedger public immutable TRACE;
    IReliefLedger public immutable RELIEF;

    /// @dev keccak256(abi.encode(kind, id, scope)) → keccak256 of the current name: only to refuse a name a
    /// record already has.
    mapping(bytes32 key => bytes32 nameHash) private _nameHash;

    constructor(
        address manager,
        IOrgRegistry registry,
        ICharityLedger charity,
        ITraceLedger trace,
        IReliefLedger relief
    ) AccessManaged(manager) {
        REGISTRY = registry;
        CHARITY = charity;
        TRACE = trace;
        RELIEF = relief;
    }

    // ---------------------------------------------------------------- access

    /// @dev Every name names the organisation that gave it (`msg.sender`): a call relayed by
    /// `AccessManager.execute` arrives with the manager as `msg.sender` and is refused.
    function _checkCanCall(address caller, bytes calldata data) internal override {
        if (caller == authority()) revert PublicNamesRelayedCall(caller, bytes4(data[0:4]));
        super._checkCanCall(caller, data);
    }

    // ---------------------------------------------------------------- writes

    /// @inheritdoc IPublicNames
    function nameCharityProject(bytes32 projectId, string calldata name) external restricted {
        _checkCreator(Kind.CharityProject, projectId, CHARITY.project(projectId).charity);
        _set(Kind.CharityProject, projectId, 0, keccak256(bytes(name)), name);
        emit CharityProjectNamed(projectId, msg.sender, name);
    }

    /// @inheritdoc IPublicNames
    function nameProgramme(bytes32 programmeId, string calldata name) external restricted {
        _checkCreator(Kind.Programme, programmeId, RELIEF.programme(programmeId).finance);
        _set(Kind.Programme, programmeId, 0, keccak256(bytes(name)), name);
        emit ProgrammeNamed(programmeId, msg.sender, name);
    }

    /// @inheritdoc IPublicNames
    function nameReliefProject(bytes32 projectId, string calldata name) external restricted {
        _checkCreator(Kind.ReliefProject, projectId, RELIEF.project(projectId).holder);
        _set(Kind.ReliefProject, projectId, 0, keccak256(bytes(name)), name);
        emit ReliefProjectNamed(projectId, RELIEF.projectProgramme(projectId), msg.sender, name);
    }

    /// @inheritdoc IPublicNames
    function namePeriod(
        bytes32 programmeId,
        uint32 period,
        string calldata code,
        string calldata name
    ) external restricted {
        IReliefLedger.Programme memory p = RELIEF.programme(programmeId);
        _checkCreator(Kind.Programme, programmeId, p.finance);
        if (period == 0 || period > p.periods) revert PublicNamesInvalidPeriod(programmeId, period, p.periods);
        _checkLength(bytes(code).length, MAX_CODE_BYTES);
        _set(Kind.Period, programmeId, period, keccak256(abi.encode(code, name)), name);
        emit PeriodNamed(programmeId, period, msg.sender, code, name);
    }

    /// @inheritdoc IPublicNames
    function nameProduct(bytes32 productCode, string calldata name) external restricted {
        _checkCreator(Kind.Product, productCode, TRACE.product(productCode).producer);
        _set(Kind.Product, productCode, 0, keccak256(bytes(name)), name);
        emit ProductNamed(productCode, msg.sender, name);
    }

    /// @inheritdoc IPublicNames
    function nameLocation(uint64 gln, string calldata name) external restricted {
        if (gln == 0 || gln > _MAX_GLN) revert PublicNamesInvalidLocation(gln);
        _checkActive(msg.sender);
        _set(Kind.Location, bytes32(uint256(gln)), uint256(uint160(msg.sender)), keccak256(bytes(name)), name);
        emit LocationNamed(msg.sender, gln, name);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IPublicNames
    function nameHashOf(Kind kind, bytes32 id, uint256 scope) external view returns (bytes32) {
        return _nameHash[keccak256(abi.encode(kind, id, scope))];
    }

    // ---------------------------------------------------------------- internal

    /// @dev The record exists (`creator` non-zero), the caller created it and is still active.
    function _checkCreator(Kind kind, bytes32 id, address creator) private view {
        if (creator == address(0)) revert PublicNamesUnknownRecord(kind, id);
        if (creator != msg.sender) revert PublicNamesNotCreator(kind, id, msg.sender, creator);
        _checkActive(msg.sender);
    }

    function _checkActive(address account) private view {
        if (REGISTRY.organisation(account).status != IOrgRegistry.Status.Active) {
            revert PublicNamesInactiveOrganisation(account);
        }
    }

    function _checkLength(uint256 length, uint256 maxLength) private pure {
        if (length == 0 || length > maxLength) revert PublicNamesInvalidName(length, maxLength);
    }

    /// @dev Records the name's hash under (kind, id, scope), refusing the name the record already has.
    function _set(Kind kind, bytes32 id, uint256 scope, bytes32 nameHash, string calldata name) private {
        _checkLength(bytes(name).length, MAX_NAME_BYTES);
        bytes32 key = keccak256(abi.encode(kind, id, scope));
        if (_nameHash[key] == nameHash) revert PublicNamesUnchanged(kind, id, name);
        _nameHash[key] = nameHash;
    }
}
