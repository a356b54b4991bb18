/** Console output shared by the tasks and scripts. */

/** Prints rows as an aligned table (East Asian wide characters count double). */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const width = (s: string) => [...s].reduce((w, c) => w + (/[\u1100-\uffff]/.test(c) ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c + " ".repeat(Math.max(0, widths[i]! - width(c))))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}
