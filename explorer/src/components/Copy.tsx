import { useState } from "react";
import { useTranslation } from "react-i18next";

/** A small button that copies a value (an address, a hash) to the clipboard. */
export function Copy({ text }: { text: string }) {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(
      () => {
        setDone(true);
        setTimeout(() => setDone(false), 1200);
      },
      () => undefined,
    );
  };
  return (
    <button type="button" className="copy" onClick={copy} title={t("common.copy")} aria-label={t("common.copy")}>
      {done ? (
        "✓"
      ) : (
        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
          <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M3 11V3.5A1.5 1.5 0 0 1 4.5 2H11" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      )}
    </button>
  );
}
