import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { useResource } from "../api.js";
import { BlockTable, TxTable } from "../components/Lists.js";
import { Load } from "../components/Load.js";
import { SearchBox } from "../components/SearchBox.js";
import { Stat, Stats } from "../components/Stat.js";
import { formatCount, formatYuan, sumFen } from "../format.js";

function Headline() {
  const { t } = useTranslation();
  const status = useResource("status", {});
  const charity = useResource("charityStats", {});
  return (
    <Stats>
      {status.state === "ready" && (
        <>
          <Stat label={t("home.indexedBlock")} value={formatCount(status.data.indexedBlock)} testId="stat-block" />
          <Stat label={t("home.transactions")} value={formatCount(status.data.transactions)} testId="stat-txs" />
          <Stat label={t("home.events")} value={formatCount(status.data.events)} />
        </>
      )}
      {charity.state === "ready" && (
        <>
          <Stat label={t("charity.received")} value={formatYuan(charity.data.totals.received)} testId="stat-received" />
          <Stat
            label={t("charity.spent")}
            value={formatYuan(sumFen([charity.data.totals.programme, charity.data.totals.administrative]))}
          />
          <Stat label={t("charity.donations")} value={formatCount(charity.data.totals.donations)} />
        </>
      )}
    </Stats>
  );
}

export function Home() {
  const { t } = useTranslation();
  const blocks = useResource("blocks", {}, { limit: 8 });
  const txs = useResource("txs", {}, { limit: 8 });
  return (
    <>
      <section className="hero">
        <h1>{t("home.title")}</h1>
        <p className="muted">{t("home.subtitle")}</p>
        <SearchBox testId="home-search-input" big />
        <p className="small muted">
          {t("exports.receiptHint")} ·{" "}
          <Link to="/api-docs" data-testid="home-api">
            {t("exports.api.link")}
          </Link>
        </p>
      </section>
      <Headline />
      <div className="columns">
        <section>
          <h2>
            {t("home.latestBlocks")} <Link to="/blocks">{t("common.more")}</Link>
          </h2>
          <Load value={blocks}>{(p) => <BlockTable blocks={p.items} />}</Load>
        </section>
        <section>
          <h2>
            {t("home.latestTxs")} <Link to="/txs">{t("common.more")}</Link>
          </h2>
          <Load value={txs}>{(p) => <TxTable txs={p.items} showBlock={false} />}</Load>
        </section>
      </div>
    </>
  );
}
