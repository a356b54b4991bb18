import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import { useResource } from "../api.js";
import { TxLink } from "../components/Args.js";
import { Load } from "../components/Load.js";
import { Facts } from "../components/Stat.js";
import { formatTime, formatYuan } from "../format.js";

/**
 * A household's payment, found by its receipt code: the search box hashed the code in the browser, so
 * this page (and the API) only ever see the hash. Amount, programme, period, village and approving
 * department; never the household.
 */
export function ReliefReceipt() {
  const { t, i18n } = useTranslation();
  const { hash = "" } = useParams();
  const receipt = useResource("reliefReceipt", { hash });
  return (
    <>
      <h1>{t("exports.receipt.title")}</h1>
      <Load value={receipt}>
        {(r) => (
          <div className="card" data-testid="receipt">
            <p className="verdict">
              <span className="stat-value" data-testid="receipt-amount">
                {formatYuan(r.amount)}
              </span>{" "}
              <span
                className={r.status === "approved" ? "tag ok" : r.status === "rejected" ? "tag bad" : "tag"}
                data-testid="receipt-status"
              >
                {t(`exports.receipt.status.${r.status}`)}
              </span>
            </p>
            <Facts
              rows={[
                [
                  t("exports.receipt.programme"),
                  <Link to={`/relief/programme/${r.programmeId}`} data-testid="receipt-programme">
                    {r.programmeCode !== "" ? r.programmeCode : r.programmeId}
                  </Link>,
                ],
                [
                  t("exports.receipt.category"),
                  `${t(`reliefCategory.${r.category}`, { defaultValue: r.category })} · ${r.fiscalYear}`,
                ],
                [
                  t("exports.receipt.period"),
                  <span data-testid="receipt-period">{t("exports.receipt.periodN", { n: r.period })}</span>,
                ],
                [t("exports.receipt.village"), <Link to={`/address/${r.village.account}`}>{r.village.name}</Link>],
                [
                  r.status === "rejected" ? t("exports.receipt.rejectedBy") : t("exports.receipt.approver"),
                  r.decidedBy === undefined ? (
                    t("exports.receipt.awaiting")
                  ) : (
                    <Link to={`/address/${r.decidedBy.account}`} data-testid="receipt-approver">
                      {r.decidedBy.name}
                    </Link>
                  ),
                ],
                [t("exports.receipt.proposedAt"), formatTime(r.proposedAt, i18n.language)],
                ...(r.decidedAt !== undefined
                  ? ([[t("exports.receipt.decidedAt"), formatTime(r.decidedAt, i18n.language)]] as [string, string][])
                  : []),
                [t("exports.receipt.bound"), <TxLink hash={r.boundTx} />],
              ]}
            />
            <p className="muted small">{t("exports.receipt.privacy")}</p>
          </div>
        )}
      </Load>
    </>
  );
}
