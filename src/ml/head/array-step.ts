import * as tf from '@tensorflow/tfjs';
import { applyDropout } from './dropout-mask';
import type { HeadVariables } from './head-step';
import { SimdAdam } from './simd-adam';

/** Where a batch's rows come from. */
export interface ArraySource {
  /** N * dim values, row-major. */
  embeddings: Float32Array;
  dim: number;
  labels: Int32Array;
  /** Loss weight per class, or null for all 1. */
  classWeights: Float32Array | null;
}

interface AdamSlot {
  variable: tf.Variable;
  value: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

/**
 * The head's training step for backends whose reads are cheap (wasm, cpu), issue 17 item 5.
 *
 * The tensor step (head-step.ts) runs about 80 kernels a batch, most of them on [B, 128] or
 * [B, classes] tensors, whose per-kernel cost in tfjs (~15 us each) added up to about a millisecond
 * of a 5.5 ms step on wasm (the step is now ~8% faster over a whole training). Here only the
 * products run as kernels (the two [B, dim] x [dim, hidden] ones at XNNPACK's speed, three small
 * ones), and the rest (bias, ReLU, dropout, softmax, loss, their gradients, Adam for everything
 * but the big kernel) runs in plain loops over small arrays. x^T is gathered in JS instead of
 * transposed by a kernel (0.13 against 0.57 ms for 128 x 1,280). The big kernel's Adam runs in
 * wasm SIMD (simd-adam.ts: the kernel lives in its memory and goes to the backend as a tensor for
 * each forward product; ~0.24 ms a step with the copies, against 0.8 ms for tfjs' Adam), or in
 * tfjs where the runtime has no wasm SIMD (the kernel then stays the model's variable).
 *
 * Same mathematics as headStep + tf.train.adam, dropout mask included (dropoutMask, same seed):
 * unit tests hold the two to 1e-5 over several steps. Only for heads with a hidden layer.
 */
export class ArrayHeadStep {
  private readonly w1: tf.Variable;
  /** Adam for the big kernel: in wasm SIMD where the runtime has it (the kernel then lives there), else tfjs'. */
  private readonly w1Adam: SimdAdam | null;
  private readonly w1Optimizer: tf.AdamOptimizer | null;
  private readonly w2: AdamSlot;
  private readonly b2: AdamSlot | null;
  private readonly b1: AdamSlot;
  private readonly hidden: number;
  private accBeta1 = BETA1;
  private accBeta2 = BETA2;
  private lossSum = 0;
  private hits = 0;
  /** Scratch for a batch's rows and their transpose, reused (fresh 655 KB arrays a step cost GC time). */
  private x = new Float32Array(0);
  private xT = new Float32Array(0);

  constructor(
    vars: HeadVariables,
    private readonly numClasses: number,
    private readonly dropout: number,
    private readonly learningRate: number,
  ) {
    if (!vars.hidden) throw new Error('ArrayHeadStep needs a head with a hidden layer');
    this.w1 = vars.hidden.kernel;
    this.hidden = vars.hidden.kernel.shape[1] ?? 0;
    this.w1Adam = SimdAdam.create(this.w1.dataSync() as Float32Array, { learningRate, beta1: BETA1, beta2: BETA2, epsilon: EPSILON });
    this.w1Optimizer = this.w1Adam ? null : tf.train.adam(learningRate, BETA1, BETA2, EPSILON);
    const slot = (variable: tf.Variable): AdamSlot => {
      const value = variable.dataSync() as Float32Array;
      return { variable, value: Float32Array.from(value), m: new Float32Array(value.length), v: new Float32Array(value.length) };
    };
    this.b1 = slot(vars.hidden.bias);
    this.w2 = slot(vars.out.kernel);
    this.b2 = vars.out.bias ? slot(vars.out.bias) : null;
  }

