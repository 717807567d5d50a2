import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { loadExported, predictRgb, unzip } from './export-node';
import { appPixels, classify, importDataset, maxDiff, openApp, openModelFiles, trainModel } from './export-page';
import { hold, release, waitHeld } from './engine-hooks';
import { signDigitsSubset } from './fixtures';
import { waitForModel } from './helpers';

const CLASSES = ['0', '3', '7'];
const PER_CLASS = 8;
const TOLERANCE = 1e-4;
const BACKBONE = 'mobilenet_v2_035_224';

/** Values of one layer's first weight in a model loaded from model.json + weights.bin files. */
async function layerKernel(files: Record<string, Uint8Array>, layer: string): Promise<Float32Array> {
  const model = await loadExported(files);
  try {
    const w = model.getLayer(layer).getWeights()[0];
    if (!w) throw new Error(`${layer} has no weights`);
    return new Float32Array(w.dataSync());
  } finally {
    model.dispose();
  }
}

test('fine-tune: one epoch on a small sign-digits set continues the chart, reports before/after, and the export (with the kept backbone) reloads and predicts like the app', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await page.goto('/?debug');
  await waitForModel(page);
  await page.getByTestId('backbone-select').selectOption(BACKBONE);
  await expect(page.getByText(/Loaded in/)).toBeVisible({ timeout: 120_000 });
  await importDataset(page, signDigitsSubset(CLASSES, PER_CLASS), CLASSES, PER_CLASS);
  await trainModel(page);
  const chart = page.getByTestId('training-chart');
  const headEpochs = Number(await chart.getAttribute('data-epochs'));
  expect(headEpochs).toBeGreaterThan(0);

  await page.getByTestId('finetune-panel').locator('summary').click(); // the settings
  await expect(page.getByTestId('finetune-blocks')).toHaveValue('2');
  await page.getByTestId('finetune-epochs').fill('1');
  // Held (?debug gate) after its one epoch, so the estimate is read while it runs, however fast.
  await hold(page, 'epoch', 1);
  await page.getByTestId('fine-tune-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'training'); // the contract's state, with
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-stage', 'fine-tune');
  await waitHeld(page, 'epoch');
  // The estimate comes from the first measured batch, before the epoch ends.
  const estimate = page.getByTestId('finetune-estimate').filter({ hasText: /About \d+ (s|min) on this device/ });
  await expect(estimate).toHaveAttribute('data-seconds', /^\d+(\.\d+)?$/);
  await release(page, 'epoch');
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(chart).toHaveAttribute('data-epochs', String(headEpochs + 1));
  await expect(chart).toHaveAttribute('data-finetune-from', String(headEpochs));
  const result = page.getByTestId('finetune-result');
  await expect(result).toBeVisible();
  const before = Number(await result.getAttribute('data-before'));
  const after = Number(await result.getAttribute('data-after'));
  const improved = (await result.getAttribute('data-improved')) === 'true';
  expect(before).toBeGreaterThanOrEqual(0);
  expect(after).toBeGreaterThanOrEqual(0);
  await expect(result).toContainText(`before fine-tuning ${(before * 100).toFixed(1)}%`);
  if (!improved) await expect(result).toContainText('kept the model from before');
  if (improved) await expect(page.getByTestId('retrain-discards-finetune')).toBeVisible();
  await page.getByTestId('finetune-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/finetune-done.png', fullPage: true });
  await page.locator('section[aria-labelledby="train-title"]').screenshot({ path: 'test-results/finetune-train-step.png' });

  // Prediction and export use the kept model.
  const heldOut = signDigitsSubset(CLASSES, 1, 40);
  const photos = CLASSES.map((c) => join(heldOut, c)).flatMap((dir) => readdirSync(dir).sort().map((n) => join(dir, n)));
  const appProbs = await classify(page, photos);
  const download = page.waitForEvent('download');
  await page.getByTestId('download-model').click();
  const zip = new Uint8Array(readFileSync(await (await download).path()));
  const files = unzip(zip);
  const model = await loadExported(files);
  const pixels = await Promise.all(photos.map((p) => appPixels(page, p)));
  const nodeProbs = predictRgb(model, pixels, 224, 2 / 255, -1);
  model.dispose();
  let worst = 0;
  photos.forEach((p, i) => {
    worst = Math.max(worst, maxDiff(appProbs.get(p.split('/').pop() ?? '') ?? [], nodeProbs[i] ?? []));
  });
  expect(worst).toBeLessThan(TOLERANCE);

  // The exported backbone is the fine-tuned one when fine-tuning was kept, the pretrained one otherwise.
  const dir = join('public/models', BACKBONE);
  const exported = await layerKernel(files, 'Conv_1');
  const pretrained = await layerKernel({ 'model.json': readFileSync(join(dir, 'model.json')), 'weights.bin': readFileSync(join(dir, 'weights.bin')) }, 'Conv_1');
  expect(exported.length).toBe(pretrained.length);
  const identical = exported.every((v, i) => v === pretrained[i]);
  expect(identical).toBe(!improved);
  console.warn(`fine-tune e2e: ${headEpochs} head epochs, before ${before} after ${after} improved ${improved}; export parity ${worst.toExponential(2)}`);

  // After a reload the stored model (head and fine-tuned backbone) is reinstalled: same answers.
  await page.reload();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('finetune-result')).toHaveAttribute('data-improved', String(improved));
  const reloaded = await classify(page, photos);
  let worstReloaded = 0;
  for (const [name, probs] of appProbs) worstReloaded = Math.max(worstReloaded, maxDiff(probs, reloaded.get(name) ?? []));
  expect(worstReloaded).toBeLessThan(TOLERANCE);

  // A fresh page opens the download and classifies like the app.
  const context = await browser.newContext();
  const fresh = await context.newPage();
  await openApp(fresh);
  await openModelFiles(fresh, { 'transfer-studio-model.zip': zip });
  await expect(fresh.getByTestId('open-model-status')).toHaveAttribute('data-classes', String(CLASSES.length));
  const opened = await classify(fresh, photos);
  let worstOpened = 0;
  for (const [name, probs] of appProbs) worstOpened = Math.max(worstOpened, maxDiff(probs, opened.get(name) ?? []));
  expect(worstOpened).toBeLessThan(TOLERANCE);
  await context.close();
});
