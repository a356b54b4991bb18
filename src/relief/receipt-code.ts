/**
 * Receipt codes of relief payments: what lets a villager check a payment without an ID number.
 * The village that proposes a household's payment draws a code, prints it on the payment notice it
 * keeps for the household (a file, never on chain: `relief disburse propose --notices`), and binds
 * the code's hash to the payment on chain (ReliefReceipts). Anyone holding the code finds the payment
 * in the explorer; the explorer hashes the code in the browser, so neither the code nor anything about
 * the household reaches the server or its logs.
 *
 *   code        = "RP-" + base32(80 random bits) in groups of four + check (2 base32 characters)
 *                 e.g. RP-7K3M-Q9TD-XW2A-HB6N-4F
 *   receiptHash = keccak256(abi.encodePacked("zhixin-relief-receipt-v1", bytes10 secret))
 *
 * 80 random bits cannot be enumerated (2^80 codes), so a plain hash suffices (no key, unlike a
 * beneficiary key, whose 18-digit ID number can be). The check (10 bits of a keccak of the secret)
 * catches a mistyped code before anything is looked up. Pure (ethers only): the CLI, the indexer and
 * the explorer share it.
 */
import { getBytes, hexlify, keccak256, randomBytes, solidityPacked } from "ethers";

import { InvalidInputError } from "../errors.js";

export const RELIEF_RECEIPT_DOMAIN = "zhixin-relief-receipt-v1";
const CHECK_DOMAIN = "zhixin-relief-receipt-check-v1";
export const RECEIPT_SECRET_BYTES = 10;
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SECRET_CHARS = 16; // 80 bits
const CHECK_CHARS = 2; // 10 bits

function base32(value: bigint, chars: number): string {
  let out = "";
  for (let i = 0; i < chars; i++) {
    out = CROCKFORD[Number(value & 31n)]! + out;
    value >>= 5n;
  }
  return out;
}

function checkOf(secret: Uint8Array): string {
  const h = BigInt(keccak256(solidityPacked(["string", "bytes10"], [CHECK_DOMAIN, secret])));
  return base32(h >> 246n, CHECK_CHARS);
}

/** A fresh receipt code (80 bits from the platform's cryptographic random source). */
export function newReliefReceiptCode(): string {
  return formatReliefReceiptCode(randomBytes(RECEIPT_SECRET_BYTES));
}

/** The printed form of a 10-byte secret: `RP-XXXX-XXXX-XXXX-XXXX-CC`. */
export function formatReliefReceiptCode(secret: Uint8Array | string): string {
  const s = getBytes(secret);
  if (s.length !== RECEIPT_SECRET_BYTES)
    throw new InvalidInputError("secret", hexlify(s), `must be ${RECEIPT_SECRET_BYTES} bytes`);
  const body = base32(BigInt(hexlify(s)), SECRET_CHARS);
  return `RP-${body.match(/.{4}/g)!.join("-")}-${checkOf(s)}`;
}

/** Whether a text looks like a relief receipt code (before its check is verified). */
export function looksLikeReliefReceiptCode(text: string): boolean {
  return /^\s*RP[-\s]?[0-9A-Z](?:[-\s]?[0-9A-Z]){17}\s*$/i.test(text);
}

/**
 * The 10-byte secret of a receipt code as a villager may type it: any case, with or without hyphens
 * or spaces, O for 0 and I or L for 1 (Crockford). Undefined when it is not a code or its check fails.
 */
export function parseReliefReceiptCode(text: string): Uint8Array | undefined {
  const t = text.trim().toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (!t.startsWith("RP")) return undefined;
  const body = t.slice(2);
  if (body.length !== SECRET_CHARS + CHECK_CHARS) return undefined;
  let v = 0n;
  for (const c of body.slice(0, SECRET_CHARS)) {
    const i = CROCKFORD.indexOf(c);
    if (i < 0) return undefined;
    v = (v << 5n) | BigInt(i);
  }
  const secret = getBytes("0x" + v.toString(16).padStart(RECEIPT_SECRET_BYTES * 2, "0"));
  return checkOf(secret) === body.slice(SECRET_CHARS) ? secret : undefined;
}

/** The hash bound on chain to the payment, from the code (throws when the code is malformed or mistyped). */
export function reliefReceiptHash(code: string): string {
  const secret = parseReliefReceiptCode(code);
  if (secret === undefined) throw new InvalidInputError("receipt code", code, "is not a valid RP- receipt code");
  return keccak256(solidityPacked(["string", "bytes10"], [RELIEF_RECEIPT_DOMAIN, secret]));
}

// ------------------------------------------------------------------ what never to search for

/**
 * Whether a text is (or contains) a personal identifier the public search must never send anywhere:
 * an 18-digit resident ID number (GB 11643, last character a digit or X), a 15-digit old one, or a
 * mainland mobile number. The explorer's search box refuses such text in the browser.
 */
export function looksLikePersonalNumber(text: string): boolean {
  const t = text.normalize("NFKC").replace(/[\s-]/g, "");
  // A hash, address or id (hex, with or without 0x) is never a person's number.
  if (/^0x[0-9a-f]*$/i.test(t) || /^[0-9a-f]{40,}$/i.test(t)) return false;
  return (
    /(?:^|\D)\d{17}[\dXx](?:$|\D)/.test(t) ||
    /(?:^|\D)\d{15}(?:$|\D)/.test(t) ||
    /(?:^|\D)(?:\+?86)?1[3-9]\d{9}(?:$|\D)/.test(t)
  );
}
