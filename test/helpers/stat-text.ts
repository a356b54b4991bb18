/** Reading the explorer's headline figures in Chromium (the explorer tests share it). */
import type { Page } from "playwright-core";

/**
 * The text of the headline figure `testId` (its `.stat-value`); an amount shown in 万元 (`¥173.00万`) is read
 * exactly from its `data-exact` (`¥1,730,000.00`).
 */
export async function statText(page: Page, testId: string): Promise<string> {
  const value = page.locator(`[data-testid="${testId}"] .stat-value`).first();
  const exact = value.locator("[data-exact]");
  if ((await exact.count()) > 0) return (await exact.first().getAttribute("data-exact")) ?? "";
  return (await value.textContent())?.trim() ?? "";
}
