import { useState } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet, useLocation } from "react-router-dom";

import { setLanguage } from "../i18n.js";
import { SearchBox } from "./SearchBox.js";
import { FinalityBanner } from "./Unconfirmed.js";

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

/** Sticky header (brand, navigation, search, language switch), the page, a footer. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const location = useLocation();
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
      <main className="page">
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