  /** One forward and backward pass on the rows `rows` of `source`, and one Adam update. */
  step(source: ArraySource, rows: readonly number[], dropoutSeed: number): void {
    const B = rows.length;
    const H = this.hidden;
    const K = this.numClasses;
    const { dim, classWeights } = source;
    if (this.x.length < B * dim) {
      this.x = new Float32Array(B * dim);
      this.xT = new Float32Array(B * dim);
    }
    const x = this.x.subarray(0, B * dim);
    const xT = this.xT.subarray(0, B * dim);
    const labels = gatherBatch(source, rows, x, xT);
    // h = relu(x W1 + b1): the product on the backend (XNNPACK on wasm), bias and ReLU here.
    const xTensor = tf.tensor2d(x, [B, dim]);
    const hd = this.hiddenActivations(xTensor);
    xTensor.dispose();
    // The tensor step's dropout for this seed and shape (kept values times 1 / (1 - rate)), in place.
    if (this.dropout > 0) applyDropout(hd, this.dropout, dropoutSeed, hd);
    const probs = matMul(hd, this.w2.value, B, H, K);
    const best = softmaxRows(probs, this.b2?.value ?? null, K);
    // Loss and its gradient d(mean weighted loss)/d(logits) = (p - onehot) * w / B.
    const dLogits = probs;
    for (let r = 0; r < B; r++) {
      const label = labels[r] as number;
      const weight = classWeights ? (classWeights[label] ?? 1) : 1;
      const p = probs[r * K + label] as number;
      this.lossSum -= weight * Math.log(Math.min(Math.max(p, EPSILON), 1 - EPSILON));
      if (best[r] === label) this.hits++;
      dLogits[r * K + label] = p - 1;
      for (let k = 0; k < K; k++) dLogits[r * K + k] = ((dLogits[r * K + k] as number) * weight) / B;
    }
    const dW2 = matMul(transpose(hd, B, H), dLogits, H, B, K);
    const dZ1 = matMul(dLogits, transpose(this.w2.value, H, K), B, K, H);
    reluDropoutGrad(dZ1, hd, this.dropout > 0 ? Math.fround(1 / (1 - this.dropout)) : 1);
    const dW1 = () => tf.matMul(tf.tensor2d(xT, [dim, B]), tf.tensor2d(dZ1, [B, H]));
    if (this.w1Adam) {
      this.w1Adam.gradient.set(read(dW1));
      this.w1Adam.step();
    } else {
      const optimizer = this.w1Optimizer as tf.AdamOptimizer;
      tf.tidy(() => optimizer.applyGradients([{ name: this.w1.name, tensor: dW1() }]));
    }
    const c1 = 1 - this.accBeta1;
    const c2 = 1 - this.accBeta2;
    adam(this.w2, dW2, this.learningRate, c1, c2);
    if (this.b2) adam(this.b2, columnSums(dLogits, B, K), this.learningRate, c1, c2);
    adam(this.b1, columnSums(dZ1, B, H), this.learningRate, c1, c2);
    this.accBeta1 *= BETA1;
    this.accBeta2 *= BETA2;
  }

  /** [mean cross-entropy, accuracy] on rows `x` with int32 `labels`, without dropout: one kernel for the big product, the rest here. */
  validate(x: tf.Tensor2D, labels: tf.Tensor1D): [number, number] {
    const rows = x.shape[0];
    const H = this.hidden;
    const K = this.numClasses;
    const y = labels.dataSync();
    const h = this.hiddenActivations(x);
    const probs = matMul(h, this.w2.value, rows, H, K);
    const best = softmaxRows(probs, this.b2?.value ?? null, K);
    let loss = 0;
    let hits = 0;
    for (let r = 0; r < rows; r++) {
      const label = y[r] as number;
      loss -= Math.log(Math.min(Math.max(probs[r * K + label] as number, EPSILON), 1 - EPSILON));
      if (best[r] === label) hits++;
    }
    return [loss / rows, hits / rows];
  }

  /**
   * relu(x W1 + b1) for [rows, dim] `x`: the product on the backend, bias and ReLU here (b1 lives
   * here; tfjs-wasm's fused matMul with bias and ReLU measured no faster).
   */
  private hiddenActivations(x: tf.Tensor2D): Float32Array {
    const h = read(() => tf.matMul(x, this.kernel()));
    const bias = this.b1.value;
    const cols = bias.length;
    for (let i = 0, j = 0; i < h.length; i++, j = j + 1 === cols ? 0 : j + 1) {
      const v = (h[i] as number) + (bias[j] as number);
      h[i] = v > 0 ? v : 0;
    }
    return h;
  }

  /**
   * The big kernel as a tensor: the variable under tfjs' Adam, else a tensor of SimdAdam's weights
   * made for one product inside a tidy (tfjs-wasm copies them in; on cpu it is a view of them,
   * disposed before the next update changes them).
   */
  private kernel(): tf.Tensor2D {
    return (this.w1Adam ? tf.tensor2d(this.w1Adam.weights, this.w1.shape as [number, number]) : this.w1) as tf.Tensor2D;
  }

  /** [weighted loss summed over rows, correct predictions] since the last call. */
  takeStats(): [number, number] {
    const stats: [number, number] = [this.lossSum, this.hits];
    this.lossSum = 0;
    this.hits = 0;
    return stats;
  }

