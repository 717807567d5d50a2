import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signDigitsSubset } from './fixtures';
import { chartEpochsSeen, dropFolder, recordChartEpochs, waitForModel } from './helpers';

const CLASSES = ['0', '3', '7'];

test('import a dataset folder, train with a live chart, evaluate, classify and download CSV', async ({ page }) => {
  const parent = signDigitsSubset(CLASSES, 24);
  await page.goto('/');
  await waitForModel(page);
  await dropFolder(page, '[data-testid="dataset-drop"]', parent);
  for (const c of CLASSES) {
    await expect(page.locator(`[data-testid="class-card"][data-class-name="${c}"] [data-testid="class-count"]`)).toHaveAttribute('data-value', '24');
  }
  await recordChartEpochs(page);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  // The chart gained its points one epoch at a time while training ran, not all at the end.
  const seen = await chartEpochsSeen(page);
  const epochs = Number(await page.getByTestId('training-chart').getAttribute('data-epochs'));
  expect(epochs).toBeGreaterThan(3);
  expect(seen.filter((n) => n > 0).length).toBeGreaterThanOrEqual(epochs - 1);
  const acc = Number(await page.getByTestId('val-accuracy').getAttribute('data-value'));
  expect(acc).toBeGreaterThanOrEqual(0.9);
  await expect(page.getByTestId('confusion-row')).toHaveCount(CLASSES.length);

  // The map of the photos: one dot per photo; pointing at one shows it, a click offers Move/Remove.
  // (force: dots overlap in clusters; whichever dot is on top answers.)
  const map = page.getByTestId('embedding-map');
  await expect(map).toHaveAttribute('data-points', String(CLASSES.length * 24), { timeout: 60_000 });
  const point = map.getByTestId('embedding-map-point').first();
  await point.hover({ force: true });
  const card = page.getByTestId('embedding-map-card');
  await expect(card).toBeVisible();
  await point.click({ force: true });
  await expect(card.getByRole('button', { name: 'Remove' })).toBeVisible();
  await expect(card.getByLabel('Move this photo to')).toBeVisible();
  await map.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/workflow-map.png' });
  await card.getByRole('button', { name: 'Close' }).click();
  await page.screenshot({ path: 'test-results/workflow-trained.png', fullPage: true });

  // Held-out photos of the same classes (not in the training set).
  const heldOut = signDigitsSubset(CLASSES, 3, 40);
  await page.getByTestId('predict-folder-input').setInputFiles(heldOut);
  await expect(page.getByTestId('prediction-row')).toHaveCount(9);
  await expect(page.locator('[data-testid="prediction-row"][data-status="done"]')).toHaveCount(9, { timeout: 120_000 });
  const download = page.waitForEvent('download');
  await page.getByTestId('download-predictions').click();
  const csv = readFileSync(await (await download).path(), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('file,label,confidence');
  expect(csv).toHaveLength(10);
  const shown = new Map<string, string>();
  for (const row of await page.getByTestId('prediction-row').all()) shown.set((await row.getAttribute('data-file')) ?? '', (await row.getAttribute('data-label')) ?? '');
  let right = 0;
  for (const line of csv.slice(1)) {
    const [file, label, confidence] = line.split(',');
    expect(CLASSES).toContain(label);
    expect(shown.get(file ?? '')).toBe(label);
    expect(Number(confidence)).toBeGreaterThanOrEqual(0);
    expect(Number(confidence)).toBeLessThanOrEqual(1);
    if (file?.split('/')[1] === label) right++;
  }
  // Well above chance (3 of 9) on photos the model never saw.
  expect(right, csv.join('\n')).toBeGreaterThanOrEqual(6);
  await page.getByTestId('prediction-row').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/workflow-predicted.png' });

  // Reload: classes, counts and the trained model come back without re-embedding.
  await page.reload();
  for (const c of CLASSES) {
    await expect(page.locator(`[data-testid="class-card"][data-class-name="${c}"] [data-testid="class-count"]`)).toHaveAttribute('data-value', '24');
  }
  await expect(page.getByTestId('val-accuracy')).toHaveAttribute('data-value', String(acc));
});
