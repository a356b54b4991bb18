import { readFile } from "node:fs/promises";

import { ZeroHash, isHexString, keccak256 } from "ethers";

import { InvalidInputError, LedgerError } from "./errors.js";

/** A 32-byte hex value (document hash, commitment); throws naming the field. */
export function parseBytes32(field: string, input: string): string {
  const v = input.trim();
  if (!isHexString(v, 32)) throw new InvalidInputError(field, input, "must be 0x followed by 64 hex digits");
  return v.toLowerCase();
}

/** keccak256 of a file's bytes: how documents are anchored on chain. */
export async function hashFile(path: string): Promise<string> {
  return keccak256(await readFile(path));
}

/** A document hash given either as a file to hash or as a hex value; zero when neither. */
export async function documentHash(field: string, opts: { file?: string; hash?: string }): Promise<string> {
  if (opts.file !== undefined && opts.file !== "" && opts.hash !== undefined && opts.hash !== "") {
    throw new InvalidInputError(field, opts.hash, "give a file or a hash, not both");
  }
  if (opts.file !== undefined && opts.file !== "") {
    try {
      return await hashFile(opts.file);
    } catch (e) {
      throw new InvalidInputError(`${field} file`, opts.file, (e as Error).message);
    }
  }
  if (opts.hash !== undefined && opts.hash !== "") return parseBytes32(field, opts.hash);
  return ZeroHash;
}

/**
 * A document a record must anchor, given as `--<flag>-file` or `--<flag>-hash`: its hash, or a
 * refusal saying which options give it (`what` names the document in that sentence).
 */
export async function requiredDocumentHash(
  field: string,
  opts: { file?: string; hash?: string },
  what: string,
  flag: string,
): Promise<string> {
  const h = await documentHash(field, opts);
  if (h === ZeroHash) throw new LedgerError(`give the ${what} with --${flag}-file or --${flag}-hash`);
  return h;
}
