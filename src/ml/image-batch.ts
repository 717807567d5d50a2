import * as tf from '@tensorflow/tfjs';

/**
 * Square RGB images as plain bytes: `pixels` holds `count * size * size * 3` values in [0, 255],
 * row-major, already cropped and resized (see platform/image-decode.ts). Structured-cloneable.
 */
export interface ImageBatch {
  count: number;
  size: number;
  pixels: Uint8Array;
}

/** Packs RGBA bytes of square images (from ImageData) into one RGB ImageBatch. */
export function batchFromRgba(images: readonly Uint8ClampedArray[], size: number): ImageBatch {
  const plane = size * size;
  const pixels = new Uint8Array(images.length * plane * 3);
  images.forEach((rgba, n) => {
    if (rgba.length !== plane * 4) throw new Error(`Expected ${size}x${size} RGBA, got ${rgba.length} bytes`);
    let o = n * plane * 3;
    for (let i = 0; i < rgba.length; i += 4) {
      pixels[o++] = rgba[i] as number;
      pixels[o++] = rgba[i + 1] as number;
      pixels[o++] = rgba[i + 2] as number;
    }
  });
  return { count: images.length, size, pixels };
}

/** Concatenates batches of the same size. */
export function concatBatches(batches: readonly ImageBatch[]): ImageBatch {
  const first = batches[0];
  if (!first) throw new Error('No batches to concatenate');
  const pixels = new Uint8Array(batches.reduce((n, b) => n + b.pixels.length, 0));
  let offset = 0;
  for (const b of batches) {
    if (b.size !== first.size) throw new Error('Batches differ in image size');
    pixels.set(b.pixels, offset);
    offset += b.pixels.length;
  }
  return { count: batches.reduce((n, b) => n + b.count, 0), size: first.size, pixels };
}

/**
 * The batch as a float32 tensor [N, size, size, 3] scaled to `inputRange`:
 * [0, 255] -> [lo, hi] by x * (hi - lo) / 255 + lo (so [-1, 1] is x / 127.5 - 1).
 */
export function batchToTensor(batch: ImageBatch, inputRange: readonly [number, number]): tf.Tensor4D {
  const [lo, hi] = inputRange;
  return tf.tidy(() => {
    const raw = tf.tensor4d(batch.pixels, [batch.count, batch.size, batch.size, 3], 'int32');
    return raw.toFloat().mul((hi - lo) / 255).add(lo) as tf.Tensor4D;
  });
}

/** Splits a [N, D] matrix's data into N rows that share no memory with the tensor. */
export function rowsOf(data: Float32Array, count: number): Float32Array[] {
  const width = data.length / count;
  return Array.from({ length: count }, (_, i) => data.slice(i * width, (i + 1) * width));
}
