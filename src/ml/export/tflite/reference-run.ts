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

/** Runs the graph on `input` (its first input's shape); returns the first output's values. */
export function runTflite(graph: TfliteGraph, input: Float32Array): Float32Array {
  return tf.tidy(() => {
    const values = new Map<number, tf.Tensor>();
    const get = (i: number | undefined): tf.Tensor => {
      if (i === undefined) throw new Error('Missing operand');
      const known = values.get(i);
      if (known) return known;
      const t = graph.tensors[i];
      if (!t?.data) throw new Error(`Tensor ${i} (${t?.name ?? '?'}) is read before it is written`);
      const made = tf.tensor(t.data, t.shape, t.type);
      values.set(i, made);
      return made;
    };
    const [inputIndex] = graph.inputs;
    const inputTensor = graph.tensors[inputIndex ?? -1];
    if (inputIndex === undefined || !inputTensor) throw new Error('No input');
    values.set(inputIndex, tf.tensor(input, inputTensor.shape, 'float32'));
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
      }
      const [out] = op.outputs;
      if (out === undefined) throw new Error(`${op.op} has no output`);
      const want = graph.tensors[out]?.shape ?? [];
      if (y.shape.join(',') !== want.join(',')) throw new Error(`${op.op} gave [${y.shape.join(', ')}], the file says [${want.join(', ')}]`);
      values.set(out, y);
    }
    return new Float32Array(get(graph.outputs[0]).dataSync());
  });
}
