import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet, useLocation } from "react-router-dom";

import { PAGES, pagePattern } from "../../../src/indexer/routes.js";
import { setLanguage } from "../i18n.js";
import { SearchBox } from "./SearchBox.js";
import { useTableLabels } from "./TableCards.js";
import { FinalityBanner, NodeBanner } from "./Unconfirmed.js";

const NAV = [
  { to: "/", key: "nav.home", end: true },
  { to: "/charity", key: "nav.charity", end: false },
  { to: "/trace", key: "nav.trace", end: false },
  { to: "/relief", key: "nav.relief", end: false },
  { to: "/permissions", key: "nav.permissions", end: false },
  { to: "/governance", key: "nav.governance", end: false },
  { to: "/documents", key: "nav.documents", end: false },
  { to: "/contracts", key: "nav.contracts", end: false },
] as const;

/** Each page's name in the browser's title bar and history (by its route pattern). */
const TITLES: Record<string, string> = {
  "/": "nav.home",
  "/blocks": "app.titleBlocks",
  "/txs": "app.titleTxs",
  "/block/:number": "app.titleBlock",
  "/tx/:hash": "app.titleTx",
  "/address/:address": "app.titleAddress",
  "/search": "search.title",
  "/permissions": "nav.permissions",
  "/governance": "nav.governance",
  "/charity": "nav.charity",
  "/charity/project/:id": "app.titleProject",
  "/charity/donation/:ref": "app.titleDonation",
  [PAGES.batch(":id")]: "app.titleBatch",
  "/trace": "nav.trace",
  "/relief": "nav.relief",
  "/relief/programme/:id": "app.titleProgramme",
  "/documents": "nav.documents",
  "/contracts": "nav.contracts",
};

/** Sets `document.title` to the page's name and the explorer's, in the reader's language. */
function usePageTitle(pathname: string) {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    const pattern = pagePattern(pathname);
    const key = pattern === undefined ? "error.pageNotFound" : TITLES[pattern];
    const block = /^\/block\/(\d+)/.exec(pathname)?.[1];
    const page =
      key === undefined ? undefined : (t as unknown as (k: string, o: object) => string)(key, { number: block });
    document.title = page === undefined ? t("app.title") : `${page} · ${t("app.title")}`;
  }, [pathname, t, i18n.language]);
}

/** Sticky header (brand, navigation, search, language switch), the page, a footer. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  useTableLabels(main);
  usePageTitle(location.pathname);
  const [seen, setSeen] = useState(location.pathname);
  if (seen !== location.pathname) {
    setSeen(location.pathname);
    setOpen(false);
  }
  const other = i18n.language === "en" ? "zh" : "en";
  return (
    <>
      <header className="site-header">
        <div className="bar">
          <NavLink to="/" className="brand" data-testid="brand">
            {t("app.name")}
          </NavLink>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={open}
            aria-label={t("nav.menu")}
            onClick={() => setOpen(!open)}
            data-testid="menu-toggle"
          >
            ☰
          </button>
          <nav className={open ? "nav open" : "nav"} data-testid="nav">
            {NAV.map((n) => (
              <NavLink key={n.to} to={n.to} end={n.end}>
                {t(n.key)}
              </NavLink>
            ))}
          </nav>
          <SearchBox />
          <button
            type="button"
            className="lang"
            onClick={() => setLanguage(other)}
            data-testid="lang-switch"
            lang={other === "zh" ? "zh-CN" : "en"}
          >
            {t("lang.switch")}
          </button>
        </div>
      </header>
      <main className="page" ref={main}>
        <NodeBanner />
        <FinalityBanner />
        <Outlet />
      </main>
      <footer className="site-footer muted">
        {t("app.footer")} ·{" "}
        <NavLink to="/api-docs" data-testid="footer-api">
          {t("exports.api.link")}
        </NavLink>
      </footer>
    </>
  );
}
