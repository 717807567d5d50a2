/**
 * Results at scale (issue 18, item 2): classify a folder of 1,000 photos in the app (default
 * backbone, auto backend, headless Chromium, 1280x900 or --phone 360x800) and measure what a person
 * feels: main-thread long tasks while it runs, how long the page is afterwards (in screens), how
 * many rows are in the DOM, and the frame times while the result list is scrolled from top to
 * bottom (one scroll step per frame).
 *
 *   npx tsx bench/results-scale.ts [--no-build] [--photos=1000] [--phone] [--dist=dist-bench-results]
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/browser-options';
import { freePort } from './import-probes';

const ROOT = join(import.meta.dirname, '..');
const DIGITS = join(ROOT, '../shared/datasets/sign-digits');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const DIST = arg('dist') ?? 'dist-bench-results';
const PHOTOS = Number(arg('photos') ?? 1000);
const PHONE = process.argv.includes('--phone');
const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const TRAIN_PER_CLASS = 10;

/** `perClass` photos per digit from `offset` on, in a fresh parent folder named after the classes. */
function subset(perClass: number, offset: number): string {
  const parent = join(mkdtempSync(join(tmpdir(), 'bench-results-')), 'digits');
  for (const c of CLASSES) {
    mkdirSync(join(parent, c), { recursive: true });
    for (const f of readdirSync(join(DIGITS, c)).sort().slice(offset, offset + perClass)) copyFileSync(join(DIGITS, c, f), join(parent, c, f));
  }
  return parent;
}

async function drop(page: Page, folder: string): Promise<void> {
  const box = await page.locator('[data-testid="dataset-drop"]').boundingBox();
  if (!box) throw new Error('no drop zone');
  const cdp = await page.context().newCDPSession(page);
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
    await cdp.send('Input.dispatchDragEvent', { type, x: box.x + box.width / 2, y: box.y + box.height / 2, data: { items: [], files: [folder], dragOperationsMask: 1 } });
  }
  await cdp.detach();
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) spawnSync('npx', ['vite', 'build', '--outDir', DIST], { cwd: ROOT, stdio: 'ignore' });
  const port = await freePort();
  const server = spawn('npx', ['vite', 'preview', '--outDir', DIST, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: ROOT, stdio: 'ignore' });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: PHONE ? { width: 360, height: 800 } : { width: 1280, height: 900 } });
    for (let i = 0; i < 60; i++) {
      try {
        await page.goto(`http://127.0.0.1:${port}/?nosw`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    await page.getByText(/Loaded in/).waitFor({ timeout: 180_000 });
    await drop(page, subset(TRAIN_PER_CLASS, 0));
    await page.locator(`[data-testid="class-card"][data-class-name="9"] [data-testid="class-count"][data-value="${TRAIN_PER_CLASS}"]`).waitFor({ timeout: 180_000 });
    await page.getByTestId('train-button').click();
    await page.locator('[data-testid="training-state"][data-state="done"]').waitFor({ timeout: 300_000 });

    // Long tasks from here on.
    await page.evaluate(() => {
      const w = window as unknown as { __long: number[]; __longAt: [number, number][]; __t0: number; __rows: [number, number][] };
      w.__long = [];
      w.__longAt = [];
      w.__rows = [];
      w.__t0 = performance.now();
      new PerformanceObserver((list) =>
        list.getEntries().forEach((e) => {
          w.__long.push(e.duration);
          w.__longAt.push([Math.round(e.startTime - w.__t0), Math.round(e.duration)]);
        }),
      ).observe({ type: 'longtask' });
      // When rows appear and how many are done (to place the long tasks in the run).
      // When the folder's change event reaches the page (the browser builds its FileList first).
      document.addEventListener('change', () => w.__rows.push([Math.round(performance.now() - w.__t0), -1]), { capture: true, once: true });
      // No named functions in here: tsx (esbuild keepNames) would wrap them in __name().
      let last = -1;
      const timer = setInterval(() => {
        const done = document.querySelectorAll('[data-testid="prediction-row"][data-status="done"]').length;
        const all = document.querySelectorAll('[data-testid="prediction-row"]').length;
        if (all * 10000 + done !== last) w.__rows.push([Math.round(performance.now() - w.__t0), all * 10000 + done]);
        last = all * 10000 + done;
        if (done >= 1000) clearInterval(timer);
      }, 50);
    });
    const perClass = Math.ceil(PHOTOS / CLASSES.length);
    const t0 = Date.now();
    await page.getByTestId('predict-folder-input').setInputFiles(subset(perClass, TRAIN_PER_CLASS));
    const total = perClass * CLASSES.length;
    const summary = page.getByTestId('prediction-summary');
    await summary.and(page.locator(`[data-total="${total}"][data-pending="0"]`)).waitFor({ timeout: 900_000 });
    const seconds = (Date.now() - t0) / 1000;
    const longDuring = await page.evaluate(() => (window as unknown as { __long: number[] }).__long.splice(0));
    if (process.argv.includes('--timeline')) {
      const timeline = await page.evaluate(() => {
        const w = window as unknown as { __longAt: [number, number][]; __rows: [number, number][] };
        return { long: w.__longAt.filter(([, d]) => d > 200), rows: w.__rows.filter((_, i, a) => i < 6 || i === a.length - 1).map(([t, v]) => (v < 0 ? [t, 'change event'] : [t, Math.floor(v / 10000), v % 10000])) };
      });
      console.error(`long tasks over 200 ms [start ms, duration]: ${JSON.stringify(timeline.long)}; rows [ms, in DOM, done]: ${JSON.stringify(timeline.rows)}`);
    }

    const rows = await page.getByTestId('prediction-row').count();
    const screens = await page.evaluate(() => document.documentElement.scrollHeight / window.innerHeight);
    // Scroll whatever holds the list (its own box on a phone, the Use column on a desktop) top to
    // bottom, one step a frame, and time the frames.
    const frames = await page.evaluate(async () => {
      const list = document.querySelector('.predictions') as HTMLElement;
      let box: HTMLElement | null = list;
      while (box && !(box.scrollHeight > box.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
      const scroller = box ?? document.scrollingElement ?? document.documentElement;
      scroller.scrollTop = 0;
      const times: number[] = [];
      let last = performance.now();
      while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
        scroller.scrollTop += 120;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        times.push(now - last);
        last = now;
        if (times.length > 5000) break;
      }
      return { times, scroller: scroller.className || scroller.tagName };
    });
    const longScroll = await page.evaluate(() => (window as unknown as { __long: number[] }).__long.splice(0));
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          viewport: PHONE ? '360x800' : '1280x900',
          backend: await page.getByTestId('backend-name').innerText(),
          photos: total,
          classifySeconds: Number(seconds.toFixed(1)),
          photosPerSecond: Number((total / seconds).toFixed(1)),
          longTasksWhileClassifying: { count: longDuring.length, over100Ms: longDuring.filter((d) => d > 100).length, maxMs: Math.round(Math.max(0, ...longDuring)) },
          rowsInDom: rows,
          pageScreensTall: Number(screens.toFixed(2)),
          scrolled: frames.scroller,
          scrollFrames: frames.times.length,
          frameMs: { median: Number(percentile(frames.times, 50).toFixed(1)), p95: Number(percentile(frames.times, 95).toFixed(1)), max: Number(Math.max(...frames.times).toFixed(1)) },
          longTasksWhileScrolling: { count: longScroll.length, over100Ms: longScroll.filter((d) => d > 100).length, maxMs: Math.round(Math.max(0, ...longScroll)) },
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    server.kill();
  }
}

await main();
