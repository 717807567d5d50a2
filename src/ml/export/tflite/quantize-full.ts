/**
 * Full-integer post-training quantisation, as TFLite's converter does it with a representative
 * dataset: every activation becomes int8 with one scale and zero point from the range it took on
 * calibration photos (min/max, widened to hold 0); convolution filters are int8 per output
 * channel, fully-connected weights int8 per tensor, biases int32 at input scale x weight scale.
 * The input is uint8 pixels (QUANTIZE re-centres them to int8), the output float32 probabilities
 * (DEQUANTIZE of the int8 softmax, whose scale TFLite fixes at 1/256).
 */
import type { TfliteGraph, TfliteOp, TfliteTensor } from './graph';
import { quantizePerChannel } from './quantize';
import { runTflite } from './reference-run';

/** Per activation tensor (index in the float graph): the smallest and largest value seen. */
export type ActivationRanges = Map<number, [number, number]>;

/**
 * Runs the float graph on a batch of images (values in the backbone's range) and widens
 * `ranges` to every value each activation took.
 */
export function calibrate(graph: TfliteGraph, images: Float32Array, batch: number, ranges: ActivationRanges): void {
  runTflite(graph, images, batch, (index, values) => {
    if (graph.tensors[index]?.data) return;
    const lo = values.min().dataSync()[0] ?? 0;
    const hi = values.max().dataSync()[0] ?? 0;
    const had = ranges.get(index);
    ranges.set(index, had ? [Math.min(had[0], lo), Math.max(had[1], hi)] : [lo, hi]);
  });
}

type Quant = NonNullable<TfliteTensor['quantization']>;

/** Asymmetric int8 parameters for values in [lo, hi] (widened to hold 0, so that 0 is exact). */
export function int8Params(lo: number, hi: number): Quant {
  const min = Math.min(lo, 0);
  const max = Math.max(hi, 0);
  const scale = Math.fround(Math.max(max - min, 1e-6) / 255);
  const zeroPoint = Math.max(-128, Math.min(127, Math.round(-128 - min / scale)));
  return { scale: [scale], zeroPoint: [zeroPoint], dimension: 0 };
}

const perTensor = (scale: number, zeroPoint: number): Quant => ({ scale: [Math.fround(scale)], zeroPoint: [zeroPoint], dimension: 0 });

/** Symmetric int8 weights along `axis` (null: one scale for the whole tensor). */
function quantizeWeights(t: TfliteTensor, axis: number | null): { tensor: TfliteTensor; scale: number[] } {
  if (!(t.data instanceof Float32Array)) throw new Error(`Weights ${t.name} are not float32`);
  const { q, scale } = axis === null ? quantizePerChannel(t.data, [1, t.data.length], 0) : quantizePerChannel(t.data, t.shape, axis);
  return { tensor: { name: t.name, shape: [...t.shape], type: 'int8', data: q, quantization: { scale, zeroPoint: scale.map(() => 0), dimension: axis ?? 0 } }, scale };
}

/** int32 bias at scale inputScale * weightScale[c]. */
function quantizeBias(t: TfliteTensor | undefined, inputScale: number, weightScale: number[], channels: number): TfliteTensor {
  const values = t?.data instanceof Float32Array ? t.data : new Float32Array(channels);
  const scale = Array.from({ length: channels }, (_, c) => Math.fround(inputScale * (weightScale.length > 1 ? (weightScale[c] as number) : (weightScale[0] as number))));
  const data = Int32Array.from(values, (v, c) => Math.round(v / (scale[c] as number)));
  return { name: t?.name ?? 'bias', shape: [channels], type: 'int32', data, quantization: { scale: weightScale.length > 1 ? scale : [scale[0] as number], zeroPoint: (weightScale.length > 1 ? scale : [0]).map(() => 0), dimension: 0 } };
}

/**
 * The full-integer version of a float graph (as toTfliteGraph builds it: one image input in
 * `inputRange`, one output, probabilities after a SOFTMAX or an embedding). `ranges` come from
 * calibrate() on the same graph.
 */
