/**
 * What every page needs once: the registry's organisations (to show names instead of addresses)
 * and the deployment's contracts, fetched at start-up.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { contractZh } from "../../src/abi-labels.js";
import type { OrgRecord, Status } from "../../src/indexer/api-types.js";
import { getJson } from "./api.js";

export interface AppData {
  readonly orgs: ReadonlyMap<string, OrgRecord>;
  readonly contracts: ReadonlyMap<string, string>;
}

/** The chain's finality as the indexer last saw it: blocks above `finalBlock` may still be replaced. */
export interface Finality {
  readonly finalBlock: number;
  readonly indexedBlock: number;
  readonly confirmations: number;
  /** Whether the explorer's server reaches the node; while not, pages answer from the index as of `indexedBlock`. */
  readonly node: "reachable" | "unreachable";
}

const AppDataContext = createContext<AppData>({ orgs: new Map(), contracts: new Map() });
const FinalityContext = createContext<Finality | undefined>(undefined);
/** How often the pages ask how far the chain is final. */
const FINALITY_POLL_MS = 3_000;

export function AppDataProvider({ children }: { children: ReactNode }) {
  const [data, setData] = useState<AppData>({ orgs: new Map(), contracts: new Map() });
  useEffect(() => {
    const controller = new AbortController();
    const orgs = getJson<OrgRecord[]>("/orgs", controller.signal).catch(() => [] as OrgRecord[]);
    const status = getJson<Status>("/status", controller.signal).catch(() => undefined);
    void Promise.all([orgs, status]).then(([o, s]) => {
      if (controller.signal.aborted) return;
      setData({
        orgs: new Map(o.map((r) => [r.account.toLowerCase(), r])),
        contracts: new Map((s?.contracts ?? []).map((c) => [c.address.toLowerCase(), c.name])),
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
