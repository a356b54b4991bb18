/**
 * How the built explorer (`explorer/dist`) is served, for a phone on a slow network:
 * - hashed files under `/assets/` are served precompressed (brotli or gzip, written by the build, see
 *   explorer/vite.config.ts) and cached for good (`public, max-age=31536000, immutable`): a new build has
 *   new names;
 * - the page itself (index.html) is never cached (`no-cache`), is compressed when sent, and carries the
 *   stylesheet inline (one round trip less before anything is drawn);
 * - the QR batch page and the donation page carry their data (the API answers the app would ask for,
 *   read by explorer/src/api.ts instead of a request), preload their page's script, and show their first
 *   screen (./first-screen.ts) before the app has loaded;
 * - API answers of more than 1 KiB are compressed too.
 * Those two pages are kept as drawn until the next indexed block.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { batchFirstScreen, donationFirstScreen, languageOf } from "./first-screen.js";
import { apiPath, PAGES } from "./routes.js";
import type { IndexViews } from "./views/chain.js";

/** Cache-Control of the content-hashed files under /assets/. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

type Encoding = "br" | "gzip" | "identity";

function encodingOf(req: FastifyRequest): Encoding {
  const accept = String(req.headers["accept-encoding"] ?? "");
  if (/\bbr\b/.test(accept)) return "br";
  if (/\bgzip\b/.test(accept)) return "gzip";
  return "identity";
}

function compress(body: string | Buffer, encoding: Encoding): Buffer {
  const buf = typeof body === "string" ? Buffer.from(body) : body;
  if (encoding === "br")
    return brotliCompressSync(buf, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
    });
  if (encoding === "gzip") return gzipSync(buf, { level: 6 });
  return buf;
}

/** Compresses the API's JSON answers larger than 1 KiB for clients that accept brotli or gzip. */
export function compressJson(app: FastifyInstance): void {
  app.addHook("onSend", async (req, reply, payload) => {
    if (typeof payload !== "string" || payload.length < 1024) return payload;
    if (!String(reply.getHeader("content-type") ?? "").startsWith("application/json")) return payload;
    const encoding = encodingOf(req);
    reply.header("vary", "accept-encoding");
    if (encoding === "identity") return payload;
    reply.header("content-encoding", encoding);
    reply.removeHeader("content-length");
    return compress(payload, encoding);
  });
}

interface ManifestChunk {
  file: string;
  imports?: string[];
}

/** The HTML of the app, with its stylesheet inlined, and the scripts of each page (Vite's manifest). */
async function loadTemplate(dir: string) {
  let html = await readFile(join(dir, "index.html"), "utf8");
  for (const m of html.matchAll(/<link rel="stylesheet"[^>]*href="\/(assets\/[^"]+\.css)"[^>]*>/g)) {
    const css = await readFile(join(dir, m[1]!), "utf8");
    html = html.replace(m[0], `<style>${css.replace(/<\/style/gi, "<\\/style")}</style>`);
  }
  let manifest: Record<string, ManifestChunk> = {};
  try {
    manifest = JSON.parse(await readFile(join(dir, ".vite", "manifest.json"), "utf8")) as typeof manifest;
  } catch {
    // built without a manifest: no page preloads
  }
  /** The files of a page's chunk and of the chunks it imports, less those the HTML preloads already. */
  const scripts = (source: string): string[] => {
    const out = new Set<string>();
    const visit = (key: string) => {
      const c = manifest[key];
      if (c === undefined || out.has(c.file)) return;
      out.add(c.file);
      for (const i of c.imports ?? []) visit(i);
    };
    visit(source);
    return [...out].filter((f) => !html.includes(`/${f}"`));
  };
  return { html, scripts };
}

export interface ServedExplorer {
  /** Sends the app's HTML (any page the app draws by itself). */
  sendIndex(req: FastifyRequest, reply: FastifyReply): FastifyReply;
}

