/**
 * Backbone pairs (issue 20, item 1, "Most accurate"): the app's default head trained on one
 * backbone's embeddings, and on the concatenation of two backbones' embeddings (as they are, and
 * with each backbone's part L2-normalised first), on the three sets of bench/frozen-tricks.ts with
 * exactly its splits, seeds, head settings and standard errors; only the embedding matrix differs.
 *
 *   nice -n 5 npx tsx bench/backbone-pairs.ts [--seeds=6 | --seeds=1,2,3 | --seeds=4-6]
 *     [--only=v2_100,v2_100+v1_075,...] [--sets=clothing-small,clothing-20,sign-digits]
 *     [--embed-only] [--timing] [--report]
 *
 * First run: embeds clothing-small (all splits) and sign-digits (all photos) with every backbone
 * in Node on the tfjs wasm backend (single-threaded, as bench/head-recipes.ts), each photo decoded
 * once and fed to every backbone in turn, and caches them per backbone in
 * bench/out/backbone-pairs/<backbone>/<set>.f32 + .json (the json records the embedding time). The
 * default backbone's embeddings cached by `npx tsx bench/head-recipes.ts --embed-only`
 * (bench/out/head-recipes/) are reused when their file list matches, so the default row is the
 * default row of bench/frozen-tricks.ts. Then times the four backbones on the same 256 decoded
 * photos, interleaved, 3 rounds (bench/out/backbone-pairs/timing.json; `--timing` redoes it):
 * "embedding cost" = the sum of the backbones' ms/photo over the default's.
 * Each (set, recipe, seed) result is saved as it finishes (runs-*.json); the table of every saved
 * run is printed and written to bench/out/backbone-pairs/results.md (`--report` only rebuilds it).
 *
 * Sets (as frozen-tricks.ts): clothing-small, official train / validation / test split;
 * clothing-20, 20 train photos per class drawn with the seed, 15% of them for validation, official
 * test split; sign-digits, fixed seeded 80/20 test split (seed 2024), validation from the rest with
 * the seed. Seeds 1-6 by default; the head is DEFAULT_TRAIN_SETTINGS with the run's seed.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BACKBONES, DEFAULT_BACKBONE_ID, type SingleBackboneId as BackboneId } from '../src/ml/backbones/catalog';
import { createBackbone } from '../src/ml/backbones/create-backbone';
import type { Backbone } from '../src/ml/backbones/types';
// Aliased: the React hooks lint rule takes any use* call for a hook.
import { MODELS_DIR, fileHandler, loadJpeg, toBatch, useWasmBackend as switchToWasm } from '../src/ml/testing/node-io';
import { headTestAccuracy, listClothing, listSignDigits, mean, pts, se, type PhotoList } from './photo-sets';

const OUT_DIR = join(import.meta.dirname, 'out', 'backbone-pairs');
const HEAD_RECIPES_CACHE = join(import.meta.dirname, 'out', 'head-recipes');
const EMBED_BATCH = 16;
const TIMING_PHOTOS = 256;
const TIMING_ROUNDS = 3;

const SHORT: Record<BackboneId, string> = {
  mobilenet_v2_100_224: 'v2_100',
  mobilenet_v1_075_224: 'v1_075',
  mobilenet_v2_035_224: 'v2_035',
  mobilenet_v1_025_224_tfhub: 'v1_025hub',
};
const ALL_BACKBONES = BACKBONES.map((b) => b.id as BackboneId);

// ---- Photo lists and splits: bench/photo-sets.ts (shared with head-recipes.ts and frozen-tricks.ts).

type PhotoSet = PhotoList['name'];

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

// ---- Embedding cache.

/** What the cache json holds (the .f32 beside it is files.length x dim, row-major). */
interface CacheMeta {
  backbone: BackboneId;
  dim: number;
  files: string[];
  labels: number[];
  splits: string[];
  /** How long embedding took here (absent for caches reused from bench/out/head-recipes/). */
  timing?: {
    photos: number;
    /** Wall ms per photo inside backbone.embed (model only; decoding is shared by all backbones). */
    embedMsPerPhoto: number;
    embedPhotosPerSecond: number;
    /** Wall ms per photo decoding + centre crop + resize to 224 (jpeg-js, once per photo for all backbones). */
    decodeMsPerPhoto: number;
    date: string;
  };
  source?: string;
}

