/**
 * The JSON the indexer's read-only HTTP API answers with (`src/indexer/api.ts`), as the explorer
 * (`explorer/`) and third parties read it. Amounts are integer fen as decimal strings (JSON has
 * no bigint); addresses are checksummed; ids and hashes are 0x-prefixed lower-case hex.
 * The OpenAPI description served at `/api/openapi.json` documents the same routes.
 */
import type { CharityReport, CharityYear, ProjectLine } from "../charity/report.js";
import type { DonationTrace } from "../charity/trace.js";
import type { ProgrammeTree } from "../relief/tree.js";
import type { BatchHistory } from "../trace/history.js";

/** A value as JSON carries it: bigint becomes a decimal string, Date an ISO string. */
export type Json<T> = T extends bigint
  ? string
  : T extends Date
    ? string
    : T extends readonly (infer U)[]
      ? Json<U>[]
      : T extends object
        ? { -readonly [K in keyof T]: Json<T[K]> }
        : T;

/** A decoded argument value: strings for numbers and bytes, arrays and objects for tuples. */
export type ArgValue = string | boolean | ArgValue[] | { [name: string]: ArgValue };

/** One page of a list, newest first; pass `next` as `before` to read the following page. */
export interface Page<T> {
  readonly items: T[];
  /** Cursor of the next (older) page, absent on the last page. */
  readonly next?: string;
}

/** GET /api/status */
export interface Status {
  readonly chainId: string;
  /** Highest block the index holds (every block up to it has been read). */
  readonly indexedBlock: number;
  /** The node's latest block when last asked. */
  readonly headBlock: number;
  /**
   * Highest block buried under the confirmation depth (`ZHIXIN_CONFIRMATIONS`, the same setting as the
   * CLI's): blocks above it may still be replaced by a reorganisation, and the pages mark them unconfirmed.
   */
  readonly finalBlock: number;
  /** The confirmation depth in blocks (1: every sealed block is final). */
  readonly confirmations: number;
  readonly contracts: { name: string; address: string }[];
  /** Events indexed in total. */
  readonly events: number;
  readonly transactions: number;
  /**
   * Whether the node answered the explorer's last call. While it is `unreachable`, every page answers
   * from the index as of `indexedBlock` (the explorer shows a banner saying so).
   */
  readonly node: "reachable" | "unreachable";
}

/** A block that holds at least one ledger transaction. */
export interface BlockSummary {
  readonly number: number;
  readonly hash: string;
  /** Unix seconds. */
  readonly timestamp: number;
  /** Ledger transactions in the block (other transactions are not indexed). */
  readonly transactions: number;
}

/** A ledger transaction: a call to one of the deployment's contracts that emitted events. */
export interface TxSummary {
  readonly hash: string;
  readonly blockNumber: number;
  readonly index: number;
  readonly timestamp: number;
  readonly from: string;
  readonly to: string;
  /** Contract name (`CharityLedger`, `AccessManager`...). */
  readonly contract: string;
  /** Decoded function name, e.g. `recordDonation`; `execute` for calls through the AccessManager. */
  readonly function: string;
  readonly events: number;
}

/** One decoded event. */
export interface EventRecord {
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly txHash: string;
  readonly timestamp: number;
  readonly address: string;
  readonly contract: string;
  /** Event name, e.g. `DonationRecorded`. */
  readonly event: string;
  /** Arguments by name, in declaration order. */
  readonly args: Record<string, ArgValue>;
}

/** GET /api/blocks/:number */
export interface BlockDetail extends BlockSummary {
  readonly parentHash: string;
  readonly txs: TxSummary[];
}

/** GET /api/txs/:hash */
export interface TxDetail extends TxSummary {
  /** Decoded call arguments by name. */
  readonly args: Record<string, ArgValue>;
  /** The calldata's 4-byte selector. */
  readonly selector: string;
  readonly eventsList: EventRecord[];
}

/** An organisation of the registry, as the index keeps it. */
export interface OrgRecord {
  readonly account: string;
  readonly name: string;
  /** Role label of the organisation's kind (`CHARITY`, `VILLAGE`...). */
  readonly kind: string;
  /** Chinese name of the kind. */
  readonly kindZh: string;
  readonly creditCode: string;
  readonly status: "active" | "suspended";
  readonly registeredBlock: number;
}

