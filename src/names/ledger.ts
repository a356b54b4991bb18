/**
 * Public names bound to the ledgers' ids (contracts/names/PublicNames.sol): the writes the CLI and the demo
 * use, each validating its input before it reaches the chain. The creator of a record names it; an
 * organisation names its own locations.
 */
import type { Signer } from "ethers";

import type { LegacyOverrides } from "../chain.js";
import { requireNames, type Deployment } from "../deployment.js";
import { InvalidInputError } from "../errors.js";
import { sendWrite, type Write } from "../tx.js";

/** Longest name and period code, in bytes of UTF-8 (PublicNames.MAX_NAME_BYTES, MAX_CODE_BYTES). */
export const MAX_NAME_BYTES = 96;
export const MAX_CODE_BYTES = 32;

/** A public name: trimmed, 1 to 96 bytes of UTF-8. */
export function parseName(input: string, field = "name", max = MAX_NAME_BYTES): string {
  const v = input.trim();
  const bytes = new TextEncoder().encode(v).length;
  if (bytes === 0 || bytes > max)
    throw new InvalidInputError(field, input, `must be 1 to ${max} bytes of UTF-8 (this one is ${bytes})`);
  return v;
}

function namesFor(d: Deployment, signer: Signer) {
  return requireNames(d).connect(signer);
}

/** The charity that proposed `projectId` names it. */
export function nameCharityProject(
  d: Deployment,
  signer: Signer,
  projectId: string,
  name: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(namesFor(d, signer).nameCharityProject, [projectId, parseName(name)], o);
}

/** The finance bureau that created `programmeId` names it. */
export function nameProgramme(
  d: Deployment,
  signer: Signer,
  programmeId: string,
  name: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(namesFor(d, signer).nameProgramme, [programmeId, parseName(name)], o);
}

/** The holder that created relief project `projectId` names it. */
export function nameReliefProject(
  d: Deployment,
  signer: Signer,
  projectId: string,
  name: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(namesFor(d, signer).nameReliefProject, [projectId, parseName(name)], o);
}

/** The programme's finance bureau gives payment period `period` (1..periods) a code and a name. */
export function namePeriod(
  d: Deployment,
  signer: Signer,
  programmeId: string,
  period: number,
  code: string,
  name: string,
  o: LegacyOverrides,
): Promise<Write> {
  if (!Number.isInteger(period) || period < 1 || period > 0xffffffff)
    throw new InvalidInputError("period", String(period), "must be a period number, 1 or more");
  return sendWrite(
    namesFor(d, signer).namePeriod,
    [programmeId, period, parseName(code, "period code", MAX_CODE_BYTES), parseName(name)],
    o,
  );
}

/** The producer names its product (`productCode` as the trace ledger holds it: bytes32). */
export function nameProduct(
  d: Deployment,
  signer: Signer,
  productCode: string,
  name: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(namesFor(d, signer).nameProduct, [productCode, parseName(name)], o);
}

/** The signing organisation names one of its locations (a GLN-13 as the trace ledger's number). */
export function nameLocation(
  d: Deployment,
  signer: Signer,
  gln: bigint,
  name: string,
  o: LegacyOverrides,
): Promise<Write> {
  return sendWrite(namesFor(d, signer).nameLocation, [gln, parseName(name)], o);
}