/** One backbone's embeddings of a photo set, with labels and splits (rows in list order). */
interface Cached {
  dim: number;
  labels: number[];
  splits: string[];
  embeddings: Float32Array;
}

const cachePaths = (backbone: BackboneId, set: PhotoSet) => ({
  meta: join(OUT_DIR, backbone, `${set}.json`),
  data: join(OUT_DIR, backbone, `${set}.f32`),
});

function readF32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

const sameFiles = (meta: string, files: string[]) =>
  existsSync(meta) && JSON.stringify((JSON.parse(readFileSync(meta, 'utf8')) as { files: string[] }).files) === JSON.stringify(files);

/** Where a valid cache of (backbone, set) lies, or null: ours first, then head-recipes' for the default backbone. */
function findCache(backbone: BackboneId, list: PhotoList): { meta: string; data: string } | null {
  const own = cachePaths(backbone, list.name);
  if (existsSync(own.data) && sameFiles(own.meta, list.files)) return own;
  if (backbone === DEFAULT_BACKBONE_ID) {
    const theirs = { meta: join(HEAD_RECIPES_CACHE, `${list.name}.json`), data: join(HEAD_RECIPES_CACHE, `${list.name}.f32`) };
    if (existsSync(theirs.data) && sameFiles(theirs.meta, list.files)) {
      const meta = JSON.parse(readFileSync(theirs.meta, 'utf8')) as { backbone?: string };
      if (meta.backbone === DEFAULT_BACKBONE_ID) return theirs;
    }
  }
  return null;
}

async function loadBackbone(id: BackboneId): Promise<Backbone> {
  const backbone = createBackbone(id, { handler: fileHandler(join(MODELS_DIR, id)) });
  await backbone.load();
  return backbone;
}

/** Embeds `list` with every backbone of `ids` (each photo decoded once) and writes their caches. */
async function embedList(list: PhotoList, ids: BackboneId[]): Promise<void> {
  if (!ids.length) return;
  await switchToWasm();
  const sizes = new Set(ids.map((id) => BACKBONES.find((b) => b.id === id)?.inputSize));
  if (sizes.size !== 1) throw new Error(`backbones with different input sizes: ${[...sizes].join(', ')}`);
  const size = [...sizes][0] as number;
  const backbones: Backbone[] = [];
  for (const id of ids) backbones.push(await loadBackbone(id));
  const data = backbones.map((b) => new Float32Array(list.files.length * b.spec.embeddingSize));
  const embedMs = ids.map(() => 0);
  let decodeMs = 0;
  const start = performance.now();
  try {
    for (let i = 0; i < list.files.length; i += EMBED_BATCH) {
      const t0 = performance.now();
      const batch = toBatch(list.files.slice(i, i + EMBED_BATCH).map((f) => loadJpeg(f, size)), size);
      decodeMs += performance.now() - t0;
      for (let b = 0; b < backbones.length; b++) {
        const backbone = backbones[b] as Backbone;
        const dim = backbone.spec.embeddingSize;
        const t1 = performance.now();
        const rows = await backbone.embed(batch);
        embedMs[b] = (embedMs[b] as number) + performance.now() - t1;
        rows.forEach((row, k) => (data[b] as Float32Array).set(row, (i + k) * dim));
      }
      const done = Math.min(i + EMBED_BATCH, list.files.length);
      if (done % 320 === 0 || done === list.files.length) {
        const rates = ids.map((id, b) => `${SHORT[id]} ${((1000 * done) / (embedMs[b] as number)).toFixed(1)}`).join(', ');
        log(`  ${list.name}: ${done}/${list.files.length} photos in ${((performance.now() - start) / 1000).toFixed(0)} s; img/s ${rates}; decode ${((1000 * done) / decodeMs).toFixed(1)}`);
      }
    }
  } finally {
    for (const b of backbones) b.dispose();
  }
  const n = list.files.length;
  ids.forEach((id, b) => {
    const paths = cachePaths(id, list.name);
    mkdirSync(join(OUT_DIR, id), { recursive: true });
    writeFileSync(paths.data, data[b] as Float32Array);
    const ms = (embedMs[b] as number) / n;
    const meta: CacheMeta = {
      backbone: id,
      dim: (backbones[b] as Backbone).spec.embeddingSize,
      files: list.files,
      labels: list.labels,
      splits: list.splits,
      timing: { photos: n, embedMsPerPhoto: ms, embedPhotosPerSecond: 1000 / ms, decodeMsPerPhoto: decodeMs / n, date: new Date().toISOString() },
      source: `bench/backbone-pairs.ts, tfjs ${tf.version.tfjs} ${tf.getBackend()} (single-threaded), batch ${EMBED_BATCH}`,
    };
    writeFileSync(paths.meta, JSON.stringify(meta));
  });
}

