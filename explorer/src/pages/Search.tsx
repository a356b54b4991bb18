import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";

import { useResource } from "../api.js";
import { Load } from "../components/Load.js";
import { SearchBox } from "../components/SearchBox.js";

export function Search() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  const navigate = useNavigate();
  const hits = useResource("search", q === "" ? undefined : {}, { q });
  const only = hits.state === "ready" && hits.data.length === 1 ? hits.data[0] : undefined;
  useEffect(() => {
    if (only !== undefined) void navigate(only.path, { replace: true });
  }, [only, navigate]);
  return (
    <>
      <h1>{t("search.title")}</h1>
      <SearchBox key={q} testId="search-page-input" big initial={q} />
      {q !== "" && (
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
