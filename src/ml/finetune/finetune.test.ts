import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKBONES } from '../backbones/catalog';
import { createBackbone } from '../backbones/create-backbone';
import { LayersBackbone } from '../backbones/layers-backbone';
import { exportTflite } from '../export/tflite/export-tflite';
import { readTflite } from '../export/tflite/read-flatbuffer';
import { runTflite } from '../export/tflite/reference-run';
import type { HeadWeight } from '../head/head-artifact';
import { buildHead } from '../head/train-head';
import { batchToTensor } from '../image-batch';
import { SAMPLE_PHOTOS_DIR, MODELS_DIR, fileHandler, loadJpeg, mirror, toBatch, useWasmBackend } from '../testing/node-io';
import { augmentBatch } from './augment';
import { blockLayout } from './blocks';
import { fineTune, type ImageSource } from './finetune';
import { DEFAULT_FINETUNE_SETTINGS } from './settings';
import { cloneModel, splitEmbedder } from './split-model';
import { setWeightsByName, weightsOfLayers } from './tuned-weights';
import { ensureGradientKernels } from './wasm-gradients';

/** Every layers backbone the app ships: each must fine-tune. */
const LAYERS_BACKBONES = BACKBONES.filter((b) => b.format === 'layers');
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

/** What the default cut (2 blocks) trains on each layers backbone, read off its model.json by hand. */
const DEFAULT_TOP: Record<string, string[]> = {
  // Rebuilt from TFLite: Slim layer names, batch norm folded into the convolutions, ReLU6 fused into them.
  mobilenet_v2_100_224: ['Conv_1', 'expanded_conv_15_depthwise', 'expanded_conv_15_expand', 'expanded_conv_15_project', 'expanded_conv_16_depthwise', 'expanded_conv_16_expand', 'expanded_conv_16_project'],
  mobilenet_v1_075_224: ['conv_dw_12', 'conv_dw_13', 'conv_pw_12', 'conv_pw_13'],
  mobilenet_v2_035_224: ['Conv_1', 'block_15_depthwise', 'block_15_expand', 'block_15_project', 'block_16_depthwise', 'block_16_expand', 'block_16_project'],
};

/** Kernels the top's backward pass must not need: the wasm backend lacks them and their CPU fallback is ~40x slower. */
const SLOW_GRADIENT_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'];

