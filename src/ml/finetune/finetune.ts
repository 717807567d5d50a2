import * as tf from '@tensorflow/tfjs';
import { mulberry32, shuffleInPlace } from '../../lib/random';
import { batchToTensor, type ImageBatch } from '../image-batch';
import { classWeightsFor, crossEntropy, forwardTraining, yieldToEventLoop, type EpochLog } from '../head/train-head';
import type { TrainSettings } from '../head/settings';
import { augmentBatch, drawAugmentation } from './augment';
import type { BlockLayout } from './blocks';
import { BoundaryCache } from './boundary-cache';
import { checkFineTuneSettings, type FineTuneSettings } from './settings';
import { splitEmbedder } from './split-model';

/** Where fine-tuning gets pixels: the 224x224 training copies of images by index, decoded on demand. */
export interface ImageSource {
  load(indices: readonly number[]): Promise<ImageBatch>;
}

/** Validation loss and accuracy of one state of the model. */
export interface ValidationScore {
  valLoss: number;
  valAccuracy: number;
}

/** How long fine-tuning should take, from the first measured batch. */
export interface FineTuneEstimate {
  totalSeconds: number;
  firstEpochSeconds: number;
  laterEpochSeconds: number;
  /** True when the frozen bottom's outputs are computed once and kept (no augmentation, fits the budget). */
  cached: boolean;
}

export interface FineTuneInput {
  /** A copy of the backbone's image -> embedding model; its top is trained in place. */
  embedder: tf.LayersModel;
  /** The trained head (embedding -> probabilities); trained in place. */
  head: tf.LayersModel;
  layout: BlockLayout;
  inputRange: readonly [number, number];
  images: ImageSource;
  labels: Int32Array;
  numClasses: number;
  trainIndices: number[];
  /** Must not be empty: fine-tuning is judged, stopped and kept by validation. */
  validationIndices: number[];
  settings: FineTuneSettings;
  /** From the head's training: its dropout and class weighting apply here too. */
  headSettings: Pick<TrainSettings, 'dropout' | 'classWeighting'>;
  /** Budget of the boundary-activation cache, bytes (default 192 MB). */
  cacheBytes?: number;
  onEstimate?: (estimate: FineTuneEstimate) => void;
  onEpoch?: (log: EpochLog) => void;
  onBatch?: (epoch: number, fraction: number) => void;
  /** Checked before each batch: true stops, keeping the best state so far. */
  shouldStop?: () => boolean;
  /** Awaited after each epoch's report (the engine's ?debug gate holds fine-tuning there). */
  afterEpoch?: (epoch: number) => Promise<void>;
}

export interface FineTuneResult {
  /** Epochs 1-based from the start of fine-tuning. */
  history: EpochLog[];
  before: ValidationScore;
  /** Score of the kept state. */
  after: ValidationScore;
  /** Score of the best fine-tuned epoch (null when stopped before one ended). */
  bestTuned: ValidationScore | null;
  /** Fine-tune epoch whose weights are kept; 0 = the state from before (fine-tuning did not help). */
  bestEpoch: number;
  /** True when the kept weights are fine-tuned ones. */
  improved: boolean;
  stoppedEarly: boolean;
  stoppedByUser: boolean;
  /** validationIndices.length * numClasses probabilities of the kept state. */
  validationProbabilities: Float32Array;
  estimate: FineTuneEstimate | null;
  /** Names of the layers whose weights fine-tuning changes. */
  trainableLayers: string[];
  durationMs: number;
}

const DEFAULT_CACHE_BYTES = 192 * 1024 * 1024;

/**
 * Fine-tunes the top `settings.blocks` blocks of `embedder` together with `head` (Adam, small
 * learning rate, the head's dropout and class weights), from decoded training images, with
 * BatchNormalization frozen in inference mode. The frozen bottom runs without gradients; without
 * augmentation its outputs are computed once per image (first epoch) and kept, within a byte
 * budget. Validation after every epoch; early stopping after `patience` epochs without a lower
 * validation loss than the best fine-tuned epoch (the first epochs may be worse than before: the
 * head meets changed features, or augmented photos, and needs a moment). The fine-tuned epoch with
 * the lowest validation loss is the candidate, but the state from before fine-tuning wins unless
 * the candidate is at least as accurate and better (more accurate, or as accurate with lower
 * loss). Frees every tensor it makes.
 */
