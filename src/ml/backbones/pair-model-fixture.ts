/**
 * Node-only (tests): the "most accurate" backbone pair from the committed weights, MobileNetV2 1.0
 * then MobileNetV1 0.75, each cut at its `embedding` layer as LayersBackbone cuts it, and a few of
 * the committed test photos. Never imported by the app.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { MODELS_DIR, TEST_PHOTOS_DIR, fileHandler, loadJpeg } from '../testing/node-io';
import type { EmbedderPart } from './pair-model';

export const PAIR_PARTS = [
  { id: 'mobilenet_v2_100_224', prefix: 'v2_', size: 1280 },
  { id: 'mobilenet_v1_075_224', prefix: 'v1_', size: 768 },
] as const;

/** The two parts (image -> embedding), and a dispose for the full models they were cut from. */
export async function loadPairParts(): Promise<{ parts: EmbedderPart[]; dispose: () => void }> {
  const fulls = await Promise.all(PAIR_PARTS.map(({ id }) => tf.loadLayersModel(fileHandler(join(MODELS_DIR, id)))));
  const parts = fulls.map((full, i) => ({
    model: tf.model({ inputs: full.inputs, outputs: full.getLayer('embedding').output as tf.SymbolicTensor }),
    prefix: PAIR_PARTS[i]?.prefix ?? '',
  }));
  return { parts, dispose: () => fulls.forEach((m) => m.dispose()) };
}

/** The first `perClass` committed clothing test photos of each class, as one [n, 224, 224, 3] batch in [-1, 1]. */
export function pairPhotos(classes: readonly string[], perClass: number): { images: Float32Array; count: number } {
  const size = 224;
  const all = classes.flatMap((cls) => {
    const dir = join(TEST_PHOTOS_DIR, 'clothing-test', cls);
    return readdirSync(dir)
      .filter((n) => n.endsWith('.jpg'))
      .sort()
      .slice(0, perClass)
      .map((n) => loadJpeg(join(dir, n), size));
  });
  const images = new Float32Array(all.length * size * size * 3);
  all.forEach((rgb, i) => images.set(Float32Array.from(rgb, (v) => v / 127.5 - 1), i * size * size * 3));
  return { images, count: all.length };
}
