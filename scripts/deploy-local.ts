/**
 * `npm run deploy:local`: deploys Zhixin Ledger to the Anvil node of `npm run chain`
 * and registers the sample Jiangmen organisations. Safe to re-run: Ignition resumes its
 * recorded deployment and registered organisations are skipped.
 */
import { network } from "hardhat";

import { LOCAL_CHAIN_ID } from "../src/networks.js";
import { listOrganisations } from "../src/registry.js";
import { deployWithSamples } from "../src/dev/setup.js";

const connection = await network.getOrCreate();
const { chainId } = await connection.ethers.provider.getNetwork().catch((e: Error) => {
  console.error(`Error: cannot reach ${connection.networkName}: ${e.message}. Is \`npm run chain\` running?`);
  process.exit(1);
});
if (chainId !== BigInt(LOCAL_CHAIN_ID)) {
  console.error(
    `Error: ${connection.networkName} has chain id ${chainId}, not the local chain's ${LOCAL_CHAIN_ID}; refusing to put sample data there`,
  );
  process.exit(1);
}
const d = await deployWithSamples(connection);
const orgs = await listOrganisations(d);
console.log(`done: ${orgs.length} organisations on chain ${chainId}. Try: npx hardhat org list --network localhost`);
