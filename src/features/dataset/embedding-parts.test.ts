import { describe, expect, it } from 'vitest';
import { joinRows, splitRows, storedParts } from './embedding-parts';

const row = (n: number, v: number) => new Float32Array(n).fill(v);

describe('the two-backbone setting stores its embeddings per part', () => {
  it('knows the parts of most-accurate, and none for a single backbone or an unknown id', () => {
    expect(storedParts('most-accurate')).toEqual(['mobilenet_v2_100_224', 'mobilenet_v1_075_224']);
    expect(storedParts('mobilenet_v2_100_224')).toBeNull();
    expect(storedParts('nonsense')).toBeNull();
  });

  it('joins rows in part order, only for photos every part has with the right size', () => {
    const a = new Map([['x', row(3, 1)], ['y', row(3, 2)], ['z', row(2, 3)]]);
    const b = new Map([['x', row(2, 9)], ['z', row(2, 8)]]);
    const joined = joinRows(['x', 'y', 'z'], [a, b], [3, 2]);
    expect([...joined.keys()]).toEqual(['x']);
    expect([...(joined.get('x') ?? [])]).toEqual([1, 1, 1, 9, 9]);
  });

  it('splits joined rows back into the parts they came from', () => {
    const joined = new Map([['x', Float32Array.from([1, 2, 3, 4, 5])]]);
    const [a, b] = splitRows(joined, [3, 2]);
    expect([...(a?.get('x') ?? [])]).toEqual([1, 2, 3]);
    expect([...(b?.get('x') ?? [])]).toEqual([4, 5]);
    expect(joinRows(['x'], [a ?? new Map(), b ?? new Map()], [3, 2]).get('x')).toEqual(joined.get('x'));
    expect(() => splitRows(new Map([['x', row(4, 0)]]), [3, 2])).toThrow(/4 values/);
  });
});
