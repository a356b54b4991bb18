import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

import { ZeroHash, isHexString, keccak256 } from "ethers";

import { InvalidInputError, LedgerError } from "./errors.js";

/** A 32-byte hex value (document hash, commitment); throws naming the field. */
export function parseBytes32(field: string, input: string): string {
  const v = input.trim();
  if (!isHexString(v, 32)) throw new InvalidInputError(field, input, "must be 0x followed by 64 hex digits");
  return v.toLowerCase();
}

/** A file's two digests, as 0x-prefixed lower-case hex. */
export interface FileDigests {
  /** What the ledgers anchor. */
  readonly keccak256: string;
  /** What documents are often published with elsewhere (bound on chain by DocumentDigests). */
  readonly sha256: string;
}

/** Files this process hashed and has not yet handed to {@link takeHashedFiles}: keccak-256 → SHA-256. */
const hashed = new Map<string, string>();

/** A file's keccak-256 and SHA-256. */
export function fileDigests(bytes: Uint8Array): FileDigests {
  return { keccak256: keccak256(bytes), sha256: "0x" + createHash("sha256").update(bytes).digest("hex") };
}

/**
 * keccak256 of a file's bytes: how documents are anchored on chain. The one place the CLI hashes a file: its
 * SHA-256 is computed from the same bytes and kept until the command takes it ({@link takeHashedFiles}) to
 * bind both digests on chain in one transaction (tasks/common.ts `runTask`).
 */
export async function hashFile(path: string): Promise<string> {
  const d = fileDigests(await readFile(path));
  hashed.set(d.keccak256, d.sha256);
  return d.keccak256;
}

/** The digests of the files hashed since the last call, in the order they were first hashed; forgets them. */
export function takeHashedFiles(): FileDigests[] {
  const out = [...hashed].map(([k, s]) => ({ keccak256: k, sha256: s }));
  hashed.clear();
  return out;
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
