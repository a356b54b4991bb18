/**
 * Which role may call which function of each contract: deployment data, applied by the
 * deploy modules with `setTargetFunctionRole`, read back by the explorer and checked by
 * the access-matrix tests. Every state-changing external function of a wired contract must
 * appear here (a test fails otherwise); an unlisted one would default to ADMIN. The one
 * exception is `setAuthority`, inherited from AccessManaged: only the manager itself may
 * call it, and the manager always requires ADMIN for it, so it is never wired. `initialize` is not
 * wired either: the proxy calls it once in its constructor and it refuses every later call. Upgrades
 * are not the ledgers' functions but their ProxyAdmins', which the manager owns (README, "Upgrades").
 */
import type { RoleLabel } from "../src/roles.js";

/** Function name → role label ("PUBLIC" for AccessManager's PUBLIC_ROLE). */
export type TargetWiring = Readonly<Record<string, RoleLabel | "PUBLIC">>;

export const WIRING = {
  // Authority over each kind is checked inside the registry against the manager
  // (Roles.admitterOf): the manager lets everyone through to that check, and
  // governance can still close the whole target with `setTargetClosed`.
  OrgRegistry: {
    register: "PUBLIC",
    suspend: "PUBLIC",
    reinstate: "PUBLIC",
    updateMetadata: "PUBLIC",
  },
  // Functions open to both the project's charity and civil affairs are PUBLIC at the manager
  // and check the caller's role inside (a selector carries one role only).
  CharityLedger: {
    proposeProject: "CHARITY",
    approveProject: "CIVIL_AFFAIRS",
    closeProject: "PUBLIC",
    recordDonation: "PUBLIC",
    recordDonations: "PUBLIC",
    recordGoods: "PUBLIC",
    dispatchGoods: "CHARITY",
    confirmGoodsReceipt: "RECIPIENT",
    disburse: "CHARITY",
    confirmDisbursement: "RECIPIENT",
    grant: "CHARITY",
    proposeReversal: "CHARITY",
    approveReversal: "CIVIL_AFFAIRS",
    rejectReversal: "CIVIL_AFFAIRS",
    publishStatistics: "CIVIL_AFFAIRS",
  },
  // Custody functions are open to whichever supply-chain role holds the batch (producer,
  // logistics or retailer) and registerProduct to producers and the regulator: PUBLIC at the
  // manager, the caller's role is checked inside.
  TraceLedger: {
    registerProduct: "PUBLIC",
    setInspectionRequired: "MARKET_REGULATOR",
    issueGiCertificate: "MARKET_REGULATOR",
    commissionBatch: "PRODUCER",
    recordEvent: "PUBLIC",
    ship: "PUBLIC",
    accept: "PUBLIC",
    cancelShipment: "PUBLIC",
    split: "PUBLIC",
    merge: "PUBLIC",
    transform: "PRODUCER",
    sell: "PUBLIC",
    destroy: "PUBLIC",
    certify: "INSPECTOR",
    recall: "MARKET_REGULATOR",
    acknowledgeRecall: "PUBLIC",
    correctProduct: "MARKET_REGULATOR",
    allowReinspection: "MARKET_REGULATOR",
    shipPart: "PUBLIC",
    declareConversion: "PRODUCER",
    correctEvent: "PUBLIC",
  },
  // Serialised items and containers: the product's producer commissions serials; everything else is done
  // by whichever supply-chain organisation holds the unit, checked inside (TraceUnits.sol).
  TraceUnits: {
    commissionItems: "PRODUCER",
    pack: "PUBLIC",
    unpack: "PUBLIC",
    observe: "PUBLIC",
    ship: "PUBLIC",
    accept: "PUBLIC",
    cancelShipment: "PUBLIC",
    recordAssociation: "PUBLIC",
    recordTransaction: "PUBLIC",
    correctEvent: "PUBLIC",
  },
  // Money is held by finance, rural affairs and villages alike, attestations come from the department
  // each fact belongs to, approvals from the programme's approver role and project acceptance from an
  // the programme's approver role: those functions are PUBLIC at the manager and check the role inside.
  ReliefLedger: {
    defineAttestation: "ADMIN",
    createProgramme: "FINANCE",
    appropriate: "FINANCE",
    allocate: "PUBLIC",
    returnFunds: "PUBLIC",
    setParent: "PUBLIC",
    registerBeneficiary: "VILLAGE",
    moveBeneficiary: "RURAL_AFFAIRS",
    attest: "PUBLIC",
    revokeAttestation: "PUBLIC",
    createProject: "PUBLIC",
    fundProject: "PUBLIC",
    submitMilestone: "PUBLIC",
    acceptProject: "PUBLIC",
    proposeDisbursement: "PUBLIC",
    proposeProjectPayment: "PUBLIC",
    approveDisbursement: "PUBLIC",
    rejectDisbursement: "PUBLIC",
    recordUsage: "PUBLIC",
    recordFinding: "AUDITOR",
    answerFinding: "PUBLIC",
    closeFinding: "AUDITOR",
  },
  // The beneficiary-key service's log anchor: only the department that runs the service (rural
  // affairs, which keeps the relief beneficiary roll) anchors its request log.
  KeyServiceAnchor: {
    anchor: "RURAL_AFFAIRS",
  },
  // Public names: each record is named by the organisation that created it (a charity, a finance bureau, a
  // holder, a producer), read from its ledger, and a location by the organisation naming it for itself:
  // PUBLIC at the manager, the caller is checked inside (and must be an active organisation).
  PublicNames: {
    nameCharityProject: "PUBLIC",
    nameProgramme: "PUBLIC",
    nameReliefProject: "PUBLIC",
    namePeriod: "PUBLIC",
    nameProduct: "PUBLIC",
    nameLocation: "PUBLIC",
  },
  // Relief payments' receipt codes: the disbursement's proposer (a village or township, checked
  // inside against the relief ledger) binds the code's hash.
  ReliefReceipts: {
    bindReceipt: "PUBLIC",
  },
  // Documents' SHA-256 bound to their keccak-256: every kind of organisation anchors documents, so PUBLIC
  // at the manager; the caller must be an active organisation (checked inside), and a binding is its own.
  DocumentDigests: {
    bindDigests: "PUBLIC",
  },
} as const satisfies Readonly<Record<string, TargetWiring>>;

export type WiredContract = keyof typeof WIRING;
