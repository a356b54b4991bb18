/**
 * The server may have drawn a page's first screen into its HTML (`#first-screen`, src/indexer/first-screen.ts)
 * so that a phone shows the answer before this app has loaded. The app then renders hidden, and takes the
 * screen over once its page is drawn (nothing left loading), so the reader never sees a "loading" line in
 * between; an app that never gets there still takes over after `giveUpMs`.
 */
export function handOverFirstScreen(root: HTMLElement, giveUpMs = 10_000): void {
  const first = document.getElementById("first-screen");
  if (first === null) return;
  root.hidden = true;
  const ready = () =>
    root.querySelector("main.page") !== null && root.querySelector('[data-testid="loading"]') === null;
  const swap = () => {
    observer.disconnect();
    clearTimeout(timer);
    first.remove();
    root.hidden = false;
  };
  const observer = new MutationObserver(() => {
    if (ready()) swap();
  });
  observer.observe(root, { childList: true, subtree: true });
  const timer = setTimeout(swap, giveUpMs);
}
