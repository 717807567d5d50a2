/**
 * Lowers the layers of our backbones and heads to TFLite operators. Handles exactly what the
 * three layers backbones (MobileNetV1 0.75, MobileNetV2 1.0 and 0.35) and the dense head contain;
 * any other layer or setting is refused with its name.
 */
import type * as tf from '@tensorflow/tfjs';
import type { FusedActivation, PaddingKind } from './graph';
import type { GraphBuilder } from './graph-builder';

type Layer = tf.layers.Layer;
type Config = Record<string, unknown>;

export class UnsupportedLayerError extends Error {
  constructor(layer: Layer, why: string) {
    super(`TFLite export: layer ${layer.name} (${layer.getClassName()}) ${why}`);
    this.name = 'UnsupportedLayerError';
  }
}

/** A layer's weight values by short name ('kernel', 'bias', 'gamma', ...). */
export async function weightsOf(layer: Layer): Promise<Map<string, { shape: number[]; values: Float32Array }>> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const w of layer.weights) {
    const value = w.read();
    const short = w.originalName.split('/').pop() ?? w.originalName;
    out.set(short, { shape: [...value.shape], values: new Float32Array(await value.data()) });
  }
  return out;
}

function need<T>(value: T | undefined, layer: Layer, what: string): T {
  if (value === undefined) throw new UnsupportedLayerError(layer, `has no ${what}`);
  return value;
}

/** Keras activation name -> fused activation; softmax is handled by the caller. */
export function activationOf(layer: Layer, name: unknown): FusedActivation | 'softmax' {
  switch (name) {
    case undefined:
    case null:
    case 'linear':
      return 'NONE';
    case 'relu':
      return 'RELU';
    case 'relu6':
      return 'RELU6';
    case 'softmax':
      return 'softmax';
    default:
      throw new UnsupportedLayerError(layer, `has activation ${String(name)}, not linear, relu, relu6 or softmax`);
  }
}

function pair(layer: Layer, v: unknown, what: string): [number, number] {
  const a = Array.isArray(v) ? v : [v, v];
  if (a.length !== 2 || !a.every((x) => Number.isInteger(x))) throw new UnsupportedLayerError(layer, `has ${what} ${JSON.stringify(v)}`);
  return [a[0] as number, a[1] as number];
}

function checkConv(layer: Layer, cfg: Config): { padding: PaddingKind; strides: [number, number]; kernel: [number, number] } {
  if ((cfg.dataFormat ?? 'channelsLast') !== 'channelsLast') throw new UnsupportedLayerError(layer, `has data format ${String(cfg.dataFormat)}`);
  const dilation = pair(layer, cfg.dilationRate ?? 1, 'dilation rate');
  if (dilation[0] !== 1 || dilation[1] !== 1) throw new UnsupportedLayerError(layer, 'is dilated');
  if (cfg.groups !== undefined && cfg.groups !== 1) throw new UnsupportedLayerError(layer, 'is grouped');
  if (cfg.padding !== 'same' && cfg.padding !== 'valid') throw new UnsupportedLayerError(layer, `has padding ${String(cfg.padding)}`);
  return { padding: cfg.padding === 'same' ? 'SAME' : 'VALID', strides: pair(layer, cfg.strides ?? 1, 'strides'), kernel: pair(layer, cfg.kernelSize, 'kernel size') };
}

