import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { dropoutMask } from './dropout-mask';
import { crossEntropy, headStep, headVariables } from './head-step';
import { buildHead } from './train-head';

/** The model's training-mode output with dropoutMask's mask for `seed` at its Dropout layer. */
function forwardWithMask(model: tf.LayersModel, x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  let h = x;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Dropout') h = layer.apply(h) as tf.Tensor;
    else if (rate > 0) h = tf.mul(h, tf.tensor(dropoutMask(h.shape[0] ?? 0, h.shape[1] ?? 0, rate, seed), h.shape));
  }
  return h;
}

/** The tape's gradients (what optimizer.minimize used before) for the same batch, dropout mask and weights. */
function tapeGradients(model: tf.LayersModel, x: tf.Tensor2D, y: tf.Tensor1D, k: number, rate: number, seed: number, w: tf.Tensor1D | null) {
  const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => crossEntropy(forwardWithMask(model, x, rate, seed), y, k, w ?? undefined), vars);
  return { loss: value.dataSync()[0] ?? NaN, grads: Object.fromEntries(Object.entries(grads).map(([n, g]) => [n, Array.from(g.dataSync())])) };
}

describe('headStep', () => {
  for (const shape of [
    { name: 'hidden layer, dropout, class weights', hiddenUnits: 16, dropout: 0.3, weighted: true, outputBias: true },
    { name: 'no hidden layer, no output bias', hiddenUnits: 0, dropout: 0.2, weighted: false, outputBias: false },
    { name: 'no dropout', hiddenUnits: 8, dropout: 0, weighted: false, outputBias: true },
  ]) {
    it(`gives the tape's gradients and loss (${shape.name})`, () => {
      const model = buildHead(24, 4, { hiddenUnits: shape.hiddenUnits, dropout: shape.dropout, seed: 3 }, { outputBias: shape.outputBias });
      const x = tf.randomNormal([10, 24], 0, 1, 'float32', 7) as tf.Tensor2D;
      const y = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3, 0, 0], 'int32');
      const w = shape.weighted ? tf.tensor1d([0.5, 1, 2, 1.5, 0.5, 1, 2, 1.5, 0.5, 0.5]) : null;
      const expected = tapeGradients(model, x, y, 4, shape.dropout, 11, w);
      const vars = headVariables(model);
      const { grads, stats } = headStep(vars, { x, y, numClasses: 4, rowWeights: w, dropout: shape.dropout, dropoutSeed: 11 });
      expect(grads.map((g) => g.name).sort()).toEqual(Object.keys(expected.grads).sort());
      for (const g of grads) {
        const want = expected.grads[g.name] ?? [];
        const got = Array.from(g.tensor.dataSync());
        expect(got.length).toBe(want.length);
        const worst = Math.max(...got.map((v, i) => Math.abs(v - (want[i] ?? NaN))));
        expect(worst, g.name).toBeLessThan(1e-5);
      }
      const [lossSum = NaN] = stats.dataSync();
      expect(lossSum / 10).toBeCloseTo(expected.loss, 5);
      tf.dispose([x, y, ...(w ? [w] : []), stats, ...grads.map((g) => g.tensor)]);
      model.dispose();
    });
  }
});
