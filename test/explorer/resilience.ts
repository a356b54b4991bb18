/**
 * The explorer standing when its node is not: pages answer from the index under a banner with the node
 * stopped or hung (a proxy of our own between the explorer and the shared demo chain, closed or made
 * silent; the chain itself is never touched), the indexer follows again when the node is back, and the
 * rate limit counts API calls only, with a friendly answer in the reader's language.
 */
import { mkdir } from "node:fs/promises";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

import { expect } from "chai";
import { type Browser, type Page } from "playwright-core";

import { buildApi } from "../../src/indexer/api.js";
import { EXPLORER_RPC_OPTIONS, FetchJsonRpcProvider } from "../../src/indexer/rpc.js";
import { EXPLORER_DIST, startExplorer, type RunningExplorer } from "../../src/indexer/server.js";
import { ensureExplorerBuilt, launchChromium } from "../helpers/browser.js";
import { ROOT } from "../helpers/cli.js";
import { sharedDemo, type SharedDemo } from "../helpers/shared-demo.js";

/**
 * A JSON-RPC proxy to the node: `up` forwards, `down` closes the port (connection refused), `hung`
 * accepts and never answers (the held requests are cut when it comes back up).
 */
class NodeProxy {
  #server: Server | undefined;
  #port = 0;
  #mode: "up" | "hung" = "up";
  readonly #held = new Set<ServerResponse>();

  constructor(readonly target: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#port, "127.0.0.1", () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    this.#mode = "up";
  }

