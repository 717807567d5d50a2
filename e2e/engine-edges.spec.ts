import { expect, test, type Page } from '@playwright/test';
import { signDigitsSubset } from './fixtures';
import { fault, hold, release, waitHeld } from './engine-hooks';
import { cachedEmbeddingSizes, dropFolder, waitForModel } from './helpers';

// Issue 21, the engine at the edges: a backbone switch while embedding, worker crashes and silent
// exits during head training and import. Pipelines are paused at a given item by the `?debug`
// engine hooks (e2e/engine-hooks.ts), never by timing. docs/robustness.md lists them.

const DROP = '[data-testid="dataset-drop"]';
const count = (page: Page, name: string) => page.locator(`[data-testid="class-card"][data-class-name="${name}"] [data-testid="class-count"]`);

async function importDigits(page: Page, perClass: number): Promise<void> {
  await dropFolder(page, DROP, signDigitsSubset(['1', '2'], perClass));
  await expect(count(page, '2')).toHaveAttribute('data-value', String(perClass));
  await expect(count(page, '1')).toHaveAttribute('data-value', String(perClass));
}

/** Classifies one held-out photo and returns its row's status and text. */
async function classifyOne(page: Page): Promise<{ status: string | null; text: string }> {
  await page.getByTestId('predict-folder-input').setInputFiles(signDigitsSubset(['1'], 1, 40));
  const row = page.getByTestId('prediction-row').last();
  await expect(row).toHaveAttribute('data-status', /done|error/, { timeout: 60_000 });
  return { status: await row.getAttribute('data-status'), text: await row.innerText() };
}

test('the backbone cannot change while embedding; a reload shows the trained model\'s backbone', async ({ page }) => {
  test.setTimeout(300_000);
  // ?preEmbed=0: Train embeds (the gate counts its batches), not the job that computes embeddings ahead.
  await page.goto('/?debug&preEmbed=0');
  await waitForModel(page);
  await importDigits(page, 6);
  const picker = page.getByTestId('backbone-select');
  await expect(picker).toHaveValue('mobilenet_v2_100_224');
  // Hold the second embedding batch in the engine: embedding is running.
  await hold(page, 'embed', 2);
  await page.getByTestId('train-button').click();
  await waitHeld(page, 'embed');
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'embedding');
  await expect(picker).toBeDisabled();
  await release(page, 'embed');
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(picker).toBeEnabled();

  // Train on another backbone, then pick a third without training: the model's backbone comes back on reload.
  await picker.selectOption('mobilenet_v2_035_224');
  await expect(page.getByText(/Loaded in/)).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await picker.selectOption('mobilenet_v1_075_224');
  await expect(page.getByText(/Loaded in/)).toBeVisible({ timeout: 120_000 });
  await page.reload();
  await waitForModel(page);
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done');
  await expect(picker).toHaveValue('mobilenet_v2_035_224');
  // Predictions use the model's backbone and head (a 1280-value head on a 768-value backbone would fail).
  expect((await classifyOne(page)).status).toBe('done');

  // Every cached vector has its backbone's size.
  const sizes = await cachedEmbeddingSizes(page);
  expect(sizes.length).toBe(24);
  for (const [key, length] of sizes) expect([key, length]).toEqual([key, key.startsWith('mobilenet_v1_075_224:') ? 768 : 1280]);
});

test('a worker crash during head training: the old worker is gone, Train works again, predictions work', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/?debug');
  await waitForModel(page);
  await importDigits(page, 6);
  await hold(page, 'train', 1);
  await page.getByTestId('train-button').click();
  await waitHeld(page, 'train');
  await fault(page, 'crash');
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
  await expect(page.getByText('The background worker stopped. The app restarted it; try again.')).toBeVisible();
  await expect(page.getByTestId('engine-restarted')).toBeVisible();
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 120_000 });
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const predicted = await classifyOne(page);
  expect(predicted.text).not.toContain('Simulated worker crash');
  expect(predicted.status).toBe('done');
});

test('a worker that exits silently during head training is noticed and replaced', async ({ page }) => {
  test.setTimeout(300_000);
  // A short liveness limit (debug only): the worker is pinged while a call is pending.
  await page.goto('/?debug&livenessMs=5000');
  await waitForModel(page);
  // In the worker (the main-thread fallback has no worker to lose).
  await expect(page.getByText('(main thread)')).toHaveCount(0);
  await importDigits(page, 6);
  await hold(page, 'train', 1);
  await page.getByTestId('train-button').click();
  await waitHeld(page, 'train');
  await fault(page, 'exit');
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
  await expect(page.getByTestId('train-button')).toBeEnabled({ timeout: 120_000 });
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
});

test('during an import Train and the backbone are locked; a worker crash then: the photos in flight are tried again, none listed as corrupt', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/?debug');
  await waitForModel(page);
  await importDigits(page, 6);
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await hold(page, 'import', 5);
  await dropFolder(page, DROP, signDigitsSubset(['3', '4'], 10));
  await waitHeld(page, 'import');
  await expect(page.getByTestId('train-button')).toBeDisabled();
  await expect(page.getByTestId('backbone-select')).toBeDisabled();
  await fault(page, 'crash');
  await expect(count(page, '3')).toHaveAttribute('data-value', '10', { timeout: 120_000 });
  await expect(count(page, '4')).toHaveAttribute('data-value', '10');
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
  await expect(page.locator('[data-testid="skipped-files"] li')).toHaveCount(0);
  await expect(page.getByTestId('engine-restarted')).toBeVisible();
});

test('a worker crash during fine-tuning: the trained model comes back on the new worker, predictions and a new fine-tune work', async ({ page }) => {
  test.setTimeout(360_000);
  await page.goto('/?debug');
  await waitForModel(page);
  // The lightest layers backbone keeps the fine-tune short.
  await page.getByTestId('backbone-select').selectOption('mobilenet_v2_035_224');
  await expect(page.getByText(/Loaded in/)).toBeVisible({ timeout: 120_000 });
  await importDigits(page, 6);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await page.getByTestId('finetune-panel').locator('summary').click();
  await page.getByTestId('finetune-epochs').fill('1');
  await hold(page, 'finetune', 1);
  await page.getByTestId('fine-tune-button').click();
  await waitHeld(page, 'finetune');
  await fault(page, 'crash');
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'error', { timeout: 60_000 });
  await expect(page.getByText('The background worker stopped. The app restarted it; try again.')).toBeVisible();
  await expect(page.getByTestId('fine-tune-button')).toBeEnabled({ timeout: 120_000 });
  expect((await classifyOne(page)).status).toBe('done');
  await page.getByTestId('fine-tune-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', /done|error/, { timeout: 240_000 });
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('finetune-result')).toBeVisible();
});

test('"Saving…" stays on through a whole import, not only while a batch of photos is written', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/?debug');
  await waitForModel(page);
  // 48 photos: the first 32 are written as one batch before the 40th waits at the gate.
  await hold(page, 'import', 40);
  await dropFolder(page, DROP, signDigitsSubset(['3', '4'], 24));
  await waitHeld(page, 'import');
  const listed = () => page.getByTestId('class-count').evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-value')), 0));
  await expect.poll(listed, { timeout: 30_000 }).toBeGreaterThanOrEqual(32);
  // That batch is stored, but the import is not over: closing the tab now would lose photos.
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saving');
  await expect(page.getByTestId('save-state').getByText('Saving…')).toBeVisible();
  await release(page, 'import');
  await expect(count(page, '3')).toHaveAttribute('data-value', '24', { timeout: 60_000 });
  await expect(count(page, '4')).toHaveAttribute('data-value', '24');
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
});
