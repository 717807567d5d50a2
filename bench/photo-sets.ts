/**
 * The benchmark photo sets in one fixed order (rows line up across backbones and caches), and
 * their splits, shared by bench/head-recipes.ts, bench/frozen-tricks.ts and bench/backbone-pairs.ts.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../src/lib/random';
import { argmaxRows, evaluate } from '../src/ml/head/metrics';
import { DEFAULT_TRAIN_SETTINGS } from '../src/ml/head/settings';
import { stratifiedSplit } from '../src/ml/head/split';
import { predictHead, trainHead } from '../src/ml/head/train-head';
import { DATASETS_DIR } from '../src/ml/testing/node-io';

/** One photo set's images in a fixed order, with labels and (where official) split names. */
export interface PhotoList {
  name: 'clothing-small' | 'sign-digits';
  classes: string[];
  files: string[];
  labels: number[];
  /** 'train' | 'validation' | 'test' per file for clothing-small; empty for sign-digits. */
  splits: string[];
}

const sortedDirs = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const sortedImages = (dir: string): string[] => readdirSync(dir).filter((f) => /\.jpe?g$/i.test(f)).sort();

/** clothing-small, all three official splits, class folders in name order. */
export function listClothing(): PhotoList {
  const root = join(DATASETS_DIR, 'clothing-small');
  const classes = sortedDirs(join(root, 'train'));
  const list: PhotoList = { name: 'clothing-small', classes, files: [], labels: [], splits: [] };
  for (const split of ['train', 'validation', 'test']) {
    classes.forEach((cls, label) => {
      for (const f of sortedImages(join(root, split, cls))) {
        list.files.push(join(root, split, cls, f));
        list.labels.push(label);
        list.splits.push(split);
      }
    });
  }
  return list;
}

/** sign-digits, every photo (no official split). */
export function listSignDigits(): PhotoList {
  const root = join(DATASETS_DIR, 'sign-digits');
  const classes = sortedDirs(root);
  const list: PhotoList = { name: 'sign-digits', classes, files: [], labels: [], splits: [] };
  classes.forEach((cls, label) => {
    for (const f of sortedImages(join(root, cls))) {
      list.files.push(join(root, cls, f));
      list.labels.push(label);
    }
  });
  return list;
}

/** Row indices of one evaluation run. */
export interface Split {
  train: number[];
  validation: number[];
  test: number[];
}

/** Number of classes of a label list (labels 0..k-1). */
export const classesOf = (labels: number[]) => Math.max(...labels) + 1;

/**
 * The split of `set` for `seed`: clothing-small, the official one; clothing-20, 20 train photos per
 * class drawn with the seed (validation from those, as the app splits), the official test split;
 * sign-digits, a fixed seeded 80/20 test split (seed 2024), validation from the rest with the seed.
 */
export function splitFor(set: string, data: { labels: number[]; splits: string[] }, seed: number): Split {
  const k = classesOf(data.labels);
  const of = (s: string) => data.splits.flatMap((x, i) => (x === s ? [i] : []));
  if (set === 'clothing-small') return { train: of('train'), validation: of('validation'), test: of('test') };
  if (set === 'clothing-20') {
    const random = mulberry32(seed);
    const pool: number[] = [];
    for (let c = 0; c < k; c++) {
      const rows = of('train').filter((i) => data.labels[i] === c);
      for (let j = rows.length - 1; j > 0; j--) {
        const r = Math.floor(random() * (j + 1));
        [rows[j], rows[r]] = [rows[r] as number, rows[j] as number];
      }
      pool.push(...rows.slice(0, 20));
    }
    const inner = stratifiedSplit(pool.map((i) => data.labels[i] as number), k, DEFAULT_TRAIN_SETTINGS.validationFraction, seed);
    return { train: inner.train.map((j) => pool[j] as number), validation: inner.validation.map((j) => pool[j] as number), test: of('test') };
  }
  const outer = stratifiedSplit(data.labels, k, 0.2, 2024);
  const inner = stratifiedSplit(outer.train.map((i) => data.labels[i] as number), k, DEFAULT_TRAIN_SETTINGS.validationFraction, seed);
  return { train: inner.train.map((j) => outer.train[j] as number), validation: inner.validation.map((j) => outer.train[j] as number), test: outer.validation };
}

/**
 * Test accuracy of the app's default head (seed `seed`; with `heads` > 1 an ensemble of heads with
 * seeds seed, seed + 1000, ..., probabilities summed) trained on `embeddings` (rows as `data`'s
 * labels, `dim` values each) with the split of `set` for `seed`.
 */
export async function headTestAccuracy(set: string, data: { dim: number; labels: number[]; splits: string[] }, embeddings: Float32Array, seed: number, heads = 1): Promise<number> {
  const split = splitFor(set, data, seed);
  const k = classesOf(data.labels);
  const testRows = new Float32Array(split.test.length * data.dim);
  split.test.forEach((r, i) => testRows.set(embeddings.subarray(r * data.dim, (r + 1) * data.dim), i * data.dim));
  const sum = new Float32Array(split.test.length * k);
  for (let h = 0; h < heads; h++) {
    const settings = { ...DEFAULT_TRAIN_SETTINGS, seed: seed + 1000 * h };
    const result = await trainHead({ embeddings, dim: data.dim, labels: Int32Array.from(data.labels), numClasses: k, trainIndices: split.train, validationIndices: split.validation, settings });
    predictHead(result.model, testRows, data.dim).forEach((p, i) => (sum[i] = (sum[i] as number) + p));
    result.model.dispose();
  }
  return evaluate(split.test.map((i) => data.labels[i] as number), argmaxRows(sum, k), k).accuracy;
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Standard error of the mean. */
export const se = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1) / xs.length);
/** A fraction as percentage points with one decimal. */
export const pts = (x: number) => (100 * x).toFixed(1);
