/**
 * Deploys the foundation with Ignition and registers the sample organisations: the shared
 * body of `npm run deploy:local` and `npm run demo`.
 */
import { fileURLToPath } from "node:url";

import type { NetworkConnection } from "hardhat/types/network";

import LedgerModule from "../../deploy/modules/Ledger.js";
import { legacyOverrides } from "../chain.js";
import { loadDeployment, connectDeployment, type Deployment } from "../deployment.js";
import { LedgerError } from "../errors.js";
import { readOrganisationsFile, registerOrganisations } from "./samples.js";

export const DEV_PARAMETERS = fileURLToPath(new URL("../../deploy/parameters/dev.json", import.meta.url));

export async function deployWithSamples(
  connection: NetworkConnection,
  log: (line: string) => void = console.log,
): Promise<Deployment> {
  const { ethers, ignition, networkName, networkConfig } = connection;
  const signers = await ethers.getSigners();
  const admin = signers[0];
  if (admin === undefined) throw new LedgerError(`no account is configured for network ${networkName}`);
  const { chainId } = await ethers.provider.getNetwork();

  log(`deploying Zhixin Ledger to ${networkName} (chain ${chainId}) with Ignition`);
  const {
    manager,
    registry,
    charity,
    trace,
    traceUnits,
    relief,
    keyServiceAnchor,
    reliefReceipts,
    publicNames,
    documentDigests,
    council,
    brake,
  } = await ignition.deploy(LedgerModule, {
    parameters: DEV_PARAMETERS,
    displayUi: false,
  });
  const d =
    networkConfig.type === "edr-simulated"
      ? connectDeployment(
          chainId,
          {
            AccessManager: await manager.getAddress(),
            OrgRegistry: await registry.getAddress(),
            CharityLedger: await charity.getAddress(),
            TraceLedger: await trace.getAddress(),
            TraceUnits: await traceUnits.getAddress(),
            ReliefLedger: await relief.getAddress(),
            KeyServiceAnchor: await keyServiceAnchor.getAddress(),
            PublicNames: await publicNames.getAddress(),
            ReliefReceipts: await reliefReceipts.getAddress(),
            DocumentDigests: await documentDigests.getAddress(),
            Council: await council.getAddress(),
            EmergencyBrake: await brake.getAddress(),
          },
          admin,
        )
      : await loadDeployment(admin); // read back from the records, as every other tool will
  for (const [name, address] of Object.entries(d.addresses)) log(`  ${name.padEnd(13)} ${address}`);

  log("registering the sample Jiangmen organisations");
  const overrides = await legacyOverrides(ethers.provider, networkConfig.gasPrice);
  const signerFor = async (account: string) => {
    const s = signers.find((x) => x.address.toLowerCase() === account.toLowerCase());
    if (s === undefined) throw new LedgerError(`account ${account} is not available on network ${networkName}`);
    return s;
  };
  const { registered, skipped } = await registerOrganisations(
    d,
    await readOrganisationsFile(),
    signerFor,
    overrides,
    log,
  );
  log(`  ${registered} registered, ${skipped} already there`);
  return d;
}
