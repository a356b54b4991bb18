/**
 * The product on a real multi-node consortium chain (`npm run test:consortium`, run by `.ci/run` after
 * `npm test`): four geth v1.13.15 Clique signers on 127.0.0.1, a block every 2 s, chain id of its own,
 * no London. Deployment through the `consortium` network, the CLI with one key per department, then
 * faults: a validator killed mid-import, two killed (blocks stop, a write says so within its time-out,
 * everything resumes after a restart), a real reorganisation followed by the explorer, and the explorer
 * failing over between nodes. Skipped, saying so, only when geth is not installed
 * (`bash scripts/install-geth.sh`; `.ci/run` installs it).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";

import { projectIdOf, refHashOf } from "../src/charity/ids.js";
import { loadDeployment } from "../src/deployment.js";
import { devAccounts, gethBinary, gethInstalled, startCliqueNetwork, type CliqueNetwork } from "../src/geth.js";
import type { Status, TxSummary } from "../src/indexer/api-types.js";
import { explorerRpc } from "../src/indexer/rpc.js";
import { startExplorer, type RunningExplorer } from "../src/indexer/server.js";

const exec = promisify(execFile);
const ROOT = new URL("..", import.meta.url).pathname;
const DEV = devAccounts();
const key = (address: string) => DEV.find((a) => a.address.toLowerCase() === address.toLowerCase())!.privateKey;
const CIVIL_AFFAIRS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const CHARITY = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
/** Any 32 bytes: the fork's donations are written directly, not through the charity's CLI. */
const FORK_REF_KEY = "0x" + "5a".repeat(32);
const PROJECT = "JM-GETH-2026";
const DISTRICT_CHARITY = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
/** The CLI's confirmation depth here: a Clique chain of 4 signers needs more than QBFT's 1. */
const DEPTH = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}
const errorLines = (r: Run) => r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("npm warn"));

