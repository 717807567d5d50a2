import { describe, expect, it } from 'vitest';
import { argmaxRows, evaluate } from './metrics';

describe('evaluate', () => {
  it('matches a confusion matrix worked out by hand', () => {
    // true:      0 0 0 1 1 2
    // predicted: 0 0 1 1 2 2   -> correct 4 of 6
    const e = evaluate([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);
    expect(e.accuracy).toBeCloseTo(4 / 6);
    expect(e.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    const [c0, c1, c2] = e.perClass;
    expect(c0).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(c1?.precision).toBeCloseTo(0.5);
    expect(c1?.recall).toBeCloseTo(0.5);
    expect(c1?.f1).toBeCloseTo(0.5);
    expect(c1?.support).toBe(2);
    expect(c2?.precision).toBeCloseTo(0.5);
    expect(c2?.recall).toBe(1);
    expect(c2?.f1).toBeCloseTo(2 / 3);
  });

  it('gives 0, not NaN, for classes never predicted or never present', () => {
    const e = evaluate([0, 0], [0, 0], 2);
    expect(e.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(evaluate([], [], 2).accuracy).toBe(0);
  });

  it('refuses mismatched lengths and out-of-range ids', () => {
    expect(() => evaluate([0], [0, 1], 2)).toThrow(RangeError);
    expect(() => evaluate([0], [2], 2)).toThrow(RangeError);
    expect(() => evaluate([5], [0], 2)).toThrow(RangeError);
  });
});

describe('argmaxRows', () => {
  it('picks the largest value per row, the first on ties', () => {
    const p = new Float32Array([0.1, 0.7, 0.2, 0.5, 0.5, 0, 0, 0, 1]);
    expect(Array.from(argmaxRows(p, 3))).toEqual([1, 0, 2]);
    expect(() => argmaxRows(new Float32Array(4), 3)).toThrow(RangeError);
  });
});
