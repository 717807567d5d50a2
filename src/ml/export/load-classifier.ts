import * as tf from '@tensorflow/tfjs';
import { checkModelJson, EXPECTED_INPUT } from './model-check';
import { batchToTensor, type ImageBatch } from '../image-batch';
import { ModelCheckError } from './model-check-error';

/** An opened image classifier: a layers model from [N, 224, 224, 3] images to [N, classes] probabilities. */
export interface LoadedClassifier {
  model: tf.LayersModel;
  numClasses: number;
  params: number;
}

/**
 * Checks model.json and the weights (model-check.ts) and only then builds the model with tfjs
 * (strict: every weight must match a layer). Refuses a model whose output on a blank image is not
 * a probability distribution (e.g. logits), or whose number of outputs is not `classCount` (when
 * given). The caller disposes the model.
 */
export async function loadClassifier(modelJson: string, weights: ArrayBuffer, classCount: number | null = null): Promise<LoadedClassifier> {
  const checked = checkModelJson(modelJson, weights.byteLength);
  if (classCount !== null && classCount !== checked.numClasses) {
    throw new ModelCheckError(`metadata.json lists ${classCount} class names but the model outputs ${checked.numClasses} classes: they do not belong together.`);
  }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: checked.modelTopology, weightSpecs: checked.weightSpecs, weightData: weights }), { strict: true });
  } catch (error) {
    throw new ModelCheckError(`TensorFlow.js could not build this model: ${(error as Error).message.slice(0, 200)}`);
  }
  try {
    const probe = Array.from(tf.tidy(() => (model.predict(tf.zeros(EXPECTED_INPUT.map((d) => d ?? 1))) as tf.Tensor).dataSync()));
    const sum = probe.reduce((s, p) => s + p, 0);
    if (probe.length !== checked.numClasses || probe.some((p) => !(p >= 0 && p <= 1)) || Math.abs(sum - 1) > 1e-3) {
      throw new ModelCheckError(`The model's outputs are not probabilities (on a blank image they sum to ${sum.toPrecision(4)}); expected a classifier ending in softmax.`);
    }
    return { model, numClasses: checked.numClasses, params: checked.params };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Probabilities (N * classes, row-major) of an opened classifier for a batch of images in `inputRange`. */
export async function classify(model: tf.LayersModel, batch: ImageBatch, inputRange: readonly [number, number]): Promise<Float32Array> {
  const out = tf.tidy(() => model.predict(batchToTensor(batch, inputRange)) as tf.Tensor);
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}
