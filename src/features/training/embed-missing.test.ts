import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useTrainingStore } from '../../store/training-store';
import { embedMissing } from './embed-missing';

// Two engines as their contract: each "embeds" a training copy to a row holding its first byte.
const engines = vi.hoisted(() => ({
  main: [] as number[],
  helper: [] as number[],
  helperFails: false,
  helperStarts: true as boolean | 'never',
  closed: 0,
}));
const row = async (b: Blob) => new Float32Array(1280).fill(new Uint8Array(await b.arrayBuffer())[0] ?? -1);

vi.mock('../../engine/connection', () => ({
  engine: async () => ({
    embedTrainingCopies: async (blobs: Blob[]) => {
      engines.main.push(blobs.length);
      await new Promise((r) => setTimeout(r, 2));
      return Promise.all(blobs.map(row));
    },
  }),
  engineGeneration: () => 1,
  restartEngine: async () => {
    throw new Error('not expected');
  },
}));
vi.mock('../../engine/embed-helper', () => ({
  helperWanted: (missing: number) => missing >= 96, // the rule itself: embed-helper.test.ts
  startEmbedHelper: () =>
    engines.helperStarts === 'never'
      ? new Promise(() => undefined)
      : Promise.resolve(
          engines.helperStarts
            ? {
                api: {
                  embedTrainingCopies: async (blobs: Blob[]) => {
                    if (engines.helperFails) throw new Error('helper died');
                    engines.helper.push(blobs.length);
                    await new Promise((r) => setTimeout(r, 2));
                    return Promise.all(blobs.map(row));
                  },
                },
              }
            : null,
        ),
  closeEmbedHelper: () => void engines.closed++,
}));
// Pixels: one byte per photo (its index); the embedding cache in memory.
const cache = new Map<string, Float32Array>();
vi.mock('../dataset/project-repo', () => ({
  getEmbeddings: async (_id: string, hashes: string[]) => new Map(hashes.filter((h) => cache.has(h)).map((h) => [h, cache.get(h) as Float32Array])),
  getPixelsMany: async (hashes: string[]) => hashes.map((h) => new Blob([new Uint8Array([Number(h.slice(1)) % 256])])),
  putEmbeddings: async (_id: string, rows: Map<string, Float32Array>) => rows.forEach((v, k) => cache.set(k, v)),
}));

const hashes = (n: number) => Array.from({ length: n }, (_, i) => `h${i}`);

beforeEach(() => {
  Object.assign(engines, { main: [], helper: [], helperFails: false, helperStarts: true, closed: 0 });
  cache.clear();
  useTrainingStore.setState({ embedding: null });
});

describe('embedMissing', () => {
  it('shares a big job between the two engines: every photo embedded once, right rows, the second engine closed after', async () => {
    const all = await embedMissing('mobilenet_v2_100_224', hashes(200), () => false);
    expect(all?.size).toBe(200);
    expect(all?.get('h7')?.[0]).toBe(7);
    expect(engines.helper.length).toBeGreaterThan(0);
    expect(engines.main.reduce((a, b) => a + b, 0) + engines.helper.reduce((a, b) => a + b, 0)).toBe(200);
    expect(engines.closed).toBeGreaterThan(0);
    expect(useTrainingStore.getState().embedding).toMatchObject({ done: 200, total: 200, engines: 2 });
  });

  it('keeps to the main engine for a small job', async () => {
    await embedMissing('mobilenet_v2_100_224', hashes(40), () => false);
    expect(engines.helper).toEqual([]);
    expect(useTrainingStore.getState().embedding).toMatchObject({ done: 40, engines: 1 });
  });

  it('redoes a batch that failed on the second engine on the main one, and finishes there', async () => {
    engines.helperFails = true;
    const all = await embedMissing('mobilenet_v2_100_224', hashes(150), () => false);
    expect(all?.size).toBe(150);
    expect(engines.main.reduce((a, b) => a + b, 0)).toBe(150);
  });

  it('does not wait for a second engine that never starts, nor one that cannot', async () => {
    engines.helperStarts = 'never';
    expect((await embedMissing('mobilenet_v2_100_224', hashes(120), () => false))?.size).toBe(120);
    cache.clear();
    engines.helperStarts = false;
    expect((await embedMissing('mobilenet_v2_100_224', hashes(120), () => false))?.size).toBe(120);
  });
});
