import * as tf from '@tensorflow/tfjs';
import { ArrayHeadStep } from './array-step';
import { crossEntropy, headStep, headVariables, type HeadVariables } from './head-step';

/**
 * How trainHead runs a batch: 'tensor' (head-step.ts: every operation a kernel, one read an
 * epoch: right for WebGL, where a read is a GPU round trip) or 'array' (array-step.ts: the products
 * as kernels, the rest in plain loops, reads every batch: a training ~8% faster on wasm, where kernels
 * are cheap to read and dear to launch). 'auto' picks 'array' on wasm and cpu for heads with a
 * hidden layer.
 */
export type StepperKind = 'auto' | 'tensor' | 'array';

/** Rows a tensor-step validation pass predicts at once. */
const VALIDATION_BATCH = 512;

export interface HeadStepper {
  /** One Adam step on the rows `rows` of the embeddings. */
  step(rows: readonly number[], dropoutSeed: number): void;
  /** [weighted loss summed over rows, correct predictions] since the last call. */
  takeStats(): Promise<[number, number]>;
  /** [mean cross-entropy, accuracy] of the current weights on the validation rows (int32 labels), without dropout. */
  validate(x: tf.Tensor2D, labels: tf.Tensor1D): Promise<[number, number]>;
  /** Makes the model's variables hold the current weights (before predicting or copying them). */
  sync(): void;
  dispose(): void;
}

export interface StepperInput {
  embeddings: Float32Array;
  dim: number;
  labels: Int32Array;
  numClasses: number;
  /** Loss weight per class, or null for all 1. */
  classWeights: Float32Array | null;
  dropout: number;
  learningRate: number;
}

export function makeHeadStepper(model: tf.LayersModel, input: StepperInput, kind: StepperKind = 'auto'): HeadStepper {
  const variables = headVariables(model);
  const cheapReads = ['wasm', 'cpu'].includes(tf.getBackend());
  const useArrays = kind === 'array' || (kind === 'auto' && cheapReads && variables.hidden !== null);
  return useArrays ? arrayStepper(variables, input) : tensorStepper(model, variables, input);
}

function arrayStepper(variables: HeadVariables, input: StepperInput): HeadStepper {
  const step = new ArrayHeadStep(variables, input.numClasses, input.dropout, input.learningRate);
  return {
    step: (rows, dropoutSeed) => step.step(input, rows, dropoutSeed),
    takeStats: () => Promise.resolve(step.takeStats()),
    validate: (x, labels) => Promise.resolve(step.validate(x, labels)),
    sync: () => step.sync(),
    dispose: () => step.dispose(),
  };
}

function tensorStepper(model: tf.LayersModel, variables: HeadVariables, input: StepperInput): HeadStepper {
  const { embeddings, dim, labels, numClasses, classWeights } = input;
  const optimizer = tf.train.adam(input.learningRate);
  /** [summed loss, correct] of each batch since the last read: read once an epoch (a read per batch is a GPU round trip per batch on WebGL). */
  const pending: tf.Tensor[] = [];
  return {
    step(rows, dropoutSeed) {
      const stats = tf.tidy(() => {
        // Rows copied here, not by tf.gather: tfjs-wasm's GatherV2 took 1.2 ms for 32 rows of 1,280.
        const x = new Float32Array(rows.length * dim);
        rows.forEach((row, i) => x.set(embeddings.subarray(row * dim, (row + 1) * dim), i * dim));
        const { grads, stats: batchStats } = headStep(variables, {
          x: tf.tensor2d(x, [rows.length, dim]),
          y: tf.tensor1d(rows.map((i) => labels[i] as number), 'int32'),
          numClasses,
          rowWeights: classWeights ? tf.tensor1d(rows.map((i) => classWeights[labels[i] as number] ?? 1)) : null,
          dropout: input.dropout,
          dropoutSeed,
        });
        optimizer.applyGradients(grads);
        return batchStats;
      });
      pending.push(stats);
    },
    async takeStats() {
      if (pending.length === 0) return [0, 0];
      const batches = pending.splice(0);
      const totals = tf.addN(batches);
      batches.forEach((t) => t.dispose());
      const [lossSum = NaN, correct = NaN] = await totals.data();
      totals.dispose();
      return [lossSum, correct];
    },
    async validate(x, labels) {
      const stats = tf.tidy(() => {
        const probs = model.predict(x, { batchSize: VALIDATION_BATCH }) as tf.Tensor;
        const acc = probs.argMax(1).equal(labels).toFloat().mean();
        return tf.stack([crossEntropy(probs, labels, numClasses), acc]);
      });
      const [loss = NaN, accuracy = NaN] = await stats.data();
      stats.dispose();
      return [loss, accuracy];
    },
    sync() {},
    dispose() {
      pending.splice(0).forEach((t) => t.dispose());
      optimizer.dispose();
    },
  };
}
