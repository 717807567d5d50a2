import { expect, test } from '@playwright/test';
import { signDigitsSubset } from './fixtures';
import { join } from 'node:path';
import { TEST_PHOTOS, dropFolder, waitForModel } from './helpers';
import { serveStatic } from './static-server';

/** The paths (relative to the app) the service worker holds in its cache. */
function cachedPaths(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(async () => {
    const out: string[] = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname.slice(new URL(document.baseURI).pathname.length));
    return out;
  });
}

/** First visit: waits until the service worker has cached what it caches at install and controls the page. */
async function visitUntilControlled(page: import('@playwright/test').Page): Promise<void> {
  await page.goto('/');
  await waitForModel(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await waitForModel(page);
}

test('after one visit the app reloads and trains with no network', async ({ page, context }) => {
  await visitUntilControlled(page);

  await context.setOffline(true);
  await page.reload();
  await waitForModel(page);
  await dropFolder(page, '[data-testid="dataset-drop"]', signDigitsSubset(['6', '9'], 8));
  await expect(page.getByTestId('class-card')).toHaveCount(2);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  await expect(page.getByTestId('val-accuracy')).toHaveAttribute('data-value', /^(0|1)(\.\d+)?$/);
  await context.setOffline(false);
});

test('a whole session makes requests to our own origin only, under a strict CSP', async ({ page, baseURL }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('worker', (w) => w.on('console', () => undefined));
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto('/?nosw');
  await waitForModel(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("connect-src 'self' blob: data:");
  await dropFolder(page, '[data-testid="dataset-drop"]', signDigitsSubset(['1', '8'], 8));
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  await page.getByTestId('predict-folder-input').setInputFiles(signDigitsSubset(['1'], 2, 50));
  await expect(page.locator('[data-testid="prediction-row"][data-status="done"]')).toHaveCount(2, { timeout: 60_000 });
  const origin = new URL(baseURL ?? '').origin;
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  expect(requests.length).toBeGreaterThan(5);
  expect(foreign).toEqual([]);
  expect(violations).toEqual([]);
});

test('the default backbone is cached at install, another one the first time it is used; then both work offline', async ({ page, context }) => {
  const OTHER = 'mobilenet_v1_025_224_tfhub';
  await visitUntilControlled(page);
  const installed = await cachedPaths(page);
  expect(installed).toContain('models/mobilenet_v2_100_224/group1-shard1of1.bin');
  expect(installed.some((p) => p.startsWith('tfjs-wasm/'))).toBe(true);
  // Other backbones (and the sample photos) are not downloaded until someone uses them.
  expect(installed.filter((p) => p.startsWith(`models/${OTHER}/`) || p.startsWith('models/mobilenet_v1_075_224/') || p.startsWith('samples/'))).toEqual([]);
  // Keys carry a hash of each file's bytes.
  expect((await page.evaluate(async () => (await (await caches.open('transfer-studio-files')).keys()).map((r) => r.url))).every((u) => /\?__rev=[0-9a-f]{20}$/.test(u))).toBe(true);

  await page.getByTestId('backbone-select').selectOption(OTHER);
  await expect.poll(async () => (await cachedPaths(page)).filter((p) => p.startsWith(`models/${OTHER}/`)).sort(), { timeout: 60_000 }).toEqual([`models/${OTHER}/group1-shard1of1`, `models/${OTHER}/model.json`]);

  await context.setOffline(true);
  await page.reload();
  await waitForModel(page);
  await page.getByTestId('backbone-select').selectOption(OTHER);
  // selectBackbone puts 'Loading…' in place of the old 'Loaded in' at once; wait for the new load.
  await expect(page.getByText(/Loaded in/)).toBeVisible({ timeout: 60_000 });
  const shoe = join(TEST_PHOTOS, 'clothing-test', 'shoes', '0dd87e47-ca85-4d5c-9fd1-59f5a01eb656.jpg');
  await page.getByTestId('probe-input').setInputFiles(shoe);
  const card = page.getByTestId('probe-result').first();
  await expect(card).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(card.getByTestId('embedding-size')).toHaveAttribute('data-value', '256');
  await context.setOffline(false);
});

test('on a static host that sends no COOP/COEP, the service worker isolates the page from the second visit: LiteRT.js gets its threads', async ({ page }) => {
  const host = await serveStatic(join(process.cwd(), process.env.PW_DIST ?? 'dist'));
  try {
    await page.goto(`${host.url}/`);
    await waitForModel(page);
    // First visit: not controlled yet, so not isolated: the single-thread build embeds.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect(page.getByTestId('embed-runtime')).toHaveAttribute('data-threads', '1');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await waitForModel(page);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await expect(page.getByTestId('embed-runtime')).toHaveAttribute('data-threads', String(Math.min(cores, 4)));
    // And it still trains there, on the threaded build.
    await dropFolder(page, '[data-testid="dataset-drop"]', signDigitsSubset(['6', '9'], 8));
    await expect(page.getByTestId('class-card')).toHaveCount(2);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  } finally {
    await host.close();
  }
});
