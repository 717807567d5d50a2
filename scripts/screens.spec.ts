/**
 * The README's screenshots of the workspace at 1280x900 and 360x800, in each state: empty,
 * imported, training (held at epoch 3 with the ?debug gate), trained with 150 classified photos,
 * the photo map and the Export panel. Writes docs/screenshots/{desktop,phone}-*.png and prints
 * (and checks) how long the page is after classifying the folder, and that the folder's verdict
 * (prediction-summary) is on screen without scrolling the results. Needs ../shared/datasets.
 *
 *   npm run screens
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { hold, release, waitHeld } from '../e2e/engine-hooks';
import { dropFolder, sharedDataset, waitForModel } from '../e2e/helpers';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
const CLASSES = ['longsleeve', 'pants', 'shoes', 'shorts', 't-shirt'];

/** `perClass` photos of each class of a clothing-small split, in a fresh parent folder. */
function subset(split: string, perClass: number): string {
  const parent = join(mkdtempSync(join(tmpdir(), 'screens-')), split);
  for (const c of CLASSES) {
    const from = join(sharedDataset('clothing-small'), split, c);
    mkdirSync(join(parent, c), { recursive: true });
    for (const n of readdirSync(from).sort().slice(0, perClass)) cpSync(join(from, n), join(parent, c, n));
  }
  return parent;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0); // no chart tooltip where the last drop or click left the pointer
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

for (const [label, width, height] of [
  ['desktop', 1280, 900],
  ['phone', 360, 800],
] as const) {
  test(`${label}: every state of the workspace`, async ({ page }) => {
    test.setTimeout(600_000);
    await page.setViewportSize({ width, height });
    await page.goto('/?debug');
    await waitForModel(page);
    await shot(page, `${label}-1-empty`);

    await dropFolder(page, '[data-testid="dataset-drop"]', subset('train', 30));
    await expect(page.locator('[data-testid="class-card"]')).toHaveCount(CLASSES.length, { timeout: 120_000 });
    for (const c of CLASSES) await expect(page.locator(`[data-testid="class-card"][data-class-name="${c}"] [data-testid="class-count"]`)).toHaveAttribute('data-value', '30', { timeout: 120_000 });
    await expect(page.getByTestId('save-state')).toContainText('Saved', { timeout: 120_000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, `${label}-2-imported`);

    await hold(page, 'epoch', 3);
    await page.getByTestId('train-button').click();
    await waitHeld(page, 'epoch');
    await page.getByTestId('training-chart').scrollIntoViewIfNeeded();
    await shot(page, `${label}-3-training`);
    await release(page, 'epoch');
    await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 300_000 });

    await page.getByTestId('predict-folder-input').setInputFiles(subset('test', 30));
    const summary = page.getByTestId('prediction-summary');
    await expect(summary).toHaveAttribute('data-total', '150', { timeout: 300_000 });
    await expect(summary).toHaveAttribute('data-pending', '0', { timeout: 300_000 });
    await summary.scrollIntoViewIfNeeded();
    await shot(page, `${label}-4-classified`);
    await page.screenshot({ path: join('test-results-screens', `${label}-full.png`), fullPage: true });
    const screens = await page.evaluate(() => document.documentElement.scrollHeight / window.innerHeight);
    const box = await summary.boundingBox();
    console.warn(`${label} ${width}x${height}: page ${screens.toFixed(2)} screens tall after 150 classified photos; prediction-summary at y ${box?.y.toFixed(0)}-${((box?.y ?? 0) + (box?.height ?? 0)).toFixed(0)}`);
    if (label === 'desktop') {
      expect(screens).toBeLessThanOrEqual(2.2);
      // The verdict on the folder: on screen with the page at the top, the results not scrolled.
      await page.evaluate(() => window.scrollTo(0, 0));
      const top = await summary.boundingBox();
      expect((top?.y ?? Infinity) + (top?.height ?? 0)).toBeLessThanOrEqual(height);
    }

    await page.getByTestId('embedding-map').scrollIntoViewIfNeeded();
    await shot(page, `${label}-5-map`);
    await page.getByTestId('export-format-tfjs').scrollIntoViewIfNeeded();
    await page.getByTestId('export-format-tflite').locator('summary').click();
    await shot(page, `${label}-6-export`);
  });
}
