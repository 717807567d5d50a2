import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { TEST_PHOTOS, dropFolder, waitForModel } from './helpers';

const SHOE = join(TEST_PHOTOS, 'clothing-test/shoes');

test('auto mode picks WebAssembly over software WebGL and says why', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  // The reason is one click away, not printed in the header.
  const why = page.getByTestId('backend-why').locator('span').filter({ hasText: /Auto picked WASM: WebGL is a software renderer here/ });
  await expect(why).toBeHidden();
  await page.getByTestId('backend-why').getByText('Why WASM?').click();
  await expect(why).toBeVisible();
});

/** Opens the app with `search`, checks LiteRT.js embeds a photo, and returns the LiteRT.js files the page fetched. */
async function embedWithLiteRt(page: import('@playwright/test').Page, search: string, threads: number): Promise<string[]> {
  const liteRtFiles: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/litert/')) liteRtFiles.push(new URL(r.url()).pathname);
  });
  await page.goto(`/${search}`);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await waitForModel(page);
  const runtime = page.getByTestId('embed-runtime');
  await expect(runtime).toHaveAttribute('data-value', 'litert');
  await expect(runtime).toHaveAttribute('data-threads', String(threads));
  await expect(runtime).toHaveText(threads > 1 ? `Embeds with LiteRT.js (XNNPACK, WebAssembly) on ${threads} threads.` : 'Embeds with LiteRT.js (XNNPACK, WebAssembly).');
  await page.getByTestId('probe-input').setInputFiles(join(SHOE, '0dd87e47-ca85-4d5c-9fd1-59f5a01eb656.jpg'));
  const card = page.getByTestId('probe-result').first();
  await expect(card).toHaveAttribute('data-status', 'done');
  await expect(card.getByTestId('embedding-size')).toHaveAttribute('data-value', '1280');
  await expect(card.getByTestId('imagenet-top5').locator('li').first()).toContainText(/shoe|sneaker|sandal|loafer|boot|clog/i);
  return [...new Set(liteRtFiles)].sort();
}

test('on WebAssembly the backbone embeds in LiteRT.js on every core (up to 4), served from our own origin', async ({ page }) => {
  await page.goto('/');
  // The server sends COOP/COEP: the page is cross-origin isolated, so LiteRT.js can use threads.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = Math.min(cores, 4);
  const files = await embedWithLiteRt(page, '', threads);
  // Chromium has relaxed SIMD: with threads the threaded build, else the relaxed-SIMD one.
  const build = threads > 1 ? 'litert_wasm_threaded_internal' : 'litert_wasm_internal';
  expect(files).toEqual([`/litert/${build}.js`, `/litert/${build}.wasm`]);
});

test('?embedThreads=1 embeds with the single-thread LiteRT.js build', async ({ page }) => {
  const files = await embedWithLiteRt(page, '?embedThreads=1', 1);
  expect(files).toEqual(['/litert/litert_wasm_internal.js', '/litert/litert_wasm_internal.wasm']);
});

test('the built app runs on WebGL when asked and embeds a photo picked with the file input', async ({ page }) => {
  await page.goto('/?backend=webgl');
  await expect(page.getByTestId('backend-name')).toHaveText('webgl');
  expect(await page.evaluate(() => typeof (window as unknown as { tf?: unknown }).tf)).toBe('undefined');
  await waitForModel(page);
  // On the GPU the backbone stays in tfjs (its WebGL kernels), on the folded graph.
  await expect(page.getByTestId('embed-runtime')).toHaveAttribute('data-value', 'tfjs-folded');
  await page.getByTestId('probe-input').setInputFiles(join(SHOE, '0dd87e47-ca85-4d5c-9fd1-59f5a01eb656.jpg'));
  const card = page.getByTestId('probe-result').first();
  await expect(card).toHaveAttribute('data-status', 'done');
  await expect(card.getByTestId('embedding-size')).toHaveAttribute('data-value', '1280');
  const guesses = card.getByTestId('imagenet-top5').locator('li');
  await expect(guesses).toHaveCount(5);
  await page.screenshot({ path: 'test-results/foundation-file-input.png', fullPage: true });
});

test('a dropped folder goes through the real directory-entry path', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'drop-'));
  const sub = join(dir, 'photos');
  const { mkdirSync, readdirSync } = await import('node:fs');
  mkdirSync(sub);
  const names = readdirSync(SHOE).slice(0, 2);
  for (const n of names) copyFileSync(join(SHOE, n), join(sub, n));
  await page.goto('/?backend=webgl');
  await expect(page.getByTestId('backend-name')).toHaveText('webgl');
  await waitForModel(page);
  await dropFolder(page, '[data-testid="probe-drop"]', sub);
  const cards = page.getByTestId('probe-result');
  await expect(cards).toHaveCount(2);
  for (const n of names) {
    const card = page.locator(`[data-testid="probe-result"][data-file="photos/${n}"]`);
    await expect(card).toHaveAttribute('data-status', 'done');
  }
  await page.screenshot({ path: 'test-results/foundation-folder-drop.png', fullPage: true });
});
