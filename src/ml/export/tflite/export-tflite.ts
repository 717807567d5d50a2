import type * as tf from '@tensorflow/tfjs';
import type { TfliteGraph } from './graph';
import { classifierMetadata, LABELS_FILE, TFLITE_METADATA } from './model-metadata';
import { packAssociatedFiles } from './pack-files';
import { quantizeWeights } from './quantize';
import { quantizeFull, type ActivationRanges } from './quantize-full';
import { toTfliteGraph } from './to-tflite';
import { writeTflite } from './write-flatbuffer';

/**
 * Backbone + head (or one image -> probabilities model, head null) as one `.tflite` file: float32, input [1, 224, 224, 3] in the backbone's range,
 * output [1, classes] probabilities in `labels` order. It carries TFLite Model Metadata (input
 * normalization, labels as an associated file packed into the file) for MediaPipe Tasks and the
 * Task Library, and the labels in our own Model.metadata entry too.
 */
export async function exportTflite(...args: Parameters<typeof exportTfliteGraph>): Promise<Uint8Array> {
  const labels = args[2];
  return packAssociatedFiles(writeTflite(await exportTfliteGraph(...args)), [{ name: LABELS_FILE, data: new TextEncoder().encode(`${labels.join('\n')}\n`) }]);
}

/** The app version written into exported models' metadata (package.json's, set by Vite; 'dev' in Node tests). */
const APP_VERSION: string = (import.meta as { env?: { VITE_APP_VERSION?: string } }).env?.VITE_APP_VERSION ?? 'dev';

/** The graph exportTflite writes (for running it with the reference interpreter). */
export async function exportTfliteGraph(
  embedder: tf.LayersModel,
  head: tf.LayersModel | null,
  labels: readonly string[],
  backboneName: string,
  inputRange: readonly [number, number],
  options: TfliteExportOptions = {},
): Promise<TfliteGraph> {
  const [lo, hi] = inputRange;
  const scale = `pixel * ${hi - lo} / 255${lo === 0 ? '' : ` ${lo < 0 ? '-' : '+'} ${Math.abs(lo)}`}`;
  const full = options.fullInt8;
  const input = full ? `uint8 RGB pixels 0-255 (quantized: read as ${scale})` : `float32 RGB in [${lo}, ${hi}] (${scale})`;
  const description = `Transfer Studio image classifier: ${backboneName}. Input [1, 224, 224, 3] ${input}; output [1, ${labels.length}] float32 probabilities in labels order.`;
  const note = full
    ? ` Full integer: int8 activations calibrated on ${full.photos} training photos, int8 weights per channel, int32 biases.`
    : options.int8Weights
      ? ' Weights: int8 per channel, dequantized at load.'
      : '';
  const graph = await toTfliteGraph({ embedder, head, labels, description: `${description}${note}` });
  graph.metadata.push({
    name: TFLITE_METADATA,
    data: classifierMetadata({
      name: `Transfer Studio image classifier (${labels.length} classes)`,
      description: graph.description,
      version: APP_VERSION,
      author: 'Made with Transfer Studio',
      license: 'Backbone weights: Apache-2.0 (Google MobileNet). Head: trained by the user on their own photos.',
      imageSize: embedder.inputs[0]?.shape[1] ?? 224,
      inputRange,
      inputType: full ? 'uint8' : 'float32',
      classes: labels.length,
    }),
  });
  if (full) return quantizeFull(graph, full.ranges, inputRange);
  return options.int8Weights ? quantizeWeights(graph) : graph;
}

export interface TfliteExportOptions {
  /** int8 weights behind DEQUANTIZE, float compute. */
  int8Weights?: boolean;
  /** Full integer (uint8 input, int8 activations) with ranges calibrated on `photos` photos (quantize-full.ts). */
  fullInt8?: { ranges: ActivationRanges; photos: number };
}
