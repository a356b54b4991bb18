import { useTranslation } from "react-i18next";

import { formatQuantity } from "../format.js";

/** A trace quantity (thousandths of a unit) with its unit's name, the UN/CEFACT code on hover. */
export function Quantity({ value, uom }: { value: string; uom: string }) {
  const { t } = useTranslation();
  return (
    <span title={uom}>
      {formatQuantity(value)} {uom === "" ? "" : t(`unit.${uom}`, { defaultValue: uom })}
    </span>
  );
}
