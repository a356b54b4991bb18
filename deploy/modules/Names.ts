/**
 * Public names bound to the ledgers' ids (contracts/names/PublicNames.sol): deployed after the three ledgers,
 * as an AccessManaged target of the same manager, wired from deploy/wiring.ts. A separate contract because
 * the relief ledger has no room left under EIP-170 (README, "Public names").
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import CharityModule from "./Charity.js";
import FoundationModule from "./Foundation.js";
import ReliefModule from "./Relief.js";
import TraceModule from "./Trace.js";
import { wireTarget } from "./wire.js";

export default buildModule("Names", (m) => {
  const { manager, registry } = m.useModule(FoundationModule);
  const { charity } = m.useModule(CharityModule);
  const { trace } = m.useModule(TraceModule);
  const { relief } = m.useModule(ReliefModule);
  const publicNames = m.contract("PublicNames", [manager, registry, charity, trace, relief]);
  wireTarget(m, manager, publicNames, "PublicNames");
  // Documents' SHA-256 bound to their keccak-256 (contracts/documents/DocumentDigests.sol): a public binding
  // like the names, beside them.
  const documentDigests = m.contract("DocumentDigests", [manager, registry]);
  wireTarget(m, manager, documentDigests, "DocumentDigests");
  return { publicNames, documentDigests };
});
