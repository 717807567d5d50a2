/**
 * A tiny TFLite interpreter on tfjs ops, for checking exported files: runs a TfliteGraph (as read
 * back from the bytes) following TFLite's conventions (filter layouts, SAME/VALID padding,
 * fused activations). Quantized tensors are emulated as TFLite computes them: every quantized
 * activation holds real values on its grid (scale * (q - zeroPoint), clamped to the type's range,
 * rounded after each op), quantized weights and biases are read as scale * q. Integer kernels
 * differ from this only by their fixed-point rounding (a step now and then).
 */
import * as tf from '@tensorflow/tfjs';
import type { FusedActivation, TfliteGraph, TfliteTensor } from './graph';

function act(x: tf.Tensor, a: FusedActivation): tf.Tensor {
  return a === 'RELU' ? tf.relu(x) : a === 'RELU6' ? tf.relu6(x) : x;
}

const dequantized = new WeakMap<object, Float32Array>();

/** value = scale[c] * (q - zeroPoint[c]), c the index along the quantized dimension (kept per constant). */
function dequantize(t: TfliteTensor | undefined): Float32Array {
  const known = t?.data && dequantized.get(t.data);
  if (known) return known;
  const q = t?.quantization;
  if (!t || (t.type !== 'int8' && t.type !== 'int32' && t.type !== 'uint8') || !t.data || t.data instanceof Float32Array || !q) throw new Error('DEQUANTIZE needs a quantized constant');
  const data = t.data;
  const inner = t.shape.slice(q.dimension + 1).reduce((x, y) => x * y, 1);
  const channels = t.shape[q.dimension] ?? 1;
  const perChannel = q.scale.length > 1;
  const real = Float32Array.from(data, (v, i) => {
    const c = perChannel ? Math.floor(i / inner) % channels : 0;
    return (q.scale[c] as number) * (v - (q.zeroPoint[c] ?? 0));
  });
  dequantized.set(data, real);
  return real;
}

const RANGE = { int8: [-128, 127], uint8: [0, 255] } as const;

/** Rounds real values onto a quantized activation's grid (ties to even: float ties are rare). */
function onGrid(y: tf.Tensor, t: TfliteTensor | undefined): tf.Tensor {
  const q = t?.quantization;
  if (!t || !q || (t.type !== 'int8' && t.type !== 'uint8') || t.data) return y;
  const [lo, hi] = RANGE[t.type];
  const scale = q.scale[0] ?? 1;
  const zero = q.zeroPoint[0] ?? 0;
  return tf.mul(tf.clipByValue(tf.round(tf.div(y, scale)), lo - zero, hi - zero), scale);
}

/** Called with each tensor an op writes (and the input), for calibration. Runs inside tf.tidy. */
export type TensorObserver = (index: number, values: tf.Tensor) => void;

/**
 * Runs the graph on `input` (its first input's shape, with `batch` images instead of 1; for a
 * quantized input, its raw values, e.g. uint8 pixels); returns the first output's values (batch rows).
 */