/** TensorFlow's SAME padding (before, after) along one axis. */
export function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * A VALID convolution reading a zero-padded tensor is a SAME convolution of the unpadded one when
 * the padding is what SAME would add: then the PAD op is dropped (MobileNetV2's ZeroPadding2D).
 */
function foldPadding(g: GraphBuilder, input: number, kernel: [number, number], strides: [number, number]): number | null {
  const pad = g.producerOf(input);
  if (!pad || pad.op.op !== 'PAD' || g.readers.get(input) !== 1) return null;
  const [src, paddings] = pad.op.inputs.map((i) => g.tensors[i]);
  const p = paddings?.data;
  if (!src || !p) return null;
  const [, h, w] = src.shape;
  if (h === undefined || w === undefined) return null;
  const [top, bottom] = samePadding(h, kernel[0], strides[0]);
  const [left, right] = samePadding(w, kernel[1], strides[1]);
  const wanted = [0, 0, top, bottom, left, right, 0, 0];
  if (!wanted.every((v, i) => p[i] === v)) return null;
  g.removeOp(pad.index);
  return pad.op.inputs[0] ?? null;
}

/** The output shape of a layer, batch 1. */
export function shapeOf(layer: Layer): number[] {
  const shape = layer.outputShape;
  if (!Array.isArray(shape) || Array.isArray(shape[0])) throw new UnsupportedLayerError(layer, 'has several outputs');
  return (shape as (number | null)[]).map((d) => d ?? 1);
}

/** Conv2D / DepthwiseConv2D: one CONV_2D / DEPTHWISE_CONV_2D with its activation fused. Returns the output tensor. */
export async function lowerConv(g: GraphBuilder, layer: Layer, input: number, readers: number): Promise<number> {
  const cfg = layer.getConfig() as Config;
  const { padding, strides, kernel } = checkConv(layer, cfg);
  const depthwise = layer.getClassName() === 'DepthwiseConv2D';
  const weights = await weightsOf(layer);
  const k = need(weights.get(depthwise ? 'depthwise_kernel' : 'kernel'), layer, 'kernel');
  const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
  const outChannels = depthwise ? cin * cout : cout;
  const bias = weights.get('bias')?.values ?? new Float32Array(outChannels);
  let filter: Float32Array;
  if (depthwise) {
    // Keras [kh, kw, in, multiplier] is TFLite's [1, kh, kw, in * multiplier] (channel c * m + j).
    filter = k.values;
  } else {
    // Keras [kh, kw, in, out] -> TFLite [out, kh, kw, in].
    filter = new Float32Array(k.values.length);
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++) filter[((o * kh + y) * kw + x) * cin + i] = k.values[((y * kw + x) * cin + i) * cout + o] as number;
  }
  let from = input;
  let pad = padding;
  if (padding === 'VALID') {
    const unpadded = foldPadding(g, input, kernel, strides);
    if (unpadded !== null) [from, pad] = [unpadded, 'SAME'];
  }
  const f = g.constant(`${layer.name}/filter`, depthwise ? [1, kh, kw, outChannels] : [cout, kh, kw, cin], filter);
  const b = g.constant(`${layer.name}/bias`, [outChannels], bias);
  const activation = activationOf(layer, cfg.activation);
  if (activation === 'softmax') throw new UnsupportedLayerError(layer, 'has a softmax activation');
  const out = g.addTensor({ name: layer.name, shape: shapeOf(layer), type: 'float32' }, readers);
  const options = depthwise
    ? { kind: 'depthwise' as const, padding: pad, strideH: strides[0], strideW: strides[1], depthMultiplier: cout, activation }
    : { kind: 'conv' as const, padding: pad, strideH: strides[0], strideW: strides[1], activation };
  g.addOp({ op: depthwise ? 'DEPTHWISE_CONV_2D' : 'CONV_2D', inputs: [from, f, b], outputs: [out], options });
  return out;
}

/** BatchNormalization folded into the convolution before it: w' = w * s, b' = (b - mean) * s + beta, s = gamma / sqrt(var + eps). */
export async function foldBatchNorm(g: GraphBuilder, layer: Layer, input: number, readers: number): Promise<number> {
  const cfg = layer.getConfig() as Config;
  if (cfg.axis !== -1 && cfg.axis !== 3) throw new UnsupportedLayerError(layer, `normalises axis ${String(cfg.axis)}, not the channels`);
  const conv = g.producerOf(input);
  const o = conv?.op.options;
  if (!conv || !o || (o.kind !== 'conv' && o.kind !== 'depthwise') || o.activation !== 'NONE' || g.readers.get(input) !== 1) {
    throw new UnsupportedLayerError(layer, 'does not follow a convolution it can be folded into');
  }
  const w = await weightsOf(layer);
  const mean = need(w.get('moving_mean'), layer, 'moving mean').values;
  const variance = need(w.get('moving_variance'), layer, 'moving variance').values;
  const gamma = w.get('gamma')?.values;
  const beta = w.get('beta')?.values;
  const eps = typeof cfg.epsilon === 'number' ? cfg.epsilon : 1e-3;
  const scale = Float64Array.from(variance, (v, c) => (gamma ? (gamma[c] as number) : 1) / Math.sqrt(v + eps));
  const filter = g.tensors[conv.op.inputs[1] ?? -1]?.data;
  const bias = g.tensors[conv.op.inputs[2] ?? -1]?.data;
  if (!(filter instanceof Float32Array) || !(bias instanceof Float32Array) || bias.length !== scale.length) throw new UnsupportedLayerError(layer, 'does not match its convolution');
  const channels = scale.length;
  const perOut = filter.length / channels;
  for (let i = 0; i < filter.length; i++) {
    // CONV_2D filters are [out, kh, kw, in]; DEPTHWISE_CONV_2D filters are [1, kh, kw, out].
    const c = o.kind === 'conv' ? Math.floor(i / perOut) : i % channels;
    filter[i] = (filter[i] as number) * (scale[c] as number);
  }
  for (let c = 0; c < channels; c++) bias[c] = ((bias[c] as number) - (mean[c] as number)) * (scale[c] as number) + (beta ? (beta[c] as number) : 0);
  g.rename(input, layer.name, readers);
  return input;
}

