import { argmaxRows, evaluate, type Evaluation } from '../../ml/head/metrics';
import type { Mistake } from '../../store/training-store';

/** Evaluation of validation probabilities: metrics, predictions, and the 24 most confident mistakes. */
export function validationReport(
  probs: Float32Array,
  truth: readonly number[],
  imageIds: readonly string[],
  classIds: readonly string[],
): { evaluation: Evaluation; predicted: number[]; mistakes: Mistake[] } {
  const numClasses = classIds.length;
  const predicted = Array.from(argmaxRows(probs, numClasses));
  const evaluation = evaluate([...truth], predicted, numClasses);
  const mistakes: Mistake[] = [];
  truth.forEach((t, v) => {
    const p = predicted[v] ?? 0;
    const imageId = imageIds[v];
    if (p !== t && imageId) {
      mistakes.push({ imageId, trueClassId: classIds[t] ?? '', predictedClassId: classIds[p] ?? '', confidence: probs[v * numClasses + p] ?? 0 });
    }
  });
  mistakes.sort((a, b) => b.confidence - a.confidence);
  return { evaluation, predicted, mistakes: mistakes.slice(0, 24) };
}
