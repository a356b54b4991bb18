import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import { legacyOverrides } from "../../src/chain.js";
import { DEMO_ACCOUNTS, REVERSED_DONOR, demoDonors, runFloodReliefStory } from "../../src/dev/charity-story.js";
import { donationIdOf, projectIdOf, refHashOf } from "../../src/charity/ids.js";
import { charityRefKey, disburse } from "../../src/charity/ledger.js";
import { buildReport, formatPercent } from "../../src/charity/report.js";
import { allocateFifo, traceDonation, type Outflow } from "../../src/charity/trace.js";
import { deployWithSamples } from "../../src/dev/setup.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const out = (kind: Outflow["kind"], amount: bigint, outflowAfter: bigint): Outflow => ({
  kind,
  id: `${kind}-${outflowAfter}`,
  amount,
  outflowAfter,
  txHash: "0x",
});

describe("first-in first-out trace", function () {
  const reversal = (amount: bigint, inflowBefore: bigint, outflowAfter: bigint): Outflow => ({
    ...out("reversal", amount, outflowAfter),
    inflowBefore,
  });

  it("gives a donation the overlap of its inflow range with each outflow's range", function () {
    // donations [0,100) [100,150) [150,400); outflows [0,60) [60,130) [130,140)
    const outflows = [out("disbursement", 60n, 60n), out("grant", 70n, 130n), out("disbursement", 10n, 140n)];
    const first = allocateFifo(0n, 100n, outflows);
    expect(first.uses.map((u) => [u.kind, u.share])).to.deep.equal([
      ["disbursement", 60n],
      ["grant", 40n],
    ]);
    expect(first.held).to.equal(0n);
    const second = allocateFifo(100n, 150n, outflows);
    expect(second.uses.map((u) => [u.kind, u.share])).to.deep.equal([
      ["grant", 30n],
      ["disbursement", 10n],
    ]);
    expect(second.held).to.equal(10n);
    const third = allocateFifo(150n, 400n, outflows);
    expect(third.uses).to.deep.equal([]);
    expect(third.held).to.equal(250n);
  });

  it("takes a reversal from the reversed donation alone, and later outflows step over it", function () {
    // donations [0,100) [100,150) [150,160) [160,400); the third is reversed after 130 went out,
    // then 30 more: 20 from the second donation, 10 from the fourth.
    const outflows = [
      out("disbursement", 60n, 60n),
      out("grant", 70n, 130n),
      reversal(10n, 150n, 140n),
      out("disbursement", 30n, 170n),
    ];
    expect(allocateFifo(0n, 100n, outflows).uses.map((u) => [u.kind, u.share])).to.deep.equal([
      ["disbursement", 60n],
      ["grant", 40n],
    ]);
    const second = allocateFifo(100n, 150n, outflows);
    expect(second.uses.map((u) => [u.kind, u.share])).to.deep.equal([
      ["grant", 30n],
      ["disbursement", 20n],
    ]);
    expect(second.held).to.equal(0n);
    const reversed = allocateFifo(150n, 160n, outflows);
    expect(reversed.reversal?.kind).to.equal("reversal");
    expect(reversed.uses.map((u) => [u.kind, u.share])).to.deep.equal([["reversal", 10n]]);
    expect(reversed.held).to.equal(0n);
    const fourth = allocateFifo(160n, 400n, outflows);
    expect(fourth.uses.map((u) => [u.kind, u.share])).to.deep.equal([["disbursement", 10n]]);
    expect(fourth.held).to.equal(230n);
  });

  it("accounts for every fen of every donation exactly once", function () {
    const outflows = [out("disbursement", 33n, 33n), out("disbursement", 1n, 34n), out("grant", 50n, 84n)];
    const donations = [17n, 40n, 5n, 100n];
    let start = 0n;
    let used = 0n;
    let held = 0n;
    for (const amount of donations) {
      const r = allocateFifo(start, start + amount, outflows);
      expect(r.uses.reduce((s, u) => s + u.share, 0n) + r.held).to.equal(amount);
      used += r.uses.reduce((s, u) => s + u.share, 0n);
      held += r.held;
      start += amount;
    }
    expect(used).to.equal(84n);
    expect(held).to.equal(162n - 84n);
  });
});

