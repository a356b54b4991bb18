/**
 * What the relief tasks share: the consortium secret that turns an ID number into a beneficiary key.
 */
import type { Signer } from "ethers";
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { LOCAL_CHAIN_ID } from "../../src/networks.js";
import {
  KEY_SERVICE_URL_VARIABLE,
  KeyServiceClient,
  localKeySource,
  type KeySource,
} from "../../src/relief/key-service-client.js";
import { RELIEF_SECRET_VARIABLE, parseReliefSecret } from "../../src/relief/key.js";

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
