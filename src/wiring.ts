import type { Interface } from "ethers";

import { WIRING, type TargetWiring, type WiredContract } from "../deploy/wiring.js";
import { INTERFACES } from "./contracts.js";
import { PUBLIC_ROLE, ROLE, roleLabel } from "./roles.js";

/** One role's selectors on a target. */
export interface RoleSelectors {
  readonly role: bigint;
  readonly label: string;
  readonly functions: readonly string[];
  readonly selectors: readonly string[];
}

/** The wiring of `name`, grouped by role, with selectors from the typechain interface. */
export function functionSelectors(name: WiredContract, wiring: TargetWiring = WIRING[name]): RoleSelectors[] {
  const iface = INTERFACES[name];
  const byRole = new Map<bigint, { functions: string[]; selectors: string[] }>();
  for (const [fn, label] of Object.entries(wiring)) {
    const f = iface.getFunction(fn);
    if (f === null) throw new Error(`wiring of ${name} names ${fn}, which the contract does not have`);
    const role = label === "PUBLIC" ? PUBLIC_ROLE : ROLE[label];
    const entry = byRole.get(role) ?? { functions: [], selectors: [] };
    entry.functions.push(f.name);
    entry.selectors.push(f.selector);
    byRole.set(role, entry);
  }
  return [...byRole].map(([role, e]) => ({ role, label: roleLabel(role), ...e }));
}

/**
 * State-changing external functions of a contract (what must be wired): all but `initialize`, which the
 * contract's proxy calls once in its own constructor and which refuses every later call.
 */
export function writeFunctions(iface: Interface): string[] {
  const names: string[] = [];
  iface.forEachFunction((f) => {
    if (!f.constant && f.name !== "initialize") names.push(f.name);
  });
  return names;
}
