import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { HeadArtifact } from '../ml/head/head-artifact';
import { getBackboneSpec, type BackboneId } from '../ml/backbones/catalog';
import type { Backbone } from '../ml/backbones/types';
import { checkEmbeddingRows } from './backbone-service';
import { MlEngine } from './ml-engine';

/** A backbone without weights: embeds every image as a row of its size, and logs who embedded. */
function fakeBackbone(id: BackboneId, log: string[]): Backbone {
  const spec = getBackboneSpec(id);
  return {
    spec,
    embedRuntime: 'tfjs-layers',
    embedThreads: 1,
    load: async () => undefined,
    embed: async (batch) => {
      log.push(`embedded by ${id}`);
      return Array.from({ length: batch.count }, () => new Float32Array(spec.embeddingSize));
    },
    imagenetTopK: async (batch) => Array.from({ length: batch.count }, () => []),
    dispose: () => undefined,
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('MlEngine: an embedding request names its backbone', () => {
  it('refuses a request for a backbone that is not the loaded one', async () => {
    const log: string[] = [];
    const engine = new MlEngine((id) => fakeBackbone(id, log));
    await engine.useBackbone('mobilenet_v1_075_224');
    await expect(engine.embedTrainingCopies([], 'mobilenet_v2_100_224')).rejects.toMatchObject({ code: 'backbone-changed' });
    await expect(engine.embedTrainingCopies([], 'mobilenet_v1_075_224')).resolves.toEqual([]);
  });

  it('a backbone switch waits for the embedding in flight, which finishes on the backbone it asked for', async () => {
    const log: string[] = [];
    const engine = new MlEngine((id) => fakeBackbone(id, log));
    await engine.useBackbone('mobilenet_v2_100_224');
    await engine.debugHold('embed', 1);
    const embedding = engine.embedTrainingCopies([], 'mobilenet_v2_100_224');
    await flush();
    expect(await engine.debugIsHeld('embed')).toBe(true);
    const switched = engine.useBackbone('mobilenet_v1_075_224').then(() => log.push('switched to mobilenet_v1_075_224'));
    await flush();
    expect(log).toEqual([]);
    await engine.debugRelease('embed');
    await Promise.all([embedding, switched]);
    expect(log).toEqual(['embedded by mobilenet_v2_100_224', 'switched to mobilenet_v1_075_224']);
    // The next batch of the old request is refused, not embedded by the new backbone.
    await expect(engine.embedTrainingCopies([], 'mobilenet_v2_100_224')).rejects.toMatchObject({ code: 'backbone-changed' });
  });

  it('checks every row has the backbone embedding size before it can be cached', () => {
    const backbone = fakeBackbone('mobilenet_v2_100_224', []);
    expect(() => checkEmbeddingRows(backbone, [new Float32Array(768)], 1)).toThrow(/1280 values, got 768/);
    expect(() => checkEmbeddingRows(backbone, [new Float32Array(1280)], 2)).toThrow(/1 embeddings for 2/);
    expect(checkEmbeddingRows(backbone, [new Float32Array(1280)], 1)).toHaveLength(1);
  });
});

/** A 1280 -> 2 softmax head as plain data (no hidden layer); `bias` tells the two apart. */
function head(bias: number): HeadArtifact {
  return {
    dim: 1280,
    numClasses: 2,
    hiddenUnits: 0,
    dropout: 0,
    weights: [
      { name: 'head_out/kernel', shape: [1280, 2], values: new Float32Array(2560) },
      { name: 'head_out/bias', shape: [2], values: new Float32Array([bias, 0]) },
    ],
  };
}

describe('MlEngine: models in use are not freed', () => {
  it('a new head waits for a prediction holding the old one across an await, and frees it after', async () => {
    await tf.setBackend('cpu');
    const engine = new MlEngine((id) => fakeBackbone(id, []));
    await engine.useBackbone('mobilenet_v2_100_224');
    await engine.setHead(head(0));
    const tensors = tf.memory().numTensors;
    await engine.debugHold('predict', 1);
    const frame = engine.predictRgba(new Uint8ClampedArray(224 * 224 * 4));
    await flush();
    expect(await engine.debugIsHeld('predict')).toBe(true);
    let replaced = false;
    const swap = engine.setHead(head(Math.log(3))).then(() => {
      replaced = true;
    });
    await flush();
    expect(replaced).toBe(false);
    await engine.debugRelease('predict');
    // The frame is classified by the head it started with (equal odds), not a freed one.
    expect(Array.from(await frame)).toEqual([0.5, 0.5]);
    await swap;
    expect(Array.from(await engine.predictRgba(new Uint8ClampedArray(224 * 224 * 4))).map((p) => Number(p.toFixed(4)))).toEqual([0.75, 0.25]);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('changes run in call order: a head set after a backbone switch is installed after it', async () => {
    const log: string[] = [];
    const engine = new MlEngine((id) => fakeBackbone(id, log));
    await engine.useBackbone('mobilenet_v2_100_224');
    const order: string[] = [];
    const a = engine.useBackbone('mobilenet_v1_075_224').then(() => order.push('backbone'));
    const b = engine.setHead(null).then(() => order.push('head'));
    await Promise.all([a, b]);
    expect(order).toEqual(['backbone', 'head']);
  });
});
