import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import * as ort from 'onnxruntime-node';
import { unzip } from './export-node';
import { appPixels, classify, importDataset, maxDiff, openApp, trainModel } from './export-page';
import { signDigitsSubset } from './fixtures';

const CLASSES = ['0', '3', '7'];
const PER_CLASS = 12;

test('onnx: the downloaded model.onnx runs in onnxruntime (Node, CPU) and gives the app\'s probabilities within 1e-4 on the app\'s pixels', async ({ page }) => {
  await openApp(page);
  await importDataset(page, signDigitsSubset(CLASSES, PER_CLASS), CLASSES, PER_CLASS);
  await trainModel(page);
  const heldOut = signDigitsSubset(CLASSES, 2, 40);
  const photos = CLASSES.flatMap((c) => readdirSync(join(heldOut, c)).sort().map((n) => join(heldOut, c, n)));
  const appProbs = await classify(page, photos);

  const download = page.waitForEvent('download');
  await page.getByTestId('download-onnx').click();
  const zip = await download;
  expect(zip.suggestedFilename()).toBe('transfer-studio-model-onnx.zip');
  const files = unzip(new Uint8Array(readFileSync(await zip.path())));
  expect(Object.keys(files).sort()).toEqual(['MODEL_CARD.md', 'README.txt', 'labels.txt', 'model.onnx']);
  expect(new TextDecoder().decode(files['labels.txt'])).toBe(`${CLASSES.join('\n')}\n`);
  const readme = new TextDecoder().decode(files['README.txt']);
  expect(readme).toContain("session.run(['probabilities'], {'image': x})");
  expect(readme).toContain('pixel / 127.5 - 1');
  const card = new TextDecoder().decode(files['MODEL_CARD.md']);
  for (const c of CLASSES) expect(card).toContain(`| ${c} | ${PER_CLASS} |`);
  expect(card).toMatch(/Accuracy \d+\.\d% on \d+ held-out photos\./);

  const session = await ort.InferenceSession.create(files['model.onnx'] ?? new Uint8Array(0));
  expect(session.inputNames).toEqual(['image']);
  expect(session.outputNames).toEqual(['probabilities']);
  let worst = 0;
  for (const photo of photos) {
    const rgb = await appPixels(page, photo);
    const x = new ort.Tensor('float32', Float32Array.from(rgb, (v) => v / 127.5 - 1), [1, 224, 224, 3]);
    const got = Array.from((await session.run({ image: x })).probabilities?.data as Float32Array);
    const want = appProbs.get(photo.split('/').pop() ?? '') ?? [];
    expect(got).toHaveLength(CLASSES.length);
    worst = Math.max(worst, maxDiff(got, want));
  }
  await session.release();
  process.stdout.write(`onnx: ${((files['model.onnx']?.length ?? 0) / 1e6).toFixed(1)} MB, ${photos.length} photos, max |onnxruntime - app| = ${worst.toExponential(2)}\n`);
  expect(worst).toBeLessThanOrEqual(1e-4);
});
