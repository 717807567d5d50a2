import { afterEach, describe, expect, it, vi } from 'vitest';
import { atMostEvery } from './every';

afterEach(() => vi.useRealTimers());

describe('atMostEvery', () => {
  it('passes the first call, drops calls within the interval, and always passes final ones', () => {
    vi.useFakeTimers();
    const seen: number[] = [];
    const report = atMostEvery(100, (x: number) => seen.push(x), (x) => x === 1);
    report(0.1);
    report(0.2); // dropped: same instant
    report(1); // final: passes
    vi.advanceTimersByTime(50);
    report(0.3); // dropped: 50 ms after the last
    vi.advanceTimersByTime(60);
    report(0.4);
    expect(seen).toEqual([0.1, 1, 0.4]);
  });
});
