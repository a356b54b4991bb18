/**
 * Upgrading a ledger contract (README, "Upgrades"). Each ledger is an implementation behind OpenZeppelin's
 * transparent proxy; the proxy's ProxyAdmin is owned by the AccessManager, so an upgrade is one call:
 * ADMIN asks the manager to `execute` `ProxyAdmin.upgradeAndCall(proxy, implementation, data)`. The proxy's
 * address, storage and history stay; only the code behind it changes, and the proxy emits `Upgraded`.
 *
 * This is the one function that does it. Until the consortium's council holds ADMIN, its signer is the
 * ADMIN key; with the council, the same call is what the council schedules, and executes after its delay.
 * Check a new version with `tsx scripts/upgrade-layouts.ts` before proposing it.
 */
import { getAddress, type Provider, type Signer } from "ethers";

import type { LegacyOverrides } from "./chain.js";
import type { Deployment } from "./deployment.js";
import { LedgerError } from "./errors.js";
import { sendChecked } from "./tx.js";
import { AccessManager__factory, ProxyAdmin__factory } from "../types/ethers-contracts/index.js";

/** ERC-1967 slot of the implementation address: `keccak256("eip1967.proxy.implementation") - 1`. */
export const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
/** ERC-1967 slot of the proxy's admin (its ProxyAdmin): `keccak256("eip1967.proxy.admin") - 1`. */
export const ADMIN_SLOT = "0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103";

async function addressAt(provider: Provider, proxy: string, slot: string): Promise<string> {
  const word = await provider.getStorage(proxy, slot);
  return getAddress(`0x${word.slice(-40)}`);
}

/** The implementation behind a ledger's proxy. */
export function implementationOf(provider: Provider, proxy: string): Promise<string> {
  return addressAt(provider, proxy, IMPLEMENTATION_SLOT);
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

/**
 * Moves the ledger at `proxy` to `implementation` (already deployed), calling `data` on it in the same
 * transaction when not empty (a version's re-initializer). `admin` holds ADMIN in the deployment's manager.
 * Refuses, before sending anything, a proxy whose ProxyAdmin the manager does not own, an address without
 * code, and a signer the manager would not let through at once.
 */
export async function upgradeLedger(
  d: Deployment,
  admin: Signer,
  proxy: string,
  implementation: string,
  overrides: LegacyOverrides,
  data = "0x",
): Promise<Upgrade> {
  const provider = admin.provider;
  if (provider === null) throw new LedgerError("the upgrading signer is not connected to a node");
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
  const from = await implementationOf(provider, proxy);
  const call = ProxyAdmin__factory.createInterface().encodeFunctionData("upgradeAndCall", [
    proxy,
    implementation,
    data,
  ]);
  const manager = AccessManager__factory.connect(managerAddress, admin);
  const [immediate, delay] = await manager.canCall(await admin.getAddress(), proxyAdmin, call.slice(0, 10));
  if (!immediate) {
    throw new LedgerError(
      delay > 0n
        ? `${await admin.getAddress()} may upgrade only after a delay of ${delay} s: schedule the upgrade through the council`
        : `${await admin.getAddress()} does not hold ADMIN, the only role that may upgrade a ledger`,
    );
  }
  const { receipt } = await sendChecked(manager.execute, [proxyAdmin, call], overrides);
  const to = await implementationOf(provider, proxy);
  if (to !== getAddress(implementation)) throw new Error(`the proxy at ${proxy} still runs ${to} after the upgrade`);
  return { proxy: getAddress(proxy), proxyAdmin, from, to, txHash: receipt.hash, blockNumber: receipt.blockNumber };
}
