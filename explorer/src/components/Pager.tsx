import { useTranslation } from "react-i18next";

/** Newer / older buttons of a cursor-paginated list. */
export function Pager({
  pageIndex,
  next,
  onOlder,
  onNewer,
  onFirst,
}: {
  pageIndex: number;
  next: string | undefined;
  onOlder: (next: string) => void;
  onNewer: () => void;
  onFirst: () => void;
}) {
  const { t } = useTranslation();
  if (pageIndex === 0 && next === undefined) return null;
  return (
    <div className="pager" data-testid="pager">
      <button type="button" onClick={onFirst} disabled={pageIndex === 0}>
        {t("pager.first")}
      </button>
      <button type="button" onClick={onNewer} disabled={pageIndex === 0} data-testid="pager-newer">
        {t("pager.newer")}
      </button>
      <span className="muted">{t("pager.page", { page: pageIndex + 1 })}</span>
      <button
        type="button"
        onClick={() => next !== undefined && onOlder(next)}
        disabled={next === undefined}
        data-testid="pager-older"
      >
        {t("pager.older")}
      </button>
    </div>
  );
}
