import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';

const ROOT = join(import.meta.dirname, '..');
/** Absolute path of the shared folder beside the project (the full datasets). Tests use it only through `sharedDataset`. */
const SHARED = join(ROOT, '..', 'shared');
/** The sample project's photos, committed and served by the app: dress, hat, pants, shoes x 25 (clothing-small train). */
export const SAMPLE_PHOTOS = join(ROOT, 'public', 'samples', 'clothing');
/** Committed test photos: `clothing-test/<class>` (5 held-out photos of the sample's classes), `sign-digits/<d>` (52 each). */
export const TEST_PHOTOS = join(ROOT, 'test-photos');

/**
 * A full dataset from `../shared/datasets` for the tests that need all of it. Without that folder
 * the test is skipped, except under CI=true, where its absence fails the run: CI always runs them.
 */
export function sharedDataset(relative: string): string {
  const dir = join(SHARED, 'datasets', relative);
  if (existsSync(dir)) return dir;
  const why = `needs the full dataset at ../shared/datasets/${relative}, which is not beside this checkout`;
  if (process.env.CI) throw new Error(`CI=true: this test ${why}.`);
  test.skip(true, why);
  return dir;
}

/** Drops a real folder on the element through CDP, so webkitGetAsEntry() sees a directory. */
export async function dropFolder(page: Page, selector: string, folder: string): Promise<void> {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`No box for ${selector}`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: [folder], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
    await cdp.send('Input.dispatchDragEvent', { type, x, y, data });
  }
  await cdp.detach();
}

/** Waits until the engine has a backend and the chosen backbone is loaded. */
export async function waitForModel(page: Page): Promise<void> {
  await page.locator('[data-testid="backend-name"]').waitFor();
  await page.getByText(/Loaded in/).waitFor({ timeout: 120_000 });
}

/** Starts recording every value the training chart's `data-epochs` takes (to prove it moves live). */
export async function recordChartEpochs(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { __epochs: number[] }).__epochs = seen;
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="training-chart"]');
      const n = Number(el?.getAttribute('data-epochs') ?? NaN);
      if (Number.isFinite(n) && seen.at(-1) !== n) seen.push(n);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-epochs'] });
  });
}

/** The distinct `data-epochs` values seen since `recordChartEpochs`. */
export function chartEpochsSeen(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __epochs: number[] }).__epochs);
}

/** Every cached embedding, as [key, length], read from the project's IndexedDB. */
export function cachedEmbeddingSizes(page: Page): Promise<[string, number][]> {
  return page.evaluate(
    () =>
      new Promise<[string, number][]>((resolve, reject) => {
        const open = indexedDB.open('transfer-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('embeddings').objectStore('embeddings');
          const out: [string, number][] = [];
          const cursor = store.openCursor();
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (!c) {
              db.close();
              resolve(out);
              return;
            }
            out.push([String(c.key), (c.value as Float32Array).length]);
            c.continue();
          };
          cursor.onerror = () => reject(cursor.error);
        };
      }),
  );
}
