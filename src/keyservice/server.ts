/**
 * The beneficiary-key service: the one place that holds the consortium secret behind beneficiary
 * keys (src/relief/key.ts). Run by one department (`npx hardhat keyservice`), it computes keys for
 * registered, active villages and departments only, each request signed by the organisation's
 * account (src/keyservice/protocol.ts) and checked against the chain when it arrives: the account's
 * organisation in the OrgRegistry (registered, not suspended, of a kind the service answers) and its
 * role in the AccessManager. No cache: a suspension takes effect on the next request.
 *
 * Refusals, each one sentence with its HTTP status: an unsigned or badly signed request (401), a
 * timestamp outside the window (401), an unknown signer, a suspended organisation or a kind the
 * service does not answer (403), a replayed nonce (409), and too many requests or keys for one
 * account (429 with Retry-After). Every answered request is appended to the request log (a hash
 * chain, src/keyservice/log.ts) before the keys leave, and the log's head is anchored on chain
 * (KeyServiceAnchor) every `anchorIntervalMs` and on demand.
 */
import { createHmac } from "node:crypto";

import rateLimit from "@fastify/rate-limit";
import { type Signer, getAddress, isAddress } from "ethers";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";

import type { LegacyOverrides } from "../chain.js";
import type { Deployment } from "../deployment.js";
import { InvalidInputError } from "../errors.js";
import { explain } from "../refusals.js";
import { ROLE, roleLabel } from "../roles.js";
import { beneficiaryKey, householdHash } from "../relief/key.js";
import { sendWrite } from "../tx.js";
import { KeyServiceAnchor__factory } from "../../types/ethers-contracts/index.js";
import { KeyServiceStore, RateLimitedError, ReplayedNonceError, type Limits } from "./log.js";
import {
  HEADER,
  MAX_BATCH,
  ROUTES,
  bodyHash,
  recoverSigner,
  signedText,
  type AnchorView,
  type HealthResponse,
  type KeyResult,
  type KeysResponse,
  type LogResponse,
} from "./protocol.js";

/** The roles the service answers by default: villages register beneficiaries, civil and rural affairs attest. */
export const DEFAULT_ALLOWED_ROLES: readonly bigint[] = [ROLE.VILLAGE, ROLE.CIVIL_AFFAIRS, ROLE.RURAL_AFFAIRS];

export const DEFAULT_LIMITS: Limits = { requestsPerMinute: 30, keysPerHour: 20_000 };

export interface KeyServiceOptions {
  /** The consortium secret (from the service's keystore). */
  readonly secret: Buffer;
  /** The deployment the organisations are checked against (a read-only runner is enough). */
  readonly deployment: Deployment;
  /** Address of KeyServiceAnchor; no anchoring when undefined. */
  readonly anchorAddress?: string;
  /** The running department's signer, which anchors the log (holds the anchor's role). */
  readonly anchorSigner?: Signer;
  readonly overrides?: LegacyOverrides;
  /** The storage (an in-memory one when undefined). */
  readonly store?: KeyServiceStore;
  readonly limits?: Limits;
  /** How far a request's timestamp may be from the service's clock, in seconds (default 120). */
  readonly windowSeconds?: number;
  /** Anchor the log's head every this many ms when it grew (default 1 hour; 0: only on demand). */
  readonly anchorIntervalMs?: number;
  /** Roles whose holders the service answers (default {@link DEFAULT_ALLOWED_ROLES}). */
  readonly allowedRoles?: readonly bigint[];
  /** Requests per minute per client address, before any signature is checked (default 600). */
  readonly ipRateLimit?: number;
  /** The clock (ms), for tests. */
  readonly now?: () => number;
  readonly logger?: boolean;
}

/** The secret's version: a fingerprint that names it without revealing it (see the README, key rotation). */
export function keyVersionOf(secret: Buffer): string {
  return "v1-" + createHmac("sha256", secret).update("zhixin-keyservice-fingerprint").digest("hex").slice(0, 16);
}

/** A refusal with its HTTP status. */
class Refusal extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Who signed a request, after every check. */
interface Caller {
  readonly account: string;
  readonly role: string;
  readonly nonce: string;
  readonly bodyHash: string;
  readonly at: number;
}

declare module "fastify" {
  interface FastifyRequest {
    rawBody?: string;
  }
}

export interface KeyService {
  readonly app: FastifyInstance;
  readonly store: KeyServiceStore;
  readonly keyVersion: string;
  /** Anchors the log's head now when it grew since the last anchor; the anchor, or undefined when nothing was to do. */
  anchorNow(): Promise<AnchorView | undefined>;
  /** Stops the timer, the server and the storage. */
  close(): Promise<void>;
}

