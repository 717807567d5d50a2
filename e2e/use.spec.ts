import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser-options';
import { mjpegOfPhoto } from './fake-camera';
import { clothingSubset } from './fixtures';
import { TEST_PHOTOS, dropFolder, waitForModel } from './helpers';

const CLASSES = ['hat', 'pants', 'shoes'];
const shoePhoto = join(TEST_PHOTOS, 'clothing-test/shoes', readdirSync(join(TEST_PHOTOS, 'clothing-test/shoes')).sort()[0] ?? '');

// A fake camera that shows a held-out shoe photo.
const camera = mjpegOfPhoto(shoePhoto);
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${camera}`] } });

async function trainClothing(page: Page): Promise<void> {
  await page.goto('/');
  await waitForModel(page);
  await dropFolder(page, '[data-testid="dataset-drop"]', clothingSubset('train', CLASSES, 20));
  await expect(page.getByTestId('class-card')).toHaveCount(3);
  await expect(page.locator('[data-testid="class-card"][data-class-name="shoes"] [data-testid="class-count"]')).toHaveAttribute('data-value', '20');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
}

test('classify a folder of held-out photos, download the CSV, and see the webcam name a shoe', async ({ page }) => {
  await trainClothing(page);

  const heldOut = clothingSubset('test', CLASSES, 5);
  await page.getByTestId('predict-folder-input').setInputFiles(heldOut);
  await expect(page.locator('[data-testid="prediction-row"][data-status="done"]')).toHaveCount(15, { timeout: 120_000 });
  const download = page.waitForEvent('download');
  await page.getByTestId('download-predictions').click();
  const lines = readFileSync(await (await download).path(), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('file,label,confidence');
  const rows = lines.slice(1).map((l) => l.split(','));
  expect(rows).toHaveLength(15);
  let correct = 0;
  for (const [file, label, confidence] of rows) {
    expect(file).toMatch(/^test\/(hat|pants|shoes)\/[^/]+\.jpg$/);
    expect(CLASSES).toContain(label);
    expect(Number(confidence)).toBeGreaterThan(0);
    expect(Number(confidence)).toBeLessThanOrEqual(1);
    if (file?.split('/')[1] === label) correct++;
  }
  // The accuracy the app shows for labelled folders is the CSV's accuracy.
  const shown = Number(await page.getByTestId('folder-accuracy').getAttribute('data-value'));
  expect(shown).toBeCloseTo(correct / 15, 6);
  expect(correct).toBeGreaterThanOrEqual(12);

  // The summary above the list agrees with the CSV: photos per predicted class, the folder table's
  // diagonal is the correct count; a class chip shows only that class's photos.
  const summary = page.getByTestId('prediction-summary');
  await expect(summary).toHaveAttribute('data-total', '15');
  await expect(summary).toHaveAttribute('data-errors', '0');
  expect(Number(await summary.getAttribute('data-accuracy'))).toBeCloseTo(correct / 15, 6);
  // "Not sure": top confidence below the threshold (the slider's default, 50%).
  await expect(page.getByTestId('threshold')).toHaveValue('0.5');
  await expect(summary).toHaveAttribute('data-unsure', String(rows.filter((r) => Number(r[2]) < 0.5).length));
  for (const c of CLASSES) {
    const chip = summary.locator(`[data-testid="prediction-summary-class"][data-class="${c}"]`);
    await expect(chip).toHaveAttribute('data-value', String(rows.filter((r) => r[1] === c).length));
  }
  const diagonal = await summary.locator('[data-testid="prediction-summary-confusion"] td.diag').allTextContents();
  expect(diagonal.reduce((n, t) => n + Number(t), 0)).toBe(correct);
  const hats = rows.filter((r) => r[1] === 'hat').length;
  await summary.locator('[data-testid="prediction-summary-class"][data-class="hat"]').click();
  await expect(page.locator('[data-testid="prediction-row"]')).toHaveCount(hats);
  await summary.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/use-summary.png' });
  await summary.locator('[data-testid="prediction-summary-class"][data-class="hat"]').click();
  await expect(page.locator('[data-testid="prediction-row"]')).toHaveCount(15);

  // Webcam: the fake camera shows a shoe.
  await page.getByTestId('webcam-toggle').click();
  await expect(page.getByTestId('webcam-label')).toHaveAttribute('data-label', 'shoes', { timeout: 60_000 });
  const confidence = Number(await page.getByTestId('webcam-label').getAttribute('data-confidence'));
  expect(confidence).toBeGreaterThan(0.5);
  expect(confidence).toBeLessThanOrEqual(1);
  await page.getByTestId('webcam-toggle').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/use-webcam.png' });
  await page.getByTestId('webcam-toggle').click();
  await expect(page.getByTestId('webcam-toggle')).toHaveAttribute('aria-pressed', 'false');
});
