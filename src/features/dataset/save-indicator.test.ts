import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { holdWrites } from './project-repo';
import { createSaveIndicator } from './save-indicator';

describe('the save indicator', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says saving as soon as a write is pending, and saved only once none has been for the settle time', () => {
    const indicator = createSaveIndicator(400);
    const changes: boolean[] = [];
    indicator.subscribe(() => changes.push(indicator.saving()));
    expect(indicator.saving()).toBe(false);
    const release = holdWrites();
    expect(indicator.saving()).toBe(true);
    release();
    vi.advanceTimersByTime(399);
    expect(indicator.saving()).toBe(true);
    vi.advanceTimersByTime(1);
    expect(indicator.saving()).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('shows one "saving" for a job that writes a batch every 300 ms, never "saved" while a write is pending', () => {
    const indicator = createSaveIndicator(400);
    const changes: boolean[] = [];
    indicator.subscribe(() => changes.push(indicator.saving()));
    for (let batch = 0; batch < 10; batch++) {
      const release = holdWrites();
      expect(indicator.saving()).toBe(true);
      vi.advanceTimersByTime(50);
      release();
      vi.advanceTimersByTime(250);
    }
    // A write started just before the settle time ran out keeps it saving, however long it takes.
    const late = holdWrites();
    vi.advanceTimersByTime(5_000);
    expect(indicator.saving()).toBe(true);
    late();
    vi.advanceTimersByTime(400);
    expect(indicator.saving()).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('releasing twice counts once', () => {
    const indicator = createSaveIndicator(100);
    const a = holdWrites();
    const b = holdWrites();
    a();
    a();
    vi.advanceTimersByTime(500);
    expect(indicator.saving()).toBe(true);
    b();
    vi.advanceTimersByTime(100);
    expect(indicator.saving()).toBe(false);
  });
});
