/**
 * The read-only JSON HTTP API over the index (Fastify), described by OpenAPI (@fastify/swagger,
 * served at `/api/openapi.json`), rate-limited per client address (@fastify/rate-limit: API calls
 * only, never a page's HTML or static files) and paginated (`limit` + `before` cursors). Errors are
 * JSON with a `code` the explorer translates (`ApiError`), without internal detail. It also serves
 * the built explorer (`explorer/dist`): the explorer's page routes (`PAGE_PATTERNS`) get its
 * `index.html`, any other path the same under HTTP 404 (the explorer shows its not-found page).
 */
import { access } from "node:fs/promises";
import { join } from "node:path";

import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import { getAddress } from "ethers";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";

import { InvalidInputError } from "../errors.js";
import type { ApiError, ApiErrorCode } from "./api-types.js";
import { NodeUnreachableError, isNodeFailure } from "./node-watch.js";
import { BadRequestError, NotFoundError } from "./views/base.js";
import { type IndexViews } from "./views/chain.js";
import { flowsCsv, type FlowLanguage, type Flows } from "./views/flows.js";
import type { VerificationReporter } from "../verification/report.js";
import { API_BASE, API_ROUTES, isPagePath } from "./routes.js";
import { compressJson, serveExplorer } from "./static.js";
import { namespaceContext } from "../trace/epcis/export.js";
import { ZX_CONTEXT_FILE, epcisNamespace } from "../trace/epcis/types.js";

/**
 * API requests a minute per client address unless told otherwise (`ZHIXIN_EXPLORER_RATE_LIMIT`, or
 * `rateLimit`). Generous: one open page asks about 20 a minute (its data, and the status every 3 s), and
 * a shop's or a village office's Wi-Fi puts many readers behind one address.
 */
export const DEFAULT_RATE_LIMIT = 3_000;

/** The rate limit from `ZHIXIN_EXPLORER_RATE_LIMIT` (a positive integer), else the default. */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.ZHIXIN_EXPLORER_RATE_LIMIT?.trim();
  if (text === undefined || text === "") return DEFAULT_RATE_LIMIT;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidInputError("ZHIXIN_EXPLORER_RATE_LIMIT", text, "must be a positive integer");
  return n;
}

/** The rate limit's answer: thrown by @fastify/rate-limit, answered by the error handler. */
class RateLimitedError extends Error {
  readonly statusCode = 429;
  constructor(
    readonly max: number,
    readonly retryAfter: number,
  ) {
    super(`more than ${max} API requests a minute from this address: retry in ${retryAfter} s`);
  }
}

/** The page a browser gets instead of a 429's JSON, in the language it asks for first. */
function rateLimitedPage(acceptLanguage: string | undefined, retryAfter: number): string {
  const zhFirst = !/^\s*en/i.test(acceptLanguage ?? "");
  const zh = `<h1>访问的人有点多</h1><p>这个地址一分钟内的查询次数太多了，请 ${retryAfter} 秒后刷新页面再试。数据不会丢失。</p>`;
  const en = `<h1>Too many requests</h1><p>This address has made too many requests this minute. Please reload the page in ${retryAfter} seconds; nothing is lost.</p>`;
  return `<!doctype html><html lang="${zhFirst ? "zh-CN" : "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="${retryAfter}"><title>${zhFirst ? "请稍后再试 · 智信链" : "Please retry shortly · Zhixin Ledger"}</title></head><body style="font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">${zhFirst ? zh + en : en + zh}</body></html>`;
}

export interface ApiOptions {
  /** API requests per minute per client address (default {@link DEFAULT_RATE_LIMIT}); pages and files are not counted. */
  readonly rateLimit?: number;
  /** Folder of the built explorer; the API alone when absent or not built. */
  readonly explorerDir?: string;
  /** Log requests (Fastify's logger). */
  readonly logger?: boolean;
  /** Verified source of the deployed contracts (`/api/contracts/…`); absent: those routes answer 404. */
  readonly verification?: VerificationReporter;
}

const hex32 = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } as const;
const address = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } as const;
const pageQuery = {
  type: "object",
  properties: {
    limit: { type: "integer", minimum: 1, maximum: 100, default: 20, description: "items per page" },
    before: {
      type: "string",
      pattern: "^\\d{1,12}(:\\d{1,9})?$",
      description: "the `next` cursor of the previous page",
    },
  },
  additionalProperties: false,
} as const;
const json = (description: string) => ({ 200: { description, type: "object", additionalProperties: true } });
const jsonList = (description: string) => ({
  200: { description, type: "array", items: { type: "object", additionalProperties: true } },
});

