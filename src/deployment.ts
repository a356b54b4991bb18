import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import type { ContractRunner } from "ethers";

import {
  AccessManager__factory,
  CharityLedger__factory,
  KeyServiceAnchor__factory,
  PublicNames__factory,
  ReliefReceipts__factory,
  DocumentDigests__factory,
  EmergencyBrake__factory,
  OrgRegistry__factory,
  ReliefLedger__factory,
  TimelockController__factory,
  TraceLedger__factory,
  TraceUnits__factory,
  type AccessManager,
  type CharityLedger,
  type KeyServiceAnchor,
  type PublicNames,
  type ReliefReceipts,
  type DocumentDigests,
  type EmergencyBrake,
  type OrgRegistry,
  type ReliefLedger,
  type TimelockController,
  type TraceLedger,
  type TraceUnits,
} from "../types/ethers-contracts/index.js";
import { UserError } from "./errors.js";

/** Where Ignition keeps its deployment records (`paths.ignition` is `deploy/`). */
export const DEPLOYMENTS_DIR = fileURLToPath(new URL("../deploy/deployments", import.meta.url));

/** Addresses of the foundation contracts. */
export interface FoundationAddresses {
  readonly AccessManager: string;
  readonly OrgRegistry: string;
  /** Present once the charity module is deployed. */
  readonly CharityLedger?: string;
  /** Present once the traceability module is deployed. */
  readonly TraceLedger?: string;
  /** Serialised items and containers, deployed beside the traceability ledger. */
  readonly TraceUnits?: string;
  /** Present once the poverty-relief module is deployed. */
  readonly ReliefLedger?: string;
  /** Where the key service anchors its request log (deployed with the poverty-relief module). */
  readonly KeyServiceAnchor?: string;
  /** Public names bound to the ledgers' ids (deployed by the Names module). */
  readonly PublicNames?: string;
  /** Where villages bind relief payments' receipt codes (deployed with the poverty-relief module). */
  readonly ReliefReceipts?: string;
  /** Where organisations bind documents' keccak-256 to their SHA-256 (deployed by the Names module). */
  readonly DocumentDigests?: string;
  /** The council (OpenZeppelin TimelockController holding ADMIN), once the governance module is deployed. */
  readonly Council?: string;
  /** The emergency brake, once the governance module is deployed. */
  readonly EmergencyBrake?: string;
}

/** The deployed contracts of one chain, typed, connected to a runner. */
export interface Deployment {
  readonly chainId: bigint;
  readonly addresses: FoundationAddresses;
  readonly manager: AccessManager;
  readonly registry: OrgRegistry;
  /** The charity ledger, when deployed on this chain. */
  readonly charity?: CharityLedger;
  /** The traceability ledger, when deployed on this chain. */
  readonly trace?: TraceLedger;
  /** Serialised items and SSCC containers beside the traceability ledger, when deployed. */
  readonly traceUnits?: TraceUnits;
  /** The poverty-relief ledger, when deployed on this chain. */
  readonly relief?: ReliefLedger;
  /** The key service's log anchor, when deployed on this chain. */
  readonly keyServiceAnchor?: KeyServiceAnchor;
  /** Public names of projects, programmes, periods, products and locations, when deployed on this chain. */
  readonly names?: PublicNames;
  /** Relief payments' receipt codes, when deployed on this chain. */
  readonly reliefReceipts?: ReliefReceipts;
  readonly documentDigests?: DocumentDigests;
  /** The council: the timelock that holds ADMIN, when the governance module is deployed. */
  readonly council?: TimelockController;
  /** The emergency brake, when the governance module is deployed. */
  readonly brake?: EmergencyBrake;
}

/** No deployment records exist for a chain. */
export class DeploymentNotFoundError extends UserError {
  constructor(
    readonly chainId: bigint,
    readonly dir: string,
    readonly module = "Foundation",
  ) {
    super(
      module !== "Foundation"
        ? `the ${module} module is not deployed on chain ${chainId}: run npm run deploy:local, or npx hardhat ignition deploy deploy/modules/${module}.ts --network <name> --parameters <file>`
        : chainId === 31337n
          ? "the in-process hardhat network keeps nothing between runs: use --network localhost (after `npm run chain` and `npm run deploy:local`) or a consortium network"
          : `no Zhixin Ledger deployment recorded for chain ${chainId} in ${dir}: deploy first (npm run deploy:local, or npx hardhat ignition deploy deploy/modules/Foundation.ts --network <name> --parameters <file>)`,
    );
    this.name = "DeploymentNotFoundError";
  }
}

