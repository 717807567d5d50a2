import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/random';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from './settings';
import { argmaxRows } from './metrics';
import { stratifiedSplit } from './split';
import { buildHead, classWeightsFor, predictHead, trainHead, type TrainInput } from './train-head';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** `perClass` points around K well separated centres in `dim` dimensions; optionally random labels. */
function synthetic(numClasses: number, perClass: number, dim: number, seed: number, randomLabels = false) {
  const random = mulberry32(seed);
  const n = numClasses * perClass;
  const embeddings = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % numClasses;
    labels[i] = randomLabels ? Math.floor(random() * numClasses) : cls;
    for (let d = 0; d < dim; d++) embeddings[i * dim + d] = (d % numClasses === cls ? 3 : 0) + (random() - 0.5);
  }
  return { embeddings, labels, dim, numClasses };
}

const settings = (over: Partial<TrainSettings> = {}): TrainSettings => ({
  ...DEFAULT_TRAIN_SETTINGS,
  epochs: 15,
  batchSize: 16,
  hiddenUnits: 16,
  dropout: 0.2,
  earlyStoppingPatience: 0,
  ...over,
});

function input(data: ReturnType<typeof synthetic>, s: TrainSettings, extra: Partial<TrainInput> = {}): TrainInput {
  const split = stratifiedSplit(data.labels, data.numClasses, s.validationFraction, s.seed);
  return { ...data, trainIndices: split.train, validationIndices: split.validation, settings: s, ...extra };
}

const meanCrossEntropy = (probs: Float32Array, labels: number[], k: number) =>
  labels.reduce((sum, y, i) => sum - Math.log(Math.min(Math.max(probs[i * k + y] as number, 1e-7), 1 - 1e-7)), 0) / labels.length;

