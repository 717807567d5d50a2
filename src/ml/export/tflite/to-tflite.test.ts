import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getBackboneSpec } from '../../backbones/catalog';
import { LayersBackbone } from '../../backbones/layers-backbone';
import { buildHead } from '../../head/train-head';
import { MODELS_DIR, fileHandler, useWasmBackend } from '../../testing/node-io';
import { exportJoinedModel } from '../joined-model';
import { exportTflite } from './export-tflite';
import { readTflite } from './read-flatbuffer';
import { runTflite } from './reference-run';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] ?? NaN))), 0);

/** Random but fixed values for every weight (batch-norm variances positive), so folding matters. */
function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const values = model.weights.map((w, i) => {
    const shape = w.shape as number[];
    return w.originalName.endsWith('moving_variance') ? tf.randomUniform(shape, 0.5, 2, 'float32', seed + i) : tf.randomNormal(shape, 0, 0.5, 'float32', seed + i);
  });
  model.setWeights(values);
  values.forEach((v) => v.dispose());
}

beforeAll(async () => {
  await useWasmBackend();
});

describe('TFLite conversion of layer patterns', () => {
  it('keeps a PAD op that is not SAME padding, adds a RELU6 op where the convolution output is read twice, and still computes what tfjs computes', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const padded = tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pad' }).apply(input) as tf.SymbolicTensor;
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'conv' }).apply(padded) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(conv) as tf.SymbolicTensor;
    const relu = tf.layers.reLU({ maxValue: 6, name: 'relu' }).apply(bn) as tf.SymbolicTensor;
    const dw = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'relu', name: 'dw' }).apply(relu) as tf.SymbolicTensor;
    const pw = tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'pw' }).apply(dw) as tf.SymbolicTensor;
    // `bn`'s output is read by the ReLU and by the Add: the ReLU cannot be fused into the conv.
    const sum = tf.layers.add({ name: 'sum' }).apply([pw, bn]) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(sum) as tf.SymbolicTensor;
    const embedder = tf.model({ inputs: input, outputs: gap });
    const head = buildHead(4, 3, { hiddenUnits: 5, dropout: 0.1, seed: 2 });
    randomizeWeights(embedder, 10);
    randomizeWeights(head, 20);
    const { graph } = readTflite(await exportTflite(embedder, head, ['a', 'b', 'c'], 'test', [-1, 1]));
    expect(graph.ops.map((o) => o.op)).toEqual(['PAD', 'CONV_2D', 'RELU6', 'DEPTHWISE_CONV_2D', 'CONV_2D', 'ADD', 'MEAN', 'FULLY_CONNECTED', 'FULLY_CONNECTED', 'SOFTMAX']);
    const x = tf.randomUniform([1, 8, 8, 3], -1, 1, 'float32', 3);
    const expected = tf.tidy(() => (head.predict(embedder.predict(x) as tf.Tensor) as tf.Tensor).dataSync());
    expect(maxDiff(runTflite(graph, x.dataSync() as Float32Array), expected)).toBeLessThan(1e-5);
    x.dispose();
  });

  it('refuses a layer it has no conversion for, naming it', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const pool = tf.layers.maxPooling2d({ poolSize: 2, name: 'the_pool' }).apply(input) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(pool) as tf.SymbolicTensor;
    const head = buildHead(3, 2, { hiddenUnits: 0, dropout: 0, seed: 1 });
    await expect(exportTflite(tf.model({ inputs: input, outputs: gap }), head, ['a', 'b'], 'test', [-1, 1])).rejects.toThrow('the_pool (MaxPooling2D)');
  });

  it('refuses a batch norm it cannot fold (its convolution output is read elsewhere too)', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'conv' }).apply(input) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'lonely_bn' }).apply(conv) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'sum' }).apply([conv, bn]) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(sum) as tf.SymbolicTensor;
    const head = buildHead(3, 2, { hiddenUnits: 0, dropout: 0, seed: 1 });
    await expect(exportTflite(tf.model({ inputs: input, outputs: gap }), head, ['a', 'b'], 'test', [-1, 1])).rejects.toThrow('lonely_bn (BatchNormalization)');
  });

  it('refuses labels that do not match the outputs', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(input) as tf.SymbolicTensor;
    const head = buildHead(3, 2, { hiddenUnits: 0, dropout: 0, seed: 1 });
    await expect(exportTflite(tf.model({ inputs: input, outputs: gap }), head, ['a', 'b', 'c'], 'test', [-1, 1])).rejects.toThrow('expected [1, 3] for 3 labels');
  });
});

describe('TFLite conversion of an opened model', () => {
  const spec = getBackboneSpec('mobilenet_v2_035_224');
  let backbone: LayersBackbone;
  beforeAll(async () => {
    backbone = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, spec.id)) });
    await backbone.load();
  });

  it('converts a model saved by the tfjs export and loaded again (one image -> probabilities graph, no separate head)', async () => {
    const head = buildHead(spec.embeddingSize, 4, { hiddenUnits: 16, dropout: 0.3, seed: 5 });
    const files = await exportJoinedModel(backbone.embeddingModel, head);
    const json = JSON.parse(files.modelJson) as tf.io.ModelJSON;
    const opened = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]?.weights, weightData: files.weights }));
    const { graph } = readTflite(await exportTflite(opened, null, ['a', 'b', 'c', 'd'], 'opened', [-1, 1]));
    const x = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 9);
    const expected = tf.tidy(() => (opened.predict(x) as tf.Tensor).dataSync());
    expect(maxDiff(runTflite(graph, x.dataSync() as Float32Array), expected)).toBeLessThan(1e-4);
    x.dispose();
    opened.dispose();
    head.dispose();
  });

  it('refuses a model with a nested model inside (as Teachable Machine saves them), naming it', async () => {
    const inner = tf.model({ inputs: backbone.embeddingModel.inputs, outputs: backbone.embeddingModel.outputs, name: 'inner_backbone' });
    const outer = tf.sequential({ layers: [inner, tf.layers.dense({ units: 2, activation: 'softmax' })] });
    await expect(exportTflite(outer, null, ['a', 'b'], 'nested', [-1, 1])).rejects.toThrow('inner_backbone');
  });
});
