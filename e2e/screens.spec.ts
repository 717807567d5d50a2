import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { signDigitsSubset } from './fixtures';
import { dropFolder, waitForModel } from './helpers';

// Screenshots of every state at desktop and phone width, for docs/screenshots (copied by hand
// after a look). Each state is also asserted, so a screen that stops appearing fails here.
const OUT = 'test-results/screens';

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

for (const [label, width, height] of [
  ['desktop', 1280, 860],
  ['phone', 360, 740],
] as const) {
  test(`${label}: empty, importing, skipped files, embedding, training, done`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await waitForModel(page);
    await shot(page, `${label}-1-empty`);

    const parent = signDigitsSubset(['2', '3'], 30);
    writeFileSync(join(parent, '2', 'notes.jpg'), 'not a photo');
    await dropFolder(page, '[data-testid="dataset-drop"]', parent);
    await expect(page.getByTestId('skipped-files').locator('li')).toHaveCount(1);
    await page.getByTestId('skipped-files').scrollIntoViewIfNeeded();
    await shot(page, `${label}-2-imported-with-skipped-file`);

    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'embedding');
    await page.getByTestId('embedding-progress').scrollIntoViewIfNeeded();
    await shot(page, `${label}-3-embedding`);
    await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', /training|done/, { timeout: 150_000 });
    await page.getByTestId('training-chart').scrollIntoViewIfNeeded();
    await shot(page, `${label}-4-training`);
    await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
    await page.getByTestId('val-accuracy').scrollIntoViewIfNeeded();
    await shot(page, `${label}-5-done`);
    await page.screenshot({ path: join(OUT, `${label}-full.png`), fullPage: true });
  });
}
