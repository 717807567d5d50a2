import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { loadExported, predictRgb, unzip } from './export-node';
import { appPixels, classify, importDataset, maxDiff, openApp, trainModel } from './export-page';
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
    state.photos = CLASSES.map((c) => join(heldOut, c)).flatMap((dir) => readdirNames(dir).map((n) => join(dir, n)));
    state.appProbs = await classify(page, state.photos);

    const download = page.waitForEvent('download');
    await page.getByTestId('download-model').click();
    state.zip = new Uint8Array(readFileSync(await (await download).path()));
    const files = unzip(state.zip);
    expect(Object.keys(files).sort()).toEqual(['README.txt', 'metadata.json', 'model.json', 'weights.bin']);
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
  });
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir).sort();
}
