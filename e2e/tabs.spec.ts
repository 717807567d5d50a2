import { expect, test } from '@playwright/test';
import { waitForModel } from './helpers';

test('a second tab does not touch the project: it says the project is open elsewhere, and taking over moves the project to it', async ({ page, context }) => {
  await page.goto('/');
  await waitForModel(page);
  await page.getByTestId('sample-project').click();
  await expect(page.getByTestId('class-card')).toHaveCount(4, { timeout: 60_000 });
  await expect(page.getByTestId('import-progress')).toHaveCount(0, { timeout: 60_000 });

  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByTestId('tab-elsewhere')).toBeVisible();
  await expect(second.getByTestId('tab-elsewhere')).toContainText('open in another tab');
  // Nothing of the app runs there: no steps, no engine, no interrupted-work report.
  await expect(second.getByTestId('dataset-drop')).toHaveCount(0);
  await expect(second.getByTestId('backend-name')).toHaveCount(0);
  await expect(second.getByTestId('interrupted-notice')).toHaveCount(0);
  await second.screenshot({ path: 'test-results/screens/tab-elsewhere.png', fullPage: true });

  // Reloading the owning tab keeps the project there (its old page lets go as it unloads).
  await page.reload();
  await waitForModel(page);
  await expect(page.getByTestId('class-card')).toHaveCount(4);
  await expect(page.getByTestId('tab-elsewhere')).toHaveCount(0);
  await second.reload();
  await expect(second.getByTestId('tab-elsewhere')).toBeVisible();

  // Take over: the second tab gets the project as stored, the first one steps back.
  await second.getByTestId('tab-take-over').click();
  await expect(second.getByTestId('class-card')).toHaveCount(4, { timeout: 60_000 });
  await waitForModel(second);
  await expect(page.getByTestId('tab-elsewhere')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('class-card')).toHaveCount(0);

  // A change in the owning tab is what the project holds.
  second.once('dialog', (dialog) => void dialog.accept());
  await second.locator('[data-testid="class-card"][data-class-name="hat"]').getByRole('button', { name: /^Delete/ }).click();
  await expect(second.getByTestId('class-card')).toHaveCount(3);
  // Closed once the delete is written (the card goes at once, the write a moment later).
  await expect(second.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
  await second.close();
  await page.reload();
  await waitForModel(page);
  await expect(page.getByTestId('class-card')).toHaveCount(3);
  await expect(page.locator('[data-testid="class-card"][data-class-name="hat"]')).toHaveCount(0);
});
