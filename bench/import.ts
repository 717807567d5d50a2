/**
 * Dataset import bench (issue 3): drops clothing-small's split folders on the app in headless
 * Chromium through the real CDP folder drop, and measures wall time from drop to "import done",
 * main-thread long tasks, page and worker JS heap, the summed RSS of Chromium's processes and their
 * CPU time by process type.
 *
 *   npx tsx bench/import.ts [--splits=train,validation,test] [--dist=dist-bench] [--no-build] [--dataset=<parent of splits>] [--reload] [--timeout-min=15]
 *
 * --reload: after the import, reloads the page and times until every photo is listed again.
 * --train=<backbone id>: after the import (and reload), picks that backbone and trains 3 epochs:
 *   seconds to embed and to train, and the RSS peak meanwhile (bench/scale.ts, issue 8).
 * --trace=<file> / --trace-import=<file>: a Chromium trace (all processes) of the first 15 s of
 *   embedding / of the import.
 * --profile: records a CPU profile of the page's main thread during the import and prints the
 *   functions with the most self time (where the long tasks go).
 *
 * Builds the app into dist-bench/ (unless --no-build) and serves it with vite preview on a free port.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/browser-options';
import { chromiumTree, cpuSecondsByType, freePort, workerChannel } from './import-probes';

const ROOT = join(import.meta.dirname, '..');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const DATASET = arg('dataset') ?? join(ROOT, '../shared/datasets/clothing-small');
const SPLITS = (arg('splits') ?? 'train,validation,test').split(',');
const DIST = arg('dist') ?? 'dist-bench';
const RELOAD = process.argv.includes('--reload');
const PROFILE = process.argv.includes('--profile');
const TRAIN = arg('train');
const TIMEOUT_MS = Number(arg('timeout-min') ?? '15') * 60_000;

interface Row {
  split: string;
  photos: number;
  classes: number;
  imported: number;
  skipped: number;
  seconds: number;
  photosPerSecond: number;
  longTasks: number;
  longTaskMsTotal: number;
  longTaskMsMax: number;
  pageHeapPeakMb: number;
  workerHeapPeakMb: number | null;
  rssPeakMb: number;
  cpuSeconds: Record<string, number>;
  /** With --reload: seconds from reload to every photo listed again, and the count then. */
  reload?: { seconds: number; photos: number };
  /** With --train: the backbone, seconds to embed and to train 3 epochs, validation accuracy shown, Chromium RSS peak. */
  train?: { backbone: string; embedSeconds: number; trainSeconds: number; accuracy: string | null; rssPeakMb: number };
}

function photosIn(parent: string): { photos: number; classes: number } {
  const dirs = readdirSync(parent).filter((d) => statSync(join(parent, d)).isDirectory());
  return { photos: dirs.reduce((n, d) => n + readdirSync(join(parent, d)).length, 0), classes: dirs.length };
}

/** Records long tasks and whether the progress bar was seen, from the first script on. */
function pageProbes(): void {
  const w = window as unknown as { __long: { start: number; duration: number }[]; __sawProgress: boolean };
  w.__long = [];
  // Object URLs made (thumbnails): a count that keeps growing while nothing scrolls is a thrashing cache.
  const created = URL.createObjectURL.bind(URL);
  (window as unknown as { __objectUrls: number }).__objectUrls = 0;
  URL.createObjectURL = (o: Blob | MediaSource) => {
    (window as unknown as { __objectUrls: number }).__objectUrls++;
    return created(o);
  };
  w.__sawProgress = false;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__long.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver(() => {
    if (document.querySelector('[data-testid="import-progress"]')) w.__sawProgress = true;
  }).observe(document, { subtree: true, childList: true });
}

async function dropFolder(page: Page, folder: string): Promise<void> {
  const box = await page.locator('[data-testid="dataset-drop"]').boundingBox();
  if (!box) throw new Error('no drop zone');
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: [folder], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
    await cdp.send('Input.dispatchDragEvent', { type, x: box.x + box.width / 2, y: box.y + box.height / 2, data });
  }
  await cdp.detach();
}

/** RSS now per Chromium process type, in MB: "browser 605, renderer 520, …". */
function rssByType(): string {
  const byType = new Map<string, number>();
  for (const p of chromiumTree(process.pid)) byType.set(p.type, (byType.get(p.type) ?? 0) + p.rssKb);
  return [...byType].map(([t, kb]) => `${t} ${Math.round(kb / 1024)}`).join(', ');
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Starts sampling the page's main thread every millisecond. */
async function startProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
}

