import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../lib/errors';
import { sha256Hex } from '../../lib/hash';
import { inspectImageFile } from '../../platform/file-sniff';
import * as db from '../../platform/project-db';
import { INITIAL_PROJECT_STATE, useProjectStore } from '../../store/project-store';
import { importDataset, loadProject } from './dataset-actions';
import * as repo from './project-repo';

// A photo whose name is `slow.name` waits for `slow.release` (a 12,000-pixel photo taking its time).
const slow = vi.hoisted(() => ({ name: '', release: Promise.resolve() }));

// The worker is replaced by its contract: the real file check, then hash the bytes and hand back a "training copy".
vi.mock('../../engine/connection', () => ({
  engine: () =>
    Promise.resolve({
      importFile: async (file: Blob, name: string) => {
        if (name === slow.name) await slow.release;
        const check = await inspectImageFile(file, name);
        if (!check.ok) return check;
        return { ok: true, hash: await sha256Hex(file), width: 100, height: 100, jpeg: file.slice(0, 64, 'image/jpeg') };
      },
    }),
}));

// Real IndexedDB code (fake-indexeddb), with a switch that makes image writes fail as on a full disk.
const quota = vi.hoisted(() => ({ failAfter: Infinity, calls: 0 }));
vi.mock('../../platform/project-db', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../platform/project-db')>();
  return {
    ...real,
    putImages: (...args: Parameters<typeof real.putImages>) => {
      if (++quota.calls > quota.failAfter) return Promise.reject(new AppError('quota-exceeded', 'No space left'));
      return real.putImages(...args);
    },
  };
});

/** Committed sign-digits photos (52 a digit). */
const DIGITS = new URL('../../../test-photos/sign-digits/', import.meta.url).pathname;

/** `perClass` real photos of each digit, as a dropped parent folder "digits/<d>/<file>". */
function digits(classes: readonly string[], perClass: number): { file: File; path: string }[] {
  return classes.flatMap((d) =>
    readdirSync(join(DIGITS, d))
      .sort()
      .slice(0, perClass)
      .map((name) => ({ file: new File([readFileSync(join(DIGITS, d, name))], name, { type: 'image/jpeg' }), path: `digits/${d}/${name}` })),
  );
}

const state = () => useProjectStore.getState();
const countIn = (name: string) => {
  const id = state().classes.find((c) => c.name === name)?.id;
  return state().images.filter((im) => im.classId === id).length;
};

beforeEach(async () => {
  slow.name = '';
  quota.failAfter = Infinity;
  quota.calls = 0;
  await repo.clear();
  useProjectStore.setState(INITIAL_PROJECT_STATE);
});

describe('importDataset', () => {
  it('stores every photo and brings the project back after a reload', async () => {
    await importDataset(digits(['0', '1'], 20));
    expect(countIn('0')).toBe(20);
    expect(countIn('1')).toBe(20);
    expect(state().importing).toBeNull();
    useProjectStore.setState(INITIAL_PROJECT_STATE);
    await loadProject();
    expect(state().classes.map((c) => c.name)).toEqual(['0', '1']);
    expect(countIn('0')).toBe(20);
  });

  it('shows a quota error, keeps the project in memory and lists the photos that were not saved', async () => {
    await importDataset(digits(['0'], 10));
    quota.calls = 0;
    quota.failAfter = 1; // the second write of the next import fails
    await importDataset(digits(['1', '2'], 40));

    expect(state().storageError?.code).toBe('quota-exceeded');
    expect(state().importing).toBeNull();
    // What was there before is untouched; what the store shows is exactly what IndexedDB holds.
    expect(countIn('0')).toBe(10);
    const saved = state().images.length;
    expect(saved).toBeGreaterThan(10);
    expect(saved).toBeLessThan(90);
    const stored = await repo.loadAll();
    expect(stored.images.map((im) => im.id).sort()).toEqual(state().images.map((im) => im.id).sort());
    // Every photo of the failed import is either saved or listed as not saved.
    const notSaved = state().skipped.filter((s) => s.reason === 'not-saved');
    expect(notSaved.length + saved - 10).toBe(80);
  });

  it('one slow photo does not hide the rest: the saved photos are listed and the progress is current while it is read', async () => {
    const files = digits(['0', '1'], 40);
    slow.name = files[5]?.file.name ?? '';
    let release = () => {};
    slow.release = new Promise<void>((resolve) => (release = resolve));
    const run = importDataset(files);
    try {
      // 79 photos done and 64 of them written in two batches; no other photo finishes to trigger an update.
      await vi.waitFor(() => expect(state().importing).toEqual({ done: 79, total: 80 }), { timeout: 5000 });
      await vi.waitFor(() => expect(state().images.length).toBe(64), { timeout: 5000 });
    } finally {
      release();
      await run;
    }
    expect(state().images.length).toBe(80);
    expect(state().importing).toBeNull();
  });

  it('skips the same photo twice in one class, keeps it in two classes and reports that', async () => {
    const [a] = digits(['3'], 1);
    if (!a) throw new Error('no photo');
    await importDataset([
      { file: a.file, path: 'd/x/a.jpg' },
      { file: a.file, path: 'd/x/copy.jpg' },
      { file: a.file, path: 'd/y/a.jpg' },
    ]);
    expect(countIn('x')).toBe(1);
    expect(countIn('y')).toBe(1);
    expect(state().skipped).toEqual([expect.objectContaining({ reason: 'duplicate' })]);
    expect(state().duplicates).toEqual([expect.objectContaining({ crossClass: true })]);
  });
});

describe('project-repo connection', () => {
  it('reopens the database when another tab closed the cached connection (versionchange)', async () => {
    await repo.loadAll(); // opens and caches the connection
    // Deleting the database fires versionchange; project-db closes its connection so the delete can go on.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(db.DEFAULT_DB_NAME);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error('delete failed'));
    });
    await repo.saveClass({ id: 'c1', name: 'cats', order: 1 });
    expect((await repo.loadAll()).classes).toEqual([{ id: 'c1', name: 'cats', order: 1 }]);
  });

  it('counts writes in flight, so the page can say when everything is stored (also when a write fails)', async () => {
    const seen: number[] = [];
    const stop = repo.subscribeWrites(() => seen.push(repo.pendingWrites()));
    const a = repo.saveClass({ id: 'c1', name: 'cats', order: 1 });
    const b = repo.deleteImage('missing');
    expect(repo.pendingWrites()).toBe(2);
    await Promise.all([a, b]);
    expect(repo.pendingWrites()).toBe(0);
    quota.failAfter = 0;
    await expect(repo.putImages(digits(['0'], 1).map(({ file }) => ({ image: { id: 'x', hash: 'h', classId: 'c1', path: 'p', name: 'n' }, jpeg: file, width: 1, height: 1 })))).rejects.toThrow();
    expect(repo.pendingWrites()).toBe(0);
    stop();
    expect(seen).toEqual([1, 2, 1, 0, 1, 0]);
  });
});
