import { useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";

import type { CharityProjectSummary, CharityStats } from "../../../src/indexer/api-types.js";
import { useResource } from "../api.js";
import { useAppData } from "../app-data.js";
import { charityStatsCsv } from "../charity-csv.js";
import { Addr } from "../components/Addr.js";
import { Chart, type ChartOption } from "../components/Chart.js";
import { Load } from "../components/Load.js";
import { Stat, Stats } from "../components/Stat.js";
import { downloadText } from "../csv.js";
import { fenToChartYuan, formatCount, formatPercent, formatYuan, shortHex, sumFen } from "../format.js";
import { ClosedBanner } from "./Governance.js";

/**
 * Charity Law of the PRC, art. 60, and its implementing measures for foundations: programme
 * spending of a year at least 70 % of the previous year's income, administrative costs at most
 * 10 % of the year's spending. Percentages in hundredths, as the API gives them.
 */
const PROGRAMME_MIN = 7000n;
const ADMIN_MAX = 1000n;

function MonthlyChart({ months }: { months: CharityStats["months"] }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
      // One axis, two date bases said in the series' names: donations by their receipt date (on chain), spending
      // by block time (the ledger's Disbursed event carries no business date).
      xAxis: { type: "category", name: t("charity.monthAxis"), data: months.map((m) => m.month) },
      yAxis: [
        { type: "value", name: t("charity.yuanAxis") },
        { type: "value", name: t("charity.countAxis"), splitLine: { show: false } },
      ],
      series: [
        {
          name: t("charity.monthReceived"),
          type: "bar",
          data: months.map((m) => fenToChartYuan(m.received)),
          itemStyle: { color: "#c62828" },
        },
        {
          name: t("charity.monthSpent"),
          type: "bar",
          data: months.map((m) => fenToChartYuan(m.spent)),
          itemStyle: { color: "#1565c0" },
        },
        {
          name: t("charity.donations"),
          type: "line",
          yAxisIndex: 1,
          data: months.map((m) => m.donations),
          itemStyle: { color: "#f9a825" },
        },
      ],
    }),
    [months, t],
  );
  if (months.length === 0) return <p className="muted">{t("common.empty")}</p>;
  return <Chart option={option} testId="chart-monthly" />;
}

