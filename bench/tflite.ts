/**
 * TFLite export bench (issue 11): per layers backbone, the size of the exported `.tflite` (and of
 * the zip the app downloads), the conversion time in Node (tfjs wasm backend, as in a worker),
 * and in headless Chromium with @tensorflow/tfjs-tflite (TFLite's interpreter in wasm, one
 * thread): load time, time per image, and the largest difference from tfjs' probabilities on
 * real photos. The head is the default recipe's shape (128 hidden, 5 classes), seeded weights.
 *
 *   npx tsx bench/tflite.ts [--runs=3]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/browser-options';
import { openRuntimePage, runInTflite, tfliteRuntime } from '../e2e/tflite-runtime';
import { BACKBONES } from '../src/ml/backbones/catalog';
import { LayersBackbone } from '../src/ml/backbones/layers-backbone';
import { exportJoinedModel } from '../src/ml/export/joined-model';
import { exportTflite } from '../src/ml/export/tflite/export-tflite';
import { buildHead } from '../src/ml/head/train-head';
import { DATASETS_DIR, MODELS_DIR, fileHandler, loadJpeg, useWasmBackend as switchToWasm } from '../src/ml/testing/node-io';

const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 3);
const LABELS = ['dress', 'hat', 'longsleeve', 'pants', 'shoes'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const mb = (n: number) => (n / 1e6).toFixed(2);

function photos(): Uint8Array[] {
  return ['hat', 'pants', 'shoes'].map((c) => {
    const dir = join(DATASETS_DIR, 'clothing-small/test', c);
    return loadJpeg(join(dir, readdirSync(dir).sort()[0] ?? ''), 224);
  });
}

async function main(): Promise<void> {
  await switchToWasm();
  const runtime = tfliteRuntime();
  const images = photos();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const rows: string[] = [];
  try {
    for (const spec of BACKBONES.filter((b) => b.format === 'layers')) {
      const backbone = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, spec.id)) });
      await backbone.load();
      const head = buildHead(spec.embeddingSize, LABELS.length, { hiddenUnits: 128, dropout: 0.3, seed: 1 });
      const convertMs: number[] = [];
      let bytes: Uint8Array = new Uint8Array(0);
      for (let r = 0; r < RUNS; r++) {
        const t0 = performance.now();
        bytes = await exportTflite(backbone.embeddingModel, head, LABELS, spec.id, spec.inputRange);
        convertMs.push(performance.now() - t0);
      }
      const zipped = zipSync({ 'model.tflite': bytes }, { level: 6 }).byteLength;
      const tfjsFiles = await exportJoinedModel(backbone.embeddingModel, head);
      const tfjsBytes = tfjsFiles.weights.byteLength + tfjsFiles.modelJson.length;
      const expected = images.map((rgb) =>
        tf.tidy(() => Array.from((head.predict(backbone.embeddingModel.predict(tf.tensor4d(rgb, [1, 224, 224, 3], 'int32').toFloat().div(127.5).sub(1))) as tf.Tensor).dataSync())),
      );
      const page = await browser.newPage();
      await openRuntimePage(page, 'http://tflite.bench', runtime, { 'model.tflite': bytes });
      const loads: number[] = [];
      const predicts: number[] = [];
      let worst = 0;
      for (let r = 0; r < RUNS; r++) {
        const run = await runInTflite(page, 'model.tflite', images, 2 / 255, -1);
        loads.push(run.loadMs);
        predicts.push(...run.predictMs.slice(1));
        run.probabilities.forEach((p, i) => p.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (expected[i]?.[j] ?? NaN))))));
      }
      await page.close();
      head.dispose();
      backbone.dispose();
      const row = `| ${spec.id} | ${mb(bytes.byteLength)} | ${mb(zipped)} | ${mb(tfjsBytes)} | ${median(convertMs).toFixed(0)} | ${median(loads).toFixed(0)} | ${median(predicts).toFixed(0)} | ${worst.toExponential(1)} |`;
      console.log(row);
      rows.push(row);
    }
  } finally {
    await browser.close();
  }
  console.log('\n| backbone | .tflite MB | zipped MB | tfjs export MB | convert ms (Node) | tfjs-tflite load ms | tfjs-tflite ms / image | max abs diff vs tfjs |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
