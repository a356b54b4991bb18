/**
 * The access matrix of TraceUnits: commissionItems only for PRODUCER, every other function PUBLIC at the manager
 * with the holder and its supply-chain role checked inside, as deploy/wiring.ts says; relays through the manager
 * are refused; closing the target stops it. Deployed by deploy/modules/TraceUnits.ts beside the TraceLedger it reads.
 */
import { expect } from "chai";
import { ZeroHash, id } from "ethers";
import { network } from "hardhat";

import { WIRING } from "../../deploy/wiring.js";
import { INTERFACES } from "../../src/contracts.js";
import { requireTraceUnits } from "../../src/deployment.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { ROLE } from "../../src/roles.js";
import type { TraceUnits } from "../../types/ethers-contracts/index.js";
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
const W = WIRING.TraceUnits;

const ctx = { location: 0n, eventTime: 0n, evidenceHash: id("doc"), eventId: ZeroHash };
const SSCC = 106141412345678908n;

async function fixture() {
  const d = await deployWithSamples(connection, () => {});
  const council = await testCouncil(connection, d);
  const { byRole, roleless } = sampleSigners(await ethers.getSigners(), council.probe);
  const units = requireTraceUnits(d);
  const one = [id("x")];
  const spec: AccessMatrixSpec<TraceUnits, typeof W> = {
    manager: d.manager,
    target: units,
    wiring: W,
    signers: { byRole, roleless },
    args: {
      commissionItems: () => [id("product"), ZeroHash, one, ctx],
      pack: (caller) => [caller, SSCC, one, [], ctx],
      unpack: () => [id("container"), one, [], ctx],
      observe: () => [one, 2, ctx],
      ship: (caller) => [id("unit"), caller, ctx],
      accept: () => [id("unit"), ctx],
      cancelShipment: () => [id("unit")],
      recordAssociation: () => [id("event"), id("crate"), one, true, ctx],
      recordTransaction: () => [id("event"), true, one, [], [], ctx],
      correctEvent: () => [id("event"), 2, []],
    },
  };
  return { d, units, council, spec };
}

describe("Access matrix: TraceUnits", function () {
  it("is deployed behind its proxy under the same manager, reads the TraceLedger, and is wired as deploy/wiring.ts says", async function () {
    const { d, units } = await networkHelpers.loadFixture(fixture);
    expect(await units.authority()).to.equal(await d.manager.getAddress());
    expect(await units.traceLedger()).to.equal(d.addresses.TraceLedger);
    await expectWiringComplete(d.manager, units, W);
    const logs = await d.manager.queryFilter(d.manager.filters.TargetFunctionRoleUpdated(await units.getAddress()));
    const producer = logs
      .filter((l) => l.args.roleId === ROLE.PRODUCER)
      .map((l) => INTERFACES.TraceUnits.getFunction(l.args.selector)?.name);
    expect(producer).to.deep.equal(["commissionItems"]);
  });

  it("lets only PRODUCER commission serials, everyone reach the holder checks, refuses every relay, and stops when closed", async function () {
    const { spec, council } = await networkHelpers.loadFixture(fixture);
    const cells = await expectAccessMatrix(spec);
    const direct = cells.filter((c) => c.fn === "commissionItems" && c.path === "direct");
    expect(direct.filter((c) => c.passed).map((c) => c.caller)).to.deep.equal(["PRODUCER"]);
    expectRelaysRefused(cells, W, spec.signers.byRole.size + 1, "TraceUnitsRelayedCall");
    await expectEveryFunctionRestricted(spec, (target, closed) => council.setClosed(target, closed));
  });
});
