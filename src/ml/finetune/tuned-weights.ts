import * as tf from '@tensorflow/tfjs';
import type { HeadWeight } from '../head/head-artifact';

/** The weights of the named layers of `model` as plain data (name 'layer/kernel', shape, values). */
export function weightsOfLayers(model: tf.LayersModel, layers: readonly string[]): HeadWeight[] {
  const wanted = new Set(layers);
  return model.weights
    .filter((w) => wanted.has(w.originalName.split('/')[0] ?? ''))
    .map((w) => {
      const value = w.read();
      return { name: w.originalName, shape: [...value.shape], values: new Float32Array(value.dataSync()) };
    });
}

/** Overwrites weights of `model` by name; throws (changing nothing) on an unknown name or a shape mismatch. */
export function setWeightsByName(model: tf.LayersModel, weights: readonly HeadWeight[]): void {
  const byName = new Map(model.weights.map((w) => [w.originalName, w]));
  for (const w of weights) {
    const target = byName.get(w.name);
    if (!target) throw new Error(`The backbone has no weight ${w.name}`);
    if (target.shape.join('x') !== w.shape.join('x')) throw new Error(`Weight ${w.name} is ${w.shape.join('x')}, the backbone's is ${target.shape.join('x')}`);
    if (w.values.length !== w.shape.reduce((a, b) => a * b, 1)) throw new Error(`Weight ${w.name} has ${w.values.length} values for shape ${w.shape.join('x')}`);
  }
  for (const w of weights) {
    const t = tf.tensor(w.values, w.shape, 'float32');
    byName.get(w.name)?.write(t);
    t.dispose();
  }
}