describe("a real consortium network: four geth Clique signers", function () {
  this.timeout(900_000);
  let net: CliqueNetwork;
  let dir: string;
  let chainId: number;
  const explorers: RunningExplorer[] = [];
  /** Pollers a test started, stopped after the tests (also when a test fails half-way). */
  const stopWatchers: (() => Promise<void>)[] = [];

  /** `npx hardhat <args> --network consortium` through node `node`, signing with `as`'s key only. */
  async function hardhat(
    opts: { as?: string; node?: number; env?: Record<string, string> },
    ...args: string[]
  ): Promise<Run> {
    const env: Record<string, string | undefined> = {
      ...process.env,
      CONSORTIUM_RPC_URL: net.urls[opts.node ?? 0],
      CONSORTIUM_CHAIN_ID: String(chainId),
      ZHIXIN_CONFIRMATIONS: String(DEPTH),
      ...(opts.as !== undefined
        ? { CONSORTIUM_PRIVATE_KEY: key(opts.as), CONSORTIUM_PRIVATE_KEYS: undefined }
        : { CONSORTIUM_PRIVATE_KEYS: DEV.map((a) => a.privateKey).join(",") }),
      ...opts.env,
    };
    const started = Date.now();
    try {
      const { stdout, stderr } = await exec("npx", ["hardhat", ...args, "--network", "consortium"], {
        cwd: ROOT,
        env,
        maxBuffer: 16 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr, ms: Date.now() - started };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr, ms: Date.now() - started };
    }
  }

  const provider = (i = 0) => new JsonRpcProvider(net.urls[i], chainId, { staticNetwork: true });
  const head = (i = 0) => provider(i).getBlockNumber();
  async function donationCount(node = 0): Promise<bigint> {
    const d = await loadDeployment(provider(node));
    return (await d.charity!.project(await projectId())).donationCount;
  }
  const projectId = async () => projectIdOf(CHARITY, PROJECT);
  /** Waits until `check` holds, polling; fails with `what` after `ms`. */
  async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await sleep(250);
    }
  }
  async function donationsFile(name: string, prefix: string, count: number): Promise<string> {
    const rows = ["流水号,项目,金额,捐赠人,渠道"];
    for (let i = 0; i < count; i++) rows.push(`${prefix}-${i},${PROJECT},${10 + (i % 90)}.00,捐赠人${i},微信`);
    const file = join(dir, name);
    await writeFile(file, rows.join("\n") + "\n");
    return file;
  }

  before(async function () {
    if (!gethInstalled()) {
      console.log(
        `    consortium tests skipped: geth is not installed at ${gethBinary()} (run bash scripts/install-geth.sh; .ci/run does)`,
      );
      this.skip();
    }
    // The explorers these tests start in this process read the same depth as the CLI.
    process.env.ZHIXIN_CONFIRMATIONS = String(DEPTH);
    dir = await mkdtemp(join(tmpdir(), "zhixin-consortium-"));
    chainId = 7900 + Math.floor(Math.random() * 100);
    net = await startCliqueNetwork({
      dataDir: join(dir, "net"),
      nodes: 4,
      chainId,
      period: 2,
      members: DEV.map((a) => a.address),
    });
    // Deployment and the sample organisations, as `npm run deploy:consortium` does them.
    const deploy = await hardhat({ env: { ZHIXIN_CONFIRMATIONS: "1" } }, "run", "scripts/deploy-consortium.ts");
    expect(deploy.code, deploy.stderr + deploy.stdout).to.equal(0);
  });

  after(async function () {
    for (const stop of stopWatchers) await stop();
    for (const e of explorers) await e.close().catch(() => undefined);
    await net?.stop();
    if (dir !== undefined) {
      await rm(dir, { recursive: true, force: true });
      await rm(join(ROOT, "deploy/deployments", `chain-${chainId}`), { recursive: true, force: true });
    }
  });

  it("runs four signers peered statically, sealing every 2 s, without London, at gas price 0", async function () {
    for (const n of net.nodes) expect((await n.rpc<unknown[]>("admin_peers")).length).to.equal(3);
    const signers = await net.nodes[0]!.rpc<string[]>("clique_getSigners");
    expect(signers.map((s) => s.toLowerCase()).sort()).to.deep.equal(
      net.nodes.map((n) => n.signer.toLowerCase()).sort(),
    );
    const latest = await provider().getBlock("latest");
    expect(latest!.baseFeePerGas).to.equal(null);
    const a = await head();
    await sleep(6_500);
    expect((await head()) - a).to.be.within(2, 4);
    expect(Number(await provider().send("eth_chainId", [])))
      .to.equal(chainId)
      .and.not.equal(750);
  });

  it("has the organisations registered, and each department writes with its own key, final after the depth", async function () {
    const list = await hardhat({ as: CHARITY }, "org", "list", "--json");
    expect(list.code, list.stderr).to.equal(0);
    expect((JSON.parse(list.stdout) as unknown[]).length).to.be.greaterThan(10);

    // The charity holds only its own key: it cannot act as civil affairs.
    const propose = await hardhat(
      { as: CHARITY },
      "charity",
      "project",
      "propose",
      PROJECT,
      "--target",
      "1,000,000",
      "--permit-hash",
      "0x" + "22".repeat(32),
    );
    expect(propose.code, propose.stderr).to.equal(0);
    const wrong = await hardhat({ as: CHARITY }, "charity", "project", "approve", PROJECT, "--from", CIVIL_AFFAIRS);
    expect(wrong.code).to.equal(1);
    expect(errorLines(wrong).join("\n")).to.match(/not available on network consortium/);

    const approve = await hardhat({ as: CIVIL_AFFAIRS }, "charity", "project", "approve", PROJECT);
    expect(approve.code, approve.stderr).to.equal(0);
    // Final only once buried under DEPTH blocks: when the command returned, the head was that deep.
    const block = Number(/in block (\d+)/.exec(approve.stdout)?.[1]);
    expect(block).to.be.greaterThan(0);
    expect(await head()).to.be.at.least(block + DEPTH - 1);
  });

  it("leaves the deployer no role: a rule change waits the council's delay in real time (geth cannot move its clock)", async function () {
    const d = await loadDeployment(provider());
    expect(await d.council!.getMinDelay()).to.equal(10n); // deploy/parameters/dev.json
    expect((await d.manager.hasRole(0n, DEV[0]!.address))[0]).to.equal(false);
    expect((await d.manager.hasRole(0n, d.addresses.Council!))[0]).to.equal(true);

    const scheduled = await hardhat(
      { as: CIVIL_AFFAIRS },
      "governance",
      "schedule",
      "manager",
      "labelRole",
      "99",
      "COUNCIL_TEST",
      "--json",
    );
    expect(scheduled.code, scheduled.stderr).to.equal(0);
    const op = JSON.parse(scheduled.stdout) as { id: string; readyAt: string };
    const early = await hardhat({ as: CIVIL_AFFAIRS }, "governance", "execute", op.id);
    if (early.code === 0) expect.fail("executed before the council's delay");
    expect(errorLines(early).join("\n")).to.match(/is not ready before/);
    const executed = await hardhat({ as: CIVIL_AFFAIRS }, "governance", "execute", op.id, "--wait");
    expect(executed.code, executed.stderr).to.equal(0);
    const block = Number(/in block (\d+)/.exec(executed.stdout)?.[1]);
    expect((await provider().getBlock(block))!.timestamp).to.be.at.least(Number(op.readyAt));
  });

  it("keeps sealing and finishes an import when one of four validators is killed mid-import: 0 lost, 0 doubled", async function () {
    const file = await donationsFile("one-killed.csv", "K1", 60);
    const receipts = join(dir, "one-killed-receipts.csv");
    const before = await donationCount();
    const importing = hardhat({ as: CHARITY }, "charity", "import", file, "--receipts", receipts, "--batch-size", "20");
    await until("the import's first batch is on chain", async () => (await donationCount()) > before);
    await net.nodes[3]!.kill();
    const killedAt = await head();
    const done = await importing;
    expect(done.code, done.stderr).to.equal(0);
    expect(done.stdout).to.match(/60 donations recorded, 0 already on chain/);
    expect(await donationCount()).to.equal(before + 60n);
    expect(await head()).to.be.greaterThan(killedAt + 2);

    // Back: it catches up with the others and agrees with them.
    await net.nodes[3]!.start();
    await until("node 3 has caught up", async () => (await head(3)) >= (await head(0)) - 1);
    expect(await donationCount(3)).to.equal(before + 60n);
    const again = await hardhat({ as: CHARITY }, "charity", "import", file, "--receipts", receipts);
    expect(again.stdout).to.match(/0 donations recorded, 60 already on chain/);
  });

  it("stops sealing with two of four killed, says so in one sentence within the time-out, and resumes after a restart: 0 lost, 0 doubled", async function () {
    const before = await donationCount();
    await Promise.all([net.nodes[2]!.kill(), net.nodes[3]!.kill()]);
    // The two left may seal up to two more blocks (each signs one in three), then nothing.
    await sleep(8_000);
    const stalledAt = await head();
    try {
      await sleep(6_000);
      expect(await head(), "no block without a majority of signers").to.equal(stalledAt);
      await twoKilled(before, stalledAt);
    } finally {
      await Promise.all([net.nodes[2]!.start(), net.nodes[3]!.start()]);
    }
  });

  async function twoKilled(before: bigint, stalledAt: number): Promise<void> {
    const file = await donationsFile("two-killed.csv", "K2", 30);
    const receipts = join(dir, "two-killed-receipts.csv");
    const timeoutS = 20;
    const env = { ZHIXIN_TX_TIMEOUT_S: String(timeoutS) };
    const writes: Run[] = await Promise.all([
      hardhat({ as: CHARITY, env }, "charity", "import", file, "--receipts", receipts, "--batch-size", "10"),
      hardhat(
        { as: CHARITY, env },
        "charity",
        "donate",
        PROJECT,
        "--ref",
        "K2-DONATE",
        "--amount",
        "5",
        "--donor",
        "赵六",
        "--receipts",
        join(dir, "donate-receipts.csv"),
      ),
      hardhat({ as: CIVIL_AFFAIRS, env }, "org", "suspend", DISTRICT_CHARITY, "--reason-hash", "0x" + "33".repeat(32)),
    ]);
    for (const w of writes) {
      expect(w.code, w.stdout + w.stderr).to.equal(1);
      const lines = errorLines(w);
      expect(lines, w.stderr).to.have.length(1);
      expect(lines[0]).to.match(
        /^Error: transaction 0x[0-9a-f]{64} is not final: the chain has made no block for \d+ s/,
      );
      expect(lines[0]).to.include("too few validators are sealing");
      expect(w.ms, "answered within the time-out, not hanging").to.be.below((timeoutS + 40) * 1000);
    }

    await Promise.all([net.nodes[2]!.start(), net.nodes[3]!.start()]);
    await until("blocks are sealed again", async () => (await head()) > stalledAt + 3, 90_000);
    // What waited in the pool is mined now; a re-run writes only what is missing.
    const again = await hardhat({ as: CHARITY }, "charity", "import", file, "--receipts", receipts);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(/donations recorded, \d+ already on chain/);
    await until("the donation sent during the stall is final", async () => (await donationCount()) === before + 31n);
    expect(await donationCount()).to.equal(before + 31n);
    // The suspension waited in the pool too: it is on chain once, and the CLI says so on a re-run.
    await until("the suspension sent during the stall is final", async () => {
      const show = await hardhat({ as: CHARITY }, "org", "show", DISTRICT_CHARITY, "--json");
      return /suspended/.test(show.stdout);
    });
    const reinstate = await hardhat(
      { as: CIVIL_AFFAIRS },
      "org",
      "reinstate",
      DISTRICT_CHARITY,
      "--reason-hash",
      "0x" + "44".repeat(32),
    );
    expect(reinstate.code, reinstate.stderr).to.equal(0);
  }

  it("replaces a cut-off signer's fork when the partition heals; the explorer ends identical to the canonical chain and never showed the fork as final", async function () {
    const d = await loadDeployment(provider());
    const explorer = await startExplorer({
      provider: await explorerRpc(net.urls[3]!),
      deployment: d,
      location: {},
      port: 0,
      pollMs: 200,
    });
    explorers.push(explorer);
    const api = async <T>(path: string): Promise<T> => (await (await fetch(`${explorer.url}/api${path}`)).json()) as T;
    await until(
      "the explorer caught up",
      async () => (await api<Status>("/status")).indexedBlock >= (await head()) - 1,
    );

    // What every page showed: each transaction listed, with the final block at that moment.
    const seen: { hash: string; block: number; finalBlock: number }[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const [status, txs] = await Promise.all([api<Status>("/status"), api<{ items: TxSummary[] }>("/txs?limit=20")]);
        for (const t of txs.items) seen.push({ hash: t.hash, block: t.blockNumber, finalBlock: status.finalBlock });
        await sleep(200);
      }
    })();
    // Should the test fail half-way, the watcher stops with it (instead of polling a closed explorer).
    stopWatchers.push(async () => {
      watching = false;
      await watcher.catch(() => undefined);
    });

    // Cut node 3 off right after a block it did not sign (Clique lets it seal one block in 3), then
    // give it a donation of its own: it seals it into its fork, which the others never see. Its sealing
    // is paused while it is cut off and the donation reaches its pool, so the one block it may seal
    // cannot leave before the donation is in it (whatever the machine's timing).
    const node3 = net.nodes[3]!;
    const signer3 = node3.signer.toLowerCase();
    const mayNode3Seal = async () => {
      const h = await head(3);
      const last = [h, h - 1].map((n) => node3.rpc<string>("clique_getSigner", ["0x" + n.toString(16)]));
      return (await Promise.all(last)).every((s) => s.toLowerCase() !== signer3);
    };
    let forked = false;
    const wallet = new Wallet(key(CHARITY), provider(3));
    const charity = d.charity!.connect(wallet);
    const pid = await projectId();
    let forkTx = "";
    const why: string[] = [];
    for (let attempt = 0; attempt < 6 && !forked; attempt++) {
      await until("node 3 may seal the next block", mayNode3Seal);
      await node3.rpc("miner_stop", []);
      await net.isolate(3);
      const peers = (await node3.rpc<unknown[]>("admin_peers")).length;
      if (peers > 0 || !(await mayNode3Seal())) {
        why.push(peers > 0 ? `attempt ${attempt}: still ${peers} peer(s)` : `attempt ${attempt}: signed recently`);
        await node3.rpc("miner_start", []);
        await net.rejoin(3);
        continue;
      }
      const forkStart = await head(3);
      const sent = await charity
        .recordDonation(
          pid,
          {
            refHash: refHashOf(FORK_REF_KEY, `FORK-${attempt}`),
            amount: 1234n,
            donorCommitment: "0x" + "ab".repeat(32),
            channel: 1,
            evidenceHash: "0x" + "00".repeat(32),
            receivedOn: 0,
          },
          { type: 0, gasPrice: 0n, gasLimit: 500_000n },
        )
        .catch((e: unknown) => {
          why.push(`attempt ${attempt}: node 3 refused the donation: ${e instanceof Error ? e.message : String(e)}`);
          return undefined;
        });
      forkTx = sent?.hash ?? "";
      if (forkTx !== "")
        await until("the donation is in node 3's pool", async () => {
          const pending = await provider(3).getTransaction(forkTx);
          return pending !== null;
        });
      await node3.rpc("miner_start", []);
      await until(
        "node 3 sealed a block while cut off",
        async () => (await head(3)) > forkStart,
        4 * net.period * 1000 + 5_000,
      ).catch(() => undefined);
      const h3 = await head(3);
      if (h3 > forkStart) {
        const mine = await provider(3).getBlock(forkStart + 1);
        const theirs = await provider(0).getBlock(forkStart + 1);
        // A fork that holds the donation.
        forked = mine !== null && mine.hash !== theirs?.hash && forkTx !== "" && mine.transactions.includes(forkTx);
        if (!forked)
          why.push(
            `attempt ${attempt}: node 3's block ${forkStart + 1} ${mine?.hash === theirs?.hash ? "is the others' block" : "lacks the donation"}`,
          );
      } else why.push(`attempt ${attempt}: node 3 sealed nothing`);
      if (!forked) await net.rejoin(3);
    }
    expect(forked, `node 3 sealed a block of its own while cut off (${why.join("; ")})`).to.equal(true);
    const forkHead = await head(3);
    const forkHash = (await provider(3).getBlock(forkHead))!.hash!;
    await until("the explorer indexed the fork", async () => (await api<Status>("/status")).indexedBlock >= forkHead);
    await sleep(1_000);

    await net.rejoin(3);
    await until(
      "node 3 follows the canonical chain again",
      async () => (await provider(3).getBlock(forkHead))?.hash === (await provider(0).getBlock(forkHead))?.hash,
    );
    expect((await provider(0).getBlock(forkHead))!.hash).to.not.equal(forkHash);
    const target = await head();
    await until(
      "the explorer caught up after the reorganisation",
      async () => (await api<Status>("/status")).indexedBlock >= target,
    );
    watching = false;
    await watcher;

    // The donation sent into the fork is not lost: it is in the canonical chain, once.
    if (forkTx !== "") {
      await until(
        "the fork's donation is re-mined",
        async () => (await provider(0).getTransactionReceipt(forkTx)) !== null,
      );
    }

    // Row by row: every transaction the index holds is in the canonical chain at the same block, and every
    // ledger transaction of the canonical chain is indexed.
    const indexed: TxSummary[] = [];
    let next: string | undefined;
    do {
      const page = await api<{ items: TxSummary[]; next?: string }>(`/txs?limit=100${next ? `&before=${next}` : ""}`);
      indexed.push(...page.items);
      next = page.next;
    } while (next !== undefined);
    for (const t of indexed) {
      const r = await provider(0).getTransactionReceipt(t.hash);
      expect(r, `indexed ${t.hash} is canonical`).to.not.equal(null);
      expect(r!.blockNumber).to.equal(t.blockNumber);
    }
    // The ledger transactions of the canonical chain (those whose events the indexer reads), from node 0's logs.
    const logs = await provider(0).getLogs({ address: Object.values(d.addresses), fromBlock: 0, toBlock: target });
    const canonical = new Set(logs.map((l) => `${l.transactionHash}@${l.blockNumber}`));
    const indexedTarget = new Set(
      indexed.filter((t) => t.blockNumber <= target).map((t) => `${t.hash}@${t.blockNumber}`),
    );
    expect([...indexedTarget].sort()).to.deep.equal([...canonical].sort());

    // Nothing of the dropped fork was ever shown as final.
    const canonicalHashes = new Set(indexed.map((t) => `${t.hash}@${t.blockNumber}`));
    const dropped = seen.filter((s) => !canonicalHashes.has(`${s.hash}@${s.block}`));
    expect(dropped.length, "the pages showed the fork's transaction").to.be.greaterThan(0);
    for (const s of dropped) expect(s.block, `${s.hash} shown as final`).to.be.greaterThan(s.finalBlock);
  });

  it("follows the chain through another node when its node dies (several node URLs)", async function () {
    const d = await loadDeployment(provider());
    const explorer = await startExplorer({
      provider: await explorerRpc([net.urls[1]!, net.urls[2]!]),
      deployment: d,
      location: {},
      port: 0,
      pollMs: 200,
    });
    explorers.push(explorer);
    const indexed = async () => ((await (await fetch(`${explorer.url}/api/status`)).json()) as Status).indexedBlock;
    await until("the explorer caught up", async () => (await indexed()) >= (await head()) - 1);
    await net.nodes[1]!.kill();
    const at = await indexed();
    await until("the explorer indexes new blocks through node 2", async () => (await indexed()) >= at + 3, 60_000);
    await net.nodes[1]!.start();
  });
});
