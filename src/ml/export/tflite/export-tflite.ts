import type * as tf from '@tensorflow/tfjs';
import type { TfliteGraph } from './graph';
import { quantizeWeights } from './quantize';
import { toTfliteGraph } from './to-tflite';
import { writeTflite } from './write-flatbuffer';

/**
 * Backbone + head (or one image -> probabilities model, head null) as one `.tflite` file: float32, input [1, 224, 224, 3] in the backbone's range,
 * output [1, classes] probabilities in `labels` order (the labels are also in Model.metadata).
 */
export async function exportTflite(...args: Parameters<typeof exportTfliteGraph>): Promise<Uint8Array> {
  return writeTflite(await exportTfliteGraph(...args));
}

/** The graph exportTflite writes (for running it with the reference interpreter). */
export async function exportTfliteGraph(
  embedder: tf.LayersModel,
  head: tf.LayersModel | null,
  labels: readonly string[],
  backboneName: string,
  inputRange: readonly [number, number],
  options: { int8Weights?: boolean } = {},
): Promise<TfliteGraph> {
  const [lo, hi] = inputRange;
  const scale = `pixel * ${hi - lo} / 255${lo === 0 ? '' : ` ${lo < 0 ? '-' : '+'} ${Math.abs(lo)}`}`;
  const description = `Transfer Studio image classifier: ${backboneName}. Input [1, 224, 224, 3] float32 RGB in [${lo}, ${hi}] (${scale}); output [1, ${labels.length}] probabilities in labels order.`;
  const graph = await toTfliteGraph({ embedder, head, labels, description: options.int8Weights ? `${description} Weights: int8 per channel, dequantized at load.` : description });
  return options.int8Weights ? quantizeWeights(graph) : graph;
}
