import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './split';

/** 3 classes: 50, 20 and 5 images, interleaved. */
const labels = [...Array.from({ length: 50 }, () => 0), ...Array.from({ length: 20 }, () => 1), ...Array.from({ length: 5 }, () => 2)];
const countOf = (indices: number[], cls: number) => indices.filter((i) => labels[i] === cls).length;

describe('stratifiedSplit', () => {
  it('is deterministic for a seed and changes with the seed', () => {
    const a = stratifiedSplit(labels, 3, 0.2, 1);
    expect(stratifiedSplit(labels, 3, 0.2, 1)).toEqual(a);
    expect(stratifiedSplit(labels, 3, 0.2, 2).validation).not.toEqual(a.validation);
  });

  it('splits each class in proportion and covers every image exactly once', () => {
    const { train, validation, classesWithoutValidation } = stratifiedSplit(labels, 3, 0.2, 7);
    expect(countOf(validation, 0)).toBe(10);
    expect(countOf(validation, 1)).toBe(4);
    expect(countOf(validation, 2)).toBe(1);
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    expect(train).toEqual([...train].sort((a, b) => a - b));
    expect(classesWithoutValidation).toEqual([]);
  });

  it('keeps at least 1 validation and 1 training image for every class with 2 or more', () => {
    const small = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2];
    for (const fraction of [0.01, 0.5, 0.9]) {
      const { train, validation } = stratifiedSplit(small, 3, fraction, 3);
      for (const cls of [0, 1, 2]) {
        expect(validation.filter((i) => small[i] === cls).length).toBeGreaterThanOrEqual(1);
        expect(train.filter((i) => small[i] === cls).length).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('trains on a 1-image class and reports it', () => {
    const tiny = [0, 0, 0, 1, 2, 2];
    const { train, validation, classesWithoutValidation } = stratifiedSplit(tiny, 4, 0.3, 9);
    expect(train).toContain(3);
    expect(validation).not.toContain(3);
    expect(classesWithoutValidation).toEqual([1]);
    expect(validation).toHaveLength(2);
  });

  it('validates nothing with fraction 0', () => {
    const { train, validation, classesWithoutValidation } = stratifiedSplit(labels, 3, 0, 1);
    expect(validation).toEqual([]);
    expect(train).toHaveLength(labels.length);
    expect(classesWithoutValidation).toEqual([]);
  });

  it('refuses bad labels and fractions', () => {
    expect(() => stratifiedSplit([0, 3], 3, 0.2, 1)).toThrow(RangeError);
    expect(() => stratifiedSplit([0, 1], 2, 1, 1)).toThrow(RangeError);
    expect(() => stratifiedSplit([0, 1], 2, -0.1, 1)).toThrow(RangeError);
  });
});

describe('stratifiedSplit with keys (content hashes)', () => {
  const keys = labels.map((_, i) => `hash-${(i * 7919) % 997}-${i}`);
  const validated = (l: ArrayLike<number>, k: readonly string[], seed: number, numClasses = 3) => stratifiedSplit(l, numClasses, 0.2, seed, k).validation.map((i) => k[i]).sort();

  it('validates the same images whatever the order of the rows and of the classes, and other ones for another seed', () => {
    const a = validated(labels, keys, 42);
    const order = labels.map((_, i) => i).reverse();
    expect(validated(order.map((i) => labels[i] as number), order.map((i) => keys[i] as string), 42)).toEqual(a);
    // Classes numbered the other way round.
    expect(validated(labels.map((l) => 2 - l), keys, 42)).toEqual(a);
    expect(validated(labels, keys, 43)).not.toEqual(a);
    const { train, validation } = stratifiedSplit(labels, 3, 0.2, 42, keys);
    expect([countOf(validation, 0), countOf(validation, 1), countOf(validation, 2)]).toEqual([10, 4, 1]);
    expect([...train, ...validation].sort((x, y) => x - y)).toEqual(labels.map((_, i) => i));
  });

  it('adding one image to a class moves at most one other image between training and validation', () => {
    const before = new Set(validated(labels, keys, 42));
    for (const extra of ['new-1', 'new-2', 'new-3', 'new-4']) {
      const after = new Set(validated([...labels, 0], [...keys, extra], 42));
      const moved = [...before].filter((k) => !after.has(k)).length + [...after].filter((k) => !before.has(k) && k !== extra).length;
      expect(moved).toBeLessThanOrEqual(1);
    }
  });

  it('refuses keys that do not match the labels', () => {
    expect(() => stratifiedSplit([0, 1], 2, 0.2, 1, ['a'])).toThrow(RangeError);
  });
});
