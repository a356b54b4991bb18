import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import { useResource } from "../api.js";
import { Hash } from "../components/Hash.js";
import { TxTable } from "../components/Lists.js";
import { Load } from "../components/Load.js";
import { Unconfirmed } from "../components/Unconfirmed.js";
import { Facts } from "../components/Stat.js";
import { formatTime } from "../format.js";

export function Block() {
  const { t, i18n } = useTranslation();
  const { number = "" } = useParams();
  const block = useResource("block", { number });
  return (
    <>
      <h1>
        {t("block.title")} #{number} {/^\d+$/.test(number) && <Unconfirmed block={Number(number)} />}
      </h1>
      <Load value={block}>
        {(b) => (
          <>
            <Facts
              rows={[
                [t("block.hash"), <Hash value={b.hash} full />],
                [
                  t("block.parent"),
                  b.number > 0 ? (
                    <span>
                      <Link to={`/block/${b.number - 1}`}>#{b.number - 1}</Link> <Hash value={b.parentHash} />
                    </span>
                  ) : (
                    <Hash value={b.parentHash} />
                  ),
                ],
                [t("common.time"), formatTime(b.timestamp, i18n.language)],
                [t("block.txs"), String(b.transactions)],
              ]}
            />
            <h2>{t("block.txList")}</h2>
            <TxTable txs={b.txs} showBlock={false} />
          </>
        )}
      </Load>
    </>
  );
}