describe.each(LAYERS_BACKBONES.map((b) => [b.id, b] as const))('fine-tuning %s', (id, spec) => {
  let model: LayersBackbone;
  beforeAll(async () => {
    model = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, id)) });
    await model.load();
  }, 120_000);
  afterAll(() => model?.dispose());

  it('has a block layout whose default cut unfreezes the expected layers', () => {
    const layout = blockLayout(id);
    if (!layout) throw new Error(`${id} has no block layout`);
    expect(layout.defaultBlocks).toBe(2);
    expect(splitEmbedder(model.embeddingModel, layout, layout.defaultBlocks).trainableLayers.sort()).toEqual([...(DEFAULT_TOP[id] ?? [])].sort());
  });

  it('the cut model (frozen bottom, then the top as run for training) gives the embedder\'s embeddings at 1, 2, 3 and the most blocks', () => {
    const layout = blockLayout(id);
    if (!layout) throw new Error('no layout');
    for (const blocks of [1, 2, 3, layout.maxBlocks]) {
      const split = splitEmbedder(model.embeddingModel, layout, blocks);
      const diff = tf.tidy(() => {
        const x = batchToTensor(toBatch(photos.slice(0, 2), SIZE), spec.inputRange);
        const whole = model.embeddingModel.predict(x) as tf.Tensor;
        return tf.max(tf.abs(whole.sub(split.runTop(split.bottom.predict(x) as tf.Tensor)))).dataSync()[0];
      });
      expect(diff, `${blocks} blocks`).toBeLessThan(1e-4);
    }
  });

  it('the default cut\'s gradients need no convolution backprop kernel (matrix products and slices only)', async () => {
    const layout = blockLayout(id);
    if (!layout) throw new Error('no layout');
    const split = splitEmbedder(model.embeddingModel, layout, layout.defaultBlocks);
    const boundary = tf.tidy(() => split.bottom.predict(batchToTensor(toBatch(photos.slice(0, 1), SIZE), spec.inputRange)) as tf.Tensor);
    const profile = await tf.profile(() => {
      const { grads } = tf.variableGrads(() => split.runTop(boundary).square().mean() as tf.Scalar, split.trainable);
      Object.values(grads).forEach((g) => g.dispose());
    });
    boundary.dispose();
    expect(profile.kernelNames.filter((k) => SLOW_GRADIENT_KERNELS.includes(k))).toEqual([]);
  });

  it('fine-tunes the default blocks: changes only the unfrozen convolutions and the head, keeps the rest and the original backbone bit-identical, leaks no tensor; the tuned weights restore by name and export to TFLite', async () => {
    const original = valuesOf(model.embeddingModel);
    const tensorsBefore = tf.memory().numTensors;
    const layout = blockLayout(id);
    if (!layout) throw new Error('no layout');
    const embedder = await cloneModel(model.embeddingModel);
    const head = buildHead(spec.embeddingSize, 3, { hiddenUnits: 16, dropout: 0, seed: 1 });
    const start = valuesOf(embedder);
    const headStart = valuesOf(head);
    let afterStep: Map<string, Float32Array> | null = null;
    let headAfterStep: Map<string, Float32Array> | null = null;
    let saved: HeadWeight[] = [];
    let tunedEmbeddings: Float32Array | null = null;
    const x = () => batchToTensor(toBatch(photos.slice(0, 2), SIZE), spec.inputRange);
    const result = await fineTune({
      embedder,
      head,
      layout,
      ...split(),
      inputRange: spec.inputRange,
      settings: { ...DEFAULT_FINETUNE_SETTINGS, blocks: layout.defaultBlocks, epochs: 1, learningRate: 1e-3, batchSize: 6, patience: 0, seed: 7 },
      headSettings: { dropout: 0, classWeighting: 'off' },
      onEpoch: () => {
        afterStep = valuesOf(embedder);
        headAfterStep = valuesOf(head);
        saved = weightsOfLayers(embedder, DEFAULT_TOP[id] ?? []);
        tunedEmbeddings = tf.tidy(() => new Float32Array((embedder.predict(x()) as tf.Tensor).dataSync()));
      },
    });
    console.warn(`${id}: fine-tune of ${layout.defaultBlocks} blocks, 1 epoch on 6 photos (+3 validation) in ${(result.durationMs / 1000).toFixed(1)} s; validation accuracy ${result.before.valAccuracy.toFixed(2)} -> ${result.bestTuned?.valAccuracy.toFixed(2)}`);
    expect(result.trainableLayers.sort()).toEqual([...(DEFAULT_TOP[id] ?? [])].sort());
    expect(result.history).toHaveLength(1);
    if (!afterStep || !headAfterStep || !tunedEmbeddings) throw new Error('onEpoch was not called');
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
    // A kernel and (where the convolution has one) a bias per trained layer.
    expect(changed).toBe([...start.keys()].filter((n) => result.trainableLayers.includes(layerOf(n))).length);
    expect(changed).toBeGreaterThanOrEqual(result.trainableLayers.length);
    // Every bottom layer, and gamma/beta/moving mean/moving variance of the top's BatchNormalization where there is one.
    expect(frozen).toBeGreaterThan(50);
    for (const [name, before] of headStart) expect(same(before, (headAfterStep as Map<string, Float32Array>).get(name) as Float32Array), name).toBe(false);
    // The backbone whose embeddings are cached is untouched.
    for (const [name, values] of valuesOf(model.embeddingModel)) expect(same(values, original.get(name) as Float32Array), name).toBe(true);
    // The kept state is the tuned one when it validated better, else the one from before.
    const kept = valuesOf(embedder);
    const expected = result.improved ? stepped : start;
    for (const [name, values] of kept) expect(same(values, expected.get(name) as Float32Array), name).toBe(true);
    expect(result.improved).toBe(result.bestEpoch === 1);

    // Saved by layer name (as IndexedDB and project files store them) and set on a fresh copy: the same embeddings.
    expect(saved.map((w) => layerOf(w.name)).sort()).toEqual([...start.keys()].filter((n) => result.trainableLayers.includes(layerOf(n))).map(layerOf).sort());
    const restored = await cloneModel(model.embeddingModel);
    setWeightsByName(restored, saved);
    const restoredEmbeddings = tf.tidy(() => new Float32Array((restored.predict(x()) as tf.Tensor).dataSync()));
    expect(same(restoredEmbeddings, tunedEmbeddings)).toBe(true);
    // The TFLite exporter converts the tuned model and computes what tfjs computes.
    const image = Float32Array.from(photos[0] as Uint8Array, (v) => (v * (spec.inputRange[1] - spec.inputRange[0])) / 255 + spec.inputRange[0]);
    const graph = readTflite(await exportTflite(restored, head, ['hat', 'pants', 'shoes'], `${id} fine-tuned`, spec.inputRange)).graph;
    const want = tf.tidy(() => new Float32Array((head.predict(restored.predict(tf.tensor4d(image, [1, SIZE, SIZE, 3])) as tf.Tensor) as tf.Tensor).dataSync()));
    const got = runTflite(graph, image);
    expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - (want[i] ?? NaN))))).toBeLessThan(1e-4);
    restored.dispose();
    embedder.dispose();
    head.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 600_000);
});

describe('fine-tuning MobileNetV2 0.35 (stopping, augmentation)', () => {
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

  it('is repeatable for a seed (shuffling, augmentation and dropout are seeded): the same seed gives bit-identical weights, another seed others', async () => {
    const run = async (seed: number) => {
      const { layout, embedder, head } = await tuneable({ hiddenUnits: 0, dropout: 0.3, seed: 5 });
      let values: [string, Float32Array][] = [];
      await fineTune({
        embedder,
        head,
        layout,
        ...split(),
        settings: { blocks: 1, epochs: 1, learningRate: 1e-3, batchSize: 3, augment: true, patience: 0, seed },
        headSettings: { dropout: 0.3, classWeighting: 'off' },
        // After the epoch's steps (the kept state may be the one from before).
        onEpoch: () => (values = [...valuesOf(embedder), ...valuesOf(head)]),
      });
      embedder.dispose();
      head.dispose();
      return values;
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b.map(([name]) => name)).toEqual(a.map(([name]) => name));
    a.forEach(([name, values], i) => expect(same(values, (b[i] as [string, Float32Array])[1]), name).toBe(true));
    expect(a.every(([, values], i) => same(values, (c[i] as [string, Float32Array])[1]))).toBe(false);
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
