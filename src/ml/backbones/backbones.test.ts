import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PHOTOS_DIR, MODELS_DIR, cosine, fileHandler, loadJpeg, mirror, toBatch, useWasmBackend } from '../testing/node-io';
import { BACKBONES } from './catalog';
import { createBackbone } from './create-backbone';
import type { Backbone } from './types';

const SIZE = 224;
const photo = (cls: string, i: number) => {
  const dir = join(TEST_PHOTOS_DIR, 'clothing-test', cls);
  const name = readdirSync(dir).sort()[i];
  if (!name) throw new Error(`No photo ${i} in ${dir}`);
  return loadJpeg(join(dir, name), SIZE);
};

let shoe: Uint8Array;
let pants: Uint8Array;
let hat: Uint8Array;

beforeAll(async () => {
  await useWasmBackend();
  shoe = photo('shoes', 0);
  pants = photo('pants', 0);
  hat = photo('hat', 0);
});

describe.each(BACKBONES.map((b) => [b.id, b] as const))('backbone %s', (id, spec) => {
  let backbone: Backbone;
  beforeAll(async () => {
    backbone = createBackbone(id, { handler: fileHandler(join(MODELS_DIR, id)) });
    await backbone.load();
  });
  afterAll(() => backbone.dispose());

  it('returns one embedding row of the documented size per image', async () => {
    const rows = await backbone.embed(toBatch([shoe, pants, hat], SIZE));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toBeInstanceOf(Float32Array);
      expect(row.length).toBe(spec.embeddingSize);
      expect(row.every(Number.isFinite)).toBe(true);
    }
  });

  it('puts a photo next to its mirror image and away from other classes', async () => {
    const [a, aMirror, c, d] = await backbone.embed(toBatch([shoe, mirror(shoe, SIZE), pants, hat], SIZE));
    if (!a || !aMirror || !c || !d) throw new Error('missing rows');
    const self = cosine(a, aMirror);
    expect(self).toBeGreaterThan(0.9);
    expect(self).toBeGreaterThan(cosine(a, c));
    expect(self).toBeGreaterThan(cosine(a, d));
  });

  it('keeps photos of one class closer together than photos of different classes', async () => {
    const classes = ['shoes', 'pants', 'hat'];
    const rows = await backbone.embed(toBatch(classes.flatMap((c) => [0, 1, 2, 3].map((i) => photo(c, i))), SIZE));
    let within = 0;
    let nWithin = 0;
    let between = 0;
    let nBetween = 0;
    rows.forEach((x, i) =>
      rows.forEach((y, j) => {
        if (j <= i) return;
        if (Math.floor(i / 4) === Math.floor(j / 4)) {
          within += cosine(x, y);
          nWithin++;
        } else {
          between += cosine(x, y);
          nBetween++;
        }
      }),
    );
    expect(within / nWithin).toBeGreaterThan(between / nBetween + 0.05);
  });

  it('embeds the same image to the same values in a batch of one and of three', async () => {
    const [alone] = await backbone.embed(toBatch([hat], SIZE));
    const [, , inBatch] = await backbone.embed(toBatch([shoe, pants, hat], SIZE));
    if (!alone || !inBatch) throw new Error('missing rows');
    expect(cosine(alone, inBatch)).toBeGreaterThan(0.9999);
  });

  it('leaves no tensors behind across calls', async () => {
    const batch = toBatch([shoe, pants], SIZE);
    await backbone.embed(batch);
    await backbone.imagenetTopK(batch, 5);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await backbone.embed(batch);
      await backbone.imagenetTopK(batch, 5);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  if (spec.imagenetHead !== 'none')
    it('names footwear for a shoe with its ImageNet head', async () => {
    const [guesses] = await backbone.imagenetTopK(toBatch([shoe], SIZE), 5);
    expect(guesses).toHaveLength(5);
    const labels = (guesses ?? []).map((g) => g.label).join(' | ');
    expect(labels).toMatch(/shoe|sandal|clog|boot|sneaker|loafer|slipper|sock/i);
    const total = (guesses ?? []).reduce((s, g) => s + g.probability, 0);
    expect(total).toBeLessThanOrEqual(1.0001);
  });

  else
    it('reports no ImageNet guesses when it has no head', async () => {
    const [guesses] = await backbone.imagenetTopK(toBatch([shoe], SIZE), 5);
    expect(guesses).toEqual([]);
  });
});