/** Serves the built explorer in `dir` (with `views` for the pages that carry their data). */
export async function serveExplorer(app: FastifyInstance, views: IndexViews, dir: string): Promise<ServedExplorer> {
  const template = await loadTemplate(dir);
  const plain = new Map<Encoding, Buffer>();
  const send = (req: FastifyRequest, reply: FastifyReply, html: string | undefined) => {
    const encoding = encodingOf(req);
    let body: Buffer;
    if (html === undefined) {
      body = plain.get(encoding) ?? compress(template.html, encoding);
      plain.set(encoding, body);
    } else body = compress(html, encoding);
    if (encoding !== "identity") reply.header("content-encoding", encoding);
    return reply
      .header("cache-control", "no-cache")
      .header("vary", "accept-encoding, cookie")
      .type("text/html; charset=utf-8")
      .send(body);
  };
  /** The app's HTML with the page's data, its scripts preloaded and its first screen drawn. */
  const page = (data: Record<string, unknown>, firstScreen: string, source: string, lang: "zh" | "en"): string => {
    const json = JSON.stringify(data).replace(/</g, "\\u003c");
    const preload = template
      .scripts(source)
      .map((f) => `<link rel="modulepreload" crossorigin href="/${f}">`)
      .join("");
    return template.html
      .replace('<html lang="zh-CN">', `<html lang="${lang === "en" ? "en" : "zh-CN"}">`)
      .replace("</head>", `${preload}</head>`)
      .replace(
        '<div id="root"></div>',
        `${firstScreen}<div id="root"></div><script type="application/json" id="zx-data">${json}</script>`,
      );
  };

  await app.register(fastifyStatic, {
    root: dir,
    wildcard: true,
    index: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders(reply, path) {
      const hashed = /[\\/]assets[\\/]/.test(path);
      reply.header("cache-control", hashed ? IMMUTABLE : path.endsWith(".html") ? "no-cache" : "public, max-age=3600");
    },
  });

  /**
   * The landing pages as last drawn, by path, language and indexed block: a batch's QR code is scanned by
   * many shoppers, and its page changes only when a new block is indexed (at most 500 pages kept).
   */
  const drawn = new Map<string, string>();
  const cached = async (key: string, draw: () => Promise<string>): Promise<string> => {
    const at = `${await views.indexer.indexedBlock()}|${key}`;
    const hit = drawn.get(at);
    if (hit !== undefined) return hit;
    const html = await draw();
    if (drawn.size >= 500) drawn.delete(drawn.keys().next().value!);
    drawn.set(at, html);
    return html;
  };
  // The home page is the app's (not the folder's listing, which the static files refuse).
  app.get("/", (req, reply) => send(req, reply, undefined));
  // The QR code's page: /batch/<id>.
  app.get<{ Params: { id: string } }>(PAGES.batch(":id"), async (req, reply) => {
    const lang = languageOf(req.headers.cookie);
    try {
      const html = await cached(`${req.params.id}|${lang}`, async () => {
        const [batch, orgs] = await Promise.all([views.batch(req.params.id), views.orgs()]);
        const data = { [apiPath("batch", { ref: req.params.id })]: batch, "/orgs": orgs };
        return page(data, batchFirstScreen(batch, lang), "src/pages/Batch.tsx", lang);
      });
      return send(req, reply, html);
    } catch {
      // unknown or malformed: the app says so in its own words
      return send(req, reply, undefined);
    }
  });
  // A donor's page: /charity/donation/<receipt code or id>.
  app.get<{ Params: { ref: string } }>("/charity/donation/:ref", async (req, reply) => {
    const lang = languageOf(req.headers.cookie);
    const ref = req.params.ref.trim();
    try {
      const html = await cached(`donation:${ref}|${lang}`, async () => {
        const [donation, orgs] = await Promise.all([views.donation(ref), views.orgs()]);
        const data = { [apiPath("donation", { ref })]: donation, "/orgs": orgs };
        return page(data, donationFirstScreen(donation, lang), "src/pages/Donation.tsx", lang);
      });
      return send(req, reply, html);
    } catch {
      return send(req, reply, undefined);
    }
  });
  return { sendIndex: (req, reply) => send(req, reply, undefined) };
}