/** Stops sampling and prints where the time went. */
async function stopProfile(cdp: CDPSession): Promise<void> {
  printProfile(((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile);
}

/** Self time per function (top 25) and per script, from a CDP CPU profile. */
function printProfile(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const file = frame.url.split('/').pop() ?? '';
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
  process.stderr.write(`CPU profile of the page's main thread, self time (ms):\n${top.map(([k, ms]) => `  ${Math.round(ms)}  ${k}`).join('\n')}\n`);
}

async function measure(page: Page, split: string): Promise<Row> {
  const folder = join(DATASET, split);
  const { photos, classes } = photosIn(folder);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const worker = await workerChannel(cdp);
  // The model loaded: the header has stopped growing (the drop goes to coordinates) and its CPU burst is over.
  await page.locator('[data-testid="backend-name"]').waitFor({ timeout: 120_000 });
  await page.getByText(/Loaded in/).waitFor({ timeout: 180_000 });
  const peaks = { page: 0, worker: 0, rss: 0, workerSeen: false };
  const sample = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    peaks.page = Math.max(peaks.page, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
    for (const s of worker.sessions) {
      const heap = (await worker.send(s, 'Runtime.getHeapUsage')) as { usedSize?: number } | null;
      if (heap?.usedSize) {
        peaks.worker = Math.max(peaks.worker, heap.usedSize);
        peaks.workerSeen = true;
      }
    }
    peaks.rss = Math.max(peaks.rss, chromiumTree(process.pid).reduce((kb, p) => kb + p.rssKb, 0) * 1024);
  };
  let sampling = true;
  let started = Date.now();
  let lastLog = Date.now();
  const sampler = (async () => {
    while (sampling) {
      await sample().catch(() => undefined);
      if (Date.now() - lastLog > 30_000) {
        // A long import (bench/scale.ts) says how far it got, so a run cut short still tells something.
        lastLog = Date.now();
        const done = await page.locator('[data-testid="import-progress"]').getAttribute('data-done', { timeout: 1000 }).catch(() => null);
        const types = rssByType();
        process.stderr.write(
          `[import ${split}] ${Math.round((Date.now() - started) / 1000)} s: ${done ?? '?'} of ${photos} done, RSS ${Math.round(peaks.rss / 2 ** 20)} MB peak (now MB: ${types}), page heap ${Math.round(peaks.page / 2 ** 20)} MB peak\n`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();

  if (PROFILE) {
    await startProfile(cdp);
  }
  const cpuBefore = chromiumTree(process.pid);
  const t0 = await page.evaluate(() => performance.now());
  started = Date.now();
  const importTrace = arg('trace-import');
  if (importTrace) await page.context().browser()?.startTracing(page, { path: importTrace, categories: ['toplevel', 'ipc', 'IndexedDB', 'blink', 'Blob', 'storage', 'mojom', 'gpu', 'cc', 'viz', 'skia', 'disabled-by-default-devtools.timeline'] });
  await dropFolder(page, folder);
  if (importTrace) {
    await new Promise((r) => setTimeout(r, 15_000));
    await page.context().browser()?.stopTracing();
  }
  await page.waitForFunction(() => {
    const w = window as unknown as { __sawProgress: boolean };
    return w.__sawProgress && !document.querySelector('[data-testid="import-progress"]');
  }, undefined, { timeout: TIMEOUT_MS, polling: 100 });
  const seconds = (Date.now() - started) / 1000;
  if (PROFILE) await stopProfile(cdp);
  const cpuSeconds = cpuSecondsByType(cpuBefore, chromiumTree(process.pid));
  sampling = false;
  await sampler;
  const imported = await countPhotos(page);
  const skipped = await page.locator('[data-testid="skipped-files"] li').count();
  const long = await page.evaluate((from) => (window as unknown as { __long: { start: number; duration: number }[] }).__long.filter((t) => t.start >= from), t0);
  const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  return {
    split,
    photos,
    classes,
    imported,
    skipped,
    seconds: Math.round(seconds * 10) / 10,
    photosPerSecond: Math.round((photos / seconds) * 10) / 10,
    longTasks: long.length,
    longTaskMsTotal: Math.round(long.reduce((s, t) => s + t.duration, 0)),
    longTaskMsMax: Math.round(Math.max(0, ...long.map((t) => t.duration))),
    pageHeapPeakMb: mb(peaks.page),
    workerHeapPeakMb: peaks.workerSeen ? mb(peaks.worker) : null,
    rssPeakMb: mb(peaks.rss),
    cpuSeconds: Object.fromEntries(Object.entries(cpuSeconds).map(([k, v]) => [k, Math.round(v * 10) / 10])),
  };
}

const countPhotos = (page: Page) =>
  page.locator('[data-testid="class-count"]').evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-value')), 0));

/** Reloads and times until the class cards list `expected` photos again (the project read back from IndexedDB). */
async function reloadTime(page: Page, expected: number): Promise<{ seconds: number; photos: number }> {
  const started = Date.now();
  await page.reload();
  await page.waitForFunction((n) => {
    let sum = 0;
    for (const e of document.querySelectorAll('[data-testid="class-count"]')) sum += Number(e.getAttribute('data-value'));
    return sum >= n;
  }, expected, { timeout: TIMEOUT_MS, polling: 200 });
  return { seconds: Math.round((Date.now() - started) / 100) / 10, photos: await countPhotos(page) };
}

/** Picks a backbone, trains 3 epochs on what was imported, and times the embedding and the training. */
async function trainTime(page: Page, backbone: string): Promise<NonNullable<Row['train']>> {
  let rss = 0;
  let sampling = true;
  const sampler = (async () => {
    let lastLog = Date.now();
    while (sampling) {
      rss = Math.max(rss, chromiumTree(process.pid).reduce((kb, p) => kb + p.rssKb, 0) * 1024);
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        const state = await page.getByTestId('training-state').getAttribute('data-state', { timeout: 1000 }).catch(() => '?');
        const done = await page.getByTestId('embedding-progress').getAttribute('data-done', { timeout: 1000 }).catch(() => '?');
        const urls = await page.evaluate(() => (window as unknown as { __objectUrls: number }).__objectUrls).catch(() => '?');
        const thumbs = await page.locator('[data-testid="thumb"]').count().catch(() => '?');
        process.stderr.write(`[train] ${state}, embedded ${done}, RSS ${Math.round(rss / 2 ** 20)} MB peak (now MB: ${rssByType()}), object URLs made ${urls}, thumbnails mounted ${thumbs}\n`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  await page.getByTestId('backbone-select').selectOption(backbone);
  await page.getByText(/Loaded in/).waitFor({ timeout: 180_000 });
  const epochs = page.locator('#setting-epochs');
  if (!(await epochs.isVisible())) await page.getByText('Advanced settings').click();
  await epochs.fill('3');
  const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await startProfile(cdp);
  }
  const cpuBefore = chromiumTree(process.pid);
  const started = Date.now();
  const tracePath = arg('trace');
  if (tracePath) await page.context().browser()?.startTracing(page, { path: tracePath, categories: ['toplevel', 'ipc', 'IndexedDB', 'blink', 'cc', 'viz', 'gpu', 'mojom', 'disabled-by-default-devtools.timeline'] });
  await page.getByTestId('train-button').click();
  if (tracePath) {
    await new Promise((r) => setTimeout(r, 15_000));
    await page.context().browser()?.stopTracing();
  }
  await page.waitForFunction(() => document.querySelector('[data-testid="training-state"]')?.getAttribute('data-state') !== 'embedding', undefined, { timeout: TIMEOUT_MS, polling: 500 });
  const embedSeconds = (Date.now() - started) / 1000;
  const cpu = cpuSecondsByType(cpuBefore, chromiumTree(process.pid));
  process.stderr.write(`[train] embedding took ${Math.round(embedSeconds)} s; CPU s by process: ${Object.entries(cpu).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}\n`);
  if (cdp) await stopProfile(cdp);
  await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('[data-testid="training-state"]')?.getAttribute('data-state') ?? ''), undefined, { timeout: TIMEOUT_MS, polling: 500 });
  const trainSeconds = (Date.now() - started) / 1000 - embedSeconds;
  sampling = false;
  await sampler;
  const state = await page.getByTestId('training-state').getAttribute('data-state');
  if (state !== 'done') throw new Error(`training ended in state ${state}: ${await page.locator('[role="alert"]').allTextContents()}`);
  const accuracy = await page.getByTestId('val-accuracy').getAttribute('data-value', { timeout: 5000 }).catch(() => null);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { backbone, embedSeconds: round(embedSeconds), trainSeconds: round(trainSeconds), accuracy, rssPeakMb: round(rss / 2 ** 20) };
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) {
    const build = spawnSync('npx', ['vite', 'build', '--outDir', DIST, ...(PROFILE ? ['--minify', 'false'] : [])], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  const port = await freePort();
  const server = spawn('npx', ['vite', 'preview', '--outDir', DIST, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: ROOT, stdio: 'ignore', detached: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const rows: Row[] = [];
  try {
    for (let i = 0; i < 100; i++) {
      if (await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    for (const split of SPLITS) {
      const context = await browser.newContext(); // fresh IndexedDB per split
      const page = await context.newPage();
      await page.addInitScript(pageProbes);
      await page.goto(`http://127.0.0.1:${port}/`);
      const row = await measure(page, split);
      if (RELOAD) row.reload = await reloadTime(page, row.imported);
      if (TRAIN) row.train = await trainTime(page, TRAIN);
      rows.push(row);
      process.stdout.write(`${JSON.stringify(row)}\n`);
      await context.close();
    }
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  const file = join(ROOT, 'bench/out', `import-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), dataset: DATASET, rows }, null, 2));
  process.stdout.write(
    [
      '| split | photos | classes | imported | skipped | seconds | photos/s | long tasks (n / total ms / max ms) | page heap peak MB | worker heap peak MB | Chromium RSS peak MB | reload: s to all listed |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${r.split} | ${r.photos} | ${r.classes} | ${r.imported} | ${r.skipped} | ${r.seconds} | ${r.photosPerSecond} | ${r.longTasks} / ${r.longTaskMsTotal} / ${r.longTaskMsMax} | ${r.pageHeapPeakMb} | ${r.workerHeapPeakMb ?? 'n/a'} | ${r.rssPeakMb} | ${r.reload ? `${r.reload.seconds} (${r.reload.photos})` : ''} |`,
      ),
      `Results written to ${file}`,
      '',
    ].join('\n'),
  );
}

await main();
