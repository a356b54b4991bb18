/**
 * How soon the public's two landing pages show their answer, in Chromium: the QR page of a recalled batch
 * (the recall warning, the lot and its quantity) and a donation's page opened by its receipt code (the
 * donation's status and amount). Desktop (1366×900, no throttling) and a phone (390×844) on Lighthouse's
 * Slow 4G: 400 ms round trip, 400 kbit/s down and up (CDP Network.emulateNetworkConditions) and a 4× slower
 * CPU (Emulation.setCPUThrottlingRate). Each figure is the median of 5 cold loads (a new browser context, the
 * cache disabled).
 *
 * "Main content" is the time from navigation start to the first animation frame after every element of the
 * page's answer is in the document and visible; whether it lies within the first screen is recorded beside it.
 *
 * `npx tsx bench/render.ts [--label before] [--source <commit>] [--no-build]`: the label names the run in bench/results/render.json, which keeps
 * the latest run of every label (so that a "before" measured on an older build stays beside the current one).
 * Runs the demo on its own Anvil chain (a few minutes) unless ZHIXIN_BENCH_CHAIN_URL names a chain the demo
 * has run on (with its receipt code in ZHIXIN_BENCH_RECEIPT_CODE).
 */
import { execFileSync } from "node:child_process";
import { access } from "node:fs/promises";
import { join } from "node:path";

import { JsonRpcProvider } from "ethers";
import { chromium, type Browser, type BrowserContextOptions } from "playwright-core";

import { loadDeployment } from "../src/deployment.js";
import { FetchJsonRpcProvider } from "../src/indexer/rpc.js";
import { EXPLORER_DIST, startExplorer } from "../src/indexer/server.js";
import { startLocalChain, type LocalChain } from "../test/helpers/cli.js";
import { runDemoOn } from "../test/helpers/demo.js";
import { readResult, ROOT, writeResult } from "./lib/common.js";

const LOADS = 5;
const label = (() => {
  const i = process.argv.indexOf("--label");
  return i < 0 ? "current" : (process.argv[i + 1] ?? "current");
})();

/** Lighthouse's "Slow 4G" as the brief of issue 20 gives it. */
export const SLOW_4G = { latencyMs: 400, kbitPerSecond: 400, cpuSlowdown: 4 } as const;

interface Profile {
  readonly name: "desktop" | "phone";
  readonly context: BrowserContextOptions;
  readonly throttled: boolean;
}
const PROFILES: Profile[] = [
  { name: "desktop", context: { viewport: { width: 1366, height: 900 } }, throttled: false },
  {
    name: "phone",
    context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 },
    throttled: true,
  },
];

export interface Load {
  readonly mainContentMs: number;
  readonly inFirstScreen: boolean;
  readonly domContentLoadedMs: number;
  /** When the page's own data request started (absent: the data came with the HTML). */
  readonly dataRequestStartMs?: number;
  readonly requests: number;
  /** Bytes on the wire (headers and compressed bodies). */
  readonly bytes: number;
}

export interface PageResult {
  readonly page: "batch" | "donation";
  readonly profile: Profile["name"];
  readonly path: string;
  readonly loads: Load[];
  readonly medianMs: number;
}

export interface RenderRun {
  readonly label: string;
  readonly commit: string;
  readonly date: string;
  readonly results: PageResult[];
}

export interface RenderResults {
  readonly slow4g: typeof SLOW_4G;
  readonly loads: number;
  readonly runs: Record<string, RenderRun>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Records in `window.__mainContent` when every selector's element is first in the document and visible. */
const WATCH = `(() => {
  const sels = SELECTORS;
  let seen = false;
  const visible = (s) => {
    const e = document.querySelector(s);
    if (e === null) return undefined;
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return undefined;
    return r.bottom <= innerHeight;
  };
  const check = () => {
    if (seen) return;
    const all = sels.map(visible);
    if (all.some((v) => v === undefined)) return;
    seen = true;
    observer.disconnect();
    requestAnimationFrame(() => {
      window.__mainContent = { ms: performance.now(), inFirstScreen: all.every((v) => v === true) };
    });
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  document.addEventListener("DOMContentLoaded", check);
})();`;

async function measure(browser: Browser, url: string, profile: Profile, selectors: string[]): Promise<Load> {
  const context = await browser.newContext(profile.context);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    if (profile.throttled) {
      const bytesPerSecond = (SLOW_4G.kbitPerSecond * 1000) / 8;
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: SLOW_4G.latencyMs,
        downloadThroughput: bytesPerSecond,
        uploadThroughput: bytesPerSecond,
      });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: SLOW_4G.cpuSlowdown });
    }
    let requests = 0;
    let bytes = 0;
    cdp.on("Network.requestWillBeSent", () => requests++);
    cdp.on("Network.loadingFinished", (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));
    // A string, not a function: tsx would wrap the function's inner functions in a helper the page lacks.
    await page.addInitScript(WATCH.replace("SELECTORS", JSON.stringify(selectors)));
    await page.goto(url, { waitUntil: "commit", timeout: 60_000 });
    const main = (await (
      await page
        .waitForFunction(() => (window as { __mainContent?: unknown }).__mainContent, undefined, {
          timeout: 60_000,
          polling: 50,
        })
        .catch(async (e: Error) => {
          const seen = await page.evaluate(() =>
            [...document.querySelectorAll("[data-testid]")].map((x) => x.getAttribute("data-testid")).join(" "),
          );
          throw new Error(`${url}: no main content (${selectors.join(", ")}); the page holds ${seen}: ${e.message}`);
        })
    ).jsonValue()) as { ms: number; inFirstScreen: boolean };
    await page.waitForLoadState("load");
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      const data = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).find((r) =>
        /\/api\/(trace\/batches|charity\/donations)\//.test(r.name),
      );
      return { dcl: nav?.domContentLoadedEventEnd ?? 0, data: data?.startTime };
    });
    return {
      mainContentMs: Math.round(main.ms),
      inFirstScreen: main.inFirstScreen,
      domContentLoadedMs: Math.round(timing.dcl),
      ...(timing.data != null ? { dataRequestStartMs: Math.round(timing.data) } : {}),
      requests,
      bytes,
    };
  } finally {
    await context.close();
  }
}

