import type { NetworkConnection } from "hardhat/types/network";

import FoundationModule from "../../deploy/modules/Foundation.js";
import { connectDeployment, type Deployment } from "../../src/deployment.js";
import { DEV_PARAMETERS } from "../../src/dev/setup.js";

export { DEV_PARAMETERS };

/** Deploys the foundation module alone, with the dev parameters `npm run deploy:local` uses. */
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
