import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { ZeroHash, getAddress, id } from "ethers";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { DEPARTMENTS } from "../../deploy/modules/Foundation.js";
import { WIRING, type TargetWiring } from "../../deploy/wiring.js";
import { ORG_KINDS, ROLE } from "../../src/roles.js";
import { SAMPLE_ORGANISATIONS } from "../../src/dev/samples.js";
import type { OrgRegistry } from "../../types/ethers-contracts/index.js";
import {
  ROLELESS,
  type ArgsFactories,
  type MatrixSigners,
  expectAccessMatrix,
  expectEveryFunctionRestricted,
  expectRelaysRefused,
  expectWiringComplete,
  expectWiringReadBack,
  probeAccessMatrix,
} from "../helpers/access-matrix.js";
import { DEV_PARAMETERS, deployFoundation } from "../helpers/foundation.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

interface SampleOrganisation {
  readonly account: string;
  readonly kind: string;
  readonly name: string;
  readonly creditCode: string;
}

/** A well-formed credit code nobody holds, and an account nobody registered. */
const FRESH_CODE = "53440700MJ0000099X";
const FRESH_ACCOUNT = getAddress(`0x${"5a".repeat(20)}`);

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, "utf8")) as T;
}

/**
 * The foundation with one signer per role: ADMIN (the deployer), the five departments of
 * the dev parameters, and one sample organisation (deploy/organisations/jiangmen.json) of
 * every other kind, registered by the department that admits it; plus a roleless account.
 */
async function matrixFixture() {
  const d = await deployFoundation(connection);
  const signers = await ethers.getSigners();
  const signerOf = (address: string): HardhatEthersSigner => {
    const s = signers.find((x) => x.address.toLowerCase() === address.toLowerCase());
    if (s === undefined) throw new Error(`${address} is not one of the test accounts`);
    return s;
  };
  const params = (await readJson<{ Foundation: Record<string, string | undefined> }>(DEV_PARAMETERS)).Foundation;
  const samples = (await readJson<{ organisations: SampleOrganisation[] }>(SAMPLE_ORGANISATIONS)).organisations;

  const admin = signers[0]!;
  const byRole = new Map<bigint, HardhatEthersSigner>([[ROLE.ADMIN, admin]]);
  const used = new Set<string>([admin.address.toLowerCase()]);
  const take = (role: bigint, signer: HardhatEthersSigner) => {
    if (used.has(signer.address.toLowerCase())) throw new Error(`${signer.address} is used already`);
    used.add(signer.address.toLowerCase());
    byRole.set(role, signer);
  };
  for (const dept of DEPARTMENTS) {
    const account = params[`${dept.key}Account`];
    if (account === undefined) throw new Error(`dev parameters lack ${dept.key}Account`);
    take(ROLE[dept.kind], signerOf(account));
  }
  for (const kind of ORG_KINDS.filter((k) => !byRole.has(ROLE[k.label]))) {
    const sample = samples.find((s) => s.kind === kind.label);
    if (sample === undefined) throw new Error(`no sample organisation of kind ${kind.label}`);
    const admitter = byRole.get(ROLE[kind.admittedBy]);
    if (admitter === undefined) throw new Error(`no ${kind.admittedBy} signer to admit ${kind.label}`);
    const signer = signerOf(sample.account);
    take(ROLE[kind.label], signer);
    await (
      await d.registry.connect(admitter).register(signer.address, kind.kind, sample.name, sample.creditCode, ZeroHash)
    ).wait();
  }
  const sampleAccounts = new Set(samples.map((s) => s.account.toLowerCase()));
  const roleless = signers.find(
    (s) => !used.has(s.address.toLowerCase()) && !sampleAccounts.has(s.address.toLowerCase()),
  );
  if (roleless === undefined) throw new Error("no unused test account left for the roleless signer");

  const charity = byRole.get(ROLE.CHARITY)!;
  const matrixSigners: MatrixSigners = { byRole, roleless };
  return { ...d, admin, byRole, roleless, charity, matrixSigners };
}

type Fixture = Awaited<ReturnType<typeof matrixFixture>>;

/**
 * Well-formed calls for each registry function. Most callers then fail a domain rule
 * (wrong admitter, wrong status): that still means the manager let them through.
 */
function registryArgs(f: Fixture): ArgsFactories<OrgRegistry, typeof WIRING.OrgRegistry> {
  return {
    register: () => [FRESH_ACCOUNT, Number(ROLE.CHARITY), "江门市测试慈善会", FRESH_CODE, ZeroHash],
    suspend: () => [f.charity.address, id("matrix")],
    reinstate: () => [f.charity.address, id("matrix")],
    updateMetadata: () => [f.charity.address, id("matrix v2")],
  };
}

