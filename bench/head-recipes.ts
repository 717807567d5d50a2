/**
 * Head recipes benchmark (issue 5): embeds two real photo sets once with the default backbone
 * (cached in bench/out/), then trains classifier heads with several recipes on the SAME embeddings
 * and reports test accuracy.
 * Run: npx tsx bench/head-recipes.ts [--embed-only] [--mirror] [--seeds=3] [--first-seed=1] [--only=name,name] [--sets=clothing-small,sign-digits]
 *   [--backend=wasm|cpu] [--timing [--epochs=50]]
 * --timing times training on 3,000 clothing-small embeddings instead of comparing recipes.
 * --report prints one table from every results-<backend>-*.json saved in bench/out/head-recipes/ (all seeds).
 * --mirror also embeds left-right mirrored photos (for the flip-augmentation recipes).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createBackbone } from '../src/ml/backbones/create-backbone';
import { argmaxRows, evaluate } from '../src/ml/head/metrics';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from '../src/ml/head/settings';
import { stratifiedSplit } from '../src/ml/head/split';
import { predictHead, trainHead, type HeadOptions } from '../src/ml/head/train-head';
// Aliased: the React hooks lint rule takes any use* call for a hook.
import { MODELS_DIR, fileHandler, loadJpeg, mirror, toBatch, useWasmBackend as switchToWasm } from '../src/ml/testing/node-io';
import { listClothing, listSignDigits, type PhotoList } from './photo-sets';

const BACKBONE = 'mobilenet_v2_100_224';
const SIZE = 224;
const EMBED_BATCH = 16;
const OUT_DIR = join(import.meta.dirname, 'out', 'head-recipes');

/** Embeddings of a photo list, row-major N x dim. */
interface EmbeddedSet extends PhotoList {
  dim: number;
  embeddings: Float32Array;
  mirrored: Float32Array | null;
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

async function embedFiles(files: readonly string[], mirrored: boolean, what: string): Promise<{ dim: number; data: Float32Array }> {
  await switchToWasm();
  const backbone = createBackbone(BACKBONE, { handler: fileHandler(join(MODELS_DIR, BACKBONE)) });
  await backbone.load();
  const dim = backbone.spec.embeddingSize;
  const data = new Float32Array(files.length * dim);
  const start = performance.now();
  try {
    for (let i = 0; i < files.length; i += EMBED_BATCH) {
      const images = files.slice(i, i + EMBED_BATCH).map((f) => {
        const rgb = loadJpeg(f, SIZE);
        return mirrored ? mirror(rgb, SIZE) : rgb;
      });
      const rows = await backbone.embed(toBatch(images, SIZE));
      rows.forEach((row, k) => data.set(row, (i + k) * dim));
      const done = Math.min(i + EMBED_BATCH, files.length);
      if (done % 320 === 0 || done === files.length) {
        const s = (performance.now() - start) / 1000;
        log(`  ${what}: ${done}/${files.length} images, ${(done / s).toFixed(1)} img/s`);
      }
    }
  } finally {
    backbone.dispose();
  }
  return { dim, data };
}

/** Loads a set's embeddings from bench/out/, computing and caching them first if needed. */
async function loadEmbedded(list: PhotoList, withMirror: boolean): Promise<EmbeddedSet> {
  mkdirSync(OUT_DIR, { recursive: true });
  const meta = join(OUT_DIR, `${list.name}.json`);
  const plain = join(OUT_DIR, `${list.name}.f32`);
  const flipped = join(OUT_DIR, `${list.name}.mirror.f32`);
  const read = (p: string) => {
    const b = readFileSync(p);
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  let dim: number;
  let embeddings: Float32Array;
  const cached = existsSync(meta) && existsSync(plain) && JSON.stringify((JSON.parse(readFileSync(meta, 'utf8')) as { files: string[] }).files) === JSON.stringify(list.files);
  if (cached) {
    dim = (JSON.parse(readFileSync(meta, 'utf8')) as { dim: number }).dim;
    embeddings = read(plain);
  } else {
    const r = await embedFiles(list.files, false, list.name);
    dim = r.dim;
    embeddings = r.data;
    writeFileSync(plain, embeddings);
    writeFileSync(meta, JSON.stringify({ backbone: BACKBONE, dim, files: list.files, labels: list.labels, splits: list.splits }));
  }
  let mirrored: Float32Array | null = null;
  if (existsSync(flipped) && cached) mirrored = read(flipped);
  else if (withMirror) {
    mirrored = (await embedFiles(list.files, true, `${list.name} mirrored`)).data;
    writeFileSync(flipped, mirrored);
  }
  return { ...list, dim, embeddings, mirrored };
}

/** A recipe: settings plus head options; `flip` trains on mirrored copies too (and also reports test-time averaging with the mirror). */
interface Recipe {
  name: string;
  settings: Omit<TrainSettings, 'seed'>;
  options?: HeadOptions;
  flip?: boolean;
}

const base: Omit<TrainSettings, 'seed'> = {
  epochs: 50,
  batchSize: 32,
  learningRate: 0.001,
  hiddenUnits: 128,
  dropout: 0.3,
  validationFraction: 0.15,
  earlyStoppingPatience: 8,
  classWeighting: 'auto',
};

const RECIPES: Recipe[] = [
  // (a) The classic Keras transfer-learning tutorial: Dense(64, relu), 10 epochs, Adam 1e-3, batch 32, 20% validation.
  { name: 'keras', settings: { ...base, hiddenUnits: 64, dropout: 0, epochs: 10, validationFraction: 0.2, earlyStoppingPatience: 0, classWeighting: 'off' } },
  // (b) Teachable Machine: Dense(100, relu), softmax Dense without bias, varianceScaling init, Adam 1e-3, batch 16, 50 epochs, 15% validation.
  {
    name: 'tm',
    settings: { ...base, hiddenUnits: 100, dropout: 0, batchSize: 16, epochs: 50, validationFraction: 0.15, earlyStoppingPatience: 0, classWeighting: 'off' },
    options: { outputBias: false, kernelInitializer: 'varianceScaling' },
  },
  // (c) Candidates.
  { name: 'h128-d0.3-p8', settings: base },
  { name: 'h128-d0.3-p8-cwoff', settings: { ...base, classWeighting: 'off' } },
  { name: 'h128-d0.3-nostop', settings: { ...base, earlyStoppingPatience: 0 } },
  { name: 'h128-d0.3-p15', settings: { ...base, earlyStoppingPatience: 15 } },
  { name: 'h128-d0.5-p8', settings: { ...base, dropout: 0.5 } },
  { name: 'h256-d0.5-p8', settings: { ...base, hiddenUnits: 256, dropout: 0.5 } },
  { name: 'h256-d0.3-p8', settings: { ...base, hiddenUnits: 256 } },
  { name: 'h128-d0.3-p10-lr5e-4-e100', settings: { ...base, learningRate: 0.0005, epochs: 100, earlyStoppingPatience: 10 } },
  { name: 'h0-d0.2-p8-lr3e-3-e100 (linear)', settings: { ...base, hiddenUnits: 0, dropout: 0.2, learningRate: 0.003, epochs: 100 } },
  { name: 'h128-d0.3-p8 +flip', settings: base, flip: true },
  // (d) Larger batches for speed (issue 17, item 5): the app's default with batch 64 / 128, the
  // learning rate scaled by the square root of the batch ratio, and linearly for 128.
  { name: 'app-b64-lr7e-4', settings: { ...base, learningRate: 0.0007, epochs: 100, earlyStoppingPatience: 10, batchSize: 64 } },
  { name: 'app-b128-lr1e-3', settings: { ...base, learningRate: 0.001, epochs: 100, earlyStoppingPatience: 10, batchSize: 128 } },
  { name: 'app-b128-lr2e-3', settings: { ...base, learningRate: 0.002, epochs: 100, earlyStoppingPatience: 10, batchSize: 128 } },
];

/** Result of one recipe, one seed, one photo set. */
interface Run {
  set: string;
  recipe: string;
  seed: number;
  accuracy: number;
  macroF1: number;
  /** Accuracy when each test photo's probabilities are averaged with its mirror's (flip recipes only). */
  ttaAccuracy: number | null;
  epochsRun: number;
  bestEpoch: number;
  seconds: number;
}

/** Fixed test split for sign-digits (same photos for every recipe and seed). */
const SIGN_TEST_SEED = 2024;

async function runRecipe(set: EmbeddedSet, recipe: Recipe, seed: number): Promise<Run> {
  const settings: TrainSettings = { ...recipe.settings, seed };
  const n = set.labels.length;
  let pool: number[];
  let test: number[];
  let train: number[];
  let validation: number[];
  if (set.name === 'clothing-small') {
    const of = (split: string) => set.splits.flatMap((s, i) => (s === split ? [i] : []));
    train = of('train');
    validation = of('validation');
    test = of('test');
  } else {
    const outer = stratifiedSplit(set.labels, set.classes.length, 0.2, SIGN_TEST_SEED);
    pool = outer.train;
    test = outer.validation;
    const poolLabels = pool.map((i) => set.labels[i] as number);
    const inner = stratifiedSplit(poolLabels, set.classes.length, settings.validationFraction, seed);
    train = inner.train.map((k) => pool[k] as number);
    validation = inner.validation.map((k) => pool[k] as number);
  }
  let embeddings = set.embeddings;
  let labels = Int32Array.from(set.labels);
  if (recipe.flip) {
    if (!set.mirrored) throw new Error(`${recipe.name} needs mirrored embeddings: run with --mirror`);
    embeddings = new Float32Array(2 * n * set.dim);
    embeddings.set(set.embeddings);
    embeddings.set(set.mirrored, n * set.dim);
    labels = Int32Array.from([...set.labels, ...set.labels]);
    train = [...train, ...train.map((i) => i + n)];
  }
  const start = performance.now();
  const result = await trainHead({ embeddings, dim: set.dim, labels, numClasses: set.classes.length, trainIndices: train, validationIndices: validation, settings }, recipe.options);
  const seconds = (performance.now() - start) / 1000;
  try {
    const rows = (source: Float32Array) => {
      const out = new Float32Array(test.length * set.dim);
      test.forEach((row, i) => out.set(source.subarray(row * set.dim, (row + 1) * set.dim), i * set.dim));
      return out;
    };
    const probs = predictHead(result.model, rows(set.embeddings), set.dim);
    const truth = test.map((i) => set.labels[i] as number);
    const k = set.classes.length;
    const e = evaluate(truth, argmaxRows(probs, k), k);
    const macroF1 = e.perClass.reduce((a, c) => a + c.f1, 0) / e.perClass.length;
    let ttaAccuracy: number | null = null;
    if (recipe.flip && set.mirrored) {
      const flipped = predictHead(result.model, rows(set.mirrored), set.dim);
      const averaged = probs.map((p, i) => (p + (flipped[i] as number)) / 2);
      ttaAccuracy = evaluate(truth, argmaxRows(averaged, k), k).accuracy;
    }
    return { set: set.name, recipe: recipe.name, seed, accuracy: e.accuracy, macroF1, ttaAccuracy, epochsRun: result.history.length, bestEpoch: result.bestEpoch, seconds };
  } finally {
    result.model.dispose();
  }
}

/** Times `epochs` epochs on the first 3,000 training rows of `set` (no validation) with the default settings and the TM recipe. */
async function timing(set: EmbeddedSet, epochs: number): Promise<void> {
  const rows = set.splits.flatMap((s, i) => (s === 'train' ? [i] : [])).slice(0, 3000);
  const candidates: [string, TrainSettings, HeadOptions | undefined][] = [
    ['default', { ...DEFAULT_TRAIN_SETTINGS, epochs, earlyStoppingPatience: 0 }, undefined],
    ...RECIPES.filter((r) => r.name === 'tm').map((r): [string, TrainSettings, HeadOptions | undefined] => ['tm', { ...r.settings, epochs, seed: 1 }, r.options]),
  ];
  for (const [name, settings, options] of candidates) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const r = await trainHead({ embeddings: set.embeddings, dim: set.dim, labels: Int32Array.from(set.labels), numClasses: set.classes.length, trainIndices: rows, validationIndices: [], settings }, options);
    r.model.dispose();
    const wall = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    log(`${name}: ${rows.length} rows x ${epochs} epochs, batch ${settings.batchSize}, hidden ${settings.hiddenUnits}, backend ${tf.getBackend()}: ` +
      `${wall.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (${((1000 * wall) / epochs).toFixed(0)} ms/epoch wall)`);
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const withMirror = args.includes('--mirror');
  const seeds = Number(flag('seeds') ?? 3);
  const firstSeed = Number(flag('first-seed') ?? 1);
  const only = flag('only')?.split(',');
  if (args.includes('--report')) {
    report(flag('backend') ?? 'wasm');
    return;
  }
  const setNames = flag('sets')?.split(',');
  const lists = [listClothing(), listSignDigits()].filter((l) => !setNames || setNames.includes(l.name));
  const sets: EmbeddedSet[] = [];
  for (const list of lists) sets.push(await loadEmbedded(list, false));
  if (withMirror) for (let i = 0; i < lists.length; i++) sets[i] = await loadEmbedded(lists[i] as PhotoList, true);
  if (args.includes('--embed-only')) return;

  const backend = flag('backend') ?? 'wasm';
  if (backend === 'wasm') await switchToWasm();
  else await tf.setBackend(backend);
  await tf.ready();
  if (args.includes('--timing')) {
    await timing(sets[0] as EmbeddedSet, Number(flag('epochs') ?? 50));
    return;
  }
  log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, seeds ${firstSeed}..${firstSeed + seeds - 1}`);
  const runs: Run[] = [];
  const recipes = RECIPES.filter((r) => (!only || only.includes(r.name)) && (!r.flip || sets.every((s) => s.mirrored)));
  for (const recipe of recipes) {
    for (const set of sets) {
      for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
        const run = await runRecipe(set, recipe, seed);
        runs.push(run);
        const tta = run.ttaAccuracy === null ? '' : ` (with mirror averaging ${pct(run.ttaAccuracy)})`;
        log(`${set.name.padEnd(15)} ${recipe.name.padEnd(32)} seed ${seed}: test ${pct(run.accuracy)}${tta}, macro-F1 ${pct(run.macroF1)}, ${run.epochsRun} epochs (best ${run.bestEpoch}), ${run.seconds.toFixed(1)} s`);
      }
    }
  }
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, `results-${backend}-${Date.now()}.json`), JSON.stringify(runs, null, 1));

  table(recipes, runs);
}

/** Prints the table of every saved run (all seeds, all invocations) for `backend`, in RECIPES order. */
function report(backend: string): void {
  const runs = readdirSync(OUT_DIR)
    .filter((f) => f.startsWith(`results-${backend}-`) && f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(OUT_DIR, f), 'utf8')) as Run[]);
  // One run per (set, recipe, seed): a later invocation replaces an earlier one.
  const unique = [...new Map(runs.map((r) => [`${r.set}|${r.recipe}|${r.seed}`, r])).values()].sort((a, b) => a.seed - b.seed);
  table(RECIPES.filter((r) => unique.some((u) => u.recipe === r.name)), unique);
}

function table(recipes: Recipe[], runs: Run[]): void {
  log('\n| recipe | clothing-small test acc. | clothing macro-F1 | sign-digits test acc. | mean of both | epochs run (clothing / sign) | train time, s (clothing / sign) |');
  log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const recipe of recipes) {
    const of = (set: string) => runs.filter((r) => r.recipe === recipe.name && r.set === set);
    row(recipe.name, of('clothing-small'), of('sign-digits'), (r) => r.accuracy);
    if (recipe.flip) row(`${recipe.name} +mirror averaging`, of('clothing-small'), of('sign-digits'), (r) => r.ttaAccuracy ?? NaN);
  }
}

/** One markdown table row: mean test accuracy (per-seed values), macro-F1, epochs and time. */
function row(name: string, c: Run[], d: Run[], accuracy: (r: Run) => number): void {
  const both = (mean(c.map(accuracy)) + mean(d.map(accuracy))) / 2;
  const fmt = (rs: Run[]) => (rs.length ? `${pct(mean(rs.map(accuracy)))} (${rs.map((r) => pct(accuracy(r))).join(', ')})` : '-');
  log(
    `| ${name} | ${fmt(c)} | ${pct(mean(c.map((r) => r.macroF1)))} | ${fmt(d)} | ${pct(both)} | ` +
      `${mean(c.map((r) => r.epochsRun)).toFixed(0)} / ${mean(d.map((r) => r.epochsRun)).toFixed(0)} | ` +
      `${mean(c.map((r) => r.seconds)).toFixed(1)} / ${mean(d.map((r) => r.seconds)).toFixed(1)} |`,
  );
}

await main();
