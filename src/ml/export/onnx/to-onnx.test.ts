import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKBONES } from '../../backbones/catalog';
import { LayersBackbone } from '../../backbones/layers-backbone';
import { buildHead } from '../../head/train-head';
import { MODELS_DIR, TEST_PHOTOS_DIR, fileHandler, loadJpeg, useWasmBackend } from '../../testing/node-io';
import { toTfliteGraph } from '../tflite/to-tflite';
import { toOnnx } from './to-onnx';

const SIZE = 224;
const CLASSES = ['dress', 'hat', 'shoes'];

/** Two held-out photos per class, as one [6, 224, 224, 3] float32 batch in [-1, 1]. */
function photos(): Float32Array {
  const all = CLASSES.flatMap((cls) => {
    const dir = join(TEST_PHOTOS_DIR, 'clothing-test', cls);
    return readdirSync(dir)
      .filter((n) => n.endsWith('.jpg'))
      .sort()
      .slice(0, 2)
      .map((n) => loadJpeg(join(dir, n), SIZE));
  });
  const out = new Float32Array(all.length * SIZE * SIZE * 3);
  all.forEach((rgb, i) => out.set(Float32Array.from(rgb, (v) => v / 127.5 - 1), i * SIZE * SIZE * 3));
  return out;
}

let images: Float32Array;
beforeAll(async () => {
  await useWasmBackend();
  images = photos();
});

describe.each(BACKBONES.filter((b) => b.format === 'layers').map((b, i) => [b.id, b, i] as const))('ONNX export of %s', (id, spec, i) => {
  let backbone: LayersBackbone;
  let head: tf.LayersModel;
  let bytes: Uint8Array;
  beforeAll(async () => {
    backbone = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, id)) });
    await backbone.load();
    head = buildHead(spec.embeddingSize, CLASSES.length, { hiddenUnits: i === 0 ? 32 : 0, dropout: 0.2, seed: 3 + i });
    const graph = await toTfliteGraph({ embedder: backbone.embeddingModel, head, labels: CLASSES, description: `${id} + dense head` });
    bytes = toOnnx({ graph, labels: CLASSES, metadata: { backbone: id, input_range: JSON.stringify(spec.inputRange) }, producerVersion: 'test' });
  }, 120_000);
  afterAll(() => {
    head.dispose();
    backbone.dispose();
  });

  it('runs in onnxruntime (CPU) on a batch of real photos and gives the tfjs probabilities within 1e-4', async () => {
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['image']);
    expect(session.outputNames).toEqual(['probabilities']);
    const n = images.length / (SIZE * SIZE * 3);
    const result = await session.run({ image: new ort.Tensor('float32', images, [n, SIZE, SIZE, 3]) });
    const got = result.probabilities;
    expect(got?.dims).toEqual([n, CLASSES.length]);
    const want = tf.tidy(() => (head.predict(backbone.embeddingModel.predict(tf.tensor4d(images, [n, SIZE, SIZE, 3])) as tf.Tensor) as tf.Tensor).dataSync());
    let worst = 0;
    (got?.data as Float32Array).forEach((p, k) => (worst = Math.max(worst, Math.abs(p - (want[k] ?? NaN)))));
    console.warn(`${id}: ONNX ${(bytes.length / 1e6).toFixed(1)} MB, max |onnxruntime - tfjs| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-4);
    // The classes the model was trained on are not trivially equal: the check compares real outputs.
    expect(new Set(Array.from({ length: n }, (_, r) => Array.from(want.slice(r * 3, r * 3 + 3)).join())).size).toBeGreaterThan(1);
    await session.release();
  }, 120_000);
});

describe('ONNX export refuses what it cannot translate', () => {
  it('says so for int8 (DEQUANTIZE) graphs', () => {
    const graph = { tensors: [{ name: 'x', shape: [1], type: 'int8' as const, data: new Int8Array(1) }], ops: [{ op: 'DEQUANTIZE' as const, inputs: [0], outputs: [0], options: { kind: 'none' as const } }], inputs: [0], outputs: [0], description: '', metadata: [] };
    expect(() => toOnnx({ graph, labels: ['a'], metadata: {}, producerVersion: 'test' })).toThrow(/DEQUANTIZE has no ONNX translation/);
  });
});
