import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Download, type Page } from '@playwright/test';
import { unzip } from './export-node';
import { appPixels, classify, importDataset, maxDiff, openApp, trainModel } from './export-page';
import { signDigitsSubset } from './fixtures';
import { readTflite } from '../src/ml/export/tflite/read-flatbuffer';
import { runTflite } from '../src/ml/export/tflite/reference-run';
import { nodeTf } from './export-node';
import { openRuntimePage, runInTflite, tfliteRuntime } from './tflite-runtime';

const CLASSES = ['0', '3', '7'];
const PER_CLASS = 12;

// The app's service worker would answer the /tflite-check/ requests before page.route sees them.
test.use({ serviceWorkers: 'block' });


/** Clicks a TFLite zip button, checks the file name and contents, and returns the files. */
async function downloadTfliteZip(page: Page, testId: string, name: string): Promise<Record<string, Uint8Array>> {
  const download = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  const zip = await download;
  expect(zip.suggestedFilename()).toBe(name);
  const files = unzip(new Uint8Array(readFileSync(await zip.path())));
  expect(Object.keys(files).sort()).toEqual(['MODEL_CARD.md', 'README.txt', 'labels.txt', 'model.tflite']);
  return files;
}

test('tflite: the TensorFlow Lite downloads run in TFLite\'s own interpreter (tfjs-tflite): float within 1e-3 of the app, int8 as its file says; the int8 accuracy is shown', async ({ page, baseURL }) => {
  const runtime = tfliteRuntime();
  if (!baseURL) throw new Error('no baseURL');
  await openApp(page);
  await importDataset(page, signDigitsSubset(CLASSES, PER_CLASS), CLASSES, PER_CLASS);
  await trainModel(page);
  const heldOut = signDigitsSubset(CLASSES, 1, 40);
  const photos = CLASSES.map((c) => join(heldOut, c)).flatMap((dir) => readdirSync(dir).sort().map((n) => join(dir, n)));
  const appProbs = await classify(page, photos);

  await expect(page.getByTestId('tflite-note')).toContainText('model.tflite');
  // The contract's download-tflite: the .tflite file itself, then its labels.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.getByTestId('download-tflite').click();
  await expect.poll(() => downloads.length, { timeout: 60_000 }).toBe(2);
  page.removeAllListeners('download');
  // Two downloads from one click: their events come in either order.
  const byName = new Map(downloads.map((d) => [d.suggestedFilename(), d]));
  expect([...byName.keys()].sort()).toEqual(['labels.txt', 'model.tflite']);
  const direct = new Uint8Array(readFileSync(await (byName.get('model.tflite') as Download).path()));
  expect(readFileSync(await (byName.get('labels.txt') as Download).path(), 'utf8')).toBe(`${CLASSES.join('\n')}\n`);
  // The zip: the same model with labels.txt and a README.
  const files = await downloadTfliteZip(page, 'download-tflite-zip', 'transfer-studio-model-tflite.zip');
  expect(new TextDecoder().decode(files['labels.txt'])).toBe(`${CLASSES.join('\n')}\n`);
  expect(new TextDecoder().decode(files['README.txt'])).toContain('pixel / 127.5 - 1');
  const tflite = files['model.tflite'] ?? new Uint8Array(0);
  expect(Buffer.from(tflite).equals(Buffer.from(direct))).toBe(true);
  expect(new TextDecoder().decode(tflite.subarray(4, 8))).toBe('TFL3');
  await expect(page.getByTestId('download-tflite')).toBeEnabled();

  // The int8-weights variant: a zip of its own, under a third of the size.
  const files8 = await downloadTfliteZip(page, 'download-tflite-int8', 'transfer-studio-model-tflite-int8.zip');
  const tflite8 = files8['model.tflite'] ?? new Uint8Array(0);
  expect(tflite8.byteLength).toBeLessThan(tflite.byteLength / 3);

  // The full-integer variant: calibrated on the training photos (not the validation ones), uint8 in.
  const filesFull = await downloadTfliteZip(page, 'download-tflite-full-int8', 'transfer-studio-model-tflite-full-int8.zip');
  const tfliteFull = filesFull['model.tflite'] ?? new Uint8Array(0);
  expect(tfliteFull.byteLength).toBeLessThan(tflite.byteLength / 3);
  expect(new TextDecoder().decode(filesFull['README.txt'])).toContain(`calibration`);
  const calibrated = Number(/range it took on (\d+) of your training photos/.exec(new TextDecoder().decode(filesFull['README.txt']))?.[1]);
  expect(calibrated).toBeGreaterThan(0);

  // Its accuracy on the validation split, next to the float model's, on the same photos.
  await page.getByTestId('tflite-int8-check').click();
  const accuracy = page.getByTestId('tflite-int8-accuracy');
  await expect(accuracy).toBeVisible({ timeout: 120_000 });
  const photosChecked = Number(await accuracy.getAttribute('data-photos'));
  expect(photosChecked).toBeGreaterThan(0);
  for (const key of ['data-float', 'data-int8', 'data-agreement', 'data-full-int8', 'data-full-agreement']) {
    const v = Number(await accuracy.getAttribute(key));
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
  }
  // The same calibration as the download (calibrated once per model), on every training photo
  // and none of the validation ones (fewer than 100 here).
  expect(Number(await accuracy.getAttribute('data-calibration-photos'))).toBe(calibrated);
  expect(calibrated + photosChecked).toBe(CLASSES.length * PER_CLASS);
  await expect(accuracy).toContainText(`on ${photosChecked} photos`);
  const lost = Number(await accuracy.getAttribute('data-float')) - Number(await accuracy.getAttribute('data-full-int8'));
  await expect(page.getByTestId('tflite-full-int8-warning')).toHaveCount(lost > 0.02 ? 1 : 0);

  const pixels = await Promise.all(photos.map((p) => appPixels(page, p)));
  await openRuntimePage(page, baseURL, runtime, { 'model.tflite': tflite, 'model-int8.tflite': tflite8, 'model-full-int8.tflite': tfliteFull });
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

  // The int8 file in TFLite's interpreter computes what the file says: our reader + reference
  // interpreter (Node, tfjs) on the same pixels agree within 1e-3.
  const run8 = await runInTflite(page, 'model-int8.tflite', pixels, 2 / 255, -1);
  await nodeTf();
  const graph8 = readTflite(tflite8).graph;
  let worst8 = 0;
  let worst8VsFloat = 0;
  pixels.forEach((p, i) => {
    const reference = runTflite(graph8, Float32Array.from(p, (v) => (v * 2) / 255 - 1));
    worst8 = Math.max(worst8, maxDiff(run8.probabilities[i] ?? [], Array.from(reference)));
    worst8VsFloat = Math.max(worst8VsFloat, maxDiff(run8.probabilities[i] ?? [], run.probabilities[i] ?? []));
  });
  console.warn(`tflite int8: ${tflite8.byteLength} bytes, max |tfjs-tflite - reference| = ${worst8.toExponential(2)}, max |int8 - float| = ${worst8VsFloat.toExponential(2)}`);
  expect(worst8).toBeLessThan(1e-3);

  // The full-integer file in TFLite's int8 kernels: uint8 pixels in, float32 probabilities out;
  // what the app's emulation (the reference interpreter, the in-app check) computes, within the
  // kernels' fixed-point rounding, and the app's top class on nearly every photo.
  const runFull = await runInTflite(page, 'model-full-int8.tflite', pixels, 1, 0, 'int32');
  expect(runFull.inputs).toEqual([{ shape: [1, 224, 224, 3], dtype: 'int32' }]);
  expect(runFull.outputs).toEqual([{ shape: [1, CLASSES.length], dtype: 'float32' }]);
  const graphFull = readTflite(tfliteFull).graph;
  let worstFull = 0;
  let sameTop = 0;
  const top = (v: readonly number[]) => v.indexOf(Math.max(...v));
  pixels.forEach((p, i) => {
    const reference = Array.from(runTflite(graphFull, Float32Array.from(p)));
    const got = runFull.probabilities[i] ?? [];
    worstFull = Math.max(worstFull, maxDiff(got, reference));
    if (top(got) === top(appProbs.get(photos[i]?.split('/').pop() ?? '') ?? [])) sameTop++;
  });
  console.warn(`tflite full int8: ${tfliteFull.byteLength} bytes, predict ${Math.min(...runFull.predictMs).toFixed(1)} ms vs float ${Math.min(...run.predictMs).toFixed(1)} ms, max |tfjs-tflite - emulation| = ${worstFull.toExponential(2)}, top class as the app on ${sameTop}/${photos.length}`);
  expect(worstFull).toBeLessThan(0.1);
  expect(sameTop).toBeGreaterThanOrEqual(photos.length - 1);
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
  await expect(page.getByTestId('download-tflite-int8')).toHaveCount(0);
});
