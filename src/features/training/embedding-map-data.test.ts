import { describe, expect, it, vi } from 'vitest';
import type { ImageInfo } from '../../store/project-store';
import type { TrainedModel } from '../../store/training-store';
import { embeddingMap, validationMistakes } from './embedding-map-data';

// Embeddings in 3-D: class a near (0,0,0), class b near (10,0,0); "x" has none cached.
vi.mock('../dataset/project-repo', () => ({
  getEmbeddings: async (_id: string, hashes: Set<string>) => {
    const at: Record<string, number[]> = { h1: [0, 0, 0], h2: [0, 1, 0], h3: [10, 0, 0], h4: [10, 1, 1] };
    return new Map([...hashes].filter((h) => at[h]).map((h) => [h, Float32Array.from(at[h] ?? [])]));
  },
}));

const image = (id: string, classId: string, hash: string): ImageInfo => ({ id, classId, hash, path: `${classId}/${id}.jpg`, name: `${id}.jpg` });
const images = [image('i1', 'a', 'h1'), image('i2', 'a', 'h2'), image('i3', 'b', 'h3'), image('i4', 'b', 'h4'), image('i5', 'b', 'x'), image('i6', 'other', 'h1')];
const model = { backboneId: 'mobilenet_v2_100_224', classIds: ['a', 'b'], classNames: ['A', 'B'], validationImageIds: ['i2', 'i4'], validationPredicted: [1, 1] } as unknown as TrainedModel;

describe('embedding map data', () => {
  it('marks the validation photos the model put in another class', () => {
    expect([...validationMistakes(model, images)]).toEqual([['i2', 1]]);
  });

  it('places the model classes\' photos that have an embedding, and the two classes apart on the first axis', async () => {
    const points = await embeddingMap(model, images, async () => undefined);
    expect(points.map((p) => p.imageId)).toEqual(['i1', 'i2', 'i3', 'i4']);
    expect(points.map((p) => p.mistake)).toEqual([false, true, false, false]);
    const [a1, a2, b1, b2] = points.map((p) => p.x);
    expect(Math.sign((a1 ?? 0) - (b1 ?? 0))).toBe(Math.sign((a2 ?? 0) - (b2 ?? 0)));
    expect(Math.abs((a1 ?? 0) - (b1 ?? 0))).toBeGreaterThan(9);
  });
});
