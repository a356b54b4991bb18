import { useTranslation } from "react-i18next";

import { useFinality, useUnconfirmed } from "../app-data.js";

/** "unconfirmed" beside a block or transaction above the confirmation depth; nothing once it is final. */
export function Unconfirmed({ block }: { block: number }) {
  const { t } = useTranslation();
  const unconfirmed = useUnconfirmed(block);
  const f = useFinality();
  if (!unconfirmed || (f !== undefined && f.confirmations <= 1)) return null;
  return (
    <span className="tag warn" data-testid="unconfirmed" title={t("finality.tip")}>
      {t("finality.unconfirmed")}
    </span>
  );
}

/** On every page while the index holds blocks that are not final yet: what they hold may still change. */
export function FinalityBanner() {
  const { t } = useTranslation();
  const f = useFinality();
  if (f === undefined || f.confirmations <= 1 || f.indexedBlock <= f.finalBlock) return null;
  return (
    <p className="finality-banner" data-testid="finality-banner">
      {t("finality.banner", { block: Math.max(0, f.finalBlock), depth: f.confirmations })}
    </p>
  );
}

/** On every page while the server cannot reach the node: the page answers from the index, as of its last block. */
export function NodeBanner() {
  const { t } = useTranslation();
  const f = useFinality();
  if (f === undefined || f.node !== "unreachable") return null;
  return (
    <p className="node-banner" role="status" data-testid="node-banner" title={t("finality.nodeBannerTip")}>
      {t("finality.nodeBanner", { block: f.indexedBlock })}
    </p>
  );
}
