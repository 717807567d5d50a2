import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { headFromArtifact, headToArtifact } from './head-artifact';
import { DEFAULT_TRAIN_SETTINGS } from './settings';
import { buildHead, predictHead, trainHead } from './train-head';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const dim = 6;
const x = new Float32Array(5 * dim).map((_, i) => Math.cos(i * 0.7));

describe('head artifact', () => {
  it('round-trips a trained head to identical predictions, through structuredClone', async () => {
    const settings = { ...DEFAULT_TRAIN_SETTINGS, epochs: 3, hiddenUnits: 4, dropout: 0.25 };
    const labels = new Int32Array([0, 1, 2, 0, 1]);
    const before = tf.memory().numTensors;
    const { model } = await trainHead({ embeddings: x, dim, labels, numClasses: 3, trainIndices: [0, 1, 2, 3, 4], validationIndices: [], settings });
    const artifact = structuredClone(headToArtifact(model, settings));
    expect(artifact).toMatchObject({ dim, numClasses: 3, hiddenUnits: 4, dropout: 0.25 });
    expect(artifact.weights.map((w) => [w.name, w.shape])).toEqual([
      ['head_dense/kernel', [6, 4]],
      ['head_dense/bias', [4]],
      ['head_out/kernel', [4, 3]],
      ['head_out/bias', [3]],
    ]);
    const copy = headFromArtifact(artifact);
    expect(predictHead(copy, x, dim)).toEqual(predictHead(model, x, dim));
    model.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps a head without hidden layer or output bias', () => {
    const settings = { hiddenUnits: 0, dropout: 0, seed: 3 };
    const model = buildHead(dim, 2, settings, { outputBias: false });
    const artifact = headToArtifact(model, settings);
    expect(artifact.weights.map((w) => w.name)).toEqual(['head_out/kernel']);
    const copy = headFromArtifact(artifact);
    expect(predictHead(copy, x, dim)).toEqual(predictHead(model, x, dim));
    model.dispose();
    copy.dispose();
  });

  it('refuses settings that do not match and artifacts with wrong shapes', () => {
    const model = buildHead(dim, 2, { hiddenUnits: 3, dropout: 0, seed: 1 });
    expect(() => headToArtifact(model, { hiddenUnits: 5, dropout: 0 })).toThrow(RangeError);
    const artifact = headToArtifact(model, { hiddenUnits: 3, dropout: 0 });
    const before = tf.memory().numTensors;
    expect(() => headFromArtifact({ ...artifact, dim: 7 })).toThrow(/expected/);
    expect(() => headFromArtifact({ ...artifact, weights: artifact.weights.slice(1) })).toThrow(/no weight/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