/** Embeds whatever is not cached yet, then loads every backbone's embeddings of every set. */
async function loadAll(lists: PhotoList[]): Promise<Map<string, Cached>> {
  const out = new Map<string, Cached>();
  for (const list of lists) {
    const missing = ALL_BACKBONES.filter((id) => !findCache(id, list));
    if (missing.length) log(`Embedding ${list.name} (${list.files.length} photos) with ${missing.join(', ')}`);
    await embedList(list, missing);
    for (const id of ALL_BACKBONES) {
      const paths = findCache(id, list);
      if (!paths) throw new Error(`no cache for ${id} / ${list.name}`);
      const meta = JSON.parse(readFileSync(paths.meta, 'utf8')) as CacheMeta;
      const embeddings = readF32(paths.data);
      if (embeddings.length !== list.files.length * meta.dim) throw new Error(`${paths.data}: ${embeddings.length} values, expected ${list.files.length} x ${meta.dim}`);
      out.set(`${id}|${list.name}`, { dim: meta.dim, labels: meta.labels, splits: meta.splits, embeddings });
    }
  }
  return out;
}

// ---- Embedding speed, all four backbones on the same photos, interleaved.

interface Timing {
  photos: number;
  rounds: number;
  /** Median over rounds, per backbone. */
  wallMsPerPhoto: Record<string, number>;
  cpuMsPerPhoto: Record<string, number>;
  perRound: { backbone: BackboneId; wallMs: number; cpuMs: number }[];
  date: string;
  note: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function measureTiming(list: PhotoList): Promise<Timing> {
  await switchToWasm();
  const size = 224;
  const files = list.files.slice(0, TIMING_PHOTOS);
  log(`Timing: decoding ${files.length} photos of ${list.name}`);
  const batches = [];
  for (let i = 0; i < files.length; i += EMBED_BATCH) batches.push(toBatch(files.slice(i, i + EMBED_BATCH).map((f) => loadJpeg(f, size)), size));
  const backbones: Backbone[] = [];
  for (const id of ALL_BACKBONES) backbones.push(await loadBackbone(id));
  const perRound: Timing['perRound'] = [];
  try {
    for (let round = 0; round < TIMING_ROUNDS; round++) {
      // Rotate the order each round so no backbone always runs first or last.
      const order = backbones.map((_, i) => backbones[(i + round) % backbones.length] as Backbone);
      for (const backbone of order) {
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        for (const batch of batches) await backbone.embed(batch);
        const wallMs = performance.now() - t0;
        const used = process.cpuUsage(cpu);
        const cpuMs = (used.user + used.system) / 1000;
        perRound.push({ backbone: backbone.spec.id as BackboneId, wallMs, cpuMs });
        log(`  round ${round + 1}: ${backbone.spec.id.padEnd(27)} ${((1000 * files.length) / wallMs).toFixed(1)} img/s wall, ${(cpuMs / files.length).toFixed(1)} CPU ms/photo`);
      }
    }
  } finally {
    for (const b of backbones) b.dispose();
  }
  const per = (key: 'wallMs' | 'cpuMs') =>
    Object.fromEntries(ALL_BACKBONES.map((id) => [id, median(perRound.filter((r) => r.backbone === id).map((r) => r[key])) / files.length]));
  return {
    photos: files.length,
    rounds: TIMING_ROUNDS,
    wallMsPerPhoto: per('wallMs'),
    cpuMsPerPhoto: per('cpuMs'),
    perRound,
    date: new Date().toISOString(),
    note: `tfjs ${tf.version.tfjs} ${tf.getBackend()} single-threaded in Node, batch ${EMBED_BATCH}, backbone.embed only (photos decoded beforehand), load average ${(
      readLoad() ?? NaN
    ).toFixed(2)} at the end`,
  };
}

function readLoad(): number | null {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

// ---- Evaluation: splitFor, the L2 transform, accuracy and the statistics are bench/frozen-tricks.ts' own.

/** frozen-tricks.ts' 'l2' transform: each row scaled to unit length. */
function l2Rows(embeddings: Float32Array, dim: number): Float32Array {
  const out = Float32Array.from(embeddings);
  const rows = out.length / dim;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (out[r * dim + j] as number) ** 2;
    const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < dim; j++) out[r * dim + j] = (out[r * dim + j] as number) * inv;
  }
  return out;
}