export async function fineTune(input: FineTuneInput): Promise<FineTuneResult> {
  const started = performance.now();
  const { embedder, head, layout, inputRange, images, labels, numClasses, trainIndices, validationIndices, settings } = input;
  checkFineTuneSettings(settings, layout.count);
  if (trainIndices.length === 0) throw new RangeError('No training images');
  if (validationIndices.length === 0) throw new RangeError('Fine-tuning needs validation photos to judge and keep the better model');
  const split = splitEmbedder(embedder, layout, settings.blocks);
  const boundarySize = split.boundaryShape.reduce((a, b) => a * b, 1);
  const cache = new BoundaryCache(boundarySize, input.cacheBytes ?? DEFAULT_CACHE_BYTES);
  const cacheTrain = !settings.augment && cache.fits(trainIndices.length + validationIndices.length);
  const random = mulberry32(settings.seed);
  const optimizer = tf.train.adam(settings.learningRate);
  const variables = [...split.trainable, ...head.trainableWeights.map((w) => w.read() as tf.Variable)];
  const weights = classWeightsFor(labels, trainIndices, numClasses, input.headSettings.classWeighting);
  const classWeights = weights.some((w) => w !== 1) ? tf.tensor1d(weights) : null;
  const bs = settings.batchSize;
  const snapshot = () => variables.map((v) => tf.keep(v.clone()));
  const initial = snapshot();
  let best: tf.Tensor[] | null = null;
  let bottomMsPerImage = 0;

  /** Boundary activations of `indices`: from the cache, or through the frozen bottom (augmented when asked). */
  const boundaries = async (indices: readonly number[], augment: boolean, keep: boolean): Promise<tf.Tensor> => {
    const shape = [indices.length, ...split.boundaryShape];
    const cached = augment ? null : cache.gather(indices);
    if (cached) return tf.tensor(cached, shape);
    const batch = await images.load(indices);
    const t0 = performance.now();
    const out = tf.tidy(() => {
      const x = batchToTensor(batch, inputRange);
      const fed = augment ? augmentBatch(x, indices.map(() => drawAugmentation(random)), inputRange) : x;
      return split.bottom.predict(fed) as tf.Tensor;
    });
    if (keep) cache.put(indices, (await out.data()) as Float32Array);
    else await out.data();
    bottomMsPerImage = (performance.now() - t0) / indices.length;
    return out;
  };

  /** Validation score and probabilities of the current weights. */
  let evalMsPerImage = 0;
  const validate = async (): Promise<ValidationScore & { probabilities: Float32Array }> => {
    const probabilities = new Float32Array(validationIndices.length * numClasses);
    let lossSum = 0;
    let correct = 0;
    for (let s = 0; s < validationIndices.length; s += bs) {
      const part = validationIndices.slice(s, s + bs);
      const b = await boundaries(part, false, true);
      const t0 = performance.now();
      const stats = tf.tidy(() => {
        const y = tf.tensor1d(part.map((i) => labels[i] as number), 'int32');
        const probs = head.predict(split.runTop(b)) as tf.Tensor;
        const hits = probs.argMax(1).equal(y).sum().toFloat();
        return tf.concat([probs.flatten(), tf.stack([crossEntropy(probs, y, numClasses), hits])]);
      });
      b.dispose();
      const data = (await stats.data()) as Float32Array;
      stats.dispose();
      evalMsPerImage = (performance.now() - t0) / part.length;
      probabilities.set(data.subarray(0, part.length * numClasses), s * numClasses);
      lossSum += (data[part.length * numClasses] ?? NaN) * part.length;
      correct += data[part.length * numClasses + 1] ?? 0;
      await yieldToEventLoop();
    }
    return { valLoss: lossSum / validationIndices.length, valAccuracy: correct / validationIndices.length, probabilities };
  };

  const history: EpochLog[] = [];
  let estimate: FineTuneEstimate | null = null;
  let stoppedEarly = false;
  let stoppedByUser = false;
  try {
    const beforeEval = await validate();
    const before: ValidationScore = { valLoss: beforeEval.valLoss, valAccuracy: beforeEval.valAccuracy };
    let bestTuned: (ValidationScore & { epoch: number; probabilities: Float32Array }) | null = null;
    let sinceBest = 0;
    const order = trainIndices.slice();
    const batches = Math.ceil(order.length / bs);
    epochs: for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      shuffleInPlace(order, random);
      let lossSum = 0;
      let correct = 0;
      for (let b = 0; b < batches; b++) {
        if (input.shouldStop?.()) {
          stoppedByUser = true;
          break epochs;
        }
        const t0 = performance.now();
        const part = order.slice(b * bs, (b + 1) * bs);
        const x = await boundaries(part, settings.augment, cacheTrain);
        const dropoutSeed = Math.floor(random() * 2 ** 31);
        const stats = tf.tidy(() => {
          const y = tf.tensor1d(part.map((i) => labels[i] as number), 'int32');
          const kept: tf.Tensor[] = [];
          const loss = optimizer.minimize(
            () => {
              const probs = forwardTraining(head, split.runTop(x), input.headSettings.dropout, dropoutSeed);
              kept.push(tf.keep(probs.argMax(1).equal(y).sum().toFloat()));
              return crossEntropy(probs, y, numClasses, classWeights ? (tf.gather(classWeights, y) as tf.Tensor1D) : undefined);
            },
            true,
            variables,
          ) as tf.Scalar;
          const pair = tf.stack([loss, kept[0] ?? tf.scalar(NaN)]);
          kept.forEach((t) => t.dispose());
          return pair;
        });
        x.dispose();
        const [batchLoss, hits] = await stats.data();
        stats.dispose();
        lossSum += (batchLoss ?? NaN) * part.length;
        correct += hits ?? 0;
        if (epoch === 1 && b === 0) {
          const firstMs = performance.now() - t0;
          const stepMs = Math.max(firstMs - bottomMsPerImage * part.length, 0);
          const evalSeconds = (validationIndices.length * evalMsPerImage) / 1000;
          const firstEpochSeconds = (batches * firstMs) / 1000 + evalSeconds;
          const laterEpochSeconds = (batches * (cacheTrain ? stepMs : firstMs)) / 1000 + evalSeconds;
          estimate = { totalSeconds: firstEpochSeconds + (settings.epochs - 1) * laterEpochSeconds, firstEpochSeconds, laterEpochSeconds, cached: cacheTrain };
          input.onEstimate?.(estimate);
        }
        input.onBatch?.(epoch, (b + 1) / batches);
        await yieldToEventLoop();
      }
      const score = await validate();
      const log: EpochLog = { epoch, loss: lossSum / order.length, accuracy: correct / order.length, valLoss: score.valLoss, valAccuracy: score.valAccuracy };
      history.push(log);
      if (!bestTuned || score.valLoss < bestTuned.valLoss) {
        bestTuned = { ...score, epoch };
        best?.forEach((t) => t.dispose());
        best = snapshot();
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      input.onEpoch?.(log);
      await input.afterEpoch?.(epoch);
      if (settings.patience > 0 && sinceBest >= settings.patience && epoch < settings.epochs) {
        stoppedEarly = true;
        break;
      }
    }
    const improved =
      bestTuned !== null &&
      bestTuned.valAccuracy >= before.valAccuracy &&
      (bestTuned.valAccuracy > before.valAccuracy || bestTuned.valLoss < before.valLoss);
    const keep = improved && best ? best : initial;
    variables.forEach((v, i) => v.assign(keep[i] as tf.Tensor));
    const bestEpoch = improved && bestTuned ? bestTuned.epoch : 0;
    const kept = improved && bestTuned ? bestTuned : beforeEval;
    return {
      history,
      before,
      after: { valLoss: kept.valLoss, valAccuracy: kept.valAccuracy },
      bestTuned: bestTuned ? { valLoss: bestTuned.valLoss, valAccuracy: bestTuned.valAccuracy } : null,
      bestEpoch,
      improved,
      stoppedEarly,
      stoppedByUser,
      validationProbabilities: kept.probabilities,
      estimate,
      trainableLayers: split.trainableLayers,
      durationMs: performance.now() - started,
    };
  } finally {
    initial.forEach((t) => t.dispose());
    (best as tf.Tensor[] | null)?.forEach((t) => t.dispose());
    optimizer.dispose();
    classWeights?.dispose();
  }
}
