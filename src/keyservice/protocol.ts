/**
 * The key service's wire protocol, shared by the server (src/keyservice/server.ts) and the client
 * (src/relief/key-service-client.ts): the routes, the request and response bodies, and what a
 * request's signature covers.
 *
 * Every request that asks for something is signed by the asking organisation's account (EIP-191
 * `personal_sign`, what every wallet and `ethers.Signer.signMessage` make) over one text naming the
 * service, the chain, the method, the path, the SHA-256 of the body, a timestamp and a nonce. The
 * server recovers the account from the signature, so no password or token is ever shared; the chain
 * id keeps a request made for one deployment from being replayed against another, and the timestamp
 * and nonce keep it from being replayed against the same one.
 */
import { createHash, randomBytes } from "node:crypto";

import { getAddress, verifyMessage } from "ethers";

/** Headers of a signed request. */
export const HEADER = {
  account: "x-zhixin-account",
  timestamp: "x-zhixin-timestamp",
  nonce: "x-zhixin-nonce",
  signature: "x-zhixin-signature",
} as const;

/** The routes, one table for server and client alike. */
export const ROUTES = {
  /** GET: the service's state (no signature). */
  health: "/v1/health",
  /** POST, signed: beneficiary keys and household hashes for a batch. */
  keys: "/v1/keys",
  /** GET: the request log (no signature; it holds no personal data). */
  log: "/v1/log",
  /** POST, signed: anchor the log's head on chain now. */
  anchor: "/v1/anchor",
} as const;

/** The most items (ID numbers plus household records) one request may carry. */
export const MAX_BATCH = 10_000;

/** `POST /v1/keys`: ID numbers to key, and household records to hash, in any number up to {@link MAX_BATCH}. */
export interface KeysRequest {
  readonly idNumbers: readonly string[];
  readonly households: readonly string[];
}

/** One item's answer: its key or hash, or why it was not computed (the value masked, never echoed). */
export type KeyResult = { readonly key: string } | { readonly value: string; readonly problem: string };

export interface KeysResponse {
  /** The secret's version: the fingerprint of the secret the keys were made under (see the README, key rotation). */
  readonly keyVersion: string;
  /** In the order of the request's `idNumbers`. */
  readonly keys: readonly KeyResult[];
  /** In the order of the request's `households`. */
  readonly householdHashes: readonly KeyResult[];
  /** The log entry this request was recorded as. */
  readonly logIndex: number;
}

/** One entry of the request log: who asked for how many keys when. Never an ID number. */
export interface LogEntry {
  /** 1, 2, 3, … */
  readonly index: number;
  /** Milliseconds since 1970 (the server's clock when it answered). */
  readonly at: number;
  readonly account: string;
  /** The role the account asked in (its organisation kind's label). */
  readonly role: string;
  /** Beneficiary keys asked for. */
  readonly keys: number;
  /** Household hashes asked for. */
  readonly households: number;
  readonly keyVersion: string;
  /** The SHA-256 of the request body as signed (binds the entry to the exact request). */
  readonly bodyHash: string;
  /** The head before this entry (zero for the first). */
  readonly previous: string;
  /** keccak256 of the entry's fields and `previous`: the head after this entry. */
  readonly hash: string;
}

export interface AnchorView {
  readonly count: number;
  readonly head: string;
  readonly txHash: string;
  readonly at: number;
}

export interface HealthResponse {
  readonly service: "zhixin-keyservice";
  readonly chainId: string;
  readonly keyVersion: string;
  readonly anchor: string;
  readonly count: number;
  readonly head: string;
  readonly lastAnchor?: AnchorView;
}

export interface LogResponse {
  readonly entries: readonly LogEntry[];
  readonly count: number;
  readonly head: string;
  readonly anchors: readonly AnchorView[];
}

/** The SHA-256 of a body as sent, 0x-hex. */
export function bodyHash(body: string): string {
  return "0x" + createHash("sha256").update(body, "utf8").digest("hex");
}

/** A fresh nonce: 16 random bytes, hex. */
export function newNonce(): string {
  return randomBytes(16).toString("hex");
}

/** What the signature covers: one line per field, so that no two requests sign the same text. */
export function signedText(r: {
  chainId: bigint | string;
  method: string;
  path: string;
  bodyHash: string;
  timestamp: number;
  nonce: string;
}): string {
  return [
    "Zhixin Ledger key service request",
    `chain: ${r.chainId}`,
    `method: ${r.method.toUpperCase()}`,
    `path: ${r.path}`,
    `body-sha256: ${r.bodyHash}`,
    `timestamp: ${r.timestamp}`,
    `nonce: ${r.nonce}`,
  ].join("\n");
}

/** The account that signed `text` (checksummed), or undefined when the signature is malformed. */
export function recoverSigner(text: string, signature: string): string | undefined {
  try {
    return getAddress(verifyMessage(text, signature));
  } catch {
    return undefined;
  }
}
