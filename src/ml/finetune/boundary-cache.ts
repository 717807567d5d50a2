/** Boundary activations of the frozen bottom, per image index, up to a byte budget (then nothing more is kept). */
export class BoundaryCache {
  private readonly rows = new Map<number, Float32Array>();
  private bytes = 0;

  constructor(
    /** Values per image. */
    readonly size: number,
    readonly budgetBytes: number,
  ) {}

  /** True when `count` more rows fit in the budget. */
  fits(count: number): boolean {
    return this.bytes + count * this.size * 4 <= this.budgetBytes;
  }

  has(index: number): boolean {
    return this.rows.has(index);
  }

  /** Stores rows of `values` (count * size, row-major) for `indices`, if they fit. */
  put(indices: readonly number[], values: Float32Array): void {
    if (!this.fits(indices.length)) return;
    indices.forEach((index, i) => {
      if (this.rows.has(index)) return;
      this.rows.set(index, values.slice(i * this.size, (i + 1) * this.size));
      this.bytes += this.size * 4;
    });
  }

  /** The rows of `indices` concatenated, or null when one is missing. */
  gather(indices: readonly number[]): Float32Array | null {
    const out = new Float32Array(indices.length * this.size);
    for (const [i, index] of indices.entries()) {
      const row = this.rows.get(index);
      if (!row) return null;
      out.set(row, i * this.size);
    }
    return out;
  }

  get usedBytes(): number {
    return this.bytes;
  }
}
