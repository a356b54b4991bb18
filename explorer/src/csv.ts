/**
 * CSV made in the browser: RFC 4180 quoting, CRLF line ends and a UTF-8 byte order mark so that
 * Excel opens Chinese text correctly.
 */

export type Cell = string | number;

function field(value: Cell): string {
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Rows as CSV text with a leading BOM. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return "\ufeff" + rows.map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}

/** Offers `text` as a file download. */
export function downloadText(fileName: string, text: string, type = "text/csv;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
