import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackbone } from '../backbones/create-backbone';
import { LayersBackbone } from '../backbones/layers-backbone';
import { buildHead } from '../head/train-head';
import { SAMPLE_PHOTOS_DIR, MODELS_DIR, fileHandler, loadJpeg, mirror, toBatch, useWasmBackend } from '../testing/node-io';
import { augmentBatch } from './augment';
import { blockLayout } from './blocks';
import { fineTune, type ImageSource } from './finetune';
import { batchToTensor } from '../image-batch';
import { cloneModel, splitEmbedder } from './split-model';
import { ensureGradientKernels } from './wasm-gradients';

const ID = 'mobilenet_v2_035_224';
const SIZE = 224;
const CLASSES = ['hat', 'pants', 'shoes'];
let backbone: LayersBackbone;
const photos: Uint8Array[] = [];
const labels: number[] = [];

/** Every weight's values by its variable name. */
function valuesOf(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(model.weights.map((w) => [w.originalName, new Float32Array(w.read().dataSync())]));
}

const layerOf = (weightName: string) => weightName.split('/')[0] ?? '';
const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

beforeAll(async () => {
  await useWasmBackend();
  await ensureGradientKernels();
  const b = createBackbone(ID, { handler: fileHandler(join(MODELS_DIR, ID)) });
  if (!(b instanceof LayersBackbone)) throw new Error('expected a layers backbone');
  backbone = b;
  await backbone.load();
  CLASSES.forEach((cls, label) => {
    const dir = join(SAMPLE_PHOTOS_DIR, cls);
    for (const name of readdirSync(dir).sort().slice(0, 3)) {
      photos.push(loadJpeg(join(dir, name), SIZE));
      labels.push(label);
    }
  });
}, 120_000);
afterAll(() => backbone.dispose());

/** The 9 photos, 3 per class: two of each to train on, one to validate (read after beforeAll has loaded them). */
const split = () => ({
  inputRange: [-1, 1] as [number, number],
  images: source,
  labels: Int32Array.from(labels),
  numClasses: 3,
  trainIndices: [0, 1, 3, 4, 6, 7],
  validationIndices: [2, 5, 8],
});

const source: ImageSource = { load: async (indices) => toBatch(indices.map((i) => photos[i] as Uint8Array), SIZE) };

/** MobileNetV2 0.35's block layout, a copy of its embedder to tune, and a new head on it. */
async function tuneable(head: { hiddenUnits: number; dropout: number; seed: number }) {
  const layout = blockLayout(ID);
  if (!layout) throw new Error('no layout');
  return { layout, embedder: await cloneModel(backbone.embeddingModel), head: buildHead(1280, 3, head) };
}

