/**
 * CSV text for people who open it in Excel: RFC 4180 quoting, CRLF line ends and a UTF-8 byte order
 * mark, so that Chinese text shows correctly. Pure: the API's flow exports, the CLI's payment notices
 * and the explorer's downloads make their files with it.
 */

export type Cell = string | number;

function field(value: Cell): string {
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line (no line end). */
export function csvLine(cells: readonly Cell[]): string {
  return cells.map(field).join(",");
}

/** Rows as CSV text with a leading BOM. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return "\ufeff" + rows.map(csvLine).join("\r\n") + "\r\n";
}
