/**
 * Embedding speed bench (issue 4), in headless Chromium on the built app, on photos of
 * ../shared/datasets/clothing-small/train, from File objects to embeddings (decoding included):
 *
 *   speed  each backend (?backend=webgl, wasm, auto) x backbone through the real UI: CDP folder
 *          drop -> import (decode + SHA-256 + 224 JPEG copy) timed to the import bar's end; then
 *          per backbone: pick it, click Train, time to the embedding bar's done == total; main-
 *          thread long tasks meanwhile; CPU seconds per Chromium thread. Medians of BENCH_REPEATS.
 *   split  the engine's steps timed apart through the ?debug hooks (prepareImage, probe,
 *          embedTrainingCopies): decode vs inference, achieved GFLOP/s.
 *   tm     Teachable Machine's @teachablemachine/image 0.8.5 (tfjs 1.3.1) on the same photos and
 *          the same MobileNetV2 0.35 weights (bench/embed-tm.ts).
 *   tm4    Teachable Machine at its best: its bundle on the app's tfjs 4.22 with the wasm backend,
 *          against the app as shipped (auto), BENCH_N photos, MobileNetV2 0.35, interleaved.
 *   mem    peak RSS of all Chromium processes + the page's JS heap while embedding BENCH_MEM_N (per BENCH_MEM_BACKENDS, BENCH_MEM_BACKBONE)
 *          photos (auto backend, MobileNetV2 0.35).
 *
 *   npx tsx bench/embed.ts [--no-build]
 *   env: BENCH_N (wasm/auto photos, 300), BENCH_N_WEBGL (40), BENCH_REPEATS (3), BENCH_MEM_N (3068),
 *        BENCH_STEPS (speed,split,tm,tm4,tfjs,mem), BENCH_BACKENDS (webgl,wasm,auto; flags after ":": "auto:1" = one embedding engine, ?embedWorkers=1; "auto:tfjs" = backbone in tfjs, ?embedRuntime=tfjs), BENCH_PORT (4191), BENCH_BACKBONES (ids, all), TM_DIR (/tmp/tm)
 *
 * Writes bench/out/embed/results-<time>.json and .md (the tables for bench/RESULTS.md).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKBONE_CHOICES, getBackboneSpec } from '../src/ml/backbones/catalog';
import { embedViaUi, importFolder, loadFiles, openApp, selectBackbone, splitTimes, type EmbedRun, type Split } from './embed-app';
import { cpuBetween, launchChromium, log, median, round, SCRATCH, serveApp, sleep, subsetFolder, threadTicks, trainPhotos } from './embed-lib';
import { ensureTmInstall, openTm, plainLoop, tmEmbed, type TmRun } from './embed-tm';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const N = Number(env('BENCH_N', '300'));
const N_WEBGL = Number(env('BENCH_N_WEBGL', '40'));
const REPEATS = Number(env('BENCH_REPEATS', '3'));
const MEM_N = Number(env('BENCH_MEM_N', '3068'));
/** Backends (with flags, as BENCH_BACKENDS) and the backbone of the mem step: "auto:st,auto" compares LiteRT.js' single-thread and threaded builds. */
const MEM_BACKENDS = env('BENCH_MEM_BACKENDS', 'auto').split(',');
const MEM_BACKBONE = env('BENCH_MEM_BACKBONE', 'mobilenet_v2_035_224');
const STEPS = env('BENCH_STEPS', 'speed,split,tm,tm4,tfjs,mem').split(',');
const BACKENDS = env('BENCH_BACKENDS', 'webgl,wasm,auto').split(',');
// 4190 is on the fetch spec's bad-port list: Chromium and Node's fetch refuse it (ERR_UNSAFE_PORT).
const PORT = Number(env('BENCH_PORT', '4191'));
/** BENCH_BACKBONES=id,id: only these backbones (default: all). */
const ONLY = env('BENCH_BACKBONES', '').split(',').filter(Boolean);
const BENCH_BACKBONE_LIST = BACKBONE_CHOICES.filter((b) => ONLY.length === 0 || ONLY.includes(b.id));
const photosFor = (backend: string) => (backend === 'webgl' ? N_WEBGL : N);
/** 2 x multiply-adds x images per second, in GFLOP/s. */
const gflops = (backbone: string, imgPerS: number) => round((2 * getBackboneSpec(backbone).megaMacs * 1e6 * imgPerS) / 1e9, 2);

