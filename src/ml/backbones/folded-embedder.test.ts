import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS_DIR, TEST_PHOTOS_DIR, fileHandler, loadJpeg, toBatch, useWasmBackend } from '../testing/node-io';
import { BACKBONES } from './catalog';
import { LayersBackbone } from './layers-backbone';

const SIZE = 224;
const photos = () =>
  ['shoes', 'hat', 'dress', 'pants'].map((cls) => {
    const dir = join(TEST_PHOTOS_DIR, 'clothing-test', cls);
    return loadJpeg(join(dir, readdirSync(dir).sort()[1] ?? ''), SIZE);
  });

beforeAll(useWasmBackend);

describe.each(BACKBONES.filter((b) => b.format === 'layers').map((b) => [b.id, b] as const))('folded backbone %s', (id, spec) => {
  let folded: LayersBackbone;
  let layers: LayersBackbone;
  beforeAll(async () => {
    folded = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, id)) });
    layers = new LayersBackbone(spec, { handler: fileHandler(join(MODELS_DIR, id)) }, { fold: false });
    await folded.load();
    await layers.load();
  }, 120_000);
  afterAll(() => {
    folded.dispose();
    layers.dispose();
  });

  it('embeds real photos like the layers model (max difference <= 1e-4) without leaking tensors', async () => {
    expect(folded.isFolded).toBe(true);
    expect(layers.isFolded).toBe(false);
    const batch = toBatch(photos(), SIZE);
    const want = await layers.embed(batch);
    const before = tf.memory().numTensors;
    const got = await folded.embed(batch);
    expect(tf.memory().numTensors).toBe(before);
    let worst = 0;
    got.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (want[i]?.[j] ?? NaN))))));
    console.warn(`${id}: folded vs layers embeddings, max |difference| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-4);
  });
});
