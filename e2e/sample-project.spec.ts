import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { hold, release } from './engine-hooks';
import { TEST_PHOTOS, waitForModel } from './helpers';

const CLASSES = ['dress', 'hat', 'pants', 'shoes'];

test('a new user with no photos loads the sample project in one click and trains it to a model that classifies held-out photos', async ({ page }) => {
  // One LiteRT.js thread (?embedThreads=1): the path of a page that is not cross-origin isolated,
  // where a second engine embeds beside the first. The threaded path (one engine on every core) is
  // what the other tests run.
  await page.goto('/?debug&embedThreads=1');
  await waitForModel(page);
  const sample = page.getByTestId('sample-project');
  await expect(sample).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/sample-1-offered.png', fullPage: true });
  // The main engine's third embedding batch and every later one wait (?debug gate): on the CPU
  // backend with two or more cores the second engine joins and embeds the rest meanwhile.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const backend = await page.getByTestId('backend-name').textContent();
  const twoEngines = backend === 'wasm' && cores >= 2;
  if (twoEngines) await hold(page, 'embed', 3, true);
  await sample.click();
  for (const c of CLASSES) {
    await expect(page.locator(`[data-testid="class-card"][data-class-name="${c}"] [data-testid="class-count"]`)).toHaveAttribute('data-value', '25', { timeout: 60_000 });
  }
  await expect(page.getByTestId('class-card')).toHaveCount(4);
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
  await expect(page.getByTestId('skipped-files')).toHaveCount(0);
  // Offered on the empty Data step only.
  await expect(sample).toHaveCount(0);

  if (twoEngines) {
    // 100 photos: embedded ahead of Train, by two engines.
    await expect(page.getByTestId('embedding-progress')).toHaveAttribute('data-engines', '2', { timeout: 120_000 });
    await release(page, 'embed');
  }
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  const accuracy = Number(await page.getByTestId('val-accuracy').getAttribute('data-value'));
  expect(accuracy).toBeGreaterThanOrEqual(0.75);

  // Held-out photos of the same four classes (clothing-small's test split, never in the sample).
  const photos = CLASSES.flatMap((c) => readdirSync(join(TEST_PHOTOS, 'clothing-test', c)).filter((n) => n.endsWith('.jpg')).map((n) => ({ c, path: join(TEST_PHOTOS, 'clothing-test', c, n) })));
  await page.getByTestId('predict-input').setInputFiles(photos.map((p) => p.path));
  const rows = page.locator('[data-testid="prediction-row"][data-status="done"]');
  await expect(rows).toHaveCount(photos.length, { timeout: 120_000 });
  let correct = 0;
  for (const { c, path } of photos) {
    const label = await page.locator(`[data-testid="prediction-row"][data-file="${path.split('/').pop() ?? ''}"]`).getAttribute('data-label');
    if (label === c) correct += 1;
  }
  process.stdout.write(`sample project: validation ${accuracy.toFixed(3)}, held-out ${correct}/${photos.length}\n`);
  expect(correct).toBeGreaterThanOrEqual(15); // 20 photos, 4 classes: chance is 5
  await page.screenshot({ path: 'test-results/screens/sample-2-trained.png', fullPage: true });
});
