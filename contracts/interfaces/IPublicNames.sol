// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IPublicNames
 * @notice Readable public names bound to the ledgers' ids: a charity project's, a relief programme's, a relief
 * project's and a payment period's name, a product's name and an organisation's locations (GLN → 名称).
 * Codes are already on chain in the creation events (ProjectProposed, ProgrammeCreated, ProjectCreated,
 * ProductRegistered); names live here, beside the ledgers, because the relief ledger has no room left under
 * EIP-170. Names are public facts (a programme's title, a product's trade name, a warehouse's name), never
 * personal data.
 *
 * Only the record's creator names it, read from the ledger that holds it: the charity that proposed the
 * project, the finance bureau that created the programme (and its periods), the holder that created the
 * relief project, the producer of the product. A location is named by an organisation for itself: the name
 * is bound to (organisation, GLN), so no one can name another's place first. A creator may rename (a typo,
 * a new title): every name is one event, the latest one counts, and naming a record again with the name it
 * has is refused.
 */
interface IPublicNames {
    /// @notice What a name is bound to.
    enum Kind {
        CharityProject,
        Programme,
        ReliefProject,
        Period,
        Product,
        Location
    }

    // ---------------------------------------------------------------- errors

    /// @notice The names contract refuses calls relayed through the AccessManager (`execute`): the manager
    /// would stand in as the naming organisation and hide who named.
    error PublicNamesRelayedCall(address manager, bytes4 selector);
    /// @notice A name (or a period's code) is empty or longer than `maxLength` bytes of UTF-8.
    error PublicNamesInvalidName(uint256 length, uint256 maxLength);
    /// @notice No record of `kind` has id `id` on its ledger.
    error PublicNamesUnknownRecord(Kind kind, bytes32 id);
    /// @notice `caller` is not `creator`, the organisation that created record `id` and alone names it.
    error PublicNamesNotCreator(Kind kind, bytes32 id, address caller, address creator);
    /// @notice `account` is not an active organisation of the registry (suspended or never registered).
    error PublicNamesInactiveOrganisation(address account);
    /// @notice The record already has this name: naming it again would say nothing new.
    error PublicNamesUnchanged(Kind kind, bytes32 id, string name);
    /// @notice `period` is not one of the programme's payment periods (1 to `periods`).
    error PublicNamesInvalidPeriod(bytes32 programmeId, uint32 period, uint16 periods);
    /// @notice `gln` is not a GLN-13 number (1 to 9,999,999,999,999).
    error PublicNamesInvalidLocation(uint64 gln);

    // ---------------------------------------------------------------- events

    /// @notice The charity (`by`) named its fundraising project.
    event CharityProjectNamed(bytes32 indexed projectId, address indexed by, string name);
    /// @notice The finance bureau (`by`) named its relief programme.
    event ProgrammeNamed(bytes32 indexed programmeId, address indexed by, string name);
    /// @notice The holder (`by`) named its relief project of programme `programmeId`.
    event ReliefProjectNamed(bytes32 indexed projectId, bytes32 indexed programmeId, address indexed by, string name);
    /// @notice The programme's finance bureau (`by`) gave payment period `period` a public code and a name.
    event PeriodNamed(bytes32 indexed programmeId, uint32 indexed period, address indexed by, string code, string name);
    /// @notice The producer (`by`) named its product (`productCode` as on the trace ledger: GTIN-14 or code).
    event ProductNamed(bytes32 indexed productCode, address indexed by, string name);
    /// @notice Organisation `org` named one of its locations, GLN-13 `gln` (as the trace ledger's `location`).
    event LocationNamed(address indexed org, uint64 indexed gln, string name);

    // ---------------------------------------------------------------- writes

    /**
     * @notice Name a charity project; only the charity that proposed it. Emits {CharityProjectNamed}.
     * @param projectId the CharityLedger project id
     * @param name 1 to 96 bytes of UTF-8
     */
    function nameCharityProject(bytes32 projectId, string calldata name) external;

    /**
     * @notice Name a relief programme; only the finance bureau that created it. Emits {ProgrammeNamed}.
     * @param programmeId the ReliefLedger programme id
     * @param name 1 to 96 bytes of UTF-8
     */
    function nameProgramme(bytes32 programmeId, string calldata name) external;

    /**
     * @notice Name a relief project; only the holder that created it. Emits {ReliefProjectNamed}.
     * @param projectId the ReliefLedger project id
     * @param name 1 to 96 bytes of UTF-8
     */
    function nameReliefProject(bytes32 projectId, string calldata name) external;

    /**
     * @notice Give a programme's payment period a public code and a name; only the programme's finance bureau.
     * Emits {PeriodNamed}.
     * @param programmeId the ReliefLedger programme id
     * @param period 1 to the programme's `periods`
     * @param code 1 to 32 bytes of UTF-8 (e.g. "2026-05")
     * @param name 1 to 96 bytes of UTF-8 (e.g. "2026年5月")
     */
    function namePeriod(bytes32 programmeId, uint32 period, string calldata code, string calldata name) external;

    /**
     * @notice Name a product; only its producer on the trace ledger. Emits {ProductNamed}.
     * @param productCode the TraceLedger product code
     * @param name 1 to 96 bytes of UTF-8
     */
    function nameProduct(bytes32 productCode, string calldata name) external;

    /**
     * @notice Name one of the caller's locations; the caller must be an active organisation. The name is the
     * caller's for that GLN: another organisation's name for the same number is its own. Emits {LocationNamed}.
     * @param gln GLN-13 as a number (the trace ledger's `location`)
     * @param name 1 to 96 bytes of UTF-8
     */
    function nameLocation(uint64 gln, string calldata name) external;

    // ---------------------------------------------------------------- views

    /// @notice keccak256 of the current name of a record (0: unnamed); for a period, of abi.encode(code, name).
    /// `id` is the record's id, `scope` the period number or the naming organisation (0 for the other kinds).
    function nameHashOf(Kind kind, bytes32 id, uint256 scope) external view returns (bytes32);
}
