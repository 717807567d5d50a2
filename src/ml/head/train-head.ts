import * as tf from '@tensorflow/tfjs';
import { mulberry32, shuffleInPlace } from '../../lib/random';
import { makeHeadStepper, type StepperKind } from './head-stepper';
import { checkTrainSettings, effectiveBatch, type TrainSettings } from './settings';

/** Figures after one epoch; losses are mean cross-entropy (training loss class-weighted), accuracies in [0, 1]. */
export interface EpochLog {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
}

/** What trainHead needs: embeddings, labels, which rows train and which validate, and the settings. */
export interface TrainInput {
  /** N * dim values, row-major, one row per image. */
  embeddings: Float32Array;
  dim: number;
  /** N class ids in [0, numClasses). */
  labels: Int32Array;
  numClasses: number;
  /** Row indices to train on (non-empty). */
  trainIndices: number[];
  /** Row indices to validate on; empty = no validation (no early stopping, final weights kept). */
  validationIndices: number[];
  settings: TrainSettings;
  /** Called after each epoch. */
  onEpoch?: (log: EpochLog) => void;
  /** Called after each batch; `fractionOfEpoch` in (0, 1], `epoch` 1-based. */
  onBatch?: (epoch: number, fractionOfEpoch: number) => void;
  /** Checked before each batch; returning true stops training and keeps the best weights so far. */
  shouldStop?: () => boolean;
  /** Awaited after each epoch's report (the engine's ?debug gate holds training there). */
  afterEpoch?: (epoch: number) => Promise<void>;
}

/** A trained head; the caller owns `model` and must dispose it. */
export interface TrainResult {
  model: tf.LayersModel;
  history: EpochLog[];
  /** 1-based epoch whose weights `model` holds (the last full one after a user stop without validation); 0 when stopped before the first epoch ended. */
  bestEpoch: number;
  /** True when early stopping ended training. */
  stoppedEarly: boolean;
  /** True when shouldStop() ended training. */
  stoppedByUser: boolean;
  /** validationIndices.length * numClasses probabilities from the returned model; null without validation. */
  validationProbabilities: Float32Array | null;
}

/** Options that change the head's shape beyond TrainSettings (used to reproduce other tools' recipes). */
export interface HeadOptions {
  /** Whether the output layer has a bias; default true (Teachable Machine uses false). */
  outputBias?: boolean;
  /** How batches run (head-stepper.ts); default 'auto'. Same mathematics either way. */
  stepper?: StepperKind;
  /** Kernel initialiser of the Dense layers; default 'glorotUniform' (Teachable Machine uses 'varianceScaling'). */
  kernelInitializer?: 'glorotUniform' | 'varianceScaling';
}

const PREDICT_BATCH = 512;
/** Longest stretch of batches without giving the event loop a turn, in milliseconds. */
const YIELD_EVERY_MS = 30;

/**
 * The head as a plain Sequential of standard layers: [Dense 'head_dense' (ReLU, hiddenUnits)],
 * Dropout 'head_dropout', Dense 'head_out' (softmax). Without a hidden layer (hiddenUnits 0) the
 * dropout acts on the embedding. Loads anywhere with tf.loadLayersModel. Weights seeded by settings.seed.
 */
export function buildHead(
  dim: number,
  numClasses: number,
  settings: Pick<TrainSettings, 'hiddenUnits' | 'dropout' | 'seed'>,
  options: HeadOptions = {},
): tf.Sequential {
  const init = (offset: number) =>
    options.kernelInitializer === 'varianceScaling'
      ? tf.initializers.varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'normal', seed: settings.seed + offset })
      : tf.initializers.glorotUniform({ seed: settings.seed + offset });
  const model = tf.sequential({ name: 'head' });
  if (settings.hiddenUnits > 0) {
    model.add(tf.layers.dense({ name: 'head_dense', inputShape: [dim], units: settings.hiddenUnits, activation: 'relu', kernelInitializer: init(0) }));
    model.add(tf.layers.dropout({ name: 'head_dropout', rate: settings.dropout }));
  } else {
    model.add(tf.layers.dropout({ name: 'head_dropout', inputShape: [dim], rate: settings.dropout }));
  }
  model.add(
    tf.layers.dense({ name: 'head_out', units: numClasses, activation: 'softmax', useBias: options.outputBias ?? true, kernelInitializer: init(1) }),
  );
  return model;
}

