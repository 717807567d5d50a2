import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { loadExported, predictRgb, readmeSnippet, unzip } from './export-node';
import { appPixels, classify, importDataset, maxDiff, openApp, openModelFiles, trainModel } from './export-page';
import { signDigitsSubset } from './fixtures';

const CLASSES = ['0', '3', '7'];
const TM_VERSION = '0.8.5';

/**
 * @teachablemachine/image's browser bundle: a devDependency installed by `npm ci` (its tfjs 1.3.1
 * peer is overridden in package.json: the bundle runs on the page's tfjs 4.22). Never fetched at
 * test time, never skipped.
 */
function teachableMachineBundle(): string {
  const pkg = join(import.meta.dirname, '..', 'node_modules', '@teachablemachine', 'image');
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  if (version !== TM_VERSION) throw new Error(`@teachablemachine/image ${version} is installed; the test is for ${TM_VERSION}: run \`npm ci\``);
  return join(pkg, 'dist', 'teachablemachine-image.min.js');
}

// The app's service worker would answer the /tm-check/ requests before page.route sees them.
test.use({ serviceWorkers: 'block' });

test('teachable machine: an export on mobilenet_v2_035_224 loads with @teachablemachine/image load(modelURL, metadataURL) and predicts like tfjs', async ({ page, baseURL }) => {
  const tmJs = teachableMachineBundle();
  await openApp(page);
  await page.getByTestId('backbone-select').selectOption('mobilenet_v2_035_224');
  await expect(page.getByText(/Loaded in/)).toBeVisible({ timeout: 120_000 });
  await importDataset(page, signDigitsSubset(CLASSES, 12), CLASSES, 12);
  await trainModel(page);
  const heldOut = signDigitsSubset(CLASSES, 1, 40);
  const photos = CLASSES.map((c) => join(heldOut, c)).flatMap((dir) => readdirSync(dir).map((n) => join(dir, n)));
  const appProbs = await classify(page, photos);
  const download = page.waitForEvent('download');
  await page.getByTestId('download-model').click();
  const files = unzip(new Uint8Array(readFileSync(await (await download).path())));
  const pixels = await Promise.all(photos.map((p) => appPixels(page, p)));

  // Serve tfjs 4.22, the TM bundle and the export from a page of its own.
  const served: Record<string, { body: Buffer | Uint8Array; type: string }> = {
    'index.html': { body: Buffer.from('<!doctype html><title>tm</title>'), type: 'text/html' },
    'tf.min.js': { body: readFileSync('node_modules/@tensorflow/tfjs/dist/tf.min.js'), type: 'text/javascript' },
    'tm.min.js': { body: readFileSync(tmJs), type: 'text/javascript' },
    'model.json': { body: files['model.json'] ?? new Uint8Array(0), type: 'application/json' },
    'weights.bin': { body: files['weights.bin'] ?? new Uint8Array(0), type: 'application/octet-stream' },
    'metadata.json': { body: files['metadata.json'] ?? new Uint8Array(0), type: 'application/json' },
    'photo.jpg': { body: readFileSync(photos[0] ?? ''), type: 'image/jpeg' },
  };
  await page.route('**/tm-check/*', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop() ?? '';
    const file = served[name];
    return file ? route.fulfill({ body: Buffer.from(file.body), contentType: file.type }) : route.fulfill({ status: 404 });
  });
  await page.goto(`${baseURL}/tm-check/index.html`);
  await page.addScriptTag({ url: '/tm-check/tf.min.js' });
  await page.addScriptTag({ url: '/tm-check/tm.min.js' });
  const b64 = pixels.map((p) => Buffer.from(p).toString('base64'));
  const tm = await page.evaluate(async (images) => {
    const w = window as unknown as {
      tmImage: { load(m: string, meta: string): Promise<{ getClassLabels(): string[]; getTotalClasses(): number; predict(c: HTMLCanvasElement): Promise<{ className: string; probability: number }[]> }> };
    };
    const model = await w.tmImage.load('/tm-check/model.json', '/tm-check/metadata.json');
    const out: { className: string; probability: number }[][] = [];
    for (const image of images) {
      const rgb = Uint8Array.from(atob(image), (c) => c.charCodeAt(0));
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 224;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d');
      const data = ctx.createImageData(224, 224);
      for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) data.data.set([rgb[i] ?? 0, rgb[i + 1] ?? 0, rgb[i + 2] ?? 0, 255], j);
      ctx.putImageData(data, 0, 0);
      out.push(await model.predict(canvas));
    }
    return { labels: model.getClassLabels(), total: model.getTotalClasses(), out };
  }, b64);
  expect(tm.labels).toEqual(CLASSES);
  expect(tm.total).toBe(CLASSES.length);

  // TM scales pixels by x / 127 - 1; tfjs in Node with the same scaling must agree with it, and
  // its answers stay close to the app's (which scales by x / 127.5 - 1).
  const model = await loadExported(files);
  const nodeTm = predictRgb(model, pixels, 224, 1 / 127, -1);
  let worstVsNode = 0;
  let worstVsApp = 0;
  photos.forEach((p, i) => {
    const got = (tm.out[i] ?? []).map((c) => c.probability);
    expect((tm.out[i] ?? []).map((c) => c.className)).toEqual(CLASSES);
    worstVsNode = Math.max(worstVsNode, maxDiff(got, nodeTm[i] ?? []));
    worstVsApp = Math.max(worstVsApp, maxDiff(got, appProbs.get(p.split('/').pop() ?? '') ?? []));
  });
  console.warn(`teachable machine: max |tm - node (x/127-1)| = ${worstVsNode.toExponential(2)}, max |tm - app (x/127.5-1)| = ${worstVsApp.toExponential(2)}`);
  expect(worstVsNode).toBeLessThan(1e-4);
  expect(worstVsApp).toBeLessThan(0.05);

  // README.txt's web-page snippet, run as shipped on the first photo, gives the app's answer.
  const webSnippet = readmeSnippet(new TextDecoder().decode(files['README.txt']), 'In a web page')
    .split('\n')
    .filter((line) => !line.startsWith('<script'))
    .join('\n');
  const viaWeb = await page.evaluate(async (code) => {
    const photo = await (await fetch('/tm-check/photo.jpg')).blob();
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (photo: Blob) => Promise<ArrayLike<number>>;
    return Array.from(await new AsyncFunction('photo', `${code}\nreturn probs;`)(photo));
  }, webSnippet);
  const webDiff = maxDiff(viaWeb, appProbs.get(photos[0]?.split('/').pop() ?? '') ?? []);
  console.warn(`README web snippet: max |snippet - app| = ${webDiff.toExponential(2)}`);
  expect(webDiff).toBeLessThan(1e-4);

  // The app opens it as a Teachable Machine model too (metadata without our own section), and
  // then scales pixels like TM: the same answers as TM.
  const tmMetadata = JSON.parse(new TextDecoder().decode(files['metadata.json'])) as Record<string, unknown>;
  delete tmMetadata.transferStudio;
  await openApp(page);
  await openModelFiles(page, { 'model.json': files['model.json'] ?? new Uint8Array(0), 'weights.bin': files['weights.bin'] ?? new Uint8Array(0), 'metadata.json': new TextEncoder().encode(JSON.stringify(tmMetadata)) });
  await expect(page.getByTestId('open-model-status')).toContainText('like Teachable Machine');
  const opened = await classify(page, photos);
  let worstOpened = 0;
  photos.forEach((p, i) => (worstOpened = Math.max(worstOpened, maxDiff(opened.get(p.split('/').pop() ?? '') ?? [], nodeTm[i] ?? []))));
  console.warn(`teachable machine metadata opened in the app: max |app - node (x/127-1)| = ${worstOpened.toExponential(2)}`);
  expect(worstOpened).toBeLessThan(1e-4);
  model.dispose();
});
