import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchFromRgba, batchToTensor, concatBatches, rowsOf } from './image-batch';

describe('image batches', () => {
  it('drops alpha and keeps RGB order', () => {
    const rgba = new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 0, 7, 8, 9, 9, 10, 11, 12, 128]);
    const batch = batchFromRgba([rgba], 2);
    expect(batch.count).toBe(1);
    expect(Array.from(batch.pixels)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('rejects images of the wrong size', () => {
    expect(() => batchFromRgba([new Uint8ClampedArray(8)], 2)).toThrow(/2x2/);
  });

  it('scales [0, 255] to the input range exactly', () => {
    const batch = { count: 1, size: 1, pixels: new Uint8Array([0, 127.5, 255]) };
    const minusOne = batchToTensor(batch, [-1, 1]);
    const zeroOne = batchToTensor(batch, [0, 1]);
    const [lo, mid, hi] = Array.from(minusOne.dataSync());
    expect(lo).toBe(-1);
    expect(mid).toBeCloseTo(127 / 127.5 - 1, 6);
    expect(hi).toBe(1);
    expect(minusOne.shape).toEqual([1, 1, 1, 3]);
    expect(Array.from(zeroOne.dataSync())[2]).toBeCloseTo(1, 6);
    tf.dispose([minusOne, zeroOne]);
  });

  it('concatenates batches and splits rows without sharing memory', () => {
    const a = { count: 1, size: 1, pixels: new Uint8Array([1, 2, 3]) };
    const b = { count: 2, size: 1, pixels: new Uint8Array([4, 5, 6, 7, 8, 9]) };
    expect(concatBatches([a, b])).toEqual({ count: 3, size: 1, pixels: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) });
    const data = new Float32Array([1, 2, 3, 4]);
    const rows = rowsOf(data, 2);
    data[0] = 99;
    expect(rows.map((r) => Array.from(r))).toEqual([[1, 2], [3, 4]]);
  });
});
