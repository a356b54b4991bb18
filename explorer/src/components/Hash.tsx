import { Link } from "react-router-dom";

import { shortHex } from "../format.js";
import { Copy } from "./Copy.js";

/** A hash or id, shortened, with the full value on hover and a copy button; a link when `to` is given. */
export function Hash({ value, to, full = false }: { value: string; to?: string; full?: boolean }) {
  const text = full ? value : shortHex(value, 10, 8);
  return (
    <span className={full ? "hash full" : "hash"} title={value}>
      {to === undefined ? <code>{text}</code> : <Link to={to}>{<code>{text}</code>}</Link>}
      <Copy text={value} />
    </span>
  );
}

/** A document hash linking to the document check; the zero hash (no document) as a dash. */
export function DocumentHash({ hash }: { hash: string }) {
  if (/^0x0*$/.test(hash)) return <span className="muted">—</span>;
  return <Hash value={hash} to={`/documents?hash=${hash}`} />;
}
