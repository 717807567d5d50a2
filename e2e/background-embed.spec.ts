import { expect, test, type Page } from '@playwright/test';
import { fault, hold, release, waitHeld } from './engine-hooks';
import { signDigitsSubset } from './fixtures';
import { dropFolder, waitForModel } from './helpers';

// Issue 17, item 4: photos are embedded as they arrive, before Train is pressed. The `?debug`
// gate holds the background job at a given batch (never a race against the clock).

const DROP = '[data-testid="dataset-drop"]';
const count = (page: Page, name: string) => page.locator(`[data-testid="class-card"][data-class-name="${name}"] [data-testid="class-count"]`);
const bar = (page: Page) => page.getByTestId('embedding-progress');
const done = async (page: Page) => Number(await bar(page).getAttribute('data-done'));

async function importDigits(page: Page, classes: string[], perClass: number): Promise<void> {
  await dropFolder(page, DROP, signDigitsSubset(classes, perClass));
  for (const c of classes) await expect(count(page, c)).toHaveAttribute('data-value', String(perClass), { timeout: 60_000 });
}

/** Records every [done, total] the embedding bar shows from now on. */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: [number, number][] = [];
    (window as unknown as { __seen: [number, number][] }).__seen = seen;
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="embedding-progress"]');
      if (el) seen.push([Number(el.getAttribute('data-done')), Number(el.getAttribute('data-total'))]);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-done', 'data-total'] });
  });
}
const recorded = (page: Page) => page.evaluate(() => (window as unknown as { __seen: [number, number][] }).__seen);

test('photos are embedded ahead of Train; with all of them ready, Train trains without embedding again', async ({ page }) => {
  await page.goto('/?debug');
  await waitForModel(page);
  await importDigits(page, ['0', '1'], 10);
  // Nobody pressed Train: the bar fills by itself and says why, Train stays available.
  await expect(bar(page)).toHaveAttribute('data-done', '20', { timeout: 60_000 });
  await expect(page.getByTestId('background-embedding-stop')).toHaveCount(0);
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('embeddings-ready')).toBeVisible();
  await recordProgress(page);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const seen = await recorded(page);
  expect(seen.length).toBeGreaterThan(0);
  for (const s of seen) expect(s).toEqual([20, 20]);
  expect(Number(await page.getByTestId('val-accuracy').getAttribute('data-value'))).toBeGreaterThan(0.5);
});

test('computing ahead can be stopped; Train goes on from the embeddings it kept', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/?debug');
  await waitForModel(page);
  // The third batch and every later one wait: both lanes of the job stop there. Batches grow to 32
  // photos, so at most 8 + 2 x 32 of the 120 are done or in flight when Stop is pressed.
  await hold(page, 'embed', 3, true);
  await importDigits(page, ['0', '1', '2'], 40);
  await waitHeld(page, 'embed');
  await expect(bar(page)).toContainText('computed ahead');
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await page.screenshot({ path: 'test-results/background-embedding.png' });
  await page.getByTestId('background-embedding-stop').click();
  await release(page, 'embed');
  await expect(page.getByTestId('background-embedding-stop')).toHaveCount(0);
  await expect(bar(page)).toContainText('stopped');
  const kept = await done(page);
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThanOrEqual(72);
  await recordProgress(page);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  const seen = await recorded(page);
  // Train's bar starts at what was kept, not at 0, and ends with every photo.
  expect(seen[0]?.[0], JSON.stringify(seen)).toBeGreaterThanOrEqual(kept);
  expect(seen.at(-1)).toEqual([120, 120]);
});

test('a worker crash while computing ahead: a fresh engine finishes the job, and after a reload in the middle the job resumes by itself', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/?debug');
  await waitForModel(page);
  await hold(page, 'embed', 2);
  await importDigits(page, ['0', '1'], 16);
  await waitHeld(page, 'embed');
  await fault(page, 'crash');
  await expect(page.getByTestId('engine-restarted')).toBeVisible({ timeout: 60_000 });
  await expect(bar(page)).toHaveAttribute('data-done', '32', { timeout: 120_000 });

  // More photos; the job for them is held, then the page reloads with it in flight.
  await hold(page, 'embed', 2);
  await importDigits(page, ['2'], 16);
  await waitHeld(page, 'embed');
  await expect.poll(() => done(page), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.reload();
  await waitForModel(page);
  await expect(count(page, '2')).toHaveAttribute('data-value', '16');
  // What was embedded before the reload is kept: the job that resumes by itself has fewer than the 16 new photos left, and finishes them.
  await expect.poll(async () => Number(await bar(page).getAttribute('data-total')), { timeout: 60_000 }).toBeGreaterThan(0);
  const left = Number(await bar(page).getAttribute('data-total'));
  expect(left).toBeLessThan(16);
  await expect(bar(page)).toHaveAttribute('data-done', String(left), { timeout: 120_000 });
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'idle');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
});
