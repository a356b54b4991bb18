/**
 * The documents page finds a document by its SHA-256 as well as its keccak-256 (issue 20, item 10), in Chromium
 * over the demo's chain (test/helpers/shared-demo.ts). The charity that anchored the waybill of the water sent to
 * the hospital (keccak-256 of "waybill 88") binds the file's SHA-256 on DocumentDigests; another charity binds a
 * forged SHA-256 to the same document. What the page shows is checked against what an independent client
 * computes from raw logs (plain ethers, the compiler's ABI): a SHA-256 leads to the records of its binder only.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { expect } from "chai";
import { Interface, id, type InterfaceAbi, type JsonRpcProvider } from "ethers";
import { type Browser, type Page } from "playwright-core";

import { legacyOverrides } from "../../src/chain.js";
import { DEMO_ACCOUNTS } from "../../src/dev/charity-story.js";
import { bindFileDigests } from "../../src/documents/digests.js";
import { type Deployment } from "../../src/deployment.js";
import { EXPLORER_DIST, startExplorer, type RunningExplorer } from "../../src/indexer/server.js";
import { ensureExplorerBuilt, launchChromium } from "../helpers/browser.js";
import { ROOT } from "../helpers/cli.js";
import { sharedDemo } from "../helpers/shared-demo.js";

const sha256 = (text: string) => "0x" + createHash("sha256").update(text).digest("hex");

describe("the documents page finds a document by SHA-256 (bound on chain) or keccak-256", function () {
  this.timeout(900_000);
  let provider: JsonRpcProvider;
  let d: Deployment;
  let server: RunningExplorer;
  let browser: Browser;
  const WAYBILL = "waybill 88";
  const keccak = id(WAYBILL);
  const trueSha = sha256(WAYBILL);
  const forgedSha = sha256("a forged waybill 88");

  const abi = async (path: string) =>
    (JSON.parse(await readFile(join(ROOT, "artifacts/contracts", path), "utf8")) as { abi: InterfaceAbi }).abi;

  /**
   * What an independent client computes: the bindings naming `hash` (DigestsBound logs), and the transactions of
   * the charity ledger whose events carry a bound keccak-256 and that the binder itself sent.
   */
  async function expected(hash: string): Promise<{ txs: string[]; anchorers: Map<string, boolean> }> {
    const digests = new Interface(await abi("documents/DocumentDigests.sol/DocumentDigests.json"));
    const ledger = new Interface(await abi("charity/CharityLedger.sol/CharityLedger.json"));
    const bindings = (await provider.getLogs({ address: d.addresses.DocumentDigests!, fromBlock: 0 }))
      .map((l) => digests.parseLog(l)!)
      .filter((p) => p.name === "DigestsBound" && (p.args[0] === hash || p.args[1] === hash));
    const ledgerLogs = await provider.getLogs({ address: d.addresses.CharityLedger!, fromBlock: 0 });
    const txs = new Set<string>();
    const anchorers = new Map<string, boolean>();
    for (const b of bindings) {
      const [k, s, by] = [b.args[0] as string, b.args[1] as string, b.args[2] as string];
      const carrying = ledgerLogs.filter((l) => {
        const p = ledger.parseLog(l);
        return p !== null && p.args.toArray().some((v) => String(v).toLowerCase() === k);
      });
      let anchored = false;
      for (const l of carrying) {
        const from = (await provider.getTransaction(l.transactionHash))!.from;
        if (from !== by) continue;
        anchored = true;
        if (s === hash) txs.add(l.transactionHash);
      }
      anchorers.set(by, anchored);
    }
    return { txs: [...txs].sort(), anchorers };
  }

  async function open(path: string): Promise<{ page: Page; sent: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}${path}`);
    await page.waitForSelector("main.page");
    expect(errors, `errors in the page ${path}`).to.deep.equal([]);
    const sent: string[] = [];
    page.on("request", (r) => sent.push(decodeURIComponent(r.url())));
    return { page, sent };
  }
  const paste = async (page: Page, value: string) => {
    await page.getByTestId("document-hash-input").fill(value);
    await page.getByTestId("document-hash-submit").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="loading"]') === null);
    await page.locator('[data-testid="document-records"], [data-testid="document-none"]').first().waitFor();
  };
  const shownTxs = async (page: Page) =>
    [
      ...new Set(
        (await page
          .locator('[data-testid="document-records"] a[href^="/tx/"]')
          .evaluateAll((as) => as.map((a) => a.getAttribute("href")!.slice("/tx/".length)))) as string[],
      ),
    ].sort();
  const bindingsShown = async (page: Page) =>
    page
      .getByTestId("document-binding")
      .evaluateAll((lis) => lis.map((li) => [li.textContent ?? "", li.getAttribute("data-anchorer"), li.className]));

  before(async function () {
    const demo = await sharedDemo();
    ({ provider, deployment: d } = demo);
    // The charity that dispatched the water binds the waybill's SHA-256; another charity, first, a forged one.
    const o = await legacyOverrides(provider);
    const attacker = await provider.getSigner(DEMO_ACCOUNTS.districtCharity);
    await bindFileDigests(d, attacker, [{ keccak256: keccak, sha256: forgedSha }], o);
    await bindFileDigests(
      d,
      await provider.getSigner(DEMO_ACCOUNTS.charity),
      [{ keccak256: keccak, sha256: trueSha }],
      o,
    );
    await ensureExplorerBuilt();
    server = await startExplorer({
      provider,
      deployment: d,
      location: {},
      rateLimit: 100_000,
      explorerDir: EXPLORER_DIST,
    });
    // The index has caught up with both bindings.
    for (let i = 0; ; i++) {
      const r = (await (await fetch(`${server.url}/api/documents/${keccak}`)).json()) as { bindings?: unknown[] };
      if ((r.bindings?.length ?? 0) >= 2) break;
      if (i > 120) throw new Error("the index did not catch up with the bindings");
      await new Promise((f) => setTimeout(f, 500));
    }
    browser = await launchChromium();
  });
  after(async function () {
    await browser?.close();
    await server?.close();
  });

  it("finds the waybill's records by its SHA-256 pasted alone, says it matched as SHA-256 and who bound it", async function () {
    const want = await expected(trueSha);
    expect(want.txs.length, "the dispatch anchoring the waybill").to.be.greaterThan(0);
    const { page } = await open("/documents");
    await paste(page, trueSha.slice(2).toUpperCase());
    expect(await page.getByTestId("document-matched").textContent()).to.include("SHA-256");
    expect(await page.getByTestId("document-matched").textContent()).not.to.include("keccak-256（");
    expect(await shownTxs(page)).to.deep.equal(want.txs);
    const shown = await bindingsShown(page);
    expect(shown).to.have.length(1);
    expect(shown[0]![0]).to.include(trueSha).and.include(keccak);
    expect(shown[0]![1]).to.equal("yes");
    expect(want.anchorers.get(DEMO_ACCOUNTS.charity)).to.equal(true);
    await page.screenshot({ path: join(ROOT, "test-results", "explorer", "documents-sha256.png"), fullPage: true });
    await page.close();
  });

  it("finds nothing by a forged SHA-256 another organisation bound to the document, and shows that binding as its word only", async function () {
    const want = await expected(forgedSha);
    expect(want.txs).to.deep.equal([]);
    expect(want.anchorers.get(DEMO_ACCOUNTS.districtCharity)).to.equal(false);
    const { page } = await open("/documents");
    await paste(page, forgedSha);
    await page.getByTestId("document-none").waitFor();
    expect(await page.getByTestId("document-matched").count()).to.equal(0);
    const shown = await bindingsShown(page);
    expect(shown).to.have.length(1);
    expect(shown[0]![0]).to.include(forgedSha);
    expect(shown[0]![1]).to.equal("no");
    expect(shown[0]![2]).to.include("bad");
    await page.close();
  });

  it("fits the SHA-256 answer, its bindings and records in a phone's width", async function () {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/documents?hash=${trueSha}`);
    await page.getByTestId("document-records").waitFor();
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).to.be.at.most(390);
    await page.screenshot({
      path: join(ROOT, "test-results", "explorer", "documents-sha256-phone.png"),
      fullPage: true,
    });
    await page.close();
  });

  it("with the file chosen, holds every binding of its keccak-256 against the SHA-256 computed in the browser", async function () {
    const { page, sent } = await open("/documents");
    await page
      .getByTestId("document-file")
      .setInputFiles({ name: "waybill-88.txt", mimeType: "text/plain", buffer: Buffer.from(WAYBILL, "utf8") });
    await page.getByTestId("document-records").waitFor();
    expect(await page.getByTestId("document-sha256").textContent()).to.equal(trueSha);
    expect(await page.getByTestId("document-matched").textContent()).to.include("keccak-256");
    const shown = await bindingsShown(page);
    expect(
      shown.map(([text, anchorer, cls]) => [text.includes(trueSha), anchorer, cls.includes("bad")]),
    ).to.have.deep.members([
      [true, "yes", false],
      [false, "no", true],
    ]);
    // Nothing of the file but its keccak-256 leaves the browser.
    expect(sent.filter((u) => u.includes(WAYBILL) || u.includes(trueSha.slice(2)))).to.deep.equal([]);
    await page.close();
  });
});