interface SpeedRow extends EmbedRun {
  backend: string;
  engineBackend: string;
  backbone: string;
  photos: number;
  repeat: number;
  importMs: number;
}

const results: {
  date: string;
  chromium: string;
  settings: Record<string, unknown>;
  speed: SpeedRow[];
  split: (Split & { backend: string; backbone: string; photos: number })[];
  tm: (TmRun & { repeat: number })[];
  /** The app on TM's photos, interleaved with the TM runs. */
  paired: SpeedRow[];
  /** Teachable Machine's bundle on the app's tfjs 4.22, wasm (its strongest form), N photos. */
  tm4: (TmRun & { repeat: number })[];
  /** The app (auto) on the same N photos, interleaved with the tm4 runs. */
  paired4: SpeedRow[];
  /** The same with embedding ahead of Train (as shipped): import, then what is left after the Train click. */
  ahead4: SpeedRow[];
  /** Diagnostic: TM-style main-thread loop on tfjs 1.3.1 vs 4.22. */
  tfjs: { tfjs: string; backend: string; ms: number; photos: number; repeat: number }[];
  mem: (EmbedRun & { backend: string; backbone: string; photos: number; importMs: number; engineBackend: string; idleCpuPerS: Record<string, number> })[];
} = {
  date: new Date().toISOString(),
  chromium: execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim(),
  settings: { N, N_WEBGL, REPEATS, MEM_N, STEPS, BACKENDS },
  speed: [],
  split: [],
  tm: [],
  paired: [],
  tm4: [],
  paired4: [],
  ahead4: [],
  tfjs: [],
  mem: [],
};

const stem = join(SCRATCH, `results-${results.date.slice(0, 19).replace(/:/g, '')}`);
/** Writes what is measured so far (a late failure keeps the earlier steps). */
function save(): void {
  mkdirSync(SCRATCH, { recursive: true });
  writeFileSync(`${stem}.json`, JSON.stringify(results, null, 2));
  writeFileSync(`${stem}.md`, report());
}

