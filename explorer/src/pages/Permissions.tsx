import { useTranslation } from "react-i18next";

import { AbiName } from "../components/AbiName.js";
import { useResource } from "../api.js";
import { Addr } from "../components/Addr.js";
import { Load } from "../components/Load.js";

/** A role: its Chinese name in Chinese, its label in English, the other on hover. */
export function RoleName({ label, zh }: { label: string; zh?: string }) {
  const { i18n } = useTranslation();
  const english = i18n.language === "en" || zh === undefined || zh === "";
  return (
    <span className="tag role" title={english ? zh : label}>
      {english ? label : zh}
    </span>
  );
}

export function Permissions() {
  const { t, i18n } = useTranslation();
  const view = useResource("permissions", {});
  return (
    <>
      <h1>{t("permissions.title")}</h1>
      <p className="muted">{t("permissions.intro")}</p>
      <Load value={view}>
        {(v) => (
          <>
            <p>
              {t("permissions.manager")} <Addr address={v.manager} />
            </p>
            <div className="cards" data-testid="roles">
              {v.roles.map((r) => (
                <section key={r.id} className="card" data-testid="role" data-role={r.label}>
                  <h2 title={r.label}>{i18n.language === "en" || r.zh === "" ? r.label : r.zh}</h2>
                  <p className="muted small">
                    {t("permissions.roleId")} {r.id}
                  </p>
                  <h3>{t("permissions.members", { count: r.members.length })}</h3>
                  {r.members.length === 0 ? (
                    <p className="muted">{t("common.none")}</p>
                  ) : (
                    <ul className="plain">
                      {r.members.map((m) => (
                        <li key={m.account}>
                          <Addr address={m.account} />{" "}
                          <span className="muted small">{t("permissions.since", { block: m.since })}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                  <h3>{t("permissions.functions", { count: r.functions.length })}</h3>
                  {r.functions.length === 0 ? (
                    <p className="muted">{t("common.none")}</p>
                  ) : (
                    <ul className="plain fns">
                      {r.functions.map((f) => (
                        <li key={`${f.contract}.${f.selector}`}>
                          <span className="tag">
                            <AbiName kind="contract" contract={f.contract} />
                          </span>{" "}
                          <AbiName kind="function" contract={f.contract} name={f.function} />{" "}
                          <code className="muted small">{f.selector}</code>
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              ))}
            </div>
          </>
        )}
      </Load>
    </>
  );
}
