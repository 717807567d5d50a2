import { describe, expect, it } from 'vitest';
import { ModelLock } from './model-lock';

/** A promise with its resolve handle, to hold a call open at a known point. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('ModelLock', () => {
  it('runs changes one at a time, in call order', async () => {
    const lock = new ModelLock();
    const log: string[] = [];
    const first = gate();
    const a = lock.change(async () => {
      log.push('a start');
      await first.promise;
      log.push('a end');
    });
    const b = lock.change(async () => {
      log.push('b');
    });
    await flush();
    expect(log).toEqual(['a start']);
    first.open();
    await Promise.all([a, b]);
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  it('a failed change does not block the next one', async () => {
    const lock = new ModelLock();
    await expect(lock.change(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.change(async () => 7)).resolves.toBe(7);
  });

  it('a swap waits for reads that hold the models across an await, and new reads wait for the swap', async () => {
    const lock = new ModelLock();
    const log: string[] = [];
    let model: { disposed: boolean } = { disposed: false };
    const frame = gate();
    const read = lock.read(async () => {
      const held = model;
      await frame.promise;
      log.push(held.disposed ? 'read saw a freed model' : 'read ok');
    });
    const swap = lock.swap(() => {
      model.disposed = true;
      model = { disposed: false };
      log.push('swapped');
    });
    const later = lock.read(async () => {
      log.push(model.disposed ? 'late read saw a freed model' : 'late read ok');
    });
    await flush();
    expect(log).toEqual([]);
    expect(lock.activeReads).toBe(1);
    frame.open();
    await Promise.all([read, swap, later]);
    expect(log).toEqual(['read ok', 'swapped', 'late read ok']);
  });

  it('reads run together', async () => {
    const lock = new ModelLock();
    const hold = gate();
    const a = lock.read(() => hold.promise);
    const b = lock.read(async () => 'b');
    await expect(b).resolves.toBe('b');
    expect(lock.activeReads).toBe(1);
    hold.open();
    await a;
    expect(lock.activeReads).toBe(0);
  });

  it('a queued read whose signal aborts is refused and never runs', async () => {
    const lock = new ModelLock();
    const hold = gate();
    const swap = lock.swap(() => hold.promise);
    const controller = new AbortController();
    let ran = false;
    const read = lock.read(async () => {
      ran = true;
    }, controller.signal);
    controller.abort();
    await expect(read).rejects.toMatchObject({ code: 'aborted' });
    hold.open();
    await swap;
    expect(ran).toBe(false);
  });

  it('a queued change whose signal aborts is refused and never runs', async () => {
    const lock = new ModelLock();
    const hold = gate();
    const first = lock.change(() => hold.promise);
    const controller = new AbortController();
    let ran = false;
    const second = lock.change(async () => {
      ran = true;
    }, controller.signal);
    controller.abort();
    hold.open();
    await first;
    await expect(second).rejects.toMatchObject({ code: 'aborted' });
    expect(ran).toBe(false);
  });
});