/** GET /api/address/:address */
export interface AddressDetail {
  readonly address: string;
  readonly organisation?: OrgRecord;
  /** Name of the deployment's contract at this address, if any. */
  readonly contract?: string;
  /** Role labels the account holds in the AccessManager. */
  readonly roles: string[];
  /** Transactions it sent or that were sent to it (a contract's calls), each once. */
  readonly transactions: number;
  /** Transactions it sent (an account's). */
  readonly transactionsSent: number;
  /** Transactions sent to it (a contract's calls). */
  readonly transactionsReceived: number;
}

export type SearchKind =
  | "transaction"
  | "block"
  | "address"
  | "organisation"
  | "contract"
  | "donation"
  | "charity-project"
  | "batch"
  | "product"
  | "programme"
  | "relief-project"
  | "location"
  | "document";

/** A record's public code (from its creation event) and name (PublicNames), by id. */
export interface NamedRecord {
  readonly kind: "charity-project" | "programme" | "relief-project" | "product";
  /** The ledger id, lower-case hex (a product: its bytes32 code). */
  readonly id: string;
  /** The public code: a project's or programme's code, a product's GTIN-14 (or code text). */
  readonly code: string;
  /** The latest name its creator gave it, if any. */
  readonly name?: string;
  /** A relief project's programme. */
  readonly programmeId?: string;
}

/** A programme's payment period with its public code and name. */
export interface PeriodName {
  readonly programmeId: string;
  readonly period: number;
  readonly code: string;
  readonly name: string;
}

/** An organisation's name for one of its locations; `gln` is the 13-digit string (leading zeros kept). */
export interface LocationName {
  readonly org: string;
  readonly gln: string;
  readonly name: string;
}

/** GET /api/names : every public code and name, for pages and charts to show instead of ids. */
export interface PublicNameIndex {
  readonly records: readonly NamedRecord[];
  readonly periods: readonly PeriodName[];
  readonly locations: readonly LocationName[];
}

/** GET /api/search?q= : what the text may be; the explorer opens `path`. */
export interface SearchHit {
  readonly kind: SearchKind;
  /** What to show, e.g. an organisation's name or a lot code. */
  readonly label: string;
  /** Explorer route, e.g. `/tx/0x…`, `/batch/0x…`, `/charity/donation/0x…`. */
  readonly path: string;
}

/** GET /api/permissions */
export interface PermissionsView {
  readonly manager: string;
  readonly roles: {
    readonly id: string;
    readonly label: string;
    readonly zh: string;
    readonly members: { account: string; name?: string; since: number }[];
    readonly functions: { contract: string; function: string; selector: string }[];
  }[];
}

/** GET /api/charity/projects */
export interface CharityProjectSummary extends Json<ProjectLine> {
  readonly status: "proposed" | "approved" | "closed";
  readonly target: string;
  /** The project's public code (ProjectProposed) and name (PublicNames). */
  readonly code: string;
  readonly name?: string;
}

/** A node and link of a Sankey diagram: donors (grouped) and granting projects → project → recipients. */
export interface Sankey {
  readonly nodes: {
    name: string;
    kind: "donors" | "grantIn" | "project" | "recipient" | "held" | "grant" | "reversal";
  }[];
  /** Amounts in fen as decimal strings. */
  readonly links: { source: string; target: string; value: string }[];
}

/** A goods lot (a donation in kind) of a project and its hand-overs, from the events. */
export interface GoodsLotView {
  readonly lotId: string;
  /** The item code as text (a GTIN or the charity's code). */
  readonly itemCode: string;
  readonly quantity: string;
  /** The unit as text, e.g. 箱. */
  readonly unit: string;
  /** Valuation in fen. */
  readonly valuation: string;
  readonly productBatchId: string;
  readonly donorCommitment: string;
  readonly evidenceHash: string;
  readonly recordedBy: string;
  readonly txHash: string;
  readonly timestamp: number;
  /** Reversed by a correction (before any of it was dispatched). */
  readonly reversed: boolean;
  /** Quantity dispatched so far, and what is left in the charity's hands. */
  readonly dispatched: string;
  readonly remaining: string;
  readonly dispatches: {
    dispatchId: string;
    recipient: string;
    quantity: string;
    evidenceHash: string;
    txHash: string;
    timestamp: number;
    /** The recipient confirmed receipt (its receipt hash, and when). */
    confirmed: boolean;
    receiptHash?: string;
    confirmedAt?: number;
  }[];
}

