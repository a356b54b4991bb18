/**
 * Receipt codes and donor commitments: the part of the donor-privacy scheme (see receipts.ts)
 * that needs nothing but ethers, so that the explorer checks a donor's name against a receipt
 * code in the browser with the very same code the charity's CLI uses.
 *
 *   donorCommitment = keccak256(abi.encodePacked("zhixin-donor-v1", bytes16 salt, NFC(trim(name))))
 *   receipt code    = "ZX-" + base32(first 8 bytes of the donation id) + "-" + base32(salt)
 */
import { getBytes, hexlify, keccak256, solidityPacked } from "ethers";

import { InvalidInputError } from "../errors.js";

export const DONOR_COMMITMENT_DOMAIN = "zhixin-donor-v1";
export const SALT_BYTES = 16;
/** How many leading bytes of the donation id a receipt code carries. */
export const RECEIPT_ID_BYTES = 8;

/** The donor name as committed: Unicode NFC, surrounding white space removed. */
export function normaliseDonorName(name: string): string {
  return name.normalize("NFC").trim();
}

/** The on-chain commitment to a donor's name; `salt` is 16 bytes (hex or bytes). */
export function donorCommitment(name: string, salt: string | Uint8Array): string {
  const s = getBytes(salt);
  if (s.length !== SALT_BYTES) throw new InvalidInputError("salt", hexlify(s), `must be ${SALT_BYTES} bytes`);
  return keccak256(
    solidityPacked(["string", "bytes16", "string"], [DONOR_COMMITMENT_DOMAIN, s, normaliseDonorName(name)]),
  );
}

// --------------------------------------------------------------------------------- receipt codes

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ID_CHARS = Math.ceil((RECEIPT_ID_BYTES * 8) / 5); // 13
const SALT_CHARS = Math.ceil((SALT_BYTES * 8) / 5); // 26

function encodeBase32(bytes: Uint8Array, chars: number): string {
  let v = BigInt(hexlify(bytes));
  let out = "";
  for (let i = 0; i < chars; i++) {
    out = CROCKFORD[Number(v & 31n)]! + out;
    v >>= 5n;
  }
  return out;
}

function decodeBase32(text: string, byteLength: number): Uint8Array | undefined {
  let v = 0n;
  for (const c of text) {
    const i = CROCKFORD.indexOf(c);
    if (i < 0) return undefined;
    v = (v << 5n) | BigInt(i);
  }
  if (v >> BigInt(byteLength * 8) !== 0n) return undefined;
  return getBytes("0x" + v.toString(16).padStart(byteLength * 2, "0"));
}

/** What a receipt code carries. */
export interface ReceiptCode {
  /** The first 8 bytes of the donation id, as 0x + 16 hex digits: enough to find the record. */
  readonly donationIdPrefix: string;
  /** The salt, as 0x + 32 hex digits: with the donor's name it recomputes the commitment. */
  readonly salt: string;
}

/** `ZX-` + 13 base32 characters of the donation id prefix + `-` + 26 of the salt, in two groups of 13. */
export function formatReceiptCode(donationId: string, salt: string | Uint8Array): string {
  const id = getBytes(donationId);
  if (id.length < RECEIPT_ID_BYTES) throw new InvalidInputError("donation id", donationId, "must be 32 bytes");
  const s = getBytes(salt);
  if (s.length !== SALT_BYTES) throw new InvalidInputError("salt", hexlify(s), `must be ${SALT_BYTES} bytes`);
  const saltText = encodeBase32(s, SALT_CHARS);
  return `ZX-${encodeBase32(id.subarray(0, RECEIPT_ID_BYTES), ID_CHARS)}-${saltText.slice(0, 13)}-${saltText.slice(13)}`;
}

/** Reads a receipt code as typed by a person; throws an {@link InvalidInputError} when it is not one. */
export function parseReceiptCode(code: string): ReceiptCode {
  const s = code.normalize("NFKC").toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  const problem = `not a receipt code: expected ZX- followed by ${ID_CHARS + SALT_CHARS} characters (digits and letters except I, L, O, U)`;
  if (!s.startsWith("ZX") || s.length !== 2 + ID_CHARS + SALT_CHARS)
    throw new InvalidInputError("receipt code", code, problem);
  const id = decodeBase32(s.slice(2, 2 + ID_CHARS), RECEIPT_ID_BYTES);
  const salt = decodeBase32(s.slice(2 + ID_CHARS), SALT_BYTES);
  if (id === undefined || salt === undefined) throw new InvalidInputError("receipt code", code, problem);
  return { donationIdPrefix: hexlify(id), salt: hexlify(salt) };
}

/** Whether a receipt code and a name match a donation id and the commitment recorded on chain. */
export function receiptMatches(code: string, name: string, donationId: string, commitment: string): boolean {
  const r = parseReceiptCode(code);
  return (
    donationId.toLowerCase().startsWith(r.donationIdPrefix.toLowerCase()) &&
    donorCommitment(name, r.salt).toLowerCase() === commitment.toLowerCase()
  );
}
