// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";

import {Roles} from "../access/Roles.sol";
import {IOrgRegistry} from "../interfaces/IOrgRegistry.sol";

/**
 * @title OrgRegistry
 * @notice Names every account on the ledger and keeps the AccessManager's organisation roles in
 * step with registration: only this contract (role REGISTRAR, the admin of every organisation
 * role) grants and revokes them, so every role holder is a registered, named organisation.
 * @dev Its functions are `restricted` so that governance can close the registry through the
 * manager; the deploy module wires them to PUBLIC_ROLE because the authority rule depends on the
 * kind being registered (`Roles.admitterOf`), which this contract checks against the manager.
 */
contract OrgRegistry is IOrgRegistry, AccessManagedUpgradeable {
    uint256 private constant MAX_NAME_LENGTH = 128;

    // ---------------------------------------------------------------- storage

    /// @dev Organisations by account.
    mapping(address account => Organisation) private _orgs;
    /// @dev Owner of each credit code: uniqueness of the external identifier.
    mapping(bytes18 creditCode => address account) private _byCreditCode;
    /// @dev Registration order, for enumeration by readers (never iterated on chain).
    address[] private _accounts;

    // ---------------------------------------------------------------- constructor

    /// @dev The ledger is this implementation behind a transparent proxy (ERC-1967) whose ProxyAdmin the
    /// manager owns, so only ADMIN can upgrade it (README, "Upgrades"). The implementation's own
    /// initializer is disabled: only the proxy, which calls `initialize` in its constructor, is a ledger.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets the permission hub. The proxy calls it once, in its constructor, so nobody can
    /// initialize the ledger in between.
    /// @param manager The AccessManager that holds every role.
    function initialize(address manager) external initializer {
        __AccessManaged_init(manager);
    }

    /// @notice The version of the ledger's code behind the proxy (1 for the first deployment).
    function version() external pure virtual returns (uint256) {
        return 1;
    }

    // ---------------------------------------------------------------- access

    /// @dev Every record names the organisation that acted (`msg.sender`). A call relayed by
    /// `AccessManager.execute` arrives with the manager as `msg.sender`, whoever asked it to
    /// relay: it is refused before the manager's own check, which would let it through.
    function _checkCanCall(address caller, bytes calldata data) internal override {
        if (caller == authority()) revert OrgRegistryRelayedCall(caller, bytes4(data[0:4]));
        super._checkCanCall(caller, data);
    }

    // ---------------------------------------------------------------- writes

    /// @inheritdoc IOrgRegistry
    function register(
        address account,
        uint8 kind,
        string calldata name,
        string calldata creditCode,
        bytes32 metadataHash
    ) external restricted {
        if (account == address(0)) revert OrgRegistryZeroAccount();
        _checkNotReserved(account);
        if (!Roles.isKind(kind)) revert OrgRegistryUnknownKind(kind);
        _checkAdmitter(kind);
        uint256 nameLength = bytes(name).length;
        if (nameLength == 0 || nameLength > MAX_NAME_LENGTH) revert OrgRegistryInvalidName(nameLength);
        bytes18 code = _parseCreditCode(creditCode);

        Organisation storage org = _orgs[account];
        if (org.status != Status.None) revert OrgRegistryAccountTaken(account, org.kind);
        address holder = _byCreditCode[code];
        if (holder != address(0)) revert OrgRegistryCreditCodeTaken(code, holder);

        org.kind = kind;
        org.status = Status.Active;
        org.registeredAt = uint64(block.timestamp);
        org.creditCode = code;
        org.metadataHash = metadataHash;
        org.name = name;
        _byCreditCode[code] = account;
        _accounts.push(account);

        IAccessManager(authority()).grantRole(kind, account, 0);
        emit OrganisationRegistered(account, kind, msg.sender, name, code, metadataHash);
    }

    /// @inheritdoc IOrgRegistry
    function suspend(address account, bytes32 reasonHash) external restricted {
        Organisation storage org = _orgs[account];
        uint8 kind = _checkStatus(account, org, Status.Active);
        _checkAdmitter(kind);
        org.status = Status.Suspended;
        IAccessManager(authority()).revokeRole(kind, account);
        emit OrganisationSuspended(account, kind, msg.sender, reasonHash);
    }

    /// @inheritdoc IOrgRegistry
    function reinstate(address account, bytes32 reasonHash) external restricted {
        Organisation storage org = _orgs[account];
        uint8 kind = _checkStatus(account, org, Status.Suspended);
        _checkAdmitter(kind);
        org.status = Status.Active;
        IAccessManager(authority()).grantRole(kind, account, 0);
        emit OrganisationReinstated(account, kind, msg.sender, reasonHash);
    }

    /// @inheritdoc IOrgRegistry
    function updateMetadata(address account, bytes32 metadataHash) external restricted {
        Organisation storage org = _orgs[account];
        uint8 kind = org.kind;
        Status status = org.status;
        if (status == Status.None) revert OrgRegistryUnknownOrganisation(account);
        if (msg.sender != account) {
            _checkAdmitter(kind);
        } else if (status != Status.Active) {
            // A suspended organisation writes nothing, not even its own metadata.
            revert OrgRegistryWrongStatus(account, status);
        }
        org.metadataHash = metadataHash;
        emit OrganisationMetadataUpdated(account, kind, msg.sender, metadataHash);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IOrgRegistry
    function organisation(address account) external view returns (Organisation memory) {
        return _orgs[account];
    }

    /// @inheritdoc IOrgRegistry
    function isActive(address account, uint8 kind) external view returns (bool) {
        Organisation storage org = _orgs[account];
        return org.status == Status.Active && org.kind == kind;
    }

    /// @inheritdoc IOrgRegistry
    function accountOfCreditCode(bytes18 creditCode) external view returns (address) {
        return _byCreditCode[creditCode];
    }

    /// @inheritdoc IOrgRegistry
    function admitterOf(uint8 kind) external pure returns (uint64) {
        if (!Roles.isKind(kind)) revert OrgRegistryUnknownKind(kind);
        return Roles.admitterOf(kind);
    }

    /// @inheritdoc IOrgRegistry
    function organisationCount() external view returns (uint256) {
        return _accounts.length;
    }

    /// @inheritdoc IOrgRegistry
    function organisationAt(uint256 index) external view returns (address) {
        return _accounts[index];
    }

    // ---------------------------------------------------------------- internal

    /// @dev Reverts unless the caller holds, without delay, the role that admits `kind`
    /// (ADMIN for a value that is not a kind: callers check `Roles.isKind` first).
    function _checkAdmitter(uint8 kind) private view {
        uint64 required = Roles.admitterOf(kind);
        (bool isMember, uint32 delay) = IAccessManager(authority()).hasRole(required, msg.sender);
        if (!isMember || delay != 0) revert OrgRegistryUnauthorizedAdmitter(msg.sender, kind, required);
    }

    /// @dev Reverts if `account` is the manager or a contract the manager governs (the ledgers, this
    /// registry): an organisation role there would let the hub or a ledger act as an organisation.
    function _checkNotReserved(address account) private view {
        address manager = authority();
        if (account == manager || account == address(this)) revert OrgRegistryReservedAccount(account);
        if (account.code.length == 0) return;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = account.staticcall(abi.encodeCall(IAccessManaged.authority, ()));
        // Compared as a word: a contract answering with something that is not an address is no ledger.
        if (ok && ret.length == 32 && uint256(bytes32(ret)) == uint256(uint160(manager))) {
            revert OrgRegistryReservedAccount(account);
        }
    }

    /// @dev Reverts unless `org` exists with `expected` status; returns its kind.
    function _checkStatus(address account, Organisation storage org, Status expected) private view returns (uint8) {
        Status status = org.status;
        if (status == Status.None) revert OrgRegistryUnknownOrganisation(account);
        if (status != expected) revert OrgRegistryWrongStatus(account, status);
        return org.kind;
    }

    /// @dev 18 characters of the credit-code alphabet (digits and capitals except I, O, S, V, Z).
    /// The GB 32100-2015 check digit is validated off chain.
    function _parseCreditCode(string calldata creditCode) private pure returns (bytes18 code) {
        bytes calldata raw = bytes(creditCode);
        if (raw.length != 18) revert OrgRegistryInvalidCreditCode(creditCode);
        for (uint256 i = 0; i < 18; ++i) {
            bytes1 c = raw[i];
            bool digit = c >= "0" && c <= "9";
            bool letter = c >= "A" && c <= "Y" && c != "I" && c != "O" && c != "S" && c != "V";
            if (!digit && !letter) revert OrgRegistryInvalidCreditCode(creditCode);
        }
        code = bytes18(raw);
    }
}