/** GET /api/charity/projects/:id */
export interface CharityProjectDetail extends CharityProjectSummary {
  /** Donations reversed (corrections). */
  readonly reversals: number;
  readonly permitHash: string;
  readonly metadataHash: string;
  readonly sankey: Sankey;
  /** Money granted to this project by other projects. */
  readonly grantsIn: { fromProjectId: string; amount: string; txHash: string; timestamp: number }[];
  /** Donations in kind and where they went. */
  readonly goods: GoodsLotView[];
  /** The latest donations (no names: amount, commitment, transaction). */
  readonly donationsList: {
    donationId: string;
    amount: string;
    channel: number;
    donorCommitment: string;
    /** The receipt date, YYYY-MM-DD, when the source stated it. */
    receivedOn?: string;
    txHash: string;
    timestamp: number;
  }[];
  readonly disbursements: {
    disbursementId: string;
    recipient: string;
    purpose: "programme" | "administrative";
    amount: string;
    confirmed: boolean;
    txHash: string;
    timestamp: number;
  }[];
}

/** GET /api/charity/donations/:ref (donation id, id prefix or receipt code) */
export interface DonationDetail extends Json<DonationTrace> {
  readonly timestamp: number;
  readonly reversed: boolean;
}

/** GET /api/charity/stats */
export interface CharityStats {
  readonly totals: {
    projects: number;
    /** Cash donations recorded (each a record, not a person: donors are salted commitments). */
    donations: number;
    /** Donations reversed since (corrections). */
    reversals: number;
    /** Donations whose source stated no receipt date: the month of their block stands in. */
    undatedDonations: number;
    /** Donations recorded (gross, as the projects' `received`). */
    received: string;
    /** Donations reversed (refunded) since. */
    reversed: string;
    programme: string;
    administrative: string;
    balance: string;
  };
  /**
   * Donations and spending per calendar month, `YYYY-MM`: donations by receipt date (`receivedOn`, else
   * the block's day in UTC+8), a reversal in its donation's month, payments by the day they were recorded.
   */
  readonly months: { month: string; donations: number; received: string; spent: string }[];
  /** The Charity Law ratios per charity and year. */
  readonly years: Json<CharityYear>[];
  readonly projects: CharityProjectSummary[];
}

/** GET /api/charity/statistics: a published statistics report beside the records it covers. */
export interface StatisticsReport {
  readonly periodId: string;
  /** Civil affairs, who published it. */
  readonly by: string;
  readonly reportHash: string;
  readonly blockNumber: number;
  readonly txHash: string;
  readonly timestamp: number;
  /** The totals the report published (the ledger's counters at that moment), fen and counts as strings. */
  readonly published: StatisticsTotals;
  /** The same totals summed from the events recorded before it. */
  readonly records: StatisticsTotals;
  /** Every published figure equals its sum of records. */
  readonly matches: boolean;
  /** Records of each kind before it. */
  readonly counts: { donations: number; reversals: number; disbursements: number; goodsLots: number; projects: number };
  /** Each project's line at that moment. */
  readonly projects: {
    projectId: string;
    code: string;
    donations: number;
    received: string;
    reversed: string;
    programme: string;
    administrative: string;
    goodsValuation: string;
  }[];
}

export interface StatisticsTotals {
  readonly received: string;
  readonly reversed: string;
  readonly programmeSpent: string;
  readonly adminSpent: string;
  readonly goodsValuation: string;
  readonly donationCount: string;
  readonly projectCount: string;
}

