import { useTranslation } from "react-i18next";

import { API_BASE, apiPath } from "../../../src/indexer/routes.js";

/** A link to the API's CSV of a project's or programme's flows, in the UI language (Excel-friendly). */
export function FlowsCsv({ route, id }: { route: "charityProjectFlows" | "programmeFlows"; id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "en" ? "en" : "zh";
  return (
    <p className="small">
      <a href={API_BASE + apiPath(route, { id }, { lang })} download data-testid="flows-csv">
        ⬇ {t("exports.csv")}
      </a>{" "}
      <span className="muted">{t("exports.csvHint")}</span>
    </p>
  );
}
