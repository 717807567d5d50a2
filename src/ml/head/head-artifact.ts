import * as tf from '@tensorflow/tfjs';
import type { TrainSettings } from './settings';
import { buildHead } from './train-head';

/** One weight tensor of a head: its name (e.g. 'head_dense/kernel'), shape and values (row-major). */
export interface HeadWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A trained head as plain structured-cloneable data (crosses a Worker boundary, fits in IndexedDB). */
export interface HeadArtifact {
  /** Embedding length the head reads. */
  dim: number;
  numClasses: number;
  /** 0 = no hidden layer. */
  hiddenUnits: number;
  /** Dropout rate in [0, 1) (only matters if the head is trained further). */
  dropout: number;
  weights: HeadWeight[];
}

/** Copies a head built by buildHead (and the settings it was built with) into plain data. */
export function headToArtifact(model: tf.LayersModel, settings: Pick<TrainSettings, 'hiddenUnits' | 'dropout'>): HeadArtifact {
  const dim = model.inputs[0]?.shape[1];
  const numClasses = model.outputs[0]?.shape[1];
  if (typeof dim !== 'number' || typeof numClasses !== 'number') throw new Error('Not a head: input and output must be [null, n]');
  const hasHidden = model.layers.some((l) => l.name === 'head_dense');
  const hidden = hasHidden ? model.getLayer('head_dense').outputShape[1] : 0;
  if (hidden !== settings.hiddenUnits) throw new RangeError(`The head has ${String(hidden)} hidden units, the settings say ${settings.hiddenUnits}`);
  const weights = model.weights.map((w) => {
    const value = w.read();
    return { name: w.originalName, shape: [...value.shape], values: new Float32Array(value.dataSync()) };
  });
  return { dim, numClasses, hiddenUnits: settings.hiddenUnits, dropout: settings.dropout, weights };
}

/** Rebuilds the head from plain data; its predictions equal the original's. The caller disposes it. */
export function headFromArtifact(artifact: HeadArtifact): tf.LayersModel {
  const outputBias = artifact.weights.some((w) => w.name === 'head_out/bias');
  const model = buildHead(artifact.dim, artifact.numClasses, { hiddenUnits: artifact.hiddenUnits, dropout: artifact.dropout, seed: 0 }, { outputBias });
  try {
    const byName = new Map(artifact.weights.map((w) => [w.name, w]));
    const values = model.weights.map((w) => {
      const saved = byName.get(w.originalName);
      if (!saved) throw new Error(`The artifact has no weight ${w.originalName}`);
      if (saved.shape.join('x') !== w.shape.join('x')) throw new Error(`Weight ${w.originalName} is ${saved.shape.join('x')}, expected ${w.shape.join('x')}`);
      return tf.tensor(saved.values, saved.shape, 'float32');
    });
    if (byName.size !== values.length) throw new Error(`The artifact has ${byName.size} weights, the head ${values.length}`);
    try {
      model.setWeights(values);
    } finally {
      values.forEach((t) => t.dispose());
    }
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
