import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";

import type { BatchSummary } from "../../../src/indexer/api-types.js";
import { usePaged } from "../api.js";
import { useRecord } from "../app-data.js";
import { apiPath } from "../../../src/indexer/routes.js";
import { Addr } from "../components/Addr.js";
import { Load } from "../components/Load.js";
import { Pager } from "../components/Pager.js";
import { Quantity } from "../components/Quantity.js";
import { formatTime } from "../format.js";
import { PAGES } from "../../../src/indexer/routes.js";
import { ClosedBanner } from "./Governance.js";

/** A product code as its name (the code beside it), linking to the product's batches. */
function ProductCell({ code }: { code: string }) {
  const named = useRecord(code);
  return (
    <Link to={PAGES.productBatches(code)} title={code}>
      {named?.name !== undefined ? (
        <>
          {named.name} <code className="muted">{code}</code>
        </>
      ) : (
        <code>{code}</code>
      )}
    </Link>
  );
}

export function Batches() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const product = params.get("product") ?? undefined;
  // A GTIN-8/12/13 is the same product as its GTIN-14 (the code the ledger stores).
  const named = useRecord(product !== undefined && /^\d{8,13}$/.test(product) ? product.padStart(14, "0") : product);
  const { page, pageIndex, older, newer, first } = usePaged<BatchSummary>(
    apiPath("batches", {}, { product }),
    product !== undefined ? 100 : 25,
  );
  return (
    <>
      <ClosedBanner contract="TraceLedger" />
      <h1>{t("trace.title")}</h1>
      {product !== undefined && (
        <p data-testid="product-filter">
          {t("batch.product")}: <strong>{named?.name ?? product}</strong> <code className="muted">{product}</code>{" "}
          <Link to="/trace">{t("common.all")}</Link>
        </p>
      )}
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
                          <ProductCell code={b.productCode} />
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