/** GET /api/trace/recalls (newest first) */
export interface RecallSummary {
  readonly recallId: number;
  readonly batchId: string;
  readonly productCode: string;
  readonly lotCode: string;
  /** The recalled batch's quantity, and how much of it holders accounted for (at most that). */
  readonly affected: string;
  readonly accounted: string;
  readonly uom: string;
  readonly acknowledgements: number;
  readonly timestamp: number;
}

/** GET /api/trace/recalls/:id : a recall's reach, acknowledgements and effectiveness. */
export interface RecallView {
  readonly recallId: number;
  readonly batchId: string;
  readonly productCode: string;
  readonly lotCode: string;
  readonly regulator: string;
  readonly reasonHash: string;
  readonly txHash: string;
  readonly timestamp: number;
  readonly affected: string;
  readonly uom: string;
  /** Σ acknowledged quantities, at most `affected` (the ledger's `accounted`). */
  readonly accounted: string;
  /** accounted / affected in basis points, rounded down. */
  readonly effectivenessBp: number;
  readonly acknowledgements: number;
  /** Distinct holders of the batches it reaches, today. */
  readonly holders: string[];
  /** The recalled batch first, then every batch made from it. */
  readonly reach: {
    batchId: string;
    productCode: string;
    lotCode: string;
    quantity: string;
    uom: string;
    /** Custodian today. */
    holder: string;
    status: string;
    acknowledgement?: {
      holder: string;
      action: string;
      quantity: string;
      evidenceHash: string;
      txHash: string;
      timestamp: number;
    };
  }[];
}

/** GET /api/trace/batches (newest first) */
export interface BatchSummary {
  readonly batchId: string;
  readonly productCode: string;
  readonly lotCode: string;
  readonly quantity: string;
  readonly uom: string;
  readonly producer: string;
  readonly origin: "commissioned" | "split" | "merged" | "transformed";
  readonly blockNumber: number;
  readonly timestamp: number;
}

/** GET /api/trace/batches/:ref (batch id, or `productCode/lotCode`) */
export interface BatchPage {
  readonly batch: {
    batchId: string;
    productCode: string;
    lotCode: string;
    quantity: string;
    uom: string;
    status: string;
    custodian: string;
    /** Receiver while in transit. */
    pendingReceiver?: string;
    recalled: boolean;
    /** Disposition in words, e.g. `in_progress`, `recalled`. */
    disposition: string;
  };
  readonly product?: {
    productCode: string;
    producer: string;
    category: string;
    geographicIndication: boolean;
    metadataHash: string;
    /** The name its producer gave it (PublicNames). */
    name?: string;
  };
  readonly history: Json<BatchHistory>;
  /** Block timestamps of the steps, by transaction hash. */
  readonly times: Record<string, number>;
  /**
   * The history's places by `<acting organisation, lower case>:<GLN-13>`: the GLN as a 13-digit string (leading
   * zeros kept) and the name that organisation gave it (PublicNames), if any.
   */
  readonly places: Record<string, { gln: string; name?: string }>;
  /** Certificates of the lineage, newest first. */
  readonly certificates: {
    batchId: string;
    inspector: string;
    passed: boolean;
    validUntil: number;
    reportHash: string;
    valid: boolean;
  }[];
  readonly recalls: { recallId: number; batchId: string; regulator: string; reasonHash: string }[];
  /** TraceUnits records that list this batch: packed into or unpacked from a container, bound to business transactions. */
  readonly unitRecords?: {
    event: "UnitsPacked" | "UnitsUnpacked" | "TransactionRecorded";
    /** The container (packing, unpacking) or the EPCIS eventID (transaction). */
    ref: string;
    org: string;
    txHash: string;
    timestamp: number;
  }[];
}

/** GET /api/relief/programmes */
export interface ProgrammeSummary {
  readonly programmeId: string;
  /** The programme's public code (ProgrammeCreated) and name (PublicNames). */
  readonly code: string;
  readonly name?: string;
  readonly finance: string;
  readonly category: string;
  readonly fiscalYear: number;
  readonly appropriated: string;
  /** Sum of every hop's allocation (county → township → village counts the money at each hop). */
  readonly allocated: string;
  /** What the programme's finance allocated down the tree (to holders and projects): 已下拨. */
  readonly released: string;
  readonly disbursed: string;
  readonly returned: string;
  readonly timestamp: number;
}

