import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { nodeTf, unzip } from './export-node';
import { readTflite } from '../src/ml/export/tflite/read-flatbuffer';
import { runTflite } from '../src/ml/export/tflite/reference-run';
import { appPixels, classify, importDataset, openApp, trainModel } from './export-page';
import { signDigitsSubset } from './fixtures';

const CLASSES = ['0', '3', '7'];
const PER_CLASS = 12;
/** MediaPipe Tasks for the web: a devDependency, served from our origin to a blank page of its own. */
const MEDIAPIPE = join(import.meta.dirname, '..', 'node_modules', '@mediapipe', 'tasks-vision');

// The app's service worker would answer the /mp-check/ requests before page.route sees them.
test.use({ serviceWorkers: 'block' });

test('tflite metadata: MediaPipe Tasks\' ImageClassifier loads the downloaded .tflite as is and gives the app\'s labels, top class and probabilities on held-out photos', async ({ page, baseURL }) => {
  if (!baseURL) throw new Error('no baseURL');
  await openApp(page);
  await importDataset(page, signDigitsSubset(CLASSES, PER_CLASS), CLASSES, PER_CLASS);
  await trainModel(page);
  const heldOut = signDigitsSubset(CLASSES, 3, 40);
  const photos = CLASSES.flatMap((c) => readdirSync(join(heldOut, c)).sort().map((n) => join(heldOut, c, n)));
  const appProbs = await classify(page, photos);
  const pixels = await Promise.all(photos.map((p) => appPixels(page, p)));

  const downloadModel = async (testId: string): Promise<Uint8Array> => {
    const download = page.waitForEvent('download');
    await page.getByTestId(testId).click();
    return unzip(new Uint8Array(readFileSync(await (await download).path())))['model.tflite'] ?? new Uint8Array(0);
  };
  const models: Record<string, Uint8Array> = { 'model.tflite': await downloadModel('download-tflite-zip'), 'model-full-int8.tflite': await downloadModel('download-tflite-full-int8') };

  // A blank page of our origin with MediaPipe's bundle and wasm; nothing of the app loaded.
  await page.route('**/mp-check/**', (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^.*\/mp-check\//, '');
    if (path === 'index.html') return route.fulfill({ body: '<!doctype html><title>mediapipe</title>', contentType: 'text/html' });
    const model = models[path];
    if (model) return route.fulfill({ body: Buffer.from(model), contentType: 'application/octet-stream' });
    const file = join(MEDIAPIPE, path);
    if (!/^(vision_bundle\.mjs|wasm\/[\w.]+)$/.test(path)) return route.fulfill({ status: 404 });
    const type = path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    return route.fulfill({ body: readFileSync(file), contentType: type });
  });
  await page.goto(`${baseURL}/mp-check/index.html`);
  const b64 = pixels.map((p) => Buffer.from(p).toString('base64'));
  const classifyIn = (name: string) => page.evaluate(async ({ b64, name }) => {
    type Category = { categoryName: string; score: number; index: number };
    const vision = (await import(/* @vite-ignore */ `${location.origin}/mp-check/vision_bundle.mjs`)) as {
      FilesetResolver: { forVisionTasks(path: string): Promise<unknown> };
      ImageClassifier: { createFromOptions(f: unknown, o: unknown): Promise<{ classify(image: ImageData): { classifications: { categories: Category[] }[] } }> };
    };
    const fileset = await vision.FilesetResolver.forVisionTasks(`${location.origin}/mp-check/wasm`);
    const bytes = new Uint8Array(await (await fetch(`/mp-check/${name}`)).arrayBuffer());
    const classifier = await vision.ImageClassifier.createFromOptions(fileset, { baseOptions: { modelAssetBuffer: bytes, delegate: 'CPU' }, runningMode: 'IMAGE', maxResults: -1 });
    return b64.map((image) => {
      const rgb = Uint8Array.from(atob(image), (c) => c.charCodeAt(0));
      const rgba = new Uint8ClampedArray(224 * 224 * 4);
      for (let i = 0; i < 224 * 224; i++) {
        rgba[i * 4] = rgb[i * 3] as number;
        rgba[i * 4 + 1] = rgb[i * 3 + 1] as number;
        rgba[i * 4 + 2] = rgb[i * 3 + 2] as number;
        rgba[i * 4 + 3] = 255;
      }
      return classifier.classify(new ImageData(rgba, 224, 224)).classifications[0]?.categories ?? [];
    });
  }, { b64, name });
  const results = await classifyIn('model.tflite');

  let worst = 0;
  photos.forEach((photo, k) => {
    const categories = results[k] ?? [];
    // The labels come from the file itself (metadata + packed labels.txt), in output order.
    expect(categories.map((c) => c.categoryName).sort()).toEqual([...CLASSES].sort());
    const app = appProbs.get(photo.split('/').pop() ?? '') ?? [];
    const appTop = CLASSES[app.indexOf(Math.max(...app))];
    const best = [...categories].sort((a, b) => b.score - a.score)[0];
    expect(best?.categoryName).toBe(appTop);
    for (const c of categories) {
      expect(CLASSES[c.index]).toBe(c.categoryName);
      worst = Math.max(worst, Math.abs(c.score - (app[c.index] ?? NaN)));
    }
  });
  process.stdout.write(`mediapipe ImageClassifier vs app: ${photos.length} photos, top class equal, max |score - app probability| = ${worst.toExponential(2)}\n`);
  expect(worst).toBeLessThan(1e-3);

  // The full-integer file (uint8 input: MediaPipe passes the pixels as they are): the same labels
  // from its metadata, the scores the app's emulation of the int8 graph gives (within the int8
  // kernels' rounding), and the app's top class on all but at most one photo.
  const full = await classifyIn('model-full-int8.tflite');
  await nodeTf();
  const graphFull = readTflite(models['model-full-int8.tflite'] ?? new Uint8Array(0)).graph;
  let sameTop = 0;
  let worstFull = 0;
  let worstEmulation = 0;
  photos.forEach((photo, k) => {
    const categories = full[k] ?? [];
    expect(categories.map((c) => c.categoryName).sort()).toEqual([...CLASSES].sort());
    const emulated = runTflite(graphFull, Float32Array.from(pixels[k] ?? []));
    for (const c of categories) worstEmulation = Math.max(worstEmulation, Math.abs(c.score - (emulated[c.index] ?? NaN)));
    const app = appProbs.get(photo.split('/').pop() ?? '') ?? [];
    const best = [...categories].sort((a, b) => b.score - a.score)[0];
    if (best?.categoryName === CLASSES[app.indexOf(Math.max(...app))]) sameTop++;
    for (const c of categories) worstFull = Math.max(worstFull, Math.abs(c.score - (app[c.index] ?? NaN)));
  });
  process.stdout.write(`mediapipe ImageClassifier, full int8: max |score - emulation| = ${worstEmulation.toExponential(2)}; vs app (float): top class equal on ${sameTop}/${photos.length}, max |score - app probability| = ${worstFull.toExponential(2)}\n`);
  expect(worstEmulation).toBeLessThan(0.1);
  expect(sameTop).toBeGreaterThanOrEqual(photos.length - 1);
});
