/**
 * The last step of a deployment: hands the AccessManager to the consortium council and leaves the
 * deploying account with no role. Deploys the council (OpenZeppelin's TimelockController: departments'
 * keys propose and cancel, anyone executes once the delay has passed) and the emergency brake (each
 * ledger's guardian closes it at once; only the council reopens it), seals REGISTRAR (its admin is a
 * role nobody holds), delays new ADMIN grants, grants ADMIN to the council and the brake, and then the
 * deployer renounces ADMIN, after every other call of every module.
 *
 * Parameters (`Governance` in the parameters file):
 *  - `councilProposers`: the departments' addresses that may propose and cancel council operations;
 *  - `councilMinDelay`: seconds between scheduling and execution (2 days on a real network);
 *  - `adminGrantDelay`: seconds before a newly granted ADMIN takes effect (AccessManager's grant delay).
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress } from "ethers";

import { GUARDIANS } from "../../src/governance/guardians.js";
import { PUBLIC_ROLE, ROLE, SEALED_ROLE } from "../../src/roles.js";
import { EmergencyBrake__factory } from "../../types/ethers-contracts/index.js";
import CharityModule from "./Charity.js";
import FoundationModule from "./Foundation.js";
import NamesModule from "./Names.js";
import ReliefModule from "./Relief.js";
import TraceModule from "./Trace.js";
import TraceUnitsModule from "./TraceUnits.js";

export default buildModule("Governance", (m) => {
  const deployer = m.getAccount(0);
  const { manager, registry } = m.useModule(FoundationModule);
  const { charity } = m.useModule(CharityModule);
  const { trace } = m.useModule(TraceModule);
  const { relief } = m.useModule(ReliefModule);
  const { traceUnits } = m.useModule(TraceUnitsModule);

  // Anyone may execute a ready operation ([address(0)] is OpenZeppelin's open executor role); the timelock
  // administers itself (no admin account), so its proposers and delay change only through itself.
  const council = m.contract("TimelockController", [
    m.getParameter<number>("councilMinDelay"),
    m.getParameter<string[]>("councilProposers"),
    [ZeroAddress],
    ZeroAddress,
  ]);
  const brake = m.contract("EmergencyBrake", [manager]);

  // Every step waits for every module's own calls (the registry's REGISTRAR grant above all).
  const after = [FoundationModule, CharityModule, TraceModule, TraceUnitsModule, ReliefModule, NamesModule];
  const closeSelector = EmergencyBrake__factory.createInterface().getFunction("close").selector;
  const steps = [
    m.call(manager, "setTargetFunctionRole", [brake, [closeSelector], PUBLIC_ROLE], {
      id: "wire_EmergencyBrake",
      after,
    }),
    ...Object.entries({ CharityLedger: charity, TraceLedger: trace, TraceUnits: traceUnits, ReliefLedger: relief }).map(
      ([name, ledger]) =>
        m.call(brake, "setGuardian", [ledger, ROLE[GUARDIANS[name as keyof typeof GUARDIANS]]], {
          id: `setGuardian_${name}`,
          after,
        }),
    ),
    m.call(manager, "labelRole", [SEALED_ROLE, "SEALED"], { id: "labelRole_SEALED", after }),
    m.call(manager, "setRoleAdmin", [SEALED_ROLE, SEALED_ROLE], { id: "setRoleAdmin_SEALED", after }),
    m.call(manager, "setRoleAdmin", [ROLE.REGISTRAR, SEALED_ROLE], { id: "setRoleAdmin_REGISTRAR", after }),
    m.call(manager, "grantRole", [ROLE.ADMIN, brake, 0n], { id: "grantRole_ADMIN_brake", after }),
    m.call(manager, "grantRole", [ROLE.ADMIN, council, 0n], { id: "grantRole_ADMIN_council", after }),
  ];
  // After the council and the brake hold ADMIN: later ADMIN grants wait this long (AccessManager applies a
  // new grant delay itself only after its minimum setback, 5 days).
  const grantDelay = m.call(manager, "setGrantDelay", [ROLE.ADMIN, m.getParameter<number>("adminGrantDelay")], {
    id: "setGrantDelay_ADMIN",
    after: steps,
  });

  m.call(manager, "renounceRole", [ROLE.ADMIN, deployer], {
    id: "renounceRole_ADMIN_deployer",
    from: deployer,
    after: [grantDelay, ...steps, ...after],
  });

  return { manager, registry, charity, trace, traceUnits, relief, council, brake };
});
