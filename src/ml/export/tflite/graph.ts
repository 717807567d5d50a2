/**
 * A TensorFlow Lite graph as plain data: what the converter builds, the writer serialises and
 * the reader gives back. No tfjs here.
 */
import type { OpName } from './schema';

export type FusedActivation = 'NONE' | 'RELU' | 'RELU6';
export type PaddingKind = 'SAME' | 'VALID';

export interface TfliteTensor {
  name: string;
  shape: number[];
  type: 'float32' | 'int32' | 'uint8' | 'int8';
  /** Constant values (weights, axes, paddings); absent for activations. */
  data?: Float32Array | Int32Array | Uint8Array | Int8Array;
  /**
   * For quantized tensors (int8 weights, int32 biases, int8 / uint8 activations): value =
   * scale[c] * (q - zeroPoint[c]), c the index along `dimension` (one scale: per tensor).
   */
  quantization?: { scale: number[]; zeroPoint: number[]; dimension: number };
}

export type TfliteOptions =
  | { kind: 'conv'; padding: PaddingKind; strideH: number; strideW: number; activation: FusedActivation }
  | { kind: 'depthwise'; padding: PaddingKind; strideH: number; strideW: number; depthMultiplier: number; activation: FusedActivation }
  | { kind: 'fullyConnected'; activation: FusedActivation }
  | { kind: 'add'; activation: FusedActivation }
  /**
   * CONCATENATION on a non-negative axis. No fused activation: TFLite's kernel refuses one (and
   * without an `activation` field GraphBuilder.activate never fuses into it).
   */
  | { kind: 'concat'; axis: number }
  | { kind: 'softmax'; beta: number }
  | { kind: 'reducer'; keepDims: boolean }
  | { kind: 'none' };

export interface TfliteOp {
  op: OpName;
  /** Tensor indices. */
  inputs: number[];
  outputs: number[];
  options: TfliteOptions;
}

export interface TfliteGraph {
  tensors: TfliteTensor[];
  ops: TfliteOp[];
  inputs: number[];
  outputs: number[];
  description: string;
  /** Named byte blobs stored in Model.metadata (e.g. the labels). */
  metadata: { name: string; data: Uint8Array }[];
}

/** The version TFLite's converter writes for each operator on int8 activations (full-integer models). */
const INT8_VERSION: Partial<Record<OpName, number>> = { CONCATENATION: 2, CONV_2D: 3, DEPTHWISE_CONV_2D: 3, FULLY_CONNECTED: 4, ADD: 2, MEAN: 2, SOFTMAX: 2, PAD: 2, RELU: 2, RELU6: 2, QUANTIZE: 2 };

/**
 * The operator version TFLite's converter would write (tensorflow/lite/tools/versioning/
 * op_version.cc): DEQUANTIZE of per-channel int8 is version 5, of per-tensor int8 version 2;
 * ops on int8 activations take their int8 version; float32 ops without dilation are version 1.
 */
export function opVersion(graph: TfliteGraph, op: TfliteOp): number {
  const input = graph.tensors[op.inputs[0] ?? -1];
  if (op.op === 'QUANTIZE') return 2;
  if (op.op !== 'DEQUANTIZE') return input?.type === 'int8' ? (INT8_VERSION[op.op] ?? 1) : 1;
  const q = input?.quantization;
  if (input?.type !== 'int8' || !q) return 1;
  return q.scale.length > 1 && q.scale.length === input.shape[q.dimension] ? 5 : 2;
}

/** Which options table each operator takes. */
export const OPTIONS_OF: Record<OpName, TfliteOptions['kind']> = {
  ADD: 'add',
  CONCATENATION: 'concat',
  CONV_2D: 'conv',
  DEPTHWISE_CONV_2D: 'depthwise',
  DEQUANTIZE: 'none',
  FULLY_CONNECTED: 'fullyConnected',
  RELU: 'none',
  RELU6: 'none',
  SOFTMAX: 'softmax',
  PAD: 'none',
  MEAN: 'reducer',
  QUANTIZE: 'none',
};
