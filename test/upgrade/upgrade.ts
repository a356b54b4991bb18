/**
 * Upgrades without losing history (issue 18, item 4; README, "Upgrades"): version 1 deployed by Ignition
 * on the in-process network, the demo's three stories told on it, then the relief ledger moved to a
 * version 2 with one new rule (test/upgrade/ReliefLedgerV2.sol) through src/upgrade.ts. Every value the
 * four contracts' views return for every id, account and index their events name, and every page of the
 * explorer's API, is the same after the switch; the new rule is in force; the explorer indexes a write
 * made after it. OpenZeppelin's storage-layout check passes the ledgers as compiled and version 2, and
 * refuses a version 2 whose layout is incompatible.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { BrowserProvider, id, type BaseContract, type FunctionFragment, type Log, type Result } from "ethers";
import { network } from "hardhat";

import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import { checkAll, checkUpgrade, recordedLayout } from "../../scripts/upgrade-layouts.js";
import { legacyOverrides } from "../../src/chain.js";
import { runFloodReliefStory } from "../../src/dev/charity-story.js";
import { requireRelief, type Deployment } from "../../src/deployment.js";
import { ChainRefusal } from "../../src/errors.js";
import { startExplorer, type RunningExplorer } from "../../src/indexer/server.js";
import { RELIEF_ACCOUNTS, runTaishanStory } from "../../src/dev/relief-story.js";
import * as relief from "../../src/relief/ledger.js";
import { deployWithSamples } from "../../src/dev/setup.js";
import { runChenpiStory } from "../../src/dev/trace-story.js";
import { implementationOf, prepareUpgrade, proxyAdminOf, upgradeLedger } from "../../src/upgrade.js";

const connection = await network.create();
const { ethers } = connection;
const quiet = () => {};
const YUAN = 100n;

/** JSON with bigints as strings: how two snapshots are compared. */
const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

/**
 * Every value the contract's views return: each view is called with every value of its arguments' kinds
 * that the contract's events ever named (ids by argument name, every account seen, indices 0 to 12).
 * Reverts are part of the snapshot (an unknown id must stay unknown).
 */
async function viewSnapshot(contract: BaseContract, logs: readonly Log[]): Promise<Record<string, string>> {
  const iface = contract.interface;
  const byName = new Map<string, Set<string>>();
  const accounts = new Set<string>();
  for (const log of logs) {
    const parsed = iface.parseLog(log);
    if (parsed === null) continue;
    parsed.fragment.inputs.forEach((input, i) => {
      const value = parsed.args[i] as unknown;
      if (input.type === "address") accounts.add(String(value));
      if (input.type === "bytes32") {
        if (!byName.has(input.name)) byName.set(input.name, new Set());
        byName.get(input.name)!.add(String(value));
      }
    });
  }
  const pool = (name: string, type: string): unknown[] | undefined => {
    if (type === "address") return [...accounts];
    if (type === "bytes32") return [...(byName.get(name === "ancestor" ? "batchId" : name) ?? [])];
    if (/^u?int\d*$/.test(type)) return Array.from({ length: 13 }, (_, i) => i);
    return undefined; // bytes18 credit codes: read through the accounts instead
  };
  const out: Record<string, string> = {};
  const views: FunctionFragment[] = [];
  iface.forEachFunction((f) => {
    if (f.constant && f.name !== "version") views.push(f);
  });
  for (const f of views) {
    const pools = f.inputs.map((p) => pool(p.name, p.type));
    if (pools.some((p) => p === undefined)) continue;
    let combos: unknown[][] = [[]];
    for (const p of pools) combos = combos.flatMap((c) => p!.map((v) => [...c, v]));
    for (const args of combos) {
      const key = `${f.name}(${args.map(String).join(",")})`;
      try {
        const result = (await contract.getFunction(f.selector).staticCall(...args)) as Result | unknown;
        out[key] = json(result);
      } catch (e) {
        out[key] = `reverted ${(e as { data?: string }).data ?? ""}`;
      }
    }
  }
  return out;
}

/** Every contract's views, keyed by contract. */
async function chainSnapshot(d: Deployment): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  const contracts = {
    OrgRegistry: d.registry,
    CharityLedger: d.charity!,
    TraceLedger: d.trace!,
    ReliefLedger: d.relief!,
  };
  for (const [name, contract] of Object.entries(contracts)) {
    const logs = await ethers.provider.getLogs({ address: await contract.getAddress(), fromBlock: 0 });
    out[name] = await viewSnapshot(contract, logs);
  }
  return out;
}

async function api<T>(explorer: RunningExplorer, path: string): Promise<T> {
  const res = await fetch(`${explorer.url}${path}`);
  expect(res.status, path).to.equal(200);
  return (await res.json()) as T;
}

