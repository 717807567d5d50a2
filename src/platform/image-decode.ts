import { AppError } from '../lib/errors';
import { checkBeforeDecode } from './file-sniff';

/** Largest side we agree to decode; bigger images are refused before decoding. */
export const MAX_DECODE_SIDE = 16_384;

/** Something with pixels and a size that a 2D canvas can draw. */
export type DrawableSource = ImageBitmap | HTMLVideoElement | OffscreenCanvas | HTMLCanvasElement;

function sizeOf(source: DrawableSource): { width: number; height: number } {
  if ('videoWidth' in source) return { width: source.videoWidth, height: source.videoHeight };
  return { width: source.width, height: source.height };
}

/** What transparent pixels are flattened onto: white, as people expect for product shots and logos. */
export const BACKGROUND = '#ffffff';

/**
 * THE preprocessing of the app, used for training, prediction, webcam and export checks alike:
 * take the largest centred square, scale it to `size` x `size` with the canvas' high-quality
 * smoothing, over an opaque white background (a semi-transparent PNG is flattened onto white,
 * both in the stored JPEG training copy and in the RGBA bytes predictions read). Returns the
 * canvas holding the result; every pixel is opaque.
 */
export function drawSquare(source: DrawableSource, size: number): OffscreenCanvas {
  const { width, height } = sizeOf(source);
  if (!width || !height) throw new AppError('decode-failed', 'The image has no pixels');
  const side = Math.min(width, height);
  const sx = Math.floor((width - side) / 2);
  const sy = Math.floor((height - side) / 2);
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new AppError('decode-failed', 'No 2D canvas available');
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, size, size);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, sx, sy, side, side, 0, 0, size, size);
  return canvas;
}

/** RGBA bytes of a canvas (alpha ignored downstream; 255 for `drawSquare`'s canvases). */
export function canvasRgba(canvas: OffscreenCanvas): Uint8ClampedArray {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new AppError('decode-failed', 'No 2D canvas available');
  return ctx.getImageData(0, 0, canvas.width, canvas.height).data;
}

/** The preprocessed square's RGBA bytes (see `drawSquare`). */
export function cropResizeSquare(source: DrawableSource, size: number): Uint8ClampedArray {
  return canvasRgba(drawSquare(source, size));
}

/**
 * How a blob to decode was vetted: `unchecked` (the default) reads its header first; `checked`
 * skips that, for the app's own 224x224 training copies and for files the import has just run
 * through `inspectImageFile` (reading the header twice on those hot paths buys nothing).
 */
export type DecodeSource = 'unchecked' | 'checked';

/** Decodes an image file (EXIF orientation applied) into an ImageBitmap; typed errors on failure. */
export async function decodeBitmap(blob: Blob, source: DecodeSource = 'unchecked'): Promise<ImageBitmap> {
  if (blob.size === 0) throw new AppError('empty-file', 'The file is empty');
  // Header first: a declared decompression bomb is refused before the browser decodes it.
  if (source === 'unchecked') await checkBeforeDecode(blob);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch {
    throw new AppError('decode-failed', 'The browser could not decode this file as an image');
  }
  if (bitmap.width > MAX_DECODE_SIDE || bitmap.height > MAX_DECODE_SIDE) {
    bitmap.close();
    throw new AppError('too-large', 'The image is larger than the app can safely process');
  }
  return bitmap;
}

/** Decodes a file and returns its centre square at `size` x `size` as RGBA bytes. */
export async function decodeSquare(blob: Blob, size: number, source: DecodeSource = 'unchecked'): Promise<Uint8ClampedArray> {
  const bitmap = await decodeBitmap(blob, source);
  try {
    return cropResizeSquare(bitmap, size);
  } finally {
    bitmap.close();
  }
}
