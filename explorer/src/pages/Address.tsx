import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";

import type { EventRecord, TxSummary } from "../../../src/indexer/api-types.js";
import { AbiName, useAbiLabel } from "../components/AbiName.js";
import { usePaged, useResource } from "../api.js";
import { apiPath } from "../../../src/indexer/routes.js";
import { Hash } from "../components/Hash.js";
import { EventList, TxTable } from "../components/Lists.js";
import { Load } from "../components/Load.js";
import { Pager } from "../components/Pager.js";
import { Facts } from "../components/Stat.js";
import { RoleName } from "./Permissions.js";
import { formatCount } from "../format.js";

function AddressTxs({ address }: { address: string }) {
  const { page, pageIndex, older, newer, first } = usePaged<TxSummary>(apiPath("addressTxs", { address }));
  return (
    <Load value={page}>
      {(p) => (
        <>
          <TxTable txs={p.items} />
          <Pager pageIndex={pageIndex} next={p.next} onOlder={older} onNewer={newer} onFirst={first} />
        </>
      )}
    </Load>
  );
}

function AddressEvents({ address }: { address: string }) {
  const { page, pageIndex, older, newer, first } = usePaged<EventRecord>(apiPath("addressEvents", { address }));
  return (
    <Load value={page}>
      {(p) => (
        <>
          <EventList events={p.items} />
          <Pager pageIndex={pageIndex} next={p.next} onOlder={older} onNewer={newer} onFirst={first} />
        </>
      )}
    </Load>
  );
}

export function Address() {
  const { t, i18n } = useTranslation();
  const { address = "" } = useParams();
  const detail = useResource("address", { address });
  const permissions = useResource("permissions", {});
  const roles = permissions.state === "ready" ? permissions.data.roles : [];
  const abiLabel = useAbiLabel();
  const [tab, setTab] = useState<"txs" | "events">("txs");
  return (
    <>
      <Load value={detail}>
        {(d) => (
          <>
            <h1 data-testid="address-title">
              {d.organisation?.name ??
                (d.contract !== undefined ? abiLabel("contract", d.contract) : t("address.title"))}
            </h1>
            <Facts
              rows={[
                [t("address.address"), <Hash value={d.address} full />],
                ...(d.organisation !== undefined
                  ? ([
                      [
                        t("org.kind"),
                        i18n.language === "en" ? d.organisation.kind : d.organisation.kindZh || d.organisation.kind,
                      ],
                      [t("org.creditCode"), <code>{d.organisation.creditCode}</code>],
                      [
                        t("org.status"),
                        <span className={d.organisation.status === "active" ? "ok" : "bad"}>
                          {t(`org.${d.organisation.status}`)}
                        </span>,
                      ],
                      [t("org.registeredBlock"), `#${d.organisation.registeredBlock}`],
                    ] as [string, ReactNode][])
                  : []),
                ...(d.contract !== undefined
                  ? ([[t("address.contract"), <AbiName kind="contract" contract={d.contract} />]] as [
                      string,
                      ReactNode,
                    ][])
                  : []),
                [
                  t("address.roles"),
                  d.roles.length === 0 ? (
                    <span className="muted">{t("common.none")}</span>
                  ) : (
                    <span data-testid="address-roles">
                      {d.roles.map((r) => (
                        <RoleName key={r} label={r} zh={roles.find((x) => x.label === r)?.zh} />
                      ))}
                    </span>
                  ),
                ],
                [
                  t("address.transactions"),
                  <span data-testid="address-transactions" data-count={d.transactions}>
                    {formatCount(d.transactions)}{" "}
                    <span className="muted small">
                      {t("address.txSplit", {
                        sent: formatCount(d.transactionsSent),
                        received: formatCount(d.transactionsReceived),
                      })}
                    </span>
                  </span>,
                ],
              ]}
            />
          </>
        )}
      </Load>
      <div className="tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === "txs"}
          onClick={() => setTab("txs")}
          data-testid="tab-txs"
        >
          {t("address.txs")}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === "events"}
          onClick={() => setTab("events")}
          data-testid="tab-events"
        >
          {t("address.events")}
        </button>
      </div>
      {tab === "txs" ? <AddressTxs address={address} /> : <AddressEvents address={address} />}
    </>
  );
}
