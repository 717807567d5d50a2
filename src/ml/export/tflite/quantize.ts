/**
 * Post-training weight quantisation: every CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED weight
 * tensor becomes int8, symmetric, one scale per output channel (scale = max |w| / 127, zero point
 * 0), read through a DEQUANTIZE op. Compute stays float32; the file is about 4x smaller.
 */
import type { TfliteGraph, TfliteOp, TfliteTensor } from './graph';

/** The axis of a weight tensor that holds the output channels. */
function outputAxis(op: TfliteOp): number | null {
  if (op.op === 'CONV_2D' || op.op === 'FULLY_CONNECTED') return 0;
  if (op.op === 'DEPTHWISE_CONV_2D') return 3;
  return null;
}

/** Symmetric per-channel int8 values and scales of float weights along `axis`. */
export function quantizePerChannel(values: Float32Array, shape: readonly number[], axis: number): { q: Int8Array; scale: number[] } {
  const channels = shape[axis] ?? 1;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const maxAbs = new Float64Array(channels);
  values.forEach((v, i) => {
    const c = channelOf(i);
    maxAbs[c] = Math.max(maxAbs[c] as number, Math.abs(v));
  });
  const scale = Array.from(maxAbs, (m) => (m > 0 ? Math.fround(m / 127) : 1));
  const q = new Int8Array(values.length);
  values.forEach((v, i) => {
    q[i] = Math.max(-127, Math.min(127, Math.round(v / (scale[channelOf(i)] as number))));
  });
  return { q, scale };
}

/** A copy of `graph` with int8 weights behind DEQUANTIZE ops (run first, in weight order). */
export function quantizeWeights(graph: TfliteGraph): TfliteGraph {
  const tensors: TfliteTensor[] = graph.tensors.map((t) => ({ ...t, shape: [...t.shape] }));
  const dequantize: TfliteOp[] = [];
  for (const op of graph.ops) {
    const axis = outputAxis(op);
    const w = op.inputs[1];
    const weights = w === undefined ? undefined : tensors[w];
    if (axis === null || w === undefined || !weights || !(weights.data instanceof Float32Array)) continue;
    const { q, scale } = quantizePerChannel(weights.data, weights.shape, axis);
    const int8 = tensors.push({ name: `${weights.name}_int8`, shape: [...weights.shape], type: 'int8', data: q, quantization: { scale, zeroPoint: scale.map(() => 0), dimension: axis } }) - 1;
    // The float tensor the op reads is now DEQUANTIZE's output.
    tensors[w] = { name: weights.name, shape: [...weights.shape], type: 'float32' };
    dequantize.push({ op: 'DEQUANTIZE', inputs: [int8], outputs: [w], options: { kind: 'none' } });
  }
  return { ...graph, tensors, ops: [...dequantize, ...graph.ops.map((o) => ({ ...o, inputs: [...o.inputs], outputs: [...o.outputs] }))] };
}