/** frozen-tricks.ts' accuracy() for a one-head recipe on `data` as given. */
function accuracy(set: string, data: Cached, seed: number): Promise<number> {
  return headTestAccuracy(set, data, data.embeddings, seed);
}

// ---- Recipes.

interface Recipe {
  /** Short id, for --only: backbones joined by '+', '/l2' = L2-normalised, '/l2each' = each part L2-normalised. */
  name: string;
  parts: BackboneId[];
  l2: boolean;
}

const V2_100: BackboneId = 'mobilenet_v2_100_224';
const V1_075: BackboneId = 'mobilenet_v1_075_224';
const V2_035: BackboneId = 'mobilenet_v2_035_224';
const V1_025: BackboneId = 'mobilenet_v1_025_224_tfhub';
const PAIRS: [BackboneId, BackboneId][] = [
  [V2_100, V1_075],
  [V2_100, V2_035],
  [V2_100, V1_025],
  [V1_075, V2_035],
  [V1_075, V1_025],
];
const recipe = (parts: BackboneId[], l2: boolean): Recipe => ({
  name: parts.map((p) => SHORT[p]).join('+') + (l2 ? (parts.length > 1 ? '/l2each' : '/l2') : ''),
  parts,
  l2,
});
const DEFAULT_RECIPE = recipe([V2_100], false);
const RECIPES: Recipe[] = [
  DEFAULT_RECIPE,
  recipe([V2_100], true),
  recipe([V1_075], false),
  recipe([V2_035], false),
  recipe([V1_025], false),
  ...PAIRS.flatMap(([a, b]) => [recipe([a, b], false), recipe([a, b], true)]),
];

/** The embedding matrix a recipe's head sees: each part (L2-normalised per row if asked), concatenated per row. */
function features(r: Recipe, set: PhotoSet, all: Map<string, Cached>): Cached {
  const parts = r.parts.map((id) => {
    const c = all.get(`${id}|${set}`);
    if (!c) throw new Error(`no embeddings for ${id} / ${set}`);
    return r.l2 ? { ...c, embeddings: l2Rows(c.embeddings, c.dim) } : c;
  });
  const first = parts[0] as Cached;
  if (parts.length === 1) return first;
  const n = first.labels.length;
  const dim = parts.reduce((a, p) => a + p.dim, 0);
  const embeddings = new Float32Array(n * dim);
  for (let row = 0; row < n; row++) {
    let offset = row * dim;
    for (const p of parts) {
      embeddings.set(p.embeddings.subarray(row * p.dim, (row + 1) * p.dim), offset);
      offset += p.dim;
    }
  }
  return { dim, labels: first.labels, splits: first.splits, embeddings };
}

