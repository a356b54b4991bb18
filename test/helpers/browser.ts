/**
 * The explorer in Chromium for the tests that drive it: the built explorer (built once if missing) and Debian's
 * Chromium through playwright-core, with the flags this machine needs (never `npx playwright install`).
 */
import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

import { chromium, type Browser } from "playwright-core";

import { EXPLORER_DIST } from "../../src/indexer/server.js";
import { ROOT } from "./cli.js";

const exec = promisify(execFile);

/** Builds the explorer into explorer/dist unless `npm run explorer:build` already did. */
export async function ensureExplorerBuilt(): Promise<void> {
  try {
    await access(join(EXPLORER_DIST, "index.html"));
  } catch {
    await exec("npx", ["vite", "build", "explorer", "--logLevel", "warn"], { cwd: ROOT });
  }
}

/** Debian's Chromium, headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}
