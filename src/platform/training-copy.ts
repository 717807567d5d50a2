import { decodeBitmap, drawSquare, type DecodeSource } from './image-decode';

/** Side of the stored training copy: the backbones' input size. */
export const TRAINING_COPY_SIZE = 224;
/** JPEG quality of stored training copies (0.92: visually lossless, ~20 KB at 224x224). */
export const TRAINING_COPY_QUALITY = 0.92;

/** A decoded photo reduced to what training needs. */
export interface TrainingCopy {
  width: number;
  height: number;
  /** The centre square at 224x224 as a JPEG blob. */
  jpeg: Blob;
}

/**
 * Decodes a photo once and keeps only its 224x224 centre square (the app's one preprocessing),
 * re-encoded as JPEG: a 10,000-photo project never holds full-size images in memory.
 */
export async function makeTrainingCopy(file: Blob, source: DecodeSource = 'unchecked'): Promise<TrainingCopy> {
  const bitmap = await decodeBitmap(file, source);
  const { width, height } = bitmap;
  try {
    const canvas = drawSquare(bitmap, TRAINING_COPY_SIZE);
    const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: TRAINING_COPY_QUALITY });
    return { width, height, jpeg };
  } finally {
    bitmap.close();
  }
}
