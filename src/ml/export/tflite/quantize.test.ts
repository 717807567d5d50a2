import { describe, expect, it } from 'vitest';
import { quantizePerChannel } from './quantize';

describe('quantizePerChannel', () => {
  it('scales each output channel by its own largest magnitude and rounds within half a step', () => {
    // Shape [2, 3] quantized along axis 0: rows of very different size.
    const w = Float32Array.from([0.0101, -0.02, 0.005, 10, -3, 7.5]);
    const { q, scale } = quantizePerChannel(w, [2, 3], 0);
    expect(scale).toEqual([Math.fround(0.02 / 127), Math.fround(10 / 127)]);
    expect(Array.from(q)).toEqual([64, -127, 32, 127, -38, 95]);
    w.forEach((v, i) => expect(Math.abs((q[i] as number) * (scale[i < 3 ? 0 : 1] as number) - v)).toBeLessThanOrEqual((scale[i < 3 ? 0 : 1] as number) / 2 + 1e-9));
  });

  it('quantizes along the last axis (depthwise filters [1, kh, kw, channels]) and gives zero channels scale 1', () => {
    const w = Float32Array.from([1, 0, -2, 0, 0.5, 0]);
    const { q, scale } = quantizePerChannel(w, [1, 1, 3, 2], 3);
    expect(scale).toEqual([Math.fround(2 / 127), 1]);
    expect(Array.from(q)).toEqual([64, 0, -127, 0, 32, 0]);
  });
});
