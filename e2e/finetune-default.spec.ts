import { expect, test } from '@playwright/test';
import { importDataset, openApp, trainModel } from './export-page';
import { signDigitsSubset } from './fixtures';

const CLASSES = ['1', '4', '8'];
const PER_CLASS = 6;

test('fine-tune on the default backbone (MobileNetV2 1.0): the default 2 blocks train for an epoch and end done with a before/after result, not an error', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page);
  await expect(page.getByTestId('backbone-select')).toHaveValue('mobilenet_v2_100_224');
  await importDataset(page, signDigitsSubset(CLASSES, PER_CLASS), CLASSES, PER_CLASS);
  await trainModel(page);
  const chart = page.getByTestId('training-chart');
  const headEpochs = Number(await chart.getAttribute('data-epochs'));

  await page.getByTestId('finetune-panel').locator('summary').click();
  await expect(page.getByTestId('finetune-blocks')).toHaveValue('2');
  await page.getByTestId('finetune-epochs').fill('1');
  const started = Date.now();
  await page.getByTestId('fine-tune-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-stage', 'fine-tune');
  // Before the fix it ended within seconds: "The backbone has no block 15".
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', /^(done|error)$/, { timeout: 240_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done');
  await expect(chart).toHaveAttribute('data-epochs', String(headEpochs + 1));
  const result = page.getByTestId('finetune-result');
  await expect(result).toContainText('before fine-tuning');
  console.warn(
    `fine-tune e2e on mobilenet_v2_100_224: ${CLASSES.length * PER_CLASS} photos, 1 epoch in ${((Date.now() - started) / 1000).toFixed(0)} s; before ${await result.getAttribute('data-before')} after ${await result.getAttribute('data-after')} improved ${await result.getAttribute('data-improved')}`,
  );
});
