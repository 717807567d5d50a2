import { describe, expect, it } from 'vitest';
import { sameItems } from './same-items';

describe('sameItems', () => {
  const a = { id: 'a' };
  const b = { id: 'b' };
  it('is true for equal elements in a new array, false for another length, order or element', () => {
    expect(sameItems([a, b], [a, b])).toBe(true);
    expect(sameItems([], [])).toBe(true);
    expect(sameItems([a, b], [a])).toBe(false);
    expect(sameItems([a, b], [b, a])).toBe(false);
    expect(sameItems([a], [{ id: 'a' }])).toBe(false);
  });
});
