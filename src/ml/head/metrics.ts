/** Classification metrics from true and predicted class ids; plain numbers, no tfjs. */

/** Per-class figures; precision, recall and f1 in [0, 1] (0 where undefined), support = true images of the class. */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Accuracy in [0, 1] (0 for no images), confusion[trueClass][predictedClass] counts, and per-class metrics. */
export interface Evaluation {
  accuracy: number;
  confusion: number[][];
  perClass: ClassMetrics[];
}

/** Compares `predicted` with `trueLabels` (class ids in [0, numClasses), same length). */
export function evaluate(trueLabels: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): Evaluation {
  if (trueLabels.length !== predicted.length) {
    throw new RangeError(`${trueLabels.length} true labels but ${predicted.length} predictions`);
  }
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i] as number;
    const p = predicted[i] as number;
    const row = confusion[t];
    if (!row || p < 0 || p >= numClasses || !Number.isInteger(p)) {
      throw new RangeError(`Label pair (${t}, ${p}) at ${i} is outside [0, ${numClasses})`);
    }
    row[p] = (row[p] as number) + 1;
    if (t === p) correct++;
  }
  const perClass = confusion.map((row, k) => {
    const tp = row[k] as number;
    const support = row.reduce((a, b) => a + b, 0);
    const predictedK = confusion.reduce((sum, r) => sum + (r[k] as number), 0);
    const precision = predictedK > 0 ? tp / predictedK : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
  return { accuracy: trueLabels.length > 0 ? correct / trueLabels.length : 0, confusion, perClass };
}

/** The most probable class of each row of a row-major N x numClasses matrix (first one on ties). */
export function argmaxRows(probabilities: Float32Array, numClasses: number): Int32Array {
  if (numClasses < 1 || probabilities.length % numClasses !== 0) {
    throw new RangeError(`${probabilities.length} values do not make rows of ${numClasses}`);
  }
  const rows = probabilities.length / numClasses;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let k = 0; k < numClasses; k++) {
      const v = probabilities[r * numClasses + k] as number;
      if (v > bestValue) {
        bestValue = v;
        best = k;
      }
    }
    out[r] = best;
  }
  return out;
}
