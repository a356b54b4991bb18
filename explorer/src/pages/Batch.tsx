import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import type { BatchPage } from "../../../src/indexer/api-types.js";
import { useResource } from "../api.js";
import { Addr } from "../components/Addr.js";
import { TxLink } from "../components/Args.js";
import { DocumentHash, Hash } from "../components/Hash.js";
import { Load } from "../components/Load.js";
import { Quantity } from "../components/Quantity.js";
import { Facts } from "../components/Stat.js";
import { formatDate, formatQuantity, formatTime, isHash, shortHex } from "../format.js";
import { PAGES } from "../../../src/indexer/routes.js";
import { ClosedBanner } from "./Governance.js";

type Lineage = BatchPage["history"]["lineage"];
type Step = BatchPage["history"]["steps"][number];

function BatchLink({ id, lineage }: { id: string; lineage: Lineage }) {
  const b = lineage.find((l) => l.batchId.toLowerCase() === id.toLowerCase());
  return (
    <Link to={PAGES.batch(id)} title={id}>
      {b?.lotCode !== undefined && b.lotCode !== "" ? b.lotCode : shortHex(id)}
    </Link>
  );
}

function RecallBanner({ page }: { page: BatchPage }) {
  const { t } = useTranslation();
  if (!page.batch.recalled && page.recalls.length === 0) return null;
  const own = page.recalls.filter((r) => r.batchId.toLowerCase() === page.batch.batchId.toLowerCase());
  return (
    <div className="banner recall" role="alert" data-testid="recall-banner">
      <strong>{t("batch.recalledTitle")}</strong>
      <p>{own.length > 0 ? t("batch.recalledSelf") : t("batch.recalledAncestor")}</p>
      <ul className="plain">
        {page.recalls.map((r) => (
          <li key={`${r.recallId}:${r.batchId}`}>
            {t("batch.recallNo", { id: r.recallId })} · <BatchLink id={r.batchId} lineage={page.history.lineage} /> ·{" "}
            <Addr address={r.regulator} />
          </li>
        ))}
      </ul>
      <p className="small">{t("batch.recallAdvice")}</p>
    </div>
  );
}

/** A value of a step's detail, whatever its kind. */
type DetailField = string | number | boolean | readonly string[];

function DetailValue({ name, value, lineage }: { name: string; value: DetailField; lineage: Lineage }) {
  const { t, i18n } = useTranslation();
  if (typeof value === "boolean") return <>{value ? t("common.yes") : t("common.no")}</>;
  if (Array.isArray(value)) {
    return (
      <>
        {value.map((v, i) => (
          <span key={i} className="list-item">
            {name === "outputs" || name === "inputs" ? (
              <BatchLink id={v} lineage={lineage} />
            ) : name === "quantities" ? (
              formatQuantity(v)
            ) : (
              v
            )}
          </span>
        ))}
      </>
    );
  }
  const text = String(value);
  if (name === "validUntil") return <>{formatDate(text, i18n.language)}</>;
  if (name === "quantity") return <>{formatQuantity(text)}</>;
  if (name === "operation" || name === "action") return <>{t(`batch.op.${text}`, { defaultValue: text })}</>;
  if (name === "uom") return <>{t(`unit.${text}`, { defaultValue: text })}</>;
  if (isHash(text)) return <DocumentHash hash={text} />;
  return <>{text}</>;
}

/** The batches a split made: lot code (linking to the batch) and quantity. */
function SplitOutputs({ detail }: { detail: Extract<Step["detail"], { operation: "split" }> }) {
  const { t } = useTranslation();
  const { outputs, lotCodes: lots, quantities } = detail;
  return (
    <div>
      <dt>{t("batch.detail.outputs")}</dt>
      <dd>
        {outputs.map((id, i) => (
          <span key={id} className="list-item">
            <Link to={PAGES.batch(id)} title={id}>
              {lots[i] ?? shortHex(id)}
            </Link>{" "}
            <span className="muted">({formatQuantity(quantities[i] ?? "")})</span>
          </span>
        ))}
      </dd>
    </div>
  );
}

const SPLIT_KEYS = new Set(["outputs", "lotCodes", "quantities"]);

