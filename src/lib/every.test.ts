import { afterEach, describe, expect, it, vi } from 'vitest';
import { atMostEvery, throttleTrailing } from './every';

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

describe('throttleTrailing', () => {
  it('reports at most once per interval, runs a request made inside it when it ends, and now() at once', () => {
    vi.useFakeTimers();
    let state = 0;
    const seen: number[] = [];
    const progress = throttleTrailing(100, () => seen.push(state));
    state = 1;
    progress.request(); // inside the first interval: waits for its end
    state = 2;
    progress.request(); // the same pending report
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([2]); // the state when it ran
    vi.advanceTimersByTime(150);
    state = 3;
    progress.request(); // the interval has passed: at once
    expect(seen).toEqual([2, 3]);
    state = 4;
    progress.request();
    progress.now(); // the last figure: at once, and the pending one is dropped
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([2, 3, 4]);
    progress.now(); // 4 again; a request right after it waits for the interval's end...
    state = 5;
    progress.request();
    progress.cancel(); // ...and is dropped
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([2, 3, 4, 4]);
  });
});
