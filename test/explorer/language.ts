/**
 * 中文 everywhere in 中文 mode: every name of the contracts' ABIs has a Chinese label, and a Chromium
 * crawl of the explorer's pages over the shared demo finds no raw identifier (function, event or
 * argument name, enum number, API error text) outside code, a title of its own on each page, HTTP 404
 * with a Chinese page for unknown paths, large amounts in 万元 with the exact figure kept, and the
 * numbers of each chart as a table.
 */

import { expect } from "chai";
import type { ParamType } from "ethers";
import { type Browser, type Page } from "playwright-core";

import { ENUM_ARGS, argZh, contractZh, eventZh, functionZh } from "../../src/abi-labels.js";
import { GOVERNANCE_INTERFACES, INTERFACES } from "../../src/contracts.js";
import { pagePattern } from "../../src/indexer/routes.js";
import { EXPLORER_DIST, startExplorer, type RunningExplorer } from "../../src/indexer/server.js";
import { ensureExplorerBuilt, launchChromium } from "../helpers/browser.js";
import { sharedDemo, type SharedDemo } from "../helpers/shared-demo.js";

/** Identifiers as code writes them: camelCase, PascalCase words joined, snake_case; and API error text. */
const RAW =
  /\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[A-Z]+_[A-Z_]+\b|\b[A-Z][a-z]+[A-Z][A-Za-z0-9]*\b|\b[a-z]+_[a-z_]+\b|must match|params\/|querystring\/|purpose \d|ppm\b|Bad Request|Not Found|statusCode/;

