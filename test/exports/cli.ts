/**
 * The read-back commands of the CLI on the demo's chain (test/helpers/shared-demo.ts): `charity report
 * --json`, `charity goods lots`, `charity stats show`, `trace batches` and `relief report --json`, their
 * JSON parsed and checked against each other and against what the demo did; and a household's payment
 * notice from the demo, whose receipt code's hash `relief disburse show` finds bound on chain.
 */
import { readFile } from "node:fs/promises";

import { expect } from "chai";

import { reliefReceiptHash } from "../../src/relief/receipt-code.js";
import { sharedDemo, type SharedDemo } from "../helpers/shared-demo.js";

interface ProjectJson {
  projectId: string;
  code: string;
  charityName: string;
  donations: number;
  received: string;
  grantedIn: string;
  grantedOut: string;
  reversed: string;
  programme: string;
  administrative: string;
  balance: string;
}

describe("read-back CLI on the demo's chain", function () {
  this.timeout(1_500_000);
  let demo: SharedDemo;
  const ok = async (...args: string[]) => {
    const r = await demo.chain.hardhat(...args);
    expect(r.code, `${args.join(" ")}\n${r.stdout}\n${r.stderr}`).to.equal(0);
    return r.stdout;
  };
  const json = async <T>(...args: string[]) => JSON.parse(await ok(...args)) as T;

  before(async function () {
    demo = await sharedDemo();
  });

  it("prints the charity report as JSON, in fen, whose totals the published 2026-Q3 statistics equal", async function () {
    const report = await json<{ unit: string; projects: ProjectJson[]; years: { charityName: string }[] }>(
      "charity",
      "report",
      "--json",
    );
    expect(report.unit).to.equal("fen");
    const flood = report.projects.find((p) => p.code === "JM-FLOOD-2026")!;
    expect(flood.charityName).to.equal("江门市慈善会");
    const f = (k: keyof ProjectJson) => BigInt(flood[k] as string);
    expect(
      f("received") + f("grantedIn") - f("programme") - f("administrative") - f("grantedOut") - f("reversed"),
    ).to.equal(f("balance"));
    const one = await json<{ projects: ProjectJson[] }>("charity", "report", "--project", "JM-FLOOD-2026", "--json");
    expect(one.projects).to.deep.equal([flood]);

    const [published, ...more] = await json<
      { period: string; periodId: string; publishedBy: string; totals: Record<string, string> }[]
    >("charity", "stats", "show", "2026-Q3", "--json");
    expect(more).to.deep.equal([]);
    expect(published!.period).to.equal("2026-Q3");
    const sum = (k: keyof ProjectJson) => report.projects.reduce((s, p) => s + BigInt(p[k] as string), 0n);
    expect(BigInt(published!.totals.received!)).to.equal(sum("received"));
    expect(BigInt(published!.totals.programmeSpent!)).to.equal(sum("programme"));
    expect(BigInt(published!.totals.adminSpent!)).to.equal(sum("administrative"));
    expect(Number(published!.totals.donationCount)).to.equal(report.projects.reduce((s, p) => s + p.donations, 0));
    const all = await json<{ periodId: string }[]>("charity", "stats", "show", "--json");
    expect(all.map((r) => r.periodId)).to.include(published!.periodId);
    expect(await ok("charity", "stats", "show", "2026-Q3")).to.match(/2026-Q3 published by 江门市民政局/);
    expect(await ok("charity", "stats", "show", "2030-Q1")).to.include("no statistics published for 2030-Q1");
  });

  it("shows the flood project's goods lot: 500 cases of water, 300 to the hospital, confirmed", async function () {
    const { lots } = await json<{
      lots: {
        itemCode: string;
        quantity: string;
        unit: string;
        valuation: string;
        dispatched: string;
        remaining: string;
        reversed: boolean;
        dispatches: { recipient: string; quantity: string; confirmed: boolean }[];
      }[];
    }>("charity", "goods", "lots", "JM-FLOOD-2026", "--json");
    expect(lots).to.have.length(1);
    const lot = lots[0]!;
    expect([lot.itemCode, lot.quantity, lot.unit, lot.dispatched, lot.remaining, lot.reversed]).to.deep.equal([
      "6901234567892",
      "500",
      "箱",
      "300",
      "200",
      false,
    ]);
    expect(lot.valuation).to.equal("1800000");
    expect(lot.dispatches).to.have.length(1);
    expect(lot.dispatches[0]!.confirmed).to.equal(true);
    const table = await ok("charity", "goods", "lots", "JM-FLOOD-2026");
    expect(table).to.include("江门市中心医院").and.include("confirmed").and.include("500 箱");
  });

  it("lists every batch with its lot, origin and state, the recalled 新会陈皮 lot among them", async function () {
    const batches = await json<
      {
        batchId: string;
        productCode: string;
        lotCode: string;
        origin: string;
        state: { recalled: boolean; quantity: string };
      }[]
    >("trace", "batches", "--json");
    expect(batches.length).to.be.greaterThan(3);
    expect(new Set(batches.map((b) => b.batchId)).size).to.equal(batches.length);
    expect(batches.map((b) => b.origin))
      .to.include("commissioned")
      .and.include("split");
    const recalled = batches.find((b) => b.lotCode === "XHCP-2026-D01");
    expect(recalled, batches.map((b) => b.lotCode).join(", ")).to.not.equal(undefined);
    expect(recalled!.state.recalled).to.equal(true);
    // The product filter keeps only that product's batches.
    const only = await json<{ productCode: string }[]>(
      "trace",
      "batches",
      "--product",
      recalled!.productCode,
      "--json",
    );
    expect(only.length).to.be.greaterThan(0);
    expect(new Set(only.map((b) => b.productCode))).to.deep.equal(new Set([recalled!.productCode]));
    expect(await ok("trace", "batches"))
      .to.match(/RECALLED/)
      .and.match(/\d+ batches/);
  });

  it("prints the relief report as JSON whose holders account for every fen, and finds a notice's receipt on chain", async function () {
    const r = await json<{
      unit: string;
      programme: { appropriated: string; disbursed: string };
      holders: { name: string; depth: number; available: string; reserved: string; disbursed: string }[];
      projects: { paid: string }[];
      totals: { available: string; reserved: string; disbursed: string; beneficiaries: number };
    }>("relief", "report", "--programme", "TS-IND-2026", "--json");
    expect(r.unit).to.equal("fen");
    expect(r.holders[0]!.depth).to.equal(0);
    const sum = (k: "available" | "reserved" | "disbursed") => r.holders.reduce((s, h) => s + BigInt(h[k]), 0n);
    // Holders pay households; projects pay their implementers (the greenhouse's milestones).
    const projectsPaid = r.projects.reduce((s, j) => s + BigInt(j.paid), 0n);
    expect(projectsPaid).to.be.greaterThan(0n);
    expect(sum("disbursed") + projectsPaid).to.equal(BigInt(r.programme.disbursed));
    expect(BigInt(r.totals.available) + BigInt(r.totals.reserved) + BigInt(r.programme.disbursed)).to.equal(
      BigInt(r.programme.appropriated),
    );
    expect(r.totals.beneficiaries).to.equal(49);

    const notice = demo.demo.paymentNotice;
    const line = (await readFile(demo.demo.noticeFile, "utf8"))
      .split(/\r?\n/)
      .find((l) => l.startsWith(notice.receiptCode))!;
    const disbursementId = /0x[0-9a-f]{64}/.exec(line)![0];
    const shown = await json<{ receiptHash: string; amount: string; period: number }>(
      "relief",
      "disburse",
      "show",
      disbursementId,
      "--json",
    );
    expect(shown.receiptHash).to.equal(reliefReceiptHash(notice.receiptCode));
    expect(BigInt(shown.amount)).to.equal(BigInt(notice.amountYuan.replace(".", "")));
    expect(shown.period).to.equal(Number(notice.period));
  });
});
