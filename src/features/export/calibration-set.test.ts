import { describe, expect, it } from 'vitest';
import type { ImageInfo } from '../../store/project-store';
import { calibrationHashes } from './tflite-actions';

const image = (classId: string, k: number): ImageInfo => ({ id: `${classId}:${classId}${k}`, hash: `${classId}${k}`, classId, path: `${classId}/${k}.jpg`, name: `${k}.jpg` });

describe('calibrationHashes (the full-integer model\'s calibration photos)', () => {
  const images = [...[0, 1, 2, 3, 4].map((k) => image('a', k)), ...[0, 1].map((k) => image('b', k)), image('c', 0)];

  it('takes training photos only, classes in turn, in import order', () => {
    const model = { classIds: ['a', 'b'], validationImageIds: ['a:a1', 'b:b0'] };
    // c is not one of the model's classes; a1 and b0 are validation photos.
    expect(calibrationHashes(model, images)).toEqual(['a0', 'b1', 'a2', 'a3', 'a4']);
  });

  it('stops at the limit, still taking from every class', () => {
    expect(calibrationHashes({ classIds: ['a', 'b', 'c'], validationImageIds: [] }, images, 4)).toEqual(['a0', 'b0', 'c0', 'a1']);
  });

  it('is empty when every photo is a validation photo', () => {
    expect(calibrationHashes({ classIds: ['b'], validationImageIds: ['b:b0', 'b:b1'] }, images)).toEqual([]);
  });
});
