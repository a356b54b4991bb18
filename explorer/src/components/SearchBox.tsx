import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import {
  looksLikePersonalNumber,
  looksLikeReliefReceiptCode,
  parseReliefReceiptCode,
  reliefReceiptHash,
} from "../../../src/relief/receipt-code.js";

/** Where a typed text goes, decided in the browser before anything is sent. */
export type SearchTarget =
  | { kind: "refused" }
  | { kind: "badReceiptCode" }
  | { kind: "receipt"; path: string }
  | { kind: "search"; path: string };

/**
 * An ID number or a phone number is refused here and never leaves the browser; a relief receipt code
 * is hashed here, so that only its hash reaches the server (and its logs); anything else is searched.
 */
export function searchTarget(text: string): SearchTarget {
  const q = text.trim();
  if (looksLikePersonalNumber(q)) return { kind: "refused" };
  if (looksLikeReliefReceiptCode(q)) {
    if (parseReliefReceiptCode(q) === undefined) return { kind: "badReceiptCode" };
    return { kind: "receipt", path: `/relief/receipt/${reliefReceiptHash(q)}` };
  }
  return { kind: "search", path: `/search?q=${encodeURIComponent(q)}` };
}

/** The search form: opens `/search?q=`, which goes straight to the only hit. */
export function SearchBox({
  testId = "search-input",
  big = false,
  initial = "",
}: {
  testId?: string;
  big?: boolean;
  initial?: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState(initial);
  const [refusal, setRefusal] = useState<"refused" | "badReceiptCode" | undefined>(undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = text.trim();
    if (q === "") return;
    const target = searchTarget(q);
    if (target.kind === "refused" || target.kind === "badReceiptCode") {
      setRefusal(target.kind);
      // An ID or phone number is not kept in the box either.
      if (target.kind === "refused") setText("");
      return;
    }
    setRefusal(undefined);
    void navigate(target.path);
    if (initial === "") setText("");
  };
  return (
    <form className={big ? "search big" : "search"} role="search" onSubmit={submit}>
      <input
        type="search"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (refusal !== undefined) setRefusal(undefined);
        }}
        placeholder={t("search.placeholder")}
        aria-label={t("search.label")}
        data-testid={testId}
        enterKeyHint="search"
      />
      <button type="submit" data-testid={`${testId}-submit`}>
        {t("search.button")}
      </button>
      {refusal !== undefined && (
        <p className="bad small search-refusal" role="alert" data-testid={`${testId}-refusal`}>
          {t(refusal === "refused" ? "exports.refusePersonal" : "exports.badReceiptCode")}
        </p>
      )}
    </form>
  );
}
