/** Identifiers of the charity ledger, computed off chain exactly as the contract does. */
import {
  AbiCoder,
  type BytesLike,
  type Signer,
  concat,
  getAddress,
  id as keccakText,
  isHexString,
  keccak256,
  toUtf8Bytes,
} from "ethers";

import { codeIdOf, parseCodeRef } from "../code-ref.js";
import { InvalidInputError, LedgerError } from "../errors.js";

/**
 * A project is named by a public code (e.g. `JM-FLOOD-2026`) within its charity: its id is
 * keccak256(abi.encode(charity, keccak256(code))), as `CharityLedger.projectIdOf`, so no other charity
 * can take a code first. `text` may also be the 0x id itself.
 */
export function projectIdOf(charity: string, text: string): string {
  const ref = parseProjectRef(text);
  return "id" in ref ? ref.id : codeIdOf(charity, ref.code);
}

/** A project as a person names it: its 0x id, or its code (trimmed; 1 to 64 bytes). */
export function parseProjectRef(text: string): { id: string } | { code: string } {
  return parseCodeRef("project", text, "project code");
}

/** keccak256 of a project code: the `codeHash` topic of `ProjectProposed`, to find a project by code. */
export function projectCodeHash(code: string): string {
  return keccakText(code.trim());
}

/**
 * A donation's reference hash: keccak256(refKey ‖ UTF-8 of the trimmed reference). External
 * references (bank serial numbers, receipt numbers, order ids) are short and often sequential, so a
 * plain hash could be reversed by trying them all; keyed with the charity's reference key (see
 * {@link refKeyOf}) it cannot be, by anyone without the key. (A secret-prefix keccak is a sound MAC:
 * keccak has no length extension.) The same charity key gives the same hash on every machine, so a
 * reference is still recorded once, ever.
 */
export function refHashOf(refKey: string, ref: string): string {
  if (!isHexString(refKey, 32)) throw new InvalidInputError("reference key", refKey, "must be 32 bytes of hex");
  const v = ref.trim();
  if (v === "") throw new InvalidInputError("ref", ref, "must not be empty");
  return keccak256(concat([refKey, toUtf8Bytes(v)]));
}

/** What a charity signs to derive its reference key for one ledger. */
export function refKeyMessage(chainId: bigint, ledger: string): string {
  return `智信链 Zhixin Ledger donation reference key v1\nchain ${chainId}\nledger ${getAddress(ledger)}`;
}

/**
 * A charity's reference key for one ledger: keccak256 of its signature of {@link refKeyMessage}. Only
 * the charity's signing key produces it, and it produces the same key every time (signatures are
 * deterministic, RFC 6979), so no further secret has to be kept or copied between the charity's
 * computers. Another recorder (civil affairs recording for the charity) is given the key by the
 * charity (`charity ref-key`). Refused for a signer whose signatures vary.
 */
export async function refKeyOf(signer: Signer, chainId: bigint, ledger: string): Promise<string> {
  const message = refKeyMessage(chainId, ledger);
  const [first, second] = [await signer.signMessage(message), await signer.signMessage(message)];
  if (first !== second) {
    throw new LedgerError(
      `the signer ${await signer.getAddress()} does not sign deterministically (RFC 6979), so its donation ` +
        "reference key would change from run to run: use a keystore or hardware key that does",
    );
  }
  return keccak256(first);
}

/** A donation's id: keccak256(abi.encode(charity, refHash)), as `CharityLedger.donationId`. */
export function donationIdOf(charity: string, refHash: BytesLike): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [charity, refHash]));
}

/** The largest amount (fen) or valuation one record may carry: `CharityLedger.MAX_AMOUNT` (2^48 - 1). */
export const MAX_AMOUNT_FEN = 2n ** 48n - 1n;
