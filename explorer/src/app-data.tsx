/**
 * What every page needs once: the registry's organisations (to show names instead of addresses),
 * the public codes and names of projects, programmes, products and places (to show names instead of
 * ids and GLNs) and the deployment's contracts, fetched at start-up.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { contractZh } from "../../src/abi-labels.js";
import type { NamedRecord, OrgRecord, PublicNameIndex, Status } from "../../src/indexer/api-types.js";
import { getJson } from "./api.js";

export interface AppData {
  readonly orgs: ReadonlyMap<string, OrgRecord>;
  readonly contracts: ReadonlyMap<string, string>;
  /** Named records by lower-case id (a product also by its code text, e.g. `06901234500028`). */
  readonly records: ReadonlyMap<string, NamedRecord>;
  /** Location names by `<organisation, lower case>:<GLN-13>`. */
  readonly places: ReadonlyMap<string, string>;
  /** Period names by `<programme id>:<period>`. */
  readonly periods: ReadonlyMap<string, { code: string; name: string }>;
}

const EMPTY: AppData = {
  orgs: new Map(),
  contracts: new Map(),
  records: new Map(),
  places: new Map(),
  periods: new Map(),
};

/** The maps of a names answer. */
function nameMaps(n: PublicNameIndex | undefined): Pick<AppData, "records" | "places" | "periods"> {
  const records = new Map<string, NamedRecord>();
  for (const r of n?.records ?? []) {
    records.set(r.id, r);
    if (r.kind === "product") records.set(r.code, r);
  }
  return {
    records,
    places: new Map((n?.locations ?? []).map((l) => [`${l.org.toLowerCase()}:${l.gln}`, l.name])),
    periods: new Map((n?.periods ?? []).map((p) => [`${p.programmeId}:${p.period}`, { code: p.code, name: p.name }])),
  };
}

/** The chain's finality as the indexer last saw it: blocks above `finalBlock` may still be replaced. */
export interface Finality {
  readonly finalBlock: number;
  readonly indexedBlock: number;
  readonly confirmations: number;
  /** Whether the explorer's server reaches the node; while not, pages answer from the index as of `indexedBlock`. */
  readonly node: "reachable" | "unreachable";
}

const AppDataContext = createContext<AppData>(EMPTY);
const FinalityContext = createContext<Finality | undefined>(undefined);
/** How often the pages ask how far the chain is final. */
const FINALITY_POLL_MS = 3_000;

export function AppDataProvider({ children }: { children: ReactNode }) {
  const [data, setData] = useState<AppData>(EMPTY);
  useEffect(() => {
    const controller = new AbortController();
    const orgs = getJson<OrgRecord[]>("/orgs", controller.signal).catch(() => [] as OrgRecord[]);
    const status = getJson<Status>("/status", controller.signal).catch(() => undefined);
    const names = getJson<PublicNameIndex>("/names", controller.signal).catch(() => undefined);
    void Promise.all([orgs, status, names]).then(([o, s, n]) => {
      if (controller.signal.aborted) return;
      setData({
        orgs: new Map(o.map((r) => [r.account.toLowerCase(), r])),
        contracts: new Map((s?.contracts ?? []).map((c) => [c.address.toLowerCase(), c.name])),
        ...nameMaps(n),
      });
    });
    return () => controller.abort();
  }, []);
  const [finality, setFinality] = useState<Finality | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    const poll = () =>
      void getJson<Status>("/status", controller.signal)
        .then((s) =>
          setFinality({
            finalBlock: s.finalBlock,
            indexedBlock: s.indexedBlock,
            confirmations: s.confirmations,
            node: s.node,
          }),
        )
        .catch(() => undefined);
    poll();
    const timer = setInterval(poll, FINALITY_POLL_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, []);
  return (
    <AppDataContext.Provider value={data}>
      <FinalityContext.Provider value={finality}>{children}</FinalityContext.Provider>
    </AppDataContext.Provider>
  );
}

export function useFinality(): Finality | undefined {
  return useContext(FinalityContext);
}

/**
 * Whether a block may still be replaced by a reorganisation: above the final block, or not known yet
 * (until the first status answer, nothing is claimed final).
 */
export function useUnconfirmed(blockNumber: number): boolean {
  const f = useFinality();
  return f === undefined ? true : blockNumber > f.finalBlock;
}

export function useAppData(): AppData {
  return useContext(AppDataContext);
}

/** The organisation or contract name of an address, if known. */
export function useAddressName(address: string): string | undefined {
  const { orgs, contracts } = useAppData();
  const { i18n } = useTranslation();
  const key = address.toLowerCase();
  const contract = contracts.get(key);
  // A contract by its Chinese name on Chinese pages (src/abi-labels.ts).
  const named = contract !== undefined && i18n.language !== "en" ? (contractZh(contract) ?? contract) : contract;
  return orgs.get(key)?.name ?? named;
}

/** A named record by id (or a product by its code text), if it has a public code. */
export function useRecord(id: string | undefined): NamedRecord | undefined {
  const { records } = useAppData();
  return id === undefined ? undefined : (records.get(id.toLowerCase()) ?? records.get(id));
}

/** How a record reads: its name with its code, or its code alone. */
export function recordLabel(r: NamedRecord): string {
  return r.name !== undefined ? `${r.name}（${r.code}）` : r.code;
}

/** The short label of a record for charts: its name, else its code. */
export function recordShort(r: NamedRecord): string {
  return r.name ?? r.code;
}