function StepDetail({ step, lineage }: { step: Step; lineage: Lineage }) {
  const { t } = useTranslation();
  const split = step.kind === "transforming" && step.detail.operation === "split" ? step.detail : undefined;
  const entries = (Object.entries(step.detail) as [string, DetailField][]).filter(
    ([k, v]) => !(k === "giCertificate" && Number(v) === 0) && !(split !== undefined && SPLIT_KEYS.has(k)),
  );
  if (entries.length === 0 && split === undefined) return null;
  return (
    <dl className="step-detail">
      {split !== undefined && <SplitOutputs detail={split} />}
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{t(`batch.detail.${k}`, { defaultValue: k })}</dt>
          <dd>
            <DetailValue name={k} value={v} lineage={lineage} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Timeline({ page }: { page: BatchPage }) {
  const { t, i18n } = useTranslation();
  const { steps, lineage } = page.history;
  const self = page.batch.batchId.toLowerCase();
  if (steps.length === 0) return <p className="muted">{t("common.empty")}</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {steps.map((s) => {
        const time = Number(s.eventTime) > 0 ? s.eventTime : page.times[s.txHash];
        const bad = s.kind === "recall" || (s.kind === "certificate" && s.detail.passed === false);
        return (
          <li
            key={`${s.txHash}:${s.logIndex}:${s.batchId}`}
            className={bad ? "bad-step" : undefined}
            data-kind={s.kind}
          >
            <div className="when">{time !== undefined ? formatTime(time, i18n.language) : "—"}</div>
            <div className="what">
              <strong>{t(`step.${s.kind}`, { defaultValue: s.kind })}</strong>
              {s.batchId.toLowerCase() !== self && (
                <span className="muted small">
                  {" "}
                  · {t("batch.ofBatch")} <BatchLink id={s.batchId} lineage={lineage} />
                </span>
              )}
            </div>
            <div className="who">
              <Addr address={s.org} />
              {s.counterparty !== undefined && (
                <>
                  {" "}
                  {s.kind === "receiving" ? t("batch.from") : t("batch.to")} <Addr address={s.counterparty} />
                </>
              )}
            </div>
            {s.location !== "0" && s.location !== "" && (
              <div className="where small">
                {t("batch.location")} <code>{s.location.padStart(13, "0")}</code>
              </div>
            )}
            <StepDetail step={s} lineage={lineage} />
            <div className="small muted">
              <TxLink hash={s.txHash} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** Ancestors of the asked batch as a nested list, each batch linking to its page. */
function LineageTree({ page }: { page: BatchPage }) {
  const { t } = useTranslation();
  const { lineage } = page.history;
  const byId = new Map(lineage.map((l) => [l.batchId.toLowerCase(), l]));
  const node = (id: string, path: ReadonlySet<string>): ReactNode => {
    const b = byId.get(id.toLowerCase());
    if (b === undefined) return <BatchLink id={id} lineage={lineage} />;
    const recalled = page.recalls.some((r) => r.batchId.toLowerCase() === id.toLowerCase());
    const next = new Set(path).add(id.toLowerCase());
    const parents = b.parents.filter((p) => !path.has(p.toLowerCase()));
    return (
      <>
        <span className={recalled ? "bad" : undefined}>
          {b.depth === 0 ? (
            <strong>{b.lotCode || shortHex(b.batchId)}</strong>
          ) : (
            <BatchLink id={b.batchId} lineage={lineage} />
          )}
          <span className="muted small">
            {" "}
            {b.productCode} · <Quantity value={b.quantity} uom={b.uom} /> · {t(`batch.origin.${b.origin}`)}
            {recalled && ` · ${t("batch.recalled")}`}
          </span>
        </span>
        {parents.length > 0 && (
          <ul>
            {parents.map((p) => (
              <li key={p}>{node(p, next)}</li>
            ))}
          </ul>
        )}
      </>
    );
  };
  return (
    <ul className="tree" data-testid="lineage">
      <li>{node(page.batch.batchId, new Set())}</li>
    </ul>
  );
}

function Certificates({ page }: { page: BatchPage }) {
  const { t, i18n } = useTranslation();
  if (page.certificates.length === 0) return <p className="muted">{t("common.none")}</p>;
  return (
    <ul className="cards-list" data-testid="certificates">
      {page.certificates.map((c) => (
        <li key={`${c.batchId}:${c.reportHash}`} className="card">
          <div>
            <span className={c.passed ? "tag ok" : "tag bad"}>{c.passed ? t("cert.passed") : t("cert.failed")}</span>{" "}
            <span className={c.valid ? "tag ok" : "tag muted"} data-testid="cert-validity">
              {c.valid ? t("cert.valid") : t("cert.expired")}
            </span>
          </div>
          <div>
            {t("cert.inspector")} <Addr address={c.inspector} />
          </div>
          <div className="small">
            {t("cert.validUntil")} {formatDate(c.validUntil, i18n.language)} · {t("batch.ofBatch")}{" "}
            <BatchLink id={c.batchId} lineage={page.history.lineage} />
          </div>
          <div className="small">
            {t("cert.report")} <DocumentHash hash={c.reportHash} />
          </div>
        </li>
      ))}
    </ul>
  );
}

function Custody({ page }: { page: BatchPage }) {
  const { t, i18n } = useTranslation();
  const { custody, lineage } = page.history;
  if (custody.length === 0) return <p className="muted">{t("common.none")}</p>;
  return (
    <ol className="custody" data-testid="custody">
      {custody.map((c) => (
        <li key={`${c.txHash}:${c.batchId}:${c.org}`}>
          <Addr address={c.org} />{" "}
          <span className="muted small">
            {t("batch.since")} {formatTime(Number(c.since) > 0 ? c.since : (page.times[c.txHash] ?? 0), i18n.language)}{" "}
            · <BatchLink id={c.batchId} lineage={lineage} />
          </span>
        </li>
      ))}
    </ol>
  );
}

export function Batch() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const page = useResource("batch", { ref: id });
  return (
    <div className="batch-page">
      <Load value={page}>
        {(p) => (
          <>
            <ClosedBanner contract="TraceLedger" />
            <RecallBanner page={p} />
            <header className="batch-head">
              <p className="muted small">{t("batch.kicker")}</p>
              <h1 data-testid="batch-lot">{p.batch.lotCode}</h1>
              <p>
                <span className="tag">{p.batch.productCode}</span>{" "}
                {p.product !== undefined && (
                  <span className="tag">
                    {t(`category.${p.product.category}`, { defaultValue: p.product.category })}
                  </span>
                )}{" "}
                {p.product?.geographicIndication === true && (
                  <span className="tag gi" data-testid="gi-badge">
                    {t("batch.gi")}
                  </span>
                )}{" "}
                <span className={p.batch.recalled ? "tag bad" : "tag"} data-testid="batch-disposition">
                  {t(`disposition.${p.batch.disposition}`, { defaultValue: p.batch.disposition })}
                </span>
              </p>
            </header>
            <Facts
              rows={[
                [t("batch.quantity"), <Quantity value={p.batch.quantity} uom={p.batch.uom} />],
                ...(p.product !== undefined
                  ? ([[t("batch.producer"), <Addr address={p.product.producer} />]] as [string, ReactNode][])
                  : []),
                [t("batch.custodian"), <Addr address={p.batch.custodian} />],
                ...(p.batch.pendingReceiver !== undefined
                  ? ([[t("batch.pendingReceiver"), <Addr address={p.batch.pendingReceiver} />]] as [
                      string,
                      ReactNode,
                    ][])
                  : []),
                [t("batch.status"), t(`batchStatus.${p.batch.status}`, { defaultValue: p.batch.status })],
                [t("batch.id"), <Hash value={p.batch.batchId} />],
              ]}
            />
            <section>
              <h2>{t("batch.timeline")}</h2>
              <Timeline page={p} />
            </section>
            <section>
              <h2>{t("batch.certificates")}</h2>
              <Certificates page={p} />
            </section>
            <section>
              <h2>{t("batch.custody")}</h2>
              <Custody page={p} />
            </section>
            <section>
              <h2>{t("batch.lineage")}</h2>
              <LineageTree page={p} />
            </section>
          </>
        )}
      </Load>
    </div>
  );
}
