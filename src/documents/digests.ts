/**
 * Documents' SHA-256 bound to their keccak-256 on chain (contracts/documents/DocumentDigests.sol), so that a
 * SHA-256 published elsewhere finds the records anchoring the document. An organisation binds the digests of
 * files it hashed itself (src/hash.ts), for itself: a binding is keyed by (organisation, keccak-256).
 */
import { ZeroHash, type Signer } from "ethers";

import type { LegacyOverrides } from "../chain.js";
import type { Deployment } from "../deployment.js";
import type { FileDigests } from "../hash.js";
import { sendWrite, type Write } from "../tx.js";

/** Most pairs in one transaction (`DocumentDigests.MAX_BATCH`). */
export const MAX_DIGEST_BATCH = 256;

/** The SHA-256 organisation `by` bound to a keccak-256, undefined when none (or no DocumentDigests deployed). */
export async function boundSha256(d: Deployment, by: string, keccak256: string): Promise<string | undefined> {
  if (d.documentDigests === undefined) return undefined;
  const s = await d.documentDigests.sha256Of(by, keccak256);
  return s === ZeroHash ? undefined : s;
}

/**
 * Binds each file's SHA-256 to its keccak-256 for the signer's organisation: pairs it bound already are left
 * out, the rest go in one transaction (one per 256 files). The value of each write is the number of pairs it
 * bound. Nothing is sent when the deployment has no DocumentDigests or every pair is bound already.
 */
export async function bindFileDigests(
  d: Deployment,
  signer: Signer,
  files: readonly FileDigests[],
  o: LegacyOverrides,
): Promise<Write<number>[]> {
  if (d.documentDigests === undefined) return [];
  const by = await signer.getAddress();
  const bound = await Promise.all(files.map((f) => boundSha256(d, by, f.keccak256)));
  const todo = files.filter((f, i) => bound[i] !== f.sha256);
  const contract = d.documentDigests.connect(signer);
  const writes: Write<number>[] = [];
  for (let i = 0; i < todo.length; i += MAX_DIGEST_BATCH) {
    const chunk = todo.slice(i, i + MAX_DIGEST_BATCH);
    const w = await sendWrite(contract.bindDigests, [chunk.map((f) => f.keccak256), chunk.map((f) => f.sha256)], o);
    writes.push({ ...w, value: chunk.length });
  }
  return writes;
}
