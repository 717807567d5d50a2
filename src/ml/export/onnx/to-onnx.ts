/**
 * The TFLite export's graph (backbone with BatchNorm folded + head, float32) written as an ONNX
 * model (opset 13, IR version 7), for onnxruntime, OpenCV DNN, Windows ML and the like. The
 * model takes the same input as the other exports, a [N, 224, 224, 3] float32 RGB image (NHWC)
 * in the backbone's range, and transposes it to ONNX's NCHW once; it returns [N, classes]
 * softmax probabilities. Labels and preprocessing go into metadata_props. No tfjs here.
 */
import { samePadding } from '../tflite/lower-layers';
import type { FusedActivation, TfliteGraph } from '../tflite/graph';
import { ProtoWriter } from './protobuf';

const OPSET = 13;
const IR_VERSION = 7;
const FLOAT = 1;
const INT64 = 7;

/** ONNX AttributeProto types. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

export interface OnnxSource {
  graph: TfliteGraph;
  labels: readonly string[];
  /** Free-form metadata_props (e.g. input range, backbone); labels are added as `labels` (JSON). */
  metadata: Record<string, string>;
  producerVersion: string;
}

type Attr = { name: string } & ({ f: number } | { i: number } | { ints: number[] });

function attribute(a: Attr): ProtoWriter {
  const w = new ProtoWriter().string(1, a.name);
  if ('f' in a) return w.float(2, a.f).int(20, ATTR_FLOAT);
  if ('i' in a) return w.int(3, a.i).int(20, ATTR_INT);
  return w.packedInts(8, a.ints).int(20, ATTR_INTS);
}

function tensorProto(name: string, dims: number[], data: Float32Array | number[], type: typeof FLOAT | typeof INT64): ProtoWriter {
  const w = new ProtoWriter().packedInts(1, dims).int(2, type).string(8, name);
  if (type === FLOAT) {
    const f = data instanceof Float32Array ? data : Float32Array.from(data);
    const raw = new Uint8Array(f.length * 4);
    const view = new DataView(raw.buffer);
    f.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return w.bytes(9, raw);
  }
  const raw = new Uint8Array(data.length * 8);
  const view = new DataView(raw.buffer);
  Array.from(data).forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return w.bytes(9, raw);
}

function valueInfo(name: string, dims: (number | string)[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

/** NHWC [O, kh, kw, I] (TFLite conv filter) -> ONNX [O, I, kh, kw]. */
function convWeights(data: Float32Array, [o, kh, kw, i]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let a = 0; a < o!; a++) for (let y = 0; y < kh!; y++) for (let x = 0; x < kw!; x++) for (let c = 0; c < i!; c++) out[((a * i! + c) * kh! + y) * kw! + x] = data[((a * kh! + y) * kw! + x) * i! + c] as number;
  return out;
}

/** TFLite depthwise filter [1, kh, kw, C*m] -> ONNX grouped-conv weights [C*m, 1, kh, kw]. */
function depthwiseWeights(data: Float32Array, [, kh, kw, n]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh!; y++) for (let x = 0; x < kw!; x++) for (let o = 0; o < n!; o++) out[(o * kh! + y) * kw! + x] = data[(y * kw! + x) * n! + o] as number;
  return out;
}

