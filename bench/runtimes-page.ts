/**
 * The page side of bench/runtimes.ts (bundled by esbuild there): the same backbone's embedding in
 * three runtimes, timed one image at a time on random pixels. No network: every file comes from the
 * bench's own server. Nothing here is part of the app.
 */
import { getBackboneSpec, type BackboneId } from '../src/ml/backbones/catalog';
import { LayersBackbone } from '../src/ml/backbones/layers-backbone';
import { initBackend } from '../src/ml/backend';

export interface Timing {
  runtime: string;
  threads: number;
  loadMs: number;
  imagesPerSecond: number;
  /** The embedding of the first timed image (to check the runtimes agree). */
  first: number[];
}

const SIZE = 224;

/** Random byte pixels scaled to [-1, 1] (b / 127.5 - 1, as the app scales them), the same for every runtime (seeded). */
function images(n: number): Float32Array[] {
  let s = 12345;
  const next = () => Math.floor(((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 256) / 127.5 - 1;
  return Array.from({ length: n }, () => Float32Array.from({ length: SIZE * SIZE * 3 }, next));
}

async function time(runtime: string, threads: number, load: () => Promise<(x: Float32Array) => Promise<Float32Array>>, n: number, warm = 3): Promise<Timing> {
  const t0 = performance.now();
  const run = await load();
  const loadMs = performance.now() - t0;
  const xs = images(n + warm);
  for (const x of xs.slice(0, warm)) await run(x); // warm-up
  const t1 = performance.now();
  let first: Float32Array | null = null;
  for (const x of xs.slice(warm)) {
    const y = await run(x);
    if (!first && y.length > 0) first = y;
  }
  return { runtime, threads, loadMs: Math.round(loadMs), imagesPerSecond: n / ((performance.now() - t1) / 1000), first: Array.from((first ?? new Float32Array()).slice(0, 8)) };
}

/** The app's engine: tfjs 4.22 on the wasm backend (SIMD, one thread), BatchNorm folded at load. */
export function tfjsWasm(id: BackboneId, n: number): Promise<Timing> {
  return time('tfjs-wasm (the app)', 1, async () => {
    await initBackend('wasm', '/tfjs-wasm/');
    const backbone = new LayersBackbone(getBackboneSpec(id), { url: `/models/${id}` });
    await backbone.load();
    return async (x) => {
      // embed() takes bytes and scales them; give it the same values as bytes would be.
      const pixels = Uint8Array.from(x, (v) => Math.round((v + 1) * 127.5));
      const [row] = await backbone.embed({ count: 1, size: SIZE, pixels });
      return row ?? new Float32Array();
    };
  }, n);
}

/** The same engine given 16 images a call, as the app's embed step batches them (timed per image). */
export function tfjsWasmBatched(id: BackboneId, n: number): Promise<Timing> {
  return time('tfjs-wasm (the app), batches of 16', 1, async () => {
    await initBackend('wasm', '/tfjs-wasm/');
    const backbone = new LayersBackbone(getBackboneSpec(id), { url: `/models/${id}` });
    await backbone.load();
    const queue: Float32Array[] = [];
    let results: Float32Array[] = [];
    return async (x) => {
      queue.push(x);
      if (queue.length < 16 && results.length === 0) return new Float32Array(); // collected; timed when the batch runs
      if (queue.length === 16) {
        const pixels = new Uint8Array(16 * SIZE * SIZE * 3);
        queue.forEach((q, i) => pixels.set(Uint8Array.from(q, (v) => Math.round((v + 1) * 127.5)), i * SIZE * SIZE * 3));
        results = await backbone.embed({ count: 16, size: SIZE, pixels });
        queue.length = 0;
      }
      return results.shift() ?? new Float32Array();
    };
  }, n, 16);
}

type OrtModule = {
  env: { wasm: { wasmPaths: string; numThreads: number; simd?: boolean } };
  InferenceSession: { create(b: Uint8Array, o: unknown): Promise<{ run(f: Record<string, unknown>): Promise<Record<string, { data: Float32Array }>>; outputNames: string[] }> };
  Tensor: new (type: string, data: Float32Array, dims: number[]) => unknown;
};

/** onnxruntime-web's wasm execution provider (SIMD; threads when the page is cross-origin isolated). */
export function onnxruntimeWeb(threads: number, n: number): Promise<Timing> {
  return time('onnxruntime-web (wasm)', threads, async () => {
    const ort = (await import(/* @vite-ignore */ `${location.origin}/ort/ort.wasm.min.mjs`)) as OrtModule;
    ort.env.wasm.wasmPaths = '/ort/';
    ort.env.wasm.numThreads = threads;
    const bytes = new Uint8Array(await (await fetch('/files/backbone.onnx')).arrayBuffer());
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const output = session.outputNames[0] ?? '';
    return async (x) => (await session.run({ image: new ort.Tensor('float32', x, [1, SIZE, SIZE, 3]) }))[output]?.data ?? new Float32Array();
  }, n);
}

type LiteRt = {
  loadLiteRt(path: string, o?: { threads?: boolean }): Promise<unknown>;
  loadAndCompile(url: string, o: { accelerator: string }): Promise<{ run(t: unknown): Promise<{ toTypedArray(): Float32Array; delete(): void }[]> }>;
  Tensor: new (data: Float32Array, shape: number[]) => { delete(): void };
};

/** LiteRT.js (@litertjs/core): TFLite's runtime with XNNPACK in wasm, running our own .tflite export. */
export function liteRt(litert: LiteRt, threads: boolean, n: number): Promise<Timing> {
  return time('LiteRT.js (XNNPACK wasm)', threads ? navigator.hardwareConcurrency : 1, async () => {
    await litert.loadLiteRt('/litert/', { threads });
    const model = await litert.loadAndCompile('/files/backbone.tflite', { accelerator: 'wasm' });
    return async (x) => {
      const input = new litert.Tensor(x, [1, SIZE, SIZE, 3]);
      const [out] = await model.run(input);
      input.delete();
      const y = out ? Float32Array.from(out.toTypedArray()) : new Float32Array();
      out?.delete();
      return y;
    };
  }, n);
}
