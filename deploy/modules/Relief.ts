/**
 * The poverty-relief fund ledger, on top of the foundation: deploys ReliefLedger as an
 * AccessManaged target of the same manager, wires its functions from deploy/wiring.ts and
 * defines the eligibility attestations (which department attests which fact) from
 * src/relief/attestations.ts. Also deploys KeyServiceAnchor, where the beneficiary-key service
 * (src/keyservice/) anchors its request log, wired to the department that runs the service, and
 * ReliefReceipts, where villages bind the hashes of payments' receipt codes (villagers' self-check).
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { ROLE } from "../../src/roles.js";
import { ATTESTATIONS, attestationDefinitionHash } from "../../src/relief/attestations.js";
import FoundationModule from "./Foundation.js";
import { deployBehindProxy } from "./proxy.js";
import { wireTarget } from "./wire.js";

export default buildModule("Relief", (m) => {
  const { manager, registry } = m.useModule(FoundationModule);
  const { ledger: relief, proxyAdmin: reliefProxyAdmin } = deployBehindProxy(m, "ReliefLedger", manager);
  const wired = wireTarget(m, manager, relief, "ReliefLedger");
  for (const a of ATTESTATIONS) {
    m.call(relief, "defineAttestation", [a.kind, ROLE[a.attester], attestationDefinitionHash(a)], {
      id: `defineAttestation_${a.label}`,
      after: wired,
    });
  }
  const keyServiceAnchor = m.contract("KeyServiceAnchor", [manager]);
  wireTarget(m, manager, keyServiceAnchor, "KeyServiceAnchor");
  const reliefReceipts = m.contract("ReliefReceipts", [manager, relief]);
  wireTarget(m, manager, reliefReceipts, "ReliefReceipts");
  return { manager, registry, relief, reliefProxyAdmin, keyServiceAnchor, reliefReceipts };
});