describe('fine-tuning the top blocks of MobileNetV2 0.35', () => {
  it('changes only the unfrozen convolutions and the head, keeps BatchNormalization statistics and the original backbone, and leaks no tensor', async () => {
    const original = valuesOf(backbone.embeddingModel);
    const tensorsBefore = tf.memory().numTensors;
    const { layout, embedder, head } = await tuneable({ hiddenUnits: 16, dropout: 0, seed: 1 });
    const start = valuesOf(embedder);
    const headStart = valuesOf(head);
    let afterStep: Map<string, Float32Array> | null = null;
    let headAfterStep: Map<string, Float32Array> | null = null;
    const result = await fineTune({
      embedder,
      head,
      layout,
      ...split(),
      settings: { blocks: 2, epochs: 1, learningRate: 1e-3, batchSize: 6, augment: false, patience: 0, seed: 7 },
      headSettings: { dropout: 0, classWeighting: 'off' },
      onEpoch: () => {
        afterStep = valuesOf(embedder);
        headAfterStep = valuesOf(head);
      },
    });
    expect(result.trainableLayers.sort()).toEqual(
      ['Conv_1', 'block_15_depthwise', 'block_15_expand', 'block_15_project', 'block_16_depthwise', 'block_16_expand', 'block_16_project'].sort(),
    );
    expect(result.history).toHaveLength(1);
    if (!afterStep || !headAfterStep) throw new Error('onEpoch was not called');
    const stepped: Map<string, Float32Array> = afterStep;
    let changed = 0;
    let frozen = 0;
    for (const [name, before] of start) {
      const after = stepped.get(name);
      if (!after) throw new Error(`weight ${name} disappeared`);
      if (result.trainableLayers.includes(layerOf(name))) {
        expect(same(before, after), `${name} should have changed`).toBe(false);
        changed++;
      } else {
        expect(same(before, after), `${name} should be bit-identical`).toBe(true);
        frozen++;
      }
    }
    expect(changed).toBe(7);
    // Every bottom layer, and gamma/beta/moving mean/moving variance of the top's BatchNormalization.
    expect(frozen).toBeGreaterThan(200);
    expect([...start.keys()].filter((n) => n.startsWith('block_16_project_BN/moving')).every((n) => same(start.get(n) as Float32Array, stepped.get(n) as Float32Array))).toBe(true);
    for (const [name, before] of headStart) expect(same(before, (headAfterStep as Map<string, Float32Array>).get(name) as Float32Array), name).toBe(false);
    // The backbone whose embeddings are cached is untouched.
    for (const [name, values] of valuesOf(backbone.embeddingModel)) expect(same(values, original.get(name) as Float32Array), name).toBe(true);
    // The kept state is the tuned one when it validated better, else the one from before.
    const kept = valuesOf(embedder);
    const expected = result.improved ? stepped : start;
    for (const [name, values] of kept) expect(same(values, expected.get(name) as Float32Array), name).toBe(true);
    expect(result.improved).toBe(result.bestEpoch === 1);
    embedder.dispose();
    head.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 300_000);

  it('a stop before the first step keeps the model from before, weights bit-identical, with its validation score', async () => {
    const { layout, embedder, head } = await tuneable({ hiddenUnits: 0, dropout: 0, seed: 3 });
    const start = valuesOf(embedder);
    const result = await fineTune({
      embedder,
      head,
      layout,
      ...split(),
      settings: { blocks: 1, epochs: 3, learningRate: 1e-3, batchSize: 4, augment: true, patience: 0, seed: 7 },
      headSettings: { dropout: 0, classWeighting: 'off' },
      shouldStop: () => true,
    });
    expect(result.stoppedByUser).toBe(true);
    expect(result.improved).toBe(false);
    expect(result.history).toHaveLength(0);
    expect(result.bestTuned).toBeNull();
    expect(result.after).toEqual(result.before);
    expect(result.validationProbabilities).toHaveLength(9);
    for (const [name, values] of valuesOf(embedder)) expect(same(values, start.get(name) as Float32Array), name).toBe(true);
    embedder.dispose();
    head.dispose();
  }, 120_000);

  it('with augmentation, training photos are decoded and run through the frozen bottom every epoch (no cache), and no tensor leaks', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const { layout, embedder, head } = await tuneable({ hiddenUnits: 0, dropout: 0.2, seed: 5 });
    const loaded: number[] = [];
    const result = await fineTune({
      embedder,
      head,
      layout,
      inputRange: [-1, 1],
      images: { load: async (indices) => (loaded.push(...indices), source.load(indices)) },
      labels: Int32Array.from(labels),
      numClasses: 3,
      trainIndices: [0, 1, 3, 4, 6, 7],
      validationIndices: [2, 5, 8],
      settings: { blocks: 1, epochs: 2, learningRate: 1e-4, batchSize: 3, augment: true, patience: 0, seed: 9 },
      headSettings: { dropout: 0.2, classWeighting: 'auto' },
    });
    expect(result.history).toHaveLength(2);
    expect(result.estimate?.cached).toBe(false);
    // Training photos are decoded every epoch (no boundary cache with augmentation); validation ones once.
    for (const i of [0, 1, 3, 4, 6, 7]) expect(loaded.filter((x) => x === i)).toHaveLength(2);
    for (const i of [2, 5, 8]) expect(loaded.filter((x) => x === i)).toHaveLength(1);
    embedder.dispose();
    head.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 120_000);

  it('the cut model (frozen bottom, then the top as run for training) gives the embedder\'s embeddings', () => {
    const layout = blockLayout(ID);
    if (!layout) throw new Error('no layout');
    for (const blocks of [1, 2, 4]) {
      const split = splitEmbedder(backbone.embeddingModel, layout, blocks);
      const diff = tf.tidy(() => {
        const x = batchToTensor(toBatch(photos.slice(0, 3), SIZE), [-1, 1]);
        const whole = backbone.embeddingModel.predict(x) as tf.Tensor;
        return tf.max(tf.abs(whole.sub(split.runTop(split.bottom.predict(x) as tf.Tensor)))).dataSync()[0];
      });
      expect(diff).toBeLessThan(1e-4);
    }
  });

  it('MobileNetV1 0.75 cuts at its depthwise-separable blocks and gives the same embeddings', async () => {
    const id = 'mobilenet_v1_075_224';
    const v1 = createBackbone(id, { handler: fileHandler(join(MODELS_DIR, id)) });
    if (!(v1 instanceof LayersBackbone)) throw new Error('expected a layers backbone');
    await v1.load();
    const layout = blockLayout(id);
    if (!layout) throw new Error('no layout');
    try {
      for (const blocks of [2, 3]) {
        const split = splitEmbedder(v1.embeddingModel, layout, blocks);
        expect(split.trainableLayers).toContain(`conv_dw_${14 - blocks}`);
        expect(split.trainableLayers).not.toContain(`conv_pw_${13 - blocks}`);
        const diff = tf.tidy(() => {
          const x = batchToTensor(toBatch(photos.slice(0, 2), SIZE), [-1, 1]);
          const whole = v1.embeddingModel.predict(x) as tf.Tensor;
          return tf.max(tf.abs(whole.sub(split.runTop(split.bottom.predict(x) as tf.Tensor)))).dataSync()[0];
        });
        expect(diff).toBeLessThan(1e-4);
      }
    } finally {
      v1.dispose();
    }
  }, 120_000);

  it('augmentation with a full-size mirrored box flips the image left-right', () => {
    const photo = photos[0] as Uint8Array;
    const out = tf.tidy(() => {
      const x = tf.tensor4d(photo, [1, SIZE, SIZE, 3], 'int32').toFloat();
      return augmentBatch(x, [{ box: [0, 1, 1, 0], brightness: 0 }], [0, 255]).round().dataSync();
    });
    const want = mirror(photo, SIZE);
    let maxDiff = 0;
    for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs((out[i] as number) - (want[i] as number)));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });
});
