/**
 * The first screen of the QR batch page and the donation page as HTML, drawn by the server into the page
 * it sends, so that a phone on a slow network shows the answer (the verdict or the donation's status, and
 * the amount) as soon as the HTML arrives, before the explorer's scripts have loaded; the explorer then
 * takes over with the same block at the top (explorer/src/components/Verdict.tsx, first-screen.ts).
 * The words are the explorer's own (its locale files), the verdict the shared one (./verdict.ts).
 */
import { en } from "../../explorer/src/locales/en.js";
import { zh } from "../../explorer/src/locales/zh.js";
import { formatQuantity, formatYuan } from "../../explorer/src/format.js";
import type { BatchPage, DonationDetail } from "./api-types.js";
import { batchVerdict, COMPLAINT_LINE, donationStatus, isWarning } from "./verdict.js";

export type Language = "zh" | "en";

/** The explorer's language choice (a cookie it sets beside localStorage); Chinese by default. */
export function languageOf(cookie: string | undefined): Language {
  return /(?:^|;\s*)zhixin-lang=en(?:;|$)/.test(cookie ?? "") ? "en" : "zh";
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => values[k] ?? "");

/**
 * The header bar and page frame around a first screen (the explorer's own classes). To the app's readers
 * (tests, scripts) the page is still loading until the app takes over: the frame carries a hidden
 * `data-testid="loading"` mark.
 */
function frame(lang: Language, body: string): string {
  const w = lang === "en" ? en : zh;
  return (
    `<div id="first-screen"><span hidden data-testid="loading"></span><header class="site-header"><div class="bar"><a href="/" class="brand">${esc(w.app.name)}</a></div></header>` +
    `<main class="page">${body}</main></div>`
  );
}

function complaint(lang: Language): string {
  const w = lang === "en" ? en : zh;
  return (
    `<p class="complaint">${esc(w.verdict.complaint)} <a class="tel" href="tel:${COMPLAINT_LINE}" data-testid="complaint-tel">` +
    `☎ ${esc(fill(w.verdict.call, { number: COMPLAINT_LINE }))}</a></p>`
  );
}

export function batchFirstScreen(page: BatchPage, lang: Language): string {
  const w = lang === "en" ? en : zh;
  const verdict = batchVerdict(page);
  const warning = isWarning(verdict);
  const units = w.unit as Record<string, string>;
  const quantity = `${formatQuantity(page.batch.quantity)} ${units[page.batch.uom] ?? page.batch.uom}`;
  const sentence =
    verdict === "recalled"
      ? w.verdict.recalledSelf
      : verdict === "recalledAncestor"
        ? w.verdict.recalledAncestor
        : verdict === "failed"
          ? w.verdict.failedText
          : undefined;
  const cls = warning ? "verdict bad-verdict" : verdict === "passed" ? "verdict ok-verdict" : "verdict";
  const mark = warning ? "⚠ " : verdict === "passed" ? "✓ " : "";
  const section =
    `<section class="${cls}" data-testid="verdict" data-verdict="${verdict}">` +
    `<div class="verdict-word" data-testid="verdict-word">${mark}${esc(w.verdict.batch[verdict])}</div>` +
    (sentence !== undefined ? `<p>${esc(sentence)}</p>` : "") +
    `<div class="verdict-figure"><span class="verdict-label">${esc(w.verdict.quantity)}</span> ` +
    `<strong data-testid="batch-quantity">${esc(quantity)}</strong></div>` +
    (warning ? complaint(lang) : "") +
    `</section>`;
  const recalled = page.batch.recalled || page.recalls.length > 0;
  return frame(
    lang,
    `<div class="batch-page"><header class="batch-head"><p class="muted small">${esc(w.batch.kicker)}</p>` +
      `<h1 data-testid="batch-lot">${esc(page.batch.lotCode)}</h1><p><span class="tag">${esc(page.batch.productCode)}</span></p></header>` +
      (recalled ? `<div class="banner recall" role="alert" data-testid="recall-banner">${section}</div>` : section) +
      `</div>`,
  );
}

export function donationFirstScreen(d: DonationDetail, lang: Language): string {
  const w = lang === "en" ? en : zh;
  const { status, used, pending } = donationStatus(d);
  return frame(
    lang,
    `<h1>${esc(w.donation.title)}</h1>` +
      `<section class="${status === "reversed" ? "verdict warn-verdict" : "verdict ok-verdict"}" data-testid="verdict" data-verdict="${status}">` +
      `<div class="verdict-word" data-testid="donation-status">${esc(w.verdict.donation[status])}</div>` +
      `<div class="verdict-figure"><span class="verdict-label">${esc(w.verdict.amount)}</span> ` +
      `<strong class="verdict-amount" data-testid="donation-amount">${esc(formatYuan(d.amount))}</strong></div>` +
      (status !== "reversed"
        ? `<p class="small">${esc(fill(w.verdict.donationUsed, { used: formatYuan(used), held: formatYuan(d.held) }))}` +
          (pending ? ` · ${esc(w.verdict.donationPending)}` : "") +
          `</p>`
        : "") +
      `</section>`,
  );
}
