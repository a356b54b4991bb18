import { useTranslation } from "react-i18next";

import type { BlockSummary, TxSummary } from "../../../src/indexer/api-types.js";
import { usePaged } from "../api.js";
import { apiPath } from "../../../src/indexer/routes.js";
import { BlockTable, TxTable } from "../components/Lists.js";
import { Load } from "../components/Load.js";
import { Pager } from "../components/Pager.js";

export function Blocks() {
  const { t } = useTranslation();
  const { page, pageIndex, older, newer, first } = usePaged<BlockSummary>(apiPath("blocks", {}), 25);
  return (
    <>
      <h1>{t("home.latestBlocks")}</h1>
      <Load value={page}>
        {(p) => (
          <>
            <BlockTable blocks={p.items} />
            <Pager pageIndex={pageIndex} next={p.next} onOlder={older} onNewer={newer} onFirst={first} />
          </>
        )}
      </Load>
    </>
  );
}

export function Txs() {
  const { t } = useTranslation();
  const { page, pageIndex, older, newer, first } = usePaged<TxSummary>(apiPath("txs", {}), 25);
  return (
    <>
      <h1>{t("home.latestTxs")}</h1>
      <Load value={page}>
        {(p) => (
          <>
            <TxTable txs={p.items} />
            <Pager pageIndex={pageIndex} next={p.next} onOlder={older} onNewer={newer} onFirst={first} />
          </>
        )}
      </Load>
    </>
  );
}