export function quantizeFull(graph: TfliteGraph, ranges: ActivationRanges, inputRange: readonly [number, number]): TfliteGraph {
  const tensors: TfliteTensor[] = graph.tensors.map((t) => ({ ...t, shape: [...t.shape] }));
  const [inputIndex] = graph.inputs;
  const [outputIndex] = graph.outputs;
  const input = tensors[inputIndex ?? -1];
  const output = tensors[outputIndex ?? -1];
  if (inputIndex === undefined || outputIndex === undefined || !input || !output) throw new Error('Full-integer export: the graph needs one input and one output');
  const last = graph.ops.at(-1);
  if (last?.outputs[0] !== outputIndex) throw new Error('Full-integer export: the last op must write the output');

  // The uint8 pixels: [lo, hi] over 0..255 (for [-1, 1]: scale 2/255, zero point 128).
  const [lo, hi] = inputRange;
  const pixelScale = (hi - lo) / 255;
  const pixelZero = Math.round(-lo / pixelScale);
  const pixels = tensors.push({ name: input.name, shape: [...input.shape], type: 'uint8', quantization: perTensor(pixelScale, pixelZero) }) - 1;
  tensors[inputIndex] = { name: `${input.name}_int8`, shape: [...input.shape], type: 'int8', quantization: perTensor(pixelScale, pixelZero - 128) };

  // Every other activation: int8 from its calibrated range.
  const produced = new Set(graph.ops.flatMap((o) => o.outputs));
  for (const i of produced) {
    const t = tensors[i];
    if (!t || t.data || i === outputIndex) continue;
    const range = ranges.get(i);
    if (!range) throw new Error(`Full-integer export: no calibrated range for ${t.name}`);
    tensors[i] = { ...t, type: 'int8', quantization: int8Params(range[0], range[1]) };
  }
  const joined = shareConcatParams(graph, tensors, ranges);
  // TFLite's int8 softmax writes scale 1/256, zero point -128; DEQUANTIZE gives the float probabilities.
  const outRange = ranges.get(outputIndex);
  if (last.op !== 'SOFTMAX' && !outRange) throw new Error('Full-integer export: no calibrated range for the output');
  const outQuant = joined.get(outputIndex) ?? (last.op === 'SOFTMAX' || !outRange ? perTensor(1 / 256, -128) : int8Params(outRange[0], outRange[1]));
  const probabilities8 = tensors.push({ name: `${output.name}_int8`, shape: [...output.shape], type: 'int8', quantization: outQuant }) - 1;

  const ops: TfliteOp[] = [{ op: 'QUANTIZE', inputs: [pixels], outputs: [inputIndex], options: { kind: 'none' } }];
  for (const op of graph.ops) {
    const o: TfliteOp = { ...op, inputs: [...op.inputs], outputs: op.outputs.map((x) => (x === outputIndex ? probabilities8 : x)) };
    const [x, w, b] = op.inputs;
    const inQuant = tensors[x ?? -1]?.quantization;
    if (op.op === 'CONV_2D' || op.op === 'DEPTHWISE_CONV_2D' || op.op === 'FULLY_CONNECTED') {
      const weights = tensors[w ?? -1];
      if (!weights || !inQuant || w === undefined) throw new Error(`Full-integer export: ${op.op} without weights or a quantized input`);
      const axis = op.op === 'CONV_2D' ? 0 : op.op === 'DEPTHWISE_CONV_2D' ? 3 : null;
      const q = quantizeWeights(weights, axis);
      const channels = weights.shape[axis ?? 0] ?? 0;
      const wi = tensors.push(q.tensor) - 1;
      const bi = tensors.push(quantizeBias(b === undefined || b < 0 ? undefined : tensors[b], inQuant.scale[0] as number, q.scale, channels)) - 1;
      o.inputs = [x as number, wi, bi];
    } else if (op.op === 'PAD') {
      // TFLite pads int8 with the zero point and keeps the input's parameters.
      const out = tensors[op.outputs[0] ?? -1];
      if (out && inQuant) out.quantization = { ...inQuant, scale: [...inQuant.scale], zeroPoint: [...inQuant.zeroPoint] };
    } else if (op.op === 'DEQUANTIZE' || op.op === 'QUANTIZE') {
      throw new Error('Full-integer export: quantize the float graph, not an int8-weights one');
    }
    ops.push(o);
  }
  ops.push({ op: 'DEQUANTIZE', inputs: [probabilities8], outputs: [outputIndex], options: { kind: 'none' } });
  tensors[outputIndex] = { name: output.name, shape: [...output.shape], type: 'float32' };
  return dropUnused({ ...graph, tensors, ops, inputs: [pixels], outputs: [outputIndex] });
}

