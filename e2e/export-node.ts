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

/** One snippet of README.txt: the indented lines after the line starting with `heading`, up to the next blank line. */
export function readmeSnippet(readme: string, heading: string): string {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) throw new Error(`README.txt has no "${heading}" section`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    body.push(line.slice(2));
  }
  return body.join('\n');
}

/**
 * Runs README.txt's Node snippet as written, with `require` answering '@tensorflow/tfjs' (this
 * process's tfjs) and 'fs' (reading the unzipped files), and returns its classify(pixels).
 */
export async function readmeNodeClassify(readme: string, files: Record<string, Uint8Array>): Promise<(pixels: Uint8Array) => Promise<number[]>> {
  await nodeTf();
  const fakeFs = {
    readFileSync: (name: string, encoding?: string) => {
      const bytes = files[name];
      if (!bytes) throw new Error(`no ${name}`);
      return encoding ? new TextDecoder().decode(bytes) : Buffer.from(bytes);
    },
  };
  const fakeRequire = (id: string): unknown => {
    if (id === '@tensorflow/tfjs') return tf;
    if (id === 'fs') return fakeFs;
    throw new Error(`The README snippet requires ${id}`);
  };
  // Running the shipped snippet verbatim is the point of this check.
  const code = readmeSnippet(readme, 'In Node');
  return new Function('require', `${code}\nreturn classify;`)(fakeRequire) as (pixels: Uint8Array) => Promise<number[]>;
}
