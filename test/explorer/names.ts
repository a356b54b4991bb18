/**
 * Names instead of hex, in Chromium over the demo's chain (issue 20, "Hex where a name exists" and "Codes cannot
 * be searched"): charity projects, the relief programme, its period and project, 新会陈皮 on its own box's page
 * and places by name with their GLN; search finds every code and name of the issue, in any case, and the
 * GTIN-13 as well as the GTIN-14.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

import { expect } from "chai";
import type { JsonRpcProvider } from "ethers";
import { type Browser, type Page } from "playwright-core";

import Samples from "../../deploy/organisations/jiangmen.json" with { type: "json" };
import { requireCharity, requireRelief, type Deployment } from "../../src/deployment.js";
import { DISTRICT_PROJECT_NAME, PROJECT_NAME } from "../../src/dev/charity-story.js";
import {
  PERIOD,
  PROGRAMME_CODE,
  PROGRAMME_NAME,
  PROJECT_CODE as RELIEF_PROJECT_CODE,
  PROJECT_NAME as RELIEF_PROJECT_NAME,
} from "../../src/dev/relief-story.js";
import { PLACES, PLACE_NAMES, PRODUCT_NAMES, PRODUCTS } from "../../src/dev/trace-story.js";
import type { CharityProjectDetail, PublicNameIndex, SearchHit } from "../../src/indexer/api-types.js";
import { startExplorer, type RunningExplorer } from "../../src/indexer/server.js";
import { batchIdOf, formatGln } from "../../src/trace/vocabulary.js";
import { ensureExplorerBuilt, launchChromium } from "../helpers/browser.js";
import { ROOT } from "../helpers/cli.js";
import { sharedDemo } from "../helpers/shared-demo.js";

const account = (name: string) => Samples.organisations.find((o) => o.name === name)!.account;
/** A 0x id as text on a page (a short id like `0xf0dc…` included). */
const HEX_ID = /0x[0-9a-fA-F]{4,}/;

