/** Node side of the export tests: unzip a download and run the exported model with tfjs (wasm). */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { unzipSync } from 'fflate';

let ready: Promise<void> | null = null;

/** Starts tfjs' wasm backend in Node (single-threaded, as in the app). */
export function nodeTf(): Promise<void> {
  ready ??= (async () => {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    await tf.setBackend('wasm');
    await tf.ready();
  })();
  return ready;
}

/** The files of a zip, by name. */
export function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}

/** Loads model.json + weights.bin from memory, as README.txt tells users to. */
export async function loadExported(files: Record<string, Uint8Array>): Promise<tf.LayersModel> {
  await nodeTf();
  const jsonBytes = files['model.json'];
  const weights = files['weights.bin'];
  if (!jsonBytes || !weights) throw new Error(`The zip lacks model.json or weights.bin: ${Object.keys(files).join(', ')}`);
  const json = JSON.parse(new TextDecoder().decode(jsonBytes)) as tf.io.ModelJSON;
  const group = json.weightsManifest[0];
  if (!group) throw new Error('model.json has no weights manifest');
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: group.weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    }),
  );
}

/** Probabilities for RGB images (size x size x 3 bytes each), scaled by x * scale + offset. */
export function predictRgb(model: tf.LayersModel, images: readonly Uint8Array[], size: number, scale: number, offset: number): number[][] {
  return images.map((rgb) =>
    tf.tidy(() => {
      const x = tf.tensor4d(rgb, [1, size, size, 3], 'int32').toFloat().mul(scale).add(offset);
      return Array.from((model.predict(x) as tf.Tensor).dataSync());
    }),
  );
}
