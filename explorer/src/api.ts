/**
 * The indexer's JSON API (same origin, under `/api`): typed GET helpers and React hooks. The
 * shapes are the indexer's own (`src/indexer/api-types.ts`), imported as types only.
 */
import { useCallback, useEffect, useRef, useState } from "react";

import type { ApiError, ApiErrorCode, Page } from "../../src/indexer/api-types.js";
import {
  API_BASE,
  apiPath,
  queryString,
  type ParamsOf,
  type ResponseOf,
  type RouteName,
} from "../../src/indexer/routes.js";

export { API_BASE };

/**
 * A failed request: the API's error answer, or a network failure (status 0, code `network`). Pages show
 * the sentence of `code` in the reader's language, never `message` alone (English, for API users).
 */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: ApiErrorCode | "network" = codeOfStatus(status),
    /** Seconds to wait before retrying (rate-limited). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

function codeOfStatus(status: number): ApiErrorCode | "network" {
  if (status === 0) return "network";
  if (status === 400) return "bad-request";
  if (status === 404) return "not-found";
  if (status === 429) return "rate-limited";
  if (status === 503) return "node-unreachable";
  return "internal";
}

function isApiError(v: unknown): v is ApiError {
  return typeof v === "object" && v !== null && "statusCode" in v && "message" in v;
}

let embedded: Map<string, unknown> | undefined;

/**
 * The answer to `/api<path>` that the server put in the page (`<script id="zx-data">`, src/indexer/static.ts),
 * once (`keep`: not yet, for a render React may throw away and redo): later asks go to the API.
 */
export function takeEmbedded<T>(path: string | undefined, keep = false): T | undefined {
  if (embedded === undefined) {
    embedded = new Map();
    const text = typeof document === "undefined" ? null : (document.getElementById("zx-data")?.textContent ?? null);
    if (text !== null) {
      try {
        for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) embedded.set(k, v);
      } catch {
        // not ours: ask the API
      }
    }
  }
  if (path === undefined || !embedded.has(path)) return undefined;
  const value = embedded.get(path) as T;
  if (!keep) embedded.delete(path);
  return value;
}

/** GETs `/api<path>` and parses the JSON answer; throws an {@link ApiFailure} on any error. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const ready = takeEmbedded<T>(path);
  if (ready !== undefined) return ready;
  let res: Response;
  try {
    res = await fetch(API_BASE + path, { headers: { accept: "application/json" }, signal });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiFailure(0, (e as Error).message);
  }
  const retryAfter = Number(res.headers.get("retry-after") ?? "") || undefined;
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ApiFailure(res.status, res.statusText || "not JSON", undefined, retryAfter);
  }
  if (!res.ok) {
    if (isApiError(body))
      throw new ApiFailure(res.status, body.message, body.code ?? undefined, body.retryAfter ?? retryAfter);
    throw new ApiFailure(res.status, res.statusText, undefined, retryAfter);
  }
  return body as T;
}

/** A path segment, encoded. */
export function seg(value: string | number): string {
  return encodeURIComponent(String(value));
}

/** A query string from defined values: `?limit=20&before=x`. */
export const query = queryString;

export type Loadable<T> =
  | { readonly state: "loading" }
  | { readonly state: "error"; readonly error: ApiFailure }
  | { readonly state: "ready"; readonly data: T };

/** Loads `/api<path>` whenever the path changes; `undefined` means nothing to load. */
export function useApi<T>(path: string | undefined): Loadable<T> {
  const [result, setResult] = useState<{ path: string | undefined; value: Loadable<T>; embedded?: true }>(() => {
    const data = takeEmbedded<T>(path, true);
    return data !== undefined
      ? { path, value: { state: "ready", data }, embedded: true }
      : { path: undefined, value: { state: "loading" } };
  });
  // The page's data came with the page: no request for it.
  const given = useRef(result.embedded === true ? path : undefined);
  useEffect(() => {
    if (path === undefined) return;
    if (given.current === path) {
      given.current = undefined;
      takeEmbedded(path);
      return;
    }
    const controller = new AbortController();
    getJson<T>(path, controller.signal).then(
      (data) => setResult({ path, value: { state: "ready", data } }),
      (e: unknown) => {
        if ((e as Error).name === "AbortError") return;
        const error = e instanceof ApiFailure ? e : new ApiFailure(0, String(e));
        setResult({ path, value: { state: "error", error } });
      },
    );
    return () => controller.abort();
  }, [path]);
  return result.path === path ? result.value : { state: "loading" };
}

/** Loads API route `name` with `params` (and a query), typed by the route table; `undefined` params load nothing. */
export function useResource<N extends RouteName>(
  name: N,
  params: ParamsOf<N> | undefined,
  q: Readonly<Record<string, string | number | undefined>> = {},
): Loadable<ResponseOf<N>> {
  return useApi<ResponseOf<N>>(params === undefined ? undefined : apiPath(name, params, q));
}

/**
 * A cursor-paginated list (`?limit=&before=`, newest first). Keeps the cursors of the pages seen so
 * that "newer" can step back.
 */
export function usePaged<T>(basePath: string, limit = 20) {
  const [cursors, setCursors] = useState<{ base: string; stack: (string | undefined)[] }>({
    base: basePath,
    stack: [undefined],
  });
  const stack = cursors.base === basePath ? cursors.stack : [undefined];
  const before = stack[stack.length - 1];
  const sep = basePath.includes("?") ? "&" : "?";
  const page = useApi<Page<T>>(basePath + sep + query({ limit, before }).slice(1));
  const older = useCallback(
    (next: string) => setCursors({ base: basePath, stack: [...stack, next] }),
    [basePath, stack],
  );
  const newer = useCallback(() => setCursors({ base: basePath, stack: stack.slice(0, -1) }), [basePath, stack]);
  const first = useCallback(() => setCursors({ base: basePath, stack: [undefined] }), [basePath]);
  return { page, pageIndex: stack.length - 1, older, newer, first };
}
