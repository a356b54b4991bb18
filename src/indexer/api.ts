/**
 * The read-only JSON HTTP API over the index (Fastify), described by OpenAPI (@fastify/swagger,
 * served at `/api/openapi.json`), rate-limited per client address (@fastify/rate-limit) and
 * paginated (`limit` + `before` cursors). It also serves the built explorer (`explorer/dist`)
 * with every non-API path falling back to the single-page app.
 */
import { access } from "node:fs/promises";
import { join } from "node:path";

import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import { getAddress } from "ethers";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";

import { InvalidInputError } from "../errors.js";
import { BadRequestError, NotFoundError } from "./views/base.js";
import { type IndexViews } from "./views/chain.js";
import { flowsCsv, type FlowLanguage, type Flows } from "./views/flows.js";
import type { VerificationReporter } from "../verification/report.js";
import { API_BASE, API_ROUTES } from "./routes.js";

export interface ApiOptions {
  /** Requests per minute per client address (default 600). */
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
    max: options.rateLimit ?? 600,
    timeWindow: "1 minute",
    allowList: [],
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      error: "Too Many Requests",
      message: `more than ${ctx.max} requests a minute from this address: retry in ${Math.ceil(ctx.ttl / 1000)} s`,
    }),
  });
  await app.register(cors, { origin: true, methods: ["GET", "HEAD", "OPTIONS"] });

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, _req, reply) => {
    if (error instanceof NotFoundError)
      return reply.status(404).send({ statusCode: 404, error: "Not Found", message: error.message });
    if (error instanceof BadRequestError || error instanceof InvalidInputError || error.validation !== undefined)
      return reply.status(400).send({ statusCode: 400, error: "Bad Request", message: error.message });
    if (error.statusCode === 429) return reply.status(429).send(error);
    app.log.error(error);
    return reply.status(500).send({ statusCode: 500, error: "Internal Server Error", message: error.message });
  });

  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

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
        summary: "Transactions sent by an account",
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
        summary: "One project: totals, donors, Sankey flows, donations and disbursements",
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

  app.get<{ Querystring: Page }>(
    API_BASE + API_ROUTES.batches.path,
    {
      schema: {
        tags: ["trace"],
        summary: "Batches, newest first",
        querystring: pageQuery,
        response: json("Page<BatchSummary>"),
      },
    },
    (req) => views.batches(req.query.limit, req.query.before),
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
        summary: "Every record anchoring a document hash (keccak-256 of the file)",
        params: { type: "object", properties: { hash: hex32 }, required: ["hash"] },
        response: json("DocumentRecords"),
      },
    },
    (req) => views.documents(req.params.hash),
  );

  const dir = options.explorerDir;
  const built = dir !== undefined && (await exists(join(dir, "index.html")));
  if (built) await app.register(fastifyStatic, { root: dir, wildcard: true, index: ["index.html"] });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith("/api/") || !built || req.method !== "GET")
      return reply
        .status(404)
        .send({ statusCode: 404, error: "Not Found", message: `no route ${req.method} ${req.url.split("?")[0]}` });
    return reply.sendFile("index.html");
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
