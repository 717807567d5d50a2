import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackbone } from '../backbones/create-backbone';
import { LayersBackbone } from '../backbones/layers-backbone';
import { buildHead } from '../head/train-head';
import { MODELS_DIR, fileHandler, useWasmBackend } from '../testing/node-io';
import { exportJoinedModel } from './joined-model';
import { classify, loadClassifier } from './load-classifier';
import { checkModelJson } from './model-check';
import { checkTopology } from './topology-check';

const LAYERS_BACKBONES = ['mobilenet_v2_100_224', 'mobilenet_v1_075_224', 'mobilenet_v2_035_224'];

function declared(json: { weightsManifest: { weights: { shape: number[] }[] }[] }): number {
  return json.weightsManifest.flatMap((g) => g.weights).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
}

/** A tiny valid classifier's files: 224x224x3 -> conv -> pool -> dense softmax. */
async function tinyModel(): Promise<{ modelJson: string; weights: ArrayBuffer }> {
  const input = tf.input({ shape: [224, 224, 3] });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: x });
  const { saveToFiles } = await import('./joined-model');
  const files = await saveToFiles(model);
  model.dispose();
  return files;
}

beforeAll(async () => {
  await useWasmBackend();
});

describe('checkTopology', () => {
  it.each(LAYERS_BACKBONES)('counts exactly the weights %s declares', (id) => {
    const json = JSON.parse(readFileSync(join(MODELS_DIR, id, 'model.json'), 'utf8')) as Parameters<typeof declared>[0] & { modelTopology: unknown };
    const summary = checkTopology(json.modelTopology);
    expect(summary.inputShape).toEqual([null, 224, 224, 3]);
    expect(summary.params).toBe(declared(json));
  });
});

describe('checkModelJson', () => {
  let files: { modelJson: string; weights: ArrayBuffer };
  beforeAll(async () => {
    files = await tinyModel();
  });

  it('accepts a consistent model', () => {
    expect(checkModelJson(files.modelJson, files.weights.byteLength).numClasses).toBe(3);
  });

  it('refuses malformed JSON, saying what was expected', () => {
    expect(() => checkModelJson('{"modelTopology": ', 10)).toThrow(/not valid JSON.*Expected the model.json/);
  });

  it('refuses truncated weights with both byte counts', () => {
    expect(() => checkModelJson(files.modelJson, files.weights.byteLength - 4)).toThrow(new RegExp(`${files.weights.byteLength - 4} bytes but model.json declares ${files.weights.byteLength} bytes.*truncated`));
  });

  it('refuses a model whose input is not [null, 224, 224, 3]', () => {
    const json = files.modelJson.replace('[null,224,224,3]', '[null,128,128,3]');
    expect(json).not.toBe(files.modelJson);
    expect(() => checkModelJson(json, files.weights.byteLength)).toThrow(/takes input \[null, 128, 128, 3\]; the app feeds \[null, 224, 224, 3\]/);
  });

  it('refuses huge declared sizes before anything is allocated', () => {
    const json = JSON.parse(files.modelJson) as { weightsManifest: { weights: { shape: number[] }[] }[] };
    const first = json.weightsManifest[0]?.weights[0];
    if (!first) throw new Error('no weights');
    first.shape = [100000, 100000, 100000];
    expect(() => checkModelJson(JSON.stringify(json), files.weights.byteLength)).toThrow(/invalid shape|declares/);
    const units = files.modelJson.replace('"units":3', '"units":60000');
    expect(() => checkModelJson(units, files.weights.byteLength)).toThrow(/declares|need/);
  });

  it('refuses unknown layer kinds and graph models', () => {
    expect(() => checkModelJson(files.modelJson.replace('"Conv2D"', '"Lambda"'), files.weights.byteLength)).toThrow(/is a Lambda, which the app does not load/);
    expect(() => checkModelJson('{"format":"graph-model","modelTopology":{"node":[]},"weightsManifest":[]}', 0)).toThrow(/graph model/);
  });
});

describe('loadClassifier', () => {
  it('loads a joined export and gives the same probabilities as backbone + head', async () => {
    const backbone = createBackbone('mobilenet_v2_035_224', { handler: fileHandler(join(MODELS_DIR, 'mobilenet_v2_035_224')) });
    await backbone.load();
    if (!(backbone instanceof LayersBackbone)) throw new Error('expected a layers backbone');
    const head = buildHead(1280, 3, { hiddenUnits: 16, dropout: 0, seed: 1 });
    const files = await exportJoinedModel(backbone.embeddingModel, head);
    const before = tf.memory().numTensors;
    const loaded = await loadClassifier(files.modelJson, files.weights);
    expect(loaded.numClasses).toBe(3);
    const pixels = new Uint8Array(224 * 224 * 3).map((_, i) => (i * 7) % 256);
    const batch = { count: 1, size: 224, pixels };
    const opened = await classify(loaded.model, batch, [-1, 1]);
    const [embedding] = await backbone.embed(batch);
    const direct = tf.tidy(() => (head.predict(tf.tensor2d(embedding ?? new Float32Array(0), [1, 1280])) as tf.Tensor).dataSync());
    // The app embeds with the folded graph (BatchNorm folded, fused kernels), the export is the
    // layers model: equal up to float rounding (8.5e-7 measured), far inside the 1e-4 parity bound.
    Array.from(direct).forEach((p, i) => expect(Math.abs((opened[i] ?? NaN) - p)).toBeLessThan(1e-5));
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    head.dispose();
    backbone.dispose();
  });

  it('loads a model shaped like a Teachable Machine export (nested Sequential models)', async () => {
    const mobilenet = await tf.loadLayersModel(fileHandler(join(MODELS_DIR, 'mobilenet_v2_035_224')));
    const embedding = mobilenet.getLayer('embedding');
    const before = embedding.inboundNodes[0]?.inboundLayers[0];
    if (!before) throw new Error('no layer before the embedding');
    const truncated = tf.model({ inputs: mobilenet.inputs, outputs: before.output as tf.SymbolicTensor });
    const base = tf.sequential();
    base.add(truncated);
    base.add(tf.layers.globalAveragePooling2d({}));
    const trainable = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [1280], units: 100, activation: 'relu' }), tf.layers.dense({ units: 2, activation: 'softmax', useBias: false })],
    });
    const joint = tf.sequential();
    joint.add(base);
    joint.add(trainable);
    const { saveToFiles } = await import('./joined-model');
    const files = await saveToFiles(joint);
    const loaded = await loadClassifier(files.modelJson, files.weights, 2);
    expect(loaded.numClasses).toBe(2);
    const x = { count: 1, size: 224, pixels: new Uint8Array(224 * 224 * 3).fill(100) };
    const opened = await classify(loaded.model, x, [-1, 1]);
    const direct = tf.tidy(() => (joint.predict(tf.fill([1, 224, 224, 3], (100 * 2) / 255 - 1)) as tf.Tensor).dataSync());
    Array.from(direct).forEach((p, i) => expect(opened[i]).toBeCloseTo(p, 5));
    await expect(loadClassifier(files.modelJson, files.weights, 3)).rejects.toThrow(/lists 3 class names but the model outputs 2 classes/);
    loaded.model.dispose();
    // Disposing the joint model also disposes the mobilenet layers it shares.
    joint.dispose();
  });
});
