/**
 * The access matrix of KeyServiceAnchor: only the department that runs the key service (RURAL_AFFAIRS)
 * anchors its log, through the manager as deploy/wiring.ts says; relays through the manager are refused;
 * closing the target stops it.
 */
import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import { WIRING } from "../../deploy/wiring.js";
import { ROLE } from "../../src/roles.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { INTERFACES } from "../../src/contracts.js";
import type { KeyServiceAnchor } from "../../types/ethers-contracts/index.js";
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
const W = WIRING.KeyServiceAnchor;

async function fixture() {
  const d = await deployWithSamples(connection, () => {});
  const council = await testCouncil(connection, d);
  const { byRole, roleless } = sampleSigners(await ethers.getSigners(), council.probe);
  const anchor = d.keyServiceAnchor!;
  const spec: AccessMatrixSpec<KeyServiceAnchor, typeof W> = {
    manager: d.manager,
    target: anchor,
    wiring: W,
    signers: { byRole, roleless },
    args: { anchor: () => [id("head"), 1n] },
  };
  return { d, anchor, council, spec };
}

describe("Access matrix: KeyServiceAnchor", function () {
  it("is deployed by the Relief module under the same manager and wired as deploy/wiring.ts says", async function () {
    const { d, anchor } = await networkHelpers.loadFixture(fixture);
    expect(await anchor.authority()).to.equal(await d.manager.getAddress());
    await expectWiringComplete(d.manager, anchor, W);
    const logs = await d.manager.queryFilter(d.manager.filters.TargetFunctionRoleUpdated(await anchor.getAddress()));
    expect(
      logs.map((l) => [INTERFACES.KeyServiceAnchor.getFunction(l.args.selector)?.name, l.args.roleId]),
    ).to.deep.equal([["anchor", ROLE.RURAL_AFFAIRS]]);
    expect([...(await anchor.latest())]).to.deep.equal([ethers.ZeroHash, 0n, 0n]);
  });

  it("lets only RURAL_AFFAIRS anchor, refuses every relay, and stops when closed", async function () {
    const { spec, council } = await networkHelpers.loadFixture(fixture);
    const cells = await expectAccessMatrix(spec);
    const direct = cells.filter((c) => c.fn === "anchor" && c.path === "direct");
    expect(direct.filter((c) => c.passed).map((c) => c.caller)).to.deep.equal(["RURAL_AFFAIRS"]);
    expect(direct.find((c) => c.caller === "RURAL_AFFAIRS")!.detail).to.equal("returned");
    expectRelaysRefused(cells, W, spec.signers.byRole.size + 1, "KeyServiceAnchorRelayedCall");
    await expectEveryFunctionRestricted(spec, (target, closed) => council.setClosed(target, closed));
  });
});
