/**
 * What every page needs once: the registry's organisations (to show names instead of addresses)
 * and the deployment's contracts, fetched at start-up.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

import type { OrgRecord, Status } from "../../src/indexer/api-types.js";
import { getJson } from "./api.js";

export interface AppData {
  readonly orgs: ReadonlyMap<string, OrgRecord>;
  readonly contracts: ReadonlyMap<string, string>;
}

const AppDataContext = createContext<AppData>({ orgs: new Map(), contracts: new Map() });

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
  return <AppDataContext.Provider value={data}>{children}</AppDataContext.Provider>;
}

export function useAppData(): AppData {
  return useContext(AppDataContext);
}

/** The organisation or contract name of an address, if known. */
export function useAddressName(address: string): string | undefined {
  const { orgs, contracts } = useAppData();
  const key = address.toLowerCase();
  return orgs.get(key)?.name ?? contracts.get(key);
}
