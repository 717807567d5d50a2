import { beforeEach, describe, expect, it } from 'vitest';
import { describeInterrupted, takeInterruptedWork, workEnded, workStarted } from './work-journal';

/** A Map-backed localStorage for Node. */
class MemoryStorage {
  private data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

describe('work journal', () => {
  beforeEach(() => {
    (globalThis as unknown as { localStorage: MemoryStorage }).localStorage = new MemoryStorage();
  });

  it('reports work that started and never ended, once', () => {
    workStarted('import', 10, 180);
    workStarted('embedding', 50, 50);
    workEnded('embedding');
    const left = takeInterruptedWork();
    expect(left.map((e) => [e.kind, e.imagesBefore, e.total])).toEqual([['import', 10, 180]]);
    expect(takeInterruptedWork()).toEqual([]);
  });

  it('replaces an older entry of the same kind', () => {
    workStarted('training', 5, 5);
    workStarted('training', 9, 9);
    expect(takeInterruptedWork().map((e) => e.total)).toEqual([9]);
  });

  it('ignores a damaged journal instead of failing start-up', () => {
    localStorage.setItem('transfer-studio:work-in-flight', '{not json');
    expect(takeInterruptedWork()).toEqual([]);
    localStorage.setItem('transfer-studio:work-in-flight', JSON.stringify([{ kind: 'rm -rf', total: 1, imagesBefore: 0 }, 7]));
    expect(takeInterruptedWork()).toEqual([]);
  });

  it('says how many photos of an interrupted import were saved', () => {
    const entry = { kind: 'import' as const, imagesBefore: 10, total: 180, startedAt: 0 };
    expect(describeInterrupted(entry, 47, false)).toContain('37 of 180 photos were saved');
    expect(describeInterrupted({ ...entry, kind: 'training' }, 47, true)).toContain('model from before is kept');
    expect(describeInterrupted({ ...entry, kind: 'finetuning' }, 47, true)).toContain('during fine-tuning. Nothing of that fine-tune was kept: the model from before it is back');
  });
});
