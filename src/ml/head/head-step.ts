import * as tf from '@tensorflow/tfjs';
import { dropoutMask } from './dropout-mask';

/**
 * One training step of the head (buildHead's [Dense relu] -> Dropout -> Dense softmax) with the
 * gradients written out by hand instead of taken by tfjs' tape (issue 17, item 5).
 *
 * Why: the tape's gradient of a Dense kernel is matMul(x, dy, transposeA), and tfjs-wasm runs
 * every transposed BatchMatMul on its naive loop (4.1 ms for 32x1280x128 here, against 0.33 ms
 * for the same product through XNNPACK once x is transposed first). Here every product is a plain
 * one: x^T is made explicitly (0.1 ms). The loss and its gradient are the same mean (class-
 * weighted) cross-entropy as `crossEntropy`; d(loss)/d(logits) = (p - onehot) * w / B, exact for
 * softmax (the clip only guards the logged loss against log(0)). Dropout's mask comes from
 * dropoutMask (seeded, the same on every backend), so a run is repeatable.
 */
export interface HeadStepInput {
  /** [B, dim] batch of embeddings. */
  x: tf.Tensor2D;
  /** [B] int32 labels. */
  y: tf.Tensor1D;
  numClasses: number;
  /** [B] per-row loss weights, or null for all 1. */
  rowWeights: tf.Tensor1D | null;
  dropout: number;
  dropoutSeed: number;
}

/** The head's trainable variables, in buildHead's layer order. */
export interface HeadVariables {
  hidden: { kernel: tf.Variable; bias: tf.Variable } | null;
  out: { kernel: tf.Variable; bias: tf.Variable | null };
}

const EPSILON = 1e-7;

/** The variables of a head built by buildHead (throws on another shape). */
export function headVariables(model: tf.LayersModel): HeadVariables {
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  const vars = (layer: tf.layers.Layer | undefined) => (layer?.trainableWeights ?? []).map((w) => w.read() as tf.Variable);
  const [hiddenLayer, outLayer] = dense.length === 2 ? dense : [undefined, dense[0]];
  const [kernel, bias] = vars(outLayer);
  if (!kernel || dense.length < 1 || dense.length > 2) throw new Error('Not a head made by buildHead');
  const [hKernel, hBias] = vars(hiddenLayer);
  return {
    hidden: hiddenLayer && hKernel && hBias ? { kernel: hKernel, bias: hBias } : null,
    out: { kernel, bias: bias ?? null },
  };
}

/**
 * Forward and backward pass for one batch: returns the gradients by variable name, and a [2]
 * tensor [loss summed over the rows, correct predictions] (the mean loss is the first / B). Call inside tf.tidy; apply with optimizer.applyGradients.
 */
export function headStep(vars: HeadVariables, input: HeadStepInput): { grads: { name: string; tensor: tf.Tensor }[]; stats: tf.Tensor1D } {
  const { x, y, numClasses, rowWeights, dropout, dropoutSeed } = input;
  const rows = x.shape[0];
  let h: tf.Tensor2D = x;
  let z1: tf.Tensor2D | null = null;
  if (vars.hidden) {
    z1 = tf.add(tf.matMul(x, vars.hidden.kernel as tf.Tensor2D), vars.hidden.bias);
    h = tf.relu(z1);
  }
  // Inverted dropout with a mask made once and used both ways.
  const mask = dropout > 0 ? tf.tensor2d(dropoutMask(rows, h.shape[1], dropout, dropoutSeed), h.shape) : null;
  const hd = mask ? tf.mul(h, mask) : h;
  let logits = tf.matMul(hd, vars.out.kernel as tf.Tensor2D);
  if (vars.out.bias) logits = tf.add(logits, vars.out.bias);
  const probs = tf.softmax(logits);
  const onehot = tf.oneHot(y, numClasses).toFloat() as tf.Tensor2D;

  const perRow = tf.neg(tf.sum(tf.mul(onehot, tf.log(tf.clipByValue(probs, EPSILON, 1 - EPSILON))), 1));
  const lossSum = tf.sum(rowWeights ? tf.mul(perRow, rowWeights) : perRow);
  const hits = tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), y), 'float32'));

  const scale = rowWeights ? tf.div(rowWeights, rows).reshape([rows, 1]) : tf.scalar(1 / rows);
  const dLogits = tf.mul(tf.sub(probs, onehot), scale) as tf.Tensor2D;
  const grads: { name: string; tensor: tf.Tensor }[] = [];
  grads.push({ name: vars.out.kernel.name, tensor: tf.matMul(tf.transpose(hd), dLogits) });
  if (vars.out.bias) grads.push({ name: vars.out.bias.name, tensor: tf.sum(dLogits, 0) });
  if (vars.hidden && z1) {
    let dH = tf.matMul(dLogits, tf.transpose(vars.out.kernel as tf.Tensor2D));
    if (mask) dH = tf.mul(dH, mask);
    const dZ1 = tf.mul(dH, tf.step(z1)) as tf.Tensor2D;
    grads.push({ name: vars.hidden.kernel.name, tensor: tf.matMul(tf.transpose(x), dZ1) });
    grads.push({ name: vars.hidden.bias.name, tensor: tf.sum(dZ1, 0) });
  }
  return { grads, stats: tf.stack([lossSum, hits]) as tf.Tensor1D };
}

/** Mean cross-entropy of softmax `probs` against int labels, each row weighted by `rowWeights` when given. */
export function crossEntropy(probs: tf.Tensor, labels: tf.Tensor1D, numClasses: number, rowWeights?: tf.Tensor1D): tf.Scalar {
  const perRow = tf.oneHot(labels, numClasses).toFloat().mul(probs.clipByValue(EPSILON, 1 - EPSILON).log()).sum(1).neg();
  return (rowWeights ? perRow.mul(rowWeights) : perRow).mean() as tf.Scalar;
}
