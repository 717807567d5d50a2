import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/random';
import { applyDropout, dropoutMask } from './dropout-mask';

describe('dropoutMask', () => {
  it('keeps values at 1 / (1 - rate) and drops about `rate` of them, from the mulberry32 stream', () => {
    const mask = dropoutMask(100, 50, 0.3, 9);
    const kept = 1 / 0.7;
    expect(mask.every((v) => v === 0 || Math.abs(v - kept) < 1e-6)).toBe(true);
    const dropped = mask.filter((v) => v === 0).length / mask.length;
    expect(dropped).toBeGreaterThan(0.28);
    expect(dropped).toBeLessThan(0.32);
    const random = mulberry32(9);
    expect(Array.from(mask.subarray(0, 200), (v) => v === 0)).toEqual(Array.from({ length: 200 }, () => random() < 0.3));
  });

  it('gives the same mask for a seed and another for another seed', () => {
    expect(dropoutMask(8, 16, 0.5, 1)).toEqual(dropoutMask(8, 16, 0.5, 1));
    expect(dropoutMask(8, 16, 0.5, 1)).not.toEqual(dropoutMask(8, 16, 0.5, 2));
  });

  it('keeps everything at rate 0 and refuses rates outside [0, 1)', () => {
    expect(dropoutMask(4, 4, 0, 3).every((v) => v === 1)).toBe(true);
    expect(() => dropoutMask(4, 4, 1, 3)).toThrow(RangeError);
    expect(() => dropoutMask(4, 4, -0.1, 3)).toThrow(RangeError);
  });

  it('applyDropout scales the kept values exactly as multiplying by the mask does, and zeroes the dropped', () => {
    // ReLU outputs: zeros and positive values.
    const values = Float32Array.from({ length: 12 * 10 }, (_, i) => Math.max(0, Math.sin(i) * 3));
    const out = new Float32Array(values.length);
    applyDropout(values, 0.25, 4, out);
    const mask = dropoutMask(12, 10, 0.25, 4);
    expect(out).toEqual(Float32Array.from(values, (v, i) => v * (mask[i] as number)));
    expect(out.filter((v) => v === 0).length).toBeGreaterThan(10);
  });
});
