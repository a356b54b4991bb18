/**
 * Tables as cards on a phone, done once for every `table.list` of the explorer: each body cell gets its
 * column's name in `data-label`, which the phone stylesheet (styles.css, "tables become cards") shows
 * beside the cell's value when rows are drawn as cards. Pages keep writing plain tables.
 */
import { useEffect, type RefObject } from "react";

/** Sets `data-label` on the body cells of every `table.list` below `root` (colspans counted). */
export function labelTableCells(root: ParentNode): void {
  for (const table of root.querySelectorAll<HTMLTableElement>("table.list")) {
    const head = table.tHead?.rows[0];
    if (head === undefined) continue;
    const names: string[] = [];
    for (const th of head.cells) for (let i = 0; i < th.colSpan; i++) names.push(th.textContent?.trim() ?? "");
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          const name = names[column] ?? "";
          if (cell.getAttribute("data-label") !== name) cell.setAttribute("data-label", name);
          column += cell.colSpan;
        }
      }
    }
  }
}

/** Keeps the cells below `ref` labelled as pages render and re-render (language switch included). */
export function useTableLabels(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = ref.current;
    if (root === null) return;
    let queued = false;
    const run = () => {
      queued = false;
      labelTableCells(root);
    };
    run();
    // Attributes are not observed: setting the labels does not wake the observer again.
    const observer = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      queueMicrotask(run);
    });
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [ref]);
}