/** An attestation kind a programme requires of its beneficiaries, and the role that attests it. */
export interface RequiredAttestation {
  readonly kind: number;
  /** Its label, zh and en names (from the definition on chain; undefined when it matches none we know). */
  readonly label?: string;
  readonly zh?: string;
  readonly en?: string;
  /** The attester's role as the chain defines it (`AttestationDefined`), by label; undefined if not defined. */
  readonly attesterRole?: string;
  /** The attester role's Chinese name, e.g. 民政局. */
  readonly attesterZh?: string;
}

/** GET /api/relief/programmes/:id */
export type ProgrammePage = Json<ProgrammeTree> & {
  /** What the programme's finance allocated down the tree: 已下拨. */
  readonly released: string;
  /** The attestation kinds its beneficiaries need (bits of `requiredAttestations`), by name. */
  readonly attestations: RequiredAttestation[];
  /** The programme's public code and name. */
  readonly code: string;
  readonly name?: string;
  /** Its named payment periods. */
  readonly periodNames: readonly PeriodName[];
  /** Its relief projects' codes and names, by project id. */
  readonly projectNames: Readonly<Record<string, { code: string; name?: string }>>;
};

/** GET /api/relief/receipts/:hash : a household's payment by its receipt code's hash (never by a person). */
export interface ReliefReceiptView {
  readonly receiptHash: string;
  readonly disbursementId: string;
  readonly programmeId: string;
  /** The programme's public code, e.g. TS-IND-2026. */
  readonly programmeCode: string;
  readonly category: string;
  readonly fiscalYear: number;
  readonly period: number;
  /** Fen, decimal string. */
  readonly amount: string;
  readonly status: "proposed" | "approved" | "rejected";
  /** The village (or township) that proposed the payment. */
  readonly village: { account: string; name: string; kind: string };
  /** The department that approved (or rejected) it. */
  readonly decidedBy?: { account: string; name: string; kind: string };
  readonly proposedAt: number;
  readonly decidedAt?: number;
  /** The transaction that bound the receipt code's hash. */
  readonly boundTx: string;
}

/** An organisation's binding of a document's keccak-256 to its SHA-256 (DocumentDigests.DigestsBound). */
export interface DigestBinding {
  readonly keccak256: string;
  readonly sha256: string;
  /** The binding organisation (it hashed the file itself). */
  readonly by: string;
  readonly byName?: string;
  /** Whether `by` sent a record anchoring the keccak-256: only such a binding leads a SHA-256 to records. */
  readonly byAnchorer: boolean;
  readonly txHash: string;
  readonly blockNumber: number;
  readonly timestamp: number;
}

/**
 * GET /api/documents/:hash : every record that anchors the hash, taken as a keccak-256 (what the ledgers
 * anchor) or as a SHA-256 (bound to a keccak-256 by the organisation that anchored it: only that
 * organisation's records are followed).
 */
export interface DocumentRecords {
  readonly hash: string;
  /** Which digest the hash is: keccak-256 (records anchor it, or a binding names it), SHA-256, or neither (empty). */
  readonly matched: ("keccak256" | "sha256")[];
  /** Every binding naming the hash as either digest, with who made it. */
  readonly bindings: DigestBinding[];
  /** Each with the keccak-256 it anchors (the hash itself, or the one a SHA-256 is bound to). */
  readonly records: (EventRecord & { field: string; keccak256: string })[];
}

/** Error answer of every route: HTTP status 400, 404, 429 or 500. */
/**
 * What the API answers on an error. `code` is what the explorer translates into a sentence in the
 * reader's language; `message` is English for API users and never carries internal detail (no node
 * address, no stack).
 */
export interface ApiError {
  readonly statusCode: number;
  readonly code: ApiErrorCode;
  readonly error: string;
  readonly message: string;
  /** Seconds to wait (rate-limited answers). */
  readonly retryAfter?: number;
}

export type ApiErrorCode = "bad-request" | "not-found" | "rate-limited" | "node-unreachable" | "internal";

export type { CharityReport };
