/**
 * QR codes for batches: a consumer scans the code on a box and lands on the public explorer. The code
 * holds a GS1 Digital Link (`https://<public explorer>/01/<GTIN-14>/10/<lot>`, which the explorer
 * resolves to the batch page), or the batch page's URL for a product code that is not a GTIN. PNG and SVG
 * through the `qrcode` library. The public explorer's address is deployment data: `--base-url`, else
 * ZHIXIN_PUBLIC_URL; there is no default (a loopback address on a printed label would be useless).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

import QRCode from "qrcode";

import { LedgerError } from "../errors.js";
import { InvalidInputError } from "../errors.js";
import { batchUrl, digitalLinkUrl } from "../indexer/routes.js";
import { validGs1 } from "./vocabulary.js";

/** No public explorer address is configured: nothing may be printed. */
export class PublicUrlMissing extends LedgerError {
  constructor() {
    super(
      "QR codes link to the public explorer, whose address is not configured: set ZHIXIN_PUBLIC_URL (e.g. https://trace.jiangmen.gov.cn) or pass --base-url",
    );
    this.name = "PublicUrlMissing";
  }
}

/** The public explorer's base URL: `option`, else ZHIXIN_PUBLIC_URL; refuses when neither is set. */
export function publicBaseUrl(option?: string): string {
  const v = option !== undefined && option.trim() !== "" ? option.trim() : process.env.ZHIXIN_PUBLIC_URL?.trim();
  if (v === undefined || v === "") throw new PublicUrlMissing();
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

/** What a batch's QR code holds: its GS1 Digital Link when the product code is a GTIN, else its page. */
export function batchLink(base: string, b: { batchId: string; productCode: string; lotCode: string }): string {
  const code = b.productCode.trim();
  if (/^(\d{8}|\d{12,14})$/.test(code) && validGs1(code)) return digitalLinkUrl(base, code, b.lotCode);
  return batchUrl(base, b.batchId);
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
