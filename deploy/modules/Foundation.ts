/**
 * The foundation every domain module builds on: the AccessManager (the one permission
 * hub), the organisation registry, role labels, role admins, function wiring and the
 * city departments. Domain modules reuse it with `m.useModule(FoundationModule)`.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroHash } from "ethers";

import { ORG_KINDS, ROLE, ROLES } from "../../src/roles.js";
import { deployBehindProxy } from "./proxy.js";
import { wireTarget } from "./wire.js";

/** Departments admitted by ADMIN at deployment; each has parameters `<key>Account|Name|CreditCode|MetadataHash`. */
export const DEPARTMENTS = [
  { key: "civilAffairs", kind: "CIVIL_AFFAIRS" },
  { key: "marketRegulator", kind: "MARKET_REGULATOR" },
  { key: "finance", kind: "FINANCE" },
  { key: "ruralAffairs", kind: "RURAL_AFFAIRS" },
  { key: "audit", kind: "AUDITOR" },
] as const;

export default buildModule("Foundation", (m) => {
  // The deploying account is the initial admin: it labels and wires the hub and admits the
  // departments; deploy/modules/Governance.ts then hands ADMIN to the council and renounces it.
  const deployer = m.getAccount(0);

  const manager = m.contract("AccessManager", [deployer]);
  const { ledger: registry, proxyAdmin: registryProxyAdmin } = deployBehindProxy(m, "OrgRegistry", manager);

  for (const r of ROLES.filter((r) => r.id !== ROLE.ADMIN)) {
    m.call(manager, "labelRole", [r.id, r.label], { id: `labelRole_${r.label}` });
  }

  // Only the registry grants and revokes organisation roles: it holds REGISTRAR,
  // the admin role of every organisation kind.
  const admins = ORG_KINDS.map((k) =>
    m.call(manager, "setRoleAdmin", [BigInt(k.kind), ROLE.REGISTRAR], { id: `setRoleAdmin_${k.label}` }),
  );
  const registrar = m.call(manager, "grantRole", [ROLE.REGISTRAR, registry, 0n], { id: "grantRole_REGISTRAR" });
  const wired = wireTarget(m, manager, registry, "OrgRegistry");

  for (const d of DEPARTMENTS) {
    m.call(
      registry,
      "register",
      [
        m.getParameter<string>(`${d.key}Account`),
        BigInt(ROLE[d.kind]),
        m.getParameter<string>(`${d.key}Name`),
        m.getParameter<string>(`${d.key}CreditCode`),
        m.getParameter<string>(`${d.key}MetadataHash`, ZeroHash),
      ],
      { id: `register_${d.key}`, after: [...admins, registrar, ...wired] },
    );
  }

  return { manager, registry, registryProxyAdmin };
});
