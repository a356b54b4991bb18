import { useTranslation } from "react-i18next";

import type { GovernanceView } from "../../../src/indexer/views/governance.js";
import { useResource } from "../api.js";
import { Addr } from "../components/Addr.js";
import { Load } from "../components/Load.js";
import { formatTime } from "../format.js";

const NAMED = ["CharityLedger", "TraceLedger", "ReliefLedger", "OrgRegistry"] as const;

/** The council's operations, newest first, in words: what, who proposed it, when it can take effect, who may cancel. */
export function Governance() {
  const { t, i18n } = useTranslation();
  const view = useResource("governance", {});
  const zh = i18n.language !== "en";
  const ledgerName = (contract: string | undefined) => {
    const known = NAMED.find((k) => k === contract);
    return known === undefined ? undefined : t(`governance.ledger.${known}`);
  };
  return (
    <>
      <h1>{t("governance.title")}</h1>
      <p className="muted">{t("governance.intro")}</p>
      <Load value={view}>
        {(v) => (
          <>
            {v.closed.length > 0 && (
              <div className="banner recall" role="alert" data-testid="closed-ledgers">
                {v.closed.map((c) => (
                  <p key={c.target}>
                    {t("governance.closed", {
                      ledger: ledgerName(c.contract) ?? c.target,
                    })}{" "}
                    {c.guardian !== undefined && (
                      <>
                        {t("governance.closedBy")} <Addr address={c.guardian} />
                      </>
                    )}
                  </p>
                ))}
              </div>
            )}
            <p>
              {t("governance.council")} {v.council !== undefined ? <Addr address={v.council} /> : t("common.none")}
              {v.minDelay !== undefined && <> · {t("governance.delay", { seconds: v.minDelay })}</>}
            </p>
            <p className="small">
              {t("governance.proposers")}{" "}
              {v.proposers.map((p) => (
                <span key={p.account}>
                  <Addr address={p.account} />{" "}
                </span>
              ))}
            </p>
            {v.operations.length === 0 ? (
              <p className="muted">{t("governance.empty")}</p>
            ) : (
              <div className="cards" data-testid="operations">
                {v.operations.map((op) => (
                  <section key={op.id} className="card" data-testid="operation" data-status={op.status}>
                    <h2>
                      <span className={`tag status-${op.status}`}>{t(`governance.status.${op.status}`)}</span>{" "}
                      {op.calls.map((c) => (zh ? c.zh : c.en)).join("; ")}
                    </h2>
                    <p className="small">
                      {t("governance.proposedBy")} <Addr address={op.proposer} /> ·{" "}
                      {t("governance.scheduledAt", { time: formatTime(op.scheduledAt, i18n.language) })}
                    </p>
                    <p className="small">{t("governance.readyAt", { time: formatTime(op.readyAt, i18n.language) })}</p>
                    {op.cancellers.length > 0 && (
                      <p className="small">
                        {t("governance.cancellers")}{" "}
                        {op.cancellers.map((c) => (
                          <span key={c.account}>
                            <Addr address={c.account} />{" "}
                          </span>
                        ))}
                      </p>
                    )}
                    <p className="muted small">
                      <code>{op.id}</code>
                    </p>
                  </section>
                ))}
              </div>
            )}
          </>
        )}
      </Load>
    </>
  );
}

/** A banner on a ledger's pages when the ledger is closed at the permission hub. */
export function ClosedBanner({ contract }: { contract: "CharityLedger" | "TraceLedger" | "ReliefLedger" }) {
  const { t } = useTranslation();
  const view = useResource("governance", {});
  if (view.state !== "ready") return null;
  const closed = view.data.closed.find((c) => c.contract === contract);
  if (closed === undefined) return null;
  return (
    <div className="banner recall" role="alert" data-testid="ledger-closed">
      {t("governance.ledgerClosed")}{" "}
      {closed.guardian !== undefined && (
        <>
          {t("governance.closedBy")} <Addr address={closed.guardian} />
        </>
      )}
    </div>
  );
}
