/**
 * The client of the beneficiary-key service (src/keyservice/): what villages and departments use
 * instead of holding the consortium secret. `ZHIXIN_KEY_SERVICE_URL` names the service; each request
 * is signed by the organisation's own account (src/keyservice/protocol.ts), and a file's keys are
 * asked for in one request (split only above the service's batch limit).
 *
 * The ID numbers do travel to the service (it computes the keys): run it behind HTTPS on the
 * consortium's network. They are never logged there, and never sent to the chain.
 */
import type { Signer } from "ethers";

import { InvalidInputError } from "../errors.js";
import { LedgerError } from "../errors.js";
import {
  HEADER,
  MAX_BATCH,
  ROUTES,
  bodyHash,
  newNonce,
  signedText,
  type HealthResponse,
  type KeyResult,
  type KeysResponse,
} from "../keyservice/protocol.js";
import { beneficiaryKey, householdHash } from "./key.js";

/** The variable naming the key service; when unset the CLI refuses, except on the dev chain. */
export const KEY_SERVICE_URL_VARIABLE = "ZHIXIN_KEY_SERVICE_URL";

/** Keys and household hashes for a batch, whoever computes them (the key service, or the dev secret). */
export interface KeySource {
  /** A description for messages, e.g. "the key service at https://…". */
  readonly name: string;
  compute(
    idNumbers: readonly string[],
    households: readonly string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ keys: KeyResult[]; householdHashes: KeyResult[] }>;
}

export class KeyServiceClient implements KeySource {
  readonly name: string;
  private readonly base: string;

  constructor(
    url: string,
    private readonly signer: Signer,
    private readonly chainId: bigint,
  ) {
    this.base = url.replace(/\/+$/, "");
    this.name = `the key service at ${this.base}`;
  }

  private async send<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (method === "POST") {
      const timestamp = Date.now();
      const nonce = newNonce();
      const account = await this.signer.getAddress();
      const signature = await this.signer.signMessage(
        signedText({ chainId: this.chainId, method, path, bodyHash: bodyHash(text), timestamp, nonce }),
      );
      Object.assign(headers, {
        "content-type": "application/json",
        [HEADER.account]: account,
        [HEADER.timestamp]: String(timestamp),
        [HEADER.nonce]: nonce,
        [HEADER.signature]: signature,
      });
    }
    let res: Response;
    try {
      res = await fetch(this.base + path, { method, headers, ...(method === "POST" ? { body: text } : {}) });
    } catch (e) {
      throw new LedgerError(
        `cannot reach ${this.name} (${KEY_SERVICE_URL_VARIABLE}): ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`,
      );
    }
    const answer = (await res.json().catch(() => ({}))) as { message?: string };
    if (!res.ok) {
      throw new LedgerError(`${this.name} refused (HTTP ${res.status}): ${answer.message ?? res.statusText}`);
    }
    return answer as T;
  }

  health(): Promise<HealthResponse> {
    return this.send("GET", ROUTES.health);
  }

  /** Asks the service to anchor its log's head on chain now. */
  anchor(): Promise<{ count: number; head: string; anchored: unknown }> {
    return this.send("POST", ROUTES.anchor, {});
  }

  async compute(
    idNumbers: readonly string[],
    households: readonly string[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ keys: KeyResult[]; householdHashes: KeyResult[] }> {
    if (idNumbers.length + households.length === 0) return { keys: [], householdHashes: [] };
    const health = await this.health();
    if (health.chainId !== this.chainId.toString()) {
      throw new LedgerError(
        `${this.name} serves chain ${health.chainId}, not this chain (${this.chainId}): check ${KEY_SERVICE_URL_VARIABLE}`,
      );
    }
    const total = idNumbers.length + households.length;
    const keys: KeyResult[] = [];
    const householdHashes: KeyResult[] = [];
    onProgress?.(0, total);
    // One request for the whole file, unless it is larger than the service takes at once.
    let i = 0;
    let j = 0;
    while (i < idNumbers.length || j < households.length) {
      const ids = idNumbers.slice(i, i + MAX_BATCH);
      const hs = households.slice(j, j + MAX_BATCH - ids.length);
      const r = await this.send<KeysResponse>("POST", ROUTES.keys, { idNumbers: ids, households: hs });
      if (r.keys.length !== ids.length || r.householdHashes.length !== hs.length) {
        throw new LedgerError(`${this.name} answered ${r.keys.length} keys for ${ids.length} ID numbers`);
      }
      keys.push(...r.keys);
      householdHashes.push(...r.householdHashes);
      i += ids.length;
      j += hs.length;
      onProgress?.(i + j, total);
    }
    return { keys, householdHashes };
  }
}

/**
 * Keys computed here, from a secret held on this machine: for the development chain, the demo and the
 * tests only. A real consortium's villages do not hold the secret; they use {@link KeyServiceClient}.
 */
export function localKeySource(secret: Buffer, name = "the local development secret (dev only)"): KeySource {
  const each = (items: readonly string[], f: (t: string) => string): KeyResult[] =>
    items.map((t) => {
      try {
        return { key: f(t) };
      } catch (e) {
        if (e instanceof InvalidInputError) return { value: String(e.value), problem: e.problem };
        throw e;
      }
    });
  return {
    name,
    compute: async (idNumbers, households, onProgress) => {
      const r = {
        keys: each(idNumbers, (t) => beneficiaryKey(secret, t)),
        householdHashes: each(households, (t) => householdHash(secret, t)),
      };
      onProgress?.(idNumbers.length + households.length, idNumbers.length + households.length);
      return r;
    },
  };
}

/** The key of one ID number from a source; throws the row's problem as an InvalidInputError. */
export async function oneKey(source: KeySource, idNumber: string, household?: string) {
  const r = await source.compute([idNumber], household === undefined ? [] : [household]);
  const k = r.keys[0]!;
  if ("problem" in k) throw new InvalidInputError("ID number", k.value, k.problem);
  const h = r.householdHashes[0];
  if (h !== undefined && "problem" in h) throw new InvalidInputError("household record", h.value, h.problem);
  return { key: k.key, ...(h !== undefined ? { householdHash: h.key } : {}) };
}
