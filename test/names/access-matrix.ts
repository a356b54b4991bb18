/**
 * The access matrix of PublicNames: every naming function is PUBLIC at the manager (the creators are of
 * several kinds, checked inside against the ledgers), as deploy/wiring.ts says; relays through the manager are
 * refused; closing the target stops every function.
 */
import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import { WIRING } from "../../deploy/wiring.js";
import { PUBLIC_ROLE } from "../../src/roles.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { INTERFACES } from "../../src/contracts.js";
import type { PublicNames } from "../../types/ethers-contracts/index.js";
import {
  type AccessMatrixSpec,
  expectAccessMatrix,
  expectEveryFunctionRestricted,
  expectRelaysRefused,
  expectWiringComplete,
  sampleSigners,
} from "../helpers/access-matrix.js";
import { testCouncil } from "../helpers/council.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const W = WIRING.PublicNames;

async function fixture() {
  const d = await deployWithSamples(connection, () => {});
  const council = await testCouncil(connection, d);
  const { byRole, roleless } = sampleSigners(await ethers.getSigners(), council.probe);
  const names = d.names!;
  const spec: AccessMatrixSpec<PublicNames, typeof W> = {
    manager: d.manager,
    target: names,
    wiring: W,
    signers: { byRole, roleless },
    args: {
      nameCharityProject: () => [id("project"), "项目"],
      nameProgramme: () => [id("programme"), "计划"],
      nameReliefProject: () => [id("relief project"), "项目"],
      namePeriod: () => [id("programme"), 1n, "2026-01", "2026年1月"],
      nameProduct: () => [id("product"), "产品"],
      nameLocation: () => [6901234000004n, "仓库"],
    },
  };
  return { d, names, council, spec };
}

describe("Access matrix: PublicNames", function () {
  it("is deployed by the Names module under the same manager, bound to the ledgers, and wired as deploy/wiring.ts says", async function () {
    const { d, names } = await networkHelpers.loadFixture(fixture);
    expect(await names.authority()).to.equal(await d.manager.getAddress());
    expect(await names.REGISTRY()).to.equal(await d.registry.getAddress());
    expect(await names.CHARITY()).to.equal(await d.charity!.getAddress());
    expect(await names.TRACE()).to.equal(await d.trace!.getAddress());
    expect(await names.RELIEF()).to.equal(await d.relief!.getAddress());
    await expectWiringComplete(d.manager, names, W);
    const logs = await d.manager.queryFilter(d.manager.filters.TargetFunctionRoleUpdated(await names.getAddress()));
    expect(
      logs.map((l) => [INTERFACES.PublicNames.getFunction(l.args.selector)?.name, l.args.roleId]),
    ).to.have.deep.members(Object.keys(W).map((fn) => [fn, PUBLIC_ROLE]));
  });

  it("lets every caller through the manager (the creator is checked inside), refuses every relay, and stops when closed", async function () {
    const { spec, council } = await networkHelpers.loadFixture(fixture);
    const cells = await expectAccessMatrix(spec);
    for (const fn of Object.keys(W)) {
      const direct = cells.filter((c) => c.fn === fn && c.path === "direct");
      expect(
        direct.every((c) => c.passed),
        fn,
      ).to.equal(true);
    }
    // Past the gate, a caller that did not create the record is refused by the contract's own rule.
    const project = cells.find((c) => c.fn === "nameCharityProject" && c.path === "direct")!;
    expect(project.detail).to.match(/^reverted PublicNamesUnknownRecord/);
    expectRelaysRefused(cells, W, spec.signers.byRole.size + 1, "PublicNamesRelayedCall");
    await expectEveryFunctionRestricted(spec, (target, closed) => council.setClosed(target, closed));
  });
});
