import { describe, expect, it } from 'vitest';
import { getBackboneSpec, type SingleBackboneId } from '../ml/backbones/catalog';
import type { ImageBatch } from '../ml/image-batch';
import type { Backbone } from '../ml/backbones/types';
import { BackboneService } from './backbone-service';

/** A weightless backbone whose rows say who made them: value k for the k-th image, plus an id offset. */
function marked(id: SingleBackboneId, offset: number, created: string[]): Backbone {
  created.push(id);
  const spec = getBackboneSpec(id);
  return {
    spec,
    embedRuntime: 'litert',
    embedThreads: 2,
    load: async () => undefined,
    embed: async (batch: ImageBatch) => Array.from({ length: batch.count }, (_, k) => new Float32Array(spec.embeddingSize).fill(offset + k)),
    imagenetTopK: async (batch) => Array.from({ length: batch.count }, () => [{ label: `from ${id}`, probability: 1 }]),
    dispose: () => undefined,
  };
}

const OFFSETS: Partial<Record<SingleBackboneId, number>> = { mobilenet_v2_100_224: 100, mobilenet_v1_075_224: 200 };
const batch = (count: number): ImageBatch => ({ count, size: 224, pixels: new Uint8Array(count * 224 * 224 * 3) });

describe('the two-backbone setting among the backbones', () => {
  it('loads each part once, shares it with choosing that part alone, and concatenates the parts in order', async () => {
    const created: string[] = [];
    const service = new BackboneService((id) => marked(id, OFFSETS[id] ?? 0, created));
    const pair = await service.load('most-accurate');
    service.select(pair);
    expect(pair.embedRuntime).toBe('litert');
    expect(pair.embedThreads).toBe(2);
    expect([...created].sort()).toEqual(['mobilenet_v1_075_224', 'mobilenet_v2_100_224']);
    // Rows of 1280 + 768 values: V2's first, then V1's; the ImageNet guesses are V2's.
    const rows = await service.expect('most-accurate').embed(batch(2));
    expect(rows.map((r) => r.length)).toEqual([2048, 2048]);
    expect([rows[1]?.[0], rows[1]?.[1279], rows[1]?.[1280], rows[1]?.[2047]]).toEqual([101, 101, 201, 201]);
    expect((await pair.imagenetTopK(batch(1), 1))[0]?.[0]?.label).toBe('from mobilenet_v2_100_224');
    // A part chosen alone afterwards is the one already loaded, and the pair no longer answers.
    service.select(await service.load('mobilenet_v2_100_224'));
    expect(created).toHaveLength(2);
    expect(() => service.expect('most-accurate')).toThrow(/most-accurate/);
    expect(await service.load('most-accurate')).toBe(pair);
    expect(created).toHaveLength(2);
  });

  it('a part that fails to load fails the pair, and a later try loads again', async () => {
    let fail = true;
    const service = new BackboneService((id) => {
      const b = marked(id, 0, []);
      return id === 'mobilenet_v1_075_224' ? { ...b, load: async () => { if (fail) throw new Error('offline'); } } : b;
    });
    await expect(service.load('most-accurate')).rejects.toThrow('offline');
    fail = false;
    expect((await service.load('most-accurate')).spec.embeddingSize).toBe(2048);
  });
});