async function main(): Promise<void> {
  if (STEPS.includes('tm') || STEPS.includes('tm4')) ensureTmInstall();
  const server = await serveApp(PORT, !process.argv.includes('--no-build'));
  const browser = await launchChromium();
  try {
    if (STEPS.includes('speed')) {
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        for (const backend of BACKENDS) {
          const { folder, paths } = subsetFolder(photosFor(backend));
          const context = await browser.newContext(); // fresh IndexedDB: nothing cached
          const app = await openApp(context, server.url, backend);
          const importMs = await importFolder(app, folder, paths.length);
          log(`repeat ${repeat} ${backend} (${app.backend}): import ${paths.length} in ${round(importMs / 1000)} s`);
          for (const { id } of BENCH_BACKBONE_LIST) {
            await selectBackbone(app.page, id);
            const run = await embedViaUi(app);
            results.speed.push({ backend, engineBackend: app.backend, backbone: id, photos: paths.length, repeat, importMs, ...run });
            log(`  ${id}: ${round((paths.length / run.ms) * 1000)} img/s, long tasks ${run.longTasks} (max ${round(run.longTaskMaxMs)} ms)`);
          }
          await context.close();
        }
      }
    }

    save();
    if (STEPS.includes('split')) {
      for (const backend of BACKENDS.filter((b) => b !== 'auto')) {
        const paths = trainPhotos().slice(0, backend === 'webgl' ? 16 : 48).map((p) => p.path);
        const context = await browser.newContext();
        const app = await openApp(context, server.url, backend);
        await loadFiles(app.page, paths);
        for (const { id } of BENCH_BACKBONE_LIST) {
          await selectBackbone(app.page, id);
          const split = await splitTimes(app.page, backend === 'webgl' ? [1, 8] : [1, 4, 16]);
          results.split.push({ backend, backbone: id, photos: paths.length, ...split });
          log(`split ${backend} ${id}: ${JSON.stringify(split)}`);
        }
        await context.close();
      }
    }

    /** The first `n` training photos, as a folder for the app and as files with labels for TM. */
    const pairedPhotos = (n: number) => {
      const photos = trainPhotos().slice(0, n);
      const labels = [...new Set(photos.map((p) => p.className))].sort();
      return { ...subsetFolder(n), photos, labels, classOf: photos.map((p) => labels.indexOf(p.className)) };
    };
    /** Teachable Machine (page `html` of embed-tm.ts) in a fresh context: addExample over `photos`. */
    const tmRun = async (html: string, backend: string, photos: { path: string }[], classOf: number[], labels: string[], readFrequently = false): Promise<TmRun> => {
      const context = await browser.newContext();
      try {
        const page = await openTm(context, server.url, html);
        await loadFiles(page, photos.map((p) => p.path));
        return await tmEmbed(page, backend, classOf, labels, readFrequently);
      } finally {
        await context.close();
      }
    };
    /** The app (`backend` with flags) in a fresh context, MobileNetV2 0.35: imports `folder`, then the embed step from the Train click. */
    const appRun = async (backend: string, folder: string, photos: number, repeat: number): Promise<SpeedRow> => {
      const context = await browser.newContext();
      try {
        const app = await openApp(context, server.url, backend);
        await selectBackbone(app.page, 'mobilenet_v2_035_224');
        const importMs = await importFolder(app, folder, photos);
        const run = await embedViaUi(app);
        return { backend, engineBackend: app.backend, backbone: 'mobilenet_v2_035_224', photos, repeat, importMs, ...run };
      } finally {
        await context.close();
      }
    };

    save();
    if (STEPS.includes('tm')) {
      // Paired runs, interleaved in time (the machine is shared: load moves between runs): TM on
      // webgl, then the app on webgl and on auto, same photos, same MobileNetV2 0.35 weights.
      // TM's tfjs 1.3.1 has no wasm backend; its cpu backend is timed once on 8 photos.
      const { folder, paths, photos, labels, classOf } = pairedPhotos(N_WEBGL);
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        for (const backend of repeat === 0 ? ['webgl', 'cpu'] : ['webgl']) {
          const run = await tmRun('index.html', backend, backend === 'cpu' ? photos.slice(0, 8) : photos, classOf, labels);
          results.tm.push({ ...run, repeat });
          log(`TM ${backend}: ${run.photos} photos in ${round(run.ms / 1000)} s, long tasks ${run.longTasks} (max ${round(run.longTaskMaxMs)} ms)`);
        }
        for (const backend of ['webgl', 'auto']) {
          const row = await appRun(backend, folder, paths.length, repeat);
          results.paired.push(row);
          log(`ours ${backend}: ${paths.length} photos, import ${round(row.importMs / 1000)} s + embed ${round(row.ms / 1000)} s`);
        }
      }
    }

    save();
    if (STEPS.includes('tm4')) {
      // Teachable Machine at its best (its bundle on tfjs 4.22, wasm, one thread) against the app
      // as shipped (auto), same N photos, same MobileNetV2 0.35 weights, interleaved; then the app
      // with embedding ahead of Train (import, then what is left after the Train click).
      const { folder, paths, photos, labels, classOf } = pairedPhotos(N);
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        const run = await tmRun('tm4.html', 'wasm', photos, classOf, labels, true);
        results.tm4.push({ ...run, repeat });
        log(`TM on tfjs ${run.tfjs} ${run.backend}: ${run.photos} photos, ${round(run.photos / (run.ms / 1000))} img/s, long tasks ${run.longTasks} (max ${round(run.longTaskMaxMs)} ms)`);
        const ours = await appRun('auto', folder, paths.length, repeat);
        results.paired4.push(ours);
        log(`ours auto: ${paths.length} photos, import ${round(ours.importMs / 1000)} s + embed ${round(ours.ms / 1000)} s = ${round(paths.length / (ours.ms / 1000))} img/s embed step`);
        const ahead = await appRun('auto:ahead', folder, paths.length, repeat);
        results.ahead4.push(ahead);
        log(`ours auto, embedding ahead: import ${round(ahead.importMs / 1000)} s + the rest after the Train click ${round(ahead.ms / 1000)} s`);
      }
    }

    save();
    if (STEPS.includes('tfjs')) {
      // The same main-thread per-photo loop on tfjs 1.3.1 and on the app's 4.22, interleaved.
      const paths = trainPhotos().slice(0, N_WEBGL).map((p) => p.path);
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        for (const [html, backend] of [['index.html', 'webgl'], ['tf4.html', 'webgl']] as const) {
          const context = await browser.newContext();
          const page = await openTm(context, server.url, html);
          await loadFiles(page, paths);
          const run = await plainLoop(page, server.url, backend);
          results.tfjs.push({ ...run, repeat });
          log(`plain loop tfjs ${run.tfjs} ${run.backend}: ${round(run.photos / (run.ms / 1000), 2)} img/s`);
          await context.close();
        }
      }
    }

    save();
    if (STEPS.includes('mem')) {
      const { folder, paths } = subsetFolder(MEM_N);
      for (const backend of MEM_BACKENDS) {
        const context = await browser.newContext();
        const app = await openApp(context, server.url, backend);
        const importMs = await importFolder(app, folder, paths.length);
        await selectBackbone(app.page, MEM_BACKBONE);
        // What the idle page costs (rendering, GPU process), to set against the CPU while embedding.
        const idle0 = threadTicks();
        await sleep(5000);
        const idleCpuPerS = Object.fromEntries(Object.entries(cpuBetween(idle0, threadTicks(), 0.01)).map(([k, v]) => [k, round(v / 5, 3)]));
        const run = await embedViaUi(app, true);
        const row = { backend, backbone: MEM_BACKBONE, photos: paths.length, importMs, engineBackend: app.backend, idleCpuPerS, ...run };
        results.mem.push(row);
        log(`memory: ${JSON.stringify(row)}`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.stop();
  }
  save();
  process.stdout.write(`${report()}\nWritten: ${stem}.json and .md\n`);
}

/** Markdown tables of the medians. */
function report(): string {
  const out: string[] = [`${results.chromium}; ${results.date}; settings ${JSON.stringify(results.settings)}`, ''];
  if (results.speed.length) {
    out.push(
      `Medians of ${REPEATS} runs. import = drop to import bar's end (decode + SHA-256 + 224 JPEG copy + IndexedDB); embed = Train click to embedding bar done; end-to-end = photos / (import + embed). Long tasks: main thread, during embedding, worst run.`,
      '',
      'CPU ms/photo while embedding (median): all Chromium processes / the engine worker thread / the GPU process (SwiftShader). GFLOP/s per busy core = 2 x MACs / CPU time of the computing threads (worker on wasm, GPU process on webgl): what the code achieves per core, whatever share of the shared machine it got.',
      '',
      '| backend (engine) | backbone | photos | import img/s | embed img/s | end-to-end img/s | embed GFLOP/s (wall) | CPU ms/photo all / worker / gpu | GFLOP/s per busy core | long tasks (n / max ms / over 100 ms) |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const backend of BACKENDS) {
      for (const { id } of BENCH_BACKBONE_LIST) {
        const rows = results.speed.filter((r) => r.backend === backend && r.backbone === id);
        if (!rows.length) continue;
        const photos = rows[0]?.photos ?? 0;
        const imp = median(rows.map((r) => photos / (r.importMs / 1000)));
        const emb = median(rows.map((r) => photos / (r.ms / 1000)));
        const e2e = median(rows.map((r) => photos / ((r.importMs + r.ms) / 1000)));
        const long = `${Math.max(...rows.map((r) => r.longTasks))} / ${round(Math.max(...rows.map((r) => r.longTaskMaxMs)), 0)} / ${Math.max(...rows.map((r) => r.over100))}`;
        const cpu = (r: SpeedRow, match: (k: string) => boolean) => (Object.entries(r.cpuSeconds).reduce((t, [k, v]) => t + (match(k) ? v : 0), 0) * 1000) / photos;
        const all = median(rows.map((r) => cpu(r, () => true)));
        const worker = median(rows.map((r) => cpu(r, (k) => k === 'renderer/DedicatedWorker')));
        const gpu = median(rows.map((r) => cpu(r, (k) => k.startsWith('gpu-process/'))));
        const busy = rows[0]?.engineBackend === 'webgl' ? gpu : worker;
        out.push(
          `| ${backend} (${rows[0]?.engineBackend}) | ${id} | ${photos} | ${round(imp)} | ${round(emb)} | ${round(e2e)} | ${gflops(id, emb)} | ${round(all, 0)} / ${round(worker, 0)} / ${round(gpu, 0)} | ${gflops(id, 1000 / busy)} | ${long} |`,
        );
      }
    }
    const cpu = results.speed.find((r) => r.backend === BACKENDS.at(-1) && r.backbone === 'mobilenet_v2_100_224');
    if (cpu) out.push('', `CPU seconds by Chromium thread while embedding (${cpu.backend}, mobilenet_v2_100_224, ${cpu.photos} photos, ${round(cpu.ms / 1000)} s wall): ${JSON.stringify(cpu.cpuSeconds)}`);
    const gl = results.speed.find((r) => r.backend === 'webgl' && r.backbone === 'mobilenet_v2_100_224');
    if (gl) out.push('', `Same on webgl (${gl.photos} photos, ${round(gl.ms / 1000)} s wall): ${JSON.stringify(gl.cpuSeconds)}`);
  }
  if (results.split.length) {
    out.push(
      '',
      'Engine steps timed apart (debug hooks, one request at a time, single run; ms per photo). inference = embedTrainingCopies per photo - decode of the 224 copy (includes upload and readback).',
      '',
      '| backend | backbone | prepareImage (import): wall / worker CPU | decode full photo | decode 224 copy | embedTrainingCopies by batch: wall | same: worker CPU | inference by batch: wall | best inference img/s | GFLOP/s at best |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const s of results.split) {
      const by = (rec: Record<number, number>) => Object.entries(rec).map(([b, ms]) => `${b}: ${round(ms)}`).join(', ');
      const best = 1000 / Math.min(...Object.values(s.inferMs));
      out.push(
        `| ${s.backend} | ${s.backbone} | ${round(s.prepareMs)} / ${round(s.prepareCpuMs)} | ${round(s.decodeFullMs)} | ${round(s.decode224Ms)} | ${by(s.embedMs)} | ${by(s.embedCpuMs)} | ${by(s.inferMs)} | ${round(best)} | ${gflops(s.backbone, best)} |`,
      );
    }
  }
  if (results.tm.length) {
    const tm = results.tm.filter((t) => t.backend === 'webgl');
    const tmRate = (r: number) => {
      const t = tm.find((x) => x.repeat === r);
      return t ? t.photos / (t.ms / 1000) : NaN;
    };
    const cpu = results.tm.find((t) => t.backend === 'cpu');
    const long = (rows: { longTasks: number; longTaskMaxMs: number; over100: number }[]) =>
      `${Math.max(...rows.map((t) => t.longTasks))} / ${round(Math.max(...rows.map((t) => t.longTaskMaxMs)), 0)} / ${Math.max(...rows.map((t) => t.over100))}`;
    out.push(
      '',
      `Teachable Machine ${tm[0]?.tm} (tfjs ${tm[0]?.tfjs}) vs the app, MobileNetV2 0.35, same photos, runs interleaved; medians of ${tm.length} (ratios: median of the per-repeat ratios).`,
      '',
      '| library | backend | photos | img/s File -> embedding | ratio ours / TM webgl | long tasks (n / max ms / over 100 ms) |',
      '| --- | --- | --- | --- | --- | --- |',
      `| Teachable Machine (addExample) | webgl | ${tm[0]?.photos} | ${round(median(tm.map((t) => t.photos / (t.ms / 1000))), 2)} | 1 | ${long(tm)} |`,
    );
    if (cpu) out.push(`| Teachable Machine (addExample) | cpu | ${cpu.photos} | ${round(cpu.photos / (cpu.ms / 1000), 2)} | | ${long([cpu])} |`);
    for (const backend of ['webgl', 'auto']) {
      const rows = results.paired.filter((r) => r.backend === backend);
      if (!rows.length) continue;
      const e2e = (r: SpeedRow) => r.photos / ((r.importMs + r.ms) / 1000);
      const emb = (r: SpeedRow) => r.photos / (r.ms / 1000);
      out.push(
        `| Transfer Studio, import + embed | ${backend} (${rows[0]?.engineBackend}) | ${rows[0]?.photos} | ${round(median(rows.map(e2e)), 2)} | ${round(median(rows.map((r) => e2e(r) / tmRate(r.repeat))), 2)}x | ${long(rows)} (embedding) |`,
        `| Transfer Studio, embed step only | ${backend} (${rows[0]?.engineBackend}) | ${rows[0]?.photos} | ${round(median(rows.map(emb)), 2)} | ${round(median(rows.map((r) => emb(r) / tmRate(r.repeat))), 2)}x | |`,
      );
    }
  }
  if (results.tm4.length) {
    const tmRate = (r: number) => {
      const t = results.tm4.find((x) => x.repeat === r);
      return t ? t.photos / (t.ms / 1000) : NaN;
    };
    const t0 = results.tm4[0];
    const long = (rows: { longTasks: number; longTaskMaxMs: number; over100: number }[]) =>
      `${Math.max(...rows.map((t) => t.longTasks))} / ${round(Math.max(...rows.map((t) => t.longTaskMaxMs)), 0)} / ${Math.max(...rows.map((t) => t.over100))}`;
    const rows = results.paired4;
    const e2e = (r: SpeedRow) => r.photos / ((r.importMs + r.ms) / 1000);
    const emb = (r: SpeedRow) => r.photos / (r.ms / 1000);
    const runs = (f: (r: SpeedRow) => number) => rows.map((r) => round(f(r), 1)).join(', ');
    out.push(
      '',
      `Teachable Machine ${t0?.tm} at its best (its bundle on tfjs ${t0?.tfjs}, wasm, one thread, its crop canvas made with willReadFrequently) vs the app as shipped (auto), MobileNetV2 0.35, the same ${t0?.photos} photos, runs interleaved; medians of ${results.tm4.length} (ratios: median of the per-repeat ratios; every run in brackets).`,
      '',
      '| pipeline | backend | img/s | ratio ours / TM at its best | long tasks (n / max ms / over 100 ms) |',
      '| --- | --- | --- | --- | --- |',
      `| Teachable Machine (addExample: File -> embedding) | ${t0?.backend} | ${round(median(results.tm4.map((t) => t.photos / (t.ms / 1000))), 1)} [${results.tm4.map((t) => round(t.photos / (t.ms / 1000), 1)).join(', ')}] | 1 | ${long(results.tm4)} |`,
      `| Transfer Studio, embed step | auto (${rows[0]?.engineBackend}) | ${round(median(rows.map(emb)), 1)} [${runs(emb)}] | ${round(median(rows.map((r) => emb(r) / tmRate(r.repeat))), 2)}x | ${long(rows)} |`,
      `| Transfer Studio, import + embed | auto (${rows[0]?.engineBackend}) | ${round(median(rows.map(e2e)), 1)} [${runs(e2e)}] | ${round(median(rows.map((r) => e2e(r) / tmRate(r.repeat))), 2)}x | |`,
    );
    const ahead = results.ahead4;
    if (ahead.length) {
      const aheadRuns = ahead.map((r) => round(e2e(r), 1)).join(', ');
      out.push(
        `| Transfer Studio as shipped (embedding ahead), import + embed: drop to embeddings ready, Train clicked at the import's end | auto (${ahead[0]?.engineBackend}) | ${round(median(ahead.map(e2e)), 1)} [${aheadRuns}] | ${round(median(ahead.map((r) => e2e(r) / tmRate(r.repeat))), 2)}x | ${long(ahead)} |`,
      );
    }
  }
  if (results.tfjs.length) {
    out.push('', `Diagnostic: TM's per-photo loop without TM (img decode, 224 canvas, fromPixels, predict, dataSync; main thread), same ${results.tfjs[0]?.photos} photos, MobileNetV2 0.35, median of ${REPEATS}:`, '');
    for (const v of [...new Set(results.tfjs.map((r) => `${r.tfjs} ${r.backend}`))]) {
      const rows = results.tfjs.filter((r) => `${r.tfjs} ${r.backend}` === v);
      out.push(`- tfjs ${v}: ${round(median(rows.map((r) => r.photos / (r.ms / 1000))), 2)} img/s`);
    }
  }
  for (const m of results.mem) {
    out.push(
      '',
      `Memory, ${m.photos} photos, ${m.backend} (${m.engineBackend}), ${m.backbone}: import ${round(m.importMs / 1000)} s, embedding ${round(m.ms / 1000)} s (${round(m.photos / (m.ms / 1000))} img/s); Chromium RSS (all processes, 500 ms samples) ${m.startRssMb} MB at the start, peak ${m.peakRssMb} MB; peak page JS heap ${m.peakPageHeapMb} MB; long tasks ${m.longTasks} (max ${round(m.longTaskMaxMs, 0)} ms, ${m.over100} over 100 ms).`,
      '',
      `CPU seconds per second of the idle page before embedding: ${JSON.stringify(m.idleCpuPerS)}; while embedding: ${JSON.stringify(Object.fromEntries(Object.entries(m.cpuSeconds).map(([k, v]) => [k, round(v / (m.ms / 1000), 3)])))}`,
    );
  }
  return `${out.join('\n')}\n`;
}

await main();
