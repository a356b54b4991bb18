import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { ApiFailure, Loadable } from "../api.js";

/** The title and sentence of a failed request, in the reader's language (never the server's text alone). */
export function ErrorNotice({ error }: { error: ApiFailure }) {
  const { t, i18n } = useTranslation();
  const [title, text] =
    error.code === "not-found"
      ? [t("error.notFound"), t("error.notFoundText")]
      : error.code === "bad-request"
        ? [t("error.badRequest"), t("error.badRequestText")]
        : error.code === "rate-limited"
          ? [t("error.tooMany"), t("error.tooManyText", { seconds: error.retryAfter ?? 60 })]
          : error.code === "node-unreachable"
            ? [t("error.nodeUnreachable"), t("error.nodeUnreachableText")]
            : error.code === "network"
              ? [t("error.network"), t("error.networkText")]
              : [t("error.server"), t("error.serverText")];
  // The API's own words are English: shown to English readers for the two answers about their input.
  const detail =
    i18n.language === "en" && (error.code === "not-found" || error.code === "bad-request") ? error.message : "";
  const retry = error.code !== "not-found" && error.code !== "bad-request";
  return (
    <div className="error" role="alert" data-testid="error" data-code={error.code}>
      <strong>{title}</strong>
      <p>{text}</p>
      {detail !== "" && <p className="muted">{detail}</p>}
      {retry && (
        <button type="button" onClick={() => window.location.reload()} data-testid="retry">
          {t("error.retry")}
        </button>
      )}
    </div>
  );
}

/** Renders a loading line, the API's error as a sentence, or `children(data)` once loaded. */
export function Load<T>({ value, children }: { value: Loadable<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (value.state === "loading") {
    return (
      <p className="muted" data-testid="loading">
        {t("common.loading")}
      </p>
    );
  }
  if (value.state === "error") return <ErrorNotice error={value.error} />;
  return <>{children(value.data)}</>;
}
