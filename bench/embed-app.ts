/**
 * Drives the built app for bench/embed.ts: the real UI path (CDP folder drop -> import, backbone
 * select, Train -> embedding progress), and the `?debug` hooks for the decode/inference split.
 */
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { chromiumRss, cpuBetween, median, NAME_SHIM, sleep, threadTicks } from './embed-lib';

type Bench = {
  long: { start: number; duration: number }[];
  marks: Record<string, number | undefined>;
  sawImport: boolean;
  sawPartial: boolean;
};
/** The part of src/app/debug-hooks.ts used here (importing it would pull the app's Vite types into tsconfig.node). */
interface Hooks {
  prepareImage(file: Blob): Promise<{ jpeg: Blob }>;
  embedTrainingCopies(jpegs: Blob[]): Promise<Float32Array[]>;
  probe(file: Blob, topK: number): Promise<{ decodeMs: number; embedMs: number }>;
}
type BenchWindow = Window & { __bench: Bench; __transferStudio: Hooks; __files: File[] };

/** Runs before the app: long tasks (buffered), and in-page times of drop, import end, Train click, embedding end. */
function pageProbes(): void {
  const w = window as unknown as BenchWindow;
  const b: Bench = { long: [], marks: {}, sawImport: false, sawPartial: false };
  w.__bench = b;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.long.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  document.addEventListener('drop', () => (b.marks.drop = performance.now()), true);
  document.addEventListener(
    'click',
    (e) => {
      if ((e.target as Element | null)?.closest?.('[data-testid="train-button"]')) b.marks.train = performance.now();
    },
    true,
  );
  const check = () => {
    if (document.querySelector('[data-testid="import-progress"]')) b.sawImport = true;
    else if (b.sawImport && b.marks.importDone === undefined) b.marks.importDone = performance.now();
    const emb = document.querySelector('[data-testid="embedding-progress"]');
    if (emb && b.marks.train !== undefined && b.marks.embedDone === undefined) {
      const done = Number(emb.getAttribute('data-done'));
      const total = Number(emb.getAttribute('data-total'));
      // The bar first shows the previous backbone's finished count: wait for this run's 0 < total.
      if (done < total) b.sawPartial = true;
      else if (b.sawPartial && total > 0) b.marks.embedDone = performance.now();
    }
    // Nothing left to embed at the click (every photo embedded while importing): embedding ends
    // when head training starts.
    const state = document.querySelector('[data-testid="training-state"]')?.getAttribute('data-state');
    if (b.marks.train !== undefined && b.marks.embedDone === undefined && state === 'training') b.marks.embedDone = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-done', 'data-total', 'data-state'] });
}

export interface AppPage {
  page: Page;
  cdp: CDPSession;
  backend: string;
  renderer: string;
}

/**
 * Opens the app with `?backend=` (none for auto) and `?debug`, and waits for the default backbone.
 * `backend` may carry ":"-separated flags (e.g. "auto:1:tfjs"): "1" = one embedding engine only
 * (`?embedWorkers=1`), "tfjs" = the backbone in tfjs even on wasm (`?embedRuntime=tfjs`), "st" =
 * LiteRT.js' single-thread build (`?embedThreads=1`: two engines for big jobs, as before), "ahead" =
 * photos are embedded ahead of Train as in the app (otherwise `?preEmbed=0`: the embed step is
 * timed from the Train click).
 */
export async function openApp(context: BrowserContext, baseUrl: string, backend: string): Promise<AppPage> {
  const page = await context.newPage();
  await page.addInitScript(NAME_SHIM);
  await page.addInitScript(pageProbes);
  const [name = 'auto', ...flags] = backend.split(':');
  await page.goto(`${baseUrl}/?debug${flags.includes('ahead') ? '' : '&preEmbed=0'}${name === 'auto' ? '' : `&backend=${name}`}${flags.includes('1') ? '&embedWorkers=1' : ''}${flags.includes('tfjs') ? '&embedRuntime=tfjs' : ''}${flags.includes('st') ? '&embedThreads=1' : ''}`);
  await page.locator('[data-testid="backend-name"]').waitFor({ timeout: 120_000 });
  await page.getByText(/Loaded in/).waitFor({ timeout: 180_000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const badge = (await page.locator('[data-testid="backend-name"]').locator('..').textContent()) ?? '';
  return { page, cdp, backend: (await page.locator('[data-testid="backend-name"]').textContent()) ?? '?', renderer: badge };
}

/** Drops `folder` on the dataset zone (a trusted CDP drag); the import starts. */
export async function dropOnDataset(app: AppPage, folder: string): Promise<void> {
  const { page, cdp } = app;
  const zone = page.locator('[data-testid="dataset-drop"]');
  await zone.scrollIntoViewIfNeeded();
  const box = await zone.boundingBox();
  if (!box) throw new Error('no dataset drop zone');
  const data = { items: [], files: [folder], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
    await cdp.send('Input.dispatchDragEvent', { type, x: box.x + box.width / 2, y: box.y + box.height / 2, data });
  }
}

/** Drops `folder` on the dataset zone and returns the in-page ms from drop to import end. */
export async function importFolder(app: AppPage, folder: string, expected: number): Promise<number> {
  const { page } = app;
  await dropOnDataset(app, folder);
  await page.waitForFunction(() => (window as unknown as BenchWindow).__bench.marks.importDone !== undefined, undefined, { timeout: 1_800_000, polling: 200 });
  const imported = await page.locator('[data-testid="class-count"]').evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-value')), 0));
  if (imported !== expected) throw new Error(`imported ${imported} of ${expected} photos`);
  return page.evaluate(() => {
    const m = (window as unknown as BenchWindow).__bench.marks;
    return (m.importDone ?? NaN) - (m.drop ?? NaN);
  });
}

/** Selects a backbone in the picker and waits until it is loaded. */
export async function selectBackbone(page: Page, id: string): Promise<void> {
  const select = page.locator('[data-testid="backbone-select"]');
  if ((await select.inputValue()) === id) return;
  await select.selectOption(id);
  await page.getByText(/Loaded in/).waitFor({ timeout: 180_000 });
}

export interface EmbedRun {
  ms: number;
  longTasks: number;
  longTaskMaxMs: number;
  /** Long tasks over 100 ms. */
  over100: number;
  cpuSeconds: Record<string, number>;
  /** Chromium RSS when Train was clicked, MB. */
  startRssMb?: number;
  peakRssMb?: number;
  peakPageHeapMb?: number;
}

/**
 * Clicks Train and measures, in the page, from the click to the embedding bar reaching its total;
 * then stops the head training that follows. With `sampleMemory`, samples Chromium's RSS and the
 * page's JS heap every 500 ms meanwhile.
 */
export async function embedViaUi(app: AppPage, sampleMemory = false): Promise<EmbedRun> {
  const { page, cdp } = app;
  await page.evaluate(() => {
    const b = (window as unknown as BenchWindow).__bench;
    b.marks.train = undefined;
    b.marks.embedDone = undefined;
    b.sawPartial = false;
  });
  const startRss = sampleMemory ? chromiumRss() : 0;
  const peaks = { rss: 0, heap: 0 };
  let sampling = sampleMemory;
  const sampler = (async () => {
    while (sampling) {
      peaks.rss = Math.max(peaks.rss, chromiumRss());
      const { metrics } = await cdp.send('Performance.getMetrics');
      peaks.heap = Math.max(peaks.heap, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
      await sleep(500);
    }
  })();
  const cpu0 = threadTicks();
  await page.locator('[data-testid="train-button"]').click();
  await page.waitForFunction(() => (window as unknown as BenchWindow).__bench.marks.embedDone !== undefined, undefined, { timeout: 1_800_000, polling: 100 });
  const cpuSeconds = cpuBetween(cpu0, threadTicks());
  sampling = false;
  await sampler;
  const r = await page.evaluate(() => {
    const b = (window as unknown as BenchWindow).__bench;
    const from = b.marks.train ?? NaN;
    const to = b.marks.embedDone ?? NaN;
    // Long tasks overlapping the window, clipped to it.
    const long = b.long.map((t) => Math.min(t.start + t.duration, to) - Math.max(t.start, from)).filter((d) => d > 0);
    return { ms: to - from, longTasks: long.length, longTaskMaxMs: Math.max(0, ...long), over100: long.filter((d) => d > 100).length };
  });
  // Head training follows embedding: stop it, and wait until the step is idle again.
  await page.locator('[data-testid="stop-button"]').click({ timeout: 5_000 }).catch(() => undefined);
  await page.waitForFunction(() => !['embedding', 'training'].includes(document.querySelector('[data-testid="training-state"]')?.getAttribute('data-state') ?? ''), undefined, { timeout: 300_000 });
  const mb = (b: number) => Math.round(b / 1024 / 1024);
  return { ...r, cpuSeconds, ...(sampleMemory ? { startRssMb: mb(startRss), peakRssMb: mb(peaks.rss), peakPageHeapMb: mb(peaks.heap) } : {}) };
}

/** Puts `paths` into the page as File objects (a hidden file input, as a picker would). */
export async function loadFiles(page: Page, paths: readonly string[]): Promise<void> {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = 'bench-files';
    input.hidden = true;
    input.addEventListener('change', () => ((window as unknown as BenchWindow).__files = [...(input.files ?? [])]));
    document.body.append(input);
  });
  await page.setInputFiles('#bench-files', [...paths]);
  await page.waitForFunction((n) => (window as unknown as BenchWindow).__files?.length === n, paths.length);
  await page.evaluate(() => document.getElementById('bench-files')?.remove());
}

export interface Split {
  /** prepareImage (decode full photo + SHA-256 + 224 JPEG copy), one at a time, ms per photo. */
  prepareMs: number;
  /** CPU ms per photo of the engine's worker thread during prepareImage. */
  prepareCpuMs: number;
  /** Full-size decode + centre crop/resize inside the engine (probe's decodeMs), ms. */
  decodeFullMs: number;
  /** Decode of a 224x224 training copy + getImageData (probe's decodeMs), ms. */
  decode224Ms: number;
  /** embedTrainingCopies per batch size, one request at a time: ms per photo (224 decode + inference). */
  embedMs: Record<number, number>;
  /** Worker-thread CPU ms per photo during embedTrainingCopies (warm-up batch included), per batch size. */
  embedCpuMs: Record<number, number>;
  /** embedMs - decode224Ms: inference (with upload and readback) per photo, per batch size. */
  inferMs: Record<number, number>;
}

/** CPU seconds of the engine's thread (the worker; the renderer main thread if it runs there) in `work`. */
async function workerCpu<T>(work: () => Promise<T>): Promise<{ value: T; cpuS: number }> {
  const before = threadTicks();
  const value = await work();
  const cpu = cpuBetween(before, threadTicks(), 0);
  return { value, cpuS: cpu['renderer/DedicatedWorker'] ?? 0 };
}

/** Times the engine's steps separately through the debug hooks, on the files loaded by `loadFiles`. */
export async function splitTimes(page: Page, batches: number[]): Promise<Split> {
  const prep = await workerCpu(() =>
    page.evaluate(async () => {
      const w = window as unknown as BenchWindow & { __jpegs: Blob[] };
      w.__jpegs = [];
      const t = performance.now();
      for (const f of w.__files) w.__jpegs.push((await w.__transferStudio.prepareImage(f)).jpeg);
      return { ms: (performance.now() - t) / w.__files.length, n: w.__files.length };
    }),
  );
  const embedMs: Record<number, number> = {};
  const embedCpuMs: Record<number, number> = {};
  for (const batch of batches) {
    const r = await workerCpu(() =>
      page.evaluate(async (batch) => {
        const w = window as unknown as BenchWindow & { __jpegs: Blob[] };
        const jpegs = w.__jpegs;
        await w.__transferStudio.embedTrainingCopies(jpegs.slice(0, batch)); // warm-up: this batch size's kernels
        const t = performance.now();
        let n = 0;
        for (let i = 0; i + batch <= jpegs.length; i += batch, n += batch) await w.__transferStudio.embedTrainingCopies(jpegs.slice(i, i + batch));
        return { ms: (performance.now() - t) / n, n: n + batch };
      }, batch),
    );
    embedMs[batch] = r.value.ms;
    embedCpuMs[batch] = (r.cpuS * 1000) / r.value.n;
  }
  const r = await page.evaluate(async () => {
    const w = window as unknown as BenchWindow & { __jpegs: Blob[] };
    const full: number[] = [];
    const small: number[] = [];
    for (let i = 0; i < Math.min(w.__files.length, 12); i++) {
      full.push((await w.__transferStudio.probe(w.__files[i] as File, 0)).decodeMs);
      small.push((await w.__transferStudio.probe(w.__jpegs[i] as Blob, 0)).decodeMs);
    }
    return { full, small };
  });
  const decode224Ms = median(r.small);
  return {
    prepareMs: prep.value.ms,
    prepareCpuMs: (prep.cpuS * 1000) / prep.value.n,
    decodeFullMs: median(r.full),
    decode224Ms,
    embedMs,
    embedCpuMs,
    inferMs: Object.fromEntries(Object.entries(embedMs).map(([b, ms]) => [b, ms - decode224Ms])),
  };
}
