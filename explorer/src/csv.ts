/**
 * CSV made in the browser: RFC 4180 quoting, CRLF line ends and a UTF-8 byte order mark so that
 * Excel opens Chinese text correctly.
 */

export { type Cell, toCsv } from "../../src/csv.js";

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
