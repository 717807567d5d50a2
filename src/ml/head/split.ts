import { mulberry32, shuffleInPlace } from '../../lib/random';

/** Image indices for training and validation; both sorted ascending. */
export interface Split {
  train: number[];
  validation: number[];
  /** Classes that have training images but no validation image (they have exactly 1 image); empty when validationFraction is 0. */
  classesWithoutValidation: number[];
}

/**
 * Seeded stratified split: per class, round(count * validationFraction) images (shuffled with
 * `seed`) go to validation, but every class with >= 2 images keeps at least 1 validation and at
 * least 1 training image; a class with 1 image trains only. `labels` are class ids in
 * [0, numClasses); `validationFraction` in [0, 1), 0 = nothing validated.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  numClasses: number,
  validationFraction: number,
  seed: number,
): Split {
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
  const train: number[] = [];
  const validation: number[] = [];
  const classesWithoutValidation: number[] = [];
  byClass.forEach((members, cls) => {
    if (members.length === 0) return;
    if (validationFraction === 0) {
      train.push(...members);
      return;
    }
    if (members.length === 1) {
      train.push(...members);
      classesWithoutValidation.push(cls);
      return;
    }
    shuffleInPlace(members, random);
    const count = Math.min(members.length - 1, Math.max(1, Math.round(members.length * validationFraction)));
    validation.push(...members.slice(0, count));
    train.push(...members.slice(count));
  });
  const ascending = (a: number, b: number) => a - b;
  return { train: train.sort(ascending), validation: validation.sort(ascending), classesWithoutValidation };
}
