/**
 * No god key: right after the whole Ignition deployment (deploy/modules/Ledger.ts), the deploying
 * account tries what a god key could do at once: grant itself REGISTRAR, give an unregistered account
 * FINANCE, rewire a function, swap a ledger's authority, close a ledger. Every attempt is refused, and
 * every role's members, read back from the manager's RoleGranted/RoleRevoked events, show the deployer
 * holds none: ADMIN is the council's (and the emergency brake's), REGISTRAR the registry's.
 */
import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import LedgerModule from "../../deploy/modules/Ledger.js";
import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import { connectDeployment, requireBrake, requireCharity, requireCouncil } from "../../src/deployment.js";
import { roleMembersFromEvents } from "../../src/governance/members.js";
import { PUBLIC_ROLE, ROLE, SEALED_ROLE, roleLabel } from "../../src/roles.js";
import { DEV_PARAMETERS } from "../../src/dev/setup.js";

const connection = await network.create();
const { ethers, ignition, networkHelpers } = connection;

async function deployed() {
  const [deployer, , stranger] = await ethers.getSigners();
  const c = await ignition.deploy(LedgerModule, { parameters: DEV_PARAMETERS, displayUi: false });
  const { chainId } = await ethers.provider.getNetwork();
  const d = connectDeployment(
    chainId,
    {
      AccessManager: await c.manager.getAddress(),
      OrgRegistry: await c.registry.getAddress(),
      CharityLedger: await c.charity.getAddress(),
      TraceLedger: await c.trace.getAddress(),
      ReliefLedger: await c.relief.getAddress(),
      Council: await c.council.getAddress(),
      EmergencyBrake: await c.brake.getAddress(),
    },
    deployer!,
  );
  return {
    deployer: deployer!,
    stranger: stranger!,
    manager: d.manager,
    registry: d.registry,
    charity: requireCharity(d),
    council: requireCouncil(d),
    brake: requireBrake(d),
  };
}

describe("no god key after deployment", function () {
  this.timeout(120_000);

  it("refuses the deployer granting itself REGISTRAR", async function () {
    const { manager, deployer } = await networkHelpers.loadFixture(deployed);
    await expect(manager.connect(deployer).grantRole(ROLE.REGISTRAR, deployer.address, 0))
      .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedAccount")
      .withArgs(deployer.address, SEALED_ROLE);
  });

  it("refuses the deployer giving an unregistered account FINANCE", async function () {
    const { manager, deployer, stranger } = await networkHelpers.loadFixture(deployed);
    await expect(manager.connect(deployer).grantRole(ROLE.FINANCE, stranger.address, 0))
      .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedAccount")
      .withArgs(deployer.address, ROLE.REGISTRAR);
  });

  it("refuses the deployer rewiring a function, swapping an authority or closing a ledger", async function () {
    const { manager, charity, deployer } = await networkHelpers.loadFixture(deployed);
    const target = await charity.getAddress();
    const disburse = charity.interface.getFunction("disburse").selector;
    for (const attempt of [
      manager.connect(deployer).setTargetFunctionRole(target, [disburse], PUBLIC_ROLE),
      manager.connect(deployer).updateAuthority(target, deployer.address),
      manager.connect(deployer).setTargetClosed(target, true),
      manager.connect(deployer).setRoleAdmin(ROLE.REGISTRAR, ROLE.ADMIN),
    ]) {
      await expect(attempt)
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedAccount")
        .withArgs(deployer.address, ROLE.ADMIN);
    }
  });

  it("leaves the deployer in no role, read back from the manager's events", async function () {
    const { manager, registry, council, brake, deployer } = await networkHelpers.loadFixture(deployed);
    const members = await roleMembersFromEvents(manager);
    const holding = [...members].filter(([, m]) => m.has(deployer.address.toLowerCase())).map(([r]) => roleLabel(r));
    expect(holding).to.deep.equal([]);
    // ADMIN: the council and the brake only; REGISTRAR: the registry only; SEALED: nobody, and its own admin.
    expect([...members.get(ROLE.ADMIN)!].sort()).to.deep.equal(
      [await council.getAddress(), await brake.getAddress()].map((a) => a.toLowerCase()).sort(),
    );
    expect([...members.get(ROLE.REGISTRAR)!]).to.deep.equal([(await registry.getAddress()).toLowerCase()]);
    expect(members.get(SEALED_ROLE)?.size ?? 0).to.equal(0);
    expect(await manager.getRoleAdmin(ROLE.REGISTRAR)).to.equal(SEALED_ROLE);
    expect(await manager.getRoleAdmin(SEALED_ROLE)).to.equal(SEALED_ROLE);
    // The council's own roles: proposers and cancellers are the departments, the deployer is none of them.
    for (const role of ["PROPOSER_ROLE", "CANCELLER_ROLE", "DEFAULT_ADMIN_ROLE"] as const) {
      const roleId = role === "DEFAULT_ADMIN_ROLE" ? await council.DEFAULT_ADMIN_ROLE() : id(role);
      expect(await council.hasRole(roleId, deployer.address), role).to.equal(false);
    }
    for (const proposer of DevParameters.Governance.councilProposers) {
      expect(await council.hasRole(id("PROPOSER_ROLE"), proposer)).to.equal(true);
      expect(await council.hasRole(id("CANCELLER_ROLE"), proposer)).to.equal(true);
    }
    expect(await council.getMinDelay()).to.equal(BigInt(DevParameters.Governance.councilMinDelay));
  });
});