export function runTflite(graph: TfliteGraph, input: Float32Array, batch = 1, observe?: TensorObserver): Float32Array {
  return tf.tidy(() => {
    const values = new Map<number, tf.Tensor>();
    const get = (i: number | undefined): tf.Tensor => {
      if (i === undefined) throw new Error('Missing operand');
      const known = values.get(i);
      if (known) return known;
      const t = graph.tensors[i];
      if (!t?.data) throw new Error(`Tensor ${i} (${t?.name ?? '?'}) is read before it is written`);
      // Quantized weights and biases are read as their real values; other int8 constants only through DEQUANTIZE.
      const made = t.quantization && !(t.data instanceof Float32Array) ? tf.tensor(dequantize(t), t.shape, 'float32') : t.type === 'float32' || t.type === 'int32' ? tf.tensor(t.data as Float32Array | Int32Array, t.shape, t.type) : null;
      if (!made) throw new Error(`Tensor ${i} (${t.name}) is ${t.type} without quantization`);
      values.set(i, made);
      return made;
    };
    const [inputIndex] = graph.inputs;
    const inputTensor = graph.tensors[inputIndex ?? -1];
    if (inputIndex === undefined || !inputTensor) throw new Error('No input');
    const raw = tf.tensor(input, [batch, ...inputTensor.shape.slice(1)], 'float32');
    const q = inputTensor.quantization;
    values.set(inputIndex, q && inputTensor.type !== 'float32' ? tf.mul(tf.sub(raw, q.zeroPoint[0] ?? 0), q.scale[0] ?? 1) : raw);
    observe?.(inputIndex, values.get(inputIndex) as tf.Tensor);
    for (const op of graph.ops) {
      const [a, b, c] = op.inputs;
      const o = op.options;
      let y: tf.Tensor;
      switch (op.op) {
        case 'CONV_2D': {
          if (o.kind !== 'conv') throw new Error('CONV_2D without conv options');
          const filter = tf.transpose(get(b), [1, 2, 3, 0]) as tf.Tensor4D; // [out, kh, kw, in] -> [kh, kw, in, out]
          y = act(tf.add(tf.conv2d(get(a) as tf.Tensor4D, filter, [o.strideH, o.strideW], o.padding === 'SAME' ? 'same' : 'valid'), get(c)), o.activation);
          break;
        }
        case 'DEPTHWISE_CONV_2D': {
          if (o.kind !== 'depthwise') throw new Error('DEPTHWISE_CONV_2D without depthwise options');
          const x = get(a) as tf.Tensor4D;
          const [, kh, kw, channels] = get(b).shape as number[];
          const inC = x.shape[3];
          const filter = get(b).reshape([kh ?? 0, kw ?? 0, inC, (channels ?? 0) / inC]) as tf.Tensor4D;
          y = act(tf.add(tf.depthwiseConv2d(x, filter, [o.strideH, o.strideW], o.padding === 'SAME' ? 'same' : 'valid'), get(c)), o.activation);
          break;
        }
        case 'PAD': {
          const p = Array.from(get(b).dataSync());
          y = tf.pad(get(a), [0, 1, 2, 3].map((d) => [p[2 * d] ?? 0, p[2 * d + 1] ?? 0] as [number, number]));
          break;
        }
        case 'ADD':
          if (o.kind !== 'add') throw new Error('ADD without add options');
          y = act(tf.add(get(a), get(b)), o.activation);
          break;
        case 'CONCATENATION':
          // Quantized inputs share the output's grid (quantize-full.ts sees to it), so joining is exact.
          if (o.kind !== 'concat') throw new Error('CONCATENATION without concat options');
          y = tf.concat(op.inputs.map(get), o.axis);
          break;
        case 'MEAN':
          if (o.kind !== 'reducer') throw new Error('MEAN without reducer options');
          y = tf.mean(get(a), Array.from(get(b).dataSync()), o.keepDims);
          break;
        case 'FULLY_CONNECTED': {
          if (o.kind !== 'fullyConnected') throw new Error('FULLY_CONNECTED without options');
          const w = get(b);
          const x = get(a).reshape([-1, w.shape[1] ?? 0]);
          y = act(tf.add(tf.matMul(x, w, false, true), c === undefined || c < 0 ? 0 : get(c)), o.activation);
          break;
        }
        case 'SOFTMAX':
          if (o.kind !== 'softmax') throw new Error('SOFTMAX without softmax options');
          y = tf.softmax(tf.mul(get(a), o.beta));
          break;
        case 'RELU':
          y = tf.relu(get(a));
          break;
        case 'RELU6':
          y = tf.relu6(get(a));
          break;
        case 'DEQUANTIZE': {
          const from = graph.tensors[a ?? -1];
          // A constant (int8 weights) or an activation, which already holds its real values.
          y = from?.data ? tf.tensor(dequantize(from), from.shape, 'float32') : get(a);
          break;
        }
        case 'QUANTIZE':
          y = get(a);
          break;
      }
      const [out] = op.outputs;
      if (out === undefined) throw new Error(`${op.op} has no output`);
      const want = [...(graph.tensors[out]?.shape ?? [])];
      // Activations carry the batch in their first dimension; constants (DEQUANTIZE outputs) do not.
      if (op.op !== 'DEQUANTIZE' || !graph.tensors[a ?? -1]?.data) want[0] = batch;
      if (y.shape.join(',') !== want.join(',')) throw new Error(`${op.op} gave [${y.shape.join(', ')}], the file says [${want.join(', ')}]`);
      y = onGrid(y, graph.tensors[out]);
      values.set(out, y);
      observe?.(out, y);
    }
    return new Float32Array(get(graph.outputs[0]).dataSync());
  });
}
