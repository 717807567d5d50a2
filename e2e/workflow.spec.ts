import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signDigitsSubset } from './fixtures';
import { dropFolder, waitForModel } from './helpers';

const CLASSES = ['0', '3', '7'];

test('import a dataset folder, train with a live chart, evaluate, classify and download CSV', async ({ page }) => {
  const parent = signDigitsSubset(CLASSES, 16);
  await page.goto('/');
  await waitForModel(page);
  await dropFolder(page, '[data-testid="dataset-drop"]', parent);
  for (const c of CLASSES) {
    await expect(page.locator(`[data-testid="class-card"][data-class-name="${c}"] [data-testid="class-count"]`)).toHaveAttribute('data-value', '16');
  }
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', /embedding|training/);
  // The chart gains points while training runs.
  await expect(page.getByTestId('training-chart')).toHaveAttribute('data-epochs', /^[1-9]/, { timeout: 120_000 });
  const early = Number(await page.getByTestId('training-chart').getAttribute('data-epochs'));
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const epochs = Number(await page.getByTestId('training-chart').getAttribute('data-epochs'));
  expect(epochs).toBeGreaterThan(early);
  const acc = Number(await page.getByTestId('val-accuracy').getAttribute('data-value'));
  expect(acc).toBeGreaterThanOrEqual(0.9);
  await expect(page.getByTestId('confusion-row')).toHaveCount(CLASSES.length);
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
  let right = 0;
  for (const line of csv.slice(1)) {
    const [file, label, confidence] = line.split(',');
    expect(CLASSES).toContain(label);
    expect(Number(confidence)).toBeGreaterThanOrEqual(0);
    expect(Number(confidence)).toBeLessThanOrEqual(1);
    if (file?.split('/')[1] === label) right++;
  }
  expect(right).toBeGreaterThanOrEqual(7);
  await page.getByTestId('prediction-row').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/workflow-predicted.png' });

  // Reload: classes, counts and the trained model come back without re-embedding.
  await page.reload();
  for (const c of CLASSES) {
    await expect(page.locator(`[data-testid="class-card"][data-class-name="${c}"] [data-testid="class-count"]`)).toHaveAttribute('data-value', '16');
  }
  await expect(page.getByTestId('val-accuracy')).toHaveAttribute('data-value', String(acc));
});
