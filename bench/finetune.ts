/**
 * Fine-tuning benchmark (issue 10): test accuracy of the head on frozen embeddings ("before") and
 * after fine-tuning the backbone's last blocks with it ("after"), and how long fine-tuning took.
 * Node, tfjs wasm backend (single thread, SIMD), the app's own code (src/ml/head, src/ml/finetune).
 * Photos are decoded with jpeg-js and resized bilinearly (src/ml/testing/node-io.ts), not through
 * the browser canvas and JPEG training copies. Subsampled per class to keep the run short (printed).
 *
 * Run: npx tsx bench/finetune.ts [--backbone=mobilenet_v2_035_224] [--sets=clothing-small,sign-digits]
 *   [--train=60] [--val=20] [--test=all|N] [--blocks=2] [--epochs=5] [--lr=1e-5] [--augment] [--seed=42]
 * clothing-small: `train` photos per class from the official train split, `val` per class from the
 * official validation split (early stopping), and the official test split (all 372 by default).
 * sign-digits (no official split): per class, a seeded shuffle gives test, then validation, then train photos.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { blockLayout } from '../src/ml/finetune/blocks';
import { fineTune } from '../src/ml/finetune/finetune';
import { DEFAULT_FINETUNE_SETTINGS } from '../src/ml/finetune/settings';
import { cloneModel } from '../src/ml/finetune/split-model';
import { ensureGradientKernels } from '../src/ml/finetune/wasm-gradients';
import type { BackboneId } from '../src/ml/backbones/catalog';
import { createBackbone } from '../src/ml/backbones/create-backbone';
import { LayersBackbone } from '../src/ml/backbones/layers-backbone';
import { batchToTensor } from '../src/ml/image-batch';
import { DEFAULT_TRAIN_SETTINGS } from '../src/ml/head/settings';
import { predictHead, trainHead } from '../src/ml/head/train-head';
import { seededShuffle } from '../src/lib/random';
// Aliased: the React hooks lint rule takes any use* call for a hook.
import { DATASETS_DIR, MODELS_DIR, fileHandler, loadJpeg, toBatch, useWasmBackend as switchToWasm } from '../src/ml/testing/node-io';

const SIZE = 224;
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string | undefined]));
const arg = (name: string, fallback: string) => args.get(name) ?? (args.has(name) ? 'true' : fallback);
const BACKBONE = arg('backbone', 'mobilenet_v2_035_224');
const SETS = arg('sets', 'clothing-small,sign-digits').split(',');
const TRAIN = Number(arg('train', '60'));
const VAL = Number(arg('val', '20'));
const TEST = arg('test', 'all');
const SEED = Number(arg('seed', '42'));
const layout = blockLayout(BACKBONE);
if (!layout) throw new Error(`${BACKBONE} cannot be fine-tuned`);
const settings = {
  ...DEFAULT_FINETUNE_SETTINGS,
  blocks: Number(arg('blocks', String(layout.defaultBlocks))),
  epochs: Number(arg('epochs', String(DEFAULT_FINETUNE_SETTINGS.epochs))),
  learningRate: Number(arg('lr', String(DEFAULT_FINETUNE_SETTINGS.learningRate))),
  augment: args.has('augment'),
  seed: SEED,
};

interface Photos {
  classes: string[];
  files: string[];
  labels: number[];
  role: ('train' | 'val' | 'test')[];
}

const dirs = (d: string) => readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const jpegs = (d: string) => readdirSync(d).filter((f) => /\.jpe?g$/i.test(f)).sort();

function clothing(): Photos {
  const root = join(DATASETS_DIR, 'clothing-small');
  const classes = dirs(join(root, 'train'));
  const out: Photos = { classes, files: [], labels: [], role: [] };
  const take = (split: string, role: Photos['role'][number], n: number | null) =>
    classes.forEach((c, label) => {
      const names = seededShuffle(jpegs(join(root, split, c)), SEED).slice(0, n ?? undefined);
      for (const f of names) {
        out.files.push(join(root, split, c, f));
        out.labels.push(label);
        out.role.push(role);
      }
    });
  take('train', 'train', TRAIN);
  take('validation', 'val', VAL);
  take('test', 'test', TEST === 'all' ? null : Number(TEST));
  return out;
}

function signDigits(): Photos {
  const root = join(DATASETS_DIR, 'sign-digits');
  const classes = dirs(root);
  const out: Photos = { classes, files: [], labels: [], role: [] };
  const testN = TEST === 'all' ? 20 : Number(TEST);
  classes.forEach((c, label) => {
    const names = seededShuffle(jpegs(join(root, c)), SEED);
    names.slice(0, testN + VAL + TRAIN).forEach((f, i) => {
      out.files.push(join(root, c, f));
      out.labels.push(label);
      out.role.push(i < testN ? 'test' : i < testN + VAL ? 'val' : 'train');
    });
  });
  return out;
}

async function embed(model: tf.LayersModel, pixels: Uint8Array[], indices: number[]): Promise<Float32Array> {
  const rows: Float32Array[] = [];
  for (let s = 0; s < indices.length; s += 32) {
    const batch = toBatch(indices.slice(s, s + 32).map((i) => pixels[i] as Uint8Array), SIZE);
    const out = tf.tidy(() => model.predict(batchToTensor(batch, [-1, 1])) as tf.Tensor);
    rows.push((await out.data()) as Float32Array);
    out.dispose();
  }
  const dim = rows[0] ? rows[0].length / Math.min(32, indices.length) : 0;
  const flat = new Float32Array(indices.length * dim);
  let at = 0;
  for (const r of rows) {
    flat.set(r, at);
    at += r.length;
  }
  return flat;
}

function accuracy(probs: Float32Array, labels: number[], k: number): number {
  let hits = 0;
  labels.forEach((y, i) => {
    let best = 0;
    for (let c = 1; c < k; c++) if ((probs[i * k + c] as number) > (probs[i * k + best] as number)) best = c;
    if (best === y) hits++;
  });
  return hits / labels.length;
}

async function run(name: string, photos: Photos, backbone: LayersBackbone) {
  const t0 = performance.now();
  const pixels = photos.files.map((f) => loadJpeg(f, SIZE));
  const decodeS = (performance.now() - t0) / 1000;
  const idx = (r: string) => photos.role.flatMap((x, i) => (x === r ? [i] : []));
  const train = idx('train');
  const val = idx('val');
  const test = idx('test');
  const k = photos.classes.length;
  const t1 = performance.now();
  const trainVal = [...train, ...val];
  const emb = await embed(backbone.embeddingModel, pixels, trainVal);
  const dim = emb.length / trainVal.length;
  const labels = Int32Array.from(trainVal, (i) => photos.labels[i] as number);
  const head = await trainHead({
    embeddings: emb,
    dim,
    labels,
    numClasses: k,
    trainIndices: train.map((_, i) => i),
    validationIndices: val.map((_, i) => train.length + i),
    settings: { ...DEFAULT_TRAIN_SETTINGS, seed: SEED },
  });
  const headS = (performance.now() - t1) / 1000;
  const testLabels = test.map((i) => photos.labels[i] as number);
  const before = accuracy(predictHead(head.model, await embed(backbone.embeddingModel, pixels, test), dim), testLabels, k);

  const embedder = await cloneModel(backbone.embeddingModel);
  const allLabels = Int32Array.from(photos.labels);
  let estimate = 0;
  const result = await fineTune({
    embedder,
    head: head.model,
    layout: layout as NonNullable<typeof layout>,
    inputRange: [-1, 1],
    images: { load: async (indices) => toBatch(indices.map((i) => pixels[i] as Uint8Array), SIZE) },
    labels: allLabels,
    numClasses: k,
    trainIndices: train,
    validationIndices: val,
    settings,
    headSettings: DEFAULT_TRAIN_SETTINGS,
    onEstimate: (e) => {
      estimate = e.totalSeconds;
      log(`  estimate after the first batch: ${e.totalSeconds.toFixed(0)} s (${e.firstEpochSeconds.toFixed(0)} s first epoch, ${e.laterEpochSeconds.toFixed(0)} s later, cached ${e.cached})`);
    },
    onEpoch: (l) => log(`  epoch ${l.epoch}: loss ${l.loss.toFixed(3)} acc ${l.accuracy.toFixed(3)} val loss ${l.valLoss?.toFixed(3)} val acc ${l.valAccuracy?.toFixed(3)}`),
  });
  const after = accuracy(predictHead(head.model, await embed(embedder, pixels, test), dim), testLabels, k);
  embedder.dispose();
  head.model.dispose();
  const out = {
    set: name,
    backbone: BACKBONE,
    settings,
    counts: { classes: k, train: train.length, val: val.length, test: test.length },
    headEpochs: head.history.length,
    decodeSeconds: decodeS,
    embedAndHeadSeconds: headS,
    fineTuneSeconds: result.durationMs / 1000,
    estimateSeconds: estimate,
    fineTuneEpochs: result.history.length,
    keptEpoch: result.bestEpoch,
    improved: result.improved,
    valBefore: result.before.valAccuracy,
    valBestTuned: result.bestTuned?.valAccuracy ?? null,
    testBefore: before,
    testAfter: after,
    tensors: tf.memory().numTensors,
  };
  log(JSON.stringify(out));
  return out;
}

function log(m: string): void {
  process.stdout.write(`${m}\n`);
}

async function main() {
  await switchToWasm();
  const adapted = await ensureGradientKernels();
  log(`tfjs ${tf.version.tfjs} ${tf.getBackend()}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${adapted.length} CPU kernels adapted to wasm`);
  const backbone = createBackbone(BACKBONE as BackboneId, { handler: fileHandler(join(MODELS_DIR, BACKBONE)) });
  if (!(backbone instanceof LayersBackbone)) throw new Error('not a layers backbone');
  await backbone.load();
  const results = [];
  for (const set of SETS) {
    const photos = set === 'clothing-small' ? clothing() : signDigits();
    log(`\n${set}: ${photos.files.length} photos, ${BACKBONE}, fine-tune ${JSON.stringify(settings)}`);
    results.push(await run(set, photos, backbone));
  }
  const dir = join(import.meta.dirname, 'out', 'finetune');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${BACKBONE}-b${settings.blocks}-lr${settings.learningRate}${settings.augment ? '-aug' : ''}-e${settings.epochs}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  log(`\n| set | backbone | blocks | lr | aug | train/val/test | test acc before | test acc after | kept | fine-tune time (estimate) |`);
  for (const r of results) {
    log(
      `| ${r.set} | ${r.backbone} | ${r.settings.blocks} | ${r.settings.learningRate} | ${r.settings.augment ? 'on' : 'off'} | ${r.counts.train}/${r.counts.val}/${r.counts.test} | ${(r.testBefore * 100).toFixed(1)}% | ${(r.testAfter * 100).toFixed(1)}% | ${r.improved ? `epoch ${r.keptEpoch} of ${r.fineTuneEpochs}` : `before (tuned val ${((r.valBestTuned ?? 0) * 100).toFixed(1)}% vs ${(r.valBefore * 100).toFixed(1)}%)`} | ${r.fineTuneSeconds.toFixed(0)} s (${r.estimateSeconds.toFixed(0)} s) |`,
    );
  }
  log(`saved ${file}`);
}

await main();
