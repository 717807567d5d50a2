import { describe, expect, it } from 'vitest';
import { embedThreadsFromSearch, MAX_EMBED_THREADS } from './url-params';

describe('embedThreadsFromSearch', () => {
  it('uses every core up to the cap in a cross-origin isolated page', () => {
    expect(embedThreadsFromSearch('', true, 2)).toBe(2);
    expect(embedThreadsFromSearch('', true, 16)).toBe(MAX_EMBED_THREADS);
    expect(embedThreadsFromSearch('', true, 1)).toBe(1);
  });

  it('is 1 where the page is not isolated (no SharedArrayBuffer for the threaded build), whatever is asked', () => {
    expect(embedThreadsFromSearch('', false, 8)).toBe(1);
    expect(embedThreadsFromSearch('?embedThreads=4', false, 8)).toBe(1);
  });

  it('takes ?embedThreads=N when isolated, and ignores nonsense', () => {
    expect(embedThreadsFromSearch('?embedThreads=1', true, 8)).toBe(1);
    expect(embedThreadsFromSearch('?embedThreads=3', true, 8)).toBe(3);
    expect(embedThreadsFromSearch('?embedThreads=0', true, 2)).toBe(2);
    expect(embedThreadsFromSearch('?embedThreads=two', true, 2)).toBe(2);
  });
});
