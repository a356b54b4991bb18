import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";

import { AbiName } from "../components/AbiName.js";
import { useResource } from "../api.js";
import { Addr } from "../components/Addr.js";
import { Args, BlockLink } from "../components/Args.js";
import { Hash } from "../components/Hash.js";
import { EventList } from "../components/Lists.js";
import { Load } from "../components/Load.js";
import { Unconfirmed } from "../components/Unconfirmed.js";
import { Facts } from "../components/Stat.js";
import { formatTime } from "../format.js";

export function Tx() {
  const { t, i18n } = useTranslation();
  const { hash = "" } = useParams();
  const tx = useResource("tx", { hash });
  return (
    <>
      <h1>{t("tx.title")}</h1>
      <Load value={tx}>
        {(d) => (
          <>
            <Facts
              rows={[
                [t("tx.hash"), <Hash value={d.hash} full />],
                [
                  t("block.number"),
                  <span>
                    <BlockLink number={d.blockNumber} /> <Unconfirmed block={d.blockNumber} />
                  </span>,
                ],
                [t("common.time"), formatTime(d.timestamp, i18n.language)],
                [t("tx.from"), <Addr address={d.from} />],
                [t("tx.to"), <Addr address={d.to} />],
                [
                  t("tx.function"),
                  <span data-testid="tx-function">
                    <span className="tag">
                      <AbiName kind="contract" contract={d.contract} />
                    </span>{" "}
                    <strong>
                      <AbiName kind="function" contract={d.contract} name={d.function} />
                    </strong>{" "}
                    <code className="muted">{d.selector}</code>
                  </span>,
                ],
              ]}
            />
            <h2>{t("tx.args")}</h2>
            <div data-testid="tx-args">
              <Args contract={d.contract} args={d.args} />
            </div>
            <h2>{t("tx.events", { count: d.eventsList.length })}</h2>
            <EventList events={d.eventsList} showTx={false} />
          </>
        )}
      </Load>
    </>
  );
}
