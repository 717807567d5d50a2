import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/random';
import { SimdAdam } from './simd-adam';

describe('SimdAdam', () => {
  it('runs here (Node has wasm SIMD), so the head trains on it', () => {
    expect(SimdAdam.create(new Float32Array(8), { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 })).not.toBeNull();
  });

  it('updates weights as tf.train.adam does, step after step, for a length that is not a multiple of 4', async () => {
    await tf.setBackend('cpu');
    const random = mulberry32(3);
    const n = 1001;
    const initial = Float32Array.from({ length: n }, () => random() * 2 - 1);
    const settings = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const adam = SimdAdam.create(initial, settings);
    if (!adam) throw new Error('no wasm SIMD');
    const variable = tf.variable(tf.tensor1d(initial));
    const reference = tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon);
    for (let step = 0; step < 8; step++) {
      // Gradients of mixed scales, zeros included (Adam's epsilon matters there).
      const gradient = Float32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 0 : (random() - 0.5) * 10 ** (i % 5 - 3)));
      adam.gradient.set(gradient);
      adam.step();
      tf.tidy(() => reference.applyGradients([{ name: variable.name, tensor: tf.tensor1d(gradient) }]));
    }
    const expected = variable.dataSync();
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs((adam.weights[i] as number) - (expected[i] as number)));
    expect(worst).toBeLessThan(1e-6);
    // The weights moved: 8 steps of ~lr each.
    expect(Math.abs((adam.weights[1] as number) - (initial[1] as number))).toBeGreaterThan(0.01);
    variable.dispose();
    reference.dispose();
  });
});
