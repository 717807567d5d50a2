/**
 * An independent TFLite runtime for the export tests: @tensorflow/tfjs-tflite (TFLite's own C++
 * interpreter compiled to wasm), fetched with `npm pack` into a temp folder with the tfjs-core and
 * tfjs-backend-cpu it pins (4.9.0), never installed, and served to a blank page of its own.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

export const TFLITE_PACKAGES = ['@tensorflow/tfjs-tflite@0.0.1-alpha.10', '@tensorflow/tfjs-core@4.9.0', '@tensorflow/tfjs-backend-cpu@4.9.0'];

/** Script files in load order, and the folder of tfjs-tflite's wasm files. */
export interface TfliteRuntime {
  scripts: string[];
  wasmDir: string;
}

/** Packs and unpacks the three packages; null when npm cannot reach the registry. */
export function tfliteRuntime(): TfliteRuntime | null {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'tfjs-tflite-'));
    execFileSync('npm', ['pack', ...TFLITE_PACKAGES, '--pack-destination', dir], { stdio: 'ignore', timeout: 120_000 });
    const unpack = (prefix: string) => {
      const tgz = readdirSync(dir).find((n) => n.startsWith(prefix) && n.endsWith('.tgz'));
      if (!tgz) throw new Error(`npm pack gave no ${prefix}*.tgz`);
      const to = mkdtempSync(join(dir, `${prefix}-`));
      execFileSync('tar', ['xzf', join(dir, tgz), '-C', to]);
      return join(to, 'package');
    };
    const core = unpack('tensorflow-tfjs-core');
    const cpu = unpack('tensorflow-tfjs-backend-cpu');
    const tflite = unpack('tensorflow-tfjs-tflite');
    const runtime = {
      scripts: [join(core, 'dist/tf-core.min.js'), join(cpu, 'dist/tf-backend-cpu.min.js'), join(tflite, 'dist/tf-tflite.min.js')],
      wasmDir: join(tflite, 'wasm'),
    };
    return [...runtime.scripts, runtime.wasmDir].every(existsSync) ? runtime : null;
  } catch {
    return null;
  }
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

/** Loads /tflite-check/<name> in tfjs-tflite (one thread) and runs it on each image. */
export async function runInTflite(page: Page, name: string, images: readonly Uint8Array[], scale: number, offset: number): Promise<RuntimeRun> {
  const b64 = images.map((p) => Buffer.from(p).toString('base64'));
  return page.evaluate(
    async ({ name, b64, scale, offset }) => {
      type T = { data(): Promise<ArrayLike<number>>; dispose(): void };
      type Info = { shape: number[]; dtype: string };
      const w = window as unknown as {
        tf: { tensor(v: Float32Array, shape: number[], dtype: string): T };
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
        const x = w.tf.tensor(Float32Array.from(rgb, (v) => v * scale + offset), [1, 224, 224, 3], 'float32');
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
    { name, b64, scale, offset },
  );
}
