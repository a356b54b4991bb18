import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import type { BatchSummary } from "../../../src/indexer/api-types.js";
import { usePaged } from "../api.js";
import { apiPath } from "../../../src/indexer/routes.js";
import { Addr } from "../components/Addr.js";
import { Load } from "../components/Load.js";
import { Pager } from "../components/Pager.js";
import { Quantity } from "../components/Quantity.js";
import { formatTime } from "../format.js";
import { PAGES } from "../../../src/indexer/routes.js";
import { ClosedBanner } from "./Governance.js";

export function Batches() {
  const { t, i18n } = useTranslation();
  const { page, pageIndex, older, newer, first } = usePaged<BatchSummary>(apiPath("batches", {}), 25);
  return (
    <>
      <ClosedBanner contract="TraceLedger" />
      <h1>{t("trace.title")}</h1>
      <p className="muted">{t("trace.intro")}</p>
      <p>
        <Link to="/trace/recalls" data-testid="recalls-link">
          {t("recall.list")}
        </Link>
      </p>
      <Load value={page}>
        {(p) => (
          <>
            {p.items.length === 0 ? (
              <p className="muted">{t("common.empty")}</p>
            ) : (
              <div className="table-wrap">
                <table className="list" data-testid="batch-table">
                  <thead>
                    <tr>
                      <th>{t("batch.lot")}</th>
                      <th>{t("batch.product")}</th>
                      <th className="num">{t("batch.quantity")}</th>
                      <th>{t("batch.producer")}</th>
                      <th>{t("batch.originLabel")}</th>
                      <th>{t("common.time")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.items.map((b) => (
                      <tr key={b.batchId}>
                        <td>
                          <Link to={PAGES.batch(b.batchId)} title={b.batchId}>
                            {b.lotCode}
                          </Link>
                        </td>
                        <td>
                          <code>{b.productCode}</code>
                        </td>
                        <td className="num">
                          <Quantity value={b.quantity} uom={b.uom} />
                        </td>
                        <td>
                          <Addr address={b.producer} />
                        </td>
                        <td>{t(`batch.origin.${b.origin}`)}</td>
                        <td>{formatTime(b.timestamp, i18n.language)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager pageIndex={pageIndex} next={p.next} onOlder={older} onNewer={newer} onFirst={first} />
          </>
        )}
      </Load>
    </>
  );
}
