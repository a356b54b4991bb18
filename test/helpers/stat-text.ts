/** Reading the explorer's headline figures in Chromium (the explorer tests share it). */
import type { Page } from "playwright-core";

/**
 * The text of the headline figure `testId` (its `.stat-value`, or the element itself when it has none); an amount shown in 万元 (`¥173.00万`) is read
 * exactly from its `data-exact` (`¥1,730,000.00`).
 */
export async function statText(page: Page, testId: string): Promise<string> {
  const box = page.locator(`[data-testid="${testId}"]`).first();
  await box.waitFor({ state: "attached" });
  // A figure in a stat box (its .stat-value), or an answer's own figure (the donation's amount in the verdict).
  const value = (await box.locator(".stat-value").count()) > 0 ? box.locator(".stat-value").first() : box;
  const exact = value.locator("[data-exact]");
  if ((await exact.count()) > 0) return (await exact.first().getAttribute("data-exact")) ?? "";
  return (await value.textContent())?.trim() ?? "";
}
