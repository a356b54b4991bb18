import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import { PAGES } from "../../../src/indexer/routes.js";
import type { RecallView } from "../../../src/indexer/api-types.js";
import { useResource } from "../api.js";
import { Addr } from "../components/Addr.js";
import { TxLink } from "../components/Args.js";
import { DocumentHash } from "../components/Hash.js";
import { Load } from "../components/Load.js";
import { Facts, Stat, Stats } from "../components/Stat.js";
import { formatCount, formatQuantity, formatTime, shortHex } from "../format.js";
import { ClosedBanner } from "./Governance.js";

const percent = (bp: number) => `${(bp / 100).toFixed(2)}%`;

function Reach({ recall }: { recall: RecallView }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="cards-list" data-testid="recall-reach">
      {recall.reach.map((b, i) => (
        <li
          key={b.batchId}
          className="card"
          data-testid="recall-batch"
          data-batch={b.batchId}
          data-acknowledged={b.acknowledgement !== undefined ? "true" : "false"}
        >
          <div>
            <Link to={PAGES.batch(b.batchId)}>
              <strong>{b.lotCode || shortHex(b.batchId, 10, 6)}</strong>
            </Link>{" "}
            <span className="muted small">
              {b.productCode} · {formatQuantity(b.quantity)} {b.uom}
              {i === 0 ? ` · ${t("recall.recalledBatch")}` : ` · ${t("recall.madeFrom")}`}
            </span>
          </div>
          <div className="small">
            {t("recall.holder")} {b.holder !== "" ? <Addr address={b.holder} /> : "—"}
          </div>
          <div className="small">
            {b.acknowledgement !== undefined ? (
              <span className="ok">
                {t("recall.acknowledged", {
                  action: t(`batch.op.${b.acknowledgement.action}`, { defaultValue: b.acknowledgement.action }),
                  quantity: formatQuantity(b.acknowledgement.quantity),
                  uom: recall.uom,
                })}{" "}
                <span className="muted">
                  {formatTime(b.acknowledgement.timestamp, i18n.language)} · <TxLink hash={b.acknowledgement.txHash} />
                </span>
              </span>
            ) : (
              <span className="bad">{t("recall.notAcknowledged")}</span>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** A recall: reach (batches and holders), acknowledgements and effectiveness as the ledger accounts it. */
export function Recall() {
  const { t, i18n } = useTranslation();
  const { id = "" } = useParams();
  const recall = useResource("recall", { id });
  return (
    <Load value={recall}>
      {(r) => (
        <>
          <ClosedBanner contract="TraceLedger" />
          <div className="banner recall" role="alert">
            <strong>{t("recall.title", { id: r.recallId })}</strong>
            <p>{t("batch.recallAdvice")}</p>
          </div>
          <h1>
            {t("recall.title", { id: r.recallId })} · {r.lotCode}
          </h1>
          <Stats>
            <Stat label={t("recall.reach")} value={formatCount(r.reach.length)} testId="recall-reach-count" />
            <Stat label={t("recall.holders")} value={formatCount(r.holders.length)} testId="recall-holders" />
            <Stat
              label={t("recall.acknowledgements")}
              value={formatCount(r.acknowledgements)}
              testId="recall-acknowledgements"
            />
            <Stat
              label={t("recall.accountedOf", { uom: r.uom })}
              value={`${formatQuantity(r.accounted)} / ${formatQuantity(r.affected)}`}
              testId="recall-accounted"
            />
            <Stat label={t("recall.effectiveness")} value={percent(r.effectivenessBp)} testId="recall-effectiveness" />
          </Stats>
          <p className="muted small">{t("recall.effectivenessNote")}</p>
          <Facts
            rows={[
              [t("recall.batch"), <Link to={PAGES.batch(r.batchId)}>{r.lotCode || shortHex(r.batchId, 10, 6)}</Link>],
              [t("recall.regulator"), <Addr address={r.regulator} />],
              [t("recall.reason"), <DocumentHash hash={r.reasonHash} />],
              [t("common.time"), formatTime(r.timestamp, i18n.language)],
              [t("tx.title"), <TxLink hash={r.txHash} />],
            ]}
          />
          <section>
            <h2>{t("recall.reachTitle")}</h2>
            <Reach recall={r} />
          </section>
        </>
      )}
    </Load>
  );
}

/** Every recall, newest first. */
export function Recalls() {
  const { t, i18n } = useTranslation();
  const list = useResource("recalls", {});
  return (
    <>
      <h1>{t("recall.list")}</h1>
      <Load value={list}>
        {(recalls) =>
          recalls.length === 0 ? (
            <p className="muted">{t("common.none")}</p>
          ) : (
            <ul className="cards-list" data-testid="recalls">
              {recalls.map((r) => (
                <li key={r.recallId} className="card">
                  <Link to={`/trace/recall/${r.recallId}`}>
                    <strong>{t("recall.title", { id: r.recallId })}</strong> · {r.lotCode}
                  </Link>{" "}
                  <span className="muted small">
                    {r.productCode} · {formatQuantity(r.accounted)} / {formatQuantity(r.affected)} {r.uom} ·{" "}
                    {t("recall.acknowledgementsCount", { count: r.acknowledgements })} ·{" "}
                    {formatTime(r.timestamp, i18n.language)}
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </Load>
    </>
  );
}
