import { anyUint } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { ZeroHash, id } from "ethers";
import { network } from "hardhat";

import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import { creditCodeToBytes18 } from "../../src/credit-code.js";
import { ORG_KINDS, ROLE, ROLES } from "../../src/roles.js";
import { deployFoundation } from "../helpers/foundation.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const P = DevParameters.Foundation;
const CHARITY = Number(ROLE.CHARITY);
const VILLAGE = Number(ROLE.VILLAGE);
const CODE = "53440700MJ0000011Q";

async function foundationFixture() {
  const d = await deployFoundation(connection);
  const signers = await ethers.getSigners();
  const by = (address: string) => signers.find((s) => s.address === address)!;
  return {
    ...d,
    admin: signers[0]!,
    civilAffairs: by(P.civilAffairsAccount),
    marketRegulator: by(P.marketRegulatorAccount),
    ruralAffairs: by(P.ruralAffairsAccount),
    charity: signers[2]!,
    stranger: signers[15]!,
  };
}

describe("OrgRegistry", function () {
  describe("deployment", function () {
    it("labels every role on the manager", async function () {
      const { manager } = await networkHelpers.loadFixture(foundationFixture);
      const labelled = await manager.queryFilter(manager.filters.RoleLabel());
      const onChain = new Map(labelled.map((e) => [e.args.roleId, e.args.label]));
      for (const r of ROLES.filter((r) => r.id !== ROLE.ADMIN)) expect(onChain.get(r.id)).to.equal(r.label);
    });

    it("makes the registry the only admin of every organisation role", async function () {
      const { manager, registry } = await networkHelpers.loadFixture(foundationFixture);
      for (const k of ORG_KINDS) expect(await manager.getRoleAdmin(k.kind)).to.equal(ROLE.REGISTRAR);
      expect((await manager.hasRole(ROLE.REGISTRAR, await registry.getAddress()))[0]).to.equal(true);
    });

    it("registers the departments from the parameters with their roles", async function () {
      const { registry, manager } = await networkHelpers.loadFixture(foundationFixture);
      expect(await registry.organisationCount()).to.equal(5n);
      const org = await registry.organisation(P.civilAffairsAccount);
      expect(org.name).to.equal(P.civilAffairsName);
      expect(org.kind).to.equal(ROLE.CIVIL_AFFAIRS);
      expect((await manager.hasRole(ROLE.CIVIL_AFFAIRS, P.civilAffairsAccount))[0]).to.equal(true);
    });
  });

  describe("register", function () {
    it("registers a charity admitted by civil affairs and grants its role in the same transaction", async function () {
      const { registry, manager, civilAffairs, charity } = await networkHelpers.loadFixture(foundationFixture);
      const meta = id("charter");
      const tx = registry.connect(civilAffairs).register(charity.address, CHARITY, "江门市慈善会", CODE, meta);
      await expect(tx)
        .to.emit(registry, "OrganisationRegistered")
        .withArgs(charity.address, CHARITY, civilAffairs.address, "江门市慈善会", creditCodeToBytes18(CODE), meta);
      await expect(tx).to.emit(manager, "RoleGranted").withArgs(ROLE.CHARITY, charity.address, 0n, anyUint, true);
      expect((await manager.hasRole(ROLE.CHARITY, charity.address))[0]).to.equal(true);
      expect(await registry.isActive(charity.address, CHARITY)).to.equal(true);
      expect(await registry.accountOfCreditCode(creditCodeToBytes18(CODE))).to.equal(charity.address);
    });

    it("rejects a caller without the admitting role, naming the role", async function () {
      const { registry, marketRegulator, charity } = await networkHelpers.loadFixture(foundationFixture);
      await expect(registry.connect(marketRegulator).register(charity.address, CHARITY, "x", CODE, ZeroHash))
        .to.be.revertedWithCustomError(registry, "OrgRegistryUnauthorizedAdmitter")
        .withArgs(marketRegulator.address, CHARITY, ROLE.CIVIL_AFFAIRS);
    });

    it("rejects the zero address", async function () {
      const { registry, civilAffairs } = await networkHelpers.loadFixture(foundationFixture);
      await expect(
        registry.connect(civilAffairs).register(ethers.ZeroAddress, CHARITY, "x", CODE, ZeroHash),
      ).to.be.revertedWithCustomError(registry, "OrgRegistryZeroAccount");
    });

    it("rejects an unknown kind", async function () {
      const { registry, civilAffairs, charity } = await networkHelpers.loadFixture(foundationFixture);
      for (const kind of [0, 13, 255]) {
        await expect(registry.connect(civilAffairs).register(charity.address, kind, "x", CODE, ZeroHash))
          .to.be.revertedWithCustomError(registry, "OrgRegistryUnknownKind")
          .withArgs(kind);
      }
    });

    it("rejects a duplicate account", async function () {
      const { registry, civilAffairs } = await networkHelpers.loadFixture(foundationFixture);
      await expect(registry.connect(civilAffairs).register(P.financeAccount, CHARITY, "x", CODE, ZeroHash))
        .to.be.revertedWithCustomError(registry, "OrgRegistryAccountTaken")
        .withArgs(P.financeAccount, ROLE.FINANCE);
    });

    it("rejects a duplicate credit code, naming its holder", async function () {
      const { registry, civilAffairs, charity } = await networkHelpers.loadFixture(foundationFixture);
      await expect(
        registry.connect(civilAffairs).register(charity.address, CHARITY, "x", P.financeCreditCode, ZeroHash),
      )
        .to.be.revertedWithCustomError(registry, "OrgRegistryCreditCodeTaken")
        .withArgs(creditCodeToBytes18(P.financeCreditCode), P.financeAccount);
    });

    it("rejects a malformed credit code or name", async function () {
      const { registry, civilAffairs, charity } = await networkHelpers.loadFixture(foundationFixture);
      for (const bad of ["", "53440700MJ000001", "53440700MJ0000011QQ", "53440700mj0000011Q", "53440700MJ000001IQ"]) {
        await expect(registry.connect(civilAffairs).register(charity.address, CHARITY, "x", bad, ZeroHash))
          .to.be.revertedWithCustomError(registry, "OrgRegistryInvalidCreditCode")
          .withArgs(bad);
      }
      await expect(registry.connect(civilAffairs).register(charity.address, CHARITY, "", CODE, ZeroHash))
        .to.be.revertedWithCustomError(registry, "OrgRegistryInvalidName")
        .withArgs(0);
      await expect(registry.connect(civilAffairs).register(charity.address, CHARITY, "名".repeat(43), CODE, ZeroHash))
        .to.be.revertedWithCustomError(registry, "OrgRegistryInvalidName")
        .withArgs(129);
    });

    it("lets only rural affairs admit villages", async function () {
      const { registry, ruralAffairs, civilAffairs, stranger } = await networkHelpers.loadFixture(foundationFixture);
      const code = "54440781MJ00000312";
      await expect(registry.connect(civilAffairs).register(stranger.address, VILLAGE, "浮石村", code, ZeroHash))
        .to.be.revertedWithCustomError(registry, "OrgRegistryUnauthorizedAdmitter")
        .withArgs(civilAffairs.address, VILLAGE, ROLE.RURAL_AFFAIRS);
      await expect(
        registry.connect(ruralAffairs).register(stranger.address, VILLAGE, "浮石村", code, ZeroHash),
      ).to.emit(registry, "OrganisationRegistered");
    });

    it("does not let anyone but the registry grant an organisation role, not even ADMIN", async function () {
      const { manager, admin, stranger } = await networkHelpers.loadFixture(foundationFixture);
      await expect(manager.connect(admin).grantRole(ROLE.CHARITY, stranger.address, 0))
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedAccount")
        .withArgs(admin.address, ROLE.REGISTRAR);
    });
  });

  describe("suspend and reinstate", function () {
    async function registeredCharity() {
      const f = await foundationFixture();
      await f.registry.connect(f.civilAffairs).register(f.charity.address, CHARITY, "江门市慈善会", CODE, ZeroHash);
      return f;
    }

    it("suspends: revokes the role and records the reason", async function () {
      const { registry, manager, civilAffairs, charity } = await networkHelpers.loadFixture(registeredCharity);
      const reason = id("decision 2026-17");
      const tx = registry.connect(civilAffairs).suspend(charity.address, reason);
      await expect(tx)
        .to.emit(registry, "OrganisationSuspended")
        .withArgs(charity.address, CHARITY, civilAffairs.address, reason);
      await expect(tx).to.emit(manager, "RoleRevoked").withArgs(ROLE.CHARITY, charity.address);
      expect((await manager.hasRole(ROLE.CHARITY, charity.address))[0]).to.equal(false);
      expect(await registry.isActive(charity.address, CHARITY)).to.equal(false);
      expect((await registry.organisation(charity.address)).status).to.equal(2n);
    });

    it("reinstates: grants the role again", async function () {
      const { registry, manager, civilAffairs, charity } = await networkHelpers.loadFixture(registeredCharity);
      await registry.connect(civilAffairs).suspend(charity.address, ZeroHash);
      await expect(registry.connect(civilAffairs).reinstate(charity.address, ZeroHash))
        .to.emit(registry, "OrganisationReinstated")
        .withArgs(charity.address, CHARITY, civilAffairs.address, ZeroHash);
      expect((await manager.hasRole(ROLE.CHARITY, charity.address))[0]).to.equal(true);
    });

    it("refuses the wrong status, unknown accounts and other authorities", async function () {
      const { registry, civilAffairs, marketRegulator, charity, stranger } =
        await networkHelpers.loadFixture(registeredCharity);
      await expect(registry.connect(civilAffairs).reinstate(charity.address, ZeroHash))
        .to.be.revertedWithCustomError(registry, "OrgRegistryWrongStatus")
        .withArgs(charity.address, 1);
      await expect(registry.connect(civilAffairs).suspend(stranger.address, ZeroHash))
        .to.be.revertedWithCustomError(registry, "OrgRegistryUnknownOrganisation")
        .withArgs(stranger.address);
      await expect(registry.connect(marketRegulator).suspend(charity.address, ZeroHash))
        .to.be.revertedWithCustomError(registry, "OrgRegistryUnauthorizedAdmitter")
        .withArgs(marketRegulator.address, CHARITY, ROLE.CIVIL_AFFAIRS);
    });

    it("lets an organisation or its admitter update its metadata, nobody else", async function () {
      const { registry, civilAffairs, charity, stranger } = await networkHelpers.loadFixture(registeredCharity);
      await expect(registry.connect(charity).updateMetadata(charity.address, id("v2")))
        .to.emit(registry, "OrganisationMetadataUpdated")
        .withArgs(charity.address, CHARITY, charity.address, id("v2"));
      await expect(registry.connect(civilAffairs).updateMetadata(charity.address, id("v3"))).to.emit(
        registry,
        "OrganisationMetadataUpdated",
      );
      await expect(registry.connect(stranger).updateMetadata(charity.address, id("v4")))
        .to.be.revertedWithCustomError(registry, "OrgRegistryUnauthorizedAdmitter")
        .withArgs(stranger.address, CHARITY, ROLE.CIVIL_AFFAIRS);
    });
  });

  describe("governance", function () {
    it("can close the registry through the manager", async function () {
      const { registry, manager, admin, civilAffairs, charity } = await networkHelpers.loadFixture(foundationFixture);
      await manager.connect(admin).setTargetClosed(await registry.getAddress(), true);
      await expect(registry.connect(civilAffairs).register(charity.address, CHARITY, "x", CODE, ZeroHash))
        .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
        .withArgs(civilAffairs.address);
    });
  });
});