// ---- Runs, results and the table.

interface Run {
  set: string;
  recipe: string;
  seed: number;
  accuracy: number;
  seconds: number;
}

const EVAL_SETS: [string, PhotoSet][] = [
  ['clothing-small', 'clothing-small'],
  ['clothing-20', 'clothing-small'],
  ['sign-digits', 'sign-digits'],
];

function savedRuns(): Run[] {
  if (!existsSync(OUT_DIR)) return [];
  const files = readdirSync(OUT_DIR).filter((f) => /^runs-\d+\.json$/.test(f)).sort();
  const runs = files.flatMap((f) => JSON.parse(readFileSync(join(OUT_DIR, f), 'utf8')) as Run[]);
  // One run per (set, recipe, seed): a later invocation replaces an earlier one.
  return [...new Map(runs.map((r) => [`${r.set}|${r.recipe}|${r.seed}`, r])).values()];
}

function readTiming(): Timing | null {
  const p = join(OUT_DIR, 'timing.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Timing) : null;
}

/** Markdown of every saved run, in RECIPES order, with the embedding speeds. */
function report(): string {
  const runs = savedRuns();
  const timing = readTiming();
  const lines: string[] = [];
  const seedsSeen = [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b);
  lines.push(`# Backbone pairs (issue 20, item 1)\n`);
  lines.push(`Generated by \`bench/backbone-pairs.ts\` on ${new Date().toISOString()}; seeds seen: ${seedsSeen.join(', ')}. ` +
    `App default head (DEFAULT_TRAIN_SETTINGS, seed = run seed), tfjs ${tf.version.tfjs} wasm in Node; splits as bench/frozen-tricks.ts. ` +
    `"vs default" = mean ± SE of the per-seed differences to \`v2_100\` (same seeds). "/l2" = rows L2-normalised; "/l2each" = each backbone's part L2-normalised before concatenating. ` +
    `Embedding cost = sum of the backbones' CPU ms/photo over the default's (timing.json; wall-clock in brackets).\n`);
  const cost = (r: Recipe, key: 'cpuMsPerPhoto' | 'wallMsPerPhoto') => {
    if (!timing) return NaN;
    return r.parts.reduce((a, p) => a + (timing[key][p] ?? NaN), 0) / (timing[key][DEFAULT_BACKBONE_ID] ?? NaN);
  };
  lines.push('| set | recipe | dim | test accuracy, mean ± SE (%) | vs default, paired (points) | per seed | embedding cost (x default) |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [set] of EVAL_SETS) {
    const base = new Map(runs.filter((r) => r.set === set && r.recipe === DEFAULT_RECIPE.name).map((r) => [r.seed, r.accuracy]));
    for (const r of RECIPES) {
      const rs = runs.filter((x) => x.set === set && x.recipe === r.name).sort((a, b) => a.seed - b.seed);
      if (!rs.length) continue;
      const accs = rs.map((x) => x.accuracy);
      const paired = rs.filter((x) => base.has(x.seed)).map((x) => x.accuracy - (base.get(x.seed) as number));
      const diff = r === DEFAULT_RECIPE || !paired.length ? '-' : `${mean(paired) >= 0 ? '+' : ''}${pts(mean(paired))} ± ${pts(se(paired))}${paired.length < rs.length ? ` (${paired.length} seeds)` : ''}`;
      const dim = r.parts.reduce((a, p) => a + (BACKBONES.find((b) => b.id === p)?.embeddingSize ?? 0), 0);
      const c = cost(r, 'cpuMsPerPhoto');
      const costText = Number.isFinite(c) ? `${c.toFixed(2)} (${cost(r, 'wallMsPerPhoto').toFixed(2)})` : '?';
      lines.push(`| ${set} | ${r.name} | ${dim} | ${pts(mean(accs))} ± ${pts(se(accs))} (n=${accs.length}) | ${diff} | ${rs.map((x) => `${x.seed}: ${pts(x.accuracy)}`).join(', ')} | ${costText} |`);
    }
  }
  lines.push('\nEmbedding speed per backbone (tfjs wasm, single-threaded, Node; backbone.embed only, batch 16):\n');
  lines.push('| backbone | interleaved timing: img/s wall | CPU ms/photo | full embedding pass: img/s (set, photos) |');
  lines.push('| --- | --- | --- | --- |');
  for (const id of ALL_BACKBONES) {
    const passes: string[] = [];
    for (const set of ['clothing-small', 'sign-digits'] as PhotoSet[]) {
      const meta = cachePaths(id, set).meta;
      if (!existsSync(meta)) continue;
      const t = (JSON.parse(readFileSync(meta, 'utf8')) as CacheMeta).timing;
      if (t) passes.push(`${t.embedPhotosPerSecond.toFixed(1)} (${set}, ${t.photos})`);
    }
    const wall = timing?.wallMsPerPhoto[id];
    const cpu = timing?.cpuMsPerPhoto[id];
    lines.push(`| ${id} | ${wall ? (1000 / wall).toFixed(1) : '?'} | ${cpu ? cpu.toFixed(1) : '?'} | ${passes.join('; ') || 'reused head-recipes cache (not timed)'} |`);
  }
  if (timing) lines.push(`\nTiming: ${timing.photos} clothing-small photos x ${timing.rounds} rounds (medians), ${timing.date}; ${timing.note}.`);
  return lines.join('\n');
}

function parseSeeds(text: string | undefined): number[] {
  if (!text) return [1, 2, 3, 4, 5, 6];
  if (/^\d+$/.test(text)) return Array.from({ length: Number(text) }, (_, i) => i + 1);
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) return Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => i + Number(range[1]));
  return text.split(',').map(Number);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const writeReport = () => {
    const md = report();
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(join(OUT_DIR, 'results.md'), `${md}\n`);
    log(`\n${md}\n\n(saved to bench/out/backbone-pairs/results.md)`);
  };
  if (args.includes('--report')) {
    writeReport();
    return;
  }
  const seeds = parseSeeds(flag('seeds'));
  const only = flag('only')?.split(',');
  const setNames = flag('sets')?.split(',');
  if (only) {
    const unknown = only.filter((n) => !RECIPES.some((r) => r.name === n));
    if (unknown.length) throw new Error(`unknown recipe(s) ${unknown.join(', ')}; known: ${RECIPES.map((r) => r.name).join(', ')}`);
  }

  const lists = [listClothing(), listSignDigits()];
  const all = await loadAll(lists);
  if (args.includes('--timing') || !readTiming()) {
    const timing = await measureTiming(lists[0] as PhotoList);
    writeFileSync(join(OUT_DIR, 'timing.json'), JSON.stringify(timing, null, 1));
  }
  if (args.includes('--embed-only')) {
    writeReport();
    return;
  }

  await switchToWasm();
  log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, seeds ${seeds.join(',')}`);
  const runsFile = join(OUT_DIR, `runs-${Date.now()}.json`);
  const runs: Run[] = [];
  const recipes = RECIPES.filter((r) => !only || only.includes(r.name));
  for (const r of recipes) {
    for (const [set, photoSet] of EVAL_SETS) {
      if (setNames && !setNames.includes(set)) continue;
      const data = features(r, photoSet, all);
      for (const seed of seeds) {
        const start = performance.now();
        const acc = await accuracy(set, data, seed);
        const run: Run = { set, recipe: r.name, seed, accuracy: acc, seconds: (performance.now() - start) / 1000 };
        runs.push(run);
        writeFileSync(runsFile, JSON.stringify(runs, null, 1));
        log(`${set.padEnd(15)} ${r.name.padEnd(22)} seed ${seed}: test ${pts(acc)}%, ${run.seconds.toFixed(1)} s`);
      }
    }
  }
  writeReport();
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