/** Waits until the explorer has indexed `block`. */
async function indexed(explorer: RunningExplorer, block: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await api<{ indexedBlock: number }>(explorer, "/api/status")).indexedBlock >= block) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the explorer did not index block ${block}`);
}

/** The explorer's record pages: every project, batch and programme with its detail, statistics, permissions. */
async function pagesSnapshot(explorer: RunningExplorer): Promise<Record<string, unknown>> {
  const pages: Record<string, unknown> = {};
  const get = async (path: string) => (pages[path] = await api<unknown>(explorer, path));
  // A list is either all of it or a page of at most 100, newest first (the demo has fewer records than that).
  const list = <T>(page: unknown) => (Array.isArray(page) ? page : (page as { items: T[] }).items) as T[];
  const projects = list<{ projectId: string }>(await get("/api/charity/projects"));
  for (const p of projects) await get(`/api/charity/projects/${p.projectId}`);
  await get("/api/charity/stats");
  const batches = list<{ batchId: string }>(await get("/api/trace/batches?limit=100"));
  for (const b of batches) await get(`/api/trace/batches/${b.batchId}`);
  const programmes = list<{ programmeId: string }>(await get("/api/relief/programmes"));
  for (const p of programmes) await get(`/api/relief/programmes/${p.programmeId}`);
  expect(projects.length * batches.length * programmes.length).to.be.greaterThan(0);
  await get("/api/permissions");
  return pages;
}

describe("Upgrades without losing history", function () {
  this.timeout(600_000);

  let d: Deployment;
  let explorer: RunningExplorer;
  let programmeId: string;

  before(async function () {
    d = await deployWithSamples(connection, quiet);
    const signerFor = (account: string) => ethers.getSigner(account);
    const o = await legacyOverrides(ethers.provider, connection.networkConfig.gasPrice);
    const workDir = await mkdtemp(join(tmpdir(), "zhixin-upgrade-"));
    await runFloodReliefStory(d, signerFor, o, workDir, quiet);
    await runChenpiStory(d, signerFor, o, join(workDir, "qr"), "http://127.0.0.1:8080", quiet);
    ({ programmeId } = await runTaishanStory(d, signerFor, o, quiet));
    explorer = await startExplorer({
      provider: new BrowserProvider(connection.provider),
      deployment: d,
      location: {},
      port: 0,
      pollMs: 50,
      rateLimit: 1_000_000,
    });
  });

  after(async function () {
    await explorer?.close();
  });

  it("checks every ledger as compiled against its recorded storage layout, upgrade-safe", async function () {
    const checks = await checkAll();
    expect(checks.map((c) => c.contract)).to.have.length(5);
    for (const c of checks) expect(c, c.contract).to.deep.include({ ok: true, unsafe: [], layout: "" });
  });

  it("accepts ReliefLedgerV2 as the relief ledger's next version and refuses a layout that moves its state", async function () {
    const v1 = await recordedLayout("ReliefLedger");
    const good = await checkUpgrade(v1, { source: "test/upgrade/ReliefLedgerV2.sol", name: "ReliefLedgerV2" });
    expect(good).to.deep.include({ ok: true, layout: "" });
    const bad = await checkUpgrade(v1, {
      source: "test/upgrade/ReliefLedgerBadLayout.sol",
      name: "ReliefLedgerBadLayout",
    });
    expect(bad.ok).to.equal(false);
    // OpenZeppelin's report names what moved: the variable inserted before version 1's.
    expect(bad.layout).to.match(/Inserted `_insertedCounter`/);
  });

  it("moves the relief ledger to version 2 keeping every value, page and rule, and keeps indexing", async function () {
    const ledger = requireRelief(d);
    const proxy = await ledger.getAddress();
    const proposer = await ethers.getSigner(DevParameters.Governance.councilProposers[0]!);
    const finance = await ethers.getSigner(RELIEF_ACCOUNTS.finance);
    const o = await legacyOverrides(ethers.provider, connection.networkConfig.gasPrice);

    // Version 1 lets the finance bureau allocate 600,000 yuan at once once it holds it.
    await relief.appropriate(d, finance, programmeId, 1_000_000n * YUAN, id("追加资金 2026-2"), o);
    const large = 600_000n * YUAN;
    const doc = id("资金拨付单 JC-2026-0099");
    await ledger.connect(finance).allocate.staticCall(programmeId, RELIEF_ACCOUNTS.ruralAffairs, large, doc);
    expect(await ledger.version()).to.equal(1n);

    await indexed(explorer, await ethers.provider.getBlockNumber());
    const chainBefore = await chainSnapshot(d);
    const pagesBefore = await pagesSnapshot(explorer);
    // The snapshot is not empty: every ledger's records are in it.
    for (const [name, views] of Object.entries(chainBefore)) {
      expect(Object.values(views).filter((v) => !v.startsWith("reverted")).length, name).to.be.greaterThan(20);
    }

    const v2 = await ethers.deployContract("ReliefLedgerV2");
    const before = await implementationOf(ethers.provider, proxy);
    const result = await upgradeLedger(d, { proposer }, proxy, await v2.getAddress(), o);
    expect(result).to.deep.include({ from: before, to: await v2.getAddress() });
    expect(await proxyAdminOf(ethers.provider, proxy)).to.equal(result.proxyAdmin);

    // Same address, same state: every view answers as before, and so does every explorer page.
    await indexed(explorer, result.blockNumber);
    expect(await ledger.version()).to.equal(2n);
    const chainAfter = await chainSnapshot(d);
    for (const name of Object.keys(chainBefore)) expect(chainAfter[name], name).to.deep.equal(chainBefore[name]);
    expect(await pagesSnapshot(explorer)).to.deep.equal(pagesBefore);

    // The new rule is in force, with its own error.
    const ledgerV2 = await ethers.getContractAt("ReliefLedgerV2", proxy);
    await expect(ledger.connect(finance).allocate(programmeId, RELIEF_ACCOUNTS.ruralAffairs, large, doc))
      .to.be.revertedWithCustomError(ledgerV2, "ReliefLedgerV2MovementTooLarge")
      .withArgs(programmeId, RELIEF_ACCOUNTS.finance, large, 500_000n * YUAN);

    // A write after the switch: indexed, and on the programme's page.
    const small = 10_000n * YUAN;
    const write = await relief.allocate(
      d,
      finance,
      programmeId,
      RELIEF_ACCOUNTS.ruralAffairs,
      small,
      id("资金拨付单 JC-2026-0100"),
      o,
    );
    await indexed(explorer, write.blockNumber);
    type ProgrammePage = { programme: { allocated: string } };
    const page = await api<ProgrammePage>(explorer, `/api/relief/programmes/${programmeId}`);
    const pageBefore = pagesBefore[`/api/relief/programmes/${programmeId}`] as ProgrammePage;
    expect(BigInt(page.programme.allocated)).to.equal(BigInt(pageBefore.programme.allocated) + small);
    const tx = await api<{ function: string; eventsList: { event: string }[] }>(explorer, `/api/txs/${write.txHash}`);
    expect(tx.function).to.equal("allocate");
    expect(tx.eventsList.map((e) => e.event)).to.deep.equal(["Allocated"]);
    // The upgrade itself is on the ledger's record too: the proxy's `Upgraded`, in the council's `execute`.
    const upgradeTx = await api<{ function: string; eventsList: { event: string; contract: string }[] }>(
      explorer,
      `/api/txs/${result.txHash}`,
    );
    expect(upgradeTx.function).to.equal("execute");
    expect(upgradeTx.eventsList.map((e) => `${e.contract}.${e.event}`)).to.include("ReliefLedger.Upgraded");
  });

  it("lets nobody but ADMIN upgrade, and no ledger be initialized again", async function () {
    const ledger = requireRelief(d);
    const proxy = await ledger.getAddress();
    const finance = await ethers.getSigner(RELIEF_ACCOUNTS.finance);
    const o = await legacyOverrides(ethers.provider, connection.networkConfig.gasPrice);
    const impl = await implementationOf(ethers.provider, proxy);
    const prepared = await prepareUpgrade(d, ethers.provider, proxy, impl);
    // Only ADMIN (the council) may have the manager execute the upgrade: a department's own key may not.
    const upgradeCall = d.manager.interface.decodeFunctionData("execute", prepared.call.data);
    await expect(d.manager.connect(finance).execute(upgradeCall[0], upgradeCall[1]))
      .to.be.revertedWithCustomError(d.manager, "AccessManagerUnauthorizedCall")
      .withArgs(RELIEF_ACCOUNTS.finance, prepared.proxyAdmin, ethers.dataSlice(upgradeCall[1], 0, 4));
    // And only the council's departments may propose one: an account with no role is refused by the council.
    const roleless = (await ethers.getSigners()).at(-1)!;
    let refusal: unknown;
    try {
      await upgradeLedger(d, { proposer: roleless }, proxy, impl, o);
    } catch (e) {
      refusal = e;
    }
    expect(refusal, "an account with no role proposed an upgrade").to.be.instanceOf(ChainRefusal);
    expect((refusal as ChainRefusal).revert.name).to.equal("AccessControlUnauthorizedAccount");
    // The ProxyAdmin answers only to the manager, even to the deploying key.
    const [admin] = await ethers.getSigners();
    const proxyAdmin = await ethers.getContractAt("ProxyAdmin", await proxyAdminOf(ethers.provider, proxy));
    await expect(proxyAdmin.connect(admin).upgradeAndCall(proxy, impl, "0x"))
      .to.be.revertedWithCustomError(proxyAdmin, "OwnableUnauthorizedAccount")
      .withArgs(admin!.address);
    // Neither the proxies nor the implementations take a second initialisation.
    for (const c of [d.registry, d.charity!, d.trace!, ledger]) {
      await expect(c.initialize(admin!.address)).to.be.revertedWithCustomError(c, "InvalidInitialization");
      const implementation = c.attach(await implementationOf(ethers.provider, await c.getAddress())) as typeof c;
      await expect(implementation.initialize(admin!.address)).to.be.revertedWithCustomError(c, "InvalidInitialization");
    }
  });
});
