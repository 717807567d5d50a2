/**
 * Teachable Machine's own library (@teachablemachine/image 0.8.5 on tfjs 1.3.1) doing the same job
 * as the app, in the same browser, on the same photos and the same MobileNetV2 0.35 weights:
 * File -> <img> decode -> centre square at 224 on a canvas (TM's cropTo) -> addExample(), which
 * embeds the photo with TM's truncated MobileNet (layer out_relu + global average pool).
 *
 * Both libraries come from a throwaway npm install outside the repo (TM_DIR, default /tmp/tm),
 * served through page.route on a fake path of our origin; TM's fixed Google Storage URL for the
 * base model is answered with our public/models/mobilenet_v2_035_224 files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { log, NAME_SHIM, ROOT } from './embed-lib';

const TM_DIR = process.env.TM_DIR ?? '/tmp/tm';
const TM_JS = join(TM_DIR, 'node_modules/@teachablemachine/image/dist/teachablemachine-image.min.js');
const TF_JS = join(TM_DIR, 'node_modules/@tensorflow/tfjs/dist/tf.min.js');
const MODEL_DIR = join(ROOT, 'dist-bench/models/mobilenet_v2_035_224');

/** Installs @teachablemachine/image@0.8.5 and @tensorflow/tfjs@1.3.1 into TM_DIR if missing (never into the repo). */
export function ensureTmInstall(): void {
  if (existsSync(TM_JS) && existsSync(TF_JS)) return;
  log(`installing Teachable Machine into ${TM_DIR}`);
  mkdirSync(TM_DIR, { recursive: true });
  if (!existsSync(join(TM_DIR, 'package.json'))) spawnSync('npm', ['init', '-y'], { cwd: TM_DIR, stdio: 'ignore' });
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '@teachablemachine/image@0.8.5', '@tensorflow/tfjs@1.3.1'], { cwd: TM_DIR, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(TM_JS)) throw new Error(`npm install in ${TM_DIR} failed`);
}

const TF4_JS = join(ROOT, 'node_modules/@tensorflow/tfjs/dist/tf.min.js');
const PAGE = `<!doctype html><meta charset="utf-8"><title>TM bench</title>
<script src="/__tm/tf.min.js"></script><script src="/__tm/tm.min.js"></script><body></body>`;
/** The app's own tfjs (4.22) as a global, without TM (whose 0.8.5 code calls APIs tfjs 4 removed). */
const PAGE_TF4 = `<!doctype html><meta charset="utf-8"><title>tfjs 4 bench</title><script src="/__tm/tf4.min.js"></script><body></body>`;
const TF4_WASM_JS = join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js');
/**
 * Teachable Machine at its best: its own bundle on the app's tfjs 4.22 with the wasm backend (one
 * thread; the page is not cross-origin isolated), wasm files from our origin. TM 0.8.5 only reads
 * `tf` as a global, so its code runs unchanged.
 */
const PAGE_TM4 = `<!doctype html><meta charset="utf-8"><title>TM on tfjs 4 bench</title>
<script src="/__tm/tf4.min.js"></script><script src="/__tm/tf4-wasm.min.js"></script><script>tf.wasm.setWasmPaths('/tfjs-wasm/');</script>
<script src="/__tm/tm.min.js"></script><body></body>`;

type TmWindow = Window & {
  tf: { setBackend(b: string): boolean | Promise<boolean>; ready(): Promise<void>; getBackend(): string; version: { tfjs: string }; memory(): { numTensors: number } };
  tmImage: {
    version: string;
    createTeachable(meta: object, opts: object): Promise<{ setLabels(l: string[]): void; addExample(i: number, c: HTMLCanvasElement): Promise<void> }>;
  };
  __files: File[];
  __long: { start: number; duration: number }[];
};

