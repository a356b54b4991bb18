/**
 * Public codes (`JM-FLOOD-2026`, `TS-IND-2026`) within their creator: charity projects, relief
 * programmes and relief projects are named by a code, and their id is
 * keccak256(abi.encode(creator, keccak256(code))), as the ledgers compute it, so no other creator can
 * take a code first.
 */
import { AbiCoder, id as keccakText, isHexString, keccak256, toUtf8Bytes } from "ethers";

import { InvalidInputError } from "./errors.js";

/** A record as a person names it: its 0x id, or its code (trimmed; 1 to 64 bytes). */
export function parseCodeRef(field: string, text: string, noun = "code"): { id: string } | { code: string } {
  const v = text.trim();
  if (v === "") throw new InvalidInputError(field, text, `must be a ${noun} or a 0x id`);
  if (isHexString(v, 32)) return { id: v.toLowerCase() };
  if (toUtf8Bytes(v).length > 64) throw new InvalidInputError(field, text, `a ${noun} is at most 64 bytes`);
  return { code: v };
}

/** keccak256 of a code (trimmed), as the ledgers' `codeHash`. */
export function codeHash(code: string): string {
  return keccakText(code.trim());
}

/** The id of `creator`'s record under `code`: keccak256(abi.encode(creator, keccak256(code))). */
export function codeIdOf(creator: string, code: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [creator, codeHash(code)]));
}
