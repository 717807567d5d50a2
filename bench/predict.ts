/**
 * Prediction bench (issue 6): per-photo latency of the Use step and webcam frames per second,
 * with the default backbone and the default (auto) backend, in headless Chromium.
 *
 *   npx tsx bench/predict.ts [--no-build] [--dist=dist-bench-predict]
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/browser-options';
import { freePort } from './import-probes';

const ROOT = join(import.meta.dirname, '..');
const CLOTHING = join(ROOT, '../shared/datasets/clothing-small');
const DIST = process.argv.find((a) => a.startsWith('--dist='))?.split('=')[1] ?? 'dist-bench-predict';
const CLASSES = ['hat', 'pants', 'shoes'];

function subset(split: string, perClass: number, offset = 0): string {
  const parent = join(mkdtempSync(join(tmpdir(), 'bench-predict-')), split);
  for (const c of CLASSES) {
    mkdirSync(join(parent, c), { recursive: true });
    for (const f of readdirSync(join(CLOTHING, split, c)).sort().slice(offset, offset + perClass)) copyFileSync(join(CLOTHING, split, c, f), join(parent, c, f));
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) spawnSync('npx', ['vite', 'build', '--outDir', DIST], { cwd: ROOT, stdio: 'ignore' });
  const port = await freePort();
  const server = spawn('npx', ['vite', 'preview', '--outDir', DIST, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: ROOT, stdio: 'ignore' });
  const shoe = join(CLOTHING, 'test/shoes', readdirSync(join(CLOTHING, 'test/shoes')).sort()[0] ?? '');
  const camera = join(mkdtempSync(join(tmpdir(), 'cam-')), 'shoe.mjpeg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-loop', '1', '-i', shoe, '-t', '2', '-r', '30', '-vf', 'scale=640:480', '-c:v', 'mjpeg', '-f', 'mjpeg', camera]);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${camera}`] });
  try {
    const page = await browser.newPage();
    for (let i = 0; i < 60; i++) {
      try {
        await page.goto(`http://127.0.0.1:${port}/?nosw`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    await page.getByText(/Loaded in/).waitFor({ timeout: 180_000 });
    const backend = await page.getByTestId('backend-name').innerText();
    await drop(page, subset('train', 30));
    await page.locator('[data-testid="class-card"][data-class-name="shoes"] [data-testid="class-count"][data-value="30"]').waitFor({ timeout: 180_000 });
    await page.getByTestId('train-button').click();
    await page.locator('[data-testid="training-state"][data-state="done"]').waitFor({ timeout: 300_000 });

    // Per-photo latency: one photo at a time, from picking it to its row being done.
    const photos = readdirSync(join(CLOTHING, 'test/hat')).sort().slice(0, 12).map((f) => join(CLOTHING, 'test/hat', f));
    const latencies: number[] = [];
    for (const [i, p] of photos.entries()) {
      const t0 = Date.now();
      await page.getByTestId('predict-input').setInputFiles(p);
      await page.locator('[data-testid="prediction-row"][data-status="done"]').nth(i).waitFor({ timeout: 60_000 });
      latencies.push(Date.now() - t0);
    }
    // Throughput on a folder of 30 photos (rows done or failed).
    const folder = subset('test', 10);
    const t1 = Date.now();
    await page.getByTestId('predict-folder-input').setInputFiles(folder);
    await page.locator('[data-testid="prediction-row"]:not([data-status="pending"])').nth(photos.length + 29).waitFor({ timeout: 300_000 });
    const folderSeconds = (Date.now() - t1) / 1000;
    const failed = await page.locator('[data-testid="prediction-row"][data-status="error"]').count();

    await page.getByTestId('webcam-toggle').click();
    await page.locator('[data-testid="webcam-label"][data-label="shoes"]').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(10_000);
    const fpsText = await page.locator('.webcam').innerText();
    const fps = Number(/([\d.]+) frames\/s/.exec(fpsText)?.[1] ?? NaN);
    await page.getByTestId('webcam-toggle').click();

    const result = {
      date: new Date().toISOString(),
      chromium: execFileSync(CHROMIUM_PATH ?? 'chromium', ['--version']).toString().trim(),
      backend,
      backbone: 'mobilenet_v2_100_224',
      perPhotoLatencyMsMedian: median(latencies),
      perPhotoLatencyMs: latencies,
      folderPhotosPerSecond: 30 / folderSeconds,
      folderRowsFailed: failed,
      webcamFps: fps,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    server.kill();
  }
}

await main();