/** Opens TM's page on our origin with routes for its bundles and its base model. */
export async function openTm(context: BrowserContext, baseUrl: string, page_ = 'index.html'): Promise<Page> {
  const page = await context.newPage();
  await page.route(`${baseUrl}/__tm/**`, (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    if (name === 'index.html') return route.fulfill({ contentType: 'text/html', body: PAGE });
    if (name === 'tf4.html') return route.fulfill({ contentType: 'text/html', body: PAGE_TF4 });
    if (name === 'tm4.html') return route.fulfill({ contentType: 'text/html', body: PAGE_TM4 });
    if (name === 'tf4-wasm.min.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(TF4_WASM_JS) });
    if (name === 'tf4.min.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(TF4_JS) });
    if (name === 'tf.min.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(TF_JS) });
    if (name === 'tm.min.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(TM_JS) });
    return route.fulfill({ status: 404 });
  });
  // TM asks for ".../mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json" and its weights.
  await page.route('https://storage.googleapis.com/**', (route) => {
    const url = route.request().url();
    const name = url.split('/').pop() ?? '';
    if (!url.includes('_0.35_224_no_top/') || !existsSync(join(MODEL_DIR, name))) return route.fulfill({ status: 404 });
    return route.fulfill({
      contentType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      headers: { 'access-control-allow-origin': '*' },
      body: readFileSync(join(MODEL_DIR, name)),
    });
  });
  await page.addInitScript(NAME_SHIM);
  await page.addInitScript(() => {
    const w = window as unknown as TmWindow;
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${baseUrl}/__tm/${page_}`);
  return page;
}

export interface TmRun {
  backend: string;
  tfjs: string;
  tm: string;
  ms: number;
  photos: number;
  longTasks: number;
  /** Long tasks overlapping the timed loop, clipped to it. */
  longTaskMaxMs: number;
  over100: number;
  /** numTensors after, minus before (TM keeps embeddings as arrays, so 0 means no leak). */
  tensorGrowth: number;
}

/**
 * Creates a teachable model on `backend` and times addExample over every file already loaded in
 * the page (`__files`, with `classOf[i]` its class index), decoding included. One photo is added
 * first, untimed, to compile kernels (our app warms up when it loads a backbone).
 */
export async function tmEmbed(page: Page, backend: string, classOf: number[], labels: string[], readFrequently = false): Promise<TmRun> {
  return page.evaluate(
    async ({ backend, classOf, labels, readFrequently }) => {
      const w = window as unknown as TmWindow;
      await w.tf.setBackend(backend);
      await w.tf.ready();
      const model = await w.tmImage.createTeachable({ tfjsVersion: w.tf.version.tfjs, tmVersion: w.tmImage.version }, { version: 2, alpha: 0.35 });
      model.setLabels(labels);
      const canvas = document.createElement('canvas');
      // At its best: a canvas made for reading back (tfjs' fromPixels reads it with getImageData;
      // otherwise Chromium keeps it on the GPU, SwiftShader here, and reads it back each photo).
      if (readFrequently) canvas.getContext('2d', { willReadFrequently: true });
      // TM's cropTo (src/utils/canvas.ts, not exported by the bundle): scale the short side to 224, centre-crop.
      const cropTo = (img: HTMLImageElement, size: number) => {
        const scale = size / Math.min(img.width, img.height);
        const w2 = Math.ceil(img.width * scale);
        const h2 = Math.ceil(img.height * scale);
        canvas.width = canvas.height = size;
        canvas.getContext('2d')?.drawImage(img, ~~((w2 - size) / 2) * -1, ~~((h2 - size) / 2) * -1, w2, h2);
        return canvas;
      };
      const add = async (file: File, cls: number) => {
        const url = URL.createObjectURL(file);
        try {
          const img = new Image();
          img.src = url;
          await img.decode();
          await model.addExample(cls, cropTo(img, 224));
        } finally {
          URL.revokeObjectURL(url);
        }
      };
      const files = w.__files;
      await add(files[0] as File, classOf[0] ?? 0);
      const tensors = w.tf.memory().numTensors;
      const t0 = performance.now();
      for (let i = 0; i < files.length; i++) await add(files[i] as File, classOf[i] ?? 0);
      const t1 = performance.now();
      const long = w.__long.map((t) => Math.min(t.start + t.duration, t1) - Math.max(t.start, t0)).filter((d) => d > 0);
      return {
        backend: w.tf.getBackend(),
        tfjs: w.tf.version.tfjs,
        tm: w.tmImage.version,
        ms: t1 - t0,
        photos: files.length,
        longTasks: long.length,
        longTaskMaxMs: Math.max(0, ...long),
        over100: long.filter((d) => d > 100).length,
        tensorGrowth: w.tf.memory().numTensors - tensors,
      };
    },
    { backend, classOf, labels, readFrequently },
  );
}

/**
 * Diagnostic: TM's per-photo loop without TM (load our MobileNetV2 0.35 with tf.loadLayersModel,
 * then per photo: <img> decode, TM's crop to a 224 canvas, fromPixels, predict, dataSync) on the
 * main thread, run on tfjs 1.3.1 (open with openTm(.., 'index.html')) or 4.22 ('tf4.html'): tells
 * the tfjs version's share apart from the app's worker and pipeline.
 */
export async function plainLoop(page: Page, baseUrl: string, backend: string): Promise<{ tfjs: string; backend: string; ms: number; photos: number }> {
  return page.evaluate(
    async ({ baseUrl, backend }) => {
      type T = { dataSync(): unknown; dispose(): void; expandDims(a: number): T; cast(d: string): T; div(x: number): T; sub(x: number): T };
      const tf = (window as unknown as { tf: TmWindow['tf'] & { loadLayersModel(u: string): Promise<{ predict(x: T): T }>; tidy(f: () => T): T; browser: { fromPixels(c: HTMLCanvasElement): T } } }).tf;
      await tf.setBackend(backend);
      await tf.ready();
      const model = await tf.loadLayersModel(`${baseUrl}/models/mobilenet_v2_035_224/model.json`);
      const canvas = document.createElement('canvas');
      const one = async (file: File) => {
        const url = URL.createObjectURL(file);
        try {
          const img = new Image();
          img.src = url;
          await img.decode();
          const scale = 224 / Math.min(img.width, img.height);
          const w2 = Math.ceil(img.width * scale);
          const h2 = Math.ceil(img.height * scale);
          canvas.width = canvas.height = 224;
          canvas.getContext('2d')?.drawImage(img, ~~((w2 - 224) / 2) * -1, ~~((h2 - 224) / 2) * -1, w2, h2);
          const out = tf.tidy(() => model.predict(tf.browser.fromPixels(canvas).expandDims(0).cast('float32').div(127.5).sub(1)));
          out.dataSync();
          out.dispose();
        } finally {
          URL.revokeObjectURL(url);
        }
      };
      const files = (window as unknown as TmWindow).__files;
      await one(files[0] as File);
      const t0 = performance.now();
      for (const f of files) await one(f);
      return { tfjs: tf.version.tfjs, backend: tf.getBackend(), ms: performance.now() - t0, photos: files.length };
    },
    { baseUrl, backend },
  );
}