type Page = { limit: number; before?: string };

const csvQuery = {
  type: "object",
  properties: { lang: { type: "string", enum: ["zh", "en"], default: "zh", description: "language of the headings" } },
  additionalProperties: false,
} as const;
const csvResponse = (description: string) => ({
  200: { description, content: { "text/csv": { schema: { type: "string" } } } },
});

/** Builds the HTTP server (not listening yet). */
export async function buildApi(views: IndexViews, options: ApiOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, routerOptions: { maxParamLength: 200 } });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Zhixin Ledger explorer API 智信链浏览器接口",
        version: "1.0.0",
        description:
          "Read-only view of a Zhixin Ledger deployment as indexed from the chain. Amounts are integer fen (1 yuan = 100 fen) as decimal strings; ids and hashes are 0x-prefixed hex; lists are paginated newest first with `limit` and the `next` cursor passed as `before`. Rate-limited per client address (HTTP 429 with Retry-After).",
      },
      tags: [
        { name: "chain", description: "blocks, transactions, addresses, search" },
        { name: "registry", description: "organisations and permissions" },
        { name: "charity", description: "慈善捐赠 donations and their use" },
        { name: "trace", description: "产品追溯 product batches" },
        { name: "relief", description: "精准扶贫 poverty-relief programmes" },
        { name: "documents", description: "records anchoring a document hash" },
        { name: "contracts", description: "verified source of the deployed contracts" },
      ],
    },
  });
  await app.register(rateLimit, {
    max: options.rateLimit ?? rateLimitFromEnv(),
    timeWindow: "1 minute",
    // API calls only: a page's HTML and its files are never counted nor refused.
    allowList: (req) => !req.url.startsWith(API_BASE + "/"),
    errorResponseBuilder: (_req, ctx) => new RateLimitedError(ctx.max, Math.max(1, Math.ceil(ctx.ttl / 1000))),
  });
  await app.register(cors, { origin: true, methods: ["GET", "HEAD", "OPTIONS"] });
  compressJson(app);

  const answer = (statusCode: number, code: ApiErrorCode, error: string, message: string): ApiError => ({
    statusCode,
    code,
    error,
    message,
  });
  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    if (error instanceof RateLimitedError) {
      void reply.header("retry-after", String(error.retryAfter));
      // A browser that navigated to an API address gets a page, not JSON.
      const accept = req.headers.accept ?? "";
      if (/text\/html/.test(accept) && !/application\/json/.test(accept))
        return reply
          .status(429)
          .type("text/html; charset=utf-8")
          .send(rateLimitedPage(req.headers["accept-language"], error.retryAfter));
      return reply
        .status(429)
        .send({ ...answer(429, "rate-limited", "Too Many Requests", error.message), retryAfter: error.retryAfter });
    }
    if (error instanceof NotFoundError)
      return reply.status(404).send(answer(404, "not-found", "Not Found", error.message));
    if (error instanceof BadRequestError || error instanceof InvalidInputError || error.validation !== undefined)
      return reply.status(400).send(answer(400, "bad-request", "Bad Request", error.message));
    if (error instanceof NodeUnreachableError || isNodeFailure(error)) {
      app.log.warn(error);
      return reply
        .status(503)
        .send(
          answer(
            503,
            "node-unreachable",
            "Service Unavailable",
            "the blockchain node is not reachable and the index does not hold this answer yet: retry later",
          ),
        );
    }
    app.log.error(error);
    return reply
      .status(500)
      .send(answer(500, "internal", "Internal Server Error", "the explorer failed to answer: retry later"));
  });

  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  // The JSON-LD context of the ledger's EPCIS extension fields (src/trace/epcis/export.ts namespaceContext),
  // at the namespace's own address: ZHIXIN_EPCIS_NAMESPACE or ZHIXIN_PUBLIC_URL + /ns/, else this server's.
  app.get(`/ns/${ZX_CONTEXT_FILE}`, { schema: { hide: true } }, async (req, reply) => {
    const ns = epcisNamespace() ?? `${req.protocol}://${req.host}/ns/`;
    return reply.type("application/ld+json").send(namespaceContext(ns));
  });

  const verification = () => {
    if (options.verification === undefined) throw new NotFoundError("this explorer does not check contract source");
    return options.verification;
  };
  app.get(
    API_BASE + API_ROUTES.contractVerification.path,
    {
      schema: {
        tags: ["contracts"],
        summary: "Each deployed contract checked against the repository's compiled source (bytecode and metadata hash)",
        response: json("VerificationReport"),
      },
    },
    () => verification().report(),
  );
  app.get<{ Querystring: { contract: string; file: string } }>(
    API_BASE + API_ROUTES.contractSource.path,
    {
      schema: {
        tags: ["contracts"],
        summary: "The text of one source file of a contract's compilation, as compiled",
        querystring: {
          type: "object",
          properties: {
            contract: { type: "string", pattern: "^[A-Za-z0-9_]{1,64}$" },
            file: { type: "string", minLength: 1, maxLength: 300 },
          },
          required: ["contract", "file"],
          additionalProperties: false,
        },
        response: json("SourceText"),
      },
    },
    async (req) => {
      const text = await verification().source(req.query.contract, req.query.file);
      if (text === undefined)
        throw new NotFoundError(`no source file ${req.query.file} in ${req.query.contract}'s compilation`);
      return { contract: req.query.contract, file: req.query.file, content: text };
    },
  );

  app.get(
    API_BASE + API_ROUTES.status.path,
    { schema: { tags: ["chain"], summary: "Index height and contracts", response: json("Status") } },
    () => views.status(),
  );
  app.get<{ Querystring: { limit: number; before?: string } }>(
    API_BASE + API_ROUTES.blocks.path,
    {
      schema: {
        tags: ["chain"],
        summary: "Blocks holding ledger transactions, newest first",
        querystring: pageQuery,
        response: json("Page<BlockSummary>"),
      },
    },
    (req) => views.blocks(req.query.limit, req.query.before !== undefined ? Number(req.query.before) : undefined),
  );
  app.get<{ Params: { number: number } }>(
    API_BASE + API_ROUTES.block.path,
    {
      schema: {
        tags: ["chain"],
        summary: "One block and its ledger transactions",
        params: { type: "object", properties: { number: { type: "integer", minimum: 0 } }, required: ["number"] },
        response: json("BlockDetail"),
      },
    },
    (req) => views.block(req.params.number),
  );
  app.get<{ Querystring: Page }>(
    API_BASE + API_ROUTES.txs.path,
    {
      schema: {
        tags: ["chain"],
        summary: "Ledger transactions, newest first",
        querystring: pageQuery,
        response: json("Page<TxSummary>"),
      },
    },
    (req) => views.txs(req.query.limit, req.query.before),
  );
  app.get<{ Params: { hash: string } }>(
    API_BASE + API_ROUTES.tx.path,
    {
      schema: {
        tags: ["chain"],
        summary: "A transaction with its decoded call and events",
        params: { type: "object", properties: { hash: hex32 }, required: ["hash"] },
        response: json("TxDetail"),
      },
    },
    (req) => views.tx(req.params.hash),
  );
  const addressParams = { type: "object", properties: { address }, required: ["address"] } as const;
  app.get<{ Params: { address: string } }>(
    API_BASE + API_ROUTES.address.path,
    {
      schema: {
        tags: ["chain"],
        summary: "An account or contract: organisation, roles",
        params: addressParams,
        response: json("AddressDetail"),
      },
    },
    (req) => views.address(req.params.address),
  );
  app.get<{ Params: { address: string }; Querystring: Page }>(
    API_BASE + API_ROUTES.addressTxs.path,
    {
      schema: {
        tags: ["chain"],
        summary: "Transactions an account sent or that were sent to it (a contract's calls)",
        params: addressParams,
        querystring: pageQuery,
        response: json("Page<TxSummary>"),
      },
    },
    (req) => views.txs(req.query.limit, req.query.before, getAddress(req.params.address)),
  );
  app.get<{ Params: { address: string }; Querystring: Page }>(
    API_BASE + API_ROUTES.addressEvents.path,
    {
      schema: {
        tags: ["chain"],
        summary: "Events naming an account or emitted by a contract",
        params: addressParams,
        querystring: pageQuery,
        response: json("Page<EventRecord>"),
      },
    },
    (req) => views.addressEvents(req.params.address, req.query.limit, req.query.before),
  );
  app.get<{ Querystring: { q: string } }>(
    API_BASE + API_ROUTES.search.path,
    {
      schema: {
        tags: ["chain"],
        summary:
          "What a text is: transaction hash, block, address, organisation name, donation id or receipt code, lot code, document hash",
        querystring: {
          type: "object",
          properties: { q: { type: "string", minLength: 1, maxLength: 200 } },
          required: ["q"],
        },
        response: jsonList("SearchHit[]"),
      },
    },
    (req) => views.search(req.query.q),
  );
  app.get(
    API_BASE + API_ROUTES.orgs.path,
    { schema: { tags: ["registry"], summary: "Registered organisations", response: jsonList("OrgRecord[]") } },
    () => views.orgs(),
  );
  app.get(
    API_BASE + API_ROUTES.names.path,
    {
      schema: {
        tags: ["registry"],
        summary: "Public codes and names of projects, programmes, periods, products and locations",
        response: json("PublicNameIndex"),
      },
    },
    () => views.publicNames(),
  );
  app.get(
    API_BASE + API_ROUTES.permissions.path,
    {
      schema: {
        tags: ["registry"],
        summary: "Roles, their members and the functions they may call",
        response: json("PermissionsView"),
      },
    },
    () => views.permissions(),
  );

  app.get(
    API_BASE + API_ROUTES.governance.path,
    {
      schema: {
        tags: ["registry"],
        summary: "Council operations (scheduled, executed, cancelled) in words, and closed ledgers",
        response: json("GovernanceView"),
      },
    },
    () => views.governance(),
  );

  app.get(
    API_BASE + API_ROUTES.charityProjects.path,
    {
      schema: {
        tags: ["charity"],
        summary: "Fundraising projects and their totals",
        response: jsonList("CharityProjectSummary[]"),
      },
    },
    () => views.charityProjects(),
  );
  app.get<{ Params: { id: string } }>(
    API_BASE + API_ROUTES.charityProject.path,
    {
      schema: {
        tags: ["charity"],
        summary: "One project: totals, Sankey flows, goods lots and hand-overs, donations and disbursements",
        params: { type: "object", properties: { id: hex32 }, required: ["id"] },
        response: json("CharityProjectDetail"),
      },
    },
    (req) => views.charityProject(req.params.id),
  );
  app.get<{ Params: { ref: string } }>(
    API_BASE + API_ROUTES.donation.path,
    {
      schema: {
        tags: ["charity"],
        summary: "A donation by id, id prefix (0x + 16 hex) or receipt code, with its first-in first-out trace",
        params: {
          type: "object",
          properties: { ref: { type: "string", minLength: 18, maxLength: 80 } },
          required: ["ref"],
        },
        response: json("DonationDetail"),
      },
    },
    (req) => views.donation(req.params.ref),
  );
  /** Flows as a CSV download (Excel-friendly: BOM, CRLF), named after the record. */
  const sendCsv = (reply: FastifyReply, name: string, flows: Flows, lang: FlowLanguage) =>
    reply
      .header("content-type", "text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${name}-flows-${lang}.csv"`)
      .send(flowsCsv(flows, lang));
  app.get<{ Params: { id: string }; Querystring: { lang: FlowLanguage } }>(
    API_BASE + API_ROUTES.charityProjectFlows.path,
    {
      schema: {
        tags: ["charity"],
        summary:
          "One project's flows as CSV: donations, grants, disbursements, goods lots and hand-overs, reversals, then the totals (amounts in yuan)",
        params: { type: "object", properties: { id: hex32 }, required: ["id"] },
        querystring: csvQuery,
        response: csvResponse("CSV text, UTF-8 with BOM"),
      },
    },
    async (req, reply) =>
      sendCsv(
        reply,
        `project-${req.params.id.slice(2, 10)}`,
        await views.charityProjectFlows(req.params.id, req.query.lang),
        req.query.lang,
      ),
  );
  app.get(
    API_BASE + API_ROUTES.charityStats.path,
    { schema: { tags: ["charity"], summary: "Totals, months and Charity Law ratios", response: json("CharityStats") } },
    () => views.charityStats(),
  );
  app.get(
    API_BASE + API_ROUTES.charityStatistics.path,
    {
      schema: {
        tags: ["charity"],
        summary: "Each published statistics report beside the totals summed from the records it covers",
        response: jsonList("StatisticsReport[]"),
      },
    },
    () => views.statisticsReports(),
  );

  app.get(
    API_BASE + API_ROUTES.recalls.path,
    { schema: { tags: ["trace"], summary: "Recalls, newest first", response: jsonList("RecallSummary[]") } },
    () => views.recalls(),
  );
  app.get<{ Params: { id: string } }>(
    API_BASE + API_ROUTES.recall.path,
    {
      schema: {
        tags: ["trace"],
        summary: "A recall: reach (batches and holders), acknowledgements and effectiveness",
        params: {
          type: "object",
          properties: { id: { type: "string", pattern: "^[1-9][0-9]{0,9}$" } },
          required: ["id"],
        },
        response: json("RecallView"),
      },
    },
    (req) => views.recall(req.params.id),
  );
  app.get<{ Querystring: Page & { product?: string } }>(
    API_BASE + API_ROUTES.batches.path,
    {
      schema: {
        tags: ["trace"],
        summary: "Batches, newest first; `product` (GTIN-8/12/13/14 or code) keeps one product's",
        querystring: {
          ...pageQuery,
          properties: {
            ...pageQuery.properties,
            product: { type: "string", minLength: 1, maxLength: 32, description: "a product's GTIN or code" },
          },
        },
        response: json("Page<BatchSummary>"),
      },
    },
    (req) => views.batches(req.query.limit, req.query.before, req.query.product),
  );
  app.get<{ Params: { ref: string } }>(
    API_BASE + API_ROUTES.batch.path,
    {
      schema: {
        tags: ["trace"],
        summary: "A batch: product, history, custody, certificates, lineage, recalls",
        params: { type: "object", properties: { ref: hex32 }, required: ["ref"] },
        response: json("BatchPage"),
      },
    },
    (req) => views.batch(req.params.ref),
  );

  app.get(
    API_BASE + API_ROUTES.programmes.path,
    { schema: { tags: ["relief"], summary: "Programmes", response: jsonList("ProgrammeSummary[]") } },
    () => views.programmes(),
  );
  app.get<{ Params: { id: string } }>(
    API_BASE + API_ROUTES.programme.path,
    {
      schema: {
        tags: ["relief"],
        summary: "A programme's allocation tree, projects, anonymised payment totals and audit findings",
        params: { type: "object", properties: { id: hex32 }, required: ["id"] },
        response: json("ProgrammePage"),
      },
    },
    (req) => views.programme(req.params.id),
  );
  app.get<{ Params: { id: string }; Querystring: { lang: FlowLanguage } }>(
    API_BASE + API_ROUTES.programmeFlows.path,
    {
      schema: {
        tags: ["relief"],
        summary:
          "One programme's flows as CSV: appropriations, allocations, project funding, payments (households by village and period, never by key) and returns, then the totals (amounts in yuan)",
        params: { type: "object", properties: { id: hex32 }, required: ["id"] },
        querystring: csvQuery,
        response: csvResponse("CSV text, UTF-8 with BOM"),
      },
    },
    async (req, reply) =>
      sendCsv(
        reply,
        `programme-${req.params.id.slice(2, 10)}`,
        await views.programmeFlows(req.params.id, req.query.lang),
        req.query.lang,
      ),
  );
  app.get<{ Params: { hash: string } }>(
    API_BASE + API_ROUTES.reliefReceipt.path,
    {
      schema: {
        tags: ["relief"],
        summary:
          "A household's payment by the keccak-256 hash of its receipt code (hash the code on the client: the code itself is never sent): amount, programme, period, village and approving department",
        params: { type: "object", properties: { hash: hex32 }, required: ["hash"] },
        response: json("ReliefReceiptView"),
      },
    },
    (req) => views.reliefReceipt(req.params.hash),
  );
  app.get<{ Params: { hash: string } }>(
    API_BASE + API_ROUTES.documents.path,
    {
      schema: {
        tags: ["documents"],
        summary:
          "Every record anchoring a document, by its keccak-256 or its SHA-256 (bound on chain by the anchoring organisation)",
        params: { type: "object", properties: { hash: hex32 }, required: ["hash"] },
        response: json("DocumentRecords"),
      },
    },
    (req) => views.documents(req.params.hash),
  );

  const dir = options.explorerDir;
  const built = dir !== undefined && (await exists(join(dir, "index.html")));
  // Compressed, cached and with the landing pages' data and first screen (./static.ts).
  const served = built ? await serveExplorer(app, views, dir) : undefined;
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0]!;
    if (path.startsWith("/api/") || served === undefined || (req.method !== "GET" && req.method !== "HEAD"))
      return reply.status(404).send(answer(404, "not-found", "Not Found", `no route ${req.method} ${path}`));
    // Unknown paths get the explorer too (it shows its not-found page), under HTTP 404.
    if (!isPagePath(path)) reply.status(404);
    return served.sendIndex(req, reply);
  });
  return app;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
