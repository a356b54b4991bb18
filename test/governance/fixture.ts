/**
 * The whole deployment with the sample organisations (deployWithSamples, as the demo deploys it) and the
 * departments' signers: the council's proposers and cancellers, and the ledgers' guardians.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";

import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import type { Deployment } from "../../src/deployment.js";
import { deployWithSamples } from "../../src/dev/setup.js";

export interface GovernedDeployment {
  readonly d: Deployment;
  readonly deployer: HardhatEthersSigner;
  readonly civilAffairs: HardhatEthersSigner;
  readonly marketRegulator: HardhatEthersSigner;
  readonly finance: HardhatEthersSigner;
  readonly ruralAffairs: HardhatEthersSigner;
  readonly audit: HardhatEthersSigner;
  /** An account with no role and no registration. */
  readonly stranger: HardhatEthersSigner;
}

export async function deployGoverned(connection: NetworkConnection): Promise<GovernedDeployment> {
  const { ethers } = connection;
  const d = await deployWithSamples(connection, () => {});
  const F = DevParameters.Foundation;
  const signers = await ethers.getSigners();
  const used = new Set(
    [signers[0]!.address, ...Object.values(F)].filter((v) => typeof v === "string").map((a) => a.toLowerCase()),
  );
  const registered = new Set<string>();
  for (let i = 0n; i < (await d.registry.organisationCount()); i++)
    registered.add((await d.registry.organisationAt(i)).toLowerCase());
  const stranger = signers.find((s) => !used.has(s.address.toLowerCase()) && !registered.has(s.address.toLowerCase()));
  if (stranger === undefined) throw new Error("no spare account for the stranger");
  return {
    d,
    deployer: signers[0]!,
    civilAffairs: await ethers.getSigner(F.civilAffairsAccount),
    marketRegulator: await ethers.getSigner(F.marketRegulatorAccount),
    finance: await ethers.getSigner(F.financeAccount),
    ruralAffairs: await ethers.getSigner(F.ruralAffairsAccount),
    audit: await ethers.getSigner(F.auditAccount),
    stranger,
  };
}