describe('buildHead', () => {
  it('uses only standard named layers and a softmax output', () => {
    const m = buildHead(8, 3, { hiddenUnits: 4, dropout: 0.5, seed: 1 });
    expect(m.layers.map((l) => l.name)).toEqual(['head_dense', 'head_dropout', 'head_out']);
    expect(m.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dropout', 'Dense']);
    expect(m.outputs[0]?.shape).toEqual([null, 3]);
    const out = m.getLayer('head_out').getConfig();
    expect(out.activation).toBe('softmax');
    expect(out.useBias).toBe(true);
    m.dispose();
  });

  it('can drop the hidden layer and the output bias', () => {
    const m = buildHead(8, 3, { hiddenUnits: 0, dropout: 0, seed: 1 }, { outputBias: false, kernelInitializer: 'varianceScaling' });
    expect(m.layers.map((l) => l.name)).toEqual(['head_dropout', 'head_out']);
    expect(m.getLayer('head_out').getWeights()).toHaveLength(1);
    m.dispose();
  });

  it('saves and loads back with plain tf.loadLayersModel', async () => {
    const m = buildHead(8, 3, { hiddenUnits: 4, dropout: 0.3, seed: 2 });
    let artifacts: tf.io.ModelArtifacts | null = null;
    await m.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    if (!artifacts) throw new Error('not saved');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const x = new Float32Array(16).map((_, i) => Math.sin(i));
    expect(predictHead(loaded, x, 8)).toEqual(predictHead(m, x, 8));
    m.dispose();
    loaded.dispose();
  });
});

describe('classWeightsFor', () => {
  const labels = [0, 0, 0, 0, 1, 1, 2, 2];
  it('weighs N / (K * count) when on, or auto and unbalanced', () => {
    const all = labels.map((_, i) => i);
    expect(classWeightsFor(labels, all, 3, 'on')).toEqual(new Float32Array([8 / 12, 8 / 6, 8 / 6]));
    expect(classWeightsFor(labels, all, 3, 'auto')).toEqual(new Float32Array([8 / 12, 8 / 6, 8 / 6]));
    expect(Array.from(classWeightsFor(labels, all, 3, 'off'))).toEqual([1, 1, 1]);
  });
  it('stays at 1 in auto mode when classes are within 1.5x', () => {
    expect(Array.from(classWeightsFor(labels, [0, 1, 2, 4, 5, 6, 7], 3, 'auto'))).toEqual([1, 1, 1]);
  });
});

describe('trainHead', () => {
  it('separates clearly separable classes perfectly and reports every epoch', async () => {
    const data = synthetic(4, 30, 16, 1);
    const epochs: number[] = [];
    let batches = 0;
    const r = await trainHead(input(data, settings({ validationFraction: 0.25, learningRate: 0.01 }), { onEpoch: (l) => epochs.push(l.epoch), onBatch: () => batches++ }));
    try {
      expect(epochs).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      expect(batches).toBe(15 * Math.ceil(88 / 16));
      const last = r.history.at(-1);
      expect(last?.valAccuracy).toBe(1);
      expect(r.validationProbabilities).toHaveLength(32 * 4);
      const split = stratifiedSplit(data.labels, 4, 0.25, DEFAULT_TRAIN_SETTINGS.seed);
      expect(Array.from(argmaxRows(r.validationProbabilities ?? new Float32Array(), 4))).toEqual(split.validation.map((i) => data.labels[i]));
      expect(r.bestEpoch).toBe(15);
      expect(r.stoppedEarly).toBe(false);
      expect(r.stoppedByUser).toBe(false);
    } finally {
      r.model.dispose();
    }
  });

  it('is repeatable for a seed', async () => {
    const data = synthetic(3, 20, 8, 2);
    const s = settings({ epochs: 4 });
    const a = await trainHead(input(data, s));
    const b = await trainHead(input(data, s));
    const c = await trainHead(input(data, { ...s, seed: 7 }));
    expect(b.history).toEqual(a.history);
    expect(c.history).not.toEqual(a.history);
    for (const r of [a, b, c]) r.model.dispose();
  });

  it('stops early and restores the weights of the epoch with the lowest validation loss', async () => {
    // Random labels: the head memorises the training rows and validation loss climbs.
    const data = synthetic(3, 40, 32, 3, true);
    const s = settings({ epochs: 200, learningRate: 0.01, hiddenUnits: 64, dropout: 0, earlyStoppingPatience: 3, validationFraction: 0.3 });
    const r = await trainHead(input(data, s));
    try {
      expect(r.stoppedEarly).toBe(true);
      expect(r.history.length).toBeLessThan(200);
      const valLosses = r.history.map((h) => h.valLoss ?? Infinity);
      const min = Math.min(...valLosses);
      expect(r.bestEpoch).toBe(valLosses.indexOf(min) + 1);
      expect(r.history.length).toBe(r.bestEpoch + 3);
      const split = stratifiedSplit(data.labels, 3, 0.3, s.seed);
      const valLabels = split.validation.map((i) => data.labels[i] as number);
      expect(meanCrossEntropy(r.validationProbabilities ?? new Float32Array(), valLabels, 3)).toBeCloseTo(min, 4);
      expect(meanCrossEntropy(r.validationProbabilities ?? new Float32Array(), valLabels, 3)).toBeLessThan(valLosses.at(-1) ?? 0);
    } finally {
      r.model.dispose();
    }
  });

  it('keeps the final weights without validation', async () => {
    const data = synthetic(3, 10, 8, 4);
    const r = await trainHead(input(data, settings({ epochs: 3, validationFraction: 0, earlyStoppingPatience: 5 })));
    expect(r.history.map((h) => [h.valLoss, h.valAccuracy])).toEqual([[null, null], [null, null], [null, null]]);
    expect(r.validationProbabilities).toBeNull();
    expect(r.bestEpoch).toBe(3);
    r.model.dispose();
  });

  it('stops at the next batch when asked', async () => {
    const data = synthetic(3, 100, 8, 5);
    let batches = 0;
    const r = await trainHead(input(data, settings({ epochs: 50, batchSize: 8, validationFraction: 0.2 }), { onBatch: () => batches++, shouldStop: () => batches >= 50 }));
    try {
      expect(r.stoppedByUser).toBe(true);
      expect(batches).toBe(50);
      expect(r.history.length).toBe(Math.floor(50 / Math.ceil(240 / 8)));
      expect(r.bestEpoch).toBe(1);
      expect(r.validationProbabilities).toHaveLength(60 * 3);
    } finally {
      r.model.dispose();
    }
  });

  it('with the automatic batch takes 32 photos a step, 128 from 1,000 training photos', async () => {
    const steps = async (perClass: number) => {
      const data = synthetic(2, perClass, 4, 5);
      let batches = 0;
      const s = settings({ epochs: 1, batchSize: 0, hiddenUnits: 4, validationFraction: 0 });
      const r = await trainHead(input(data, s, { onBatch: () => batches++ }));
      r.model.dispose();
      return batches;
    };
    expect(await steps(200)).toBe(Math.ceil(400 / 32));
    expect(await steps(600)).toBe(Math.ceil(1200 / 128));
  });

  it('leaks no tensor over three trainings', async () => {
    const data = synthetic(3, 20, 8, 6);
    const before = tf.memory().numTensors;
    for (const over of [{}, { earlyStoppingPatience: 2, classWeighting: 'on' as const }, { validationFraction: 0, hiddenUnits: 0 }]) {
      const r = await trainHead(input(data, settings({ epochs: 5, ...over })));
      r.model.dispose();
    }
    let calls = 0;
    const stopped = await trainHead(input(data, settings({ epochs: 5 }), { shouldStop: () => ++calls > 3 }));
    stopped.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses settings out of range and rows without labels', async () => {
    const data = synthetic(2, 5, 4, 7);
    await expect(trainHead(input(data, settings({ epochs: 0 })))).rejects.toThrow(RangeError);
    await expect(trainHead({ ...input(data, settings()), trainIndices: [0, 99] })).rejects.toThrow(RangeError);
  });
});
