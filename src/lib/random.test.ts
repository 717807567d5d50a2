import { describe, expect, it } from 'vitest';
import { mulberry32, randomInt, seededShuffle, shuffleInPlace } from './random';

describe('mulberry32', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const r = mulberry32(7);
    const bins = [0, 0, 0, 0];
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < 40_000; i++) {
      const x = r();
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      const bin = Math.floor(x * 4);
      bins[bin] = (bins[bin] ?? 0) + 1;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(bins).toHaveLength(4);
    for (const n of bins) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it('draws integers in range', () => {
    const r = mulberry32(1);
    for (let i = 0; i < 1000; i++) {
      const k = randomInt(r, 3);
      expect([0, 1, 2]).toContain(k);
    }
  });
});

describe('seededShuffle', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);

  it('is a permutation, deterministic per seed, and leaves its input alone', () => {
    const a = seededShuffle(items, 5);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(seededShuffle(items, 5)).toEqual(a);
    expect(seededShuffle(items, 6)).not.toEqual(a);
    expect(items[0]).toBe(0);
    expect(a).not.toEqual(items);
  });

  it('shuffles in place when asked', () => {
    const copy = [...items];
    const out = shuffleInPlace(copy, mulberry32(3));
    expect(out).toBe(copy);
    expect([...copy].sort((x, y) => x - y)).toEqual(items);
  });
});
