import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import { dateOfDay } from "../../../src/charity/business-date.js";
import type { DonationDetail } from "../../../src/indexer/api-types.js";
import { useResource } from "../api.js";
import { Addr } from "../components/Addr.js";
import { BlockLink, TxLink } from "../components/Args.js";
import { Hash, RecordName } from "../components/Hash.js";
import { Load } from "../components/Load.js";
import { Facts, Stat, Stats } from "../components/Stat.js";
import { DonationVerdict } from "../components/Verdict.js";
import { formatTime, formatYuan, shortHex, sumFen } from "../format.js";
import { ClosedBanner } from "./Governance.js";

const RECEIPT_CODE = /^\s*zx[\s-]/i;

function Uses({ detail }: { detail: DonationDetail }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="list" data-testid="donation-trace">
        <thead>
          <tr>
            <th>{t("trace.kind")}</th>
            <th>{t("trace.to")}</th>
            <th className="num">{t("trace.share")}</th>
            <th className="num">{t("trace.outflow")}</th>
            <th>{t("disbursement.confirmed")}</th>
            <th>{t("tx.title")}</th>
          </tr>
        </thead>
        <tbody>
          {detail.uses.map((u) => (
            <tr key={`${u.kind}:${u.id}`} title={u.id}>
              <td>
                {t(`trace.${u.kind}`)}
                {u.purpose !== undefined && (
                  <span className="muted small">
                    {" "}
                    · {t(u.purpose === 1 ? "purpose.administrative" : "purpose.programme")}
                  </span>
                )}
              </td>
              <td>
                {u.recipient !== undefined ? (
                  <Addr address={u.recipient} />
                ) : u.toProjectId !== undefined ? (
                  <RecordName id={u.toProjectId} to={`/charity/project/${u.toProjectId}`} />
                ) : (
                  <code>{shortHex(u.id, 10, 6)}</code>
                )}
              </td>
              <td className="num">
                <strong>{formatYuan(u.share)}</strong>
              </td>
              <td className="num">{formatYuan(u.amount)}</td>
              <td>
                {u.confirmed === undefined ? (
                  "—"
                ) : u.confirmed ? (
                  <span className="ok">{t("disbursement.yes")}</span>
                ) : (
                  <span className="warn">{t("disbursement.pending")}</span>
                )}
              </td>
              <td>
                <TxLink hash={u.txHash} />
              </td>
            </tr>
          ))}
          <tr className="held" data-testid="donation-held">
            <td>{t("trace.held")}</td>
            <td>
              <Link to={`/charity/project/${detail.projectId}`}>{t("trace.project")}</Link>
            </td>
            <td className="num">
              <strong>{formatYuan(detail.held)}</strong>
            </td>
            <td />
            <td />
            <td />
          </tr>
        </tbody>
      </table>
    </div>
  );
}

type CheckResult = "match" | "mismatch" | "invalid" | "unavailable" | "checking";

/** "Does my name and receipt code match this donation?", computed here: nothing is sent. */
function ReceiptCheck({ detail, initialCode }: { detail: DonationDetail; initialCode: string }) {
  const { t } = useTranslation();
  const [code, setCode] = useState(initialCode);
  const [name, setName] = useState("");
  const [result, setResult] = useState<CheckResult | undefined>(undefined);
  const check = (e: FormEvent) => {
    e.preventDefault();
    setResult("checking");
    import("../receipt.js").then(
      ({ receiptMatches }) => {
        try {
          setResult(receiptMatches(code, name, detail.donationId, detail.donorCommitment) ? "match" : "mismatch");
        } catch {
          setResult("invalid");
        }
      },
      () => setResult("unavailable"),
    );
  };
  return (
    <form className="check" onSubmit={check} data-testid="receipt-check">
      <p className="muted">{t("donation.checkIntro")}</p>
      <label>
        {t("donation.receiptCode")}
        <input
          value={code}
          onChange={(e) => {
            setCode(e.target.value);
            setResult(undefined);
          }}
          placeholder="ZX-XXXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXX"
          autoCapitalize="characters"
          spellCheck={false}
          data-testid="receipt-check-code"
        />
      </label>
      <label>
        {t("donation.donorName")}
        <input
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setResult(undefined);
          }}
          placeholder={t("donation.namePlaceholder")}
          autoComplete="name"
          data-testid="receipt-check-name"
        />
      </label>
      <button type="submit" className="primary" data-testid="receipt-check-submit">
        {t("donation.check")}
      </button>
      {result !== undefined && result !== "checking" && (
        <p className={result === "match" ? "ok" : "bad"} data-testid="receipt-check-result" data-result={result}>
          {t(`donation.result.${result}`)}
        </p>
      )}
    </form>
  );
}

export function Donation() {
  const { t, i18n } = useTranslation();
  const { ref = "" } = useParams();
  const detail = useResource("donation", { ref: ref.trim() });
  return (
    <>
      <ClosedBanner contract="CharityLedger" />
      <h1>{t("donation.title")}</h1>
      <Load value={detail}>
        {(d) => {
          // A reversal took the donation back: it was not used for anything.
          const used = sumFen(d.uses.filter((u) => u.kind !== "reversal").map((u) => u.share));
          return (
            <>
              {d.reversed && (
                <div className="banner warn-banner" data-testid="donation-reversed">
                  {t("donation.reversed")}
                </div>
              )}
              <DonationVerdict detail={d} />
              <Stats>
                <Stat label={t("donation.used")} value={formatYuan(used)} />
                <Stat label={t("trace.held")} value={formatYuan(d.held)} />
              </Stats>
              <Facts
                rows={[
                  [t("donation.id"), <Hash value={d.donationId} full />],
                  [t("charity.project"), <RecordName id={d.projectId} to={`/charity/project/${d.projectId}`} />],
                  [t("donation.recordedBy"), <Addr address={d.recordedBy} />],
                  [t("donation.channel"), t(`channel.${d.channel}`, { defaultValue: String(d.channel) })],
                  [
                    t("donation.receivedOn"),
                    <span data-testid="donation-received-on">{dateOfDay(d.receivedOn) ?? "—"}</span>,
                  ],
                  [t("common.time"), formatTime(d.timestamp, i18n.language)],
                  [t("block.number"), <BlockLink number={d.blockNumber} />],
                  [t("tx.title"), <TxLink hash={d.txHash} />],
                  [t("donation.commitment"), <Hash value={d.donorCommitment} />],
                ]}
              />
              <section>
                <h2>{t("donation.traceTitle")}</h2>
                <p className="muted">{t("donation.fifo")}</p>
                <Uses detail={d} />
              </section>
              <section>
                <h2>{t("donation.checkTitle")}</h2>
                <ReceiptCheck detail={d} initialCode={RECEIPT_CODE.test(ref) ? ref : ""} />
              </section>
            </>
          );
        }}
      </Load>
    </>
  );
}
