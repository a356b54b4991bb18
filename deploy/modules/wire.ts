import type { CallableContractFuture, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

import { functionSelectors } from "../../src/wiring.js";
import { WIRING, type WiredContract } from "../wiring.js";

/**
 * Applies a contract's wiring from deploy/wiring.ts: one `setTargetFunctionRole` per role,
 * with every selector that role may call. Returns the call futures so that later calls can
 * wait for the wiring.
 */
export function wireTarget(
  m: IgnitionModuleBuilder,
  manager: CallableContractFuture<string>,
  target: CallableContractFuture<string>,
  name: WiredContract,
) {
  return functionSelectors(name, WIRING[name]).map(({ role, label, selectors }) =>
    m.call(manager, "setTargetFunctionRole", [target, [...selectors], role], {
      id: `wire_${name}_${label}`,
    }),
  );
}
