import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";

import type { ProgrammePage } from "../../../src/indexer/api-types.js";
import { useResource } from "../api.js";
import { useAppData } from "../app-data.js";
import { Addr } from "../components/Addr.js";
import { Chart, useNarrow, type ChartOption } from "../components/Chart.js";
import { Hash } from "../components/Hash.js";
import { FlowsCsv } from "../components/FlowsCsv.js";
import { Load } from "../components/Load.js";
import { Facts, Stat, Stats } from "../components/Stat.js";
import { formatCount, formatYuan, shortHex, sumFen } from "../format.js";
import { ClosedBanner } from "./Governance.js";

type TreeNode = ProgrammePage["root"];

interface ChartNode {
  name: string;
  value: string;
  children?: ChartNode[];
  itemStyle?: { color: string };
}

/** Leaves of the allocation tree (holders without children, and projects): the lines of a phone's chart. */
const leaves = (n: TreeNode): number =>
  n.children.length + n.projects.length === 0
    ? 1
    : n.children.reduce((sum, c) => sum + leaves(c), 0) + n.projects.length;

function AllocationChart({ root, projectNames }: { root: TreeNode; projectNames: ProgrammePage["projectNames"] }) {
  const { t } = useTranslation();
  const { orgs } = useAppData();
  const narrow = useNarrow();
  const option = useMemo<ChartOption>(() => {
    const nameOf = (a: string) => orgs.get(a.toLowerCase())?.name ?? shortHex(a);
    const toChart = (n: TreeNode): ChartNode => ({
      name: nameOf(n.holding.holder),
      value: formatYuan(n.holding.received),
      children: [
        ...n.children.map(toChart),
        ...n.projects.map((p) => ({
          name: `${t("relief.projectShort")} ${projectNames[p.projectId.toLowerCase()]?.name ?? projectNames[p.projectId.toLowerCase()]?.code ?? shortHex(p.projectId, 6, 4)}`,
          value: formatYuan(p.funded),
          itemStyle: { color: "#2e7d32" },
        })),
      ],
    });
    // A phone is too narrow for a top-down tree with slanted leaf names: there it grows left to right, one
    // line per leaf, with names wrapped inside the chart instead of cut at its edge.
    const label = { fontSize: 11, formatter: (p: { name: string }) => p.name };
    const layout = narrow
      ? {
          orient: "LR",
          top: 20,
          bottom: 20,
          left: 12,
          right: 140,
          label: { ...label, position: "top", align: "left", width: 110, overflow: "break" },
          leaves: {
            label: { position: "right", align: "left", verticalAlign: "middle", width: 130, overflow: "break" },
          },
        }
      : {
          orient: "TB",
          top: 30,
          bottom: 130,
          left: 20,
          right: 20,
          label: { ...label, position: "top" },
          leaves: { label: { position: "bottom", rotate: -30, align: "left" } },
        };
    return {
      tooltip: { trigger: "item", formatter: (p: { name: string; value: string }) => `${p.name}<br/>${p.value}` },
      series: [
        {
          type: "tree",
          data: [toChart(root)],
          symbolSize: 10,
          initialTreeDepth: -1,
          expandAndCollapse: true,
          ...layout,
        },
      ],
    };
  }, [root, orgs, t, narrow, projectNames]);
  return <Chart option={option} height={narrow ? Math.max(320, 36 * leaves(root)) : 460} testId="allocation-tree" />;
}

/** A relief project by its name and code (the id on hover). */
function ProjectName({ id, names }: { id: string; names: ProgrammePage["projectNames"] }) {
  const n = names[id.toLowerCase()];
  if (n === undefined) return <Hash value={id} />;
  return (
    <span title={id}>
      {n.name ?? n.code} {n.name !== undefined && <code className="muted small">{n.code}</code>}
    </span>
  );
}