function LawTable({ years }: { years: CharityStats["years"] }) {
  const { t } = useTranslation();
  if (years.length === 0) return <p className="muted">{t("common.empty")}</p>;
  return (
    <div className="table-wrap">
      <table className="list" data-testid="law-table">
        <thead>
          <tr>
            <th>{t("charity.charity")}</th>
            <th>{t("charity.year")}</th>
            <th className="num">{t("charity.income")}</th>
            <th className="num">{t("charity.programme")}</th>
            <th className="num">{t("charity.administrative")}</th>
            <th className="num">{t("charity.programmeRatio")}</th>
            <th className="num">{t("charity.adminRatio")}</th>
            <th>{t("charity.compliance")}</th>
          </tr>
        </thead>
        <tbody>
          {years.map((y) => {
            const lowProgramme = y.programmeRatio !== undefined && BigInt(y.programmeRatio) < PROGRAMME_MIN;
            const highAdmin = y.adminRatio !== undefined && BigInt(y.adminRatio) > ADMIN_MAX;
            const breach = lowProgramme || highAdmin || y.breaches.length > 0;
            return (
              <tr key={`${y.charity}-${y.year}`} className={breach ? "breach" : undefined} data-breach={breach}>
                <td>
                  <Addr address={y.charity} />
                </td>
                <td>{y.year}</td>
                <td className="num">{formatYuan(y.income)}</td>
                <td className="num">{formatYuan(y.programme)}</td>
                <td className="num">{formatYuan(y.administrative)}</td>
                <td className={lowProgramme ? "num bad" : "num"}>{formatPercent(y.programmeRatio)}</td>
                <td className={highAdmin ? "num bad" : "num"}>{formatPercent(y.adminRatio)}</td>
                <td>
                  {!breach ? (
                    <span className="ok">{t("charity.compliant")}</span>
                  ) : (
                    <ul className="plain bad" title={y.breaches.join("\n")}>
                      {lowProgramme && <li>{t("charity.breachProgramme")}</li>}
                      {highAdmin && <li>{t("charity.breachAdmin")}</li>}
                      {!lowProgramme && !highAdmin && y.breaches.map((b) => <li key={b}>{b}</li>)}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted small">{t("charity.lawNote")}</p>
    </div>
  );
}

export function ProjectTable({ projects }: { projects: CharityProjectSummary[] }) {
  const { t } = useTranslation();
  if (projects.length === 0) return <p className="muted">{t("common.empty")}</p>;
  return (
    <div className="table-wrap">
      <table className="list" data-testid="project-table">
        <thead>
          <tr>
            <th>{t("charity.project")}</th>
            <th>{t("charity.charity")}</th>
            <th>{t("charity.status")}</th>
            <th className="num">{t("charity.target")}</th>
            <th className="num">{t("charity.received")}</th>
            <th className="num">{t("charity.spent")}</th>
            <th className="num">{t("charity.balance")}</th>
            <th className="num">{t("charity.donations")}</th>
          </tr>
        </thead>
        <tbody>
          {projects.map((p) => (
            <tr key={p.projectId}>
              <td>
                <Link to={`/charity/project/${p.projectId}`} title={p.projectId} data-testid="project-name">
                  {p.name ?? p.code}
                </Link>
                {p.name !== undefined && <code className="muted small"> {p.code}</code>}
              </td>
              <td>
                <Addr address={p.charity} />
              </td>
              <td>
                <span className={`tag status-${p.status}`}>{t(`charity.projectStatus.${p.status}`)}</span>
              </td>
              <td className="num">{formatYuan(p.target)}</td>
              <td className="num">{formatYuan(p.received)}</td>
              <td className="num">{formatYuan(sumFen([p.programme, p.administrative]))}</td>
              <td className="num">{formatYuan(p.balance)}</td>
              <td className="num">{formatCount(p.donations)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DonationLookup() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [ref, setRef] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = ref.trim();
    if (r !== "") void navigate(`/charity/donation/${encodeURIComponent(r)}`);
  };
  return (
    <form className="search big" onSubmit={submit}>
      <input
        value={ref}
        onChange={(e) => setRef(e.target.value)}
        placeholder={t("donation.lookupPlaceholder")}
        aria-label={t("donation.lookup")}
        data-testid="donation-lookup-input"
        autoCapitalize="characters"
        spellCheck={false}
      />
      <button type="submit" data-testid="donation-lookup-submit">
        {t("donation.lookup")}
      </button>
    </form>
  );
}

function CsvButton({ stats }: { stats: CharityStats }) {
  const { t } = useTranslation();
  const { orgs } = useAppData();
  const exportCsv = () => {
    const nameOf = (a: string) => orgs.get(a.toLowerCase())?.name ?? a;
    downloadText("zhixin-charity-stats.csv", charityStatsCsv(stats, t, nameOf));
  };
  return (
    <button type="button" className="primary" onClick={exportCsv} data-testid="csv-export">
      {t("charity.exportCsv")}
    </button>
  );
}

export function Charity() {
  const { t } = useTranslation();
  const stats = useResource("charityStats", {});
  const projects = useResource("charityProjects", {});
  return (
    <>
      <ClosedBanner contract="CharityLedger" />
      <div className="title-row">
        <h1>{t("charity.title")}</h1>
        <Link to="/charity/statistics" data-testid="statistics-link">
          {t("statistics.title")}
        </Link>
        {stats.state === "ready" && <CsvButton stats={stats.data} />}
      </div>
      <section>
        <h2>{t("donation.lookupTitle")}</h2>
        <DonationLookup />
      </section>
      <Load value={stats}>
        {(s) => (
          <>
            <Stats>
              <Stat label={t("charity.projects")} value={formatCount(s.totals.projects)} />
              <Stat label={t("charity.donations")} value={formatCount(s.totals.donations)} />
              <Stat label={t("charity.received")} value={formatYuan(s.totals.received)} testId="charity-received" />
              <Stat label={t("charity.programme")} value={formatYuan(s.totals.programme)} />
              <Stat label={t("charity.administrative")} value={formatYuan(s.totals.administrative)} />
              <Stat label={t("charity.balance")} value={formatYuan(s.totals.balance)} />
            </Stats>
            <section>
              <h2>{t("charity.monthly")}</h2>
              <p className="muted small" data-testid="monthly-note">
                {t("charity.monthlyNote")}
                {s.totals.undatedDonations > 0 && ` ${t("charity.undated", { count: s.totals.undatedDonations })}`}
              </p>
              <MonthlyChart months={s.months} />
            </section>
            <section>
              <h2>{t("charity.law")}</h2>
              <LawTable years={s.years} />
            </section>
          </>
        )}
      </Load>
      <section>
        <h2>{t("charity.projects")}</h2>
        <Load value={projects}>{(list) => <ProjectTable projects={list} />}</Load>
      </section>
    </>
  );
}
