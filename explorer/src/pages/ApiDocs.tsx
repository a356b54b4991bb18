import { useTranslation } from "react-i18next";

import { useApi } from "../api.js";
import { Load } from "../components/Load.js";

interface OpenApi {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<
    string,
    Record<
      string,
      { tags?: string[]; summary?: string; parameters?: { name: string; in: string; description?: string }[] }
    >
  >;
}

/**
 * The JSON API described from its own OpenAPI document (`/api/openapi.json`, made by @fastify/swagger
 * from the routes' schemas): every route with what it answers, grouped by tag, so nothing here can
 * drift from the server.
 */
export function ApiDocs() {
  const { t } = useTranslation();
  const doc = useApi<OpenApi>("/openapi.json");
  return (
    <>
      <h1>{t("exports.api.title")}</h1>
      <p className="muted">{t("exports.api.intro")}</p>
      <p>
        <a href="/api/openapi.json" data-testid="openapi-json">
          /api/openapi.json
        </a>{" "}
        <span className="muted small">{t("exports.api.raw")}</span>
      </p>
      <Load value={doc}>
        {(d) => (
          <div data-testid="api-routes">
            <p className="small muted">
              {d.info.title} · {d.info.version}
            </p>
            {(d.tags ?? []).map((tag) => {
              const routes = Object.entries(d.paths).flatMap(([path, ops]) =>
                Object.entries(ops)
                  .filter(([, op]) => (op.tags ?? []).includes(tag.name))
                  .map(([method, op]) => ({ path, method, op })),
              );
              if (routes.length === 0) return null;
              return (
                <section key={tag.name}>
                  <h2>
                    {tag.name} <span className="muted small">{tag.description}</span>
                  </h2>
                  <ul className="api-routes">
                    {routes.map(({ path, method, op }) => (
                      <li key={`${method} ${path}`}>
                        <code>
                          {method.toUpperCase()} /api{path.replace(/^\/api/, "")}
                        </code>
                        <div className="small">{op.summary}</div>
                      </li>
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        )}
      </Load>
    </>
  );
}
