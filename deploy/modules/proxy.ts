import type { CallableContractFuture, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

/**
 * Deploys a ledger contract the upgradeable way: its implementation, then OpenZeppelin's transparent
 * proxy, which calls `initialize(manager)` in its own constructor (nobody can initialize it in between)
 * and creates a ProxyAdmin owned by the manager, so only ADMIN, through the manager, can upgrade it.
 * The ledger's ABI at the proxy's address keeps the contract's own name: wiring, deployment records,
 * the indexer and the CLI see only that address (README, "Upgrades").
 */
export function deployBehindProxy<Name extends string>(
  m: IgnitionModuleBuilder,
  name: Name,
  manager: CallableContractFuture<string>,
  /** Further arguments of `initialize`, after the manager (TraceUnits takes the TraceLedger it reads). */
  initArgs: readonly CallableContractFuture<string>[] = [],
): { ledger: CallableContractFuture<Name>; proxyAdmin: CallableContractFuture<"ProxyAdmin"> } {
  const implementation = m.contract(name, [], { id: `${name}Implementation` });
  const proxy = m.contract(
    "TransparentUpgradeableProxy",
    [implementation, manager, m.encodeFunctionCall(implementation, "initialize", [manager, ...initArgs])],
    { id: `${name}Proxy` },
  );
  const admin = m.readEventArgument(proxy, "AdminChanged", "newAdmin", { id: `${name}ProxyAdminAddress` });
  const proxyAdmin = m.contractAt("ProxyAdmin", admin, { id: `${name}ProxyAdmin` });
  return { ledger: m.contractAt(name, proxy, { id: name }), proxyAdmin };
}
