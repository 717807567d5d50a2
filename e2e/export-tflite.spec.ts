import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { unzip } from './export-node';
import { appPixels, classify, importDataset, maxDiff, openApp, trainModel } from './export-page';
import { signDigitsSubset } from './fixtures';
import { openRuntimePage, runInTflite, tfliteRuntime } from './tflite-runtime';

const CLASSES = ['0', '3', '7'];
const PER_CLASS = 12;

// The app's service worker would answer the /tflite-check/ requests before page.route sees them.
test.use({ serviceWorkers: 'block' });

test('tflite: the TensorFlow Lite download runs in TFLite\'s own interpreter (tfjs-tflite) with the app\'s probabilities within 1e-3', async ({ page, baseURL }) => {
  const runtime = tfliteRuntime();
  test.skip(!runtime, 'npm pack @tensorflow/tfjs-tflite failed (no registry?)');
  if (!runtime || !baseURL) return;
  await openApp(page);
  await importDataset(page, signDigitsSubset(CLASSES, PER_CLASS), CLASSES, PER_CLASS);
  await trainModel(page);
  const heldOut = signDigitsSubset(CLASSES, 1, 40);
  const photos = CLASSES.map((c) => join(heldOut, c)).flatMap((dir) => readdirSync(dir).sort().map((n) => join(dir, n)));
  const appProbs = await classify(page, photos);

  await expect(page.getByTestId('tflite-note')).toContainText('model.tflite');
  const download = page.waitForEvent('download');
  await page.getByTestId('download-tflite').click();
  const zip = await download;
  expect(zip.suggestedFilename()).toBe('transfer-studio-model-tflite.zip');
  const files = unzip(new Uint8Array(readFileSync(await zip.path())));
  expect(Object.keys(files).sort()).toEqual(['README.txt', 'labels.txt', 'model.tflite']);
  expect(new TextDecoder().decode(files['labels.txt'])).toBe(`${CLASSES.join('\n')}\n`);
  expect(new TextDecoder().decode(files['README.txt'])).toContain('pixel / 127.5 - 1');
  const tflite = files['model.tflite'] ?? new Uint8Array(0);
  expect(new TextDecoder().decode(tflite.subarray(4, 8))).toBe('TFL3');
  await expect(page.getByTestId('download-tflite')).toBeEnabled();

  const pixels = await Promise.all(photos.map((p) => appPixels(page, p)));
  await openRuntimePage(page, baseURL, runtime, { 'model.tflite': tflite });
  const run = await runInTflite(page, 'model.tflite', pixels, 2 / 255, -1);
  expect(run.inputs).toEqual([{ shape: [1, 224, 224, 3], dtype: 'float32' }]);
  expect(run.outputs).toEqual([{ shape: [1, CLASSES.length], dtype: 'float32' }]);
  let worst = 0;
  photos.forEach((p, i) => {
    const app = appProbs.get(p.split('/').pop() ?? '') ?? [];
    expect(app).toHaveLength(CLASSES.length);
    worst = Math.max(worst, maxDiff(run.probabilities[i] ?? [], app));
  });
  console.warn(`tflite: ${tflite.byteLength} bytes, tfjs-tflite load ${run.loadMs.toFixed(0)} ms, max |tfjs-tflite - app| = ${worst.toExponential(2)} over ${photos.length} photos`);
  expect(worst).toBeLessThan(1e-3);
});

test('tflite: the TF-Hub graph backbone offers no TensorFlow Lite download and says why', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('backbone-select').selectOption('mobilenet_v1_025_224_tfhub');
  await expect(page.getByText(/Loaded in/)).toBeVisible({ timeout: 120_000 });
  await importDataset(page, signDigitsSubset(CLASSES, 6), CLASSES, 6);
  await trainModel(page);
  await expect(page.getByTestId('download-model')).toBeEnabled();
  await expect(page.getByTestId('download-tflite')).toBeDisabled();
  await expect(page.getByTestId('tflite-note')).toContainText('graph model');
  await expect(page.getByTestId('download-tflite')).toHaveAccessibleDescription(/needs a layers backbone/);
});