  /** Stops answering and closes the port. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    for (const r of this.#held) r.socket?.destroy();
    this.#held.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  hang(): void {
    this.#mode = "hung";
  }

  /** Answers again; requests held while hung are cut (the client sees a reset and asks again). */
  resume(): void {
    this.#mode = "up";
    for (const r of this.#held) r.socket?.destroy();
    this.#held.clear();
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.#mode === "hung") {
      this.#held.add(res);
      req.resume();
      return;
    }
    const upstream = request(this.target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  }
}

describe("the explorer without its node", function () {
  this.timeout(300_000);
  let shared: SharedDemo;
  let proxy: NodeProxy;
  let rpc: FetchJsonRpcProvider;
  let server: RunningExplorer;
  let browser: Browser;
  let recalled: string;
  const shots = join(ROOT, "test-results", "explorer");

  before(async function () {
    shared = await sharedDemo();
    await ensureExplorerBuilt();
    await mkdir(shots, { recursive: true });
    proxy = new NodeProxy(shared.chain.url());
    await proxy.start();
    const network = await shared.provider.getNetwork();
    rpc = new FetchJsonRpcProvider(proxy.url, network, { ...EXPLORER_RPC_OPTIONS, staticNetwork: network });
    server = await startExplorer({
      provider: rpc,
      deployment: shared.deployment,
      location: {},
      rateLimit: 100_000,
      explorerDir: EXPLORER_DIST,
      pollMs: 200,
    });
    // Every record's page computed once with the node up: its node answers are then in the index.
    const indexed = await server.indexer.indexedBlock();
    while (server.warmedBlock() < indexed) await new Promise((r) => setTimeout(r, 100));
    recalled = await recalledBatch(server.url);
    browser = await launchChromium();
  });

  after(async function () {
    await browser?.close();
    await server?.close();
    rpc?.destroy();
    await proxy?.stop();
  });

  /** Opens `path`, waits until nothing is loading, and returns the page and its visible text. */
  async function open(path: string, phone = false): Promise<{ page: Page; text: string; ms: number }> {
    const page = await browser.newPage(phone ? { viewport: { width: 390, height: 844 }, isMobile: true } : {});
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const t0 = Date.now();
    await page.goto(`${server.url}${path}`);
    await page.waitForSelector("main.page");
    await page.waitForFunction(() => document.querySelector('[data-testid="loading"]') === null, undefined, {
      timeout: 15_000,
    });
    const ms = Date.now() - t0;
    expect(errors, `errors in the page ${path}`).to.deep.equal([]);
    return { page, text: await page.locator("body").innerText(), ms };
  }

  /** The pages a reader reaches from a QR code, a receipt or the menu, with one record of each kind. */
  async function pagePaths(): Promise<string[]> {
    const get = async <T>(p: string) => (await (await fetch(`${server.url}/api${p}`)).json()) as T;
    const projects = await get<{ projectId: string }[]>("/charity/projects");
    const programmes = await get<{ programmeId: string }[]>("/relief/programmes");
    const orgs = await get<{ account: string }[]>("/orgs");
    const txs = await get<{ items: { hash: string; blockNumber: number }[] }>("/txs?limit=1");
    return [
      `/batch/${recalled}`,
      `/charity/donation/${encodeURIComponent(shared.demo.receiptCode)}`,
      `/charity/project/${projects[0]!.projectId}`,
      `/relief/programme/${programmes[0]!.programmeId}`,
      `/address/${orgs[0]!.account}`,
      `/tx/${txs.items[0]!.hash}`,
      `/block/${txs.items[0]!.blockNumber}`,
      "/",
      "/charity",
      "/trace",
      "/relief",
      "/permissions",
      "/governance",
      "/contracts",
    ];
  }

  /** No internal address, connection error or stack text in what a reader sees. */
  function expectNoInternals(text: string, path: string) {
    expect(text, path).not.to.match(/ECONN|127\.0\.0\.1|localhost:\d|fetch failed|Error:|at \S+ \(|服务器出错/);
  }

  it("shows a recalled batch's QR page and the other pages from the index, under a banner, with the node stopped", async function () {
    const paths = await pagePaths();
    await proxy.stop();
    await waitFor(async () => (await status(server.url)).node === "unreachable");
    const block = await server.indexer.indexedBlock();

    const qr = await open(`/batch/${recalled}`, true);
    await qr.page.getByTestId("recall-banner").waitFor();
    await qr.page.getByTestId("node-banner").waitFor();
    expect(await qr.page.getByTestId("node-banner").innerText()).to.equal(`数据截至区块 ${block}，节点暂不可达`);
    await qr.page.screenshot({ path: join(shots, "batch-recalled-node-down-phone.png"), fullPage: true });
    await qr.page.close();

    for (const path of paths) {
      const { page, text } = await open(path);
      await page.getByTestId("node-banner").waitFor();
      expect(await page.getByTestId("error").count(), `an error on ${path}: ${text.slice(0, 300)}`).to.equal(0);
      expectNoInternals(text, path);
      await page.close();
    }

    // In English too.
    const en = await browser.newPage();
    await en.addInitScript(() => localStorage.setItem("zhixin-explorer-lang", "en"));
    await en.goto(`${server.url}/batch/${recalled}`);
    await en.getByTestId("node-banner").waitFor();
    expect(await en.getByTestId("node-banner").innerText()).to.equal(
      `Data as of block ${block}; the node cannot be reached right now`,
    );
    await en.close();
  });

  it("answers a record it has never computed with a sentence, not the node's error", async function () {
    // The node is still stopped: an unknown batch needs the node and gets the translated answer.
    const res = await fetch(`${server.url}/api/trace/batches/0x${"ab".repeat(32)}`);
    const body = (await res.json()) as { code: string; message: string };
    expect(JSON.stringify(body)).not.to.match(/ECONN|127\.0\.0\.1/);
    expect(body.code).to.be.oneOf(["node-unreachable", "not-found"]);
  });

  it("follows the chain again when the node comes back, and drops the banner", async function () {
    const before = server.indexer.head;
    await proxy.start();
    await shared.provider.send("evm_mine", []);
    await waitFor(async () => (await status(server.url)).node === "reachable");
    await waitFor(async () => server.indexer.head > before);
    const { page } = await open("/");
    await page.waitForTimeout(500);
    expect(await page.getByTestId("node-banner").count()).to.equal(0);
    await page.close();
  });

  it("shows a page within a few seconds, under the banner, with the node hung", async function () {
    proxy.hang();
    try {
      const { page, text, ms } = await open(`/batch/${recalled}`, true);
      await page.getByTestId("recall-banner").waitFor();
      await page.getByTestId("node-banner").waitFor({ timeout: 10_000 });
      expect(ms, "the QR page's content").to.be.below(8_000);
      expectNoInternals(text, "QR page, node hung");
      await page.close();
      // Once the node is known to be hung, a page does not wait for it at all.
      const donation = await open(`/charity/donation/${encodeURIComponent(shared.demo.receiptCode)}`);
      expect(donation.ms, "the donation page with the node known hung").to.be.below(3_000);
      await donation.page.getByTestId("node-banner").waitFor();
      await donation.page.close();
    } finally {
      proxy.resume();
    }
    await waitFor(async () => (await status(server.url)).node === "reachable");
  });

  describe("the rate limit", function () {
    let limited: Awaited<ReturnType<typeof buildApi>>;
    let url: string;

    before(async function () {
      limited = await buildApi(server.views, { rateLimit: 30, explorerDir: EXPLORER_DIST });
      url = (await limited.listen({ host: "127.0.0.1", port: 0 })).replace("[::1]", "localhost");
    });
    after(async function () {
      await limited?.close();
    });

    it("counts API calls only: a burst is limited, pages and files never are, and a limited reader gets a sentence", async function () {
      const html = await (await fetch(`${url}/`)).text();
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset, "the explorer's script").to.be.a("string");

      const codes = await Promise.all(
        Array.from({ length: 40 }, () => fetch(`${url}/api/status`).then((r) => r.status)),
      );
      expect(codes.filter((c) => c === 429).length, "API calls past the limit").to.be.greaterThan(5);
      const limitedAnswer = await fetch(`${url}/api/status`, { headers: { accept: "application/json" } });
      expect(limitedAnswer.status).to.equal(429);
      const body = (await limitedAnswer.json()) as { code: string; retryAfter: number };
      expect(body.code).to.equal("rate-limited");
      expect(body.retryAfter).to.be.greaterThan(0);

      for (let i = 0; i < 50; i++) {
        for (const path of ["/", `/batch/${recalled}`, asset!, "/charity"]) {
          const res = await fetch(`${url}${path}`);
          expect(res.status, `${path} after the burst`).to.equal(200);
          await res.arrayBuffer();
        }
      }

      // A browser on the limited address: the QR page carries its data in its HTML (src/indexer/static.ts), so
      // its recall warning still shows; a page that asks the API for its data is refused with a sentence in Chinese.
      const page = await browser.newPage({ locale: "zh-CN" });
      await page.goto(`${url}/batch/${recalled}`);
      await page.getByTestId("recall-banner").first().waitFor();
      await page.goto(`${url}/charity`);
      await page.locator('[data-testid="error"][data-code="rate-limited"]').first().waitFor();
      const text = await page.locator("main").innerText();
      expect(text).to.match(/请 \d+ 秒后再试/);
      expect(text).not.to.match(/statusCode|Too Many Requests|\{/);
      // Navigating to a limited API address shows a page, not raw JSON.
      const res = await page.goto(`${url}/api/status`);
      expect(res?.status()).to.equal(429);
      expect(res?.headers()["content-type"]).to.match(/text\/html/);
      expect(await page.locator("h1").first().innerText()).to.equal("访问的人有点多");
      await page.close();
    });
  });
});

async function status(base: string): Promise<{ node: string; indexedBlock: number }> {
  return (await (await fetch(`${base}/api/status`)).json()) as { node: string; indexedBlock: number };
}

async function waitFor(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The id of a batch the demo recalled (the 新会陈皮 box). */
async function recalledBatch(base: string): Promise<string> {
  const list = (await (await fetch(`${base}/api/trace/batches?limit=100`)).json()) as { items: { batchId: string }[] };
  for (const b of list.items) {
    const p = (await (await fetch(`${base}/api/trace/batches/${b.batchId}`)).json()) as {
      batch: { recalled: boolean };
    };
    if (p.batch.recalled) return b.batchId;
  }
  throw new Error("the demo recalls no batch");
}
