/**
 * The emergency brake: a ledger's guardian closes it at once; the guardian cannot reopen it; a
 * non-guardian cannot close it; only the council reopens it, and only after its delay.
 */
import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import { GUARDIANS } from "../../src/governance/guardians.js";
import { requireBrake, requireCharity, requireCouncil } from "../../src/deployment.js";
import { executeOperation, scheduleOperation, waitUntilReady } from "../../src/governance/council.js";
import { describeCall } from "../../src/governance/describe.js";
import { ROLE } from "../../src/roles.js";
import { deployGoverned } from "./fixture.js";

const connection = await network.create();
const { networkHelpers } = connection;
const fixture = () => deployGoverned(connection);

/** The message a promise is rejected with ("" when it resolves). */
async function rejection(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "",
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
}

describe("the emergency brake", function () {
  this.timeout(120_000);

  it("gives each ledger its supervising department as guardian", async function () {
    const { d } = await networkHelpers.loadFixture(fixture);
    const brake = requireBrake(d);
    for (const [ledger, role] of Object.entries(GUARDIANS)) {
      const address = d.addresses[ledger as keyof typeof GUARDIANS]!;
      expect(await brake.guardianRoleOf(address), ledger).to.equal(ROLE[role]);
    }
  });

  it("lets the guardian close its ledger at once, and then nothing gets through", async function () {
    const { d, civilAffairs } = await networkHelpers.loadFixture(fixture);
    const brake = requireBrake(d);
    const charity = requireCharity(d);
    await expect(brake.connect(civilAffairs).close(d.addresses.CharityLedger!, id("fraud report 17")))
      .to.emit(brake, "LedgerClosed")
      .withArgs(d.addresses.CharityLedger!, civilAffairs.address, ROLE.CIVIL_AFFAIRS, id("fraud report 17"))
      .and.to.emit(d.manager, "TargetClosed")
      .withArgs(d.addresses.CharityLedger!, true);
    expect(await d.manager.isTargetClosed(d.addresses.CharityLedger!)).to.equal(true);
    await expect(charity.connect(civilAffairs).approveProject(id("p")))
      .to.be.revertedWithCustomError(charity, "AccessManagedUnauthorized")
      .withArgs(civilAffairs.address);
    await expect(brake.connect(civilAffairs).close(d.addresses.CharityLedger!, id("again")))
      .to.be.revertedWithCustomError(brake, "EmergencyBrakeAlreadyClosed")
      .withArgs(d.addresses.CharityLedger!);
  });

  it("refuses a non-guardian closing a ledger", async function () {
    const { d, marketRegulator, stranger } = await networkHelpers.loadFixture(fixture);
    const brake = requireBrake(d);
    for (const who of [marketRegulator, stranger]) {
      await expect(brake.connect(who).close(d.addresses.CharityLedger!, id("x")))
        .to.be.revertedWithCustomError(brake, "EmergencyBrakeNotGuardian")
        .withArgs(who.address, d.addresses.CharityLedger!, ROLE.CIVIL_AFFAIRS);
    }
    // Nor can anyone brake what has no guardian: the registry, the manager.
    await expect(brake.connect(marketRegulator).close(d.addresses.OrgRegistry, id("x")))
      .to.be.revertedWithCustomError(brake, "EmergencyBrakeNoGuardian")
      .withArgs(d.addresses.OrgRegistry);
    expect(await d.manager.isTargetClosed(d.addresses.CharityLedger!)).to.equal(false);
  });

  it("refuses the guardian reopening, directly or at the manager", async function () {
    const { d, finance } = await networkHelpers.loadFixture(fixture);
    const brake = requireBrake(d);
    const relief = d.addresses.ReliefLedger!;
    await brake.connect(finance).close(relief, id("misappropriation"));
    await expect(brake.connect(finance).reopen(relief))
      .to.be.revertedWithCustomError(brake, "AccessManagedUnauthorized")
      .withArgs(finance.address);
    await expect(d.manager.connect(finance).setTargetClosed(relief, false))
      .to.be.revertedWithCustomError(d.manager, "AccessManagerUnauthorizedAccount")
      .withArgs(finance.address, ROLE.ADMIN);
    expect(await d.manager.isTargetClosed(relief)).to.equal(true);
  });

  it("reopens only through the council, after its delay", async function () {
    const { d, marketRegulator, audit } = await networkHelpers.loadFixture(fixture);
    const brake = requireBrake(d);
    const council = requireCouncil(d);
    const trace = d.addresses.TraceLedger!;
    await brake.connect(marketRegulator).close(trace, id("contaminated batch"));
    const call = { target: d.addresses.EmergencyBrake!, data: brake.interface.encodeFunctionData("reopen", [trace]) };
    expect(describeCall(d.addresses, call.target, call.data).en).to.equal(`reopen the traceability ledger ${trace}`);
    const op = await scheduleOperation(council, audit, call);
    expect(await rejection(executeOperation(council, audit, op))).to.match(
      /not ready|TimelockUnexpectedOperationState/,
    );
    expect(await d.manager.isTargetClosed(trace)).to.equal(true);
    await waitUntilReady(council, op);
    expect(await rejection(executeOperation(council, audit, op))).to.equal("");
    expect(await d.manager.isTargetClosed(trace)).to.equal(false);
  });
});
