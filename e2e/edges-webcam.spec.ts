/** Issue 21: the live webcam label follows the current model's class names (rename, then train again while the camera runs). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser-options';
import { mjpegOfPhoto } from './fake-camera';
import { clothingSubset } from './fixtures';
import { TEST_PHOTOS, dropFolder, waitForModel } from './helpers';

const shoes = join(TEST_PHOTOS, 'clothing-test/shoes');
const camera = mjpegOfPhoto(join(shoes, readdirSync(shoes).sort()[0] ?? ''));
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${camera}`] } });

test('after a rename and training again, the webcam names the class by its new name, like its bar', async ({ page }) => {
  test.setTimeout(420_000);
  await page.goto('/');
  await waitForModel(page);
  await dropFolder(page, '[data-testid="dataset-drop"]', clothingSubset('train', ['hat', 'pants', 'shoes'], 10));
  await expect(page.locator('[data-testid="class-card"][data-class-name="shoes"] [data-testid="class-count"]')).toHaveAttribute('data-value', '10');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });

  await page.getByTestId('webcam-toggle').click();
  const label = page.getByTestId('webcam-label');
  await expect(label).toHaveAttribute('data-label', 'shoes', { timeout: 60_000 });

  // Rename with the camera still running, then train again.
  const name = page.locator('[data-testid="class-card"][data-class-name="shoes"] [data-testid="class-name"]');
  await name.fill('sneakers');
  await name.press('Enter');
  await expect(page.locator('[data-testid="class-card"][data-class-name="sneakers"]')).toHaveCount(1);
  await page.getByTestId('train-button').click();
  await expect(page.locator('.webcam .bars__label', { hasText: 'sneakers' })).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  await expect(label).toHaveAttribute('data-label', 'sneakers', { timeout: 30_000 });
  await expect(label).toHaveText(/sneakers|Not sure/);
  await expect(page.locator('.webcam .bars__label', { hasText: /^shoes$/ })).toHaveCount(0);
  await expect(page.getByTestId('webcam-toggle')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('webcam-toggle').click();
});

test('changing the backbone while the camera runs stops it with a sentence that says what to do, not a tensor shape error; starting it again switches back', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await waitForModel(page);
  await dropFolder(page, '[data-testid="dataset-drop"]', clothingSubset('train', ['hat', 'pants', 'shoes'], 8));
  await expect(page.locator('[data-testid="class-card"][data-class-name="shoes"] [data-testid="class-count"]')).toHaveAttribute('data-value', '8');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  await page.getByTestId('webcam-toggle').click();
  await expect(page.getByTestId('webcam-label')).toHaveAttribute('data-label', /.+/, { timeout: 60_000 });

  await page.getByTestId('backbone-select').selectOption('mobilenet_v1_075_224');
  const error = page.getByTestId('webcam-error');
  await expect(error).toContainText('The camera stopped: the backbone is now MobileNetV1 0.75', { timeout: 60_000 });
  await expect(error).not.toContainText(/shape|tensor/i);
  await expect(page.getByTestId('webcam-toggle')).toHaveAttribute('aria-pressed', 'false');

  // Start again: the model's own backbone comes back and the camera classifies.
  await page.getByTestId('webcam-toggle').click();
  await expect(page.getByTestId('backbone-select')).toHaveValue('mobilenet_v2_100_224', { timeout: 60_000 });
  await expect(page.getByTestId('webcam-error')).toHaveCount(0);
  await expect(page.getByTestId('webcam-label')).toHaveAttribute('data-label', /^(hat|pants|shoes)$/, { timeout: 60_000 });
  await page.getByTestId('webcam-toggle').click();
});
