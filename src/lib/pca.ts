import { mulberry32 } from './random';

/**
 * The first two principal components of `n` rows of `dim` values (row-major), by power iteration
 * with deflation on the centred data: each step is two passes over the rows (X v, then X^T of
 * that), so it needs no dim x dim covariance. `pause` is awaited between steps, so a few thousand
 * rows never make a long task. Returns n x 2 coordinates (row-major). Seeded: the same rows give
 * the same map.
 */
export async function pca2(rows: Float32Array, n: number, dim: number, pause: () => Promise<void> = async () => undefined, steps = 40): Promise<Float32Array> {
  if (rows.length !== n * dim) throw new RangeError(`${rows.length} values are not ${n} rows of ${dim}`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] = (mean[j] ?? 0) + (rows[i * dim + j] ?? 0) / n;
  const random = mulberry32(7);
  const components: Float64Array[] = [];
  const projected = new Float64Array(n);
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: dim }, () => random() - 0.5);
    for (let step = 0; step < steps; step++) {
      // projected = (X - mean) v
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += ((rows[i * dim + j] ?? 0) - (mean[j] ?? 0)) * (v[j] ?? 0);
        projected[i] = s;
      }
      // next = (X - mean)^T projected, minus what the earlier components explain
      const next = new Float64Array(dim);
      for (let i = 0; i < n; i++) {
        const p = projected[i] ?? 0;
        for (let j = 0; j < dim; j++) next[j] = (next[j] ?? 0) + ((rows[i * dim + j] ?? 0) - (mean[j] ?? 0)) * p;
      }
      for (const u of components) {
        let d = 0;
        for (let j = 0; j < dim; j++) d += (next[j] ?? 0) * (u[j] ?? 0);
        for (let j = 0; j < dim; j++) next[j] = (next[j] ?? 0) - d * (u[j] ?? 0);
      }
      let squares = 0;
      for (let j = 0; j < dim; j++) squares += (next[j] ?? 0) ** 2;
      const norm = Math.sqrt(squares) || 1;
      v = next.map((x) => x / norm);
      await pause();
    }
    components.push(v);
  }
  const out = new Float32Array(n * 2);
  components.forEach((u, c) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += ((rows[i * dim + j] ?? 0) - (mean[j] ?? 0)) * (u[j] ?? 0);
      out[i * 2 + c] = s;
    }
  });
  return out;
}
