import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { loadExported, predictRgb, readmeNodeClassify, unzip } from './export-node';
import { appPixels, classify, importDataset, maxDiff, openApp, openModelFiles, trainModel } from './export-page';
import { signDigitsSubset } from './fixtures';

const CLASSES = ['0', '3', '7'];
const PER_CLASS = 12;
const TOLERANCE = 1e-4;

/** Shared by the tests below (they run in order, in one worker). */
const state: { zip: Uint8Array | null; photos: string[]; appProbs: Map<string, number[]> } = { zip: null, photos: [], appProbs: new Map() };

test.describe.serial('export', () => {
  test('parity: the downloaded zip gives the app\'s probabilities in Node within 1e-4', async ({ page }) => {
    await openApp(page);
    await importDataset(page, signDigitsSubset(CLASSES, PER_CLASS), CLASSES, PER_CLASS);
    await trainModel(page);

    const heldOut = signDigitsSubset(CLASSES, 1, 40);
    state.photos = CLASSES.map((c) => join(heldOut, c)).flatMap((dir) => readdirSync(dir).sort().map((n) => join(dir, n)));
    state.appProbs = await classify(page, state.photos);

    const download = page.waitForEvent('download');
    await page.getByTestId('download-model').click();
    state.zip = new Uint8Array(readFileSync(await (await download).path()));
    const files = unzip(state.zip);
    expect(Object.keys(files).sort()).toEqual(['MODEL_CARD.md', 'README.txt', 'metadata.json', 'model.json', 'weights.bin']);
    const metadata = JSON.parse(new TextDecoder().decode(files['metadata.json'])) as { labels: string[]; imageSize: number };
    expect(metadata.labels).toEqual(CLASSES);
    expect(metadata.imageSize).toBe(224);
    expect(new TextDecoder().decode(files['README.txt'])).toContain('tf.loadLayersModel');

    const model = await loadExported(files);
    expect(model.inputs[0]?.shape).toEqual([null, 224, 224, 3]);
    const pixels = await Promise.all(state.photos.map((p) => appPixels(page, p)));
    const nodeProbs = predictRgb(model, pixels, 224, 2 / 255, -1);
    let worst = 0;
    state.photos.forEach((p, i) => {
      const app = state.appProbs.get(p.split('/').pop() ?? '') ?? [];
      expect(app).toHaveLength(CLASSES.length);
      worst = Math.max(worst, maxDiff(app, nodeProbs[i] ?? []));
    });
    console.warn(`export parity: max |app - node| = ${worst.toExponential(2)} over ${state.photos.length} photos; app ${JSON.stringify([...state.appProbs.values()])}`);
    expect(worst).toBeLessThan(TOLERANCE);
    model.dispose();

    // README.txt's Node snippet, run as shipped, gives the same answers.
    const readmeClassify = await readmeNodeClassify(new TextDecoder().decode(files['README.txt']), files);
    const viaReadme = await readmeClassify(pixels[0] ?? new Uint8Array(0));
    expect(maxDiff(viaReadme, state.appProbs.get(state.photos[0]?.split('/').pop() ?? '') ?? [])).toBeLessThan(TOLERANCE);
  });

  test('open: the downloaded zip opened in a fresh browser classifies the same photos the same way', async ({ browser }) => {
    test.skip(!state.zip, 'needs the zip from the parity test');
    const context = await browser.newContext();
    const page = await context.newPage();
    await openApp(page);
    await expect(page.getByTestId('class-card')).toHaveCount(0);
    await openModelFiles(page, { 'transfer-studio-model.zip': state.zip ?? new Uint8Array(0) });
    await expect(page.getByTestId('open-model-status')).toHaveAttribute('data-classes', String(CLASSES.length));
    await expect(page.getByTestId('open-model-status')).toContainText('0, 3, 7');
    const opened = await classify(page, state.photos);
    let worst = 0;
    for (const [name, probs] of state.appProbs) worst = Math.max(worst, maxDiff(probs, opened.get(name) ?? []));
    console.warn(`opened model: max |trained - opened| = ${worst.toExponential(2)} over ${state.photos.length} photos`);
    expect(worst).toBeLessThan(TOLERANCE);
    await page.getByTestId('open-model').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/export-opened.png', fullPage: true });
    await context.close();
  });

  test('open: malformed model.json, truncated weights.bin, a zip of random bytes and a wrong input shape each say what is wrong', async ({ page }) => {
    test.skip(!state.zip, 'needs the zip from the parity test');
    const files = unzip(state.zip ?? new Uint8Array(0));
    const modelJson = new TextDecoder().decode(files['model.json']);
    const weights = files['weights.bin'] ?? new Uint8Array(0);
    const metadata = files['metadata.json'] ?? new Uint8Array(0);
    await openApp(page);
    const error = page.getByTestId('open-model-error');

    await openModelFiles(page, { 'model.json': new TextEncoder().encode(modelJson.slice(0, 500)), 'weights.bin': weights });
    await expect(error).toContainText('model.json is not valid JSON');
    await expect(error).toContainText('Expected the model.json of a TensorFlow.js layers model');

    await openModelFiles(page, { 'model.json': files['model.json'] ?? new Uint8Array(0), 'weights.bin': weights.slice(0, weights.length - 1000) });
    await expect(error).toContainText(`The weights are ${weights.length - 1000} bytes but model.json declares ${weights.length} bytes`);
    await expect(error).toContainText('truncated');

    const random = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    random.set([0x50, 0x4b, 3, 4]);
    await openModelFiles(page, { 'model.zip': random });
    await expect(error).toContainText('not a zip archive the app can read');
    await expect(error).toContainText('Expected model.json and weights.bin');
    await page.getByTestId('open-model').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/export-open-error.png' });

    await openModelFiles(page, { 'model.json': new TextEncoder().encode(modelJson.replace('[null,224,224,3]', '[null,96,96,3]')), 'weights.bin': weights });
    await expect(error).toContainText('The model takes input [null, 96, 96, 3]; the app feeds [null, 224, 224, 3]');

    // Class names are text, never markup.
    const hostile = JSON.parse(new TextDecoder().decode(metadata)) as { labels: string[] };
    hostile.labels = ['<img src=x onerror="document.title=\'pwned\'">', '<script>document.title="pwned"</script>', 'seven'];
    await openModelFiles(page, { 'model.json': files['model.json'] ?? new Uint8Array(0), 'weights.bin': weights, 'metadata.json': new TextEncoder().encode(JSON.stringify(hostile)) });
    await expect(page.getByTestId('open-model-status')).toContainText('<img src=x onerror=');
    await expect(error).toHaveCount(0);
    expect(await page.title()).not.toBe('pwned');
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    await page.getByTestId('open-model').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/export-open-errors.png' });
  });
});
