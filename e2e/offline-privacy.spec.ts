import { expect, test } from '@playwright/test';
import { signDigitsSubset } from './fixtures';
import { dropFolder, waitForModel } from './helpers';

test('after one visit the app reloads and trains with no network', async ({ page, context }) => {
  await page.goto('/');
  await waitForModel(page);
  // Wait until the service worker has precached everything and controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await waitForModel(page);

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
