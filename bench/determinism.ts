/**
 * Same photos, same seed: held-out (validation) accuracy of the head trained on 300 committed
 * sign-digits photos (30 of each digit) in three import orders, the old way (rows in import order)
 * and the app's way (rows by content hash, features/training/training-rows.ts), default settings,
 * seed 42. Node, tfjs wasm. Run: npx tsx bench/determinism.ts [backboneId]
 * Measured 2026-12-02, MobileNetV2 1.0: by import order 0.800, 0.940, 0.860; rows by content hash
 * 0.940 x3 (split shuffled over the sorted rows), 0.960 x3 (split keyed by each photo's hash).
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalRows, trainingSet } from '../src/features/training/training-rows';
import { seededShuffle } from '../src/lib/random';
import { isBackboneId, type BackboneId } from '../src/ml/backbones/catalog';
import { createBackbone } from '../src/ml/backbones/create-backbone';
import { DEFAULT_TRAIN_SETTINGS } from '../src/ml/head/settings';
import { stratifiedSplit } from '../src/ml/head/split';
import { trainHead } from '../src/ml/head/train-head';
import { MODELS_DIR, TEST_PHOTOS_DIR, fileHandler, loadJpeg, toBatch, useWasmBackend as startWasm } from '../src/ml/testing/node-io';
import type { ImageInfo } from '../src/store/project-store';

const arg = process.argv[2] ?? 'mobilenet_v2_100_224';
if (!isBackboneId(arg)) throw new Error(`Unknown backbone ${arg}`);
const id: BackboneId = arg;
await startWasm();
const backbone = createBackbone(id, { handler: fileHandler(join(MODELS_DIR, id)) });
await backbone.load();
const PHOTOS = join(TEST_PHOTOS_DIR, 'sign-digits');
const PER_CLASS = 30;
const classes = readdirSync(PHOTOS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => ({ id: `c-${d.name}`, name: d.name }))
  .sort((a, b) => a.name.localeCompare(b.name));
const images: ImageInfo[] = [];
const embeddings = new Map<string, Float32Array>();
for (const c of classes) {
  const dir = join(PHOTOS, c.name);
  const names = readdirSync(dir).sort().slice(0, PER_CLASS);
  const rows = await backbone.embed(toBatch(names.map((n) => loadJpeg(join(dir, n), 224)), 224));
  names.forEach((name, i) => {
    const hash = createHash('sha256').update(readFileSync(join(dir, name))).digest('hex');
    images.push({ id: `${c.id}:${hash}`, hash, classId: c.id, path: `${c.name}/${name}`, name });
    embeddings.set(hash, rows[i] as Float32Array);
  });
}
const settings = { ...DEFAULT_TRAIN_SETTINGS, seed: 42 };
const dim = backbone.spec.embeddingSize;

async function accuracy(x: Float32Array, labels: Int32Array, train: number[], validation: number[]): Promise<number> {
  const result = await trainHead({ embeddings: x, dim, labels, numClasses: classes.length, trainIndices: train, validationIndices: validation, settings });
  result.model.dispose();
  const probs = result.validationProbabilities ?? new Float32Array();
  let correct = 0;
  validation.forEach((row, j) => {
    const p = Array.from(probs.subarray(j * classes.length, (j + 1) * classes.length));
    if (p.indexOf(Math.max(...p)) === labels[row]) correct++;
  });
  return correct / validation.length;
}

const old: number[] = [];
const now: number[] = [];
for (const order of [1, 2, 3].map((s) => seededShuffle(images, s))) {
  // The old way: rows in store (import) order.
  const x = new Float32Array(order.length * dim);
  const labels = Int32Array.from(order, (r) => classes.findIndex((c) => c.id === r.classId));
  order.forEach((r, i) => x.set(embeddings.get(r.hash) as Float32Array, i * dim));
  const split = stratifiedSplit(labels, classes.length, settings.validationFraction, settings.seed);
  old.push(await accuracy(x, labels, split.train, split.validation));
  const set = trainingSet(canonicalRows(order, classes), classes, embeddings, dim, settings.validationFraction, settings.seed);
  now.push(await accuracy(set.x, set.labels, set.split.train, set.split.validation));
}
console.log(`${id}, ${images.length} photos, seed 42, three import orders: held-out accuracy by import order ${old.map((a) => a.toFixed(3)).join(', ')}; by content hash ${now.map((a) => a.toFixed(3)).join(', ')}`);
backbone.dispose();