describe("charity trace and report on the demo story", function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), "zhixin-report-"))));
  after(async () => rm(dir, { recursive: true, force: true }));

  async function story() {
    const d = await deployWithSamples(connection, () => {});
    const overrides = await legacyOverrides(ethers.provider, connection.networkConfig.gasPrice);
    await runFloodReliefStory(
      d,
      (a) => ethers.getSigner(a),
      overrides,
      dir,
      () => {},
    );
    return { d, overrides };
  }

  /** The id of demo donor `i`'s donation, with the charity's own reference key. */
  async function demoDonationId(d: Awaited<ReturnType<typeof story>>["d"], i: number): Promise<string> {
    const charity = await ethers.getSigner(DEMO_ACCOUNTS.charity);
    const refKey = await charityRefKey(d, charity, DEMO_ACCOUNTS.charity);
    return donationIdOf(DEMO_ACCOUNTS.charity, refHashOf(refKey, demoDonors()[i]!.ref));
  }

  it("traces the first donations to the medicine the hospital confirmed", async function () {
    const { d } = await networkHelpers.loadFixture(story);
    const first = await demoDonationId(d, 0);
    const t = await traceDonation(d.charity!, ethers.provider, first);
    expect(t.uses).to.have.length(1);
    expect(t.uses[0]).to.include({ kind: "disbursement", recipient: DEMO_ACCOUNTS.hospital, confirmed: true });
    expect(t.uses[0]!.share).to.equal(t.amount);
    expect(t.held).to.equal(0n);
    expect(t.reversal).to.equal(undefined);
  });

  it("says the reversed donation was reversed, and charges its reversal to no other donor", async function () {
    const { d } = await networkHelpers.loadFixture(story);
    const reversed = await traceDonation(d.charity!, ethers.provider, await demoDonationId(d, REVERSED_DONOR));
    expect(reversed.reversal).to.not.equal(undefined);
    expect(reversed.uses.map((u) => [u.kind, u.share])).to.deep.equal([["reversal", reversed.amount]]);
    expect(reversed.held).to.equal(0n);
    // Every other donor's money went to disbursements or grants or is still held, never to the reversal.
    let held = 0n;
    for (let i = 0; i < demoDonors().length; i++) {
      if (i === REVERSED_DONOR) continue;
      const t = await traceDonation(d.charity!, ethers.provider, await demoDonationId(d, i));
      expect(t.reversal, `donor ${i}`).to.equal(undefined);
      expect(
        t.uses.filter((u) => u.kind === "reversal"),
        `donor ${i}`,
      ).to.deep.equal([]);
      expect(t.uses.reduce((s, u) => s + u.share, 0n) + t.held, `donor ${i}`).to.equal(t.amount);
      held += t.held;
    }
    // What the donors' traces say is held is what the project holds.
    expect(held).to.equal(await d.charity!.available(projectIdOf(DEMO_ACCOUNTS.charity, "JM-FLOOD-2026")));
  });

  it("reports balances that match the chain and flags administrative costs above 10 %", async function () {
    const { d, overrides } = await networkHelpers.loadFixture(story);
    const projectId = projectIdOf(DEMO_ACCOUNTS.charity, "JM-FLOOD-2026");
    const clean = await buildReport(d.charity!, ethers.provider, { charity: DEMO_ACCOUNTS.charity });
    const line = clean.projects.find((p) => p.projectId === projectId)!;
    expect(line.balance).to.equal(await d.charity!.available(projectId));
    expect(line.donations).to.equal(200);
    const year = clean.years.find((y) => y.charity === DEMO_ACCOUNTS.charity)!;
    expect(year.breaches).to.deep.equal([]);
    expect(year.programmeRatio).to.equal(undefined); // no income the year before: not judged
    expect(formatPercent(year.adminRatio)).to.equal("2.43 %"); // 5,000 of 205,000 yuan spent

    const charity = await ethers.getSigner(DEMO_ACCOUNTS.charity);
    await disburse(
      d,
      charity,
      { projectId, recipient: DEMO_ACCOUNTS.hospital, purpose: 1, amountFen: 3_000_000n, evidenceHash: id("office") },
      overrides,
    );
    const after = await buildReport(d.charity!, ethers.provider, { charity: DEMO_ACCOUNTS.charity });
    // 35,000 of 235,000 yuan spent
    const flagged = after.years.find((y) => y.charity === DEMO_ACCOUNTS.charity)!;
    expect(flagged.breaches).to.have.length(1);
    expect(flagged.breaches[0]).to.match(/administrative costs 14\.89 % of spending \(> 10 %\)/);
  });
});
