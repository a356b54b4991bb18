import { lazy, Suspense, type ComponentType, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Route, Routes } from "react-router-dom";

import { AppDataProvider } from "./app-data.js";
import { Layout } from "./components/Layout.js";
import { Home } from "./pages/Home.js";
import { PAGES } from "../../src/indexer/routes.js";

/** A page loaded on first visit, so that the QR landing page does not wait for the charts. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const Blocks = page(() => import("./pages/Chain.js"), "Blocks");
const Txs = page(() => import("./pages/Chain.js"), "Txs");
const Block = page(() => import("./pages/Block.js"), "Block");
const Tx = page(() => import("./pages/Tx.js"), "Tx");
const Address = page(() => import("./pages/Address.js"), "Address");
const Search = page(() => import("./pages/Search.js"), "Search");
const Permissions = page(() => import("./pages/Permissions.js"), "Permissions");
const Governance = page(() => import("./pages/Governance.js"), "Governance");
const Charity = page(() => import("./pages/Charity.js"), "Charity");
const CharityProject = page(() => import("./pages/CharityProject.js"), "CharityProject");
const Donation = page(() => import("./pages/Donation.js"), "Donation");
const Batch = page(() => import("./pages/Batch.js"), "Batch");
const Batches = page(() => import("./pages/Batches.js"), "Batches");
const Recall = page(() => import("./pages/Recall.js"), "Recall");
const Recalls = page(() => import("./pages/Recall.js"), "Recalls");
const Statistics = page(() => import("./pages/Statistics.js"), "Statistics");
const Relief = page(() => import("./pages/Relief.js"), "Relief");
const Programme = page(() => import("./pages/Programme.js"), "Programme");
const Documents = page(() => import("./pages/Documents.js"), "Documents");
const Contracts = page(() => import("./pages/Contracts.js"), "Contracts");
const ReliefReceipt = page(() => import("./pages/ReliefReceipt.js"), "ReliefReceipt");
const ApiDocs = page(() => import("./pages/ApiDocs.js"), "ApiDocs");
const NotFound = page(() => import("./pages/NotFound.js"), "NotFound");
const DigitalLinkLot = page(() => import("./pages/DigitalLink.js"), "DigitalLinkLot");
const DigitalLinkProduct = page(() => import("./pages/DigitalLink.js"), "DigitalLinkProduct");

function Lazy({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <p className="muted" data-testid="loading">
          {t("common.loading")}
        </p>
      }
    >
      {children}
    </Suspense>
  );
}

export function App() {
  return (
    <AppDataProvider>
      <BrowserRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<Home />} />
            <Route path="blocks" element={<Lazy children={<Blocks />} />} />
            <Route path="txs" element={<Lazy children={<Txs />} />} />
            <Route path="block/:number" element={<Lazy children={<Block />} />} />
            <Route path="tx/:hash" element={<Lazy children={<Tx />} />} />
            <Route path="address/:address" element={<Lazy children={<Address />} />} />
            <Route path="search" element={<Lazy children={<Search />} />} />
            <Route path="permissions" element={<Lazy children={<Permissions />} />} />
            <Route path="governance" element={<Lazy children={<Governance />} />} />
            <Route path="charity" element={<Lazy children={<Charity />} />} />
            <Route path="charity/project/:id" element={<Lazy children={<CharityProject />} />} />
            <Route path="charity/donation/:ref" element={<Lazy children={<Donation />} />} />
            <Route path="charity/statistics" element={<Lazy children={<Statistics />} />} />
            <Route path={PAGES.batch(":id").slice(1)} element={<Lazy children={<Batch />} />} />
            <Route path="trace" element={<Lazy children={<Batches />} />} />
            <Route path="trace/recalls" element={<Lazy children={<Recalls />} />} />
            <Route path="trace/recall/:id" element={<Lazy children={<Recall />} />} />
            <Route path="01/:gtin/10/:lot" element={<Lazy children={<DigitalLinkLot />} />} />
            <Route path="01/:gtin" element={<Lazy children={<DigitalLinkProduct />} />} />
            <Route path="relief" element={<Lazy children={<Relief />} />} />
            <Route path="relief/programme/:id" element={<Lazy children={<Programme />} />} />
            <Route path="relief/receipt/:hash" element={<Lazy children={<ReliefReceipt />} />} />
            <Route path="api-docs" element={<Lazy children={<ApiDocs />} />} />
            <Route path="documents" element={<Lazy children={<Documents />} />} />
            <Route path="contracts" element={<Lazy children={<Contracts />} />} />
            <Route path="*" element={<Lazy children={<NotFound />} />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </AppDataProvider>
  );
}
