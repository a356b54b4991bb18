/**
 * The explorer's exports and self-checks in Chromium (playwright-core, /usr/bin/chromium), on the demo's
 * chain (test/helpers/shared-demo.ts):
 * - a charity project's and a relief programme's flows, downloaded as CSV and parsed, add up to the
 *   figures the page shows;
 * - a household's receipt code from the village's payment notice finds its payment (amount, programme,
 *   period, approving department), and the code never leaves the browser: only its hash is requested;
 * - an ID number or a phone number typed into the search box is refused in the browser, with no request;
 * - the documents page computes a file's SHA-256 beside its keccak-256 locally and finds its records;
 * - the API's OpenAPI description is linked from the footer and listed.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";

import { expect } from "chai";
import { type Browser, type Page } from "playwright-core";

import { reliefReceiptHash } from "../../src/relief/receipt-code.js";
import { EXPLORER_DIST, startExplorer, type RunningExplorer } from "../../src/indexer/server.js";
import { ensureExplorerBuilt, launchChromium } from "../helpers/browser.js";
import { ROOT } from "../helpers/cli.js";
import { sharedDemo, type SharedDemo } from "../helpers/shared-demo.js";
import { statText } from "../helpers/stat-text.js";

/** RFC 4180 CSV (quoted fields, CRLF), BOM removed. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** "2000.00" or "¥2,000.00" → 200000n */
const fen = (yuan: string) => {
  const [whole = "0", cents = ""] = yuan.replace(/[¥,\s]/g, "").split(".");
  return BigInt(whole) * 100n + BigInt(cents.padEnd(2, "0"));
};

