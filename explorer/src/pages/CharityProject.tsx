import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import type { CharityProjectDetail, GoodsLotView, Sankey } from "../../../src/indexer/api-types.js";
import { useResource } from "../api.js";
import { useAppData } from "../app-data.js";
import { Addr } from "../components/Addr.js";
import { TxLink } from "../components/Args.js";
import { Chart, type ChartOption } from "../components/Chart.js";
import { DocumentHash, Hash } from "../components/Hash.js";
import { FlowsCsv } from "../components/FlowsCsv.js";
import { Load } from "../components/Load.js";
import { Facts, Stat, Stats } from "../components/Stat.js";
import { fenToChartYuan, formatCount, formatTime, formatYuan, isAddress, shortHex, sumFen } from "../format.js";
import { ClosedBanner } from "./Governance.js";

const NODE_COLOURS: Record<Sankey["nodes"][number]["kind"], string> = {
  donors: "#c62828",
  grantIn: "#2e7d32",
  project: "#6a1b9a",
  recipient: "#1565c0",
  held: "#9e9e9e",
  grant: "#2e7d32",
  reversal: "#ef6c00",
};

function SankeyChart({ sankey }: { sankey: Sankey }) {
  const { t } = useTranslation();
  const { orgs } = useAppData();
  const option = useMemo<ChartOption>(() => {
    const label = (name: string) => {
      const node = sankey.nodes.find((n) => n.name === name);
      if (isAddress(name)) return orgs.get(name.toLowerCase())?.name ?? shortHex(name);
      if (node !== undefined && node.kind !== "recipient") {
        return t(`sankey.${node.kind}`, { id: name.replace(/^(grant from|project)\s*/, "") });
      }
      return name;
    };
    const fenOf = new Map(sankey.links.map((l) => [`${l.source}>${l.target}`, l.value]));
    return {
      tooltip: {
        trigger: "item",
        formatter: (p: { dataType?: string; data: { source?: string; target?: string; name?: string } }) => {
          if (p.dataType === "edge" && p.data.source !== undefined && p.data.target !== undefined) {
            const fen = fenOf.get(`${p.data.source}>${p.data.target}`) ?? "0";
            return `${label(p.data.source)} → ${label(p.data.target)}<br/>${formatYuan(fen)}`;
          }
          return label(p.data.name ?? "");
        },
      },
      series: [
        {
          type: "sankey",
          left: 8,
          right: 140,
          top: 8,
          bottom: 8,
          nodeAlign: "left",
          emphasis: { focus: "adjacency" },
          lineStyle: { color: "gradient", curveness: 0.5, opacity: 0.4 },
          label: { formatter: (p: { name: string }) => label(p.name), width: 130, overflow: "truncate" },
          data: sankey.nodes.map((n) => ({ name: n.name, itemStyle: { color: NODE_COLOURS[n.kind] } })),
          links: sankey.links.map((l) => ({ source: l.source, target: l.target, value: fenToChartYuan(l.value) })),
        },
      ],
    };
  }, [sankey, orgs, t]);
  if (sankey.links.length === 0) return <p className="muted">{t("common.empty")}</p>;
  return <Chart option={option} height={Math.max(280, sankey.nodes.length * 36)} testId="sankey" />;
}

