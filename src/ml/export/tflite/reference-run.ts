/**
 * A tiny TFLite interpreter on tfjs ops, for checking exported files: runs a TfliteGraph (as read
 * back from the bytes) following TFLite's conventions (filter layouts, SAME/VALID padding,
 * fused activations). Not used by the app.
 */
import * as tf from '@tensorflow/tfjs';
import type { FusedActivation, TfliteGraph } from './graph';

function act(x: tf.Tensor, a: FusedActivation): tf.Tensor {
  return a === 'RELU' ? tf.relu(x) : a === 'RELU6' ? tf.relu6(x) : x;
}

/** value = scale[c] * (q - zeroPoint[c]), c the index along the quantized dimension. */
function dequantize(graph: TfliteGraph, index: number | undefined): Float32Array {
  const t = graph.tensors[index ?? -1];
  const q = t?.quantization;
  if (!t || t.type !== 'int8' || !(t.data instanceof Int8Array) || !q) throw new Error('DEQUANTIZE needs a quantized int8 constant');
  const data = t.data;
  const inner = t.shape.slice(q.dimension + 1).reduce((x, y) => x * y, 1);
  const channels = t.shape[q.dimension] ?? 1;
  const perChannel = q.scale.length > 1;
  return Float32Array.from(data, (v, i) => {
    const c = perChannel ? Math.floor(i / inner) % channels : 0;
    return (q.scale[c] as number) * (v - (q.zeroPoint[c] ?? 0));
  });
}

/**
 * Runs the graph on `input` (its first input's shape, with `batch` images instead of 1); returns
 * the first output's values (batch rows).
 */
export function runTflite(graph: TfliteGraph, input: Float32Array, batch = 1): Float32Array {
  return tf.tidy(() => {
    const values = new Map<number, tf.Tensor>();
    const get = (i: number | undefined): tf.Tensor => {
      if (i === undefined) throw new Error('Missing operand');
      const known = values.get(i);
      if (known) return known;
      const t = graph.tensors[i];
      if (!t?.data) throw new Error(`Tensor ${i} (${t?.name ?? '?'}) is read before it is written`);
      if (t.type === 'int8') throw new Error(`Tensor ${i} (${t.name}) is int8: it is read through DEQUANTIZE`);
      const made = tf.tensor(t.data as Float32Array | Int32Array, t.shape, t.type);
      values.set(i, made);
      return made;
    };
    const [inputIndex] = graph.inputs;
    const inputTensor = graph.tensors[inputIndex ?? -1];
    if (inputIndex === undefined || !inputTensor) throw new Error('No input');
    values.set(inputIndex, tf.tensor(input, [batch, ...inputTensor.shape.slice(1)], 'float32'));
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
        case 'DEQUANTIZE':
          y = tf.tensor(dequantize(graph, a), graph.tensors[a ?? -1]?.shape, 'float32');
          break;
      }
      const [out] = op.outputs;
      if (out === undefined) throw new Error(`${op.op} has no output`);
      const want = [...(graph.tensors[out]?.shape ?? [])];
      // Activations carry the batch in their first dimension; constants (DEQUANTIZE outputs) do not.
      if (op.op !== 'DEQUANTIZE') want[0] = batch;
      if (y.shape.join(',') !== want.join(',')) throw new Error(`${op.op} gave [${y.shape.join(', ')}], the file says [${want.join(', ')}]`);
      values.set(out, y);
    }
    return new Float32Array(get(graph.outputs[0]).dataSync());
  });
}
