import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INITIAL_PROJECT_STATE, useProjectStore } from '../../store/project-store';
import { addClass, loadProject, renameClass } from './dataset-actions';
import * as repo from './project-repo';

// Renaming never reaches the engine.
vi.mock('../../engine/connection', () => ({ engine: () => Promise.reject(new Error('not used')) }));

const names = () => useProjectStore.getState().classes.map((c) => c.name);

beforeEach(async () => {
  await repo.clear();
  useProjectStore.setState(INITIAL_PROJECT_STATE);
  await loadProject();
});

describe('renameClass', () => {
  it('stores one-line names: line breaks and tabs become spaces, runs of spaces collapse', async () => {
    const dog = await addClass('dog');
    expect(await renameClass(dog.id, ' big\n\tdog  ')).toBe(true);
    expect(names()).toEqual(['big dog']);
    await loadProject();
    expect(names()).toEqual(['big dog']);
  });

  it('refuses a name that is another class name once normalised, and ignores a blank one', async () => {
    await addClass('cat');
    const dog = await addClass('dog');
    expect(await renameClass(dog.id, 'cat\n')).toBe(false);
    expect(await renameClass(dog.id, '\n\t ')).toBe(true);
    expect(names()).toEqual(['cat', 'dog']);
  });
});