/** Ops whose int8 kernels rescale to any output parameters (so an input of a CONCATENATION may take the concatenation's). */
const RESCALING = new Set<TfliteOp['op']>(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'ADD', 'MEAN', 'RELU', 'RELU6']);

/**
 * TFLite's int8 CONCATENATION does not rescale: its inputs and its output must share one scale
 * and zero point (the converter arranges it; the kernel checks it). Each CONCATENATION gets the
 * parameters of the union of its inputs' and output's calibrated ranges, and so do its inputs,
 * whose producers (convolutions, MEAN, ...) then write straight onto that grid. An input written
 * by an op with fixed output parameters (the image, PAD, SOFTMAX, another CONCATENATION) or read
 * by two CONCATENATIONs is refused. Sets `tensors` (activations already int8); returns the
 * parameters per CONCATENATION output (for the graph output, which the caller replaces).
 */
function shareConcatParams(graph: TfliteGraph, tensors: TfliteTensor[], ranges: ActivationRanges): Map<number, Quant> {
  const producer = new Map(graph.ops.flatMap((op) => op.outputs.map((o) => [o, op] as const)));
  const joinedBy = new Map<number, number>();
  const shared = new Map<number, Quant>();
  for (const op of graph.ops) {
    if (op.op !== 'CONCATENATION') continue;
    const out = op.outputs[0] ?? -1;
    const name = tensors[out]?.name ?? String(out);
    let [lo, hi] = [0, 0];
    for (const i of [...op.inputs, out]) {
      const range = ranges.get(i);
      if (!range) throw new Error(`Full-integer export: no calibrated range for ${tensors[i]?.name ?? i}`);
      [lo, hi] = [Math.min(lo, range[0]), Math.max(hi, range[1])];
    }
    const quant = int8Params(lo, hi);
    for (const i of op.inputs) {
      const t = tensors[i];
      const from = producer.get(i)?.op;
      const why = !from || !t ? 'the image input' : !RESCALING.has(from) ? `a ${from} op` : joinedBy.has(i) && joinedBy.get(i) !== out ? 'an input of another CONCATENATION' : null;
      if (why || !t) {
        throw new Error(`Full-integer export: CONCATENATION ${name} joins ${t?.name ?? i}, written by ${why ?? '?'}, which cannot take the concatenation's scale and zero point (TFLite's int8 CONCATENATION needs its inputs and output on one scale and zero point)`);
      }
      joinedBy.set(i, out);
      tensors[i] = { ...t, quantization: { ...quant, scale: [...quant.scale], zeroPoint: [...quant.zeroPoint] } };
    }
    const t = tensors[out];
    if (t && !t.data) tensors[out] = { ...t, type: 'int8', quantization: { ...quant, scale: [...quant.scale], zeroPoint: [...quant.zeroPoint] } };
    shared.set(out, quant);
  }
  return shared;
}

/** Drops the float weights the int8 ones replaced, renumbering tensor indices. */
function dropUnused(graph: TfliteGraph): TfliteGraph {
  const used = new Set<number>([...graph.inputs, ...graph.outputs, ...graph.ops.flatMap((o) => [...o.inputs, ...o.outputs])]);
  const renumber = new Map<number, number>();
  const tensors: TfliteTensor[] = [];
  graph.tensors.forEach((t, i) => {
    if (used.has(i)) renumber.set(i, tensors.push(t) - 1);
  });
  const map = (i: number) => renumber.get(i) as number;
  return { ...graph, tensors, ops: graph.ops.map((o) => ({ ...o, inputs: o.inputs.map(map), outputs: o.outputs.map(map) })), inputs: graph.inputs.map(map), outputs: graph.outputs.map(map) };
}
