/**
 * The routes, named once: the API's (name → path → response type), which the server registers
 * (src/indexer/api.ts) and the explorer loads (`useResource("batch", { ref })`), and the explorer's
 * public pages, whose URLs are printed on QR codes and returned by search. Pure: the explorer
 * imports it.
 */
import type {
  AddressDetail,
  BatchPage,
  BatchSummary,
  BlockDetail,
  BlockSummary,
  CharityProjectDetail,
  CharityProjectSummary,
  CharityStats,
  DocumentRecords,
  DonationDetail,
  EventRecord,
  OrgRecord,
  Page,
  PermissionsView,
  RecallSummary,
  RecallView,
  ProgrammePage,
  PublicNameIndex,
  ProgrammeSummary,
  ReliefReceiptView,
  SearchHit,
  StatisticsReport,
  Status,
  TxDetail,
  TxSummary,
} from "./api-types.js";
import type { VerificationReport } from "../verification/types.js";
import type { GovernanceView } from "./views/governance.js";

/** Where the API answers, under the explorer's own origin. */
export const API_BASE = "/api";

/** A route's path and, as a type only, what it answers. */
export interface ApiRoute<P extends string, R> {
  readonly path: P;
  /** Never read: carries the response type. */
  readonly response?: R;
}

const route =
  <R>() =>
  <P extends string>(path: P): ApiRoute<P, R> => ({ path });

/** Every API route, by name. */
export const API_ROUTES = {
  status: route<Status>()("/status"),
  blocks: route<Page<BlockSummary>>()("/blocks"),
  block: route<BlockDetail>()("/blocks/:number"),
  txs: route<Page<TxSummary>>()("/txs"),
  tx: route<TxDetail>()("/txs/:hash"),
  address: route<AddressDetail>()("/address/:address"),
  addressTxs: route<Page<TxSummary>>()("/address/:address/txs"),
  addressEvents: route<Page<EventRecord>>()("/address/:address/events"),
  search: route<SearchHit[]>()("/search"),
  orgs: route<OrgRecord[]>()("/orgs"),
  names: route<PublicNameIndex>()("/names"),
  permissions: route<PermissionsView>()("/permissions"),
  governance: route<GovernanceView>()("/governance"),
  charityProjects: route<CharityProjectSummary[]>()("/charity/projects"),
  charityProject: route<CharityProjectDetail>()("/charity/projects/:id"),
  /** CSV text (UTF-8 with BOM); query `lang` = zh | en. */
  charityProjectFlows: route<string>()("/charity/projects/:id/flows.csv"),
  donation: route<DonationDetail>()("/charity/donations/:ref"),
  charityStats: route<CharityStats>()("/charity/stats"),
  charityStatistics: route<StatisticsReport[]>()("/charity/statistics"),
  batches: route<Page<BatchSummary>>()("/trace/batches"),
  batch: route<BatchPage>()("/trace/batches/:ref"),
  recalls: route<RecallSummary[]>()("/trace/recalls"),
  recall: route<RecallView>()("/trace/recalls/:id"),
  programmes: route<ProgrammeSummary[]>()("/relief/programmes"),
  programme: route<ProgrammePage>()("/relief/programmes/:id"),
  /** CSV text (UTF-8 with BOM); query `lang` = zh | en. */
  programmeFlows: route<string>()("/relief/programmes/:id/flows.csv"),
  reliefReceipt: route<ReliefReceiptView>()("/relief/receipts/:hash"),
  documents: route<DocumentRecords>()("/documents/:hash"),
  contractVerification: route<VerificationReport>()("/contracts/verification"),
  /** Query `contract` and `file`. */
  contractSource: route<{ contract: string; file: string; content: string }>()("/contracts/source"),
} as const;

export type RouteName = keyof typeof API_ROUTES;
/** What route `N` answers. */
export type ResponseOf<N extends RouteName> = NonNullable<(typeof API_ROUTES)[N]["response"]>;

/** The `:name` parameters of a path. */
type ParamNames<P extends string> = P extends `${string}:${infer K}/${infer Rest}`
  ? K | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer K}`
    ? K
    : never;
/** The parameters route `N` takes. */
export type ParamsOf<N extends RouteName> = Readonly<
  Record<ParamNames<(typeof API_ROUTES)[N]["path"]>, string | number>
>;

/** The query string of `params` (undefined values left out), `?` included; empty without any. */
export function queryString(params: Readonly<Record<string, string | number | undefined>>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  if (entries.length === 0) return "";
  return "?" + entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join("&");
}

/** The path of route `name` with its parameters filled in (encoded), below {@link API_BASE}. */
export function apiPath<N extends RouteName>(
  name: N,
  params: ParamsOf<N>,
  query: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const path = API_ROUTES[name].path.replace(/:(\w+)/g, (_m, key: string) =>
    encodeURIComponent(String((params as Record<string, string | number>)[key])),
  );
  return path + queryString(query);
}

/** The explorer's public pages, as paths below its origin. */
export const PAGES = {
  /** A batch's history: the page a consumer's QR code opens. */
  batch: (batchId: string) => `/batch/${batchId.toLowerCase()}`,
  /** The batches of one product (its GTIN-14 or code text). */
  productBatches: (productCode: string) => `/trace?product=${encodeURIComponent(productCode)}`,
  /** GS1 Digital Link of a lot (GTIN-14, lot): resolved to the batch's page. */
  lot: (gtin: string, lot: string) => `/01/${gtin.padStart(14, "0")}/10/${encodeURIComponent(lot)}`,
  /** GS1 Digital Link of a product (GTIN-14): its batches. */
  product: (gtin: string) => `/01/${gtin.padStart(14, "0")}`,
} as const;

/** The GS1 Digital Link of a lot under the explorer at `base` (no trailing slash): what a QR code holds. */
export function digitalLinkUrl(base: string, gtin: string, lot: string): string {
  return `${base}${PAGES.lot(gtin, lot)}`;
}

/**
 * The explorer's page routes (React Router patterns, `:name` a segment): the server answers these with
 * the explorer (HTTP 200) and any other path with the explorer's not-found page under HTTP 404. A new
 * page adds its pattern here.
 */
export const PAGE_PATTERNS: readonly string[] = [
  "/",
  "/blocks",
  "/txs",
  "/block/:number",
  "/tx/:hash",
  "/address/:address",
  "/search",
  "/permissions",
  "/governance",
  "/charity",
  "/charity/project/:id",
  "/charity/donation/:ref",
  "/charity/statistics",
  PAGES.batch(":id"),
  "/trace",
  "/trace/recalls",
  "/trace/recall/:id",
  "/01/:gtin/10/:lot",
  "/01/:gtin",
  "/relief",
  "/relief/programme/:id",
  "/documents",
  "/contracts",
];

/** Whether `path` (no query) is one of the explorer's pages ({@link PAGE_PATTERNS}); a trailing slash is allowed. */
export function isPagePath(path: string): boolean {
  return pagePattern(path) !== undefined;
}

/** The pattern of {@link PAGE_PATTERNS} that `path` matches, if any. */
export function pagePattern(path: string): string | undefined {
  const parts = path.replace(/\/+$/, "").split("/");
  return PAGE_PATTERNS.find((pattern) => {
    const want = pattern.replace(/\/+$/, "").split("/");
    return want.length === parts.length && want.every((w, i) => (w.startsWith(":") ? parts[i] !== "" : w === parts[i]));
  });
}

/** The public URL of a batch's page under the explorer at `base` (no trailing slash): what a QR code holds. */
export function batchUrl(base: string, batchId: string): string {
  return `${base}${PAGES.batch(batchId)}`;
}
