import { AppError } from '../../lib/errors';
import { stratifiedSplit, type Split } from '../../ml/head/split';
import type { ClassInfo, ImageInfo } from '../../store/project-store';
import { someNames } from './readiness';

/** What head training gets from the project: the embedding matrix, labels and the split, in an order that import order cannot change. */
export interface TrainingSet {
  /** rows.length * dim values, row-major; a left-out row stays zero and is in neither part of the split. */
  x: Float32Array;
  dim: number;
  /** Class position of every row. */
  labels: Int32Array;
  /** Row indices to train on and to validate on (left-out rows in neither). */
  split: Split;
  /** Rows without an embedding. */
  noEmbedding: number[];
  /** Rows whose cached embedding is not `dim` finite numbers (a corrupted or stale cache): never mixed in. */
  badEmbedding: number[];
  /** A sentence for the user when rows were left out, else null. */
  note: string | null;
}

/**
 * The photos of `classes` in the order training uses: by content hash (sha256), then by class
 * position (one photo may sit in two classes). The split, the shuffles and so the model then
 * depend on the photos and the seed only, not on the order they were imported or listed in.
 */
export function canonicalRows(images: readonly ImageInfo[], classes: readonly Pick<ClassInfo, 'id'>[]): ImageInfo[] {
  const position = new Map(classes.map((c, i) => [c.id, i]));
  return images
    .filter((im) => position.has(im.classId))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : (position.get(a.classId) ?? 0) - (position.get(b.classId) ?? 0)));
}

/**
 * Builds the embedding matrix, labels and seeded stratified split of `rows` (canonicalRows order).
 * A row whose embedding is missing, or is not `dim` finite numbers, is left out (never trained as
 * zeros or mixed in at another size) and counted in `note`. Throws an AppError ('empty-class')
 * when a class is left with no photo to train on.
 */
export function trainingSet(
  rows: readonly ImageInfo[],
  classes: readonly Pick<ClassInfo, 'id' | 'name'>[],
  embeddings: ReadonlyMap<string, Float32Array>,
  dim: number,
  validationFraction: number,
  seed: number,
): TrainingSet {
  const position = new Map(classes.map((c, i) => [c.id, i]));
  const x = new Float32Array(rows.length * dim);
  const labels = new Int32Array(rows.length);
  const noEmbedding: number[] = [];
  const badEmbedding: number[] = [];
  const kept: number[] = [];
  rows.forEach((r, i) => {
    const label = position.get(r.classId);
    if (label === undefined) throw new RangeError(`Photo ${r.name} is in no class being trained`);
    labels[i] = label;
    const e = embeddings.get(r.hash);
    if (!e) noEmbedding.push(i);
    else if (e.length !== dim || !e.every(Number.isFinite)) badEmbedding.push(i);
    else {
      x.set(e, i * dim);
      kept.push(i);
    }
  });
  const trained = new Set(kept.map((i) => labels[i]));
  const lost = classes.filter((_, k) => !trained.has(k)).map((c) => c.name);
  if (lost.length) {
    throw new AppError('empty-class', `No photo of ${someNames(lost)} can be trained: ${leftOutReasons(noEmbedding.length, badEmbedding.length, dim)}. Add those photos again.`);
  }
  // Each photo's side is drawn from its content hash and the seed: the order of rows and classes plays no part.
  const part = stratifiedSplit(Int32Array.from(kept, (i) => labels[i] ?? 0), classes.length, validationFraction, seed, kept.map((i) => rows[i]?.hash ?? ''));
  const split: Split = { train: part.train.map((j) => kept[j] ?? -1), validation: part.validation.map((j) => kept[j] ?? -1), classesWithoutValidation: part.classesWithoutValidation };
  const out = noEmbedding.length + badEmbedding.length;
  const note = out ? `${out} ${out === 1 ? 'photo was' : 'photos were'} left out of training: ${leftOutReasons(noEmbedding.length, badEmbedding.length, dim)}.` : null;
  return { x, dim, labels, split, noEmbedding, badEmbedding, note };
}

function leftOutReasons(missing: number, bad: number, dim: number): string {
  return [
    missing ? `${missing} without an embedding (the stored copy of the photo is missing or could not be read)` : '',
    bad ? `${bad} whose stored embedding is damaged (not ${dim} numbers, as this backbone gives)` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
