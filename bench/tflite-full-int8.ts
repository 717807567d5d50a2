/**
 * Full-integer TFLite accuracy bench (issue 19, item 3): per dataset and layers backbone, a head
 * trained with the default settings, then the test accuracy of the float model, of its int8-weights
 * TFLite graph and of its full-integer graph (calibrated as the app does: up to 100 training
 * photos, classes in turn), the latter two run by the reference interpreter (the full-integer one
 * with every activation on its int8 grid, as the app's check runs it; TFLite's own kernels agree
 * with it within their rounding, e2e/export-tflite.spec.ts).
 * Node, tfjs wasm backend; photos decoded with jpeg-js and resized bilinearly (node-io.ts).
 *
 *   npx tsx bench/tflite-full-int8.ts [--sets=clothing-small,sign-digits] [--backbones=id,id] [--train=40] [--val=10] [--seed=42]
 * clothing-small: `train` / `val` photos per class from the official train / validation splits
 * (validation: early stopping), the whole official test split (372). sign-digits (no official
 * split): per class a seeded shuffle gives 20 test, then `val`, then `train` photos.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { seededShuffle } from '../src/lib/random';
import { BACKBONES } from '../src/ml/backbones/catalog';
import { LayersBackbone } from '../src/ml/backbones/layers-backbone';
import { exportTfliteGraph } from '../src/ml/export/tflite/export-tflite';
import { calibrate, quantizeFull, type ActivationRanges } from '../src/ml/export/tflite/quantize-full';
import { runTflite } from '../src/ml/export/tflite/reference-run';
import { DEFAULT_TRAIN_SETTINGS } from '../src/ml/head/settings';
import { trainHead } from '../src/ml/head/train-head';
import { DATASETS_DIR, MODELS_DIR, fileHandler, loadJpeg, toBatch, useWasmBackend as switchToWasm } from '../src/ml/testing/node-io';

const SIZE = 224;
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string | undefined]));
const arg = (name: string, fallback: string) => args.get(name) ?? fallback;
const SETS = arg('sets', 'clothing-small,sign-digits').split(',');
const BACKBONE_IDS = arg('backbones', BACKBONES.filter((b) => b.format === 'layers').map((b) => b.id).join(',')).split(',');
const TRAIN = Number(arg('train', '40'));
const VAL = Number(arg('val', '10'));
const SEED = Number(arg('seed', '42'));
const CALIBRATION = 100;

interface Photo {
  file: string;
  label: number;
  role: 'train' | 'val' | 'test';
}

const dirs = (d: string) => readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const jpegs = (d: string) => readdirSync(d).filter((f) => /\.jpe?g$/i.test(f)).sort();

function photosOf(set: string): { classes: string[]; photos: Photo[] } {
  const photos: Photo[] = [];
  if (set === 'clothing-small') {
    const root = join(DATASETS_DIR, set);
    const classes = dirs(join(root, 'train'));
    const take = (split: string, role: Photo['role'], n: number | undefined) =>
      classes.forEach((c, label) => seededShuffle(jpegs(join(root, split, c)), SEED).slice(0, n).forEach((f) => photos.push({ file: join(root, split, c, f), label, role })));
    take('train', 'train', TRAIN);
    take('validation', 'val', VAL);
    take('test', 'test', undefined);
    return { classes, photos };
  }
  const root = join(DATASETS_DIR, set);
  const classes = dirs(root);
  classes.forEach((c, label) =>
    seededShuffle(jpegs(join(root, c)), SEED)
      .slice(0, 20 + VAL + TRAIN)
      .forEach((f, i) => photos.push({ file: join(root, c, f), label, role: i < 20 ? 'test' : i < 20 + VAL ? 'val' : 'train' })),
  );
  return { classes, photos };
}

/** The app's calibration set: training photos, classes in turn, at most 100. */
function calibrationSet(photos: Photo[], classes: number): number[] {
  const perClass = Array.from({ length: classes }, (_, c) => photos.map((p, i) => (p.role === 'train' && p.label === c ? i : -1)).filter((i) => i >= 0));
  const out: number[] = [];
  for (let k = 0; out.length < CALIBRATION && perClass.some((l) => k < l.length); k++) for (const l of perClass) if (l[k] !== undefined && out.length < CALIBRATION) out.push(l[k] as number);
  return out;
}

