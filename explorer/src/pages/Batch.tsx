import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import type { BatchPage } from "../../../src/indexer/api-types.js";
import { useResource } from "../api.js";
import { Addr } from "../components/Addr.js";
import { TxLink } from "../components/Args.js";
import { DocumentHash, Hash, Place } from "../components/Hash.js";
import { useRecord } from "../app-data.js";
import { Load } from "../components/Load.js";
import { Quantity } from "../components/Quantity.js";
import { Facts } from "../components/Stat.js";
import { BatchVerdict } from "../components/Verdict.js";
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

/** A product code as its producer's name for it, with the code (GTIN-14 or code text). */
function ProductName({ code }: { code: string }) {
  const named = useRecord(code);
  return named?.name !== undefined ? (
    <span title={code}>
      {named.name} <code className="muted">{code}</code>
    </span>
  ) : (
    <code>{code}</code>
  );
}

/** The verdict; for a recall, inside the red warning with the recalls it comes from. */
function RecallBanner({ page }: { page: BatchPage }) {
  const { t } = useTranslation();
  if (!page.batch.recalled && page.recalls.length === 0) return <BatchVerdict page={page} />;
  return (
    <div className="banner recall" role="alert" data-testid="recall-banner">
      <BatchVerdict page={page} />
      <ul className="plain small">
        {page.recalls.map((r) => (
          <li key={`${r.recallId}:${r.batchId}`}>
            <Link to={`/trace/recall/${r.recallId}`} data-testid="recall-link">
              {t("batch.recallNo", { id: r.recallId })}
            </Link>{" "}
            · <BatchLink id={r.batchId} lineage={page.history.lineage} /> · <Addr address={r.regulator} />
          </li>
        ))}
      </ul>
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
  if (name === "quantity" || name === "accounted") return <>{formatQuantity(text)}</>;
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
              {s.quantity !== undefined && (
                <span className="small" data-testid="step-quantity">
                  {" "}
                  · <Quantity value={s.quantity} uom={s.uom ?? page.batch.uom} />
                </span>
              )}
              {s.correction !== undefined && (
                <span className="tag bad" data-testid="step-corrected" title={s.correction.correctiveIds.join(", ")}>
                  {" "}
                  {t("batch.corrected")}
                </span>
              )}
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
              <div className="where small" data-testid="step-place">
                {t("batch.location")}{" "}
                <Place
                  gln={s.location.padStart(13, "0")}
                  name={page.places[`${s.org.toLowerCase()}:${s.location.padStart(13, "0")}`]?.name}
                />
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
            <ProductName code={b.productCode} /> · <Quantity value={b.quantity} uom={b.uom} /> ·{" "}
            {t(`batch.origin.${b.origin}`)}
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

/** Containers (SSCC pallets, cases) the batch was packed into or unpacked from, and business transactions bound to it. */
function UnitRecords({ page }: { page: BatchPage }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="cards-list" data-testid="unit-records">
      {(page.unitRecords ?? []).map((u) => (
        <li key={`${u.txHash}:${u.event}`} className="card">
          <div>
            <span className="tag">{t(`unitEvent.${u.event}`)}</span> <Hash value={u.ref} />
          </div>
          <div className="small">
            <Addr address={u.org} /> · {formatTime(u.timestamp, i18n.language)} · <TxLink hash={u.txHash} />
          </div>
        </li>
      ))}
    </ul>
  );
}

function Certificates({ page }: { page: BatchPage }) {
  const { t, i18n } = useTranslation();
  if (page.certificates.length === 0) return <p className="muted">{t("common.none")}</p>;
  // Recalled itself or through a batch it was made from (the banner's condition).
  const recalled = page.batch.recalled || page.recalls.length > 0;
  return (
    <ul className="cards-list" data-testid="certificates">
      {page.certificates.map((c) => (
        <li
          key={`${c.batchId}:${c.reportHash}`}
          className="card"
          data-testid="certificate"
          data-overridden={recalled ? "recall" : undefined}
        >
          {recalled ? (
            // A recall overrides every certificate: a pass of the lab is no reason to eat a recalled box.
            <div>
              <span className="tag muted">{c.passed ? t("cert.passed") : t("cert.failed")}</span>{" "}
              <span className="tag bad" data-testid="cert-validity">
                {t("cert.recalled")}
              </span>
              <p className="small bad">{t("cert.overridden")}</p>
            </div>
          ) : (
            <div>
              <span className={c.passed ? "tag ok" : "tag bad"}>{c.passed ? t("cert.passed") : t("cert.failed")}</span>{" "}
              <span className={c.valid ? "tag ok" : "tag muted"} data-testid="cert-validity">
                {c.valid ? t("cert.valid") : t("cert.expired")}
              </span>
            </div>
          )}
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
            <header className="batch-head">
              <p className="muted small">{t("batch.kicker")}</p>
              {p.product?.name !== undefined && (
                <p className="product-name" data-testid="batch-product">
                  <strong>{p.product.name}</strong>
                </p>
              )}
              <h1 data-testid="batch-lot">{p.batch.lotCode}</h1>
              <p>
                <span className="tag" title="GTIN">
                  {p.batch.productCode}
                </span>{" "}
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
            <RecallBanner page={p} />
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
            {p.unitRecords !== undefined && (
              <section>
                <h2>{t("batch.unitRecords")}</h2>
                <UnitRecords page={p} />
              </section>
            )}
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
