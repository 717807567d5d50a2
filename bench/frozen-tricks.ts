/**
 * What helps a head on frozen features (issue 20, items 2 and 3): the app's default head against
 * the same head on L2-normalised embeddings, on standardised embeddings (mean and spread of the
 * training rows), and an ensemble of three heads (seeds s, s+1000, s+2000, probabilities averaged),
 * on three photo sets, several seeds, test splits. Reuses the default backbone's embeddings cached
 * by `npx tsx bench/head-recipes.ts --embed-only` (bench/out/head-recipes/, computed once).
 *
 *   npx tsx bench/head-recipes.ts --embed-only && npx tsx bench/frozen-tricks.ts [--seeds=6]
 *
 * Sets: clothing-small (official train / validation / test split); clothing-20, the small-data
 * regime most users are in: 20 train photos per class drawn with the run's seed, 15% of them held
 * out for validation as the app does, the official test split; sign-digits: a fixed seeded 80/20
 * test split (seed 2024, as head-recipes.ts), validation drawn from the rest with the run's seed.
 * Each line: mean test accuracy over the seeds with its standard error, and the paired difference
 * to the default (mean and standard error of the per-seed differences).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useWasmBackend as switchToWasm } from '../src/ml/testing/node-io';
import { headTestAccuracy, mean, pts, se, splitFor } from './photo-sets';

const CACHE = join(import.meta.dirname, 'out', 'head-recipes');
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string | undefined]));
const SEEDS = Number(args.get('seeds') ?? 6);

interface Cached {
  dim: number;
  labels: number[];
  splits: string[];
  embeddings: Float32Array;
}

function load(name: string): Cached {
  const meta = JSON.parse(readFileSync(join(CACHE, `${name}.json`), 'utf8')) as { dim: number; labels: number[]; splits: string[] };
  const b = readFileSync(join(CACHE, `${name}.f32`));
  return { ...meta, embeddings: new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) };
}

type Features = 'raw' | 'l2' | 'std';

/** The embeddings as the head sees them; 'std' uses the training rows' mean and spread only. */
function transform(data: Cached, features: Features, train: number[]): Float32Array {
  const { dim } = data;
  const out = Float32Array.from(data.embeddings);
  const rows = out.length / dim;
  if (features === 'l2') {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (out[r * dim + j] as number) ** 2;
      const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
      for (let j = 0; j < dim; j++) out[r * dim + j] = (out[r * dim + j] as number) * inv;
    }
  } else if (features === 'std') {
    const mean = new Float64Array(dim);
    const sq = new Float64Array(dim);
    for (const r of train) for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (out[r * dim + j] as number) / train.length;
    for (const r of train) for (let j = 0; j < dim; j++) sq[j] = (sq[j] as number) + ((out[r * dim + j] as number) - (mean[j] as number)) ** 2 / train.length;
    for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) out[r * dim + j] = ((out[r * dim + j] as number) - (mean[j] as number)) / Math.sqrt((sq[j] as number) + 1e-8);
  }
  return out;
}

interface Recipe {
  name: string;
  features: Features;
  heads: number;
}

const RECIPES: Recipe[] = [
  { name: 'default (app)', features: 'raw', heads: 1 },
  { name: 'L2-normalised', features: 'l2', heads: 1 },
  { name: 'standardised', features: 'std', heads: 1 },
  { name: 'ensemble of 3', features: 'raw', heads: 3 },
  { name: 'L2 + ensemble of 3', features: 'l2', heads: 3 },
];

function accuracy(set: string, data: Cached, recipe: Recipe, seed: number): Promise<number> {
  return headTestAccuracy(set, data, transform(data, recipe.features, splitFor(set, data, seed).train), seed, recipe.heads);
}

async function main(): Promise<void> {
  await switchToWasm();
  const clothing = load('clothing-small');
  const sets: [string, Cached][] = [
    ['clothing-small', clothing],
    ['clothing-20', clothing],
    ['sign-digits', load('sign-digits')],
  ];
  const lines: string[] = [];
  for (const [set, data] of sets) {
    const byRecipe = new Map<string, number[]>();
    for (const recipe of RECIPES) {
      const accs: number[] = [];
      for (let seed = 1; seed <= SEEDS; seed++) accs.push(await accuracy(set, data, recipe, seed));
      byRecipe.set(recipe.name, accs);
      const base = byRecipe.get(RECIPES[0]?.name ?? '') ?? accs;
      const diff = accs.map((a, i) => a - (base[i] as number));
      const line = `| ${set} | ${recipe.name} | ${pts(mean(accs))} ± ${pts(se(accs))} | ${recipe === RECIPES[0] ? '-' : `${diff[0] !== undefined && mean(diff) >= 0 ? '+' : ''}${pts(mean(diff))} ± ${pts(se(diff))}`} | ${accs.map(pts).join(', ')} |`;
      console.log(line);
      lines.push(line);
    }
  }
  console.log(`\n${SEEDS} seeds, default backbone embeddings, app default head settings`);
  console.log('| set | recipe | test accuracy, mean ± SE (%) | vs default, paired (points) | per seed |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const l of lines) console.log(l);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