/** Converts the graph; throws for an operator that has no translation here (int8 graphs included). */
export function toOnnx({ graph, labels, metadata, producerVersion }: OnnxSource): Uint8Array {
  const nodes: ProtoWriter[] = [];
  const initializers: ProtoWriter[] = [];
  let counter = 0;
  const fresh = (base: string) => `${base}__${counter++}`;
  const nameOf = new Map<number, string>();
  const tensor = (i: number | undefined) => {
    const t = graph.tensors[i ?? -1];
    if (!t) throw new Error(`ONNX export: no tensor ${i}`);
    return t;
  };
  const read = (i: number | undefined) => {
    const n = nameOf.get(i ?? -1);
    if (n === undefined) throw new Error(`ONNX export: tensor ${i} (${tensor(i).name}) is read before it is written`);
    return n;
  };
  const node = (op: string, inputs: string[], outputs: string[], attrs: Attr[] = []) => {
    const w = new ProtoWriter();
    for (const i of inputs) w.string(1, i);
    for (const o of outputs) w.string(2, o);
    w.string(3, fresh(op)).string(4, op);
    for (const a of attrs) w.message(5, attribute(a));
    nodes.push(w);
  };
  const init = (base: string, dims: number[], data: Float32Array | number[], type: typeof FLOAT | typeof INT64 = FLOAT) => {
    const name = fresh(base);
    initializers.push(tensorProto(name, dims, data, type));
    return name;
  };
  const clip6 = { min: init('zero', [], [0]), max: init('six', [], [6]) };
  /** Applies a fused activation to `x` (written as `out`). */
  const activate = (x: string, activation: FusedActivation, out: string) => {
    if (activation === 'RELU') node('Relu', [x], [out]);
    else if (activation === 'RELU6') node('Clip', [x, clip6.min, clip6.max], [out]);
    else node('Identity', [x], [out]);
  };

  const [inputIndex] = graph.inputs;
  const input = tensor(inputIndex);
  const [, height, width, channels] = input.shape;
  nameOf.set(inputIndex ?? -1, 'image_nchw');
  node('Transpose', ['image'], ['image_nchw'], [{ name: 'perm', ints: [0, 3, 1, 2] }]);

  for (const op of graph.ops) {
    const [a, b, c] = op.inputs;
    const outIndex = op.outputs[0];
    const out = `${tensor(outIndex).name}__out${outIndex}`;
    const o = op.options;
    switch (op.op) {
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        if (o.kind !== 'conv' && o.kind !== 'depthwise') throw new Error(`${op.op} without its options`);
        const x = tensor(a);
        const w = tensor(b);
        if (!(w.data instanceof Float32Array)) throw new Error('ONNX export: convolution weights must be float32 (export the float model)');
        const [, inH, inW, inC] = x.shape as [number, number, number, number];
        const [kh, kw] = [w.shape[1] ?? 1, w.shape[2] ?? 1];
        const [top, bottom] = o.padding === 'SAME' ? samePadding(inH, kh, o.strideH) : [0, 0];
        const [left, right] = o.padding === 'SAME' ? samePadding(inW, kw, o.strideW) : [0, 0];
        const depthwise = op.op === 'DEPTHWISE_CONV_2D';
        const weights = depthwise ? depthwiseWeights(w.data, w.shape) : convWeights(w.data, w.shape);
        const dims = depthwise ? [w.shape[3] ?? 0, 1, kh, kw] : [w.shape[0] ?? 0, w.shape[3] ?? 0, kh, kw];
        const bias = tensor(c).data;
        if (!(bias instanceof Float32Array)) throw new Error('ONNX export: a convolution without float32 bias');
        const conv = fresh('conv');
        node('Conv', [read(a), init(`${w.name}`, dims, weights), init(`${tensor(c).name}`, [bias.length], bias)], [conv], [
          { name: 'kernel_shape', ints: [kh, kw] },
          { name: 'strides', ints: [o.strideH, o.strideW] },
          { name: 'pads', ints: [top, left, bottom, right] },
          { name: 'group', i: depthwise ? inC : 1 },
        ]);
        activate(conv, o.activation, out);
        break;
      }
      case 'PAD': {
        const p = Array.from(tensor(b).data ?? []); // NHWC [[n0,n1],[h0,h1],[w0,w1],[c0,c1]]
        const pads = [p[0], p[6], p[2], p[4], p[1], p[7], p[3], p[5]].map((v) => v ?? 0); // NCHW begins, then ends
        node('Pad', [read(a), init('pads', [8], pads, INT64)], [out]);
        break;
      }
      case 'ADD': {
        if (o.kind !== 'add') throw new Error('ADD without its options');
        const sum = fresh('add');
        node('Add', [read(a), read(b)], [sum]);
        activate(sum, o.activation, out);
        break;
      }
      case 'CONCATENATION': {
        if (o.kind !== 'concat') throw new Error('CONCATENATION without its options');
        // Rank-4 tensors are NCHW here (NHWC in TFLite): axis 1, 2, 3 -> 2, 3, 1. Rank 2 ([N, C]) is the same in both.
        const rank = tensor(outIndex).shape.length;
        const axis = o.axis < 0 ? o.axis + rank : o.axis;
        node('Concat', op.inputs.map(read), [out], [{ name: 'axis', i: rank === 4 ? ([0, 2, 3, 1][axis] ?? axis) : axis }]);
        break;
      }
      case 'MEAN': {
        if (o.kind !== 'reducer') throw new Error('MEAN without its options');
        const axes = Array.from(tensor(b).data ?? []);
        if (axes.join(',') !== '1,2') throw new Error(`ONNX export: MEAN over axes ${axes.join(',')} (only the spatial mean is expected)`);
        if (o.keepDims) throw new Error('ONNX export: MEAN with keepDims (the NCHW layout would differ)');
        node('ReduceMean', [read(a)], [out], [
          { name: 'axes', ints: [2, 3] },
          { name: 'keepdims', i: o.keepDims ? 1 : 0 },
        ]);
        break;
      }
      case 'FULLY_CONNECTED': {
        if (o.kind !== 'fullyConnected') throw new Error('FULLY_CONNECTED without its options');
        const w = tensor(b);
        if (!(w.data instanceof Float32Array)) throw new Error('ONNX export: dense weights must be float32');
        const inputs = [read(a), init(w.name, w.shape, w.data)];
        const bias = c === undefined || c < 0 ? null : tensor(c).data;
        if (bias instanceof Float32Array) inputs.push(init(tensor(c).name, [bias.length], bias));
        const gemm = fresh('gemm');
        node('Gemm', inputs, [gemm], [{ name: 'transB', i: 1 }]);
        activate(gemm, o.activation, out);
        break;
      }
      case 'SOFTMAX': {
        if (o.kind !== 'softmax') throw new Error('SOFTMAX without its options');
        if (o.beta === 1) node('Softmax', [read(a)], [out], [{ name: 'axis', i: 1 }]);
        else {
          const scaled = fresh('scaled');
          node('Mul', [read(a), init('beta', [], [o.beta])], [scaled]);
          node('Softmax', [scaled], [out], [{ name: 'axis', i: 1 }]);
        }
        break;
      }
      case 'RELU':
      case 'RELU6':
        activate(read(a), op.op, out);
        break;
      default:
        throw new Error(`ONNX export: ${op.op} has no ONNX translation here`);
    }
    nameOf.set(outIndex ?? -1, out);
  }
  const [outputIndex] = graph.outputs;
  node('Identity', [read(outputIndex)], ['probabilities']);

  const g = new ProtoWriter();
  for (const n of nodes) g.message(1, n);
  g.string(2, 'transfer_studio');
  for (const i of initializers) g.message(5, i);
  g.message(11, valueInfo('image', ['batch', height ?? 224, width ?? 224, channels ?? 3]));
  g.message(12, valueInfo('probabilities', ['batch', labels.length]));

  const model = new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, 'Transfer Studio')
    .string(3, producerVersion)
    .string(6, graph.description)
    .message(7, g)
    .message(8, new ProtoWriter().string(1, '').int(2, OPSET));
  for (const [key, value] of Object.entries({ labels: JSON.stringify(labels), ...metadata })) model.message(14, new ProtoWriter().string(1, key).string(2, value));
  return model.finish();
}
