/**
 * What the relief tasks share: who computes beneficiary keys (the key service, or the dev chain's
 * secret), the key of `--id-number` or `--key`, programmes and projects named by code, document options.
 */
import type { Signer } from "ethers";
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { Deployment } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { parseBytes32 } from "../../src/hash.js";
import { LOCAL_CHAIN_ID } from "../../src/networks.js";
import {
  KEY_SERVICE_URL_VARIABLE,
  KeyServiceClient,
  localKeySource,
  oneKey,
  type KeySource,
} from "../../src/relief/key-service-client.js";
import { RELIEF_SECRET_VARIABLE, maskIdNumber, parseReliefSecret } from "../../src/relief/key.js";
import * as ledger from "../../src/relief/ledger.js";
import { openSession, required } from "../common.js";

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

/** The key of `--id-number` (from the key service, signed by `--from`) or `--key` (given). */
export async function keyOf(
  hre: HardhatRuntimeEnvironment,
  a: { idNumber: string; key: string; from?: string },
): Promise<{ key: string; shown: string }> {
  if (a.idNumber !== "" && a.key !== "") throw new LedgerError("give --id-number or --key, not both");
  if (a.key !== "") {
    const key = parseBytes32("--key", a.key);
    return { key, shown: key };
  }
  const id = required("--id-number (or --key)", a.idNumber);
  const s = await openSession(hre, a.from ?? "");
  const { key } = await oneKey(await keySourceFor(hre, s.signer, s.deployment.chainId), id);
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

/**
 * Who computes beneficiary keys for this command: the key service named by ZHIXIN_KEY_SERVICE_URL,
 * asked by `signer` (the organisation's own account), or, when that is unset, the consortium secret on
 * this machine, which is for the development chain only (a warning says so on any other chain).
 */
export async function keySourceFor(
  hre: HardhatRuntimeEnvironment,
  signer: Signer,
  chainId: bigint,
): Promise<KeySource> {
  const url = process.env[KEY_SERVICE_URL_VARIABLE]?.trim();
  if (url !== undefined && url !== "") return new KeyServiceClient(url, signer, chainId);
  if (chainId !== BigInt(LOCAL_CHAIN_ID) && chainId !== 31337n) {
    console.error(
      `dev only: ${KEY_SERVICE_URL_VARIABLE} is not set, so keys are computed from ${RELIEF_SECRET_VARIABLE} on this machine. A consortium's villages do not hold that secret: set ${KEY_SERVICE_URL_VARIABLE} to the key service (README, "The key service")`,
    );
  }
  return localKeySource(await reliefSecret(hre));
}