/** Builds the service (not listening yet). */
export async function buildKeyService(o: KeyServiceOptions): Promise<KeyService> {
  const store = o.store ?? (await KeyServiceStore.open());
  const now = o.now ?? Date.now;
  const limits = o.limits ?? DEFAULT_LIMITS;
  const windowMs = (o.windowSeconds ?? 120) * 1000;
  const allowed = o.allowedRoles ?? DEFAULT_ALLOWED_ROLES;
  const allowedText = allowed.map((r) => roleLabel(r)).join(", ");
  const keyVersion = keyVersionOf(o.secret);
  const { chainId, registry, manager } = o.deployment;
  const anchorContract =
    o.anchorAddress !== undefined && o.anchorSigner !== undefined
      ? KeyServiceAnchor__factory.connect(o.anchorAddress, o.anchorSigner)
      : undefined;

  const app = Fastify({ logger: o.logger ?? false, bodyLimit: 4 * 1024 * 1024 });
  await app.register(rateLimit, {
    max: o.ipRateLimit ?? 600,
    timeWindow: "1 minute",
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      error: "Too Many Requests",
      message: `more than ${ctx.max} requests a minute from this address: retry in ${Math.ceil(ctx.ttl / 1000)} s`,
    }),
  });
  // Keep the body as sent: the signature covers its SHA-256.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    req.rawBody = body as string;
    try {
      done(null, body === "" ? {} : JSON.parse(body as string));
    } catch {
      done(new Refusal(400, "the request body is not JSON"), undefined);
    }
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _req, reply) => {
    const status = error instanceof Refusal ? error.statusCode : (error.statusCode ?? 500);
    if (error instanceof Refusal && error.retryAfter !== undefined) reply.header("retry-after", error.retryAfter);
    if (status >= 500) app.log.error(error);
    return reply
      .status(status)
      .send({ statusCode: status, error: STATUS_TEXT[status] ?? "Error", message: error.message });
  });

  /** Every check of a signed request, against the chain as it is now. */
  async function authenticate(req: FastifyRequest): Promise<Caller> {
    const h = (name: string) => {
      const v = req.headers[name];
      return typeof v === "string" ? v.trim() : undefined;
    };
    const account = h(HEADER.account);
    const timestamp = h(HEADER.timestamp);
    const nonce = h(HEADER.nonce);
    const signature = h(HEADER.signature);
    if (account === undefined || timestamp === undefined || nonce === undefined || signature === undefined) {
      throw new Refusal(
        401,
        `this request is not signed: the key service answers only requests signed by a registered organisation's account (headers ${Object.values(HEADER).join(", ")})`,
      );
    }
    if (!isAddress(account)) throw new Refusal(401, `${HEADER.account} is not an address`);
    if (!/^[0-9a-f]{16,64}$/i.test(nonce)) throw new Refusal(401, `${HEADER.nonce} must be 16 to 64 hex digits`);
    const ts = Number(timestamp);
    const at = now();
    if (!/^\d{10,16}$/.test(timestamp) || Math.abs(at - ts) > windowMs) {
      throw new Refusal(
        401,
        `the request's timestamp is ${Number.isFinite(ts) ? Math.round(Math.abs(at - ts) / 1000) : "?"} s away from the key service's clock (at most ${windowMs / 1000} s): check this computer's clock and send a newly signed request`,
      );
    }
    const hash = bodyHash(req.rawBody ?? "");
    const path = req.url.split("?")[0]!;
    const signer = recoverSigner(
      signedText({ chainId, method: req.method, path, bodyHash: hash, timestamp: ts, nonce }),
      signature,
    );
    const claimed = getAddress(account);
    if (signer !== claimed) {
      throw new Refusal(
        401,
        `the signature is not by ${claimed}: sign the request with that account's key (over this chain, method, path, body, timestamp and nonce)`,
      );
    }
    // The chain, now: registered, not suspended, of a kind the service answers, holding its role.
    let org;
    try {
      org = await registry.organisation(claimed);
    } catch (e) {
      throw new Refusal(503, `the key service cannot read the organisation registry: ${explain(e).message}`);
    }
    const status = Number(org.status);
    if (status === 0) {
      throw new Refusal(
        403,
        `${claimed} is not a registered organisation: the key service answers only registered ${allowedText} organisations`,
      );
    }
    if (status === 2) {
      throw new Refusal(
        403,
        `${claimed} (${org.name}) is suspended in the organisation registry: the key service refuses it until it is reinstated`,
      );
    }
    const kind = BigInt(org.kind);
    if (!allowed.includes(kind)) {
      throw new Refusal(
        403,
        `${claimed} (${org.name}) is a ${roleLabel(kind)} organisation: the key service answers only ${allowedText}`,
      );
    }
    const [isMember, delay] = await manager.hasRole(kind, claimed);
    if (!isMember || delay !== 0n) {
      throw new Refusal(
        403,
        `${claimed} (${org.name}) does not hold role ${roleLabel(kind)} in the permission hub: the key service refuses it`,
      );
    }
    return { account: claimed, role: roleLabel(kind), nonce: nonce.toLowerCase(), bodyHash: hash, at };
  }

  const compute = (items: unknown, f: (text: string) => string, mask: (text: string) => string): KeyResult[] =>
    (items as unknown[]).map((item) => {
      if (typeof item !== "string") return { value: "", problem: "must be a string" };
      try {
        return { key: f(item) };
      } catch (e) {
        if (e instanceof InvalidInputError) return { value: String(e.value), problem: e.problem };
        return { value: mask(item), problem: (e as Error).message };
      }
    });

  app.get(ROUTES.health, async (): Promise<HealthResponse> => {
    const { head, count } = await store.head();
    const anchors = await store.anchors();
    const last = anchors.at(-1);
    return {
      service: "zhixin-keyservice",
      chainId: chainId.toString(),
      keyVersion,
      anchor: o.anchorAddress ?? "",
      count,
      head,
      ...(last !== undefined ? { lastAnchor: last } : {}),
    };
  });

  app.post(ROUTES.keys, async (req: FastifyRequest, reply: FastifyReply): Promise<KeysResponse> => {
    const caller = await authenticate(req);
    const body = req.body as { idNumbers?: unknown; households?: unknown } | undefined;
    const idNumbers = body?.idNumbers ?? [];
    const households = body?.households ?? [];
    if (!Array.isArray(idNumbers) || !Array.isArray(households)) {
      throw new Refusal(400, "the body must be {idNumbers: string[], households: string[]}");
    }
    if (idNumbers.length + households.length === 0) throw new Refusal(400, "the request asks for no key");
    if (idNumbers.length + households.length > MAX_BATCH) {
      throw new Refusal(
        400,
        `one request asks for at most ${MAX_BATCH} keys and household hashes, not ${idNumbers.length + households.length}: split it`,
      );
    }
    const keys = compute(
      idNumbers,
      (t) => beneficiaryKey(o.secret, t),
      () => "(hidden)",
    );
    const householdHashes = compute(
      households,
      (t) => householdHash(o.secret, t),
      () => "(hidden)",
    );
    // Logged (and the nonce claimed, and the limits checked) before any key leaves.
    let entry;
    try {
      entry = await store.append(
        {
          at: caller.at,
          account: caller.account,
          role: caller.role,
          keys: idNumbers.length,
          households: households.length,
          keyVersion,
          bodyHash: caller.bodyHash,
        },
        caller.nonce,
        limits,
      );
    } catch (e) {
      if (e instanceof ReplayedNonceError) throw new Refusal(409, e.message);
      if (e instanceof RateLimitedError) throw new Refusal(429, e.message, e.retryAfter);
      throw e;
    }
    void reply.header("cache-control", "no-store");
    return { keyVersion, keys, householdHashes, logIndex: entry.index };
  });

  app.get<{ Querystring: { from?: string; to?: string } }>(ROUTES.log, async (req): Promise<LogResponse> => {
    const from = Number(req.query.from ?? 1);
    const to = Math.min(Number(req.query.to ?? 2_147_483_647), 2_147_483_647);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1) {
      throw new Refusal(400, "from and to must be entry numbers (1, 2, …)");
    }
    const { head, count } = await store.head();
    return { entries: await store.entries(from, to), count, head, anchors: await store.anchors() };
  });

  let anchoring: Promise<AnchorView | undefined> = Promise.resolve(undefined);
  async function anchorOnce(): Promise<AnchorView | undefined> {
    if (anchorContract === undefined) return undefined;
    const { head, count } = await store.head();
    if (count === 0) return undefined;
    const [, anchoredCount] = await anchorContract.latest();
    if (Number(anchoredCount) >= count) return undefined;
    const overrides = o.overrides ?? { type: 0 as const, gasPrice: 0n };
    const w = await sendWrite<void>(anchorContract.anchor, [head, count], overrides);
    const view: AnchorView = { count, head, txHash: w.txHash, at: now() };
    await store.recordAnchor(view);
    return view;
  }
  const anchorNow = () => {
    const run = anchoring.then(anchorOnce, anchorOnce);
    anchoring = run.catch(() => undefined);
    return run;
  };

  app.post(ROUTES.anchor, async (req) => {
    await authenticate(req);
    if (anchorContract === undefined) throw new Refusal(503, "this key service runs without an anchoring account");
    const { head, count } = await store.head();
    const done = await anchorNow();
    return { count, head, anchored: done ?? null };
  });

  const interval = o.anchorIntervalMs ?? 3_600_000;
  const timer =
    interval > 0 && anchorContract !== undefined
      ? setInterval(() => {
          anchorNow().catch((e: unknown) => app.log.error(e));
        }, interval)
      : undefined;
  timer?.unref();
  // Nonces older than twice the window can never be replayed (their timestamps are refused).
  const pruner = setInterval(() => void store.pruneNonces(now() - 2 * windowMs).catch(() => {}), windowMs);
  pruner.unref();

  return {
    app,
    store,
    keyVersion,
    anchorNow,
    close: async () => {
      if (timer !== undefined) clearInterval(timer);
      clearInterval(pruner);
      await app.close();
      await anchoring.catch(() => {});
      await store.close();
    },
  };
}

/** Builds the service and listens; its base URL. */
export async function startKeyService(
  o: KeyServiceOptions & { host?: string; port?: number },
): Promise<KeyService & { url: string }> {
  const service = await buildKeyService(o);
  try {
    const address = await service.app.listen({ host: o.host ?? "127.0.0.1", port: o.port ?? 0 });
    return { ...service, url: address };
  } catch (e) {
    await service.close();
    throw e;
  }
}