describe("the explorer in Chinese", function () {
  this.timeout(300_000);

  it("has a Chinese name for every function, event and argument of the deployed contracts", function () {
    const missing: string[] = [];
    const all = { ...INTERFACES, ...GOVERNANCE_INTERFACES };
    for (const [contract, iface] of Object.entries(all)) {
      if (contractZh(contract) === undefined) missing.push(contract);
      const arg = (where: string, p: ParamType) => {
        if (p.name !== "" && argZh(contract, p.name) === undefined) missing.push(`${contract}.${where}(${p.name})`);
        p.components?.forEach((c) => arg(where, c));
        if (p.arrayChildren !== null) arg(where, p.arrayChildren);
      };
      iface.forEachFunction((f) => {
        if (f.stateMutability === "view" || f.stateMutability === "pure") return;
        if (functionZh(contract, f.name) === undefined) missing.push(`${contract}.${f.name}()`);
        f.inputs.forEach((p) => arg(f.name, p));
      });
      iface.forEachEvent((e) => {
        if (eventZh(contract, e.name) === undefined) missing.push(`${contract}.${e.name}`);
        e.inputs.forEach((p) => arg(e.name, p));
      });
    }
    expect(missing).to.deep.equal([]);
    // Enumerated arguments name every value they can take.
    expect(Object.keys(ENUM_ARGS.CharityLedger!.purpose!)).to.deep.equal(["0", "1"]);
    expect(Object.values(ENUM_ARGS.TraceLedger!.bizStep!).every((w) => /[\u4e00-\u9fff]/.test(w.zh))).to.equal(true);
  });

  describe("pages", function () {
    let shared: SharedDemo;
    let server: RunningExplorer;
    let browser: Browser;

    before(async function () {
      shared = await sharedDemo();
      await ensureExplorerBuilt();
      server = await startExplorer({
        provider: shared.provider,
        deployment: shared.deployment,
        location: {},
        rateLimit: 100_000,
        explorerDir: EXPLORER_DIST,
      });
      // Every record's page computed once (on a busy machine a first node read may pass the pages' 3 s).
      const indexed = await server.indexer.indexedBlock();
      while (server.warmedBlock() < indexed) await new Promise((r) => setTimeout(r, 100));
      browser = await launchChromium();
    });
    after(async function () {
      await browser?.close();
      await server?.close();
    });

    const api = async <T>(path: string) => {
      const res = await fetch(`${server.url}/api${path}`);
      expect(res.status, `/api${path}`).to.equal(200);
      return (await res.json()) as T;
    };

    /** Opens `path` in Chinese, waits for its data; returns the page and its visible text outside code. */
    async function open(path: string): Promise<{ page: Page; text: string; title: string }> {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${server.url}${path}`);
      await page.waitForSelector("main.page");
      await page.waitForFunction(() => document.querySelector('[data-testid="loading"]') === null);
      await page.waitForTimeout(100);
      expect(errors, `errors in the page ${path}`).to.deep.equal([]);
      const text = await page.evaluate(() => {
        const main = document.querySelector("main")!.cloneNode(true) as HTMLElement;
        // Code is code (selectors, hashes, source file names): what a reader is told is the rest.
        for (const el of main.querySelectorAll("code, pre, .hash, [data-raw]")) el.remove();
        document.body.appendChild(main);
        const text = main.innerText;
        main.remove();
        return text;
      });
      return { page, text, title: await page.title() };
    }

    it("shows no raw identifier on any page, and gives each page a title of its own", async function () {
      const projects = await api<{ projectId: string }[]>("/charity/projects");
      const programmes = await api<{ programmeId: string }[]>("/relief/programmes");
      const orgs = await api<{ account: string }[]>("/orgs");
      const batches = await api<{ items: { batchId: string }[] }>("/trace/batches?limit=5");
      // One transaction of each function the demo called.
      const byFunction = new Map<string, string>();
      let before = "";
      for (;;) {
        const page = await api<{ items: { hash: string; contract: string; function: string }[]; next?: string }>(
          `/txs?limit=100${before}`,
        );
        for (const t of page.items)
          if (!byFunction.has(`${t.contract}.${t.function}`)) byFunction.set(`${t.contract}.${t.function}`, t.hash);
        if (page.next === undefined) break;
        before = `&before=${page.next}`;
      }
      expect(byFunction.size, "functions the demo called").to.be.greaterThan(15);
      const paths = [
        "/",
        "/blocks",
        "/txs",
        "/charity",
        "/trace",
        "/relief",
        "/permissions",
        "/governance",
        "/documents",
        "/contracts",
        `/charity/project/${projects[0]!.projectId}`,
        `/charity/donation/${encodeURIComponent(shared.demo.receiptCode)}`,
        `/relief/programme/${programmes[0]!.programmeId}`,
        ...batches.items.map((b) => `/batch/${b.batchId}`),
        ...orgs.slice(0, 3).map((o) => `/address/${o.account}`),
        `/address/${shared.deployment.addresses.CharityLedger}`,
        ...[...byFunction.values()].map((h) => `/tx/${h}`),
      ];
      const titles = new Map<string, string>();
      const raw: string[] = [];
      // Four pages at a time.
      let next = 0;
      const lane = async () => {
        while (next < paths.length) await check(paths[next++]!);
      };
      await Promise.all([lane(), lane(), lane(), lane()]);
      expect(raw).to.deep.equal([]);
      // Pages of different kinds have different titles.
      expect(new Set(titles.values()).size).to.equal(titles.size);

      async function check(path: string) {
        const { page, text, title } = await open(path);
        // Proper names that are not identifiers.
        const found = RAW.exec(text.replace(/OpenZeppelin|GitHub|JavaScript|TypeScript/g, ""));
        if (found !== null)
          raw.push(`${path}: “${found[0]}” in …${found.input.slice(Math.max(0, found.index - 40), found.index + 40)}…`);
        expect(title, path).to.match(/[\u4e00-\u9fff].* · 智信链浏览器$/);
        titles.set(pagePattern(decodeURIComponent(path))!, title);
        await page.close();
      }
    });

    it("answers an unknown path with HTTP 404 and a Chinese page, a known one with 200", async function () {
      for (const path of ["/no-such-page", "/charity/nothing/here", "/batch"]) {
        const res = await fetch(`${server.url}${path}`);
        expect(res.status, path).to.equal(404);
        expect(await res.text()).to.match(/<div id="root">/);
      }
      for (const path of ["/", "/charity", `/batch/0x${"00".repeat(32)}`, "/relief/"])
        expect((await fetch(`${server.url}${path}`)).status, path).to.equal(200);
      const api404 = await fetch(`${server.url}/api/no-such-route`);
      expect(api404.status).to.equal(404);
      expect(((await api404.json()) as { code: string }).code).to.equal("not-found");

      const { page, title } = await open("/no-such-page");
      await page.getByTestId("not-found").waitFor();
      expect(await page.getByTestId("not-found").innerText()).to.match(/页面不存在/);
      expect(title).to.equal("页面不存在 · 智信链浏览器");
      await page.close();
    });

    it("says a malformed or unknown id in Chinese, without the API's English", async function () {
      for (const path of ["/charity/project/0x1234", `/batch/0x${"00".repeat(32)}`, "/relief/programme/abc"]) {
        const { page, text } = await open(path);
        await page.getByTestId("error").waitFor();
        expect(text, path).to.match(/[\u4e00-\u9fff]{4}/);
        expect(text, path).not.to.match(/must match|pattern|params|no batch|Not Found|Bad Request/);
        await page.close();
      }
    });

    it("shows large amounts in 万元 with the exact figure kept, and each chart's numbers as a table", async function () {
      const { page } = await open("/charity");
      const received = page.locator('[data-testid="charity-received"] .stat-value');
      const shown = (await received.innerText()).trim();
      const exact = await received.locator("[data-exact]").getAttribute("data-exact");
      expect(shown).to.match(/^¥[\d,]+\.\d{2}万$/);
      expect(exact).to.match(/^¥[\d,]+\.\d{2}$/);
      // ¥173.00万 is ¥1,730,000.00 to the hundredth of 万.
      const fen = BigInt(exact!.replace(/[¥,.]/g, ""));
      expect(shown.replace(/[¥,万]/g, "")).to.equal(
        `${(fen + 5_000n) / 1_000_000n}.${(((fen + 5_000n) / 10_000n) % 100n).toString().padStart(2, "0")}`,
      );
      const months = await api<{ months: unknown[] }>("/charity/stats");
      await page.locator('[data-testid="chart-monthly-data"] summary').click();
      expect(await page.locator('[data-testid="chart-monthly-data"] tbody tr').count()).to.equal(months.months.length);
      expect(await page.getByTestId("chart-monthly").getAttribute("role")).to.equal("img");
      await page.close();

      const projects = await api<{ projectId: string; received: string }[]>("/charity/projects");
      const funded = projects.find((p) => BigInt(p.received) > 0n)!;
      const project = await open(`/charity/project/${funded.projectId}`);
      await project.page.locator('[data-testid="sankey-data"] summary').click();
      const rows = project.page.locator('[data-testid="sankey-data"] tbody tr');
      expect(await rows.count()).to.be.greaterThan(1);
      expect(await rows.first().innerText()).to.match(/[\u4e00-\u9fff]/);
      await project.page.close();
    });
  });
});
