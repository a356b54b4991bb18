/**
 * The whole ledger in one deployment: the foundation (manager, registry) and every domain
 * module on top of it. `npm run deploy:local`, the demo and the tests deploy this; a consortium
 * may deploy the domain modules one by one instead (they share Foundation through Ignition).
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import CharityModule from "./Charity.js";
import FoundationModule from "./Foundation.js";
import ReliefModule from "./Relief.js";
import TraceModule from "./Trace.js";

export default buildModule("Ledger", (m) => {
  const { manager, registry, registryProxyAdmin } = m.useModule(FoundationModule);
  const { charity, charityProxyAdmin } = m.useModule(CharityModule);
  const { trace, traceProxyAdmin } = m.useModule(TraceModule);
  const { relief, reliefProxyAdmin } = m.useModule(ReliefModule);
  return {
    manager,
    registry,
    charity,
    trace,
    relief,
    registryProxyAdmin,
    charityProxyAdmin,
    traceProxyAdmin,
    reliefProxyAdmin,
  };
});
