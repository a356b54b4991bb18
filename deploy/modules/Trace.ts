/**
 * The product traceability ledger, on top of the foundation: deploys TraceLedger as an
 * AccessManaged target of the same manager and wires its functions from deploy/wiring.ts.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import FoundationModule from "./Foundation.js";
import { deployBehindProxy } from "./proxy.js";
import { wireTarget } from "./wire.js";

export default buildModule("Trace", (m) => {
  const { manager, registry } = m.useModule(FoundationModule);
  const { ledger: trace, proxyAdmin: traceProxyAdmin } = deployBehindProxy(m, "TraceLedger", manager);
  wireTarget(m, manager, trace, "TraceLedger");
  return { manager, registry, trace, traceProxyAdmin };
});
