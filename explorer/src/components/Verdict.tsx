/**
 * The first screen of the two pages the public lands on (a product's QR code, a donor's receipt): the
 * answer and the amount in one block at the top, the complaint line a tap away. The server draws the same
 * block into the page's HTML (src/indexer/first-screen.ts) so that a phone shows it before this app loads.
 */
import { useTranslation } from "react-i18next";

import type { BatchPage, DonationDetail } from "../../../src/indexer/api-types.js";
import { batchVerdict, COMPLAINT_LINE, donationStatus, isWarning } from "../../../src/indexer/verdict.js";
import { formatYuan } from "../format.js";
import { Quantity } from "./Quantity.js";

/** `tel:` link to the complaint line, a full-size tap target. */
export function ComplaintLine() {
  const { t } = useTranslation();
  return (
    <p className="complaint">
      {t("verdict.complaint")}{" "}
      <a className="tel" href={`tel:${COMPLAINT_LINE}`} data-testid="complaint-tel">
        ☎ {t("verdict.call", { number: COMPLAINT_LINE })}
      </a>
    </p>
  );
}

export function BatchVerdict({ page }: { page: BatchPage }) {
  const { t } = useTranslation();
  const verdict = batchVerdict(page);
  const warning = isWarning(verdict);
  return (
    <section
      className={warning ? "verdict bad-verdict" : verdict === "passed" ? "verdict ok-verdict" : "verdict"}
      data-testid="verdict"
      data-verdict={verdict}
    >
      <div className="verdict-word" data-testid="verdict-word">
        {warning ? "⚠ " : verdict === "passed" ? "✓ " : ""}
        {t(`verdict.batch.${verdict}`)}
      </div>
      {verdict === "recalled" && <p>{t("verdict.recalledSelf")}</p>}
      {verdict === "recalledAncestor" && <p>{t("verdict.recalledAncestor")}</p>}
      {verdict === "failed" && <p>{t("verdict.failedText")}</p>}
      <div className="verdict-figure">
        <span className="verdict-label">{t("verdict.quantity")}</span>{" "}
        <strong data-testid="batch-quantity">
          <Quantity value={page.batch.quantity} uom={page.batch.uom} />
        </strong>
      </div>
      {warning && <ComplaintLine />}
    </section>
  );
}

export function DonationVerdict({ detail }: { detail: DonationDetail }) {
  const { t } = useTranslation();
  const { status, used, pending } = donationStatus(detail);
  return (
    <section
      className={status === "reversed" ? "verdict warn-verdict" : "verdict ok-verdict"}
      data-testid="verdict"
      data-verdict={status}
    >
      <div className="verdict-word" data-testid="donation-status">
        {t(`verdict.donation.${status}`)}
      </div>
      <div className="verdict-figure">
        <span className="verdict-label">{t("verdict.amount")}</span>{" "}
        <strong className="verdict-amount" data-testid="donation-amount">
          {formatYuan(detail.amount)}
        </strong>
      </div>
      {status !== "reversed" && (
        <p className="small">
          {t("verdict.donationUsed", { used: formatYuan(used), held: formatYuan(detail.held) })}
          {pending && ` · ${t("verdict.donationPending")}`}
        </p>
      )}
    </section>
  );
}