describe("Access matrix", function () {
  describe("OrgRegistry as deployed", function () {
    it("has a signer for every role but REGISTRAR, each holding only its own", async function () {
      const f = await networkHelpers.loadFixture(matrixFixture);
      const labels = [...f.byRole.keys()].map((r) => Number(r)).sort((a, b) => a - b);
      expect(labels).to.deep.equal([0, ...ORG_KINDS.map((k) => k.kind)]);
      expect(await f.registry.organisationCount()).to.equal(5n + 7n);
    });

    it("wires every state-changing function, as the manager says", async function () {
      const { manager, registry } = await networkHelpers.loadFixture(matrixFixture);
      await expectWiringComplete(manager, registry, WIRING.OrgRegistry);
    });

    it("reads back from the manager exactly the wiring of deploy/wiring.ts", async function () {
      const { manager, registry } = await networkHelpers.loadFixture(matrixFixture);
      await expectWiringReadBack(manager, registry, WIRING.OrgRegistry);
    });

    it("lets every role and the roleless account through the manager to every function (all PUBLIC)", async function () {
      const f = await networkHelpers.loadFixture(matrixFixture);
      const spec = {
        manager: f.manager,
        target: f.registry,
        wiring: WIRING.OrgRegistry,
        signers: f.matrixSigners,
        args: registryArgs(f),
      };
      const cells = await expectAccessMatrix(spec);
      const callers = f.byRole.size + 1;
      const wired = cells.filter((c) => c.fn !== "setAuthority" && c.path === "direct");
      expect(wired).to.have.length(4 * callers);
      expect(wired.every((c) => c.passed)).to.equal(true);
      // Relayed through the manager, nothing gets through: the registry would take the manager for the admitter.
      expectRelaysRefused(cells, WIRING.OrgRegistry, callers, "OrgRegistryRelayedCall");
      // The domain rules, not the manager, decide: only civil affairs may register a charity.
      const register = cells.filter((c) => c.fn === "register" && c.path === "direct");
      expect(register.filter((c) => c.detail === "returned").map((c) => c.caller)).to.deep.equal(["CIVIL_AFFAIRS"]);
      expect(register.find((c) => c.caller === ROLELESS)!.detail).to.match(/^reverted OrgRegistryUnauthorizedAdmitter/);
      // setAuthority, outside the wiring: nobody calls it directly, only ADMIN relays it through the manager.
      const setAuthority = cells.filter((c) => c.fn === "setAuthority");
      expect(setAuthority).to.have.length(2 * callers);
      expect(setAuthority.filter((c) => c.passed).map((c) => `${c.caller} ${c.path}`)).to.deep.equal(["ADMIN execute"]);
      // staticCall changed nothing.
      expect(await f.registry.organisationCount()).to.equal(12n);
    });

    it("puts every registry function behind the manager (closing the target rejects them all)", async function () {
      const f = await networkHelpers.loadFixture(matrixFixture);
      await expectEveryFunctionRestricted(
        {
          manager: f.manager,
          target: f.registry,
          wiring: WIRING.OrgRegistry,
          signers: f.matrixSigners,
          args: registryArgs(f),
        },
        // The foundation alone has no council yet: its deployer is still ADMIN (Governance.ts hands it over).
        async (target, closed) => (await f.manager.connect(f.admin).setTargetClosed(target, closed)).wait(),
      );
      expect(await f.manager.isTargetClosed(await f.registry.getAddress())).to.equal(false);
    });
  });

  describe("the helper can fail", function () {
    it("sees exactly CIVIL_AFFAIRS pass once updateMetadata is rewired to it", async function () {
      const f = await networkHelpers.loadFixture(matrixFixture);
      const registryAddress = await f.registry.getAddress();
      const selector = f.registry.interface.getFunction("updateMetadata").selector;
      await (
        await f.manager.connect(f.admin).setTargetFunctionRole(registryAddress, [selector], ROLE.CIVIL_AFFAIRS)
      ).wait();

      const throwaway = {
        ...WIRING.OrgRegistry,
        updateMetadata: "CIVIL_AFFAIRS",
      } as const satisfies TargetWiring;
      const spec = { manager: f.manager, target: f.registry, signers: f.matrixSigners, args: registryArgs(f) };

      const cells = await expectAccessMatrix({ ...spec, wiring: throwaway });
      const update = cells.filter((c) => c.fn === "updateMetadata" && c.path === "direct");
      expect(update.filter((c) => c.passed).map((c) => c.caller)).to.deep.equal(["CIVIL_AFFAIRS"]);
      for (const c of update.filter((c) => !c.passed)) {
        expect(c.detail).to.equal(`reverted AccessManagedUnauthorized(${c.address})`);
      }
      // The charity may update its own metadata by the domain rule, yet the manager now stops it.
      expect(update.find((c) => c.caller === "CHARITY")!.passed).to.equal(false);
      await expectWiringComplete(f.manager, f.registry, throwaway);

      // Against the deployed wiring, both checks now fail, naming the function.
      let matrixError: unknown;
      try {
        await expectAccessMatrix({ ...spec, wiring: WIRING.OrgRegistry });
      } catch (e) {
        matrixError = e;
      }
      expect(matrixError).to.be.instanceOf(Error);
      expect((matrixError as Error).message).to.contain("updateMetadata (wired PUBLIC) from CHARITY");
      expect((matrixError as Error).message).to.contain(`${f.byRole.size} call(s) disagree`);

      let wiringError: unknown;
      try {
        await expectWiringComplete(f.manager, f.registry, WIRING.OrgRegistry);
      } catch (e) {
        wiringError = e;
      }
      expect(wiringError).to.be.instanceOf(Error);
      expect((wiringError as Error).message).to.contain(
        `updateMetadata (${selector}): the manager requires CIVIL_AFFAIRS, the wiring says PUBLIC`,
      );
    });

    it("fails the read-back once the manager's wiring differs from deploy/wiring.ts", async function () {
      const f = await networkHelpers.loadFixture(matrixFixture);
      const registryAddress = await f.registry.getAddress();
      const selector = f.registry.interface.getFunction("updateMetadata").selector;
      await (
        await f.manager.connect(f.admin).setTargetFunctionRole(registryAddress, [selector], ROLE.CIVIL_AFFAIRS)
      ).wait();
      await expectWiringReadBack(f.manager, f.registry, { ...WIRING.OrgRegistry, updateMetadata: "CIVIL_AFFAIRS" });

      let error: unknown;
      try {
        await expectWiringReadBack(f.manager, f.registry, WIRING.OrgRegistry);
      } catch (e) {
        error = e;
      }
      // The first difference it meets: what the deployment wrote differs from deploy/wiring.ts in updateMetadata.
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.contain("to deeply equal");
      expect((error as { actual?: unknown }).actual).to.deep.equal({
        ...WIRING.OrgRegistry,
        updateMetadata: "CIVIL_AFFAIRS",
      });
    });

    it("fails the completeness check when a write function is missing from the wiring", async function () {
      const { manager, registry } = await networkHelpers.loadFixture(matrixFixture);
      const withoutReinstate: TargetWiring = Object.fromEntries(
        Object.entries(WIRING.OrgRegistry).filter(([fn]) => fn !== "reinstate"),
      );
      let error: unknown;
      try {
        await expectWiringComplete(manager, registry, withoutReinstate);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.contain("reinstate changes state but is not in the wiring");
    });

    it("refuses signers that do not hold exactly their role", async function () {
      const f = await networkHelpers.loadFixture(matrixFixture);
      const civilAffairs = f.byRole.get(ROLE.CIVIL_AFFAIRS)!;
      const cases: [MatrixSigners, string][] = [
        [{ byRole: f.byRole, roleless: civilAffairs }, "also holds CIVIL_AFFAIRS"],
        [{ byRole: new Map([...f.byRole, [ROLE.CHARITY, f.roleless]]), roleless: f.charity }, "does not hold CHARITY"],
      ];
      for (const [signers, message] of cases) {
        let error: unknown;
        try {
          await probeAccessMatrix({
            manager: f.manager,
            target: f.registry,
            wiring: WIRING.OrgRegistry,
            signers,
            args: registryArgs(f),
          });
        } catch (e) {
          error = e;
        }
        expect(error, message).to.be.instanceOf(Error);
        expect((error as Error).message).to.contain(message);
      }
    });

    it("refuses a wiring whose role has no signer", async function () {
      const f = await networkHelpers.loadFixture(matrixFixture);
      const byRole = new Map(f.byRole);
      byRole.delete(ROLE.CIVIL_AFFAIRS);
      let error: unknown;
      try {
        await expectAccessMatrix({
          manager: f.manager,
          target: f.registry,
          wiring: { ...WIRING.OrgRegistry, updateMetadata: "CIVIL_AFFAIRS" } as const,
          signers: { byRole, roleless: f.roleless },
          args: registryArgs(f),
        });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.contain("no signer for wired role(s) CIVIL_AFFAIRS");
    });
  });
});