/** ZeroPadding2D: a PAD op (dropped again if the next convolution can take it as SAME padding). */
export function lowerZeroPadding(g: GraphBuilder, layer: Layer, input: number, readers: number): number {
  const cfg = layer.getConfig() as Config;
  const p = cfg.padding;
  const rows = Array.isArray(p) && Array.isArray(p[0]) ? (p as unknown[]) : null;
  const [top, bottom] = rows ? pair(layer, rows[0], 'padding') : pair(layer, p, 'padding');
  const [left, right] = rows ? pair(layer, rows[1], 'padding') : pair(layer, p, 'padding');
  const paddings = g.constant(`${layer.name}/paddings`, [4, 2], Int32Array.from([0, 0, top, bottom, left, right, 0, 0]));
  const out = g.addTensor({ name: layer.name, shape: shapeOf(layer), type: 'float32' }, readers);
  g.addOp({ op: 'PAD', inputs: [input, paddings], outputs: [out], options: { kind: 'none' } });
  return out;
}

/** Dense: FULLY_CONNECTED with weights [out, in] and its relu fused; softmax as a SOFTMAX op. */
export async function lowerDense(g: GraphBuilder, layer: Layer, input: number, readers: number): Promise<number> {
  const cfg = layer.getConfig() as Config;
  const w = await weightsOf(layer);
  const kernel = need(w.get('kernel'), layer, 'kernel');
  const [cin, cout] = kernel.shape as [number, number];
  const weights = new Float32Array(cin * cout);
  for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) weights[o * cin + i] = kernel.values[i * cout + o] as number;
  const bias = w.get('bias')?.values ?? new Float32Array(cout);
  const wt = g.constant(`${layer.name}/weights`, [cout, cin], weights);
  const bt = g.constant(`${layer.name}/bias`, [cout], bias);
  const act = activationOf(layer, cfg.activation);
  const activation = act === 'softmax' ? 'NONE' : act;
  const out = g.addTensor({ name: layer.name, shape: [1, cout], type: 'float32' }, act === 'softmax' ? 1 : readers);
  g.addOp({ op: 'FULLY_CONNECTED', inputs: [input, wt, bt], outputs: [out], options: { kind: 'fullyConnected', activation } });
  return act === 'softmax' ? softmax(g, out, `${layer.name}/softmax`, readers) : out;
}

export function softmax(g: GraphBuilder, input: number, name: string, readers: number): number {
  const shape = g.tensors[input]?.shape ?? [];
  if (shape.length !== 2) throw new Error(`TFLite export: softmax over a tensor of shape [${shape.join(', ')}], expected [1, classes]`);
  const out = g.addTensor({ name, shape: [...shape], type: 'float32' }, readers);
  g.addOp({ op: 'SOFTMAX', inputs: [input], outputs: [out], options: { kind: 'softmax', beta: 1 } });
  return out;
}

/** GlobalAveragePooling2D: MEAN over height and width. */
export function lowerGlobalAverage(g: GraphBuilder, layer: Layer, input: number, readers: number): number {
  const cfg = layer.getConfig() as Config;
  if ((cfg.dataFormat ?? 'channelsLast') !== 'channelsLast') throw new UnsupportedLayerError(layer, `has data format ${String(cfg.dataFormat)}`);
  const keepDims = cfg.keepdims === true || cfg.keepDims === true;
  const axes = g.constant(`${layer.name}/axes`, [2], Int32Array.from([1, 2]));
  const out = g.addTensor({ name: layer.name, shape: shapeOf(layer), type: 'float32' }, readers);
  g.addOp({ op: 'MEAN', inputs: [input, axes], outputs: [out], options: { kind: 'reducer', keepDims } });
  return out;
}

/** Add of two tensors. */
export function lowerAdd(g: GraphBuilder, layer: Layer, inputs: number[], readers: number): number {
  if (inputs.length !== 2) throw new UnsupportedLayerError(layer, `adds ${inputs.length} tensors, not 2`);
  const out = g.addTensor({ name: layer.name, shape: shapeOf(layer), type: 'float32' }, readers);
  g.addOp({ op: 'ADD', inputs, outputs: [out], options: { kind: 'add', activation: 'NONE' } });
  return out;
}

/** Activation / ReLU layers: fused into the op before when possible. */
export function lowerActivation(g: GraphBuilder, layer: Layer, input: number, readers: number): number {
  const cfg = layer.getConfig() as Config;
  let act: FusedActivation | 'softmax';
  if (layer.getClassName() === 'ReLU') {
    const max = cfg.maxValue;
    if (max !== undefined && max !== null && max !== 6) throw new UnsupportedLayerError(layer, `clips at ${String(max)}, not 6`);
    act = max === 6 ? 'RELU6' : 'RELU';
  } else {
    act = activationOf(layer, cfg.activation);
  }
  if (act === 'softmax') return softmax(g, input, layer.name, readers);
  if (act === 'NONE') return g.passThrough(input, readers);
  return g.activate(input, act, layer.name, readers);
}