/** Class probabilities (N * numClasses, row-major) of N embeddings (N * dim values), computed in batches. */
export function predictHead(model: tf.LayersModel, embeddings: Float32Array, dim: number): Float32Array {
  const rows = embeddings.length / dim;
  if (!Number.isInteger(rows)) throw new RangeError(`${embeddings.length} values do not make rows of ${dim}`);
  const numClasses = outputSize(model);
  const out = new Float32Array(rows * numClasses);
  for (let start = 0; start < rows; start += PREDICT_BATCH) {
    const count = Math.min(PREDICT_BATCH, rows - start);
    const probs = tf.tidy(() => {
      const x = tf.tensor2d(embeddings.subarray(start * dim, (start + count) * dim), [count, dim]);
      return (model.predict(x) as tf.Tensor).dataSync();
    });
    out.set(probs, start * numClasses);
  }
  return out;
}

/** Number of classes a head outputs. */
function outputSize(model: tf.LayersModel): number {
  const shape = model.outputs[0]?.shape;
  const k = shape?.[shape.length - 1];
  if (typeof k !== 'number') throw new Error('The model has no fixed-size output');
  return k;
}

/** Lets the event loop run (messages, clicks) without the 4 ms clamp or background-tab throttling of timers. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof MessageChannel === 'undefined') {
      setTimeout(resolve, 0);
      return;
    }
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Weight per class: N / (K * count_k) over the training rows when weighting applies, else all 1 (K = classes present). */
export function classWeightsFor(labels: ArrayLike<number>, trainIndices: readonly number[], numClasses: number, mode: TrainSettings['classWeighting']): Float32Array {
  const counts = new Array<number>(numClasses).fill(0);
  for (const i of trainIndices) counts[labels[i] as number] = (counts[labels[i] as number] ?? 0) + 1;
  const present = counts.filter((c) => c > 0);
  const weights = new Float32Array(numClasses).fill(1);
  const unbalanced = present.length > 0 && present.reduce((a, b) => Math.max(a, b), -Infinity) > 1.5 * present.reduce((a, b) => Math.min(a, b), Infinity);
  if (mode === 'off' || (mode === 'auto' && !unbalanced)) return weights;
  counts.forEach((c, k) => {
    if (c > 0) weights[k] = trainIndices.length / (present.length * c);
  });
  return weights;
}

/** Rows of `embeddings` at `indices`, concatenated. */
function gatherFlat(embeddings: Float32Array, dim: number, indices: readonly number[]): Float32Array {
  const data = new Float32Array(indices.length * dim);
  indices.forEach((row, i) => data.set(embeddings.subarray(row * dim, (row + 1) * dim), i * dim));
  return data;
}

/** Rows of `embeddings` at `indices` as one [indices.length, dim] tensor. */
function gatherRows(embeddings: Float32Array, dim: number, indices: readonly number[]): tf.Tensor2D {
  return tf.tensor2d(gatherFlat(embeddings, dim, indices), [indices.length, dim]);
}

export { crossEntropy } from './head-step';

/** Training-mode forward pass: standard layers, with dropout seeded per batch (tfjs' Dropout would reuse one mask for a fixed seed). */
export function forwardTraining(model: tf.LayersModel, x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  let h = x;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dropout') {
      if (rate > 0) h = tf.dropout(h, rate, undefined, seed);
    } else {
      h = layer.apply(h) as tf.Tensor;
    }
  }
  return h;
}

/**
 * Trains a head (buildHead) with Adam and cross-entropy, class weights per settings.classWeighting,
 * validation after every epoch, and early stopping on validation loss that restores the weights of
 * the epoch with the lowest validation loss. A user stop (shouldStop) also restores that epoch when
 * there is validation. With earlyStoppingPatience 0, or without validation, the last epoch's weights
 * are kept. Seeded (split aside): the same input gives the same model on a given backend. Gives the
 * event loop a turn between epochs and at least every 30 ms. Frees every tensor it makes except the
 * returned model.
 */
