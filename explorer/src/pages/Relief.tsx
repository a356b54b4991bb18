import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { useResource } from "../api.js";
import { Addr } from "../components/Addr.js";
import { Load } from "../components/Load.js";
import { formatDate, formatYuan, shortHex } from "../format.js";
import { ClosedBanner } from "./Governance.js";

export function Relief() {
  const { t, i18n } = useTranslation();
  const list = useResource("programmes", {});
  return (
    <>
      <ClosedBanner contract="ReliefLedger" />
      <h1>{t("relief.title")}</h1>
      <p className="muted">{t("relief.intro")}</p>
      <Load value={list}>
        {(programmes) =>
          programmes.length === 0 ? (
            <p className="muted">{t("common.empty")}</p>
          ) : (
            <div className="table-wrap">
              <table className="list" data-testid="programme-table">
                <thead>
                  <tr>
                    <th>{t("relief.programme")}</th>
                    <th>{t("relief.category")}</th>
                    <th>{t("relief.fiscalYear")}</th>
                    <th>{t("relief.finance")}</th>
                    <th className="num">{t("relief.appropriated")}</th>
                    <th className="num">{t("relief.allocated")}</th>
                    <th className="num">{t("relief.disbursed")}</th>
                    <th className="num">{t("relief.returned")}</th>
                    <th>{t("common.time")}</th>
                  </tr>
                </thead>
                <tbody>
                  {programmes.map((p) => (
                    <tr key={p.programmeId}>
                      <td>
                        <Link
                          to={`/relief/programme/${p.programmeId}`}
                          title={p.programmeId}
                          data-testid="programme-name"
                        >
                          {p.name ?? p.code}
                        </Link>
                        {p.name !== undefined && <code className="muted small"> {p.code}</code>}
                      </td>
                      <td>{t(`reliefCategory.${p.category}`, { defaultValue: p.category })}</td>
                      <td>{p.fiscalYear}</td>
                      <td>
                        <Addr address={p.finance} />
                      </td>
                      <td className="num">{formatYuan(p.appropriated)}</td>
                      <td className="num" data-testid="programme-released">
                        {formatYuan(p.released)}
                      </td>
                      <td className="num">{formatYuan(p.disbursed)}</td>
                      <td className="num">{formatYuan(p.returned)}</td>
                      <td>{formatDate(p.timestamp, i18n.language)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Load>
    </>
  );
}
