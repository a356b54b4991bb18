import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { fenOfYuanText, formatWan } from "../format.js";

/**
 * An amount as the reader reads it: in 万元 on Chinese pages from 10,000 yuan on (`¥173.00万`), the
 * exact figure in its tooltip and `data-exact`; as given otherwise.
 */
export function Yuan({ text }: { text: string }) {
  const { i18n } = useTranslation();
  const fen = fenOfYuanText(text);
  const wan = fen === undefined || i18n.language === "en" ? undefined : formatWan(fen);
  if (wan === undefined) return <>{text}</>;
  return (
    <span title={text} data-exact={text}>
      {wan}
    </span>
  );
}

/** A headline figure (an amount in yuan is shown by {@link Yuan}). */
export function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat-value">{typeof value === "string" ? <Yuan text={value} /> : value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

export function Stats({ children }: { children: ReactNode }) {
  return <div className="stats">{children}</div>;
}

/** A definition list of label → value rows. */
export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
