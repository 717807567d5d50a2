/**
 * Backbone (a layers model from a 224x224x3 image to its embedding) + dense head -> one TFLite
 * graph from the image to class probabilities, float32.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TfliteGraph } from './graph';
import { GraphBuilder } from './graph-builder';
import { lowerConcat } from './lower-concat';
import { foldBatchNorm, lowerActivation, lowerAdd, lowerConv, lowerDense, lowerGlobalAverage, lowerZeroPadding, UnsupportedLayerError } from './lower-layers';

type Layer = tf.layers.Layer;

/** The name under which the labels (one a line, output order) are stored in Model.metadata. */
export const LABELS_METADATA = 'transfer_studio_labels';

const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** Tensor ids that each layer reads, and how many layers read each tensor id. */
function readerCounts(model: tf.LayersModel): Map<number, number> {
  const counts = new Map<number, number>();
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    for (const t of asList(layer.getInputAt(0))) counts.set(t.id, (counts.get(t.id) ?? 0) + 1);
  }
  for (const t of model.outputs) counts.set(t.id, (counts.get(t.id) ?? 0) + 1);
  return counts;
}

async function lowerLayer(g: GraphBuilder, layer: Layer, inputs: number[], readers: number): Promise<number> {
  const [x] = inputs;
  if (x === undefined) throw new UnsupportedLayerError(layer, 'has no input');
  switch (layer.getClassName()) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
      return lowerConv(g, layer, x, readers);
    case 'BatchNormalization':
      return foldBatchNorm(g, layer, x, readers);
    case 'ReLU':
    case 'Activation':
      return lowerActivation(g, layer, x, readers);
    case 'ZeroPadding2D':
      return lowerZeroPadding(g, layer, x, readers);
    case 'Add':
      return lowerAdd(g, layer, inputs, readers);
    case 'Concatenate':
      return lowerConcat(g, layer, inputs, readers);
    case 'GlobalAveragePooling2D':
      return lowerGlobalAverage(g, layer, x, readers);
    case 'Dense':
      return lowerDense(g, layer, x, readers);
    case 'Dropout':
      return g.passThrough(x, readers);
    default:
      throw new UnsupportedLayerError(layer, 'has no TFLite conversion here');
  }
}

export interface TfliteSource {
  /** Image -> embedding (or image -> probabilities, with no head); one image input. */
  embedder: tf.LayersModel;
  /** Embedding -> probabilities, a chain of Dense / Dropout layers ending in softmax; null when `embedder` already ends in probabilities. */
  head: tf.LayersModel | null;
  labels: readonly string[];
  description: string;
}

/** Converts backbone + head to a TfliteGraph (weights copied out of the models; the models are untouched). */
export async function toTfliteGraph({ embedder, head, labels, description }: TfliteSource): Promise<TfliteGraph> {
  if (embedder.inputs.length !== 1 || embedder.outputs.length !== 1) throw new Error('TFLite export: the backbone must have one input and one output');
  const g = new GraphBuilder();
  const readers = readerCounts(embedder);
  const tensorOf = new Map<number, number>();
  const input = embedder.inputs[0] as tf.SymbolicTensor;
  const inputShape = input.shape.map((d) => d ?? 1);
  const image = g.addTensor({ name: 'image', shape: inputShape, type: 'float32' }, readers.get(input.id) ?? 0);
  tensorOf.set(input.id, image);
  for (const layer of embedder.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const ins = asList(layer.getInputAt(0)).map((t) => {
      const i = tensorOf.get(t.id);
      if (i === undefined) throw new UnsupportedLayerError(layer, 'reads a tensor from outside the backbone');
      return i;
    });
    const out = asList(layer.getOutputAt(0));
    if (out.length !== 1 || !out[0]) throw new UnsupportedLayerError(layer, 'has several outputs');
    tensorOf.set(out[0].id, await lowerLayer(g, layer, ins, readers.get(out[0].id) ?? 0));
  }
  const embedded = tensorOf.get((embedder.outputs[0] as tf.SymbolicTensor).id);
  if (embedded === undefined) throw new Error('TFLite export: the backbone output was not reached');
  // The head is a chain: each layer reads the previous one's output, once.
  let x = embedded;
  for (const layer of head?.layers ?? []) {
    if (layer.getClassName() === 'InputLayer') continue;
    x = await lowerLayer(g, layer, [x], 1);
  }
  const out = g.tensors[x];
  if (!out || out.shape.length !== 2 || out.shape[1] !== labels.length) {
    throw new Error(`TFLite export: the model gives [${out?.shape.join(', ') ?? ''}], expected [1, ${labels.length}] for ${labels.length} labels`);
  }
  out.name = 'probabilities';
  const labelBytes = new TextEncoder().encode(`${labels.join('\n')}\n`);
  return g.finish([image], [x], description, [{ name: LABELS_METADATA, data: labelBytes }]);
}
