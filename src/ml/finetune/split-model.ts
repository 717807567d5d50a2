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
  if (first < 0) throw new Error(`The backbone has no block ${k}`);
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
          : single && isDepthwiseSame(layer)
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

/** A 1x1, stride-1 Conv2D without activation (MobileNet's expand/project/pointwise convolutions and Conv_1). */
function isPointwise(layer: tf.layers.Layer): boolean {
  if (layer.getClassName() !== 'Conv2D') return false;
  const c = layer.getConfig() as { kernelSize?: number[]; strides?: number[]; dilationRate?: number | number[]; activation?: string };
  const ones = (v: number | number[] | undefined) => v === undefined || (Array.isArray(v) ? v.every((x) => x === 1) : v === 1);
  return ones(c.kernelSize) && ones(c.strides) && ones(c.dilationRate) && (c.activation === undefined || c.activation === 'linear');
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
  return bias ? y.add(bias) : y;
}

/** A stride-1, 'same'-padded DepthwiseConv2D with an odd square kernel, depth multiplier 1, no activation. */
function isDepthwiseSame(layer: tf.layers.Layer): boolean {
  if (layer.getClassName() !== 'DepthwiseConv2D') return false;
  const c = layer.getConfig() as { kernelSize?: number[]; strides?: number[]; dilationRate?: number | number[]; padding?: string; depthMultiplier?: number; activation?: string };
  const ones = (v: number | number[] | undefined) => v === undefined || (Array.isArray(v) ? v.every((x) => x === 1) : v === 1);
  const k = c.kernelSize ?? [];
  return k.length === 2 && k[0] === k[1] && (k[0] ?? 0) % 2 === 1 && ones(c.strides) && ones(c.dilationRate) && c.padding === 'same' && (c.depthMultiplier ?? 1) === 1 && (c.activation === undefined || c.activation === 'linear');
}

/**
 * A depthwise convolution as a sum of shifted, per-channel-scaled slices (the same values, up to
 * float rounding): its gradients are slices, pads and products, fast on every backend, while the
 * wasm backend's depthwise backprop falls back to the much slower CPU kernels.
 */
function depthwise(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  const [kernel, bias] = layer.trainableWeights.length ? layer.trainableWeights.map((w) => w.read()) : layer.getWeights();
  if (!kernel) throw new Error(`${layer.name} has no kernel`);
  const [kh, kw, c] = kernel.shape as [number, number, number, number];
  const [n, h, w] = x.shape as [number, number, number, number];
  const ph = (kh - 1) / 2;
  const pw = (kw - 1) / 2;
  const padded = x.pad([[0, 0], [ph, ph], [pw, pw], [0, 0]]);
  let y: tf.Tensor | null = null;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const term = padded.slice([0, i, j, 0], [n, h, w, c]).mul(kernel.slice([i, j, 0, 0], [1, 1, c, 1]).reshape([c]));
      y = y ? y.add(term) : term;
    }
  }
  if (!y) throw new Error(`${layer.name} has an empty kernel`);
  return bias ? y.add(bias) : y;
}

/** A copy of a layers model with its own weights (fine-tuning must not change the backbone whose embeddings are cached). */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  const copy = await tf.models.modelFromJSON({ modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] });
  const weights = model.getWeights();
  copy.setWeights(weights);
  return copy;
}
