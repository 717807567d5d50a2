import { loadAndCompile, Tensor } from '@litertjs/core';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FoldedEmbedder } from '../backbones/folded-embedder';
import { joinEmbedders } from '../backbones/pair-model';
import { loadPairParts, pairPhotos } from '../backbones/pair-model-fixture';
import { buildHead } from '../head/train-head';
import { useWasmBackend } from '../testing/node-io';
import { useLiteRtInNode } from '../testing/node-litert';
import { toOnnx } from './onnx/to-onnx';
import type { TfliteGraph } from './tflite/graph';
import { calibrate, quantizeFull, type ActivationRanges } from './tflite/quantize-full';
import { quantizeWeights } from './tflite/quantize';
import { readTflite } from './tflite/read-flatbuffer';
import { runTflite } from './tflite/reference-run';
import { BuiltinOperator } from './tflite/schema';
import { toTfliteGraph } from './tflite/to-tflite';
import { writeTflite } from './tflite/write-flatbuffer';

const CLASSES = ['dress', 'hat', 'shoes'];
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] ?? NaN))), 0);
const roundTrip = (graph: TfliteGraph) => readTflite(writeTflite(graph));

beforeAll(useWasmBackend);

/** The real pair (loaded once for the whole file), a dense head on it, its TFLite graph and a photo a class. */
interface PairFixture {
  pair: tf.LayersModel;
  head: tf.LayersModel;
  graph: TfliteGraph;
  images: Float32Array;
  count: number;
  dispose: () => void;
}
let fixture: Promise<PairFixture> | null = null;
function pairFixture(): Promise<PairFixture> {
  fixture ??= (async () => {
    const { parts, dispose } = await loadPairParts();
    const pair = joinEmbedders(parts, 'pair_embedder');
    const head = buildHead(2048, CLASSES.length, { hiddenUnits: 16, dropout: 0.2, seed: 11 });
    const graph = await toTfliteGraph({ embedder: pair, head, labels: CLASSES, description: 'pair + dense head' });
    const { images, count } = pairPhotos(CLASSES, 1);
    return {
      pair,
      head,
      graph,
      images,
      count,
      dispose: () => {
        head.dispose();
        pair.dispose();
        dispose();
      },
    };
  })();
  return fixture;
}
afterAll(async () => (await fixture)?.dispose());

describe('export of a model with a Concatenate (small, random weights)', () => {
  it('lowers a channel Concatenate of two branches (rank 4) to CONCATENATION on axis 3, an unfused RELU after it, and TFLite and ONNX compute what tfjs computes', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'a' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2, name: 'b' }).apply(input) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate({ axis: -1, name: 'joined' }).apply([a, b]) as tf.SymbolicTensor;
    const relu = tf.layers.reLU({ maxValue: 6, name: 'relu' }).apply(joined) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(relu) as tf.SymbolicTensor;
    const embedder = tf.model({ inputs: input, outputs: gap });
    const head = buildHead(10, 3, { hiddenUnits: 0, dropout: 0, seed: 2 });
    const graph = await toTfliteGraph({ embedder, head, labels: ['a', 'b', 'c'], description: 'test' });
    const back = roundTrip(graph).graph;
    expect(back.ops.map((o) => o.op)).toEqual(['CONV_2D', 'DEPTHWISE_CONV_2D', 'CONCATENATION', 'RELU6', 'MEAN', 'FULLY_CONNECTED', 'SOFTMAX']);
    expect(back.ops[2]?.options).toEqual({ kind: 'concat', axis: 3 });
    const x = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 3);
    const want = tf.tidy(() => (head.predict(embedder.predict(x) as tf.Tensor) as tf.Tensor).dataSync());
    expect(maxDiff(runTflite(back, x.dataSync() as Float32Array, 2), want)).toBeLessThan(1e-5);
    // ONNX works in NCHW: the channel axis 3 becomes 1.
    const onnx = toOnnx({ graph, labels: ['a', 'b', 'c'], metadata: {}, producerVersion: 'test' });
    const session = await ort.InferenceSession.create(onnx);
    const result = await session.run({ image: new ort.Tensor('float32', x.dataSync() as Float32Array, [2, 8, 8, 3]) });
    expect(maxDiff(result.probabilities?.data as Float32Array, want)).toBeLessThan(1e-5);
    await session.release();
    x.dispose();
    head.dispose();
    embedder.dispose();
  });
});

