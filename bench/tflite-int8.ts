/**
 * Int8-weights TFLite accuracy bench (issue 11): per layers backbone, a head trained with the
 * default settings on clothing-small (`--per-class` train photos of each of the 10 classes,
 * validated and early-stopped on the official validation split, 341 photos), then the validation
 * accuracy of the float model and of its int8-weights TFLite graph (run by the reference
 * interpreter, as TFLite runs it: weights dequantized, float compute), and how often they agree.
 *
 *   npx tsx bench/tflite-int8.ts [--per-class=40]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BACKBONES } from '../src/ml/backbones/catalog';
import { LayersBackbone } from '../src/ml/backbones/layers-backbone';
import { exportTflite, exportTfliteGraph } from '../src/ml/export/tflite/export-tflite';
import { runTflite } from '../src/ml/export/tflite/reference-run';
import { DEFAULT_TRAIN_SETTINGS } from '../src/ml/head/settings';
import { trainHead } from '../src/ml/head/train-head';
import { DATASETS_DIR, MODELS_DIR, fileHandler, loadJpeg, toBatch, useWasmBackend as switchToWasm } from '../src/ml/testing/node-io';

const PER_CLASS = Number(process.argv.find((a) => a.startsWith('--per-class='))?.split('=')[1] ?? 40);
const ROOT = join(DATASETS_DIR, 'clothing-small');
const CLASSES = readdirSync(join(ROOT, 'train')).sort();
const SIZE = 224;

function load(split: string, perClass: number): { images: Uint8Array[]; labels: number[] } {
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  CLASSES.forEach((c, k) => {
    for (const name of readdirSync(join(ROOT, split, c)).sort().slice(0, perClass)) {
      images.push(loadJpeg(join(ROOT, split, c, name), SIZE));
      labels.push(k);
    }
  });
  return { images, labels };
}

const argmax = (row: ArrayLike<number>) => Array.from(row).reduce((best, v, i, a) => (v > (a[best] ?? -Infinity) ? i : best), 0);

async function main(): Promise<void> {
  await switchToWasm();
  const train = load('train', PER_CLASS);
  const validation = load('validation', Infinity);
  const all = [...train.images, ...validation.images];
  const labels = Int32Array.from([...train.labels, ...validation.labels]);
  const rows: string[] = [];
  for (const spec of BACKBONES.filter((b) => b.format === 'layers')) {
    const t0 = performance.now();
    const backbone = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, spec.id)) });
    await backbone.load();
    const dim = spec.embeddingSize;
    const embeddings = new Float32Array(all.length * dim);
    for (let s = 0; s < all.length; s += 16) {
      const out = await backbone.embed(toBatch(all.slice(s, s + 16), SIZE));
      out.forEach((r, j) => embeddings.set(r, (s + j) * dim));
    }
    const trainIndices = train.images.map((_, i) => i);
    const validationIndices = validation.images.map((_, i) => train.images.length + i);
    const result = await trainHead({ embeddings, dim, labels, numClasses: CLASSES.length, trainIndices, validationIndices, settings: DEFAULT_TRAIN_SETTINGS });
    const k = CLASSES.length;
    const floatPred = validation.images.map((_, v) => argmax((result.validationProbabilities as Float32Array).subarray(v * k, (v + 1) * k)));
    const names = CLASSES.map(String);
    const graph = await exportTfliteGraph(backbone.embeddingModel, result.model, names, spec.id, spec.inputRange, { int8Weights: true });
    const int8Bytes = (await exportTflite(backbone.embeddingModel, result.model, names, spec.id, spec.inputRange, { int8Weights: true })).byteLength;
    const floatBytes = (await exportTflite(backbone.embeddingModel, result.model, names, spec.id, spec.inputRange)).byteLength;
    const int8Pred: number[] = [];
    for (let s = 0; s < validation.images.length; s += 8) {
      const batch = validation.images.slice(s, s + 8);
      const x = new Float32Array(batch.length * SIZE * SIZE * 3);
      batch.forEach((im, j) => x.set(Float32Array.from(im, (v) => v / 127.5 - 1), j * SIZE * SIZE * 3));
      const probs = runTflite(graph, x, batch.length);
      batch.forEach((_, j) => int8Pred.push(argmax(probs.subarray(j * k, (j + 1) * k))));
    }
    const n = validation.labels.length;
    const acc = (pred: number[]) => pred.filter((p, i) => p === validation.labels[i]).length / n;
    const agree = int8Pred.filter((p, i) => p === floatPred[i]).length / n;
    const row = `| ${spec.id} | ${(floatBytes / 1e6).toFixed(2)} | ${(int8Bytes / 1e6).toFixed(2)} | ${(100 * acc(floatPred)).toFixed(1)}% | ${(100 * acc(int8Pred)).toFixed(1)}% | ${(100 * agree).toFixed(1)}% | ${((performance.now() - t0) / 1000).toFixed(0)} |`;
    console.log(row);
    rows.push(row);
    result.model.dispose();
    backbone.dispose();
  }
  console.log(`\nclothing-small, ${PER_CLASS} train photos per class, validation split (${validation.labels.length} photos)`);
  console.log('| backbone | float .tflite MB | int8 .tflite MB | float val. accuracy | int8 val. accuracy | same top class | bench s |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
