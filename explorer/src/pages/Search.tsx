import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";

import { useResource } from "../api.js";
import { Load } from "../components/Load.js";
import { SearchBox, searchTarget } from "../components/SearchBox.js";

export function Search() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  const navigate = useNavigate();
  // A search URL typed or linked by hand gets the same browser-side checks as the box: an ID or phone
  // number is never sent, a receipt code only as its hash.
  const target = q === "" ? undefined : searchTarget(q);
  const hits = useResource("search", target?.kind === "search" ? {} : undefined, { q });
  const receiptPath = target?.kind === "receipt" ? target.path : undefined;
  useEffect(() => {
    if (receiptPath !== undefined) void navigate(receiptPath, { replace: true });
  }, [receiptPath, navigate]);
  const only = hits.state === "ready" && hits.data.length === 1 ? hits.data[0] : undefined;
  useEffect(() => {
    if (only !== undefined) void navigate(only.path, { replace: true });
  }, [only, navigate]);
  return (
    <>
      <h1>{t("search.title")}</h1>
      <SearchBox key={q} testId="search-page-input" big initial={target?.kind === "search" ? q : ""} />
      {(target?.kind === "refused" || target?.kind === "badReceiptCode") && (
        <p className="bad" role="alert" data-testid="search-refusal">
          {t(target.kind === "refused" ? "exports.refusePersonal" : "exports.badReceiptCode")}
        </p>
      )}
      {target?.kind === "search" && (
        <Load value={hits}>
          {(list) =>
            list.length === 0 ? (
              <p data-testid="search-empty">{t("search.none", { q })}</p>
            ) : (
              <>
                <p className="muted">{t("search.results", { count: list.length, q })}</p>
                <ul className="hits" data-testid="search-results">
                  {list.map((h) => (
                    <li key={h.path}>
                      <span className="tag">{t(`search.kind.${h.kind}`)}</span> <Link to={h.path}>{h.label}</Link>
                    </li>
                  ))}
                </ul>
              </>
            )
          }
        </Load>
      )}
    </>
  );
}
