import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHead } from '../head/train-head';
import { exportJoinedModel } from '../export/joined-model';
import { loadClassifier } from '../export/load-classifier';
import { checkTopology } from '../export/topology-check';
import { useWasmBackend } from '../testing/node-io';
import { joinEmbedders, type EmbedderPart } from './pair-model';
import { PAIR_PARTS, loadPairParts, pairPhotos } from './pair-model-fixture';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] ?? NaN))), 0);

describe('joinEmbedders (MobileNetV2 1.0 + MobileNetV1 0.75)', () => {
  let parts: EmbedderPart[];
  let disposeParts: () => void;
  let pair: tf.LayersModel;
  let x: tf.Tensor4D;
  /** The parts' embeddings side by side, computed by the parts themselves. */
  const expected = (input: tf.Tensor4D) => tf.tidy(() => tf.concat(parts.map((p) => p.model.predict(input) as tf.Tensor2D), -1).dataSync());

  beforeAll(async () => {
    await useWasmBackend();
    ({ parts, dispose: disposeParts } = await loadPairParts());
    pair = joinEmbedders(parts, 'pair_embedder');
    // Two real photos and one random image in [-1, 1].
    const { images, count } = pairPhotos(['dress', 'shoes'], 1);
    x = tf.tidy(() => tf.concat([tf.tensor4d(images, [count, 224, 224, 3]), tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 4)]) as tf.Tensor4D);
  });
  afterAll(() => {
    x.dispose();
    pair.dispose();
    disposeParts();
  });

  it('is one flat model: one image input, every part layer under its prefix, a Concatenate named embedding', () => {
    expect(pair.inputs.map((t) => t.shape)).toEqual([[null, 224, 224, 3]]);
    expect(pair.outputs.map((t) => t.shape)).toEqual([[null, PAIR_PARTS[0].size + PAIR_PARTS[1].size]]);
    const classes = pair.layers.map((l) => l.getClassName());
    expect(classes.filter((c) => ['Model', 'Functional', 'Sequential'].includes(c))).toEqual([]);
    expect(classes.filter((c) => c === 'InputLayer')).toHaveLength(1);
    const last = pair.layers.at(-1);
    expect([last?.name, last?.getClassName()]).toEqual(['embedding', 'Concatenate']);
    for (const { model, prefix } of parts) {
      for (const l of model.layers) if (l.getClassName() !== 'InputLayer') expect(pair.getLayer(`${prefix}${l.name}`).getClassName()).toBe(l.getClassName());
    }
    const partLayers = parts.reduce((n, p) => n + p.model.layers.length - 1, 0);
    expect(pair.layers).toHaveLength(partLayers + 2);
    expect(pair.countParams()).toBe(parts.reduce((n, p) => n + p.model.countParams(), 0));
  });

  it('gives exactly the parts\' embeddings side by side (max |difference| < 1e-5 on 2 photos and a random image), leaving the parts usable', () => {
    const want = expected(x);
    const got = tf.tidy(() => (pair.predict(x) as tf.Tensor).dataSync());
    expect(got).toHaveLength(3 * 2048);
    const worst = maxDiff(got, want);
    console.warn(`pair embedding vs parts concatenated: max |difference| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-5);
    // A second join, disposed: the parts keep their weights.
    joinEmbedders(parts, 'pair_disposed').dispose();
    expect(maxDiff(expected(x), want)).toBe(0);
  });

  it('saves with a head, passes the model checks (topology-check) and loads back predicting the same', async () => {
    const head = buildHead(2048, 3, { hiddenUnits: 16, dropout: 0.2, seed: 5 });
    const files = await exportJoinedModel(pair, head);
    const json = JSON.parse(files.modelJson) as { modelTopology: unknown };
    const summary = checkTopology(json.modelTopology);
    expect(summary.inputShape).toEqual([null, 224, 224, 3]);
    expect(summary.outputShape).toEqual([null, 3]);
    expect(summary.params).toBe(pair.countParams() + head.countParams());
    // loadClassifier: model-check.ts, then tf.loadLayersModel (strict) from the files.
    const loaded = await loadClassifier(files.modelJson, files.weights, 3);
    const want = tf.tidy(() => (head.predict(pair.predict(x) as tf.Tensor) as tf.Tensor).dataSync());
    const got = tf.tidy(() => (loaded.model.predict(x) as tf.Tensor).dataSync());
    expect(maxDiff(got, want)).toBeLessThan(1e-5);
    loaded.model.dispose();
    head.dispose();
  });

  it('refuses parts whose layer names would clash', () => {
    const [first] = parts;
    if (!first) throw new Error('no parts');
    expect(() => joinEmbedders([first, { ...first }], 'clash')).toThrow(/two layers would be named v2_/);
  });
});
