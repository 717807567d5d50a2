import { describe, expect, it } from 'vitest';
import { IMAGENET_LABELS, topK } from './imagenet';

describe('ImageNet labels', () => {
  it('has the 1000 Keras-ordered names', () => {
    expect(IMAGENET_LABELS).toHaveLength(1000);
    expect(IMAGENET_LABELS[0]).toMatch(/^tench/);
    expect(IMAGENET_LABELS[967]).toMatch(/espresso/);
  });

  it('returns the k most probable classes in order', () => {
    const p = new Float32Array(1000);
    p[967] = 0.7;
    p[1] = 0.2;
    p[0] = 0.1;
    const top = topK(p, 2);
    expect(top.map((g) => g.label.split(',')[0])).toEqual(['espresso', 'goldfish']);
    expect(top[0]?.probability).toBeCloseTo(0.7);
  });
});
