import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import type { BlockSummary, EventRecord, TxSummary } from "../../../src/indexer/api-types.js";
import { AbiName } from "./AbiName.js";
import { formatTime } from "../format.js";
import { Addr } from "./Addr.js";
import { Args, BlockLink, TxLink } from "./Args.js";
import { Hash } from "./Hash.js";
import { Unconfirmed } from "./Unconfirmed.js";

export function BlockTable({ blocks }: { blocks: BlockSummary[] }) {
  const { t, i18n } = useTranslation();
  if (blocks.length === 0) return <p className="muted">{t("common.empty")}</p>;
  return (
    <div className="table-wrap">
      <table className="list" data-testid="block-table">
        <thead>
          <tr>
            <th>{t("block.number")}</th>
            <th>{t("common.time")}</th>
            <th>{t("block.txs")}</th>
            <th className="wide">{t("block.hash")}</th>
          </tr>
        </thead>
        <tbody>
          {blocks.map((b) => (
            <tr key={b.number}>
              <td>
                <BlockLink number={b.number} /> <Unconfirmed block={b.number} />
              </td>
              <td>{formatTime(b.timestamp, i18n.language)}</td>
              <td>{b.transactions}</td>
              <td className="wide">
                <Hash value={b.hash} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TxTable({ txs, showBlock = true }: { txs: TxSummary[]; showBlock?: boolean }) {
  const { t, i18n } = useTranslation();
  if (txs.length === 0) return <p className="muted">{t("common.empty")}</p>;
  return (
    <div className="table-wrap">
      <table className="list" data-testid="tx-table">
        <thead>
          <tr>
            <th>{t("tx.hash")}</th>
            <th>{t("tx.function")}</th>
            <th>{t("tx.from")}</th>
            {showBlock && <th>{t("block.number")}</th>}
            <th>{t("common.time")}</th>
          </tr>
        </thead>
        <tbody>
          {txs.map((tx) => (
            <tr key={tx.hash}>
              <td>
                <TxLink hash={tx.hash} /> <Unconfirmed block={tx.blockNumber} />
              </td>
              <td>
                <span className="tag">
                  <AbiName kind="contract" contract={tx.contract} />
                </span>{" "}
                <AbiName kind="function" contract={tx.contract} name={tx.function} />
              </td>
              <td>
                <Addr address={tx.from} />
              </td>
              {showBlock && (
                <td>
                  <BlockLink number={tx.blockNumber} />
                </td>
              )}
              <td>{formatTime(tx.timestamp, i18n.language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EventCard({ event, showTx = true }: { event: EventRecord; showTx?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <article className="event" data-testid="event">
      <header>
        <strong>
          <AbiName kind="event" contract={event.contract} name={event.event} />
        </strong>{" "}
        <span className="tag">
          <AbiName kind="contract" contract={event.contract} />
        </span>{" "}
        <Unconfirmed block={event.blockNumber} />
        <span className="muted">
          {" "}
          #{event.logIndex} · {formatTime(event.timestamp, i18n.language)}
        </span>
        {showTx && (
          <span className="event-tx">
            {t("tx.title")} <TxLink hash={event.txHash} /> · <BlockLink number={event.blockNumber} />
          </span>
        )}
      </header>
      <Args contract={event.contract} args={event.args} />
    </article>
  );
}

export function EventList({ events, showTx = true }: { events: EventRecord[]; showTx?: boolean }) {
  const { t } = useTranslation();
  if (events.length === 0) return <p className="muted">{t("common.empty")}</p>;
  return (
    <div className="events" data-testid="event-list">
      {events.map((e) => (
        <EventCard key={`${e.txHash}:${e.logIndex}`} event={e} showTx={showTx} />
      ))}
    </div>
  );
}

/** A link to a page, used in tables. */
export function RowLink({ to, children }: { to: string; children: string }) {
  return <Link to={to}>{children}</Link>;
}