/** Typed contracts at known addresses. */
export function connectDeployment(chainId: bigint, addresses: FoundationAddresses, runner: ContractRunner): Deployment {
  return {
    chainId,
    addresses,
    manager: AccessManager__factory.connect(addresses.AccessManager, runner),
    registry: OrgRegistry__factory.connect(addresses.OrgRegistry, runner),
    ...(addresses.CharityLedger !== undefined
      ? { charity: CharityLedger__factory.connect(addresses.CharityLedger, runner) }
      : {}),
    ...(addresses.TraceLedger !== undefined
      ? { trace: TraceLedger__factory.connect(addresses.TraceLedger, runner) }
      : {}),
    ...(addresses.TraceUnits !== undefined
      ? { traceUnits: TraceUnits__factory.connect(addresses.TraceUnits, runner) }
      : {}),
    ...(addresses.ReliefLedger !== undefined
      ? { relief: ReliefLedger__factory.connect(addresses.ReliefLedger, runner) }
      : {}),
    ...(addresses.KeyServiceAnchor !== undefined
      ? { keyServiceAnchor: KeyServiceAnchor__factory.connect(addresses.KeyServiceAnchor, runner) }
      : {}),
    ...(addresses.PublicNames !== undefined
      ? { names: PublicNames__factory.connect(addresses.PublicNames, runner) }
      : {}),
    ...(addresses.DocumentDigests !== undefined
      ? { documentDigests: DocumentDigests__factory.connect(addresses.DocumentDigests, runner) }
      : {}),
    ...(addresses.ReliefReceipts !== undefined
      ? { reliefReceipts: ReliefReceipts__factory.connect(addresses.ReliefReceipts, runner) }
      : {}),
    ...(addresses.Council !== undefined
      ? { council: TimelockController__factory.connect(addresses.Council, runner) }
      : {}),
    ...(addresses.EmergencyBrake !== undefined
      ? { brake: EmergencyBrake__factory.connect(addresses.EmergencyBrake, runner) }
      : {}),
  };
}

/** The charity ledger of a deployment; a clear error when its module was not deployed. */
export function requireCharity(d: Deployment): CharityLedger {
  if (d.charity === undefined) {
    throw new DeploymentNotFoundError(d.chainId, DEPLOYMENTS_DIR, "Charity");
  }
  return d.charity;
}

/** The traceability ledger of a deployment; a clear error when its module was not deployed. */
export function requireTrace(d: Deployment): TraceLedger {
  if (d.trace === undefined) {
    throw new DeploymentNotFoundError(d.chainId, DEPLOYMENTS_DIR, "Trace");
  }
  return d.trace;
}

/** The public-names contract of a deployment; a clear error when its module was not deployed. */
export function requireNames(d: Deployment): PublicNames {
  if (d.names === undefined) throw new DeploymentNotFoundError(d.chainId, DEPLOYMENTS_DIR, "Names");
  return d.names;
}

/** The council of a deployment; a clear error when the governance module was not deployed. */
export function requireCouncil(d: Deployment): TimelockController {
  if (d.council === undefined) throw new DeploymentNotFoundError(d.chainId, DEPLOYMENTS_DIR, "Governance");
  return d.council;
}

/** The emergency brake of a deployment; a clear error when the governance module was not deployed. */
export function requireBrake(d: Deployment): EmergencyBrake {
  if (d.brake === undefined) throw new DeploymentNotFoundError(d.chainId, DEPLOYMENTS_DIR, "Governance");
  return d.brake;
}

/** The serialised-units contract of a deployment; a clear error when its module was not deployed. */
export function requireTraceUnits(d: Deployment): TraceUnits {
  if (d.traceUnits === undefined) {
    throw new DeploymentNotFoundError(d.chainId, DEPLOYMENTS_DIR, "TraceUnits");
  }
  return d.traceUnits;
}

