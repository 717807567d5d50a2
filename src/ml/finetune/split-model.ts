import * as tf from '@tensorflow/tfjs';
import type { BlockLayout } from './blocks';
import { inBlock } from './blocks';

/** A layers embedder cut in two: a frozen bottom (image -> boundary) and a top to fine-tune (boundary -> embedding). */
export interface SplitEmbedder {
  /** Image -> boundary activation; shares its layers with the embedder (never dispose it separately). */
  bottom: tf.LayersModel;
  /** Shape of one boundary activation, e.g. [7, 7, 160]. */
  boundaryShape: number[];
  /** Boundary activations -> embeddings, through the top layers, BatchNormalization in inference mode. */
  runTop: (boundary: tf.Tensor) => tf.Tensor;
  /** The variables fine-tuning changes: kernels and biases of the top's convolutions (BatchNormalization stays frozen). */
  trainable: tf.Variable[];
  /** Names of the layers those variables belong to. */
  trainableLayers: string[];
}

/**
 * Cuts `embedder` (a functional tfjs model from image to embedding, layers in topological order) at
 * the start of block `layout.count - blocks + 1`. Everything from there on is the top; its
 * convolutions train, and every BatchNormalization layer runs with its moving statistics (tfjs
 * layers' BatchNormalization picks batch statistics, and updates the moving ones, whenever it is
 * called with `training: true`, whatever `trainable` says, so the top is run with training false
 * and its BN weights are left out of the trained variables: the Keras fine-tuning recipe).
 */
export function splitEmbedder(embedder: tf.LayersModel, layout: BlockLayout, blocks: number): SplitEmbedder {
  const k = layout.count - blocks + 1;
  const layers = embedder.layers;
  const first = layers.findIndex((l) => inBlock(layout, k, l.name));
  if (first < 0) {
    throw new Error(`This backbone cannot be fine-tuned: none of its layers is in block ${k} (no layer named ${layout.prefixes(k).map((p) => `${p}…`).join(' or ')})`);
  }
  const firstLayer = layers[first] as tf.layers.Layer;
  const boundary = firstLayer.inboundNodes[0]?.inputTensors[0];
  if (!boundary) throw new Error(`Layer ${firstLayer.name} has no input`);
  const output = embedder.outputs[0];
  if (!output) throw new Error('The embedder has no output');
  const top = layers.slice(first);
  const bottom = tf.model({ inputs: embedder.inputs, outputs: boundary, name: 'finetune_bottom' });
  const convs = top.filter((l) => l.getClassName() !== 'BatchNormalization' && l.trainableWeights.length > 0);
  const runTop = (x: tf.Tensor): tf.Tensor => {
    const values = new Map<number, tf.Tensor>([[boundary.id, x]]);
    for (const layer of top) {
      const node = layer.inboundNodes[0];
      if (!node) throw new Error(`Layer ${layer.name} is not connected`);
      const inputs = node.inputTensors.map((t) => {
        const v = values.get(t.id);
        if (!v) throw new Error(`Layer ${layer.name} reads a tensor from below the cut`);
        return v;
      });
      const single = inputs.length === 1 ? (inputs[0] as tf.Tensor) : null;
      const out =
        single && isPointwise(layer)
          ? pointwise(layer, single)
          : single && isDepthwise(layer)
            ? depthwise(layer, single)
            : (layer.apply(single ?? inputs, { training: false }) as tf.Tensor);
      const symbolic = node.outputTensors[0];
      if (symbolic) values.set(symbolic.id, out);
    }
    const result = values.get(output.id);
    if (!result) throw new Error('The top does not reach the embedding');
    return result;
  };
  return {
    bottom,
    boundaryShape: boundary.shape.slice(1) as number[],
    runTop,
    trainable: convs.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable)),
    trainableLayers: convs.map((l) => l.name),
  };
}

/** Activations a rewritten convolution can apply after itself (the rebuilt MobileNetV2 1.0 fuses ReLU6 into its convolutions). */
type Activation = 'linear' | 'relu' | 'relu6';

interface ConvConfig {
  kernelSize?: number[];
  strides?: number[];
  dilationRate?: number | number[];
  padding?: string;
  depthMultiplier?: number;
  activation?: string;
}

const ones = (v: number | number[] | undefined) => v === undefined || (Array.isArray(v) ? v.every((x) => x === 1) : v === 1);
const rewritable = (a: string | undefined): a is Activation | undefined => a === undefined || a === 'linear' || a === 'relu' || a === 'relu6';

function activate(y: tf.Tensor, activation: string | undefined): tf.Tensor {
  return activation === 'relu6' ? tf.relu6(y) : activation === 'relu' ? tf.relu(y) : y;
}

