import { Link } from "react-router-dom";

import { recordLabel, useRecord } from "../app-data.js";
import { shortHex } from "../format.js";
import { Copy } from "./Copy.js";

/**
 * A hash or id, shortened, with the full value on hover and a copy button; a link when `to` is given. An id
 * with a public code (a project, programme, product) reads as its name and code, the id on hover.
 */
export function Hash({ value, to, full = false }: { value: string; to?: string; full?: boolean }) {
  const named = useRecord(value);
  if (named !== undefined && !full) return <RecordName id={value} to={to} />;
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

/** A record's name and code (the id on hover and copy); the short id when it has no public code. */
export function RecordName({ id, to }: { id: string; to?: string }) {
  const named = useRecord(id);
  if (named === undefined) return <Hash value={id} to={to} />;
  const label = recordLabel(named);
  return (
    <span className="record-name" title={id} data-id={id}>
      {to === undefined ? <span>{label}</span> : <Link to={to}>{label}</Link>}
      <Copy text={id} />
    </span>
  );
}

/** A place: the name its organisation gave it, with the GLN-13 (leading zeros kept). */
export function Place({ gln, name }: { gln: string; name?: string }) {
  return name !== undefined ? (
    <span className="place" title={`GLN ${gln}`}>
      {name} <code className="muted">GLN {gln}</code>
    </span>
  ) : (
    <code title="GLN">{gln}</code>
  );
}
