/**
 * What the relief tasks share: the consortium secret that turns an ID number into a beneficiary key,
 * the key of `--id-number` or `--key`, programmes and projects named by code, document options.
 */
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { Deployment } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { parseBytes32 } from "../../src/hash.js";
import { RELIEF_SECRET_VARIABLE, beneficiaryKey, maskIdNumber, parseReliefSecret } from "../../src/relief/key.js";
import * as ledger from "../../src/relief/ledger.js";
import { required } from "../common.js";

/**
 * The consortium secret, from the environment variable ZHIXIN_RELIEF_SECRET or, when that is unset,
 * from the Hardhat keystore (`npx hardhat keystore set ZHIXIN_RELIEF_SECRET`), resolved the way
 * Hardhat resolves every configuration variable. It is only ever used on this machine.
 */
export async function reliefSecret(hre: HardhatRuntimeEnvironment): Promise<Buffer> {
  const fromEnv = process.env[RELIEF_SECRET_VARIABLE];
  if (fromEnv !== undefined) return parseReliefSecret(fromEnv);
  let value: string;
  try {
    value = await hre.hooks.runHandlerChain(
      "configurationVariables",
      "fetchValue",
      [configVariable(RELIEF_SECRET_VARIABLE)],
      async (_context, v) => process.env[v.name] ?? "",
    );
  } catch (e) {
    // The keystore plugin refuses a key it does not hold; the user needs the one-line fix below.
    if (!(e instanceof Error && e.name === "HardhatError")) throw e;
    value = "";
  }
  return parseReliefSecret(value);
}

export interface DocArgs {
  documentFile: string;
  documentHash: string;
}

/** The key of `--id-number` (computed here) or `--key` (given). */
export async function keyOf(
  hre: HardhatRuntimeEnvironment,
  a: { idNumber: string; key: string },
): Promise<{ key: string; shown: string }> {
  if (a.idNumber !== "" && a.key !== "") throw new LedgerError("give --id-number or --key, not both");
  if (a.key !== "") {
    const key = parseBytes32("--key", a.key);
    return { key, shown: key };
  }
  const id = required("--id-number (or --key)", a.idNumber);
  const key = beneficiaryKey(await reliefSecret(hre), id);
  return { key, shown: `${maskIdNumber(id.trim())} (key ${key})` };
}

/** The programme named by `code` (a code or 0x id), preferring `preferred`'s own programme under a code. */
export async function programmeOf(
  d: Deployment,
  code: string | undefined,
  preferred?: string,
): Promise<ledger.ProgrammeView> {
  const id = await ledger.resolveProgramme(d, required("programme", code), preferred);
  const p = await ledger.getProgramme(d, id);
  if (p === undefined) throw new LedgerError(`no programme ${code!.trim()} on this chain`);
  return p;
}

/** The relief project named by `code` (a code or 0x id), preferring `preferred`'s own project under a code. */
export async function projectOf(
  d: Deployment,
  code: string | undefined,
  preferred?: string,
): Promise<ledger.ProjectView> {
  const id = await ledger.resolveProject(d, required("project", code), preferred);
  const p = await ledger.getProject(d, id);
  if (p === undefined) throw new LedgerError(`no project ${code!.trim()} on this chain`);
  return p;
}
