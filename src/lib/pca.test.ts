import { describe, expect, it } from 'vitest';
import { pca2 } from './pca';
import { mulberry32 } from './random';

describe('pca2', () => {
  it('finds the two directions of most spread, in order', async () => {
    // 300 points in 20-D: large spread along axis 3, medium along axis 7, noise elsewhere.
    const random = mulberry32(1);
    const n = 300;
    const dim = 20;
    const rows = new Float32Array(n * dim);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < n; i++) {
      a.push((random() - 0.5) * 10);
      b.push((random() - 0.5) * 4);
      for (let j = 0; j < dim; j++) rows[i * dim + j] = 5 + (random() - 0.5) * 0.2;
      rows[i * dim + 3] = 5 + (a[i] ?? 0);
      rows[i * dim + 7] = 1 + (b[i] ?? 0);
    }
    const xy = await pca2(rows, n, dim);
    const corr = (u: number[], v: number[]) => {
      const mu = u.reduce((s, x) => s + x, 0) / u.length;
      const mv = v.reduce((s, x) => s + x, 0) / v.length;
      let num = 0;
      let su = 0;
      let sv = 0;
      u.forEach((x, i) => {
        num += (x - mu) * ((v[i] ?? 0) - mv);
        su += (x - mu) ** 2;
        sv += ((v[i] ?? 0) - mv) ** 2;
      });
      return num / Math.sqrt(su * sv);
    };
    const first = Array.from({ length: n }, (_, i) => xy[i * 2] ?? 0);
    const second = Array.from({ length: n }, (_, i) => xy[i * 2 + 1] ?? 0);
    expect(Math.abs(corr(first, a))).toBeGreaterThan(0.99);
    expect(Math.abs(corr(second, b))).toBeGreaterThan(0.98);
    // Same rows, same map.
    expect(await pca2(rows, n, dim)).toEqual(xy);
  });
});
