/**
 * Which runtime embeds fastest (issue 17, item 3): the same backbone embedding, one image at a
 * time, in headless Chromium, in
 *   - tfjs 4.22 wasm (the app's engine: SIMD, one thread, BatchNorm folded at load),
 *   - onnxruntime-web (wasm EP, SIMD) on our ONNX export of the backbone,
 *   - LiteRT.js (@litertjs/core, XNNPACK in wasm) on our TFLite export of the backbone,
 * first in a plain page (one thread each), then in a cross-origin isolated page (COOP/COEP: the
 * threaded builds of onnxruntime-web and LiteRT.js, one thread per core). Each runtime gets a
 * fresh page. Prints images/s, GFLOP/s (2 x multiply-adds) and how far each embedding is from
 * tfjs's on the same pixels.
 *
 * LiteRT.js is a dependency of the app (its embed step on wasm); onnxruntime-web is not: install it
 * for this bench,
 *   npm install --no-save onnxruntime-web
 * (or point --modules at a node_modules that has them). Then
 *   npx tsx bench/runtimes.ts [--backbone=mobilenet_v2_100_224] [--n=40] [--modules=node_modules]
 */
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/browser-options';
import { getBackboneSpec, type BackboneId } from '../src/ml/backbones/catalog';
import { LayersBackbone } from '../src/ml/backbones/layers-backbone';
import { toOnnx } from '../src/ml/export/onnx/to-onnx';
import { toTfliteGraph } from '../src/ml/export/tflite/to-tflite';
import { writeTflite } from '../src/ml/export/tflite/write-flatbuffer';
import { MODELS_DIR, fileHandler, useWasmBackend as switchToWasm } from '../src/ml/testing/node-io';
import { freePort } from './import-probes';
import type { Timing } from './runtimes-page';

const ROOT = join(import.meta.dirname, '..');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const BACKBONE = (arg('backbone') ?? 'mobilenet_v2_100_224') as BackboneId;
const N = Number(arg('n') ?? 40);
const MODULES = join(ROOT, arg('modules') ?? 'node_modules');
const LITERT = join(ROOT, 'node_modules', '@litertjs', 'core');
const OUT = join(ROOT, 'bench', 'out', 'runtimes');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.bin': 'application/octet-stream' };

async function exports(): Promise<{ tflite: Uint8Array; onnx: Uint8Array; macs: number }> {
  await switchToWasm();
  const spec = getBackboneSpec(BACKBONE);
  const backbone = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, BACKBONE)) });
  await backbone.load();
  const dims = Array.from({ length: spec.embeddingSize }, (_, i) => String(i));
  const graph = await toTfliteGraph({ embedder: backbone.embeddingModel, head: null, labels: dims, description: BACKBONE });
  graph.tensors[graph.outputs[0] ?? -1]!.name = 'embedding';
  const tflite = writeTflite(graph);
  const onnx = toOnnx({ graph, labels: dims, metadata: {}, producerVersion: 'bench' });
  backbone.dispose();
  return { tflite, onnx, macs: spec.megaMacs * 1e6 };
}

async function bundle(): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const entry = join(OUT, 'entry.ts');
  writeFileSync(
    entry,
    `import * as page from '../../runtimes-page';\nimport * as litert from ${JSON.stringify(join(LITERT, 'dist/index.js'))};\n(window as unknown as Record<string, unknown>).bench = { ...page, litert };\n`,
  );
  const outfile = join(OUT, 'bundle.js');
  await build({ entryPoints: [entry], bundle: true, format: 'esm', outfile, logLevel: 'error', nodePaths: [MODULES, join(ROOT, 'node_modules')] });
  return outfile;
}

