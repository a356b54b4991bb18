import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import type { StatisticsReport, StatisticsTotals } from "../../../src/indexer/api-types.js";
import { useResource } from "../api.js";
import { Addr } from "../components/Addr.js";
import { TxLink } from "../components/Args.js";
import { DocumentHash, Hash } from "../components/Hash.js";
import { Load } from "../components/Load.js";
import { Facts } from "../components/Stat.js";
import { formatCount, formatTime, formatYuan, shortHex } from "../format.js";
import { ClosedBanner } from "./Governance.js";

const FIELDS: { key: keyof StatisticsTotals; money: boolean }[] = [
  { key: "received", money: true },
  { key: "reversed", money: true },
  { key: "programmeSpent", money: true },
  { key: "adminSpent", money: true },
  { key: "goodsValuation", money: true },
  { key: "donationCount", money: false },
  { key: "projectCount", money: false },
];

/** One published report: each figure it published beside the same figure summed from the records before it. */
function Report({ r }: { r: StatisticsReport }) {
  const { t, i18n } = useTranslation();
  const show = (v: string, money: boolean) => (money ? formatYuan(v) : formatCount(v));
  return (
    <section className="card" data-testid="statistics-report" data-period={r.periodId} data-matches={r.matches}>
      <h2>
        {t("statistics.period")} <code className="small">{shortHex(r.periodId, 10, 6)}</code>{" "}
        <span className={r.matches ? "tag ok" : "tag bad"} data-testid="statistics-verdict">
          {r.matches ? t("statistics.matches") : t("statistics.mismatch")}
        </span>
      </h2>
      <Facts
        rows={[
          [t("statistics.periodId"), <Hash value={r.periodId} full />],
          [t("statistics.publishedBy"), <Addr address={r.by} />],
          [t("statistics.reportHash"), <DocumentHash hash={r.reportHash} />],
          [t("common.time"), formatTime(r.timestamp, i18n.language)],
          [t("tx.title"), <TxLink hash={r.txHash} />],
        ]}
      />
      <div className="table-wrap">
        <table className="list" data-testid="statistics-figures">
          <thead>
            <tr>
              <th>{t("statistics.figure")}</th>
              <th className="num">{t("statistics.published")}</th>
              <th className="num">{t("statistics.records")}</th>
            </tr>
          </thead>
          <tbody>
            {FIELDS.map(({ key, money }) => (
              <tr
                key={key}
                data-field={key}
                data-published={r.published[key]}
                data-records={r.records[key]}
                className={r.published[key] === r.records[key] ? undefined : "breach"}
              >
                <td>{t(`statistics.field.${key}`)}</td>
                <td className="num">{show(r.published[key], money)}</td>
                <td className="num">{show(r.records[key], money)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        {t("statistics.covers", {
          donations: formatCount(r.counts.donations),
          reversals: formatCount(r.counts.reversals),
          disbursements: formatCount(r.counts.disbursements),
          goods: formatCount(r.counts.goodsLots),
          projects: formatCount(r.counts.projects),
          block: r.blockNumber,
        })}
      </p>
      <div className="table-wrap">
        <table className="list" data-testid="statistics-projects">
          <thead>
            <tr>
              <th>{t("charity.project")}</th>
              <th className="num">{t("charity.donations")}</th>
              <th className="num">{t("statistics.field.received")}</th>
              <th className="num">{t("charity.reversed")}</th>
              <th className="num">{t("charity.programme")}</th>
              <th className="num">{t("charity.administrative")}</th>
              <th className="num">{t("statistics.field.goodsValuation")}</th>
            </tr>
          </thead>
          <tbody>
            {r.projects.map((p) => (
              <tr key={p.projectId}>
                <td>
                  <Link to={`/charity/project/${p.projectId}`} title={p.projectId}>
                    {p.code}
                  </Link>
                </td>
                <td className="num">{formatCount(p.donations)}</td>
                <td className="num">{formatYuan(p.received)}</td>
                <td className="num">{formatYuan(p.reversed)}</td>
                <td className="num">{formatYuan(p.programme)}</td>
                <td className="num">{formatYuan(p.administrative)}</td>
                <td className="num">{formatYuan(p.goodsValuation)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Published statistics reports, each beside the records it covers. */
export function Statistics() {
  const { t } = useTranslation();
  const reports = useResource("charityStatistics", {});
  return (
    <>
      <ClosedBanner contract="CharityLedger" />
      <h1>{t("statistics.title")}</h1>
      <p className="muted">{t("statistics.intro")}</p>
      <Load value={reports}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">{t("common.none")}</p>
          ) : (
            <>
              {[...list].reverse().map((r) => (
                <Report key={`${r.txHash}:${r.periodId}`} r={r} />
              ))}
            </>
          )
        }
      </Load>
    </>
  );
}
