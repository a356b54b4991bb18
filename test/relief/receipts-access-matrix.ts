/**
 * The access matrix of ReliefReceipts: `bindReceipt` is PUBLIC at the manager (deploy/wiring.ts) and the
 * contract itself lets only a disbursement's proposer bind; every relay through the manager is refused;
 * closing the target stops it.
 */
import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import { WIRING } from "../../deploy/wiring.js";
import { INTERFACES } from "../../src/contracts.js";
import { requireReliefReceipts } from "../../src/deployment.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { PUBLIC_ROLE } from "../../src/roles.js";
import type { ReliefReceipts } from "../../types/ethers-contracts/index.js";
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
const W = WIRING.ReliefReceipts;
const UNKNOWN = id("no such disbursement");

async function fixture() {
  const d = await deployWithSamples(connection, () => {});
  const council = await testCouncil(connection, d);
  const { byRole, roleless } = sampleSigners(await ethers.getSigners(), council.probe);
  const receipts = requireReliefReceipts(d);
  const spec: AccessMatrixSpec<ReliefReceipts, typeof W> = {
    manager: d.manager,
    target: receipts,
    wiring: W,
    signers: { byRole, roleless },
    args: { bindReceipt: () => [UNKNOWN, id("code")] },
  };
  return { d, receipts, council, spec };
}

describe("Access matrix: ReliefReceipts", function () {
  it("is deployed by the Relief module under the same manager, over the relief ledger, wired as deploy/wiring.ts says", async function () {
    const { d, receipts } = await networkHelpers.loadFixture(fixture);
    expect(await receipts.authority()).to.equal(await d.manager.getAddress());
    expect(await receipts.ledger()).to.equal(await d.relief!.getAddress());
    await expectWiringComplete(d.manager, receipts, W);
    const logs = await d.manager.queryFilter(d.manager.filters.TargetFunctionRoleUpdated(await receipts.getAddress()));
    expect(
      logs.map((l) => [INTERFACES.ReliefReceipts.getFunction(l.args.selector)?.name, l.args.roleId]),
    ).to.deep.equal([["bindReceipt", PUBLIC_ROLE]]);
  });

  it("lets every caller through the manager to the contract's own check, refuses every relay, and stops when closed", async function () {
    const { spec, council } = await networkHelpers.loadFixture(fixture);
    const cells = await expectAccessMatrix(spec);
    const direct = cells.filter((c) => c.fn === "bindReceipt" && c.path === "direct");
    expect(direct.length).to.be.greaterThan(1);
    for (const c of direct) {
      expect(c.passed, c.caller).to.equal(true);
      expect(c.detail, c.caller).to.equal(`reverted ReliefReceiptsUnknownDisbursement(${UNKNOWN})`);
    }
    expectRelaysRefused(cells, W, spec.signers.byRole.size + 1, "ReliefReceiptsRelayedCall");
    await expectEveryFunctionRestricted(spec, (target, closed) => council.setClosed(target, closed));
  });
});
