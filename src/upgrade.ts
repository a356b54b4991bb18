/**
 * Upgrading a ledger contract (README, "Upgrades"). Each ledger is an implementation behind OpenZeppelin's
 * transparent proxy; the proxy's ProxyAdmin is owned by the AccessManager, so an upgrade is one call:
 * ADMIN asks the manager to `execute` `ProxyAdmin.upgradeAndCall(proxy, implementation, data)`. The proxy's
 * address, storage and history stay; only the code behind it changes, and the proxy emits `Upgraded`.
 *
 * The council (deploy/modules/Governance.ts) holds ADMIN: an upgrade is scheduled by a department, waits the
 * council's public delay (cancellable by any department meanwhile), and is then executed. Check a new version
 * with `tsx scripts/upgrade-layouts.ts` before proposing it.
 */
import { getAddress, type Provider, type Signer } from "ethers";

import type { LegacyOverrides } from "./chain.js";
import type { Deployment } from "./deployment.js";
import { LedgerError } from "./errors.js";
import { throughCouncil, type CouncilSigners } from "./governance/council.js";
import { EIP1967_IMPLEMENTATION_SLOT } from "./verification/source.js";
import { AccessManager__factory, ProxyAdmin__factory } from "../types/ethers-contracts/index.js";

/** ERC-1967 slot of the proxy's admin (its ProxyAdmin): `keccak256("eip1967.proxy.admin") - 1`. */
export const ADMIN_SLOT = "0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103";

async function addressAt(provider: Provider, proxy: string, slot: string): Promise<string> {
  const word = await provider.getStorage(proxy, slot);
  return getAddress(`0x${word.slice(-40)}`);
}

/** The implementation behind a ledger's proxy. */
export function implementationOf(provider: Provider, proxy: string): Promise<string> {
  return addressAt(provider, proxy, EIP1967_IMPLEMENTATION_SLOT);
}

/** The ProxyAdmin that may upgrade a ledger's proxy. */
export function proxyAdminOf(provider: Provider, proxy: string): Promise<string> {
  return addressAt(provider, proxy, ADMIN_SLOT);
}

export interface Upgrade {
  readonly proxy: string;
  readonly proxyAdmin: string;
  /** The implementation before the upgrade. */
  readonly from: string;
  /** The implementation after it. */
  readonly to: string;
  readonly txHash: string;
  readonly blockNumber: number;
}

/** What the council is asked to do for an upgrade: the manager `execute`s `ProxyAdmin.upgradeAndCall`. */
export interface PreparedUpgrade {
  readonly proxy: string;
  readonly proxyAdmin: string;
  /** The implementation before the upgrade. */
  readonly from: string;
  /** The council's call: to the manager, `execute(proxyAdmin, upgradeAndCall(proxy, implementation, data))`. */
  readonly call: { readonly target: string; readonly data: string };
}

/**
 * Checks an upgrade of the ledger at `proxy` to `implementation` (already deployed) and returns the call the
 * council schedules. Refuses a proxy whose ProxyAdmin the manager does not own and an address without code.
 */
export async function prepareUpgrade(
  d: Deployment,
  provider: Provider,
  proxy: string,
  implementation: string,
  data = "0x",
): Promise<PreparedUpgrade> {
  const managerAddress = await d.manager.getAddress();
  const proxyAdmin = await proxyAdminOf(provider, proxy);
  const owner = await ProxyAdmin__factory.connect(proxyAdmin, provider)
    .owner()
    .catch(() => undefined);
  if (owner === undefined || getAddress(owner) !== getAddress(managerAddress)) {
    throw new LedgerError(`${proxy} is not a ledger proxy of this deployment: its admin is not owned by the manager`);
  }
  if ((await provider.getCode(implementation)) === "0x") {
    throw new LedgerError(`no contract at ${implementation}: deploy the new version's implementation first`);
  }
  const upgrade = ProxyAdmin__factory.createInterface().encodeFunctionData("upgradeAndCall", [
    proxy,
    implementation,
    data,
  ]);
  const execute = AccessManager__factory.createInterface().encodeFunctionData("execute", [proxyAdmin, upgrade]);
  return {
    proxy: getAddress(proxy),
    proxyAdmin,
    from: await implementationOf(provider, proxy),
    call: { target: managerAddress, data: execute },
  };
}

/**
 * Moves the ledger at `proxy` to `implementation` (already deployed), calling `data` on it in the same
 * transaction when not empty (a version's re-initializer), through the council: a department's key
 * schedules it, the council's delay passes (moved on a development chain, waited out on a real one), and
 * the council, which holds ADMIN, has the manager execute it. Refuses, before sending anything, what
 * {@link prepareUpgrade} refuses; the council refuses a proposer that is not one of its departments.
 */
export async function upgradeLedger(
  d: Deployment,
  council: CouncilSigners,
  proxy: string,
  implementation: string,
  overrides: LegacyOverrides,
  data = "0x",
  log?: (line: string) => void,
): Promise<Upgrade> {
  const provider = council.proposer.provider;
  if (provider === null) throw new LedgerError("the proposing signer is not connected to a node");
  const prepared = await prepareUpgrade(d, provider, proxy, implementation, data);
  const done = await throughCouncil(d, council, prepared.call, { overrides, ...(log !== undefined ? { log } : {}) });
  const to = await implementationOf(provider, proxy);
  if (to !== getAddress(implementation)) throw new Error(`the proxy at ${proxy} still runs ${to} after the upgrade`);
  return {
    proxy: prepared.proxy,
    proxyAdmin: prepared.proxyAdmin,
    from: prepared.from,
    to,
    txHash: done.txHash,
    blockNumber: done.blockNumber,
  };
}