/** The poverty-relief ledger of a deployment; a clear error when its module was not deployed. */
export function requireRelief(d: Deployment): ReliefLedger {
  if (d.relief === undefined) {
    throw new DeploymentNotFoundError(d.chainId, DEPLOYMENTS_DIR, "Relief");
  }
  return d.relief;
}

/** The relief payments' receipt-code contract of a deployment; a clear error when the relief module predates it. */
export function requireReliefReceipts(d: Deployment): ReliefReceipts {
  if (d.reliefReceipts === undefined) {
    throw new DeploymentNotFoundError(d.chainId, DEPLOYMENTS_DIR, "Relief");
  }
  return d.reliefReceipts;
}

/** The addresses Ignition recorded for `chainId` (futures are keyed `<Module>#<Contract>`). */
export async function readDeployedAddresses(
  chainId: bigint,
  dir: string = DEPLOYMENTS_DIR,
): Promise<Record<string, string>> {
  const file = `${dir}/chain-${chainId}/deployed_addresses.json`;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new DeploymentNotFoundError(chainId, dir);
    throw e;
  }
  return JSON.parse(text) as Record<string, string>;
}

/**
 * The deployment of the chain `runner` is connected to, from Ignition's records: the one
 * function tasks, scripts, the indexer and the explorer use to find the contracts.
 */
export async function loadDeployment(runner: ContractRunner, dir: string = DEPLOYMENTS_DIR): Promise<Deployment> {
  const provider = runner.provider;
  if (provider === null || provider === undefined)
    throw new Error("loadDeployment needs a runner connected to a provider");
  const { chainId } = await provider.getNetwork();
  const recorded = await readDeployedAddresses(chainId, dir);
  const pick = (name: keyof FoundationAddresses): string => {
    const address = recorded[`Foundation#${name}`];
    if (address === undefined) throw new DeploymentNotFoundError(chainId, dir);
    return address;
  };
  const deployment = connectDeployment(
    chainId,
    {
      AccessManager: pick("AccessManager"),
      OrgRegistry: pick("OrgRegistry"),
      ...(recorded["Charity#CharityLedger"] !== undefined ? { CharityLedger: recorded["Charity#CharityLedger"] } : {}),
      ...(recorded["Trace#TraceLedger"] !== undefined ? { TraceLedger: recorded["Trace#TraceLedger"] } : {}),
      ...(recorded["TraceUnits#TraceUnits"] !== undefined ? { TraceUnits: recorded["TraceUnits#TraceUnits"] } : {}),
      ...(recorded["Relief#ReliefLedger"] !== undefined ? { ReliefLedger: recorded["Relief#ReliefLedger"] } : {}),
      ...(recorded["Relief#KeyServiceAnchor"] !== undefined
        ? { KeyServiceAnchor: recorded["Relief#KeyServiceAnchor"] }
        : {}),
      ...(recorded["Names#PublicNames"] !== undefined ? { PublicNames: recorded["Names#PublicNames"] } : {}),
      ...(recorded["Relief#ReliefReceipts"] !== undefined ? { ReliefReceipts: recorded["Relief#ReliefReceipts"] } : {}),
      ...(recorded["Names#DocumentDigests"] !== undefined
        ? { DocumentDigests: recorded["Names#DocumentDigests"] }
        : {}),
      ...(recorded["Governance#TimelockController"] !== undefined
        ? { Council: recorded["Governance#TimelockController"] }
        : {}),
      ...(recorded["Governance#EmergencyBrake"] !== undefined
        ? { EmergencyBrake: recorded["Governance#EmergencyBrake"] }
        : {}),
    },
    runner,
  );
  if ((await provider.getCode(deployment.addresses.OrgRegistry)) === "0x") {
    throw new Error(
      `the records say OrgRegistry is at ${deployment.addresses.OrgRegistry} on chain ${chainId}, but no code is there: was the chain reset? Remove ${dir}/chain-${chainId} and deploy again`,
    );
  }
  return deployment;
}
