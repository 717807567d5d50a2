import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import { mulberry32, seededShuffle } from '../../lib/random';
import { DEFAULT_TRAIN_SETTINGS } from '../../ml/head/settings';
import { trainHead } from '../../ml/head/train-head';
import { useWasmBackend } from '../../ml/testing/node-io';
import type { ImageInfo } from '../../store/project-store';
import { canonicalRows, trainingSet } from './training-rows';

// The backend the other unit tests use (tfjs is fenced into ml/; this goes through its test helper).
beforeAll(useWasmBackend);

const DIM = 8;
const CLASSES = [
  { id: 'c-shoes', name: 'shoes' },
  { id: 'c-hats', name: 'hats' },
  { id: 'c-bags', name: 'bags' },
];

/** `perClass` photos a class with overlapping (noisy) embeddings, so a different split or training order gives a different model. */
function project(perClass: number, seed = 1) {
  const random = mulberry32(seed);
  const images: ImageInfo[] = [];
  const embeddings = new Map<string, Float32Array>();
  CLASSES.forEach((c, k) => {
    for (let i = 0; i < perClass; i++) {
      const hash = Array.from({ length: 8 }, () => Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')).join('');
      images.push({ id: `${c.id}:${hash}`, hash, classId: c.id, path: `${c.name}/${i}.jpg`, name: `${i}.jpg` });
      embeddings.set(hash, Float32Array.from({ length: DIM }, (_, d) => (d % CLASSES.length === k ? 1 : 0) + 2 * (random() - 0.5)));
    }
  });
  return { images, embeddings };
}

const ids = (rows: readonly ImageInfo[], indices: readonly number[]) => indices.map((i) => rows[i]?.id);

/** Trains the head as train() does: canonical rows, their set, then trainHead with the settings' seed. */
async function trainAsTheApp(images: readonly ImageInfo[], embeddings: Map<string, Float32Array>, seed: number) {
  const rows = canonicalRows(images, CLASSES);
  const set = trainingSet(rows, CLASSES, embeddings, DIM, 0.2, seed);
  const settings = { ...DEFAULT_TRAIN_SETTINGS, epochs: 8, batchSize: 8, hiddenUnits: 16, dropout: 0.3, validationFraction: 0.2, seed, earlyStoppingPatience: 0 };
  const result = await trainHead({ embeddings: set.x, dim: DIM, labels: set.labels, numClasses: CLASSES.length, trainIndices: set.split.train, validationIndices: set.split.validation, settings });
  const weights = result.model.getWeights().map((w) => Array.from(w.dataSync()));
  result.model.dispose();
  const probs = result.validationProbabilities ?? new Float32Array();
  let correct = 0;
  set.split.validation.forEach((row, j) => {
    const p = Array.from(probs.subarray(j * CLASSES.length, (j + 1) * CLASSES.length));
    if (p.indexOf(Math.max(...p)) === set.labels[row]) correct++;
  });
  return { rows, set, weights, probs: Array.from(probs), validationIds: ids(rows, set.split.validation), accuracy: correct / set.split.validation.length };
}

describe('canonicalRows', () => {
  it('orders photos by content hash, then class position, whatever order they come in; leaves out photos of other classes', () => {
    const { images } = project(5);
    const other: ImageInfo = { id: 'c-none:00', hash: '00', classId: 'c-none', path: 'x', name: 'x' };
    const a = canonicalRows([...images, other], CLASSES);
    const b = canonicalRows(seededShuffle([other, ...images], 9), CLASSES);
    expect(b.map((r) => r.id)).toEqual(a.map((r) => r.id));
    expect(a).toHaveLength(images.length);
    expect(a.map((r) => r.hash)).toEqual(a.map((r) => r.hash).sort());
    // The same photo in two classes: class order decides.
    const first = images[0] as ImageInfo;
    const twin = { ...first, id: `c-shoes:${first.hash}`, classId: 'c-shoes' };
    const inBags = { ...first, id: `c-bags:${first.hash}`, classId: 'c-bags' };
    expect(canonicalRows([inBags, twin], CLASSES).map((r) => r.classId)).toEqual(['c-shoes', 'c-bags']);
  });
});

describe('training from the same photos and seed', () => {
  it('gives the same split, identical weights and identical validation predictions whatever the import order', async () => {
    const { images, embeddings } = project(30);
    const runs = [];
    for (const order of [images, seededShuffle(images, 1), [...images].reverse()]) runs.push(await trainAsTheApp(order, embeddings, 42));
    const [a, ...others] = runs;
    if (!a) throw new Error('no run');
    expect(a.validationIds.length).toBeGreaterThan(0);
    for (const b of others) {
      expect(b.validationIds).toEqual(a.validationIds);
      expect(Array.from(b.set.x)).toEqual(Array.from(a.set.x));
      expect(b.weights).toEqual(a.weights);
      expect(b.probs).toEqual(a.probs);
      expect(b.accuracy).toBe(a.accuracy);
    }
  });

  it('validates the same photos when the classes are listed in another order', () => {
    const { images, embeddings } = project(30);
    const reversed = [...CLASSES].reverse();
    const a = canonicalRows(images, CLASSES);
    const b = canonicalRows(images, reversed);
    const va = ids(a, trainingSet(a, CLASSES, embeddings, DIM, 0.2, 42).split.validation).sort();
    const vb = ids(b, trainingSet(b, reversed, embeddings, DIM, 0.2, 42).split.validation).sort();
    expect(vb).toEqual(va);
  });

  it('a different seed gives a different split', async () => {
    const { images, embeddings } = project(30);
    const rows = canonicalRows(images, CLASSES);
    const a = trainingSet(rows, CLASSES, embeddings, DIM, 0.2, 42);
    const b = trainingSet(rows, CLASSES, embeddings, DIM, 0.2, 43);
    expect(ids(rows, b.split.validation)).not.toEqual(ids(rows, a.split.validation));
    expect(b.split.validation).toHaveLength(a.split.validation.length);
  });
});

describe('trainingSet', () => {
  it('leaves out a photo without an embedding (never a row of zeros) and says so', () => {
    const { images, embeddings } = project(6);
    const rows = canonicalRows(images, CLASSES);
    const gone = rows[4] as ImageInfo;
    embeddings.delete(gone.hash);
    const set = trainingSet(rows, CLASSES, embeddings, DIM, 0.2, 42);
    expect(set.noEmbedding).toEqual([4]);
    expect(set.split.train).not.toContain(4);
    expect(set.split.validation).not.toContain(4);
    expect(set.split.train.length + set.split.validation.length).toBe(rows.length - 1);
    expect(set.note).toMatch(/^1 photo was left out of training: 1 without an embedding/);
    // Every other row holds its own embedding.
    rows.forEach((r, i) => {
      if (i !== 4) expect(Array.from(set.x.subarray(i * DIM, (i + 1) * DIM))).toEqual(Array.from(embeddings.get(r.hash) as Float32Array));
    });
  });

  it('refuses embeddings of another size or with non-finite values (a damaged cache), and says how many', () => {
    const { images, embeddings } = project(6);
    const rows = canonicalRows(images, CLASSES);
    embeddings.set((rows[1] as ImageInfo).hash, new Float32Array(DIM * 2));
    embeddings.set((rows[7] as ImageInfo).hash, new Float32Array(DIM - 1));
    embeddings.set((rows[9] as ImageInfo).hash, new Float32Array(DIM).fill(NaN));
    embeddings.delete((rows[11] as ImageInfo).hash);
    const set = trainingSet(rows, CLASSES, embeddings, DIM, 0.2, 42);
    expect(set.badEmbedding).toEqual([1, 7, 9]);
    expect(set.noEmbedding).toEqual([11]);
    for (const i of [1, 7, 9, 11]) expect([...set.split.train, ...set.split.validation]).not.toContain(i);
    expect(set.note).toBe(
      '4 photos were left out of training: 1 without an embedding (the stored copy of the photo is missing or could not be read); 3 whose stored embedding is damaged (not 8 numbers, as this backbone gives).',
    );
    expect(trainingSet(canonicalRows(project(6).images, CLASSES), CLASSES, project(6).embeddings, DIM, 0.2, 42).note).toBeNull();
  });

  it('refuses to train when a class has no photo left, naming it', () => {
    const { images, embeddings } = project(3);
    for (const im of images) if (im.classId === 'c-hats') embeddings.delete(im.hash);
    const rows = canonicalRows(images, CLASSES);
    let error: unknown = null;
    try {
      trainingSet(rows, CLASSES, embeddings, DIM, 0.2, 42);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('empty-class');
    expect((error as AppError).message).toMatch(/^No photo of hats can be trained: 3 without an embedding/);
  });
});
