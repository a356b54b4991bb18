/**
 * The governance CLI and the explorer's governance view against a real JSON-RPC node (an Anvil started
 * here): a department schedules, the public lists it in words, nobody executes it early, another
 * department cancels one operation, the next is executed after the delay, and a guardian's emergency
 * brake shows as a closed ledger in the index.
 */

import { expect } from "chai";
import { id } from "ethers";

import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import { loadDeployment, requireBrake } from "../../src/deployment.js";
import { roleMembersFromEvents } from "../../src/governance/members.js";
import { FetchJsonRpcProvider } from "../../src/indexer/rpc.js";
import { EXPLORER_DIST, startExplorer } from "../../src/indexer/server.js";
import { ensureExplorerBuilt, launchChromium } from "../helpers/browser.js";
import { errorLines, startLocalChain, type LocalChain } from "../helpers/cli.js";

const F = DevParameters.Foundation;
const STRANGER = "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199";

interface JsonOp {
  id: string;
  status: string;
  cancellers: string[];
  description: { en: string; zh: string };
}

describe("governance CLI on a local Anvil node", function () {
  this.timeout(300_000);
  let chain: LocalChain;
  const hardhat = (...args: string[]) => chain.hardhat(...args);

  before(async function () {
    chain = await startLocalChain(7850);
    const deploy = await hardhat("run", "scripts/deploy-local.ts");
    expect(deploy.code, deploy.stderr).to.equal(0);
  });

  after(async function () {
    await chain?.dispose();
  });

  it("leaves the deployer of deploy:local in no role, read back from the manager's events on Anvil", async function () {
    const provider = new FetchJsonRpcProvider(chain.url(), undefined, { batchMaxCount: 100 });
    const d = await loadDeployment(provider);
    const deployer = (await provider.listAccounts())[0]!.address.toLowerCase();
    const members = await roleMembersFromEvents(d.manager);
    expect([...members].filter(([, m]) => m.has(deployer)).map(([r]) => r)).to.deep.equal([]);
    expect([...members.get(0n)!].sort()).to.deep.equal(
      [d.addresses.Council!, d.addresses.EmergencyBrake!].map((a) => a.toLowerCase()).sort(),
    );
  });

  it("schedules, lists in words, refuses early execution, cancels and executes after the delay", async function () {
    const help = await hardhat("governance", "schedule", "--help");
    expect(help.stdout).to.match(/Schedule a call by the council/);

    const refused = await hardhat(
      "governance",
      "schedule",
      "manager",
      "setTargetClosed",
      "charity",
      "true",
      "--from",
      STRANGER,
    );
    expect(refused.code).to.equal(1);
    expect(errorLines(refused).join("\n")).to.match(/is not a council proposer/);
    const wrong = await hardhat(
      "governance",
      "schedule",
      "manager",
      "setTargetClosed",
      "charity",
      "--from",
      F.auditAccount,
    );
    expect(errorLines(wrong).join("\n")).to.match(/takes 2 arguments/);

    const first = await hardhat(
      "governance",
      "schedule",
      "manager",
      "setTargetFunctionRole",
      "charity",
      "disburse,grant",
      "PUBLIC",
      "--from",
      F.financeAccount,
      "--json",
    );
    expect(first.code, first.stderr).to.equal(0);
    const a = JSON.parse(first.stdout) as { id: string; en: string; zh: string };
    expect(a.en).to.match(/^let PUBLIC call disburse, grant of the charity ledger 0x/);

    const second = await hardhat(
      "governance",
      "schedule",
      "registry",
      "register",
      STRANGER,
      "FINANCE",
      "台山市财政局",
      "11440781007000011D",
      "0",
      "--from",
      F.civilAffairsAccount,
      "--json",
    );
    expect(second.code, second.stderr).to.equal(0);
    const b = JSON.parse(second.stdout) as { id: string; zh: string };
    expect(b.zh).to.include(`登记 台山市财政局 ${STRANGER} 为 财政局`);

    const list = await hardhat("governance", "list", "--json");
    const ops = JSON.parse(list.stdout) as JsonOp[];
    expect(ops.map((o) => [o.id, o.status])).to.have.deep.members([
      [a.id, "waiting"],
      [b.id, "waiting"],
    ]);
    expect(ops[0]!.cancellers).to.include(F.auditAccount);

    const early = await hardhat("governance", "execute", b.id);
    expect(early.code).to.equal(1);
    expect(errorLines(early).join("\n")).to.match(/is not ready before .* add --wait/);

    const cancel = await hardhat("governance", "cancel", a.id.slice(0, 14), "--from", F.auditAccount);
    expect(cancel.code, cancel.stderr).to.equal(0);
    const again = await hardhat("governance", "cancel", a.id, "--from", F.auditAccount);
    expect(errorLines(again).join("\n")).to.match(/was cancelled already/);

    const executed = await hardhat("governance", "execute", b.id, "--wait", "--json");
    expect(executed.code, executed.stderr).to.equal(0);
    const show = await hardhat("org", "show", STRANGER, "--json");
    expect(show.stdout).to.include("台山市财政局");

    const all = JSON.parse((await hardhat("governance", "list", "--all", "--json")).stdout) as JsonOp[];
    expect(Object.fromEntries(all.map((o) => [o.id, o.status]))).to.deep.equal({
      [a.id]: "cancelled",
      [b.id]: "executed",
    });
  });

  it("shows the council's operations and a braked ledger in the explorer's index", async function () {
    const provider = new FetchJsonRpcProvider(chain.url(), undefined, { batchMaxCount: 100 });
    const d = await loadDeployment(provider);
    const regulator = await provider.getSigner(F.marketRegulatorAccount);
    const braked = await (
      await requireBrake(d)
        .connect(regulator)
        .close(d.addresses.TraceLedger!, id("recall 7"), { type: 0, gasPrice: 0n })
    ).wait();

    const explorer = await startExplorer({ provider, deployment: d, location: {} });
    try {
      // The explorer follows the chain: wait until it has indexed the brake's block (the head it caught up to
      // at start may be the provider's cached one, from before that block).
      for (let i = 0; (await explorer.indexer.indexedBlock()) < braked!.blockNumber; i++) {
        if (i === 300) throw new Error(`the explorer did not index block ${braked!.blockNumber} within 30 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const view = await explorer.views.governance();
      expect(view.council).to.equal(d.addresses.Council);
      expect(view.minDelay).to.equal(DevParameters.Governance.councilMinDelay);
      expect(view.operations.map((o) => o.status).sort()).to.deep.equal(["cancelled", "executed"]);
      const executed = view.operations.find((o) => o.status === "executed")!;
      expect(executed.calls[0]!.en).to.include("register 台山市财政局");
      expect(executed.proposerName).to.equal(F.civilAffairsName);
      expect(view.closed).to.deep.equal([
        {
          target: d.addresses.TraceLedger,
          contract: "TraceLedger",
          closedBlock: view.closed[0]!.closedBlock,
          closedAt: view.closed[0]!.closedAt,
          guardian: F.marketRegulatorAccount,
          guardianName: F.marketRegulatorName,
          reasonHash: id("recall 7"),
        },
      ]);
    } finally {
      await explorer.close();
    }
  });

  it("shows the operations in words and the closed ledger's banner in Chromium, in Chinese and English", async function () {
    await ensureExplorerBuilt();
    const provider = new FetchJsonRpcProvider(chain.url(), undefined, { batchMaxCount: 100 });
    const d = await loadDeployment(provider);
    const server = await startExplorer({ provider, deployment: d, location: {}, explorerDir: EXPLORER_DIST });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${server.url}/governance`);
      await page.getByTestId("operations").waitFor();
      expect(await page.getByTestId("operation").count()).to.equal(2);
      const executed = page.locator('[data-testid="operation"][data-status="executed"]');
      expect(await executed.textContent()).to.include("登记 台山市财政局");
      expect(await page.getByTestId("closed-ledgers").textContent()).to.include("产品追溯账本 已紧急关闭");

      await page.goto(`${server.url}/trace`);
      await page.getByTestId("ledger-closed").waitFor();
      await page.goto(`${server.url}/charity`);
      await page.locator("main.page h1").first().waitFor();
      expect(await page.getByTestId("ledger-closed").count()).to.equal(0);

      await page.goto(`${server.url}/governance`);
      await page.getByTestId("lang-switch").click();
      await page.getByTestId("operations").waitFor();
      expect(await executed.textContent()).to.include("register 台山市财政局");
      expect(errors).to.deep.equal([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
