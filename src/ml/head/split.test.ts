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
