import { fileURLToPath } from "node:url";

import type { NetworkConnection } from "hardhat/types/network";

import FoundationModule from "../../deploy/modules/Foundation.js";
import { connectDeployment, type Deployment } from "../../src/deployment.js";

export const DEV_PARAMETERS = fileURLToPath(new URL("../../deploy/parameters/dev.json", import.meta.url));

/** Deploys the foundation module with the dev parameters, as `npm run deploy:local` does. */
export async function deployFoundation(connection: NetworkConnection): Promise<Deployment> {
  const { ethers, ignition } = connection;
  const { manager, registry } = await ignition.deploy(FoundationModule, { parameters: DEV_PARAMETERS });
  const [admin] = await ethers.getSigners();
  const { chainId } = await ethers.provider.getNetwork();
  return connectDeployment(
    chainId,
    { AccessManager: await manager.getAddress(), OrgRegistry: await registry.getAddress() },
    admin!,
  );
}
