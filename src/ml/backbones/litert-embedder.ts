/**
 * The frozen backbone in LiteRT.js (TFLite's runtime, XNNPACK in wasm): the embed step's runtime on
 * the CPU (issue 17, item 3: 1.6x tfjs-wasm on one core, bench/RESULTS.md "Which runtime"). It runs
 * the graph the TFLite exporter writes for the backbone alone (BatchNorm folded, activations fused),
 * one image per call. Nothing here is trained: fine-tuning, the ImageNet head and exports stay in
 * tfjs. LiteRT.js is loaded once per worker from our own origin (`baseUrl`, public/litert/).
 */
import { loadAndCompile, loadLiteRt, Tensor, type CompiledModel } from '@litertjs/core';
import type { TfliteGraph } from '../export/tflite/graph';
import { writeTflite } from '../export/tflite/write-flatbuffer';
import type { ImageBatch } from '../image-batch';

/** The threaded build's glue: what its pthread workers run (LiteRT.js' own file name). */
export const LITERT_THREADED_JS = 'litert_wasm_threaded_internal.js';

/** Threads the loaded build runs (1: a single-thread build), once `loadLiteRtOnce` resolved. */
let runtime: Promise<number> | null = null;

/**
 * Loads the LiteRT.js wasm once and resolves to how many threads it can run. Its loader runs the
 * emscripten glue with `importScripts` in a worker and a <script> tag in a page; a module worker
 * (ours) has no working `importScripts`, so it gets one that fetches the glue synchronously and
 * runs it as a global script. The .wasm is found through `Module.locateFile` (the glue would look
 * next to the worker's own script).
 *
 * `threads` > 1 asks for the threaded build (issue 17, item 2): it needs SharedArrayBuffer, so a
 * cross-origin isolated context, and its pthreads are workers that must run the glue itself, not
 * the script that started them (our engine worker): `Module.mainScriptUrlOrBlob` says which. When
 * the threaded build cannot load, the single-thread one is loaded instead (1).
 */
export function loadLiteRtOnce(baseUrl: string, threads = 1): Promise<number> {
  runtime ??= (async () => {
    const folder = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    if (threads > 1 && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true) {
      try {
        await loadBuild(folder, true);
        return threads;
      } catch (error) {
        console.warn(`LiteRT.js: threaded build unavailable, one thread (${(error as Error).message})`);
      }
    }
    await loadBuild(folder, false);
    return 1;
  })();
  runtime.catch(() => (runtime = null));
  return runtime;
}

async function loadBuild(folder: string, threaded: boolean): Promise<void> {
  const scope = globalThis as unknown as Record<string, unknown>;
  const restore: (() => void)[] = [];
  if (typeof scope.document === 'undefined' && typeof XMLHttpRequest !== 'undefined') {
    const own = Object.getOwnPropertyDescriptor(scope, 'importScripts');
    scope.importScripts = (url: string) => {
      const request = new XMLHttpRequest();
      request.open('GET', url, false);
      request.send();
      if (request.status !== 200) throw new Error(`LiteRT.js: ${url} answered ${request.status}`);
      (0, eval)(request.responseText);
    };
    restore.push(() => (own ? Object.defineProperty(scope, 'importScripts', own) : delete scope.importScripts));
  }
  // The runtime logs its start-up (INFO / WARNING lines: XNNPACK delegate created, no NPU) on
  // stderr, which the glue prints with console.error: drop those; real errors stay errors.
  const printErr = (line: string) => {
    if (!/^(INFO|WARNING|VERBOSE): /.test(line)) console.error(line);
  };
  scope.Module = { locateFile: (file: string) => folder + file, printErr, ...(threaded ? { mainScriptUrlOrBlob: folder + LITERT_THREADED_JS } : {}) };
  // Its default environment would open a WebGPU device (all the adapter's limits) that the CPU
  // embedder never uses: hide navigator.gpu while it loads (it then says it found none).
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav && 'gpu' in nav) {
    Object.defineProperty(nav, 'gpu', { value: undefined, configurable: true });
    restore.push(() => delete (nav as { gpu?: unknown }).gpu);
  }
  try {
    await loadLiteRt(folder, { threads: threaded });
  } finally {
    restore.forEach((undo) => undo());
    delete scope.Module;
  }
}

/** One compiled backbone graph in LiteRT.js. Call `dispose` to free its wasm memory. */
export class LiteRtEmbedder {
  private constructor(
    private readonly model: CompiledModel,
    private readonly size: number,
    private readonly inputRange: readonly [number, number],
    /** Threads XNNPACK runs the graph on. */
    readonly threads: number,
  ) {}

  /**
   * Compiles an image -> embedding graph (input [1, size, size, 3] float32 in `inputRange`).
   * `loadLiteRtOnce` must have resolved; `threads` at most what it resolved to.
   */
  static async compile(graph: TfliteGraph, size: number, inputRange: readonly [number, number], threads = 1): Promise<LiteRtEmbedder> {
    const model = await loadAndCompile(writeTflite(graph), { accelerator: 'wasm', cpuOptions: { numThreads: threads } });
    return new LiteRtEmbedder(model, size, inputRange, threads);
  }

  /** One embedding row per image, each run on its own (the graph's batch is 1). */
  async embed(batch: ImageBatch): Promise<Float32Array[]> {
    if (batch.size !== this.size) throw new Error(`LiteRT backbone takes ${this.size}x${this.size} images, got ${batch.size}`);
    const [lo, hi] = this.inputRange;
    const scale = (hi - lo) / 255;
    const plane = this.size * this.size * 3;
    const x = new Float32Array(plane);
    const rows: Float32Array[] = [];
    for (let n = 0; n < batch.count; n++) {
      const offset = n * plane;
      for (let i = 0; i < plane; i++) x[i] = (batch.pixels[offset + i] as number) * scale + lo;
      const input = new Tensor(x, [1, this.size, this.size, 3]);
      try {
        const [out, ...rest] = await this.model.run(input);
        rest.forEach((t) => t.delete());
        if (!out) throw new Error('LiteRT backbone returned no output');
        rows.push(Float32Array.from(out.toTypedArray() as Float32Array));
        out.delete();
      } finally {
        input.delete();
      }
    }
    return rows;
  }

  dispose(): void {
    this.model.delete();
  }
}
