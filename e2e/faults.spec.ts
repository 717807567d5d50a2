import { expect, test, type Page } from '@playwright/test';
import { signDigitsSubset } from './fixtures';
import { dropFolder, waitForModel } from './helpers';

type Hooks = { __transferStudio: { tensorCount(): Promise<number>; simulateFault(kind: 'lose-context' | 'crash'): Promise<void> } };

async function importDigits(page: Page, perClass: number): Promise<void> {
  await dropFolder(page, '[data-testid="dataset-drop"]', signDigitsSubset(['1', '2'], perClass));
  await expect(page.locator('[data-testid="class-card"][data-class-name="2"] [data-testid="class-count"]')).toHaveAttribute('data-value', String(perClass));
}

async function faultMidEmbedding(page: Page, kind: 'lose-context' | 'crash', total: number, waitForTraining = true): Promise<void> {
  await page.getByTestId('train-button').click();
  await expect.poll(async () => Number(await page.getByTestId('embedding-progress').getAttribute('data-done')), { timeout: 60_000 }).toBeGreaterThan(0);
  const before = Number(await page.getByTestId('embedding-progress').getAttribute('data-done'));
  expect(before).toBeLessThan(total);
  await page.evaluate((k) => (window as unknown as Hooks).__transferStudio.simulateFault(k), kind);
  // Embedding goes on to the end on the fresh engine (training then starts).
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', waitForTraining ? 'done' : /training|done/, { timeout: 240_000 });
  await expect(page.getByTestId('engine-restarted')).toBeVisible();
  await expect(page.getByTestId('embedding-progress')).toHaveAttribute('data-done', String(total));
}

test('a worker that crashes mid-embedding is replaced and embedding resumes', async ({ page }) => {
  // ?preEmbed=0: Train embeds here; the crash while embedding ahead of Train is in background-embed.spec.ts.
  await page.goto('/?debug&preEmbed=0');
  await waitForModel(page);
  await importDigits(page, 30);
  await faultMidEmbedding(page, 'crash', 60);
  expect(Number(await page.getByTestId('val-accuracy').getAttribute('data-value'))).toBeGreaterThan(0.8);
});

test('a lost WebGL context mid-embedding is recovered', async ({ page }) => {
  // WebGL is SwiftShader here: slow, and slower still on a busy machine.
  test.setTimeout(360_000);
  await page.goto('/?debug&backend=webgl&preEmbed=0');
  await waitForModel(page);
  await expect(page.getByTestId('backend-name')).toHaveText('webgl');
  await importDigits(page, 5);
  await faultMidEmbedding(page, 'lose-context', 10, false);
});

test('embedding leaves no tensors behind', async ({ page }) => {
  await page.goto('/?debug');
  await waitForModel(page);
  const start = await page.evaluate(() => (window as unknown as Hooks).__transferStudio.tensorCount());
  await importDigits(page, 20);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  // The trained head holds its weights: Dense kernel+bias, twice.
  const after = await page.evaluate(() => (window as unknown as Hooks).__transferStudio.tensorCount());
  expect(after - start).toBeLessThanOrEqual(4);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  expect(await page.evaluate(() => (window as unknown as Hooks).__transferStudio.tensorCount())).toBe(after);
});
