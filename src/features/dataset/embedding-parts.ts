/**
 * The two-backbone setting's embeddings are stored per part (issue 20: "each embedding cached as
 * now, per backbone"): a photo's row for `most-accurate` is its parts' rows end to end. These
 * pure helpers join and split them; project-repo.ts does the reads and writes.
 */
import { getBackboneSpec, isBackboneId, type SingleBackboneId } from '../../ml/backbones/catalog';

/** The parts of a two-backbone id, or null for a single backbone (or an id the app does not know). */
export function storedParts(backboneId: string): readonly SingleBackboneId[] | null {
  return isBackboneId(backboneId) ? (getBackboneSpec(backboneId).parts ?? null) : null;
}

/** Rows of the photos that have a row in every part's map, joined in part order. */
export function joinRows(hashes: readonly string[], parts: readonly ReadonlyMap<string, Float32Array>[], sizes: readonly number[]): Map<string, Float32Array> {
  const total = sizes.reduce((a, b) => a + b, 0);
  const out = new Map<string, Float32Array>();
  for (const hash of hashes) {
    const rows = parts.map((m) => m.get(hash));
    // A part of another size (an old cache, another version) counts as missing.
    if (!rows.every((r, i) => r?.length === sizes[i])) continue;
    const row = new Float32Array(total);
    let at = 0;
    for (const r of rows as Float32Array[]) {
      row.set(r, at);
      at += r.length;
    }
    out.set(hash, row);
  }
  return out;
}

/** Splits joined rows into one map per part (views into the joined rows; the database copies them). */
export function splitRows(rows: ReadonlyMap<string, Float32Array>, sizes: readonly number[]): Map<string, Float32Array>[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const out = sizes.map(() => new Map<string, Float32Array>());
  for (const [hash, row] of rows) {
    if (row.length !== total) throw new Error(`An embedding of ${row.length} values cannot be split into parts of ${sizes.join(' + ')}`);
    let at = 0;
    sizes.forEach((size, i) => {
      out[i]?.set(hash, row.subarray(at, at + size));
      at += size;
    });
  }
  return out;
}
