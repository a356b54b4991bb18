/**
 * The access matrix of DocumentDigests: `bindDigests` is PUBLIC at the manager (every kind of organisation
 * anchors documents; the caller must be an active organisation, checked inside), as deploy/wiring.ts says;
 * relays through the manager are refused; closing the target stops it.
 */
import { expect } from "chai";
import { id, sha256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { WIRING } from "../../deploy/wiring.js";
import { PUBLIC_ROLE, ROLE } from "../../src/roles.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { INTERFACES } from "../../src/contracts.js";
import type { DocumentDigests } from "../../types/ethers-contracts/index.js";
import {
  type AccessMatrixSpec,
  expectAccessMatrix,
  expectEveryFunctionRestricted,
  expectRelaysRefused,
  expectWiringComplete,
  ROLELESS,
  sampleSigners,
} from "../helpers/access-matrix.js";
import { testCouncil } from "../helpers/council.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const W = WIRING.DocumentDigests;

async function fixture() {
  const d = await deployWithSamples(connection, () => {});
  const council = await testCouncil(connection, d);
  const { byRole, roleless } = sampleSigners(await ethers.getSigners(), council.probe);
  const digests = d.documentDigests!;
  const spec: AccessMatrixSpec<DocumentDigests, typeof W> = {
    manager: d.manager,
    target: digests,
    wiring: W,
    signers: { byRole, roleless },
    args: {
      bindDigests: () => [[id("document")], [sha256(toUtf8Bytes("document"))]],
    },
  };
  return { d, digests, council, spec };
}

describe("Access matrix: DocumentDigests", function () {
  it("is deployed by the Names module under the same manager, bound to the registry, and wired as deploy/wiring.ts says", async function () {
    const { d, digests } = await networkHelpers.loadFixture(fixture);
    expect(await digests.authority()).to.equal(await d.manager.getAddress());
    expect(await digests.registry()).to.equal(await d.registry.getAddress());
    await expectWiringComplete(d.manager, digests, W);
    const logs = await d.manager.queryFilter(d.manager.filters.TargetFunctionRoleUpdated(await digests.getAddress()));
    expect(
      logs.map((l) => [INTERFACES.DocumentDigests.getFunction(l.args.selector)?.name, l.args.roleId]),
    ).to.have.deep.members(Object.keys(W).map((fn) => [fn, PUBLIC_ROLE]));
  });

  it("lets every organisation bind through the manager, refuses an account that is not one, refuses every relay, and stops when closed", async function () {
    const { spec, council } = await networkHelpers.loadFixture(fixture);
    const cells = await expectAccessMatrix(spec);
    const direct = cells.filter((c) => c.fn === "bindDigests" && c.path === "direct");
    expect(
      direct.every((c) => c.passed),
      "PUBLIC at the manager",
    ).to.equal(true);
    // Past the gate, the contract's own rule: a registered organisation binds, an account that is none is refused.
    const charity = direct.find((c) => c.role === ROLE.CHARITY)!;
    expect(charity.detail).not.to.match(/^reverted/);
    const roleless = direct.find((c) => c.caller === ROLELESS)!;
    expect(roleless.detail).to.match(/^reverted DocumentDigestsNotOrganisation/);
    expectRelaysRefused(cells, W, spec.signers.byRole.size + 1, "DocumentDigestsRelayedCall");
    await expectEveryFunctionRestricted(spec, (target, closed) => council.setClosed(target, closed));
  });
});