/** A 1x1, stride-1 Conv2D, linear or followed by ReLU/ReLU6 (MobileNet's expand/project/pointwise convolutions and Conv_1). */
function isPointwise(layer: tf.layers.Layer): boolean {
  if (layer.getClassName() !== 'Conv2D') return false;
  const c = layer.getConfig() as ConvConfig;
  return ones(c.kernelSize) && ones(c.strides) && ones(c.dilationRate) && rewritable(c.activation);
}

/**
 * A pointwise convolution as a matrix product (the same values, up to float rounding): its
 * gradients run as matrix products on every backend, while tfjs' wasm backend has no
 * Conv2DBackpropFilter kernel (the CPU one it would fall back to is ~40x slower here).
 */
function pointwise(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  const [kernel, bias] = layer.trainableWeights.length ? layer.trainableWeights.map((w) => w.read()) : layer.getWeights();
  if (!kernel) throw new Error(`${layer.name} has no kernel`);
  const [ci, co] = kernel.shape.slice(2) as [number, number];
  const [n, h, w] = x.shape as [number, number, number, number];
  const y = x.reshape([n * h * w, ci]).matMul(kernel.reshape([ci, co])).reshape([n, h, w, co]);
  return activate(bias ? y.add(bias) : y, (layer.getConfig() as ConvConfig).activation);
}

/** A DepthwiseConv2D with depth multiplier 1, no dilation, 'same' or 'valid' padding, linear or followed by ReLU/ReLU6. */
function isDepthwise(layer: tf.layers.Layer): boolean {
  if (layer.getClassName() !== 'DepthwiseConv2D') return false;
  const c = layer.getConfig() as ConvConfig;
  return (c.kernelSize ?? []).length === 2 && ones(c.dilationRate) && (c.padding === 'same' || c.padding === 'valid') && (c.depthMultiplier ?? 1) === 1 && rewritable(c.activation);
}

/** Output length and padding before/after along one axis, as TensorFlow computes them for 'same' and 'valid'. */
function axis(size: number, kernel: number, stride: number, padding: string): { out: number; before: number; after: number } {
  if (padding === 'valid') return { out: Math.floor((size - kernel) / stride) + 1, before: 0, after: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

/** Every `stride`-th row and column of `x` ([n, out*sh, out*sw, c]) from the first: [n, oh, ow, c], through slices and reshapes only. */
function subsample(x: tf.Tensor, oh: number, ow: number, sh: number, sw: number): tf.Tensor {
  if (sh === 1 && sw === 1) return x;
  const [n, , , c] = x.shape as [number, number, number, number];
  const rows = x.reshape([n, oh, sh, ow * sw, c]).slice([0, 0, 0, 0, 0], [n, oh, 1, ow * sw, c]);
  return rows.reshape([n, oh, ow, sw, c]).slice([0, 0, 0, 0, 0], [n, oh, ow, 1, c]).reshape([n, oh, ow, c]);
}

/**
 * A depthwise convolution as a sum of shifted, per-channel-scaled slices (the same values, up to
 * float rounding), strided ones by taking every s-th row and column of each slice: its gradients
 * are slices, reshapes, pads and products, fast on every backend, while the wasm backend's
 * depthwise backprop falls back to the much slower CPU kernels.
 */
function depthwise(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  const [kernel, bias] = layer.trainableWeights.length ? layer.trainableWeights.map((w) => w.read()) : layer.getWeights();
  if (!kernel) throw new Error(`${layer.name} has no kernel`);
  const config = layer.getConfig() as ConvConfig;
  const [sh, sw] = (config.strides ?? [1, 1]) as [number, number];
  const padding = config.padding ?? 'valid';
  const [kh, kw, c] = kernel.shape as [number, number, number, number];
  const [n, h, w] = x.shape as [number, number, number, number];
  const ry = axis(h, kh, sh, padding);
  const rx = axis(w, kw, sw, padding);
  // Enough rows and columns for a slice of out*stride from every kernel offset (the extra ones are never picked).
  const extraY = Math.max(kh - 1 + ry.out * sh - (h + ry.before + ry.after), 0);
  const extraX = Math.max(kw - 1 + rx.out * sw - (w + rx.before + rx.after), 0);
  const padded = x.pad([[0, 0], [ry.before, ry.after + extraY], [rx.before, rx.after + extraX], [0, 0]]);
  let y: tf.Tensor | null = null;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const window = subsample(padded.slice([0, i, j, 0], [n, ry.out * sh, rx.out * sw, c]), ry.out, rx.out, sh, sw);
      const term = window.mul(kernel.slice([i, j, 0, 0], [1, 1, c, 1]).reshape([c]));
      y = y ? y.add(term) : term;
    }
  }
  if (!y) throw new Error(`${layer.name} has an empty kernel`);
  return activate(bias ? y.add(bias) : y, config.activation);
}

/** A copy of a layers model with its own weights (fine-tuning must not change the backbone whose embeddings are cached). */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  const copy = await tf.models.modelFromJSON({ modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] });
  const weights = model.getWeights();
  copy.setWeights(weights);
  return copy;
}
