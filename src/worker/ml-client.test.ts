import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkerWatch } from './ml-client';

/** A Worker stand-in: an event target that records terminate(). */
class FakeWorker extends EventTarget {
  terminated = 0;
  terminate(): void {
    this.terminated++;
  }
}

/** A ping that answers while `alive` is true, and never after (a worker that exited). */
function pinger() {
  const state = { alive: true, pings: 0 };
  const ping = () => {
    state.pings++;
    return state.alive ? Promise.resolve(1) : new Promise<never>(() => undefined);
  };
  return { state, ping };
}

const never = () => new Promise<never>(() => undefined);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('WorkerWatch', () => {
  it('does not ping during start-up (before arm): a slow start is not a death', async () => {
    const worker = new FakeWorker();
    const { state, ping } = pinger();
    state.alive = false;
    const watch = new WorkerWatch(worker, ping, 5_000);
    const init = watch.call(never);
    init.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.pings).toBe(0);
    expect(worker.terminated).toBe(0);
    watch.arm();
    await vi.advanceTimersByTimeAsync(7_000);
    await expect(init).rejects.toMatchObject({ code: 'worker-failed' });
  });

  it('an error event terminates the worker, fails the pending call and later ones, and tells listeners once', async () => {
    const worker = new FakeWorker();
    const watch = new WorkerWatch(worker, pinger().ping, 10_000);
    const deaths: string[] = [];
    watch.onDeath((e) => deaths.push(e.code));
    const pending = watch.call(never);
    worker.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'Simulated worker crash' }));
    await expect(pending).rejects.toMatchObject({ code: 'worker-failed', message: 'Simulated worker crash' });
    await expect(watch.call(async () => 1)).rejects.toMatchObject({ code: 'worker-failed' });
    expect(worker.terminated).toBeGreaterThan(0);
    expect(deaths).toEqual(['worker-failed']);
  });

  it('a worker that stops answering while a call is pending is taken for dead after the liveness limit', async () => {
    const worker = new FakeWorker();
    const { state, ping } = pinger();
    const watch = new WorkerWatch(worker, ping, 5_000);
    watch.arm();
    const pending = watch.call(never);
    pending.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(worker.terminated).toBe(0);
    expect(state.pings).toBeGreaterThan(20);
    state.alive = false;
    await vi.advanceTimersByTimeAsync(7_000);
    await expect(pending).rejects.toMatchObject({ code: 'worker-failed' });
    expect(worker.terminated).toBeGreaterThan(0);
  });

  it('an idle worker is not pinged, and a ping from before an idle spell does not count against the next call', async () => {
    const worker = new FakeWorker();
    const { state, ping } = pinger();
    const watch = new WorkerWatch(worker, ping, 5_000);
    watch.arm();
    // A call ends while its ping is unanswered (the answer comes after the call's).
    let answer: () => void = () => undefined;
    const slowPing = () => new Promise<number>((resolve) => (answer = () => resolve(1)));
    const slow = new WorkerWatch(worker, slowPing, 5_000);
    slow.arm();
    let finish: () => void = () => undefined;
    const first = slow.call(() => new Promise<void>((resolve) => (finish = resolve)));
    await vi.advanceTimersByTimeAsync(1_500);
    finish();
    await first;
    await vi.advanceTimersByTimeAsync(60_000);
    const second = slow.call(() => new Promise<number>((resolve) => setTimeout(() => resolve(2), 2_500)));
    await vi.advanceTimersByTimeAsync(1_100);
    answer();
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(second).resolves.toBe(2);
    expect(worker.terminated).toBe(0);
    // And the plain watch sent no pings while nothing was pending.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.pings).toBe(0);
    void watch;
  });
});
