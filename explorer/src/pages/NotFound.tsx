import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

export function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="error" data-testid="not-found">
      <h1>{t("error.pageNotFound")}</h1>
      <Link to="/">{t("nav.home")}</Link>
    </div>
  );
}
