/**
 * An independent TFLite runtime for the export tests: @tensorflow/tfjs-tflite (TFLite's own C++
 * interpreter compiled to wasm), a devDependency installed by `npm ci` (its tfjs-core peer is
 * overridden to the app's 4.22 in package.json), served to a blank page of its own with
 * tfjs-core and the CPU backend. Never fetched at test time, never skipped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

const MODULES = join(import.meta.dirname, '..', 'node_modules', '@tensorflow');

/** Script files in load order, and the folder of tfjs-tflite's wasm files. */
export interface TfliteRuntime {
  scripts: string[];
  wasmDir: string;
}

/** The installed runtime; throws, saying what to run, when `npm ci` did not install it. */
export function tfliteRuntime(): TfliteRuntime {
  const runtime = {
    scripts: [join(MODULES, 'tfjs-core/dist/tf-core.min.js'), join(MODULES, 'tfjs-backend-cpu/dist/tf-backend-cpu.min.js'), join(MODULES, 'tfjs-tflite/dist/tf-tflite.min.js')],
    wasmDir: join(MODULES, 'tfjs-tflite/wasm'),
  };
  const missing = [...runtime.scripts, runtime.wasmDir].filter((p) => !existsSync(p));
  if (missing.length) throw new Error(`The TFLite runtime is a devDependency: run \`npm ci\`. Missing: ${missing.join(', ')}`);
  return runtime;
}

/**
 * Opens `${baseURL}/tflite-check/index.html`, a blank page (the app's origin, nothing of the app
 * loaded) with the runtime's scripts, its wasm files and `files` served under /tflite-check/.
 * The caller blocks service workers so the app's does not answer first.
 */
export async function openRuntimePage(page: Page, baseURL: string, runtime: TfliteRuntime, files: Record<string, Uint8Array>): Promise<void> {
  const wasm = new Set(readdirSync(runtime.wasmDir));
  await page.route('**/tflite-check/**', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop() ?? '';
    if (name === 'index.html') return route.fulfill({ body: '<!doctype html><title>tflite</title>', contentType: 'text/html' });
    const script = runtime.scripts.findIndex((s) => s.endsWith(`/${name}`));
    if (script >= 0) return route.fulfill({ body: readFileSync(runtime.scripts[script] ?? ''), contentType: 'text/javascript' });
    if (wasm.has(name)) return route.fulfill({ body: readFileSync(join(runtime.wasmDir, name)), contentType: name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' });
    const file = files[name];
    return file ? route.fulfill({ body: Buffer.from(file), contentType: 'application/octet-stream' }) : route.fulfill({ status: 404 });
  });
  await page.goto(`${baseURL}/tflite-check/index.html`);
  for (const s of runtime.scripts) await page.addScriptTag({ url: `/tflite-check/${s.split('/').pop() ?? ''}` });
}

/** What tfjs-tflite says about a model and its outputs for some RGB images scaled by x * scale + offset. */
export interface RuntimeRun {
  loadMs: number;
  inputs: { shape: number[]; dtype: string }[];
  outputs: { shape: number[]; dtype: string }[];
  probabilities: number[][];
  /** Per image: predict + reading the output, milliseconds. */
  predictMs: number[];
}

/**
 * Loads /tflite-check/<name> in tfjs-tflite (one thread) and runs it on each image; `dtype`
 * 'int32' passes the raw pixels (scale 1, offset 0) to a uint8 input.
 */
export async function runInTflite(page: Page, name: string, images: readonly Uint8Array[], scale: number, offset: number, dtype: 'float32' | 'int32' = 'float32'): Promise<RuntimeRun> {
  const b64 = images.map((p) => Buffer.from(p).toString('base64'));
  return page.evaluate(
    async ({ name, b64, scale, offset, dtype }) => {
      type T = { data(): Promise<ArrayLike<number>>; dispose(): void };
      type Info = { shape: number[]; dtype: string };
      const w = window as unknown as {
        tf: { tensor(v: Float32Array | Int32Array, shape: number[], dtype: string): T };
        tflite: {
          setWasmPath(p: string): void;
          loadTFLiteModel(url: string, o: { numThreads: number }): Promise<{ inputs: Info[]; outputs: Info[]; predict(x: T): T }>;
        };
      };
      w.tflite.setWasmPath('/tflite-check/');
      const started = performance.now();
      const model = await w.tflite.loadTFLiteModel(`/tflite-check/${name}`, { numThreads: 1 });
      const loadMs = performance.now() - started;
      const probabilities: number[][] = [];
      const predictMs: number[] = [];
      for (const image of b64) {
        const rgb = Uint8Array.from(atob(image), (c) => c.charCodeAt(0));
        const x = dtype === 'int32' ? w.tf.tensor(Int32Array.from(rgb), [1, 224, 224, 3], 'int32') : w.tf.tensor(Float32Array.from(rgb, (v) => v * scale + offset), [1, 224, 224, 3], 'float32');
        const t0 = performance.now();
        const y = model.predict(x);
        probabilities.push(Array.from(await y.data()));
        predictMs.push(performance.now() - t0);
        x.dispose();
        y.dispose();
      }
      // No named helper functions in here: tsx (esbuild keepNames) would wrap them in __name().
      return {
        loadMs,
        inputs: model.inputs.map((i) => ({ shape: Array.from(i.shape), dtype: i.dtype })),
        outputs: model.outputs.map((i) => ({ shape: Array.from(i.shape), dtype: i.dtype })),
        probabilities,
        predictMs,
      };
    },
    { name, b64, scale, offset, dtype },
  );
}