const started = Date.now();
// The explorer as this checkout builds it (`--no-build`: the one in explorer/dist).
if (!process.argv.includes("--no-build"))
  execFileSync("npx", ["vite", "build", "explorer", "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
await access(join(EXPLORER_DIST, "index.html"));
let chain: LocalChain | undefined;
let rpcUrl = process.env.ZHIXIN_BENCH_CHAIN_URL;
let receiptCode = process.env.ZHIXIN_BENCH_RECEIPT_CODE;
if (rpcUrl === undefined) {
  chain = await startLocalChain(7850);
  console.log(`demo on chain ${chain.chainId} …`);
  receiptCode = (await runDemoOn(chain)).receiptCode;
  rpcUrl = chain.url();
}
if (receiptCode === undefined) throw new Error("ZHIXIN_BENCH_RECEIPT_CODE is needed with ZHIXIN_BENCH_CHAIN_URL");
const provider = new FetchJsonRpcProvider(rpcUrl, undefined, { batchMaxCount: 100 });
const deployment = await loadDeployment(provider as JsonRpcProvider);
const server = await startExplorer({ provider, deployment, location: {}, rateLimit: 1_000_000 });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
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
  if (recalled === undefined) throw new Error("the demo recalled no batch");
  const pages = [
    {
      page: "batch" as const,
      path: `/batch/${recalled.toLowerCase()}`,
      selectors: ['[data-testid="recall-banner"]', '[data-testid="batch-lot"]', '[data-testid="batch-quantity"]'],
    },
    {
      page: "donation" as const,
      path: `/charity/donation/${encodeURIComponent(receiptCode)}`,
      selectors: ['[data-testid="donation-status"]', '[data-testid="donation-amount"]'],
    },
  ];
  // The build measured as "before" had neither a quantity nor a status element: there the lot heading and the
  // amount figure stand for them.
  const fallback: Record<string, string> = {
    '[data-testid="batch-quantity"]': '[data-testid="batch-lot"]',
    '[data-testid="donation-status"]': '[data-testid="donation-amount"]',
  };
  const probe = await browser.newPage();
  const results: PageResult[] = [];
  for (const profile of PROFILES) {
    for (const p of pages) {
      await probe.goto(server.url + p.path);
      await probe.waitForSelector(p.selectors[1]!, { timeout: 30_000 });
      const selectors: string[] = [];
      for (const s of p.selectors) selectors.push((await probe.$(s)) !== null ? s : fallback[s]!);
      const loads: Load[] = [];
      for (let i = 0; i < LOADS; i++) loads.push(await measure(browser, server.url + p.path, profile, selectors));
      const medianMs = median(loads.map((l) => l.mainContentMs));
      console.log(
        `${profile.name} ${p.page}: main content ${medianMs} ms (${loads.map((l) => l.mainContentMs).join(", ")}),` +
          ` ${loads[0]!.requests} requests, ${Math.round(loads[0]!.bytes / 1024)} KiB`,
      );
      results.push({ page: p.page, profile: profile.name, path: p.path, loads, medianMs });
    }
  }
  await probe.close();
  // `--source <commit>`: the explorer and server were checked out from that commit for this run.
  const source = process.argv[process.argv.indexOf("--source") + 1];
  const commit = process.argv.includes("--source")
    ? `${source} (explorer/, src/indexer/api.ts)`
    : execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim();
  const dirty =
    !process.argv.includes("--source") &&
    execFileSync("git", ["status", "--porcelain", "explorer", "src"], { cwd: ROOT }).toString() !== "";
  const previous = await readResult<RenderResults>("render");
  const runs = {
    ...(previous?.runs ?? {}),
    [label]: { label, commit: dirty ? `${commit}+changes` : commit, date: new Date().toISOString(), results },
  };
  await writeResult("render", started, { slow4g: SLOW_4G, loads: LOADS, runs });
} finally {
  await browser.close();
  await server.close();
  provider.destroy();
  await chain?.dispose();
}
