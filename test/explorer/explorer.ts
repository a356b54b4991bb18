/**
 * The indexer, its API and the explorer over the demo's data on a local Anvil chain (one demo
 * run serves every part):
 * - indexer: every event once, resumption after a kill, a restarted node, a reorganisation,
 *   PostgreSQL holding what PGlite holds;
 * - API: pagination, errors, rate limit, search and the OpenAPI description;
 * - explorer in Chromium (playwright-core, Debian's /usr/bin/chromium): receipt-code search and
 *   trace, a recalled batch's banner on a phone screen, the language switch, the statistics CSV,
 *   screenshots of the main pages, and the totals it shows against totals computed from raw logs
 *   with plain ethers and the compiler's ABI (not the project's library).
 */
import { spawn, execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";
import { Interface, JsonRpcProvider, id, type InterfaceAbi } from "ethers";
import { type Browser, type Page } from "playwright-core";

import DevParameters from "../../deploy/parameters/dev.json" with { type: "json" };
import { parseReceiptCode } from "../../src/charity/receipt-code.js";
import { donationIdByPrefix, traceDonation } from "../../src/charity/trace.js";
import { connectDeployment, requireCharity, type Deployment } from "../../src/deployment.js";
import { LedgerError } from "../../src/errors.js";
import { dumpIndex, openIndexDb, sql, type IndexDb } from "../../src/indexer/db.js";
import { deploymentContracts, jsonArgs } from "../../src/indexer/decode.js";
import { IndexedProvider } from "../../src/indexer/indexed-provider.js";
import { Indexer } from "../../src/indexer/indexer.js";
import { EXPLORER_DIST, startExplorer, type RunningExplorer } from "../../src/indexer/server.js";
import { toJson } from "../../src/indexer/views/base.js";
import { sendChecked } from "../../src/tx.js";
import { ensureExplorerBuilt, launchChromium } from "../helpers/browser.js";
import { ROOT, type LocalChain } from "../helpers/cli.js";
import { type DemoRun } from "../helpers/demo.js";
import { sharedDemo } from "../helpers/shared-demo.js";
import { statText } from "../helpers/stat-text.js";
import { startPostgres } from "../helpers/postgres.js";

const exec = promisify(execFile);

/** Plain values of a dump: int8 comes back as bigint from PGlite and as string from `pg`. */
const plain = (dump: object) =>
  JSON.stringify(dump, (_k, v: unknown) => (typeof v === "bigint" || typeof v === "number" ? String(v) : v));

async function buildIndex(
  provider: JsonRpcProvider,
  d: Deployment,
  location = {},
  range = 5_000,
  analyzeAfter?: number,
): Promise<IndexDb> {
  const db = await openIndexDb(location);
  const indexer = new Indexer({
    db,
    provider,
    deployment: d,
    range,
    ...(analyzeAfter !== undefined ? { analyzeAfter } : {}),
  });
  await indexer.init();
  await indexer.catchUp();
  return db;
}

describe("indexer over the demo on a local chain", function () {
  this.timeout(600_000);
  let chain: LocalChain;
  let demo: DemoRun;
  let provider: JsonRpcProvider;
  let d: Deployment;
  let reference: IndexDb;
  const cleanup: (() => Promise<unknown>)[] = [];

  before(async function () {
    ({ chain, demo, provider, deployment: d } = await sharedDemo());
    reference = await buildIndex(provider, d, {}, 50);
  });

  after(async function () {
    for (const c of cleanup.reverse()) await c().catch(() => {});
    await reference?.destroy();
  });

  it("holds every event of the deployment's contracts once, as eth_getLogs returns them", async function () {
    const addresses = Object.values(d.addresses);
    const raw = await provider.getLogs({ address: addresses, fromBlock: 0, toBlock: await chain.blockNumber() });
    const dump = await dumpIndex(reference);
    expect(dump.events).to.have.length(raw.length);
    expect(raw.length).to.be.greaterThan(500);
    const key = (b: unknown, i: unknown) => `${String(b)}:${String(i)}`;
    expect(new Set(dump.events.map((e) => key(e.block_number, e.log_index)))).to.deep.equal(
      new Set(raw.map((l) => key(l.blockNumber, l.index))),
    );
    expect(dump.transactions).to.have.length(new Set(raw.map((l) => l.transactionHash)).size);
    const unknown = dump.events.filter((e) => e.event_name === "unknown");
    expect(unknown).to.deep.equal([]);
    // The indexer's decoding (a fast path for one-word arguments) gives what ethers' decoder gives.
    const byKey = new Map(dump.events.map((e) => [key(e.block_number, e.log_index), e.args]));
    for (const log of raw) {
      const iface = deploymentContracts(d).find((c) => c.address === log.address)!.iface;
      const parsed = iface.parseLog(log)!;
      expect(byKey.get(key(log.blockNumber, log.index)), parsed.name).to.equal(
        JSON.stringify(jsonArgs(parsed.fragment.inputs, parsed.args)),
      );
    }
    // So does its decoding of calls (read in place for one-word types, tuples and arrays of them).
    let batches = 0;
    for (const row of dump.transactions) {
      const tx = (await provider.getTransaction(row.hash))!;
      const callee = deploymentContracts(d).find((c) => c.address === tx.to);
      if (callee === undefined) {
        // e.g. a deployment: its contract's constructor emitted the events
        expect(row.function_name, row.hash).to.equal("");
        continue;
      }
      const parsed = callee.iface.parseTransaction({ data: tx.data, value: tx.value })!;
      expect(row.function_name).to.equal(parsed.name);
      expect(row.args, parsed.name).to.equal(JSON.stringify(jsonArgs(parsed.fragment.inputs, parsed.args)));
      if (parsed.name === "recordDonations") batches++;
    }
    expect(batches, "batched donations among the demo's calls").to.be.greaterThan(0);
  });

  it("reads the same index whatever the range of its log queries", async function () {
    const wide = await buildIndex(provider, d, {}, 5_000);
    try {
      const a = await dumpIndex(wide);
      const b = await dumpIndex(reference);
      expect(plain(a)).to.equal(plain(b));
    } finally {
      await wide.destroy();
    }
  });

  it("writes a dense range in pieces of whole blocks, each with its cursor, and resumes between them", async function () {
    // A write fails at a block in the first range (the indexer's first call spans 100 blocks): the
    // pieces written before it stay, each whole, and the rest is read again.
    const all = await provider.getLogs({ address: Object.values(d.addresses), fromBlock: 0, toBlock: 99 });
    const gone = all[30]!.blockNumber;
    expect(all[0]!.blockNumber, "the first range holds more than 4 pieces of 7 events").to.be.below(gone);
    const db = await openIndexDb({});
    try {
      await sql
        .raw(
          "create function refuse() returns trigger language plpgsql as $$ begin raise exception 'the disk is full'; end $$",
        )
        .execute(db);
      await sql
        .raw(
          `create trigger refuse before insert on events for each row when (new.block_number >= ${gone}) execute function refuse()`,
        )
        .execute(db);
      const ranges: number[] = [];
      const cut = new Indexer({
        db,
        provider,
        deployment: d,
        eventsPerWrite: 7,
        onProgress: (p) => ranges.push(p.to),
      });
      await cut.init();
      const failed = await cut.catchUp().then(
        () => undefined,
        (e: Error) => e,
      );
      expect(failed?.message).to.match(/the disk is full/);
      const cursor = await cut.indexedBlock();
      expect(cursor, "pieces were written before the failure").to.be.at.least(all[0]!.blockNumber);
      expect(cursor).to.be.below(gone);
      expect(ranges, "the failure came inside the first range").to.deep.equal([]);
      const raw = await provider.getLogs({ address: Object.values(d.addresses), fromBlock: 0, toBlock: cursor });
      const events = (await dumpIndex(db)).events;
      expect(events.length).to.equal(raw.length);
      expect(Math.max(...events.map((e) => Number(e.block_number)))).to.be.at.most(cursor);

      await sql.raw("drop trigger refuse on events").execute(db);
      const resumed = new Indexer({ db, provider, deployment: d, eventsPerWrite: 7 });
      await resumed.init();
      await resumed.catchUp();
      expect(plain(await dumpIndex(db))).to.equal(plain(await dumpIndex(reference)));
    } finally {
      await db.destroy();
    }
  });

  it("answers a donation's trace from the index in one log query per read, however tall the chain", async function () {
    let logQueries = 0;
    class CountingIndexedProvider extends IndexedProvider {
      override async _perform<T = unknown>(req: Parameters<IndexedProvider["_perform"]>[0]): Promise<T> {
        if (req.method === "getLogs") logQueries++;
        return super._perform<T>(req);
      }
    }
    // The index says it has read a million blocks more than the demo wrote: through a node that
    // would be 200 more 5,000-block chunks for every read.
    const tall = (await chain.blockNumber()) + 1_000_000;
    const indexed = new CountingIndexedProvider(reference, provider, await provider.getNetwork(), async () => tall);
    try {
      const ledger = requireCharity(connectDeployment(d.chainId, d.addresses, indexed));
      const id = await donationIdByPrefix(ledger, indexed, parseReceiptCode(demo.receiptCode).donationIdPrefix);
      const fromIndex = await traceDonation(ledger, indexed, id);
      // donationIdByPrefix: 1; traceDonation: the donation, its project's proposal (the replay of the
      // project's outflows starts there), then disbursements, grants and reversals.
      expect(logQueries).to.equal(6);
      expect(toJson(fromIndex)).to.deep.equal(toJson(await traceDonation(requireCharity(d), provider, id)));
    } finally {
      indexed.destroy();
    }
  });

  it("killed in the middle of a backfill, resumes to an identical database", async function () {
    const dir = await mkdtemp(join(tmpdir(), "zhixin-index-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const env = { ...process.env, ZHIXIN_LOCAL_RPC_URL: chain.url(), ZHIXIN_LOCAL_CHAIN_ID: String(chain.chainId) };
    const args = ["hardhat", "explorer", "--once", "--range", "7", "--db", dir, "--network", "localhost"];
    for (const killAfter of [3, 5]) {
      // Its own process group, so that the kill reaches Hardhat's node process under npx.
      const child = spawn("npx", args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
      let ranges = 0;
      let out = "";
      const killed = await new Promise<boolean>((resolve) => {
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          ranges = (out.match(/^indexed blocks /gm) ?? []).length;
          if (ranges >= killAfter && child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
        });
        child.on("exit", (_code, signal) => resolve(signal === "SIGKILL"));
      });
      expect(killed, `the indexer finished before it could be killed:\n${out}`).to.equal(true);
    }
    const { stdout } = await exec("npx", args, { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
    expect(stdout).to.match(/index at block \d+/);
    // PGlite's explorer restarts its Node once with --liftoff-only; --no-liftoff-only keeps V8's defaults.
    expect(stdout.match(/^restarting Node with --liftoff-only/gm)).to.have.length(1);
    const hardhat = join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");
    const again = await exec(process.execPath, ["--no-liftoff-only", hardhat, ...args.slice(1)], { cwd: ROOT, env });
    expect(again.stdout).to.match(/index at block \d+: 0 new events/);
    expect(again.stdout).not.to.match(/restarting Node/);
    const resumed = await openIndexDb({ dir });
    try {
      expect(plain(await dumpIndex(resumed))).to.equal(plain(await dumpIndex(reference)));
    } finally {
      await resumed.destroy();
    }
  });

  it("keeps following when the node stops and comes back, and drops what a reorganisation undid", async function () {
    const lines: string[] = [];
    const explorer: RunningExplorer = await startExplorer({
      provider,
      deployment: d,
      location: {},
      pollMs: 100,
      log: (l) => lines.push(l),
    });
    cleanup.push(() => explorer.close());
    const indexed = () => explorer.indexer.indexedBlock();

    await chain.restart();
    const before = await chain.blockNumber();
    const snapshot = (await provider.send("evm_snapshot", [])) as string;
    // No account labels roles at will after deployment (ADMIN is the council's): a department's own
    // metadata update is the write the chain will forget.
    const department = await provider.getSigner(DevParameters.Foundation.civilAffairsAccount);
    const forget = await d.registry
      .connect(department)
      .updateMetadata(department.address, id("FORGOTTEN"), { type: 0, gasPrice: 0n });
    await forget.wait();
    await waitFor(async () => (await indexed()) > before, lines);
    expect((await explorer.views.search(forget.hash)).map((h) => h.kind)).to.include("transaction");

    await provider.send("evm_revert", [snapshot]);
    const keep = await d.registry
      .connect(department)
      .updateMetadata(department.address, id("KEPT"), { type: 0, gasPrice: 0n });
    await keep.wait();
    await provider.send("evm_mine", []);
    await waitFor(async () => (await explorer.views.search(keep.hash)).length > 0, lines);
    expect(await explorer.views.search(forget.hash)).to.deep.equal([]);

    const fresh = await buildIndex(provider, d);
    try {
      await waitFor(async () => (await indexed()) === (await provider.getBlockNumber()), lines);
      expect(plain(await dumpIndex(explorer.db))).to.equal(plain(await dumpIndex(fresh)));
    } finally {
      await fresh.destroy();
    }
  });

  it("stops waiting for a transaction the node never mines, with a sentence that says what to do", async function () {
    const department = await provider.getSigner(DevParameters.Foundation.civilAffairsAccount);
    const before = process.env.ZHIXIN_TX_TIMEOUT_S;
    process.env.ZHIXIN_TX_TIMEOUT_S = "2";
    await provider.send("evm_setAutomine", [false]);
    try {
      const error = await sendChecked(
        d.registry.connect(department).updateMetadata,
        [department.address, id("NEVER MINED")],
        {
          type: 0,
          gasPrice: 0n,
        },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(LedgerError);
      expect((error as Error).message).to.match(/was not mined within 2 s: .*Run the same command again/);
    } finally {
      await provider.send("evm_setAutomine", [true]);
      await provider.send("evm_mine", []);
      if (before === undefined) delete process.env.ZHIXIN_TX_TIMEOUT_S;
      else process.env.ZHIXIN_TX_TIMEOUT_S = before;
    }
  });

  it("stops waiting for a transaction the node forgot (restarted from an earlier state, or dropped it)", async function () {
    const department = await provider.getSigner(DevParameters.Foundation.civilAffairsAccount);
    await provider.send("evm_setAutomine", [false]);
    try {
      const sent = sendChecked(d.registry.connect(department).updateMetadata, [department.address, id("FORGOTTEN")], {
        type: 0,
        gasPrice: 0n,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the node has it in its pool
      await provider.send("anvil_dropAllTransactions", []);
      const error = await sent;
      expect(error).to.be.instanceOf(LedgerError);
      expect((error as Error).message).to.match(/the node no longer knows transaction 0x[0-9a-f]{64}: .*Run the same/);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
  });

  it("keeps the same rows in PostgreSQL as in PGlite (same schema and migrations)", async function () {
    const pg = await startPostgres();
    if (pg === undefined) this.skip();
    cleanup.push(pg.stop);
    // Planner statistics refreshed every 100 events (10,000 by default): PGlite has no autovacuum.
    const db = await buildIndex(provider, d, { url: pg.url }, 50, 100);
    try {
      const inPg = await dumpIndex(db);
      const inPglite = await buildIndex(provider, d, {}, 50, 100);
      try {
        expect(plain(inPg)).to.equal(plain(await dumpIndex(inPglite)));
        const tuples = async (x: IndexDb) =>
          Number(
            (await sql<{ n: number }>`select reltuples as n from pg_class where relname = 'events'`.execute(x)).rows[0]!
              .n,
          );
        expect(await tuples(inPglite), "PGlite analysed").to.be.greaterThan(inPg.events.length / 2);
      } finally {
        await inPglite.destroy();
      }
    } finally {
      await db.destroy();
    }
  });

  describe("the JSON API", function () {
    let api: RunningExplorer;
    const get = async (path: string) => {
      const res = await fetch(`${api.url}${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> & unknown[] };
    };

    before(async function () {
      api = await startExplorer({ provider, deployment: d, location: {}, rateLimit: 100_000 });
    });
    after(async function () {
      await api?.close();
    });

    it("describes every route in its OpenAPI document", async function () {
      const { body } = await get("/api/openapi.json");
      const paths = Object.keys(body.paths as object);
      for (const p of [
        "/api/status",
        "/api/blocks",
        "/api/blocks/{number}",
        "/api/txs",
        "/api/txs/{hash}",
        "/api/address/{address}",
        "/api/search",
        "/api/permissions",
        "/api/governance",
        "/api/charity/projects/{id}",
        "/api/charity/donations/{ref}",
        "/api/charity/stats",
        "/api/trace/batches/{ref}",
        "/api/relief/programmes/{id}",
        "/api/documents/{hash}",
      ])
        expect(paths).to.include(p);
    });

    it("pages through every transaction once, newest first", async function () {
      const status = (await get("/api/status")).body as unknown as { transactions: number };
      const seen: string[] = [];
      let before = "";
      for (;;) {
        const { body } = await get(`/api/txs?limit=100${before}`);
        const page = body as unknown as { items: { hash: string; blockNumber: number }[]; next?: string };
        seen.push(...page.items.map((t) => t.hash));
        if (page.next === undefined) break;
        before = `&before=${page.next}`;
      }
      expect(seen).to.have.length(status.transactions);
      expect(new Set(seen).size).to.equal(seen.length);
    });

    it("answers bad input with 400 and unknown records with 404, in JSON", async function () {
      expect((await get("/api/txs?limit=1000")).status).to.equal(400);
      expect((await get("/api/txs/0x1234")).status).to.equal(400);
      expect((await get(`/api/txs/${"0x" + "ab".repeat(32)}`)).status).to.equal(404);
      expect((await get("/api/charity/donations/ZX-NOT-A-CODE-AT-ALL-XXXXXX")).status).to.equal(400);
      const missing = await get(`/api/trace/batches/${"0x" + "00".repeat(32)}`);
      expect(missing.status).to.equal(404);
      expect(missing.body.message).to.match(/no batch/);
      expect((await get("/api/no-such-route")).status).to.equal(404);
    });

    it("finds a donation by its receipt code, a batch by its lot code and an organisation by part of its name", async function () {
      const hits = async (q: string) =>
        (await get(`/api/search?q=${encodeURIComponent(q)}`)).body as unknown as { kind: string; path: string }[];
      expect((await hits(demo.receiptCode)).map((h) => h.kind)).to.include("donation");
      expect((await hits("XHCP-2026-B001")).map((h) => h.kind)).to.include("batch");
      // Part of a name finds the organisation, and (public names) the relief project named after the village.
      expect((await hits("浮石村")).map((h) => h.kind)).to.deep.equal(["organisation", "relief-project"]);
      const donation = (await get(`/api/charity/donations/${encodeURIComponent(demo.receiptCode)}`)).body;
      expect(donation.donationId).to.match(/^0x[0-9a-f]{64}$/);
    });

    it("refuses a client past its rate limit with 429", async function () {
      const limited = await startExplorer({ provider, deployment: d, location: {}, rateLimit: 5 });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 7; i++) codes.push((await fetch(`${limited.url}/api/status`)).status);
        expect(codes.slice(0, 5)).to.deep.equal([200, 200, 200, 200, 200]);
        expect(codes[6]).to.equal(429);
      } finally {
        await limited.close();
      }
    });
  });
  describe("the explorer in Chromium", function () {
    let server: RunningExplorer;
    let browser: Browser;
    const shots = join(ROOT, "test-results", "explorer");

    before(async function () {
      await ensureExplorerBuilt();
      await mkdir(shots, { recursive: true });
      server = await startExplorer({
        provider,
        deployment: d,
        location: {},
        rateLimit: 100_000,
        explorerDir: EXPLORER_DIST,
      });
      browser = await launchChromium();
    });
    after(async function () {
      await browser?.close();
      await server?.close();
    });

    async function open(path: string, phone = false): Promise<Page> {
      const page = await browser.newPage(phone ? { viewport: { width: 390, height: 844 }, isMobile: true } : {});
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${server.url}${path}`);
      await page.waitForSelector("main.page");
      await page.waitForFunction(() => document.querySelector('[data-testid="loading"]') === null);
      expect(errors, `errors in the page ${path}`).to.deep.equal([]);
      return page;
    }
    /** A headline figure; an amount shown in 万元 is read exactly from its `data-exact`. */
    const text = statText;
    /** "¥1,234.56" → 123456n */
    const fen = (yuan: string) => BigInt(yuan.replace(/[¥,\s]/g, "").replace(".", ""));

    it("finds a donation by its receipt code, shows where its money went and checks the donor's name in the page", async function () {
      const page = await open("/");
      await page.getByTestId("search-input").fill(demo.receiptCode);
      await page.getByTestId("search-input").press("Enter");
      await page.getByTestId("donation-trace").waitFor();
      expect(await page.locator('[data-testid="donation-trace"] tbody tr').count()).to.be.greaterThan(0);
      await page.screenshot({ path: join(shots, "donation.png"), fullPage: true });

      // The check may load its code (a script chunk) but must not ask the API anything, nor send the name.
      // (The explorer's own poll of the chain's head, /api/status, carries nothing of the page: a slow run
      // saw one fall within the check.)
      const sent: string[] = [];
      page.on("request", (r) => {
        const url = decodeURIComponent(r.url());
        if (new URL(url).pathname !== "/api/status") sent.push(url + (r.postData() ?? ""));
      });
      await page.getByTestId("receipt-check-code").fill(demo.receiptCode);
      await page.getByTestId("receipt-check-name").fill(demo.donorName);
      await page.getByTestId("receipt-check-submit").click();
      await page.locator('[data-testid="receipt-check-result"][data-result="match"]').waitFor();
      await page.getByTestId("receipt-check-name").fill(demo.donorName + "甲");
      await page.getByTestId("receipt-check-submit").click();
      await page.locator('[data-testid="receipt-check-result"][data-result="mismatch"]').waitFor();
      expect(sent.filter((u) => u.includes("/api/") || u.includes(demo.donorName))).to.deep.equal([]);
      await page.close();
    });

    it("shows a red recall banner on a recalled batch, on a phone screen", async function () {
      const list = (await (await fetch(`${server.url}/api/trace/batches?limit=100`)).json()) as {
        items: { batchId: string }[];
      };
      let recalled: string | undefined;
      for (const b of list.items) {
        const p = (await (await fetch(`${server.url}/api/trace/batches/${b.batchId}`)).json()) as {
          batch: { recalled: boolean };
        };
        if (p.batch.recalled) {
          recalled = b.batchId;
          break;
        }
      }
      expect(recalled, "the demo recalls a batch").to.be.a("string");
      const page = await open(`/batch/${recalled}`, true);
      await page.getByTestId("recall-banner").waitFor();
      const color = await page.getByTestId("recall-banner").evaluate((el) => getComputedStyle(el).backgroundColor);
      const [r, g, b] = (color.match(/\d+/g) ?? []).map(Number);
      expect(r! > 150 && g! < 100 && b! < 100, `banner colour ${color}`).to.equal(true);
      expect(await page.locator('[data-testid="timeline"] li').count()).to.be.greaterThan(3);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, "no sideways scrolling on a phone").to.be.at.most(390);
      await page.screenshot({ path: join(shots, "batch-recalled-phone.png"), fullPage: true });
      await page.close();
    });

    it("resolves a GS1 Digital Link to the batch page and a GTIN alone to the product's batches", async function () {
      const list = (await (await fetch(`${server.url}/api/trace/batches?limit=100`)).json()) as {
        items: { batchId: string; productCode: string; lotCode: string }[];
      };
      const b = list.items.find((x) => /^\d{14}$/.test(x.productCode) && x.lotCode !== "");
      expect(b, "the demo has a batch of a GTIN product").to.not.equal(undefined);
      // As a QR code holds it (GTIN-14), and with the GTIN-13 a box prints.
      for (const gtin of [b!.productCode, b!.productCode.replace(/^0/, "")]) {
        const page = await open(`/01/${gtin}/10/${encodeURIComponent(b!.lotCode)}`);
        await page.waitForURL(`**/batch/${b!.batchId.toLowerCase()}`);
        await page.getByTestId("timeline").waitFor();
        await page.close();
      }
      const product = await open(`/01/${b!.productCode.replace(/^0/, "")}`);
      await product.waitForURL(`**/trace?product=${b!.productCode}`);
      await product.close();
      const wrong = await open(`/01/${b!.productCode.slice(0, -1)}${(Number(b!.productCode.at(-1)) + 1) % 10}/10/x`);
      await wrong.getByTestId("not-found").waitFor();
      await wrong.close();
      // The namespace of the EPCIS extension fields has its JSON-LD context here.
      const ctx = (await (await fetch(`${server.url}/ns/context.jsonld`)).json()) as {
        "@context": Record<string, unknown>;
      };
      expect(ctx["@context"]).to.have.property("zx:certificate");
    });

    it("speaks Chinese by default and English after the switch", async function () {
      const page = await open("/charity");
      expect(await page.getAttribute("html", "lang")).to.match(/^zh/);
      expect(await page.locator("h1").first().textContent()).to.match(/[\u4e00-\u9fff]/);
      await page.getByTestId("lang-switch").click();
      await page.waitForFunction(() => document.documentElement.lang === "en");
      expect(await page.locator("h1").first().textContent()).to.match(/Charity|Donation/i);
      await page.reload();
      await page.waitForSelector("main.page");
      expect(await page.getAttribute("html", "lang"), "the choice is remembered").to.equal("en");
      await page.getByTestId("lang-switch").click();
      await page.waitForFunction(() => document.documentElement.lang.startsWith("zh"));
      await page.close();
    });

    it("exports the charity statistics as a CSV file Excel reads", async function () {
      const page = await open("/charity");
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csv-export").click()]);
      const file = await download.path();
      const csv = await readFile(file, "utf8");
      expect(csv.charCodeAt(0), "UTF-8 byte-order mark").to.equal(0xfeff);
      expect(download.suggestedFilename()).to.match(/\.csv$/);
      const stats = (await (await fetch(`${server.url}/api/charity/stats`)).json()) as { totals: { received: string } };
      const yuan = `${BigInt(stats.totals.received) / 100n}.${(BigInt(stats.totals.received) % 100n).toString().padStart(2, "0")}`;
      expect(csv).to.include(yuan);
      await page.close();
    });

    it("shows the totals that raw logs give, computed without the project's library", async function () {
      const read = async (path: string) =>
        (JSON.parse(await readFile(join(ROOT, "artifacts", path), "utf8")) as { abi: { type: string }[] }).abi;
      // The ledgers sit behind proxies: their address also carries the proxy's own events (AdminChanged, Upgraded).
      const proxyEvents = (
        await read(
          "@openzeppelin/contracts/proxy/transparent/TransparentUpgradeableProxy.sol/TransparentUpgradeableProxy.json",
        )
      ).filter((f) => f.type === "event");
      const abi = async (path: string) =>
        new Interface([...(await read(`contracts/${path}`)), ...proxyEvents] as InterfaceAbi);
      const charity = await abi("charity/CharityLedger.sol/CharityLedger.json");
      const relief = await abi("relief/ReliefLedger.sol/ReliefLedger.json");
      const raw = async (address: string, iface: Interface) =>
        (await provider.getLogs({ address, fromBlock: 0, toBlock: "latest" })).map((l) => iface.parseLog(l)!);

      const cLogs = await raw(d.addresses.CharityLedger!, charity);
      const perProject = new Map<string, { received: bigint; balance: bigint; donations: number }>();
      const p = (id: string) =>
        perProject.get(id) ?? perProject.set(id, { received: 0n, balance: 0n, donations: 0 }).get(id)!;
      let total = 0n;
      for (const e of cLogs) {
        if (e.name === "DonationRecorded") {
          p(e.args.projectId).received += e.args.amount as bigint;
          p(e.args.projectId).balance += e.args.amount as bigint;
          p(e.args.projectId).donations++;
          total += e.args.amount as bigint;
        } else if (e.name === "Disbursed" || e.name === "DonationReversed")
          p(e.args.projectId).balance -= e.args.amount as bigint;
        else if (e.name === "Granted") {
          p(e.args.fromProjectId).balance -= e.args.amount as bigint;
          // A grant is received too (issue 20: a grant-funded project showed 累计收到 ¥0.00).
          p(e.args.toProjectId).received += e.args.amount as bigint;
          p(e.args.toProjectId).balance += e.args.amount as bigint;
        }
      }
      const home = await open("/charity");
      expect(fen(await text(home, "charity-received"))).to.equal(total);
      await home.screenshot({ path: join(shots, "charity.png"), fullPage: true });
      await home.close();
      for (const [id, want] of perProject) {
        const page = await open(`/charity/project/${id}`);
        expect(fen(await text(page, "project-received")), `received of ${id}`).to.equal(want.received);
        expect(fen(await text(page, "project-balance")), `balance of ${id}`).to.equal(want.balance);
        // Donations counted as records (捐赠笔数): salted commitments are not donors (issue 20).
        expect(Number((await text(page, "project-donations")).replace(/,/g, ""))).to.equal(want.donations);
        if (want.received > 0n) await page.screenshot({ path: join(shots, "charity-project.png"), fullPage: true });
        await page.close();
      }

      const rLogs = await raw(d.addresses.ReliefLedger!, relief);
      const appropriated = new Map<string, bigint>();
      for (const e of rLogs) {
        if (e.name === "ProgrammeCreated") appropriated.set(e.args.programmeId, e.args.budget as bigint);
        if (e.name === "Appropriated")
          appropriated.set(
            e.args.programmeId,
            (appropriated.get(e.args.programmeId) ?? 0n) + (e.args.amount as bigint),
          );
      }
      for (const [id, want] of appropriated) {
        const page = await open(`/relief/programme/${id}`);
        expect(fen(await text(page, "programme-appropriated")), `appropriated of ${id}`).to.equal(want);
        await page.screenshot({ path: join(shots, "relief-programme.png"), fullPage: true });
        await page.close();
      }
    });

    it("renders every main page without errors (screenshots in test-results/explorer)", async function () {
      for (const [name, path] of [
        ["home", "/"],
        ["permissions", "/permissions"],
        ["governance", "/governance"],
        ["trace", "/trace"],
        ["relief", "/relief"],
        ["documents", "/documents"],
      ] as const) {
        const page = await open(path);
        await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
        await page.close();
      }
      const phone = await open("/", true);
      await phone.screenshot({ path: join(shots, "home-phone.png"), fullPage: true });
      await phone.close();
    });

    it("shows every deployed contract verified against the repository's source, with its compiler, settings and files", async function () {
      this.timeout(120_000);
      const page = await open("/contracts");
      const cards = page.getByTestId("contract");
      // The report recompiles each contract's metadata file: wait for it before counting.
      await cards.first().waitFor({ timeout: 100_000 });
      // The manager, the key service's anchor, the public names, the receipt codes, the documents' digests, the
      // council and the brake, and the registry's, three ledgers' and TraceUnits' proxies and implementations.
      expect(await cards.count()).to.equal(17);
      for (let i = 0; i < 17; i++) {
        expect(
          await cards.nth(i).getAttribute("data-verified"),
          (await cards.nth(i).getAttribute("data-contract")) ?? undefined,
        ).to.equal("true");
      }
      const relief = page.locator('[data-testid="contract"][data-contract="ReliefLedger (implementation)"]');
      expect(await relief.textContent())
        .to.include("solc 0.8.28+commit.7893614a")
        .and.include("evm paris");
      await relief.locator("summary").click();
      const file = relief.getByTestId("source-file").filter({ hasText: "project/contracts/relief/ReliefLedger.sol" });
      await file.locator("button").click();
      await file.locator("pre.source").waitFor();
      expect(await file.locator("pre.source").textContent()).to.include("contract ReliefLedger is IReliefLedger");
      await page.screenshot({ path: join(shots, "contracts.png"), fullPage: true });
      await page.close();
    });
  });
});

async function waitFor(check: () => Promise<boolean>, log: string[], ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for the indexer; it said:\n${log.join("\n")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
