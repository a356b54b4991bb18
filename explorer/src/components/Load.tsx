import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { Loadable } from "../api.js";

/** Renders a loading line, the API's error, or `children(data)` once loaded. */
export function Load<T>({ value, children }: { value: Loadable<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (value.state === "loading") {
    return (
      <p className="muted" data-testid="loading">
        {t("common.loading")}
      </p>
    );
  }
  if (value.state === "error") {
    const { status, message } = value.error;
    const title =
      status === 404
        ? t("error.notFound")
        : status === 400
          ? t("error.badRequest")
          : status === 429
            ? t("error.tooMany")
            : status === 0
              ? t("error.network")
              : t("error.server");
    return (
      <div className="error" role="alert" data-testid="error">
        <strong>{title}</strong>
        {message !== "" && <p className="muted">{message}</p>}
      </div>
    );
  }
  return <>{children(value.data)}</>;
}
