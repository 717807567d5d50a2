import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './hash';

describe('sha256Hex', () => {
  it('matches the known digest of "abc" for every input type', async () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    const bytes = new TextEncoder().encode('abc');
    expect(await sha256Hex(bytes)).toBe(abc);
    expect(await sha256Hex(bytes.buffer)).toBe(abc);
    expect(await sha256Hex(new Blob([bytes]))).toBe(abc);
  });

  it('hashes only the viewed bytes of a Uint8Array, and agrees with node:crypto', async () => {
    const big = new Uint8Array(100_000).map((_, i) => (i * 31) & 255);
    const view = big.subarray(10, 5000);
    expect(await sha256Hex(view)).toBe(createHash('sha256').update(view).digest('hex'));
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
