import { IMAGENET_CLASSES } from '@tensorflow-models/mobilenet/dist/imagenet_classes';
import type { ImagenetGuess } from './backbones/types';

/** The 1000 ImageNet class names in Keras order (index 0 = tench). */
export const IMAGENET_LABELS: readonly string[] = Array.from({ length: 1000 }, (_, i) => IMAGENET_CLASSES[i] ?? `class ${i}`);

/** Top-k of one probability row over the 1000 Keras-ordered ImageNet classes. */
export function topK(probabilities: Float32Array, k: number): ImagenetGuess[] {
  const order = Array.from(probabilities.keys()).sort((a, b) => (probabilities[b] ?? 0) - (probabilities[a] ?? 0));
  return order.slice(0, k).map((i) => ({ label: IMAGENET_LABELS[i] ?? `class ${i}`, probability: probabilities[i] ?? 0 }));
}
