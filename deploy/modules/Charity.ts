/**
 * The charity donation ledger, on top of the foundation: deploys CharityLedger as an
 * AccessManaged target of the same manager and wires its functions from deploy/wiring.ts.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import FoundationModule from "./Foundation.js";
import { deployBehindProxy } from "./proxy.js";
import { wireTarget } from "./wire.js";

export default buildModule("Charity", (m) => {
  const { manager, registry } = m.useModule(FoundationModule);
  const { ledger: charity, proxyAdmin: charityProxyAdmin } = deployBehindProxy(m, "CharityLedger", manager);
  wireTarget(m, manager, charity, "CharityLedger");
  return { manager, registry, charity, charityProxyAdmin };
});