function Holders({ page }: { page: ProgrammePage }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="list" data-testid="holders-table">
        <thead>
          <tr>
            <th>{t("relief.holder")}</th>
            <th className="num">{t("relief.received")}</th>
            <th className="num">{t("relief.allocated")}</th>
            <th className="num">{t("relief.available")}</th>
            <th className="num">{t("relief.reserved")}</th>
            <th className="num">{t("relief.disbursed")}</th>
            <th className="num">{t("relief.returned")}</th>
            <th className="num">{t("relief.beneficiaries")}</th>
            <th className="num">{t("relief.paidAmount")}</th>
            <th className="num">{t("relief.pending")}</th>
          </tr>
        </thead>
        <tbody>
          {page.nodes.map((n) => (
            <tr key={n.holding.holder}>
              <td style={{ paddingLeft: `${0.5 + n.depth * 1.1}rem` }}>
                {n.depth > 0 && <span className="muted">└ </span>}
                <Addr address={n.holding.holder} />
              </td>
              <td className="num">{formatYuan(n.holding.received)}</td>
              <td className="num">{formatYuan(n.holding.allocated)}</td>
              <td className="num">{formatYuan(n.holding.available)}</td>
              <td className="num">{formatYuan(n.holding.reserved)}</td>
              <td className="num">{formatYuan(n.holding.disbursed)}</td>
              <td className="num">{formatYuan(n.holding.returned)}</td>
              <td className="num">{formatCount(n.payments.beneficiaries)}</td>
              <td className="num" title={t("relief.paymentsCount", { count: n.payments.payments })}>
                {formatYuan(n.payments.amount)}
              </td>
              <td className="num">
                {n.payments.pending > 0 ? `${n.payments.pending} · ${formatYuan(n.payments.pendingAmount)}` : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Projects({ page }: { page: ProgrammePage }) {
  const { t } = useTranslation();
  if (page.projects.length === 0) return <p className="muted">{t("common.none")}</p>;
  return (
    <div className="table-wrap">
      <table className="list" data-testid="relief-projects">
        <thead>
          <tr>
            <th>{t("relief.project")}</th>
            <th>{t("relief.holder")}</th>
            <th>{t("relief.implementer")}</th>
            <th className="num">{t("relief.budget")}</th>
            <th className="num">{t("relief.funded")}</th>
            <th className="num">{t("relief.paid")}</th>
            <th className="num">{t("relief.returned")}</th>
            <th>{t("relief.milestones")}</th>
            <th>{t("relief.status")}</th>
          </tr>
        </thead>
        <tbody>
          {page.projects.map((p) => (
            <tr key={p.projectId}>
              <td data-testid="relief-project-name">
                <ProjectName id={p.projectId} names={page.projectNames} />
              </td>
              <td>
                <Addr address={p.holder} />
              </td>
              <td>
                <Addr address={p.implementer} />
              </td>
              <td className="num">{formatYuan(p.budget)}</td>
              <td className="num">{formatYuan(p.funded)}</td>
              <td className="num">{formatYuan(p.paid)}</td>
              <td className="num">{formatYuan(p.returned)}</td>
              <td>
                {p.milestonesSubmitted.length} / {p.milestoneCount}
              </td>
              <td>{t(`reliefProjectStatus.${p.status}`, { defaultValue: p.status })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Findings({ page }: { page: ProgrammePage }) {
  const { t } = useTranslation();
  if (page.findings.length === 0) return <p className="muted">{t("relief.noFindings")}</p>;
  return (
    <div className="table-wrap">
      <table className="list" data-testid="findings">
        <thead>
          <tr>
            <th>#</th>
            <th>{t("relief.auditor")}</th>
            <th>{t("relief.respondent")}</th>
            <th>{t("relief.severity")}</th>
            <th>{t("relief.status")}</th>
            <th>{t("relief.target")}</th>
          </tr>
        </thead>
        <tbody>
          {page.findings.map((f) => (
            <tr key={f.findingId} className={f.status === "open" ? "breach" : undefined}>
              <td>{f.findingId}</td>
              <td>
                <Addr address={f.auditor} />
              </td>
              <td>
                <Addr address={f.respondent} />
              </td>
              <td>{t(`severity.${f.severity}`, { defaultValue: String(f.severity) })}</td>
              <td>{t(`findingStatus.${f.status}`, { defaultValue: f.status })}</td>
              <td>
                {t(`targetKind.${f.targetKind}`, { defaultValue: f.targetKind })}{" "}
                {f.target.startsWith("0x") && f.target.length === 42 ? (
                  <Addr address={f.target} />
                ) : (
                  <Hash value={f.target} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Programme() {
  const { t, i18n } = useTranslation();
  const { id = "" } = useParams();
  const page = useResource("programme", { id });
  return (
    <Load value={page}>
      {(p) => {
        const g = p.programme;
        const accounted = sumFen([p.totals.available, p.totals.reserved, p.totals.disbursed]);
        const balanced = accounted === BigInt(g.appropriated);
        return (
          <>
            <ClosedBanner contract="ReliefLedger" />
            <h1 data-testid="programme-title">{p.name ?? (p.code || shortHex(g.programmeId, 10, 6))}</h1>
            <p className="muted">
              {p.code !== "" && <code>{p.code}</code>} ·{" "}
              {t(`reliefCategory.${g.category}`, { defaultValue: g.category })} · {g.fiscalYear}
            </p>
            <Facts
              rows={[
                [t("relief.programme"), <Hash value={g.programmeId} full />],
                [t("relief.finance"), <Addr address={g.finance} />],
                [
                  t("relief.periods"),
                  p.periodNames.length > 0
                    ? `${g.periods}: ${p.periodNames.map((n) => `${n.period} ${n.name}（${n.code}）`).join("、")}`
                    : String(g.periods),
                ],
                [t("relief.cap"), formatYuan(g.perBeneficiaryCap)],
                [
                  t("relief.attestations"),
                  <span data-testid="programme-attestations" data-count={p.attestations.length}>
                    {t("relief.attestationsCount", { count: p.attestations.length })}
                    {p.attestations.length > 0 && "："}
                    {p.attestations.map((a, i) => (
                      <span key={a.kind} data-testid="programme-attestation" data-kind={a.kind}>
                        {i > 0 && "、"}
                        {(i18n.language.startsWith("zh") ? a.zh : a.en) ??
                          t("relief.attestationKind", { kind: a.kind })}
                        {a.attesterRole !== undefined && (
                          <span className="muted">
                            {" "}
                            ({i18n.language.startsWith("zh") ? (a.attesterZh ?? a.attesterRole) : a.attesterRole})
                          </span>
                        )}
                      </span>
                    ))}
                  </span>,
                ],
              ]}
            />
            <Stats>
              <Stat
                label={t("relief.appropriated")}
                value={formatYuan(g.appropriated)}
                testId="programme-appropriated"
              />
              <Stat label={t("relief.allocated")} value={formatYuan(p.released)} testId="programme-released" />
              <Stat label={t("relief.allocatedHops")} value={formatYuan(g.allocated)} />
              <Stat label={t("relief.disbursed")} value={formatYuan(g.disbursed)} testId="programme-disbursed" />
              <Stat label={t("relief.returned")} value={formatYuan(g.returned)} />
              <Stat label={t("relief.beneficiaries")} value={formatCount(p.totals.beneficiaries)} />
            </Stats>
            <p className={balanced ? "ok small" : "bad small"} data-testid="conservation">
              {balanced ? "✓ " : "✗ "}
              {t("relief.conservation", {
                appropriated: formatYuan(g.appropriated),
                available: formatYuan(p.totals.available),
                reserved: formatYuan(p.totals.reserved),
                disbursed: formatYuan(p.totals.disbursed),
              })}
            </p>
            <FlowsCsv route="programmeFlows" id={g.programmeId} />
            <section>
              <h2>{t("relief.tree")}</h2>
              <AllocationChart root={p.root} projectNames={p.projectNames} />
            </section>
            <section>
              <h2>{t("relief.holders")}</h2>
              <Holders page={p} />
              <p className="muted small">{t("relief.anonymised")}</p>
            </section>
            <section>
              <h2>{t("relief.projects")}</h2>
              <Projects page={p} />
            </section>
            <section>
              <h2>{t("relief.findings")}</h2>
              <Findings page={p} />
            </section>
          </>
        );
      }}
    </Load>
  );
}
