/**
 * Node-only helpers for tests and benchmarks: load tfjs models from disk and decode JPEGs into
 * ImageBatches. Never imported by the app.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import type { ImageBatch } from '../image-batch';

/** The repository's root folder. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');
/** The pretrained backbones, committed in the repository (public/models/<id>/). */
export const MODELS_DIR = join(ROOT, 'public', 'models');
/** The sample project's photos (committed): `<class>/*.jpg` for dress, hat, pants, shoes, 25 each, clothing-small train. */
export const SAMPLE_PHOTOS_DIR = join(ROOT, 'public', 'samples', 'clothing');
/** Committed test photos: `clothing-test/<class>` (5 held-out each of the sample's classes), `sign-digits/<d>` (52 each). */
export const TEST_PHOTOS_DIR = join(ROOT, 'test-photos');
/** The full datasets beside the checkout (../shared/datasets): benches only; tests use the committed photos. */
export const DATASETS_DIR = join(ROOT, '..', 'shared', 'datasets');

/** An IOHandler that reads model.json and its weight files (concatenated in manifest order). */
export function fileHandler(modelDir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const path of group.paths) buffers.push(readFileSync(join(modelDir, path)));
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

/** Decodes a JPEG file to RGB, centre-crops it square and resizes it bilinearly to `size`. */
export function loadJpeg(path: string, size: number): Uint8Array {
  const { width, height, data } = jpeg.decode(readFileSync(path), { useTArray: true, formatAsRGBA: true });
  return tf.tidy(() => {
    const rgba = tf.tensor3d(data, [height, width, 4], 'int32');
    const side = Math.min(width, height);
    const top = Math.floor((height - side) / 2);
    const left = Math.floor((width - side) / 2);
    const square = rgba.slice([top, left, 0], [side, side, 3]).toFloat();
    const resized = tf.image.resizeBilinear(square as tf.Tensor3D, [size, size], false, true);
    return new Uint8Array(resized.round().clipByValue(0, 255).dataSync());
  });
}

/** Mirrors an RGB square image left-right. */
export function mirror(rgb: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 3;
      const to = (y * size + (size - 1 - x)) * 3;
      out[to] = rgb[from] as number;
      out[to + 1] = rgb[from + 1] as number;
      out[to + 2] = rgb[from + 2] as number;
    }
  }
  return out;
}

/** Stacks RGB images into one ImageBatch. */
export function toBatch(images: readonly Uint8Array[], size: number): ImageBatch {
  const pixels = new Uint8Array(images.length * size * size * 3);
  images.forEach((img, i) => pixels.set(img, i * size * size * 3));
  return { count: images.length, size, pixels };
}

/** Cosine similarity of two vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

/** Switches tfjs to the wasm backend (single-threaded), as fast as Node gets without native code. */
export async function useWasmBackend(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
}