describe('export of the MobileNetV2 1.0 + MobileNetV1 0.75 pair with a dense head', () => {
  let pair: tf.LayersModel;
  let head: tf.LayersModel;
  let graph: TfliteGraph;
  let images: Float32Array;
  let count: number;
  let want: Float32Array;
  beforeAll(async () => {
    ({ pair, head, graph, images, count } = await pairFixture());
    want = tf.tidy(() => (head.predict(pair.predict(tf.tensor4d(images, [count, 224, 224, 3])) as tf.Tensor) as tf.Tensor).dataSync() as Float32Array);
  });

  it('TFLite: one CONCATENATION (axis 1, version 1) joins the two MEANs; written, read back and run, it gives the tfjs probabilities within 1e-4', () => {
    const { graph: back, info } = roundTrip(graph);
    const concats = back.ops.filter((o) => o.op === 'CONCATENATION');
    expect(concats).toHaveLength(1);
    expect(concats[0]?.options).toEqual({ kind: 'concat', axis: 1 });
    expect(concats[0]?.inputs.map((i) => back.ops.find((o) => o.outputs.includes(i))?.op)).toEqual(['MEAN', 'MEAN']);
    expect(back.tensors[concats[0]?.outputs[0] ?? -1]?.shape).toEqual([1, 2048]);
    expect(info.operatorCodes).toContainEqual({ deprecatedBuiltinCode: BuiltinOperator.CONCATENATION, builtinCode: BuiltinOperator.CONCATENATION, version: 1 });
    const worst = maxDiff(runTflite(back, images, count), want);
    console.warn(`pair TFLite float: max |reference run - tfjs| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
  });

  it('the folded embedder (BatchNorm folded, fused kernels) embeds like the pair layers model (within 1e-4)', async () => {
    const folded = await FoldedEmbedder.fromModel(pair);
    const x = tf.tensor4d(images, [count, 224, 224, 3]);
    const got = tf.tidy(() => folded.predict(x).dataSync());
    const embedding = tf.tidy(() => (pair.predict(x) as tf.Tensor).dataSync());
    expect(got).toHaveLength(count * 2048);
    expect(maxDiff(got, embedding)).toBeLessThan(1e-4);
    x.dispose();
    folded.dispose();
  });

  it('ONNX: Concat on axis 1; onnxruntime gives the tfjs probabilities within 1e-4', async () => {
    const session = await ort.InferenceSession.create(toOnnx({ graph, labels: CLASSES, metadata: {}, producerVersion: 'test' }));
    const result = await session.run({ image: new ort.Tensor('float32', images, [count, 224, 224, 3]) });
    const worst = maxDiff(result.probabilities?.data as Float32Array, want);
    console.warn(`pair ONNX: max |onnxruntime - tfjs| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
    await session.release();
  });

  it('weight-only int8: the file reads back and its probabilities stay near the float ones', () => {
    const back = roundTrip(quantizeWeights(graph)).graph;
    expect(back.ops.some((o) => o.op === 'CONCATENATION')).toBe(true);
    const worst = maxDiff(runTflite(back, images, count), want);
    console.warn(`pair TFLite int8 weights: max |probability difference| = ${worst.toExponential(2)}`);
    // The bound quantize-full.test.ts uses for int8 probabilities (a random 16-unit head amplifies small embedding changes; 0.051 measured).
    expect(worst).toBeLessThan(0.1);
  });

  it('full int8: the CONCATENATION and both its inputs share one scale and zero point, int8 version 2, probabilities near the float ones', () => {
    const ranges: ActivationRanges = new Map();
    calibrate(graph, images, count, ranges);
    const pixels = Float32Array.from(images, (v) => Math.round((v + 1) * 127.5));
    const { graph: back, info } = roundTrip(quantizeFull(graph, ranges, [-1, 1]));
    const concat = back.ops.find((o) => o.op === 'CONCATENATION');
    const quants = [...(concat?.inputs ?? []), ...(concat?.outputs ?? [])].map((i) => back.tensors[i]);
    expect(quants).toHaveLength(3);
    for (const t of quants) {
      expect(t?.type).toBe('int8');
      expect(t?.quantization).toEqual(quants[2]?.quantization);
    }
    expect(info.operatorCodes).toContainEqual({ deprecatedBuiltinCode: BuiltinOperator.CONCATENATION, builtinCode: BuiltinOperator.CONCATENATION, version: 2 });
    const worst = maxDiff(runTflite(back, pixels, count), want);
    console.warn(`pair TFLite full int8 (calibrated on the ${count} test photos): max |probability difference| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(0.1);
  });
});

describe('full int8 refuses a CONCATENATION it cannot put on one scale', () => {
  it('names the op, the input and the reason (the image input has fixed parameters)', () => {
    const graph: TfliteGraph = {
      tensors: [
        { name: 'image', shape: [1, 2], type: 'float32' },
        { name: 'joined', shape: [1, 4], type: 'float32' },
      ],
      ops: [{ op: 'CONCATENATION', inputs: [0, 0], outputs: [1], options: { kind: 'concat', axis: 1 } }],
      inputs: [0],
      outputs: [1],
      description: '',
      metadata: [],
    };
    const ranges: ActivationRanges = new Map([
      [0, [-1, 1]],
      [1, [-1, 1]],
    ]);
    expect(() => quantizeFull(graph, ranges, [-1, 1])).toThrow(/CONCATENATION joined joins image_int8, written by the image input, .*one scale and zero point/);
  });
});

// The real TFLite runtime (LiteRT.js, XNNPACK in wasm) on the written files: it reads CONCATENATION
// as written and computes what the reference run computes. (It does not check the int8 inputs'
// shared scale: a file with one input rescaled ran too. The test above checks that.)
describe('the pair + head files in LiteRT.js', () => {
  let graph: TfliteGraph;
  let images: Float32Array;
  let count: number;
  const plane = 224 * 224 * 3;
  /** Each image on its own (the graphs take one image); the probabilities, row after row. */
  async function runLiteRt(bytes: Uint8Array, input: (k: number) => Float32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>): Promise<Float32Array> {
    const model = await loadAndCompile(bytes, { accelerator: 'wasm' });
    const rows: number[] = [];
    for (let k = 0; k < count; k++) {
      const x = new Tensor(input(k), [1, 224, 224, 3]);
      const [out, ...rest] = await model.run(x);
      rest.forEach((t) => t.delete());
      rows.push(...(out?.toTypedArray() as Float32Array));
      out?.delete();
      x.delete();
    }
    model.delete();
    return Float32Array.from(rows);
  }
  beforeAll(async () => {
    await useLiteRtInNode();
    ({ graph, images, count } = await pairFixture());
  });

  it('float: LiteRT.js gives the reference run\'s probabilities within 1e-4', async () => {
    const got = await runLiteRt(writeTflite(graph), (k) => images.slice(k * plane, (k + 1) * plane));
    const worst = maxDiff(got, runTflite(graph, images, count));
    console.warn(`pair TFLite float in LiteRT.js: max |LiteRT.js - reference run| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
  });

  // Integer kernels round differently from the reference run's emulation: 0.016 measured here;
  // MobileNetV2 1.0 alone with the same kind of head, 0.020 on 8 photos.
  it('full int8: LiteRT.js runs it and gives the reference run\'s probabilities within 0.05', async () => {
    const ranges: ActivationRanges = new Map();
    calibrate(graph, images, count, ranges);
    const int8 = quantizeFull(graph, ranges, [-1, 1]);
    const pixels = Uint8Array.from(images, (v) => Math.round((v + 1) * 127.5));
    const got = await runLiteRt(writeTflite(int8), (k) => pixels.slice(k * plane, (k + 1) * plane));
    const worst = maxDiff(got, runTflite(int8, Float32Array.from(pixels), count));
    console.warn(`pair TFLite full int8 in LiteRT.js: max |LiteRT.js - reference run| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(0.05);
  });
});
