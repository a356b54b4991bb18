// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IOrgRegistry
 * @notice The organisation registry of Zhixin Ledger: every account that acts on the ledger is a
 * registered organisation with a public name and unified social credit code (统一社会信用代码).
 * Registering grants the organisation's role through the AccessManager in the same transaction;
 * suspending revokes it. Who may register whom follows real authority (see `Roles.admitterOf`).
 */
interface IOrgRegistry {
    /// @notice Whether an organisation may act.
    enum Status {
        None,
        Active,
        Suspended
    }

    /// @notice An organisation as stored.
    /// @dev `kind`, `status`, `registeredAt` and `creditCode` share one slot (1 + 1 + 8 + 18 bytes), so
    /// the checks every write makes (`kind`, `status`) cost one storage read.
    struct Organisation {
        uint8 kind;
        Status status;
        uint64 registeredAt;
        bytes18 creditCode;
        bytes32 metadataHash;
        string name;
    }

    // ---------------------------------------------------------------- errors

    /// @notice `OrgRegistry` refuses calls relayed through the AccessManager (`execute`): the
    /// manager would stand in as the acting organisation and hide who acted.
    error OrgRegistryRelayedCall(address manager, bytes4 selector);
    /// @notice The account is the zero address.
    error OrgRegistryZeroAccount();
    /// @notice `account` is the permission hub or a contract it manages (a ledger, the registry): it
    /// cannot be an organisation.
    error OrgRegistryReservedAccount(address account);
    /// @notice `kind` is not an organisation kind.
    error OrgRegistryUnknownKind(uint256 kind);
    /// @notice The name is empty or longer than 128 bytes.
    error OrgRegistryInvalidName(uint256 length);
    /// @notice The credit code is not 18 characters of [0-9A-HJ-NPQRTUWXY].
    error OrgRegistryInvalidCreditCode(string creditCode);
    /// @notice `account` is registered already.
    error OrgRegistryAccountTaken(address account, uint8 kind);
    /// @notice `creditCode` is registered already, to `holder`.
    error OrgRegistryCreditCodeTaken(bytes18 creditCode, address holder);
    /// @notice `account` is not a registered organisation.
    error OrgRegistryUnknownOrganisation(address account);
    /// @notice `caller` does not hold `requiredRole`, the role that admits organisations of `kind`.
    error OrgRegistryUnauthorizedAdmitter(address caller, uint8 kind, uint64 requiredRole);
    /// @notice The organisation's status is `status`, not the one the operation needs.
    error OrgRegistryWrongStatus(address account, Status status);

    // ---------------------------------------------------------------- events

    /// @notice `account` was registered as an organisation of `kind` by `by`, and granted role `kind`.
    event OrganisationRegistered(
        address indexed account,
        uint8 indexed kind,
        address indexed by,
        string name,
        bytes18 creditCode,
        bytes32 metadataHash
    );
    /// @notice `account` was suspended by `by`; its role was revoked. `reasonHash` anchors the decision document.
    event OrganisationSuspended(address indexed account, uint8 indexed kind, address indexed by, bytes32 reasonHash);
    /// @notice `account` was reinstated by `by`; its role was granted again.
    event OrganisationReinstated(address indexed account, uint8 indexed kind, address indexed by, bytes32 reasonHash);
    /// @notice The metadata hash of `account` was replaced by `by`.
    event OrganisationMetadataUpdated(
        address indexed account,
        uint8 indexed kind,
        address indexed by,
        bytes32 metadataHash
    );

    // ---------------------------------------------------------------- writes

    /**
     * @notice Register `account` as an organisation of `kind` and grant it role `kind`.
     * @dev The caller must hold `Roles.admitterOf(kind)`. Emits {OrganisationRegistered}.
     * @param account the organisation's signing account
     * @param kind organisation kind (= its role id)
     * @param name public name, 1 to 128 bytes of UTF-8
     * @param creditCode unified social credit code: 18 characters, checksum validated off chain
     * @param metadataHash hash of the registration document (licence, address, contacts) kept off chain
     */
    function register(
        address account,
        uint8 kind,
        string calldata name,
        string calldata creditCode,
        bytes32 metadataHash
    ) external;

    /**
     * @notice Suspend an active organisation and revoke its role.
     * @dev The caller must hold the admitter role of the organisation's kind. Emits {OrganisationSuspended}.
     * @param reasonHash hash of the decision document
     */
    function suspend(address account, bytes32 reasonHash) external;

    /**
     * @notice Reinstate a suspended organisation and grant its role again.
     * @dev The caller must hold the admitter role of the organisation's kind. Emits {OrganisationReinstated}.
     */
    function reinstate(address account, bytes32 reasonHash) external;

    /**
     * @notice Replace an organisation's metadata hash (new licence, new address).
     * @dev The caller must be the organisation itself or hold the admitter role of its kind.
     * Emits {OrganisationMetadataUpdated}.
     */
    function updateMetadata(address account, bytes32 metadataHash) external;

    // ---------------------------------------------------------------- views

    /// @notice The organisation registered for `account` (status None if there is none).
    function organisation(address account) external view returns (Organisation memory);

    /// @notice Whether `account` is a registered, active organisation of `kind`.
    function isActive(address account, uint8 kind) external view returns (bool);

    /// @notice The account that registered `creditCode`, or the zero address.
    function accountOfCreditCode(bytes18 creditCode) external view returns (address);

    /// @notice The role whose holders may register organisations of `kind`.
    function admitterOf(uint8 kind) external pure returns (uint64);

    /// @notice How many organisations were ever registered.
    function organisationCount() external view returns (uint256);

    /// @notice The account registered `index`-th (0-based), for enumeration by readers.
    function organisationAt(uint256 index) external view returns (address);
}