function serve(port: number, files: Record<string, Uint8Array>, bundlePath: string): ReturnType<typeof createServer> {
  const dirs: [string, string][] = [
    ['/models/', join(ROOT, 'public', 'models')],
    ['/tfjs-wasm/', join(ROOT, 'public', 'tfjs-wasm')],
    ['/ort/', join(MODULES, 'onnxruntime-web', 'dist')],
    ['/litert/', join(LITERT, 'wasm')],
  ];
  const server = createServer((req, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const isolated = url.searchParams.has('isolated') || (req.headers.referer ?? '').includes('isolated');
    const headers: Record<string, string> = { 'Cross-Origin-Resource-Policy': 'same-origin' };
    if (isolated) Object.assign(headers, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    const send = (status: number, type: string, body?: Uint8Array | string) => {
      res.writeHead(status, { ...headers, 'Content-Type': type });
      res.end(body);
    };
    if (url.pathname === '/' || url.pathname === '/index.html') return send(200, 'text/html', '<!doctype html><title>runtimes</title><script type="module" src="/bundle.js"></script>');
    if (url.pathname === '/bundle.js') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' });
      return void createReadStream(bundlePath).pipe(res);
    }
    const file = files[url.pathname];
    if (file) return send(200, 'application/octet-stream', file);
    for (const [prefix, dir] of dirs) {
      if (!url.pathname.startsWith(prefix)) continue;
      const path = normalize(join(dir, decodeURIComponent(url.pathname.slice(prefix.length))));
      if (!path.startsWith(dir) || !existsSync(path)) break;
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' });
      return void createReadStream(path).pipe(res);
    }
    send(404, 'text/plain', 'not found');
  });
  server.listen(port, '127.0.0.1');
  return server;
}

type Bench = {
  tfjsWasm(id: string, n: number): Promise<Timing>;
  tfjsWasmBatched(id: string, n: number): Promise<Timing>;
  onnxruntimeWeb(threads: number, n: number): Promise<Timing>;
  liteRt(litert: unknown, threads: boolean, n: number): Promise<Timing>;
  litert: unknown;
};

async function main(): Promise<void> {
  if (!existsSync(join(MODULES, 'onnxruntime-web/dist/ort.wasm.min.mjs'))) throw new Error('onnxruntime-web is missing: npm install --no-save onnxruntime-web (or --modules=<a node_modules with it>)');
  const { tflite, onnx, macs } = await exports();
  const bundlePath = await bundle();
  const port = await freePort();
  const server = serve(port, { '/files/backbone.tflite': tflite, '/files/backbone.onnx': onnx }, bundlePath);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const results: (Timing & { isolated: boolean })[] = [];
  const runs: [boolean, string][] = [
    [false, 'bench.tfjsWasm(id, n)'],
    [false, 'bench.tfjsWasmBatched(id, n)'],
    [false, 'bench.onnxruntimeWeb(1, n)'],
    [false, 'bench.liteRt(bench.litert, false, n)'],
    [true, 'bench.onnxruntimeWeb(navigator.hardwareConcurrency, n)'],
    [true, 'bench.liteRt(bench.litert, true, n)'],
  ];
  try {
    for (const [isolated, call] of runs) {
      const page = await browser.newPage();
      page.on('pageerror', (e) => console.error(`page error (${call}): ${e.message}`));
      await page.goto(`http://127.0.0.1:${port}/${isolated ? '?isolated' : ''}`);
      await page.waitForFunction(() => 'bench' in window);
      const isIsolated = await page.evaluate(() => crossOriginIsolated);
      try {
        const t = await page.evaluate(
          ({ call, id, n }) => new Function('bench', 'id', 'n', `return ${call}`)((window as unknown as { bench: Bench }).bench, id, n) as Promise<Timing>,
          { call, id: BACKBONE, n: N },
        );
        results.push({ ...t, isolated: isIsolated });
        console.error(`${t.runtime}, ${t.threads} thread(s)${isIsolated ? ', isolated' : ''}: ${t.imagesPerSecond.toFixed(1)} img/s (load ${t.loadMs} ms)`);
      } catch (e) {
        console.error(`${call} failed: ${(e as Error).message.split('\n')[0]}`);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const reference = results.find((r) => r.runtime.startsWith('tfjs'))?.first ?? [];
  console.log(`\n${BACKBONE} embedding, one image at a time, ${N} timed after 3 warm-up runs; ${new Date().toISOString()}; ${(macs / 1e6).toFixed(0)}M multiply-adds per image`);
  console.log('| runtime | threads | cross-origin isolated | load ms | images/s | GFLOP/s | max abs diff vs tfjs (first 8 values) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    // The batched run answers each call with an earlier image's row: nothing to compare there.
    const diff = r.runtime.includes('batches') ? 'n/a' : Math.max(...r.first.map((v, i) => Math.abs(v - (reference[i] ?? NaN)))).toExponential(1);
    console.log(`| ${r.runtime} | ${r.threads} | ${r.isolated ? 'yes' : 'no'} | ${r.loadMs} | ${r.imagesPerSecond.toFixed(1)} | ${((2 * macs * r.imagesPerSecond) / 1e9).toFixed(1)} | ${diff} |`);
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
