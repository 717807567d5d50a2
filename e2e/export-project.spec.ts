import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { classify, importDataset, maxDiff, openApp, trainModel } from './export-page';
import { signDigitsSubset } from './fixtures';

const CLASSES = ['0', '3', '7'];
const PER_CLASS = 12;

/** Records every (done, total) the embedding progress shows from now on. */
async function recordEmbeddingProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: [number, number][] = [];
    (window as unknown as { __embedding: [number, number][] }).__embedding = seen;
    const read = () => {
      const el = document.querySelector('[data-testid="embedding-progress"]');
      if (el) seen.push([Number(el.getAttribute('data-done')), Number(el.getAttribute('data-total'))]);
    };
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-done', 'data-total'] });
  });
}

test('project file: download, new project, open; same classes and counts, the model back, and training again needs no embedding', async ({ page }) => {
  page.on('dialog', (d) => void d.accept());
  await openApp(page);
  await importDataset(page, signDigitsSubset(CLASSES, PER_CLASS), CLASSES, PER_CLASS);
  await trainModel(page);
  const accuracy = await page.getByTestId('val-accuracy').getAttribute('data-value');
  const heldOut = signDigitsSubset(CLASSES, 1, 40);
  const photos = CLASSES.map((c) => join(heldOut, c)).flatMap((dir) => readdirSync(dir).map((n) => join(dir, n)));
  const before = await classify(page, photos);

  const download = page.waitForEvent('download');
  await page.getByTestId('download-project').click();
  const zipPath = await (await download).path();
  const size = readFileSync(zipPath).byteLength;
  await expect(page.getByTestId('project-file-notice')).toContainText('downloaded');

  await page.getByRole('button', { name: 'New project' }).click();
  await expect(page.getByTestId('class-card')).toHaveCount(0);

  await page.getByTestId('open-project-input').setInputFiles(zipPath);
  await expect(page.getByTestId('project-file-notice')).toContainText(`${CLASSES.length} classes, ${CLASSES.length * PER_CLASS} photos, embeddings for mobilenet_v2_100_224, and the trained model`);
  for (const c of CLASSES) {
    await expect(page.locator(`[data-testid="class-card"][data-class-name="${c}"] [data-testid="class-count"]`)).toHaveAttribute('data-value', String(PER_CLASS));
  }
  await expect(page.getByTestId('val-accuracy')).toHaveAttribute('data-value', accuracy ?? '');
  const restored = await classify(page, photos);
  let worstRestored = 0;
  for (const [name, probs] of before) worstRestored = Math.max(worstRestored, maxDiff(probs, restored.get(name) ?? []));

  await recordEmbeddingProgress(page);
  await trainModel(page);
  const seen = await page.evaluate(() => (window as unknown as { __embedding: [number, number][] }).__embedding);
  expect(seen.length).toBeGreaterThan(0);
  for (const [done, total] of seen) expect([done, total]).toEqual([CLASSES.length * PER_CLASS, CLASSES.length * PER_CLASS]);
  const retrained = await classify(page, photos);
  let worstRetrained = 0;
  for (const [name, probs] of before) worstRetrained = Math.max(worstRetrained, maxDiff(probs, retrained.get(name) ?? []));
  console.warn(`project file: ${size} bytes; max diff restored ${worstRestored.toExponential(2)}, retrained ${worstRetrained.toExponential(2)}; embedding progress: ${seen.length} observations, distinct ${JSON.stringify([...new Set(seen.map((s) => s.join('/')))])}`);
  expect(worstRestored).toBeLessThan(1e-6);
  expect(worstRetrained).toBeLessThan(1e-4);
  await page.getByTestId('download-project').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/export-project-file.png' });
});