function Donations({ list }: { list: CharityProjectDetail["donationsList"] }) {
  const { t, i18n } = useTranslation();
  if (list.length === 0) return <p className="muted">{t("common.empty")}</p>;
  return (
    <div className="table-wrap">
      <table className="list" data-testid="donations-table">
        <thead>
          <tr>
            <th>{t("donation.id")}</th>
            <th className="num">{t("common.amount")}</th>
            <th>{t("donation.channel")}</th>
            <th className="wide">{t("donation.commitment")}</th>
            <th>{t("donation.receivedOn")}</th>
            <th>{t("common.time")}</th>
            <th>{t("tx.title")}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((d) => (
            <tr key={d.donationId}>
              <td>
                <Link to={`/charity/donation/${d.donationId}`} title={d.donationId}>
                  <code>{shortHex(d.donationId, 10, 6)}</code>
                </Link>
              </td>
              <td className="num">{formatYuan(d.amount)}</td>
              <td>{t(`channel.${d.channel}`, { defaultValue: String(d.channel) })}</td>
              <td className="wide">
                <Hash value={d.donorCommitment} />
              </td>
              <td>{d.receivedOn ?? "—"}</td>
              <td>{formatTime(d.timestamp, i18n.language)}</td>
              <td>
                <TxLink hash={d.txHash} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Disbursements({ list }: { list: CharityProjectDetail["disbursements"] }) {
  const { t, i18n } = useTranslation();
  if (list.length === 0) return <p className="muted">{t("common.empty")}</p>;
  return (
    <div className="table-wrap">
      <table className="list" data-testid="disbursements-table">
        <thead>
          <tr>
            <th>{t("disbursement.recipient")}</th>
            <th>{t("disbursement.purpose")}</th>
            <th className="num">{t("common.amount")}</th>
            <th>{t("disbursement.confirmed")}</th>
            <th>{t("common.time")}</th>
            <th>{t("tx.title")}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((d) => (
            <tr key={d.disbursementId} title={d.disbursementId}>
              <td>
                <Addr address={d.recipient} />
              </td>
              <td>{t(`purpose.${d.purpose}`)}</td>
              <td className="num">{formatYuan(d.amount)}</td>
              <td>
                {d.confirmed ? (
                  <span className="ok">{t("disbursement.yes")}</span>
                ) : (
                  <span className="warn">{t("disbursement.pending")}</span>
                )}
              </td>
              <td>{formatTime(d.timestamp, i18n.language)}</td>
              <td>
                <TxLink hash={d.txHash} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Donations in kind: each lot, where it went (hand-overs) and whether the recipient confirmed. */
function GoodsLots({ lots }: { lots: GoodsLotView[] }) {
  const { t, i18n } = useTranslation();
  if (lots.length === 0) return <p className="muted">{t("common.none")}</p>;
  return (
    <ul className="cards-list" data-testid="goods-lots">
      {lots.map((l) => (
        <li key={l.lotId} className="card" data-testid="goods-lot" data-lot={l.lotId}>
          <div>
            <strong data-testid="goods-quantity">
              {formatCount(Number(l.quantity))} {l.unit}
            </strong>{" "}
            <span className="muted small">
              {t("goods.item")} <code>{l.itemCode}</code> · {t("goods.valuation")} {formatYuan(l.valuation)}
            </span>{" "}
            {l.reversed && <span className="tag bad">{t("charity.reversed")}</span>}
          </div>
          <div className="small">
            {t("goods.dispatched")} <span data-testid="goods-dispatched">{formatCount(Number(l.dispatched))}</span> ·{" "}
            {t("goods.remaining")} <span data-testid="goods-remaining">{formatCount(Number(l.remaining))}</span>{" "}
            {l.unit} · {formatTime(l.timestamp, i18n.language)} · <TxLink hash={l.txHash} />
          </div>
          {l.dispatches.length > 0 && (
            <ul className="handovers" data-testid="goods-handovers">
              {l.dispatches.map((h) => (
                <li key={h.dispatchId} data-testid="goods-handover" data-confirmed={h.confirmed ? "true" : "false"}>
                  → <Addr address={h.recipient} />{" "}
                  <strong>
                    {formatCount(Number(h.quantity))} {l.unit}
                  </strong>{" "}
                  {h.confirmed ? (
                    <span className="ok">{t("goods.confirmed")}</span>
                  ) : (
                    <span className="warn">{t("disbursement.pending")}</span>
                  )}{" "}
                  <span className="muted small">
                    {formatTime(h.timestamp, i18n.language)} · <TxLink hash={h.txHash} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

export function CharityProject() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const project = useResource("charityProject", { id });
  return (
    <Load value={project}>
      {(p) => (
        <>
          <ClosedBanner contract="CharityLedger" />
          <h1>
            <span data-testid="project-title">{p.name ?? p.code}</span>{" "}
            {p.name !== undefined && <code className="small">{p.code}</code>}{" "}
            <span className={`tag status-${p.status}`}>{t(`charity.projectStatus.${p.status}`)}</span>
          </h1>
          <Facts
            rows={[
              [t("charity.projectCode"), <code>{p.code}</code>],
              [t("charity.projectId"), <Hash value={p.projectId} full />],
              [t("charity.charity"), <Addr address={p.charity} />],
              [t("charity.permitHash"), <DocumentHash hash={p.permitHash} />],
              [t("charity.metadataHash"), <DocumentHash hash={p.metadataHash} />],
            ]}
          />
          <Stats>
            <Stat label={t("charity.target")} value={formatYuan(p.target)} testId="project-target" />
            {/* Received = donations + grants from other projects: a project funded by a grant received it. */}
            <Stat
              label={t("charity.received")}
              value={formatYuan(sumFen([p.received, p.grantedIn]))}
              testId="project-received"
            />
            <Stat label={t("charity.donated")} value={formatYuan(p.received)} testId="project-donated" />
            <Stat label={t("charity.grantedIn")} value={formatYuan(p.grantedIn)} testId="project-granted-in" />
            <Stat label={t("charity.spent")} value={formatYuan(sumFen([p.programme, p.administrative]))} />
            <Stat label={t("charity.grantedOut")} value={formatYuan(p.grantedOut)} />
            <Stat label={t("charity.balance")} value={formatYuan(p.balance)} testId="project-balance" />
            <Stat label={t("charity.donations")} value={formatCount(p.donations)} testId="project-donations" />
          </Stats>
          <FlowsCsv route="charityProjectFlows" id={p.projectId} />
          <section>
            <h2>{t("charity.flow")}</h2>
            <SankeyChart sankey={p.sankey} />
          </section>
          {p.grantsIn.length > 0 && (
            <section>
              <h2>{t("charity.grantsIn")}</h2>
              <ul data-testid="grants-in">
                {p.grantsIn.map((g) => (
                  <li key={g.txHash}>
                    <Link to={`/charity/project/${g.fromProjectId}`}>
                      <code>{shortHex(g.fromProjectId, 10, 6)}</code>
                    </Link>{" "}
                    → <strong>{formatYuan(g.amount)}</strong> · <TxLink hash={g.txHash} />
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section>
            <h2>{t("charity.goods")}</h2>
            <GoodsLots lots={p.goods} />
          </section>
          <section>
            <h2>{t("charity.disbursements")}</h2>
            <Disbursements list={p.disbursements} />
          </section>
          <section>
            <h2>{t("charity.latestDonations")}</h2>
            <Donations list={p.donationsList} />
          </section>
        </>
      )}
    </Load>
  );
}
