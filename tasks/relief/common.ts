/**
 * What the relief tasks share: the consortium secret that turns an ID number into a beneficiary key.
 */
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

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