describe("explorer exports and self-checks in Chromium", function () {
  this.timeout(1_500_000);
  let demo: SharedDemo;
  let server: RunningExplorer;
  let browser: Browser;
  const shots = join(ROOT, "test-results", "explorer");

  before(async function () {
    demo = await sharedDemo();
    await ensureExplorerBuilt();
    await mkdir(shots, { recursive: true });
    server = await startExplorer({
      provider: demo.provider,
      deployment: demo.deployment,
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

  async function open(path: string): Promise<{ page: Page; sent: string[] }> {
    const page = await browser.newPage({ acceptDownloads: true });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}${path}`);
    await page.waitForSelector("main.page");
    await page.waitForFunction(() => document.querySelector('[data-testid="loading"]') === null);
    expect(errors, `errors in the page ${path}`).to.deep.equal([]);
    const sent: string[] = [];
    page.on("request", (r) => sent.push(decodeURIComponent(r.url()) + (r.postData() ?? "")));
    return { page, sent };
  }
  /** A headline figure; an amount shown in 万元 is read exactly from its `data-exact`. */
  const stat = statText;
  const api = async <T>(path: string) => (await (await fetch(`${server.url}/api${path}`)).json()) as T;
  async function download(page: Page): Promise<{ name: string; rows: string[][]; raw: string }> {
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("flows-csv").click()]);
    const raw = await readFile((await file.path())!, "utf8");
    return { name: file.suggestedFilename(), rows: parseCsv(raw), raw };
  }

  it("downloads a charity project's flows as CSV whose rows add up to the page's figures, goods included", async function () {
    const projects = await api<{ projectId: string; donations: number }[]>("/charity/projects");
    const main = [...projects].sort((a, b) => b.donations - a.donations)[0]!;
    const { page } = await open(`/charity/project/${main.projectId}`);
    const received = fen(await stat(page, "project-received"));
    const balance = fen(await stat(page, "project-balance"));
    const { name, rows, raw } = await download(page);
    expect(raw.charCodeAt(0), "UTF-8 byte-order mark").to.equal(0xfeff);
    expect(raw).to.include("\r\n");
    expect(name).to.match(/^project-[0-9a-f]{8}-flows-zh\.csv$/);
    const header = rows[1]!;
    expect(header.slice(0, 6)).to.deep.equal(["类型", "日期（北京时间）", "区块", "来源", "去向", "金额（元）"]);
    const col = (h: string) => header.indexOf(h);
    const body = rows.slice(
      2,
      rows.findIndex((r, i) => i > 1 && r.length === 1 && r[0] === ""),
    );
    const sum = (kind: string) =>
      body.filter((r) => r[col("类型")] === kind).reduce((s, r) => s + fen(r[col("金额（元）")]!), 0n);
    expect(body.filter((r) => r[col("类型")] === "捐赠")).to.have.length(main.donations);
    expect(sum("捐赠")).to.equal(received);
    const totals = rows.slice(rows.findIndex((r) => r[0] === "合计"));
    const total = (label: string) => fen(totals.find((r) => r[0] === label)![1]!);
    expect(total("累计收到捐赠")).to.equal(received);
    expect(total("结余")).to.equal(balance);
    expect(
      total("累计收到捐赠") +
        total("转入资助") -
        total("项目支出") -
        total("管理费用") -
        total("转出资助") -
        total("冲正退款"),
    ).to.equal(balance);
    // Every hop of the money has its recipient by name; goods: 500 cases in, 300 to the hospital, confirmed.
    expect(body.filter((r) => r[col("类型")] === "拨付").every((r) => r[col("去向")] !== "")).to.equal(true);
    const lot = body.find((r) => r[col("类型")] === "物资入库")!;
    expect([lot[col("数量")], lot[col("单位")]]).to.deep.equal(["500", "箱"]);
    const dispatch = body.find((r) => r[col("类型")] === "物资发放")!;
    expect([dispatch[col("去向")], dispatch[col("数量")], dispatch[col("状态")]]).to.deep.equal([
      "江门市中心医院",
      "300",
      "已确认",
    ]);
    await page.close();
  });

  it("downloads a relief programme's flows as CSV: appropriated and paid match the page, no household named", async function () {
    const [programme] = await api<{ programmeId: string }[]>("/relief/programmes");
    const { page } = await open(`/relief/programme/${programme!.programmeId}`);
    const appropriated = fen(await stat(page, "programme-appropriated"));
    const disbursed = fen(await stat(page, "programme-disbursed"));
    const { rows } = await download(page);
    const header = rows[1]!;
    const col = (h: string) => header.indexOf(h);
    const body = rows.slice(
      2,
      rows.findIndex((r, i) => i > 1 && r.length === 1 && r[0] === ""),
    );
    const paid = body
      .filter((r) => ["受益户补助", "项目付款"].includes(r[col("类型")]!) && r[col("状态")] === "已审批")
      .reduce((s, r) => s + fen(r[col("金额（元）")]!), 0n);
    expect(paid).to.equal(disbursed);
    const appropriations = body
      .filter((r) => r[col("类型")] === "预算下达")
      .reduce((s, r) => s + fen(r[col("金额（元）")]!), 0n);
    expect(appropriations).to.equal(appropriated);
    const totals = rows.slice(rows.findIndex((r) => r[0] === "合计"));
    expect(fen(totals.find((r) => r[0] === "预算总额")![1]!)).to.equal(appropriated);
    expect(fen(totals.find((r) => r[0] === "已支付")![1]!)).to.equal(disbursed);
    // Households appear by village, period and amount only.
    const households = body.filter((r) => r[col("类型")] === "受益户补助");
    expect(households.length).to.be.greaterThan(40);
    expect(new Set(households.map((r) => r[col("去向")]))).to.deep.equal(new Set(["受益户（不公开）"]));
    expect(body.some((r) => r[col("类型")] === "资金下拨" && r[col("去向")] === "台山市斗山镇浮石村民委员会")).to.equal(
      true,
    );
    await page.close();
  });

  it("finds a household's payment by the receipt code on its notice, sending only the code's hash", async function () {
    const notice = demo.demo.paymentNotice;
    const { page, sent } = await open("/");
    await page.getByTestId("search-input").fill(notice.receiptCode.toLowerCase().replaceAll("-", " "));
    await page.getByTestId("search-input").press("Enter");
    await page.getByTestId("receipt").waitFor();
    expect(fen((await page.getByTestId("receipt-amount").textContent()) ?? "")).to.equal(fen(notice.amountYuan));
    expect(await page.getByTestId("receipt-programme").textContent()).to.equal(notice.programme);
    expect(await page.getByTestId("receipt-period").textContent()).to.include(notice.period);
    expect(await page.getByTestId("receipt-approver").textContent()).to.equal("江门市乡村振兴局");
    expect(await page.getByTestId("receipt-status").textContent()).to.equal("已审批");
    await page.screenshot({ path: join(shots, "relief-receipt.png"), fullPage: true });
    const hash = reliefReceiptHash(notice.receiptCode);
    expect(sent.some((u) => u.includes(`/api/relief/receipts/${hash}`))).to.equal(true);
    const secret = notice.receiptCode.replaceAll("-", "").slice(2, 18);
    expect(sent.filter((u) => u.toUpperCase().replaceAll(/[-\s]/g, "").includes(secret))).to.deep.equal([]);
    expect(page.url()).to.not.include(secret);
    // A mistyped code is refused in the browser too.
    const wrong = notice.receiptCode.slice(0, -1) + (notice.receiptCode.endsWith("0") ? "1" : "0");
    const before = sent.length;
    await page.getByTestId("search-input").fill(wrong);
    await page.getByTestId("search-input").press("Enter");
    await page.getByTestId("search-input-refusal").waitFor();
    expect(sent.slice(before).filter((u) => !/\/api\/status$/.test(u))).to.deep.equal([]);
    await page.close();
  });

  it("refuses an ID number or a phone number in the search box with a sentence, and sends no request", async function () {
    const { page, sent } = await open("/");
    for (const typed of ["44078119800101123X", "440781 19800101 1234", "138 1234 5678"]) {
      const url = page.url();
      await page.getByTestId("search-input").fill(typed);
      await page.getByTestId("search-input").press("Enter");
      const refusal = page.getByTestId("search-input-refusal");
      await refusal.waitFor();
      expect(await refusal.textContent()).to.match(/身份证号.*不会把它们发送出去/);
      expect(await page.getByTestId("search-input").inputValue(), "the number is not kept in the box").to.equal("");
      await page.waitForTimeout(300);
      expect(page.url()).to.equal(url);
    }
    // Only the page's own background poll (the finality banner's /api/status) may run meanwhile.
    expect(
      sent.filter((u) => !/\/api\/status$/.test(u)),
      "no request carries the number: not to the API, not for a page",
    ).to.deep.equal([]);
    await page.screenshot({ path: join(shots, "search-refuses-id.png") });
    await page.close();

    // A search URL made by hand does not reach the API either.
    const { page: other, sent: otherSent } = await open("/search?q=44078119800101123X");
    await other.getByTestId("search-refusal").waitFor();
    await other.waitForTimeout(300);
    expect(otherSent.filter((u) => u.includes("/api/search"))).to.deep.equal([]);
    await other.close();
  });

  it("hashes a file with SHA-256 and keccak-256 in the browser and finds the records anchoring it", async function () {
    const { page, sent } = await open("/documents");
    // The demo anchors the waybill of the water sent to the hospital by keccak-256 of this text.
    const content = Buffer.from("waybill 88", "utf8");
    await page
      .getByTestId("document-file")
      .setInputFiles({ name: "waybill-88.txt", mimeType: "text/plain", buffer: content });
    await page.getByTestId("document-records").waitFor();
    const sha = "0x" + createHash("sha256").update(content).digest("hex");
    expect(await page.getByTestId("document-sha256").textContent()).to.equal(sha);
    await page.getByTestId("document-sha256-input").fill(sha.slice(2).toUpperCase());
    expect(await page.getByTestId("document-sha256-match").textContent()).to.match(/^✓/);
    await page.getByTestId("document-sha256-input").fill("ab".repeat(32));
    expect(await page.getByTestId("document-sha256-match").textContent()).to.match(/^✗/);
    expect(sent.filter((u) => u.includes("waybill 88") || u.includes(sha.slice(2)))).to.deep.equal([]);
    expect(await page.getByTestId("document-sha-note").textContent()).to.match(/keccak-256.*SHA-256/);
    await page.close();
  });

  it("links the API's OpenAPI description from the footer and the home page, listing the export routes", async function () {
    const { page } = await open("/");
    expect(await page.getByTestId("home-api").getAttribute("href")).to.equal("/api-docs");
    await page.getByTestId("footer-api").click();
    await page.getByTestId("api-routes").waitFor();
    const listed = (await page.getByTestId("api-routes").textContent()) ?? "";
    expect(listed).to.include("/api/charity/projects/{id}/flows.csv");
    expect(listed).to.include("/api/relief/programmes/{id}/flows.csv");
    expect(listed).to.include("/api/relief/receipts/{hash}");
    const doc = await api<{ openapi: string }>("/openapi.json");
    expect(doc.openapi).to.match(/^3\./);
    await page.close();
  });
});
