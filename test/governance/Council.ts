/**
 * Every privileged change goes schedule → delay → execute through the council (TimelockController):
 * admitting a department, rewiring a function; a department cancels; nobody executes early; strangers
 * neither propose nor cancel; each operation reads in words (中文 and English).
 */
import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import { requireCharity, requireCouncil } from "../../src/deployment.js";
import {
  cancelOperation,
  executeOperation,
  operationState,
  scheduleOperation,
  throughCouncil,
  waitUntilReady,
} from "../../src/governance/council.js";
import { describeCall } from "../../src/governance/describe.js";
import { PUBLIC_ROLE, ROLE, SEALED_ROLE } from "../../src/roles.js";
import { deployGoverned } from "./fixture.js";

const connection = await network.create();
const { networkHelpers } = connection;
const fixture = () => deployGoverned(connection);

const TAISHAN_FINANCE = {
  name: "台山市财政局",
  creditCode: "11440781007000011D",
};

/** The message a promise is rejected with ("" when it resolves). */
async function rejection(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "",
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
}

describe("the council", function () {
  this.timeout(120_000);

  it("admits a department only through schedule, delay and execute", async function () {
    const { d, civilAffairs, audit, stranger } = await networkHelpers.loadFixture(fixture);
    const council = requireCouncil(d);
    const call = {
      target: d.addresses.OrgRegistry,
      data: d.registry.interface.encodeFunctionData("register", [
        stranger.address,
        Number(ROLE.FINANCE),
        TAISHAN_FINANCE.name,
        TAISHAN_FINANCE.creditCode,
        id("metadata"),
      ]),
    };
    const words = describeCall(d.addresses, call.target, call.data);
    expect(words.en).to.include(`register 台山市财政局 ${stranger.address} as FINANCE`);
    expect(words.zh).to.include(`登记 台山市财政局 ${stranger.address} 为 财政局`);

    const op = await scheduleOperation(council, civilAffairs, call);
    expect(await operationState(council, op.id)).to.equal("waiting");
    expect(op.readyAt - BigInt(await networkHelpers.time.latest())).to.be.lessThanOrEqual(await council.getMinDelay());
    // Too early: refused, and nothing changed.
    expect(await rejection(executeOperation(council, audit, op))).to.match(
      /not ready|TimelockUnexpectedOperationState/,
    );
    expect(await d.registry.isActive(stranger.address, Number(ROLE.FINANCE))).to.equal(false);

    await waitUntilReady(council, op);
    await executeOperation(council, audit, op);
    expect(await operationState(council, op.id)).to.equal("done");
    expect(await d.registry.isActive(stranger.address, Number(ROLE.FINANCE))).to.equal(true);
    const [isMember, delay] = await d.manager.hasRole(ROLE.FINANCE, stranger.address);
    expect([isMember, delay]).to.deep.equal([true, 0n]);
  });

  it("lets any department cancel a waiting rule change, which then never runs", async function () {
    const { d, finance, audit } = await networkHelpers.loadFixture(fixture);
    const council = requireCouncil(d);
    const charity = requireCharity(d);
    const disburse = charity.interface.getFunction("disburse").selector;
    const call = {
      target: d.addresses.AccessManager,
      data: d.manager.interface.encodeFunctionData("setTargetFunctionRole", [
        d.addresses.CharityLedger!,
        [disburse],
        PUBLIC_ROLE,
      ]),
    };
    expect(describeCall(d.addresses, call.target, call.data).en).to.equal(
      "let PUBLIC call disburse of the charity ledger " + d.addresses.CharityLedger,
    );
    const op = await scheduleOperation(council, finance, call);
    await cancelOperation(council, audit, op.id);
    expect(await operationState(council, op.id)).to.equal("unset");
    await networkHelpers.time.increase(Number(await council.getMinDelay()) + 1);
    expect(await rejection(executeOperation(council, finance, op))).to.match(
      /TimelockUnexpectedOperationState|not ready|cannot/,
    );
    expect(await d.manager.getTargetFunctionRole(d.addresses.CharityLedger!, disburse)).to.equal(ROLE.CHARITY);
  });

  it("refuses a stranger proposing or cancelling, and a delay shorter than the council's", async function () {
    const { d, civilAffairs, stranger } = await networkHelpers.loadFixture(fixture);
    const council = requireCouncil(d);
    const call = {
      target: d.addresses.AccessManager,
      data: d.manager.interface.encodeFunctionData("setTargetClosed", [d.addresses.CharityLedger!, true]),
    };
    expect(describeCall(d.addresses, call.target, call.data).en).to.equal(
      `close the charity ledger ${d.addresses.CharityLedger}`,
    );
    expect(describeCall(d.addresses, call.target, call.data).zh).to.equal(
      `关闭 慈善捐赠账本 ${d.addresses.CharityLedger}`,
    );
    expect(await rejection(scheduleOperation(council, stranger, call))).to.match(
      /AccessControlUnauthorizedAccount|not a council proposer/,
    );
    expect(await rejection(scheduleOperation(council, civilAffairs, call, { delay: 1n }))).to.match(
      /TimelockInsufficientDelay|shorter than the council/,
    );
    const op = await scheduleOperation(council, civilAffairs, call);
    expect(await rejection(cancelOperation(council, stranger, op.id))).to.match(
      /AccessControlUnauthorizedAccount|not a council canceller/,
    );
    expect(await operationState(council, op.id)).to.equal("waiting");
  });

  it("cannot grant REGISTRAR to itself: its admin is SEALED, a role nobody holds", async function () {
    const { d, civilAffairs } = await networkHelpers.loadFixture(fixture);
    const council = requireCouncil(d);
    const call = {
      target: d.addresses.AccessManager,
      data: d.manager.interface.encodeFunctionData("grantRole", [ROLE.REGISTRAR, d.addresses.Council!, 0]),
    };
    const op = await scheduleOperation(council, civilAffairs, call);
    await waitUntilReady(council, op);
    // The manager refuses the council (it does not hold SEALED); the timelock passes the refusal on.
    const refusal = await council
      .connect(civilAffairs)
      .execute.staticCall(op.target, 0, op.data, op.predecessor, op.salt)
      .then(
        () => undefined,
        (e: { data?: string }) => e.data,
      );
    expect(d.manager.interface.parseError(refusal!)?.name).to.equal("AccessManagerUnauthorizedAccount");
    expect(d.manager.interface.parseError(refusal!)?.args.toArray()).to.deep.equal([d.addresses.Council, SEALED_ROLE]);
    expect((await d.manager.hasRole(ROLE.REGISTRAR, d.addresses.Council!))[0]).to.equal(false);
  });

  it("delays a new ADMIN by the grant delay, once AccessManager's 5-day setback has passed", async function () {
    const { d, finance, stranger } = await networkHelpers.loadFixture(fixture);
    const grantDelay = BigInt(DevParameters.Governance.adminGrantDelay);
    await networkHelpers.time.increase(5 * 86_400 + 1);
    expect(await d.manager.getRoleGrantDelay(ROLE.ADMIN)).to.equal(grantDelay);
    await throughCouncil(
      d,
      { proposer: finance },
      {
        target: d.addresses.AccessManager,
        data: d.manager.interface.encodeFunctionData("grantRole", [ROLE.ADMIN, stranger.address, 0]),
      },
    );
    expect((await d.manager.hasRole(ROLE.ADMIN, stranger.address))[0]).to.equal(false);
    await networkHelpers.time.increase(Number(grantDelay));
    expect((await d.manager.hasRole(ROLE.ADMIN, stranger.address))[0]).to.equal(true);
  });

  it("runs a whole change with throughCouncil, the helper the CLI, demo and tests share", async function () {
    const { d, marketRegulator } = await networkHelpers.loadFixture(fixture);
    const charity = d.addresses.CharityLedger!;
    const done = await throughCouncil(
      d,
      { proposer: marketRegulator },
      {
        target: d.addresses.AccessManager,
        data: d.manager.interface.encodeFunctionData("setTargetClosed", [charity, true]),
      },
    );
    expect(await operationState(requireCouncil(d), done.id)).to.equal("done");
    expect(await d.manager.isTargetClosed(charity)).to.equal(true);
  });
});
