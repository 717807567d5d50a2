import { expect, test, type Page } from '@playwright/test';
import { waitForModel } from './helpers';

// Chromium's fake camera (--use-fake-device-for-media-stream, see playwright.config.ts): an animated 640x480 pattern.

const DROP = '[data-testid="dataset-drop"]';

async function addEmptyClass(page: Page): Promise<void> {
  await page.goto('/');
  await page.locator(DROP).waitFor();
  await waitForModel(page); // not while the worker still loads the network: that is a different test
  await page.getByTestId('add-class').click();
  await expect(page.getByTestId('class-card')).toHaveCount(1);
  // The record button is pressed at coordinates: once the page has settled (the class stored).
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
}

const countOf = async (page: Page) => Number(await page.getByTestId('class-count').getAttribute('data-value'));

/** The count once the last frames grabbed before release have been imported (unchanged for a second). */
async function settledCount(page: Page): Promise<number> {
  let last = -1;
  await expect
    .poll(async () => {
      const now = await countOf(page);
      const same = now === last;
      last = now;
      return same;
    }, { intervals: [1000] })
    .toBe(true);
  return last;
}

test('hold to record: camera frames become photos of the class, and the camera is released on release', async ({ page }) => {
  await addEmptyClass(page);
  const button = page.getByTestId('record-button');
  const preview = page.getByTestId('record-preview');
  await button.scrollIntoViewIfNeeded();
  const box = await button.boundingBox();
  if (!box) throw new Error('no record button');

  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  await expect(button).toHaveAttribute('data-state', 'live');
  await expect(preview).toBeVisible();
  await page.waitForTimeout(2000);
  await page.getByTestId('class-card').screenshot({ path: `${test.info().project.outputDir}/dataset-recording.png` });
  await page.mouse.up();

  await expect(preview).toBeHidden();
  expect(await preview.evaluate((v) => (v as HTMLVideoElement).srcObject)).toBeNull();
  await expect.poll(() => countOf(page)).toBeGreaterThanOrEqual(3);
  const afterMouse = await countOf(page);

  // Keyboard: hold Space on the focused button.
  await button.focus();
  await page.keyboard.down('Space');
  await expect(button).toHaveAttribute('data-state', 'live');
  // Held longer than the mouse recording: Chromium's fake camera starts its animation again each
  // time it opens, so frames from the first 2 s can equal the first recording's, byte for byte,
  // and the import skips them as duplicates. Frames from past 2 s are new.
  await page.waitForTimeout(3500);
  await page.keyboard.up('Space');
  await expect(button).toHaveAttribute('data-state', 'idle');
  await expect(preview).toBeHidden();
  await expect.poll(() => countOf(page)).toBeGreaterThan(afterMouse);

  // They are ordinary photos of the class: stored, with thumbnails, back after a reload.
  const total = await settledCount(page);
  await page.reload();
  await expect(page.getByTestId('class-count')).toHaveAttribute('data-value', String(total));
  await expect(page.locator('[data-testid="thumb"] img').first()).toBeVisible();
});

test('hold to record without camera permission says what to do', async ({ page }) => {
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  await addEmptyClass(page);
  const button = page.getByTestId('record-button');
  await button.hover();
  await page.mouse.down();
  await expect(page.getByTestId('record-error')).toContainText('Camera permission was denied');
  await page.mouse.up();
  await expect(page.getByTestId('record-preview')).toBeHidden();
  await expect(page.getByTestId('class-count')).toHaveAttribute('data-value', '0');
});
