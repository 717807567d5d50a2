import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { signDigitsSubset } from './fixtures';
import { dropFolder, waitForModel } from './helpers';

/** Serious or critical axe violations on the page, as readable lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

for (const viewport of [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 360, height: 740 },
]) {
  test(`${viewport.name}: the whole path is accessible and fits the screen`, async ({ page }) => {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.goto('/');
    await waitForModel(page);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `test-results/${viewport.name}-empty.png`, fullPage: true });

    await dropFolder(page, '[data-testid="dataset-drop"]', signDigitsSubset(['4', '5'], 12));
    await expect(page.getByTestId('class-card')).toHaveCount(2);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing is wider than the screen (no sideways scrolling on a phone).
    const tooWide = await page.evaluate((w) => {
      const out: string[] = [];
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        // Wide tables and the export's code snippets scroll inside their own (focusable) region.
        if (el.closest('.table-scroll, .export-format__snippet pre')) continue;
        const r = el.getBoundingClientRect();
        if (r.right > w + 1 && out.length < 5) out.push(`${el.tagName}.${el.className} ${Math.round(r.right)}`);
      }
      return out;
    }, viewport.width);
    expect(tooWide).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: `test-results/${viewport.name}-trained.png`, fullPage: true });

    // Use and Export at this size too: classify a held-out photo, download the model.
    const heldOut = signDigitsSubset(['4'], 1, 40);
    await page.getByTestId('predict-folder-input').setInputFiles(heldOut);
    await expect(page.locator('[data-testid="prediction-row"][data-status="done"]')).toHaveCount(1, { timeout: 60_000 });
    const download = page.waitForEvent('download');
    await page.getByTestId('download-model').click();
    expect((await download).suggestedFilename()).toMatch(/\.zip$/);
    expect(await seriousViolations(page)).toEqual([]);

    // Every action is reachable by keyboard: Tab reaches the train button.
    await page.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'train-button');
    }
    expect(reached).toBe(true);
  });
}