export async function trainHead(input: TrainInput, options: HeadOptions = {}): Promise<TrainResult> {
  const { embeddings, dim, labels, numClasses, trainIndices, validationIndices, settings } = input;
  checkTrainSettings(settings);
  if (trainIndices.length === 0) throw new RangeError('No training images');
  if (embeddings.length !== labels.length * dim) throw new RangeError(`${embeddings.length} values for ${labels.length} labels of ${dim}`);
  for (const i of [...trainIndices, ...validationIndices]) {
    const label = labels[i];
    if (label === undefined || label < 0 || label >= numClasses) throw new RangeError(`Row ${i} has no label in [0, ${numClasses})`);
  }

  const random = mulberry32(settings.seed);
  const model = buildHead(dim, numClasses, settings, options);
  const { batchSize, learningRate } = effectiveBatch(settings, trainIndices.length);
  const hasValidation = validationIndices.length > 0;
  const weights = classWeightsFor(labels, trainIndices, numClasses, settings.classWeighting);
  const weighted = weights.some((w) => w !== 1);
  const stepper = makeHeadStepper(
    model,
    { embeddings, dim, labels, numClasses, classWeights: weighted ? weights : null, dropout: settings.dropout, learningRate },
    options.stepper,
  );
  const xVal = hasValidation ? gatherRows(embeddings, dim, validationIndices) : null;
  const yVal = hasValidation ? tf.tensor1d(validationIndices.map((i) => labels[i] as number), 'int32') : null;
  let best: tf.Tensor[] | null = null;
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let sinceBest = 0;
  let stoppedEarly = false;
  let stoppedByUser = false;
  const history: EpochLog[] = [];
  const order = trainIndices.map((_, i) => i);
  const batchesPerEpoch = Math.ceil(order.length / batchSize);

  try {
    epochs: for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      shuffleInPlace(order, random);
      let lastYield = performance.now();
      for (let b = 0; b < batchesPerEpoch; b++) {
        if (input.shouldStop?.()) {
          stoppedByUser = true;
          break epochs;
        }
        const batch = order.slice(b * batchSize, (b + 1) * batchSize);
        const dropoutSeed = Math.floor(random() * 2 ** 31);
        stepper.step(
          batch.map((i) => trainIndices[i] as number),
          dropoutSeed,
        );
        input.onBatch?.(epoch, (b + 1) / batchesPerEpoch);
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }

      const [lossSum, correct] = await stepper.takeStats();
      stepper.sync();
      const log: EpochLog = { epoch, loss: lossSum / order.length, accuracy: correct / order.length, valLoss: null, valAccuracy: null };
      if (xVal && yVal) {
        [log.valLoss, log.valAccuracy] = await stepper.validate(xVal, yVal);
        if (log.valLoss < bestLoss) {
          bestLoss = log.valLoss;
          bestEpoch = epoch;
          sinceBest = 0;
          best?.forEach((t) => t.dispose());
          best = model.getWeights().map((w) => w.clone());
        } else {
          sinceBest++;
        }
      } else {
        bestEpoch = epoch;
      }
      history.push(log);
      input.onEpoch?.(log);
      if (hasValidation && settings.earlyStoppingPatience > 0 && sinceBest >= settings.earlyStoppingPatience && epoch < settings.epochs) {
        stoppedEarly = true;
        break;
      }
      await yieldToEventLoop();
      await input.afterEpoch?.(epoch);
    }

    const restore = hasValidation && best !== null && (settings.earlyStoppingPatience > 0 || stoppedByUser);
    if (restore && best) model.setWeights(best);
    else if (hasValidation) bestEpoch = history.length;
    const validationProbabilities = hasValidation ? predictHead(model, gatherFlat(embeddings, dim, validationIndices), dim) : null;
    return { model, history, bestEpoch, stoppedEarly, stoppedByUser, validationProbabilities };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    best?.forEach((t) => t.dispose());
    stepper.dispose();
    for (const t of [xVal, yVal]) t?.dispose();
  }
}