describe("explorer: public names instead of ids, and search by code and name", function () {
  // The first explorer file to ask runs the demo (minutes; over ten on a loaded two-core machine).
  this.timeout(1_500_000);
  let provider: JsonRpcProvider;
  let d: Deployment;
  let server: RunningExplorer;
  let browser: Browser;
  let floodId: string;
  let programmeId: string;
  let driedLot: string;
  const shots = join(ROOT, "test-results", "explorer-names");

  before(async function () {
    ({ provider, deployment: d } = await sharedDemo());
    await ensureExplorerBuilt();
    await mkdir(shots, { recursive: true });
    server = await startExplorer({ provider, deployment: d, location: {}, rateLimit: 100_000 });
    browser = await launchChromium();
    floodId = (await requireCharity(d).projectIdOf(account("江门市慈善会"), "JM-FLOOD-2026")).toLowerCase();
    const finance = (await requireRelief(d).programme(await requireRelief(d).programmeIdAt(1))).finance;
    programmeId = (await requireRelief(d).programmeIdOf(finance, PROGRAMME_CODE)).toLowerCase();
    driedLot = batchIdOf(PRODUCTS.chenpi, "XHCP-2026-D01");
  });
  after(async function () {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}${path}`);
    await page.waitForSelector("main.page");
    await page.waitForFunction(() => document.querySelector('[data-testid="loading"]') === null);
    expect(errors, `errors in the page ${path}`).to.deep.equal([]);
    return page;
  }
  const api = async <T>(path: string): Promise<T> => (await (await fetch(`${server.url}/api${path}`)).json()) as T;

  it("lists every public code and name the demo registered (GET /api/names)", async function () {
    const names = await api<PublicNameIndex>("/names");
    const byCode = (code: string) => names.records.find((r) => r.code === code);
    expect(byCode("JM-FLOOD-2026")).to.deep.include({ kind: "charity-project", id: floodId, name: PROJECT_NAME });
    expect(byCode("PJ-RECOVERY-2026")?.name).to.equal(DISTRICT_PROJECT_NAME);
    expect(byCode(PROGRAMME_CODE)).to.deep.include({ kind: "programme", id: programmeId, name: PROGRAMME_NAME });
    expect(byCode(RELIEF_PROJECT_CODE)).to.deep.include({
      kind: "relief-project",
      programmeId,
      name: RELIEF_PROJECT_NAME,
    });
    expect(byCode(PRODUCTS.chenpi.padStart(14, "0"))?.name).to.equal(PRODUCT_NAMES.chenpi);
    expect(names.periods).to.deep.include({ programmeId, ...PERIOD });
    for (const [key, gln] of Object.entries(PLACES)) {
      const place = names.locations.find((l) => l.gln === formatGln(gln));
      expect(place?.name, key).to.equal(PLACE_NAMES[key as keyof typeof PLACES]);
      expect(place?.gln, key).to.match(/^\d{13}$/);
    }
  });

  it("shows charity projects by name on the list, on the project's page and in its flow chart, not as 0x ids", async function () {
    const list = await open("/charity");
    await list.getByTestId("project-name").filter({ hasText: PROJECT_NAME }).waitFor();
    const names = await list.getByTestId("project-name").allTextContents();
    expect(names).to.include.members([PROJECT_NAME, DISTRICT_PROJECT_NAME]);
    for (const n of names) expect(n).not.to.match(HEX_ID);
    await list.screenshot({ path: join(shots, "charity.png"), fullPage: true });
    await list.close();

    const page = await open(`/charity/project/${floodId}`);
    const title = (await page.locator("h1").textContent()) ?? "";
    expect(title).to.include(PROJECT_NAME).and.include("JM-FLOOD-2026");
    expect(title).not.to.match(HEX_ID);
    await page.screenshot({ path: join(shots, "charity-project.png"), fullPage: true });
    await page.close();
    const detail = await api<CharityProjectDetail>(`/charity/projects/${floodId}`);
    expect(detail).to.deep.include({ code: "JM-FLOOD-2026", name: PROJECT_NAME });
    const nodes = detail.sankey.nodes.filter((n) => n.kind === "project" || n.kind === "grant").map((n) => n.name);
    expect(nodes).to.include(`project ${PROJECT_NAME}`);
    for (const n of nodes) expect(n).not.to.match(HEX_ID);
  });

  it("shows the relief programme, its period and its project by name, in the list, the page and the tree", async function () {
    const list = await open("/relief");
    const programme = list.getByTestId("programme-name").filter({ hasText: PROGRAMME_NAME });
    await programme.waitFor();
    expect(await programme.textContent()).not.to.match(HEX_ID);
    await list.close();

    const page = await open(`/relief/programme/${programmeId}`);
    expect(await page.getByTestId("programme-title").textContent()).to.equal(PROGRAMME_NAME);
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).to.include(PROGRAMME_CODE).and.include(PERIOD.name);
    const project = page.getByTestId("relief-project-name").filter({ hasText: RELIEF_PROJECT_NAME });
    await project.waitFor();
    expect(await project.textContent())
      .to.include(RELIEF_PROJECT_CODE)
      .and.not.match(HEX_ID);
    await page.screenshot({ path: join(shots, "programme.png"), fullPage: true });
    await page.close();
  });

  it("names 新会陈皮 on its own box's page and every place by name with its 13-digit GLN", async function () {
    // Box XHCP-2026-B001 went from the drying yard through the cold-chain warehouse to the supermarket.
    const page = await open(`/batch/${batchIdOf(PRODUCTS.chenpi, "XHCP-2026-B001")}`);
    expect(await page.getByTestId("batch-product").textContent()).to.include(PRODUCT_NAMES.chenpi);
    const places = await page.getByTestId("step-place").allTextContents();
    expect(places.length).to.be.greaterThan(0);
    for (const p of places) expect(p).to.match(/GLN \d{13}/);
    const shown = places.join(" ");
    for (const key of ["dryingYard", "warehouse", "supermarket"] as const) {
      expect(shown).to.include(PLACE_NAMES[key]).and.include(formatGln(PLACES[key]));
    }
    await page.screenshot({ path: join(shots, "batch.png"), fullPage: true });
    await page.close();
  });

  const searches: [string, (h: SearchHit) => boolean][] = [
    ["JM-FLOOD-2026", (h) => h.path === `/charity/project/${floodId}`],
    ["jm-flood-2026", (h) => h.path === `/charity/project/${floodId}`],
    [PROGRAMME_CODE, (h) => h.path === `/relief/programme/${programmeId}`],
    [PROGRAMME_CODE.toLowerCase(), (h) => h.path === `/relief/programme/${programmeId}`],
    ["XHCP-2026-D01", (h) => h.path === `/batch/${driedLot}`],
    ["xhcp-2026-d01", (h) => h.path === `/batch/${driedLot}`],
    [PRODUCTS.chenpi, (h) => h.kind === "product" && h.path.includes(PRODUCTS.chenpi.padStart(14, "0"))],
    [PRODUCTS.chenpi.padStart(14, "0"), (h) => h.kind === "product" && h.label.includes(PRODUCT_NAMES.chenpi)],
    [PRODUCT_NAMES.chenpi, (h) => h.kind === "product"],
    [PLACE_NAMES.warehouse, (h) => h.kind === "location" && h.label.includes(formatGln(PLACES.warehouse))],
    [formatGln(PLACES.supermarket), (h) => h.kind === "location" && h.label.includes(PLACE_NAMES.supermarket)],
    [PROJECT_NAME, (h) => h.path === `/charity/project/${floodId}`],
  ];
  for (const [q, found] of searches) {
    it(`finds ${q} from the search box`, async function () {
      const hits = await api<SearchHit[]>(`/search?q=${encodeURIComponent(q)}`);
      const hit = hits.find(found);
      expect(hit, JSON.stringify(hits)).not.to.equal(undefined);
      const page = await open("/");
      await page.getByTestId("search-input").fill(q);
      await page.getByTestId("search-input").press("Enter");
      // One hit opens its page; several are listed, with this one among them.
      await page.waitForFunction(
        (path) =>
          location.pathname + location.search === path || document.querySelector(`.hits a[href="${path}"]`) !== null,
        hit!.path,
      );
      await page.close();
    });
  }

  it("opens a product's batches from its GTIN-13, named", async function () {
    const page = await open(`/trace?product=${PRODUCTS.chenpi}`);
    expect(await page.getByTestId("product-filter").textContent()).to.include(PRODUCT_NAMES.chenpi);
    const lots = await page.locator('[data-testid="batch-table"] tbody tr').count();
    expect(lots).to.be.greaterThan(1);
    expect(await page.locator('[data-testid="batch-table"]').textContent()).to.include("XHCP-2026-D01");
    await page.close();
  });
});