  /** Writes the weights kept here into the model's variables (under tfjs' Adam the big kernel is already there). */
  sync(): void {
    // Copies: the cpu backend keeps the array it is given, which the next Adam step would change
    // under any snapshot of the weights (early stopping's best epoch).
    tf.tidy(() => {
      for (const slot of [this.w2, this.b2, this.b1]) if (slot) slot.variable.assign(tf.tensor(slot.value.slice(), slot.variable.shape));
      if (this.w1Adam) this.w1.assign(tf.tensor(this.w1Adam.weights.slice(), this.w1.shape));
    });
  }

  dispose(): void {
    this.w1Optimizer?.dispose();
  }
}

/**
 * Copies the rows `rows` of the source into `x` ([B, dim]) and `xT` ([dim, B]); returns their labels.
 * The transpose goes eight rows at a time (eight neighbouring values written per column instead
 * of one): 0.13 against 0.27 ms for 128 x 1,280.
 * (The hot loops live in small functions: V8 optimises them far better than inside one long method.)
 */
function gatherBatch(source: ArraySource, rows: readonly number[], x: Float32Array, xT: Float32Array): Int32Array {
  const { embeddings, dim } = source;
  const B = rows.length;
  const labels = new Int32Array(B);
  for (let r = 0; r < B; r++) {
    const row = rows[r] as number;
    x.set(embeddings.subarray(row * dim, (row + 1) * dim), r * dim);
    labels[r] = source.labels[row] as number;
  }
  const whole = B - (B % 8);
  for (let r = 0; r < whole; r += 8) {
    const i0 = r * dim;
    for (let d = 0; d < dim; d++) {
      const o = d * B + r;
      const i = i0 + d;
      xT[o] = x[i] as number;
      xT[o + 1] = x[i + dim] as number;
      xT[o + 2] = x[i + 2 * dim] as number;
      xT[o + 3] = x[i + 3 * dim] as number;
      xT[o + 4] = x[i + 4 * dim] as number;
      xT[o + 5] = x[i + 5 * dim] as number;
      xT[o + 6] = x[i + 6 * dim] as number;
      xT[o + 7] = x[i + 7 * dim] as number;
    }
  }
  for (let r = whole; r < B; r++) for (let d = 0; d < dim; d++) xT[d * B + r] = x[r * dim + d] as number;
  return labels;
}

/**
 * Gradient through ReLU and dropout, in place, from the layer's output after dropout `hd`
 * (hd > 0 exactly where the unit was active and kept, its mask then `kept`): g = hd > 0 ? g * kept : 0.
 */
function reluDropoutGrad(g: Float32Array, hd: Float32Array, kept: number): void {
  for (let i = 0; i < g.length; i++) g[i] = (hd[i] as number) > 0 ? (g[i] as number) * kept : 0;
}

/** Adds `bias` to each row of [rows, k] logits and turns them into softmax probabilities in place; returns each row's argmax. */
function softmaxRows(logits: Float32Array, bias: Float32Array | null, k: number): Int32Array {
  const rows = logits.length / k;
  const best = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      const value = (logits[base + c] as number) + (bias ? (bias[c] as number) : 0);
      logits[base + c] = value;
      if (value > max) {
        max = value;
        best[r] = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp((logits[base + c] as number) - max);
      logits[base + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) logits[base + c] = (logits[base + c] as number) / sum;
  }
  return best;
}

/** Adam on a slot, as tf.train.adam computes it (c1 = 1 - beta1^t, c2 = 1 - beta2^t). */
function adam(slot: AdamSlot, grad: Float32Array, lr: number, c1: number, c2: number): void {
  const { value, m, v } = slot;
  for (let i = 0; i < value.length; i++) {
    const g = grad[i] as number;
    const mi = BETA1 * (m[i] as number) + (1 - BETA1) * g;
    const vi = BETA2 * (v[i] as number) + (1 - BETA2) * g * g;
    m[i] = mi;
    v[i] = vi;
    value[i] = (value[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + EPSILON);
  }
}

/** [rows, cols] -> [cols, rows]. */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c] as number;
  return out;
}

/** Sums of each column of a [rows, cols] matrix. */
function columnSums(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c] = (out[c] as number) + (a[r * cols + c] as number);
  return out;
}

/** [m, k] x [k, n] on the backend, read back (small products: the read is cheap on wasm and cpu). */
function matMul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  return read(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])));
}

/** The values of the tensor `make` returns (read outside tf.tidy, which would walk every element of a returned array). */
function read(make: () => tf.Tensor): Float32Array {
  const tensor = tf.tidy(make);
  try {
    return tensor.dataSync() as Float32Array;
  } finally {
    tensor.dispose();
  }
}
