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
  readonly transactions: number;
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
  | "document";

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
}

/** A node and link of a Sankey diagram: donors (grouped) → project → recipients. */
export interface Sankey {
  readonly nodes: { name: string; kind: "donors" | "project" | "recipient" | "held" | "grant" | "reversal" }[];
  /** Amounts in fen as decimal strings. */
  readonly links: { source: string; target: string; value: string }[];
}

/** GET /api/charity/projects/:id */
export interface CharityProjectDetail extends CharityProjectSummary {
  /** Distinct donor commitments (one donor giving twice with the same salt counts once). */
  readonly donors: number;
  readonly permitHash: string;
  readonly metadataHash: string;
  readonly sankey: Sankey;
  /** The latest donations (no names: amount, commitment, transaction). */
  readonly donationsList: {
    donationId: string;
    amount: string;
    channel: number;
    donorCommitment: string;
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
    donations: number;
    donors: number;
    /** Donations recorded (gross, as the projects' `received`). */
    received: string;
    /** Donations reversed (refunded) since. */
    reversed: string;
    programme: string;
    administrative: string;
    balance: string;
  };
  /** Donations and spending per calendar month (UTC+8), `YYYY-MM`. */
  readonly months: { month: string; donations: number; received: string; spent: string }[];
  /** The Charity Law ratios per charity and year. */
  readonly years: Json<CharityYear>[];
  readonly projects: CharityProjectSummary[];
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
  };
  readonly history: Json<BatchHistory>;
  /** Block timestamps of the steps, by transaction hash. */
  readonly times: Record<string, number>;
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
}

/** GET /api/relief/programmes */
export interface ProgrammeSummary {
  readonly programmeId: string;
  readonly finance: string;
  readonly category: string;
  readonly fiscalYear: number;
  readonly appropriated: string;
  readonly allocated: string;
  readonly disbursed: string;
  readonly returned: string;
  readonly timestamp: number;
}

/** GET /api/relief/programmes/:id */
export type ProgrammePage = Json<ProgrammeTree>;

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

/** GET /api/documents/:hash : every record that anchors the hash. */
export interface DocumentRecords {
  readonly hash: string;
  readonly records: (EventRecord & { field: string })[];
}

/** Error answer of every route: HTTP status 400, 404, 429 or 500. */
export interface ApiError {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
}

export type { CharityReport };
