import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS_DIR, TEST_PHOTOS_DIR, fileHandler, loadJpeg, toBatch, useWasmBackend } from '../testing/node-io';
import { useLiteRtInNode } from '../testing/node-litert';
import { BACKBONES } from './catalog';
import { LayersBackbone } from './layers-backbone';

const SIZE = 224;
const photos = () =>
  (
    [
      ['shoes', 2],
      ['hat', 2],
      ['dress', 2],
      ['pants', 2],
      ['shoes', 3],
    ] as const
  ).map(([cls, k]) => {
    const dir = join(TEST_PHOTOS_DIR, 'clothing-test', cls);
    return loadJpeg(join(dir, readdirSync(dir).sort()[k] ?? ''), SIZE);
  });

let liteRtUrl = '';
beforeAll(async () => {
  await useWasmBackend();
  liteRtUrl = await useLiteRtInNode();
}, 60_000);

describe.each(BACKBONES.filter((b) => b.format === 'layers').map((b) => [b.id, b] as const))('LiteRT.js backbone %s', (id, spec) => {
  let liteRt: LayersBackbone;
  let tfjs: LayersBackbone;
  beforeAll(async () => {
    liteRt = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, id)) }, { liteRtUrl });
    tfjs = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, id)) }, { fold: false });
    await liteRt.load();
    await tfjs.load();
  }, 120_000);
  afterAll(() => {
    liteRt.dispose();
    tfjs.dispose();
  });

  it('embeds real photos like the tfjs layers model (max difference <= 1e-4), each photo as if alone', async () => {
    expect(liteRt.embedRuntime).toBe('litert');
    expect(tfjs.embedRuntime).toBe('tfjs-layers');
    const images = photos();
    const want = await tfjs.embed(toBatch(images, SIZE));
    const got = await liteRt.embed(toBatch(images, SIZE));
    expect(got.map((r) => r.length)).toEqual(images.map(() => spec.embeddingSize));
    let worst = 0;
    got.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (want[i]?.[j] ?? NaN))))));
    console.warn(`${id}: LiteRT.js vs tfjs layers embeddings, max |difference| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-4);
    // A photo's embedding does not depend on the batch it came in.
    const alone = await liteRt.embed(toBatch([images[3] as Uint8Array], SIZE));
    expect(Array.from(alone[0] ?? [])).toEqual(Array.from(got[3] ?? []));
  });
});

describe('LiteRT.js unavailable', () => {
  it('falls back to tfjs on the folded graph when LiteRT.js cannot compile, and still embeds', async () => {
    const spec = BACKBONES.find((b) => b.id === 'mobilenet_v2_035_224');
    if (!spec) throw new Error('catalog changed');
    const backbone = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, spec.id)) }, { liteRtUrl: '/nowhere/' });
    // LiteRT.js is loaded once per process: a second load with another URL is a no-op, so break compiling instead.
    const compile = (await import('./litert-embedder')).LiteRtEmbedder;
    const original = compile.compile;
    compile.compile = () => Promise.reject(new Error('no LiteRT here'));
    try {
      await backbone.load();
    } finally {
      compile.compile = original;
    }
    expect(backbone.embedRuntime).toBe('tfjs-folded');
    const [row] = await backbone.embed(toBatch([photos()[0] as Uint8Array], SIZE));
    expect(row?.length).toBe(spec.embeddingSize);
    backbone.dispose();
  });
});
