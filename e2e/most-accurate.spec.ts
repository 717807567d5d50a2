import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import * as ort from 'onnxruntime-node';
import { loadExported, predictRgb, unzip } from './export-node';
import { appPixels, classify, importDataset, maxDiff, openApp, trainModel } from './export-page';
import { signDigitsSubset } from './fixtures';
import { hold, isHeld } from './engine-hooks';
import { cachedEmbeddingSizes } from './helpers';
import { openRuntimePage, runInTflite, tfliteRuntime } from './tflite-runtime';

// Issue 20: the two-backbone setting ("most-accurate" in backbone-select) end to end.
const CLASSES = ['0', '3', '7'];
const PER_CLASS = 12;

// The app's service worker would answer the /tflite-check/ requests before page.route sees them.
test.use({ serviceWorkers: 'block' });

async function download(page: Page, testId: string): Promise<Record<string, Uint8Array>> {
  const event = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  return unzip(new Uint8Array(readFileSync(await (await event).path())));
}

test('most accurate: the cost is said before training; it trains on both backbones\' embeddings, cached per backbone; its tfjs, ONNX and TFLite downloads give the app\'s probabilities', async ({ page, baseURL }) => {
  test.setTimeout(420_000);
  const runtime = tfliteRuntime();
  if (!baseURL) throw new Error('no baseURL');
  await openApp(page);
  await page.getByTestId('backbone-select').selectOption('most-accurate');
  await expect(page.getByTestId('backbone-cost')).toContainText('about 2.1x as long as with the default backbone');
  await expect(page.getByTestId('embed-runtime')).toBeVisible({ timeout: 120_000 });
  await importDataset(page, signDigitsSubset(CLASSES, PER_CLASS), CLASSES, PER_CLASS);
  await trainModel(page);

  // Each backbone's part is cached under its own id (a later choice of either alone reuses it); nothing under the pair's.
  const sizes = await cachedEmbeddingSizes(page);
  const partSizes = (prefix: string) => sizes.filter(([k]) => k.startsWith(`${prefix}:`)).map(([, n]) => n);
  expect(partSizes('mobilenet_v2_100_224')).toEqual(Array(CLASSES.length * PER_CLASS).fill(1280));
  expect(partSizes('mobilenet_v1_075_224')).toEqual(Array(CLASSES.length * PER_CLASS).fill(768));
  expect(partSizes('most-accurate')).toEqual([]);

  const heldOut = signDigitsSubset(CLASSES, 2, 40);
  const photos = CLASSES.flatMap((c) => readdirSync(join(heldOut, c)).sort().map((n) => join(heldOut, c, n)));
  const appProbs = await classify(page, photos);
  const want = (i: number) => appProbs.get(photos[i]?.split('/').pop() ?? '') ?? [];
  const pixels = await Promise.all(photos.map((p) => appPixels(page, p)));
  const worstOf = (got: (i: number) => readonly number[]) => Math.max(...photos.map((_, i) => maxDiff(got(i), want(i))));

  // tfjs: one model, one image input, the two branches joined by a Concatenate.
  const tfjsFiles = await download(page, 'download-model');
  const metadata = JSON.parse(new TextDecoder().decode(tfjsFiles['metadata.json'])) as { transferStudio: { backbone: { parts: string[] } } };
  expect(metadata.transferStudio.backbone.parts).toEqual(['mobilenet_v2_100_224', 'mobilenet_v1_075_224']);
  const model = await loadExported(tfjsFiles);
  expect(model.inputs.map((i) => i.shape)).toEqual([[null, 224, 224, 3]]);
  expect(model.getLayer('embedding').getClassName()).toBe('Concatenate');
  const nodeProbs = predictRgb(model, pixels, 224, 2 / 255, -1);
  model.dispose();
  const tfjsWorst = worstOf((i) => nodeProbs[i] ?? []);

  // ONNX in onnxruntime-node.
  const onnx = (await download(page, 'download-onnx'))['model.onnx'] ?? new Uint8Array(0);
  const session = await ort.InferenceSession.create(onnx);
  const onnxProbs: number[][] = [];
  for (const rgb of pixels) {
    const x = new ort.Tensor('float32', Float32Array.from(rgb, (v) => v / 127.5 - 1), [1, 224, 224, 3]);
    onnxProbs.push(Array.from((await session.run({ image: x })).probabilities?.data as Float32Array));
  }
  await session.release();
  const onnxWorst = worstOf((i) => onnxProbs[i] ?? []);

  // TFLite (float) in TFLite's own interpreter.
  const tflite = (await download(page, 'download-tflite-zip'))['model.tflite'] ?? new Uint8Array(0);
  await openRuntimePage(page, baseURL, runtime, { 'model.tflite': tflite });
  const run = await runInTflite(page, 'model.tflite', pixels, 2 / 255, -1);
  const tfliteWorst = worstOf((i) => run.probabilities[i] ?? []);
  console.warn(`most accurate: max |export - app| over ${photos.length} photos: tfjs ${tfjsWorst.toExponential(2)}, onnx ${onnxWorst.toExponential(2)}, tflite ${tfliteWorst.toExponential(2)}`);
  expect(tfjsWorst).toBeLessThan(1e-4);
  expect(onnxWorst).toBeLessThan(1e-4);
  expect(tfliteWorst).toBeLessThan(1e-3);
});

test('most accurate: a reload keeps the choice and the model; the default backbone then trains on the cached part without embedding again', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page);
  await page.getByTestId('backbone-select').selectOption('most-accurate');
  await expect(page.getByTestId('embed-runtime')).toBeVisible({ timeout: 120_000 });
  await importDataset(page, signDigitsSubset(CLASSES, 6), CLASSES, 6);
  await trainModel(page);
  const photo = join(signDigitsSubset(['3'], 1, 40), '3');
  const path = join(photo, readdirSync(photo)[0] ?? '');
  const before = (await classify(page, [path])).values().next().value ?? [];

  await page.reload();
  await expect(page.getByTestId('backbone-select')).toHaveValue('most-accurate');
  await expect(page.getByText(/Loaded in/)).toBeVisible({ timeout: 120_000 });
  const after = (await classify(page, [path])).values().next().value ?? [];
  expect(after).toHaveLength(CLASSES.length);
  expect(maxDiff(after, before)).toBeLessThan(1e-5);

  // The default alone: its embeddings are the pair's first part, already cached, so the Train step
  // says they are ready and training embeds nothing (the embed gate would hold the first batch).
  await page.goto('/?debug');
  await page.getByTestId('backbone-select').selectOption('mobilenet_v2_100_224');
  await expect(page.getByText(/Loaded in/)).toBeVisible({ timeout: 120_000 });
  await hold(page, 'embed', 1);
  await trainModel(page);
  expect(await isHeld(page, 'embed')).toBe(false);
});
