import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = text.trim();
    if (q === "") return;
    void navigate(`/search?q=${encodeURIComponent(q)}`);
    if (initial === "") setText("");
  };
  return (
    <form className={big ? "search big" : "search"} role="search" onSubmit={submit}>
      <input
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t("search.placeholder")}
        aria-label={t("search.label")}
        data-testid={testId}
        enterKeyHint="search"
      />
      <button type="submit" data-testid={`${testId}-submit`}>
        {t("search.button")}
      </button>
    </form>
  );
}
