/**
 * `npm run deploy:consortium`: deploys Zhixin Ledger with Ignition through the `consortium` network to the
 * chain of `npm run consortium` and registers the sample Jiangmen organisations, each signing with its own
 * key (CONSORTIUM_PRIVATE_KEYS: `source .consortium/demo-keys.env`). Safe to re-run, like deploy:local.
 * Sample data goes only to a chain whose id CONSORTIUM_CHAIN_ID names.
 */
import { network } from "hardhat";

import { listOrganisations } from "../src/registry.js";
import { deployWithSamples } from "../src/dev/setup.js";

const connection = await network.getOrCreate();
const { chainId } = await connection.ethers.provider.getNetwork().catch((e: Error) => {
  console.error(`Error: cannot reach ${connection.networkName}: ${e.message}. Is \`npm run consortium\` running?`);
  process.exit(1);
});
const named = process.env.CONSORTIUM_CHAIN_ID;
if (named === undefined || BigInt(named) !== chainId) {
  console.error(
    `Error: ${connection.networkName} has chain id ${chainId}; set CONSORTIUM_CHAIN_ID=${chainId} to put the sample organisations there (source .consortium/demo-keys.env)`,
  );
  process.exit(1);
}
const d = await deployWithSamples(connection);
const orgs = await listOrganisations(d);
console.log(`done: ${orgs.length} organisations on chain ${chainId}. Try: npx hardhat org list --network consortium`);
