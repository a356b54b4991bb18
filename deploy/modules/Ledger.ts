/**
 * The whole ledger in one deployment: the foundation (manager, registry), every domain module on top
 * of it, and governance last (the council takes ADMIN, the deployer renounces it). `npm run
 * deploy:local`, the demo and the tests deploy this; a consortium may deploy the domain modules one by
 * one instead (they share Foundation through Ignition), and must then finish with deploy/modules/Governance.ts.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import CharityModule from "./Charity.js";
import FoundationModule from "./Foundation.js";
import GovernanceModule from "./Governance.js";
import NamesModule from "./Names.js";
import ReliefModule from "./Relief.js";
import TraceModule from "./Trace.js";
import TraceUnitsModule from "./TraceUnits.js";

export default buildModule("Ledger", (m) => {
  const { manager, registry, charity, trace, traceUnits, relief, council, brake } = m.useModule(GovernanceModule);
  const { registryProxyAdmin } = m.useModule(FoundationModule);
  const { charityProxyAdmin } = m.useModule(CharityModule);
  const { traceProxyAdmin } = m.useModule(TraceModule);
  const { reliefProxyAdmin, keyServiceAnchor, reliefReceipts } = m.useModule(ReliefModule);
  const { publicNames, documentDigests } = m.useModule(NamesModule);
  const { traceUnitsProxyAdmin } = m.useModule(TraceUnitsModule);
  return {
    manager,
    registry,
    charity,
    trace,
    traceUnits,
    relief,
    keyServiceAnchor,
    publicNames,
    documentDigests,
    reliefReceipts,
    council,
    brake,
    registryProxyAdmin,
    charityProxyAdmin,
    traceProxyAdmin,
    traceUnitsProxyAdmin,
    reliefProxyAdmin,
  };
});
