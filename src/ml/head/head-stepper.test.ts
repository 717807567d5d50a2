import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mulberry32 } from '../../lib/random';
import { useWasmBackend } from '../testing/node-io';
import { makeHeadStepper, type StepperKind } from './head-stepper';
import { SimdAdam } from './simd-adam';
import { buildHead, trainHead } from './train-head';

/** 60 random 24-value rows in 4 unbalanced classes. */
function data() {
  const random = mulberry32(5);
  const embeddings = Float32Array.from({ length: 60 * 24 }, () => random() * 2 - 1);
  const labels = Int32Array.from({ length: 60 }, (_, i) => (i % 5 === 0 ? 3 : i % 3));
  return { embeddings, dim: 24, labels, numClasses: 4 };
}

/** The head's weights after `steps` steps of `kind`, the stats, and the validation figures. */
async function run(kind: StepperKind, shape: { dropout: number; weighted: boolean; outputBias: boolean }) {
  const d = data();
  const model = buildHead(d.dim, d.numClasses, { hiddenUnits: 16, dropout: shape.dropout, seed: 7 }, { outputBias: shape.outputBias });
  const classWeights = shape.weighted ? Float32Array.from([0.5, 1, 2, 1.5]) : null;
  const stepper = makeHeadStepper(model, { ...d, classWeights, dropout: shape.dropout, learningRate: 0.01 }, kind);
  const random = mulberry32(11);
  const rows = Array.from({ length: 60 }, (_, i) => i);
  for (let step = 0; step < 6; step++) {
    // Batches of 16, and a short last one (12 rows), as an epoch ends.
    const batch = rows.filter(() => random() < 0.3).slice(0, step === 5 ? 12 : 16);
    stepper.step(batch, 100 + step);
  }
  const stats = await stepper.takeStats();
  stepper.sync();
  const x = tf.tensor2d(d.embeddings.slice(0, 20 * d.dim), [20, d.dim]);
  const y = tf.tensor1d(d.labels.slice(0, 20), 'int32');
  const validation = await stepper.validate(x, y);
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  tf.dispose([x, y]);
  stepper.dispose();
  model.dispose();
  return { stats, validation, weights };
}

function worst(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((w, i) => w.map((v, j) => Math.abs(v - (b[i]?.[j] ?? NaN)))));
}

const shapes = [
  { name: 'dropout, class weights, output bias', dropout: 0.3, weighted: true, outputBias: true },
  { name: 'no dropout, no output bias', dropout: 0, weighted: false, outputBias: false },
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`head steppers on ${backend}`, () => {
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    for (const shape of shapes) for (const kernelAdam of ['wasm SIMD', 'tfjs'] as const) {
      it(`the array step trains exactly as the tensor step (${shape.name}; the kernel's Adam in ${kernelAdam})`, async () => {
        if (backend === 'wasm') await useWasmBackend();
        else await tf.setBackend('cpu');
        const tensor = await run('tensor', shape);
        // 'tfjs': as where the runtime has no wasm SIMD (SimdAdam.create returns null there).
        const create = kernelAdam === 'tfjs' ? vi.spyOn(SimdAdam, 'create').mockReturnValue(null) : vi.spyOn(SimdAdam, 'create');
        const array = await run('array', shape);
        expect(create).toHaveBeenCalledTimes(1);
        expect(create.mock.results[0]?.value === null).toBe(kernelAdam === 'tfjs');
        create.mockRestore();
        expect(array.weights.length).toBe(tensor.weights.length);
        expect(worst(array.weights, tensor.weights)).toBeLessThan(1e-5);
        expect(Math.abs(array.stats[0] / tensor.stats[0] - 1)).toBeLessThan(1e-5);
        expect(array.stats[1]).toBe(tensor.stats[1]);
        expect(array.validation[0]).toBeCloseTo(tensor.validation[0], 5);
        expect(array.validation[1]).toBeCloseTo(tensor.validation[1], 6);
        // And it did train: the weights moved from where they started.
        const start = buildHead(24, 4, { hiddenUnits: 16, dropout: shape.dropout, seed: 7 }, { outputBias: shape.outputBias });
        expect(worst(array.weights, start.getWeights().map((w) => Array.from(w.dataSync())))).toBeGreaterThan(1e-3);
        start.dispose();
      });
    }

    it('auto picks the array step here and trains the same model as the tensor step, leaking nothing', async () => {
      if (backend === 'wasm') await useWasmBackend();
      else await tf.setBackend('cpu');
      const d = data();
      const settings = { epochs: 4, batchSize: 16, learningRate: 0.005, hiddenUnits: 16, dropout: 0.2, validationFraction: 0, seed: 3, earlyStoppingPatience: 0, classWeighting: 'auto' as const };
      const common = { ...d, trainIndices: Array.from({ length: 50 }, (_, i) => i), validationIndices: Array.from({ length: 10 }, (_, i) => 50 + i), settings };
      const before = tf.memory().numTensors;
      const auto = await trainHead(common);
      const tensor = await trainHead(common, { stepper: 'tensor' });
      const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
      expect(worst(weights(auto.model), weights(tensor.model))).toBeLessThan(1e-5);
      expect(auto.history.map((h) => h.loss)).toEqual(tensor.history.map((h) => expect.closeTo(h.loss, 4) as unknown as number));
      auto.model.dispose();
      tensor.model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
