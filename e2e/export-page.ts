/** Page side of the export tests: the app's own preprocessing, training and classification. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { dropFolder, waitForModel } from './helpers';

/**
 * The 224x224 RGB bytes the app feeds its model for a photo: the page runs the same steps as
 * src/platform/image-decode.ts (createImageBitmap with EXIF orientation, largest centred square,
 * white fill, drawImage with high-quality smoothing on a willReadFrequently OffscreenCanvas).
 */
export async function appPixels(page: Page, path: string, size = 224): Promise<Uint8Array> {
  const base64 = readFileSync(path).toString('base64');
  const out = await page.evaluate(
    async ({ base64, size }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes]), { imageOrientation: 'from-image' });
      const side = Math.min(bitmap.width, bitmap.height);
      const canvas = new OffscreenCanvas(size, size);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('No 2D canvas');
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.fillStyle = '#fff'; // transparent pixels onto white, as the app does
      ctx.fillRect(0, 0, size, size);
      ctx.drawImage(bitmap, Math.floor((bitmap.width - side) / 2), Math.floor((bitmap.height - side) / 2), side, side, 0, 0, size, size);
      bitmap.close();
      const rgba = ctx.getImageData(0, 0, size, size).data;
      let s = '';
      for (let i = 0; i < rgba.length; i += 4) s += String.fromCharCode(rgba[i] as number, rgba[i + 1] as number, rgba[i + 2] as number);
      return btoa(s);
    },
    { base64, size },
  );
  return new Uint8Array(Buffer.from(out, 'base64'));
}

/** Drops a dataset folder on the data step and waits until every class shows `perClass` photos. */
export async function importDataset(page: Page, folder: string, classes: readonly string[], perClass: number): Promise<void> {
  await dropFolder(page, '[data-testid="dataset-drop"]', folder);
  for (const c of classes) {
    await expect(page.locator(`[data-testid="class-card"][data-class-name="${c}"] [data-testid="class-count"]`)).toHaveAttribute('data-value', String(perClass));
  }
}

/** Opens the app on a fresh page and waits for the backbone. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await waitForModel(page);
}

/** Clicks Train and waits until training is done. */
export async function trainModel(page: Page): Promise<void> {
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
}

/** Classifies photos through `predict-input`; returns each photo's probabilities in class order, by file name. */
export async function classify(page: Page, paths: readonly string[]): Promise<Map<string, number[]>> {
  // Earlier rows may have the same file names: wait for this batch's rows, so `.last()` is ours.
  const rows = page.getByTestId('prediction-row');
  const already = await rows.count();
  await page.getByTestId('predict-input').setInputFiles([...paths]);
  await expect(rows).toHaveCount(already + paths.length);
  const names = paths.map((p) => basename(p));
  const out = new Map<string, number[]>();
  for (const name of names) {
    const row = page.locator(`[data-testid="prediction-row"][data-file="${name}"]`).last();
    await expect(row).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    out.set(name, JSON.parse((await row.getAttribute('data-probabilities')) ?? '[]') as number[]);
  }
  return out;
}

/** Largest absolute difference between two lists of numbers (Infinity when lengths differ). */
export function maxDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] ?? NaN))), 0);
}

/** Writes the files to a temp folder and picks them in the "Open a model" input. */
export async function openModelFiles(page: Page, files: Record<string, Uint8Array>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'open-model-'));
  const paths = Object.entries(files).map(([name, bytes]) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  });
  await page.getByTestId('open-model-input').setInputFiles(paths);
}
