/**
 * Beneficiary keys: what stands for a person on chain.
 *
 * A resident identity number (居民身份证号码, GB 11643-1999) has 17 digits and a check character,
 * and most of it (region, birth date) is guessable: a plain hash of it could be reversed by trying
 * every number in a few hours. The key is therefore a keyed hash, HMAC-SHA256 under a consortium
 * secret kept off chain in one place, the key service's keystore (src/keyservice/): without the secret a
 * key says nothing, and through the service a department finds a person's key again from the number it
 * holds (贫困人口个人信息跨部门可信交换) without the number ever reaching the chain.
 * Household-record hashes are keyed the same way, under a different label.
 */
import { createHmac } from "node:crypto";

import { isHexString } from "ethers";

import { InvalidInputError, LedgerError } from "../errors.js";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

/** The name of the configuration variable holding the consortium secret. */
export const RELIEF_SECRET_VARIABLE = "ZHIXIN_RELIEF_SECRET";

/**
 * The secret of the local development chain, used by the demo and the tests only. A real
 * consortium generates its own (`openssl rand -hex 32`) and stores it with `npx hardhat keystore set`.
 */
export const DEV_RELIEF_SECRET = "0x7a686978696e2d6465762d72656c6965662d7365637265742d6e6f742d7573652d";

/** The check character of the first 17 digits of an identity number. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** Why `id` is not a valid identity number (never echoing the number), or undefined. */
export function idNumberProblem(id: string): string | undefined {
  if (id.length !== 18) return `must be 18 characters, got ${id.length}`;
  if (!/^\d{17}[\dX]$/.test(id)) return "must be 17 digits and a digit or X";
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    year < 1900 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getTime() > Date.now()
  ) {
    return "the birth date in it is not a real date";
  }
  if (id[17] !== idCheckChar(id.slice(0, 17))) return "the check character does not match";
  return undefined;
}

/**
 * Normalises (trim, full-width digits and lower-case x) and validates an identity number. The
 * error names the problem and masks the number, so that it never reaches a log.
 */
export function parseIdNumber(input: string): string {
  const id = input
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[xｘＸ]$/, "X");
  const problem = idNumberProblem(id);
  if (problem !== undefined) throw new InvalidInputError("ID number", maskIdNumber(input.trim()), problem);
  return id;
}

/** `440781********123X`: how an identity number may be shown on screen. */
export function maskIdNumber(id: string): string {
  if (id.length <= 10) return "*".repeat(id.length);
  return id.slice(0, 6) + "*".repeat(id.length - 10) + id.slice(-4);
}

/** Parses the consortium secret: hex, at least 32 bytes. */
export function parseReliefSecret(input: string | undefined): Buffer {
  if (input === undefined || input.trim() === "") {
    throw new LedgerError(
      `${RELIEF_SECRET_VARIABLE} (the consortium's beneficiary-key secret) is not set: set it in the environment or with \`npx hardhat keystore set ${RELIEF_SECRET_VARIABLE}\``,
    );
  }
  const v = input.trim();
  const hex = v.startsWith("0x") ? v : `0x${v}`;
  if (!isHexString(hex) || hex.length % 2 !== 0 || hex.length < 2 + 64) {
    throw new InvalidInputError(
      RELIEF_SECRET_VARIABLE,
      "(hidden)",
      "must be at least 32 bytes of hex (an even number of hex digits)",
    );
  }
  return Buffer.from(hex.slice(2), "hex");
}

function hmac(secret: Buffer, label: string, text: string): string {
  return "0x" + createHmac("sha256", secret).update(`${label}\u0000${text}`, "utf8").digest("hex");
}

/** The beneficiary key of an identity number (validated and normalised first). */
export function beneficiaryKey(secret: Buffer, idNumber: string): string {
  return hmac(secret, "zhixin-relief-beneficiary:v1", parseIdNumber(idNumber));
}

/**
 * The household-record hash: keyed like the beneficiary key, over the household record's text
 * (e.g. the 建档立卡 household number and the record's version), so it cannot be guessed either.
 */
export function householdHash(secret: Buffer, record: string): string {
  const text = record.trim();
  if (text === "") throw new InvalidInputError("household record", record, "is empty");
  return hmac(secret, "zhixin-relief-household:v1", text);
}
