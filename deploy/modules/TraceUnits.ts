/**
 * Serialised items and SSCC containers beside the trace ledger: deploys TraceUnits behind a transparent
 * proxy (initialized with the manager and the TraceLedger it reads) as an AccessManaged target of the same
 * manager, and wires its functions from deploy/wiring.ts. Governance waits for it.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { deployBehindProxy } from "./proxy.js";
import TraceModule from "./Trace.js";
import { wireTarget } from "./wire.js";

export default buildModule("TraceUnits", (m) => {
  const { manager, trace } = m.useModule(TraceModule);
  const { ledger: traceUnits, proxyAdmin: traceUnitsProxyAdmin } = deployBehindProxy(m, "TraceUnits", manager, [trace]);
  wireTarget(m, manager, traceUnits, "TraceUnits");
  return { traceUnits, traceUnitsProxyAdmin };
});
