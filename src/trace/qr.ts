/**
 * QR codes for batches: a consumer scans the code on a box and lands on the explorer's batch
 * page. PNG and SVG through the `qrcode` library; the explorer's base URL is configurable
 * (`--base-url` or ZHIXIN_EXPLORER_URL).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

import QRCode from "qrcode";

import { InvalidInputError } from "../errors.js";

export const DEFAULT_EXPLORER_URL = "http://127.0.0.1:8080";

export function explorerBaseUrl(option?: string): string {
  const v = (option !== undefined && option !== "" ? option : process.env.ZHIXIN_EXPLORER_URL) ?? DEFAULT_EXPLORER_URL;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new InvalidInputError("base URL", v, "must be an absolute http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidInputError("base URL", v, "must be an http or https URL");
  }
  return url.toString().replace(/\/+$/, "");
}

export interface QrFiles {
  readonly url: string;
  readonly png: string;
  readonly svg: string;
}

/** Writes `<name>.png` and `<name>.svg` encoding `url` into `dir`. */
export async function writeQr(dir: string, name: string, url: string): Promise<QrFiles> {
  await mkdir(dir, { recursive: true });
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "_");
  const png = join(dir, `${safe}.png`);
  const svg = join(dir, `${safe}.svg`);
  const options = { errorCorrectionLevel: "M" as const, margin: 2 };
  await writeFile(png, await QRCode.toBuffer(url, { ...options, type: "png", width: 320 }));
  await writeFile(svg, await QRCode.toString(url, { ...options, type: "svg" }));
  return { url, png, svg };
}
