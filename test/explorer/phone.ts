/**
 * The explorer on a phone (390×844, Chromium through playwright-core), over the demo's chain: the answer of
 * the two pages the public lands on (a product's QR code, a donor's receipt) in the first screen, also
 * before the app's scripts run; no page wider than the screen, tables drawn as cards; tap targets of at
 * least 44 px; the complaint line as a `tel:` link; and the files served compressed and cached. Screenshots
 * go to test-results/explorer/phone. How fast the pages are is measured by bench/render.ts, not here.
 */
import { request } from "node:http";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

import { expect } from "chai";
import { type Browser, type BrowserContextOptions, type Page } from "playwright-core";

import type { BatchPage, DonationDetail } from "../../src/indexer/api-types.js";
import { EXPLORER_DIST, startExplorer, type RunningExplorer } from "../../src/indexer/server.js";
import { IMMUTABLE } from "../../src/indexer/static.js";
import { batchVerdict } from "../../src/indexer/verdict.js";
import { formatYuan } from "../../src/money.js";
import { ensureExplorerBuilt, launchChromium } from "../helpers/browser.js";
import { ROOT } from "../helpers/cli.js";
import { sharedDemo, type SharedDemo } from "../helpers/shared-demo.js";

const WIDTH = 390;
const HEIGHT = 844;
const PHONE: BrowserContextOptions = {
  viewport: { width: WIDTH, height: HEIGHT },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

/** A GET with an explicit Accept-Encoding, answering the raw headers and the body's size on the wire. */
function raw(
  url: string,
  encoding: string,
): Promise<{ status: number; headers: Record<string, string>; size: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { "accept-encoding": encoding } }, (res) => {
      let size = 0;
      res.on("data", (b: Buffer) => (size += b.length));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
          size,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the explorer on a phone", function () {
  this.timeout(600_000);
  let shared: SharedDemo;
  let server: RunningExplorer;
  let browser: Browser;
  let recalled: BatchPage;
  let passed: BatchPage | undefined;
  let donation: DonationDetail;
  const shots = join(ROOT, "test-results", "explorer", "phone");
  const api = async <T>(path: string) => (await (await fetch(`${server.url}/api${path}`)).json()) as T;

  before(async function () {
    shared = await sharedDemo();
    await ensureExplorerBuilt();
    await mkdir(shots, { recursive: true });
    server = await startExplorer({
      provider: shared.provider,
      deployment: shared.deployment,
      location: {},
      rateLimit: 100_000,
      explorerDir: EXPLORER_DIST,
    });
    browser = await launchChromium();
    const list = await api<{ items: { batchId: string }[] }>("/trace/batches?limit=100");
    for (const b of list.items) {
      const page = await api<BatchPage>(`/trace/batches/${b.batchId}`);
      if (page.batch.recalled && recalled === undefined) recalled = page;
      if (batchVerdict(page) === "passed" && passed === undefined) passed = page;
    }
    expect(recalled, "the demo recalls a batch").to.not.equal(undefined);
    donation = await api<DonationDetail>(`/charity/donations/${encodeURIComponent(shared.demo.receiptCode)}`);
  });
  after(async function () {
    await browser?.close();
    await server?.close();
  });

  /** Opens a page on the phone, the app drawn and nothing left loading. */
  async function open(path: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ ...PHONE, ...options });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("close", () => void context.close());
    await page.goto(`${server.url}${path}`);
    await page.waitForSelector("#root:not([hidden]) main.page");
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="loading"]') === null && document.getElementById("first-screen") === null,
    );
    expect(errors, `errors in the page ${path}`).to.deep.equal([]);
    return page;
  }

  /** The element's box lies within the first screen (no scrolling) and inside the screen's width. */
  async function inFirstScreen(page: Page, selector: string): Promise<void> {
    const box = await page.locator(selector).first().boundingBox();
    expect(box, `${selector} is drawn`).to.not.equal(null);
    expect(box!.y, `${selector} top`).to.be.at.least(0);
    expect(box!.y + box!.height, `${selector} bottom within the first screen`).to.be.at.most(HEIGHT);
    expect(box!.x + box!.width, `${selector} right edge`).to.be.at.most(WIDTH);
  }

  const batchPath = (p: BatchPage) => `/batch/${p.batch.batchId.toLowerCase()}`;
  const donationPath = () => `/charity/donation/${encodeURIComponent(shared.demo.receiptCode)}`;

  it("shows a recalled batch's warning and its quantity in the first screen, with 12315 as a tel: link", async function () {
    const page = await open(batchPath(recalled));
    expect(await page.getByTestId("verdict").getAttribute("data-verdict")).to.match(/^recalled/);
    await inFirstScreen(page, '[data-testid="verdict-word"]');
    await inFirstScreen(page, '[data-testid="batch-quantity"]');
    await inFirstScreen(page, '[data-testid="batch-lot"]');
    const tel = page.getByTestId("complaint-tel");
    expect(await tel.getAttribute("href")).to.equal("tel:12315");
    await inFirstScreen(page, '[data-testid="complaint-tel"]');
    const box = (await tel.boundingBox())!;
    expect(box.height, "the tel: link is a full tap target").to.be.at.least(44);
    await page.screenshot({ path: join(shots, "batch-recalled.png") });
    await page.close();
  });

  it("shows a passing batch's 合格 and its quantity in the first screen", async function () {
    if (passed === undefined) this.skip();
    const page = await open(batchPath(passed!));
    expect(await page.getByTestId("verdict").getAttribute("data-verdict")).to.equal("passed");
    expect(await page.getByTestId("verdict-word").textContent()).to.include("合格");
    await inFirstScreen(page, '[data-testid="verdict-word"]');
    await inFirstScreen(page, '[data-testid="batch-quantity"]');
    await page.screenshot({ path: join(shots, "batch-passed.png") });
    await page.close();
  });

  it("shows a donation's status and amount in the first screen", async function () {
    const page = await open(donationPath());
    await inFirstScreen(page, '[data-testid="donation-status"]');
    await inFirstScreen(page, '[data-testid="donation-amount"]');
    expect((await page.getByTestId("donation-amount").textContent())?.trim()).to.equal(
      formatYuan(BigInt(donation.amount), { symbol: true }),
    );
    await page.screenshot({ path: join(shots, "donation.png") });
    await page.screenshot({ path: join(shots, "donation-full.png"), fullPage: true });
    await page.close();
  });

  it("draws both answers into the HTML: shown with scripts off, and the app asks no API for them", async function () {
    for (const [path, selectors] of [
      [
        batchPath(recalled),
        ['[data-testid="recall-banner"]', '[data-testid="batch-quantity"]', '[data-testid="complaint-tel"]'],
      ],
      [donationPath(), ['[data-testid="donation-status"]', '[data-testid="donation-amount"]']],
    ] as const) {
      const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`${server.url}${path}`);
      for (const s of selectors) await inFirstScreen(page, s);
      if (path === donationPath())
        expect(await page.getByTestId("donation-amount").textContent()).to.equal(
          formatYuan(BigInt(donation.amount), { symbol: true }),
        );
      else expect(await page.getByTestId("complaint-tel").getAttribute("href")).to.equal("tel:12315");
      await page.screenshot({ path: join(shots, `first-screen-${path.split("/")[1]}.png`) });
      await context.close();
    }
    // With scripts on, the page's data comes with the page: no request for it (the organisations' neither).
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const asked: string[] = [];
    page.on("request", (r) => asked.push(new URL(r.url()).pathname));
    await page.goto(`${server.url}${batchPath(recalled)}`);
    await page.waitForSelector("#root:not([hidden]) [data-testid='timeline']");
    expect(asked.filter((p) => p.startsWith("/api/trace/") || p === "/api/orgs")).to.deep.equal([]);
    expect(await page.locator("#first-screen").count(), "the app took the screen over").to.equal(0);
    await context.close();
  });

  /** Every main page, with a record of each kind. */
  async function mainPages(): Promise<[string, string][]> {
    const projects = await api<{ projectId: string }[]>("/charity/projects");
    const programmes = await api<{ programmeId: string }[]>("/relief/programmes");
    const txs = await api<{ items: { hash: string; from: string; blockNumber: number }[] }>("/txs?limit=1");
    const tx = txs.items[0]!;
    return [
      ["home", "/"],
      ["charity", "/charity"],
      ["charity-project", `/charity/project/${projects[0]!.projectId}`],
      ["donation", donationPath()],
      ["trace", "/trace"],
      ["batch", batchPath(recalled)],
      ["relief", "/relief"],
      ["programme", `/relief/programme/${programmes[0]!.programmeId}`],
      ["permissions", "/permissions"],
      ["governance", "/governance"],
      ["documents", "/documents"],
      ["contracts", "/contracts"],
      ["blocks", "/blocks"],
      ["txs", "/txs"],
      ["block", `/block/${tx.blockNumber}`],
      ["tx", `/tx/${tx.hash}`],
      ["address", `/address/${tx.from}`],
      ["search", `/search?q=${encodeURIComponent("浮石")}`],
    ];
  }

  it("fits every main page in the phone's width, its tables drawn as labelled cards", async function () {
    let tables = 0;
    for (const [name, path] of await mainPages()) {
      const page = await open(path);
      const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
      expect(width, `${name}: no sideways scrolling`).to.be.at.most(WIDTH);
      const wide = await page.evaluate(
        (w) =>
          [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > w + 0.5 && getComputedStyle(e).position !== "fixed")
            .filter((e) => e.closest("[hidden]") === null && e.closest("thead") === null)
            .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
            .slice(0, 5),
        WIDTH,
      );
      expect(wide, `${name}: elements past the right edge`).to.deep.equal([]);
      const cells = await page.evaluate(() =>
        [...document.querySelectorAll("table.list tbody td")]
          .filter((td) => getComputedStyle(td).display !== "none" && td.textContent?.trim() !== "")
          .map((td) => ({
            label: td.getAttribute("data-label"),
            row: getComputedStyle(td.parentElement!).display,
          })),
      );
      tables += cells.length;
      for (const c of cells) {
        expect(c.row, `${name}: a table row is a card`).to.equal("block");
        expect(c.label, `${name}: every cell is labelled with its column`).to.be.a("string");
      }
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      await page.close();
    }
    expect(tables, "cells of tables seen on the main pages").to.be.greaterThan(20);
  });

  it("gives every tap target at least 44 × 44 px (links in running text aside)", async function () {
    for (const [name, path] of await mainPages()) {
      const page = await open(path);
      // The menu opened, so that its links are measured too.
      await page.getByTestId("menu-toggle").click();
      const small = await page.evaluate(() =>
        [...document.querySelectorAll("a[href], button, input, select, summary, [role=button]")]
          .filter((e) => e.closest("p") === null || e.matches("a.tel"))
          .map((e) => ({ e, r: e.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && r.height > 0)
          .filter(({ r }) => r.width < 44 || r.height < 44)
          .map(
            ({ e, r }) =>
              `${e.tagName.toLowerCase()}${e.className ? "." + String(e.className) : ""} "${(e.textContent ?? "").trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`,
          ),
      );
      expect(small, `${name}: tap targets under 44 px`).to.deep.equal([]);
      await page.close();
    }
  });

  it("serves scripts and styles compressed and cached for good, and the page itself compressed and never cached", async function () {
    const html = await raw(`${server.url}${batchPath(recalled)}`, "br, gzip");
    expect(html.status).to.equal(200);
    expect(html.headers["content-encoding"]).to.equal("br");
    expect(html.headers["cache-control"]).to.equal("no-cache");
    const index = await raw(`${server.url}/charity`, "gzip");
    expect(index.headers["content-encoding"]).to.equal("gzip");
    expect(index.headers["cache-control"]).to.equal("no-cache");

    const text = await (await fetch(`${server.url}/`)).text();
    const assets = [...text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length, "scripts the page names").to.be.greaterThan(0);
    for (const a of assets) {
      const plain = await raw(`${server.url}${a}`, "identity");
      const br = await raw(`${server.url}${a}`, "br, gzip");
      const gz = await raw(`${server.url}${a}`, "gzip");
      expect(br.headers["cache-control"], a).to.equal(IMMUTABLE);
      expect(plain.headers["cache-control"], a).to.equal(IMMUTABLE);
      if (plain.size < 1024) continue;
      expect(br.headers["content-encoding"], a).to.equal("br");
      expect(gz.headers["content-encoding"], a).to.equal("gzip");
      expect(br.size, `${a} compressed`).to.be.below(plain.size / 2);
    }
    const json = await raw(`${server.url}/api/trace/batches/${recalled.batch.batchId}`, "br, gzip");
    expect(json.headers["content-encoding"]).to.equal("br");
  });
});
