import * as tf from '@tensorflow/tfjs';

/** Smallest side of the random crop, as a fraction of the image side. */
export const MIN_CROP = 0.8;
/** Largest brightness change, as a fraction of the input range. */
export const MAX_BRIGHTNESS = 0.1;

/** One image's random changes: crop box [y1, x1, y2, x2] in [0, 1] (x1 > x2 flips left-right) and a brightness shift. */
export interface Augmentation {
  box: [number, number, number, number];
  brightness: number;
}

/** Draws a random square crop (80-100% of the side), a coin-flip left-right mirror and a brightness shift of up to ±10%. */
export function drawAugmentation(random: () => number): Augmentation {
  const side = MIN_CROP + (1 - MIN_CROP) * random();
  const y1 = (1 - side) * random();
  const x1 = (1 - side) * random();
  const flip = random() < 0.5;
  const brightness = (random() * 2 - 1) * MAX_BRIGHTNESS;
  return { box: flip ? [y1, x1 + side, y1 + side, x1] : [y1, x1, y1 + side, x1 + side], brightness };
}

/**
 * Applies one augmentation per image to `x` ([N, s, s, 3] in `range`): crop and resize back to s x s
 * (bilinear), mirror, brightness shift clipped to the range. Returns a new tensor; `x` is kept.
 */
export function augmentBatch(x: tf.Tensor4D, augmentations: readonly Augmentation[], range: readonly [number, number]): tf.Tensor4D {
  const [n, size] = x.shape;
  if (augmentations.length !== n) throw new RangeError(`${augmentations.length} augmentations for ${n} images`);
  const [lo, hi] = range;
  return tf.tidy(() => {
    const boxes = tf.tensor2d(augmentations.flatMap((a) => a.box), [n, 4]);
    const index = tf.tensor1d(augmentations.map((_, i) => i), 'int32');
    const cropped = tf.image.cropAndResize(x, boxes, index, [size, size], 'bilinear');
    const shift = tf.tensor4d(augmentations.map((a) => a.brightness * (hi - lo)), [n, 1, 1, 1]);
    return cropped.add(shift).clipByValue(lo, hi) as tf.Tensor4D;
  });
}
