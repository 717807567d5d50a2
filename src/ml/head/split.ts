import { mulberry32, shuffleInPlace } from '../../lib/random';

/** Image indices for training and validation; both sorted ascending. */
export interface Split {
  train: number[];
  validation: number[];
  /** Classes that have training images but no validation image (they have exactly 1 image); empty when validationFraction is 0. */
  classesWithoutValidation: number[];
}

/**
 * Seeded stratified split: per class, round(count * validationFraction) images go to validation,
 * chosen by a shuffle with `seed`, or, given `keys` (content hashes), by a seeded hash of each
 * key: then an image's side depends on its key, its class's size and the seed only, not on the
 * order of the rows or classes, and adding an image moves few others. Every class with >= 2
 * images keeps at least 1 validation and at least 1 training image; a class with 1 image trains
 * only. `labels` are class ids in [0, numClasses); `validationFraction` in [0, 1), 0 = nothing validated.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  numClasses: number,
  validationFraction: number,
  seed: number,
  keys?: readonly string[],
): Split {
  if (keys && keys.length !== labels.length) throw new RangeError(`${keys.length} keys for ${labels.length} labels`);
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new RangeError(`validationFraction ${validationFraction} is outside [0, 1)`);
  }
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    const members = byClass[label];
    if (!Number.isInteger(label) || !members) throw new RangeError(`Label ${label} at ${i} is outside [0, ${numClasses})`);
    members.push(i);
  }
  const random = mulberry32(seed);
  const rank = keys?.map((k) => keyedRank(seed, k));
  const train: number[] = [];
  const validation: number[] = [];
  const classesWithoutValidation: number[] = [];
  byClass.forEach((members, cls) => {
    if (members.length === 0) return;
    if (validationFraction === 0) {
      for (const m of members) train.push(m);
      return;
    }
    if (members.length === 1) {
      for (const m of members) train.push(m);
      classesWithoutValidation.push(cls);
      return;
    }
    if (rank) members.sort((x, y) => (rank[x] as number) - (rank[y] as number) || x - y);
    else shuffleInPlace(members, random);
    const count = Math.min(members.length - 1, Math.max(1, Math.round(members.length * validationFraction)));
    members.forEach((m, k) => (k < count ? validation : train).push(m));
  });
  const ascending = (a: number, b: number) => a - b;
  return { train: train.sort(ascending), validation: validation.sort(ascending), classesWithoutValidation };
}

/** A 32-bit rank of `key` under `seed` (FNV-1a of the seed and the key, then a mulberry32 draw to mix the bits). */
export function keyedRank(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return mulberry32(h >>> 0)();
}