const argmax = (row: ArrayLike<number>) => Array.from(row).reduce((best, v, i, a) => (v > (a[best] ?? -Infinity) ? i : best), 0);
const toRange = (batch: Uint8Array[]) => {
  const x = new Float32Array(batch.length * SIZE * SIZE * 3);
  batch.forEach((im, j) => x.set(Float32Array.from(im, (v) => v / 127.5 - 1), j * SIZE * SIZE * 3));
  return x;
};

async function main(): Promise<void> {
  await switchToWasm();
  const rows: string[] = [];
  for (const set of SETS) {
    const { classes, photos } = photosOf(set);
    const pixels = photos.map((p) => loadJpeg(p.file, SIZE));
    const labels = Int32Array.from(photos.map((p) => p.label));
    const idx = (role: Photo['role']) => photos.map((p, i) => (p.role === role ? i : -1)).filter((i) => i >= 0);
    const test = idx('test');
    for (const id of BACKBONE_IDS) {
      const spec = BACKBONES.find((b) => b.id === id);
      if (!spec) throw new Error(`No backbone ${id}`);
      const t0 = performance.now();
      const backbone = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, spec.id)) });
      await backbone.load();
      const dim = spec.embeddingSize;
      const embeddings = new Float32Array(photos.length * dim);
      for (let s = 0; s < photos.length; s += 16) (await backbone.embed(toBatch(pixels.slice(s, s + 16), SIZE))).forEach((r, j) => embeddings.set(r, (s + j) * dim));
      const result = await trainHead({ embeddings, dim, labels, numClasses: classes.length, trainIndices: idx('train'), validationIndices: idx('val'), settings: DEFAULT_TRAIN_SETTINGS });
      const k = classes.length;
      const names = classes.map(String);
      const float = await exportTfliteGraph(backbone.embeddingModel, result.model, names, spec.id, spec.inputRange);
      const weights = await exportTfliteGraph(backbone.embeddingModel, result.model, names, spec.id, spec.inputRange, { int8Weights: true });
      const ranges: ActivationRanges = new Map();
      const calib = calibrationSet(photos, k);
      for (let s = 0; s < calib.length; s += 8) {
        const batch = calib.slice(s, s + 8).map((i) => pixels[i] as Uint8Array);
        calibrate(float, toRange(batch), batch.length, ranges);
      }
      const full = quantizeFull(float, ranges, spec.inputRange);
      const pred = { float: [] as number[], weights: [] as number[], full: [] as number[] };
      const tq = performance.now();
      for (let s = 0; s < test.length; s += 8) {
        const batch = test.slice(s, s + 8).map((i) => pixels[i] as Uint8Array);
        const f = runTflite(float, toRange(batch), batch.length);
        const w = runTflite(weights, toRange(batch), batch.length);
        const q = runTflite(full, Float32Array.from(batch.flatMap((b) => Array.from(b))), batch.length);
        batch.forEach((_, j) => {
          pred.float.push(argmax(f.subarray(j * k, (j + 1) * k)));
          pred.weights.push(argmax(w.subarray(j * k, (j + 1) * k)));
          pred.full.push(argmax(q.subarray(j * k, (j + 1) * k)));
        });
      }
      const n = test.length;
      const acc = (p: number[]) => (100 * p.filter((v, i) => v === labels[test[i] as number]).length) / n;
      const same = (100 * pred.full.filter((v, i) => v === pred.float[i]).length) / n;
      const row = `| ${set} | ${spec.id} | ${n} | ${calib.length} | ${acc(pred.float).toFixed(1)}% | ${acc(pred.weights).toFixed(1)}% | ${acc(pred.full).toFixed(1)}% | ${(acc(pred.full) - acc(pred.float)).toFixed(1)} | ${same.toFixed(1)}% | ${((performance.now() - t0) / 1000).toFixed(0)} (${((performance.now() - tq) / n).toFixed(0)} ms/photo for 3 graphs) |`;
      console.log(row);
      rows.push(row);
      result.model.dispose();
      backbone.dispose();
    }
  }
  console.log(`\ntrain ${TRAIN} / val ${VAL} per class, seed ${SEED}, default head settings`);
  console.log('| dataset | backbone | test photos | calibration photos | float | int8 weights | full int8 | full - float (points) | full int8 same top class as float | bench s |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
