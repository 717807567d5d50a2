import { toErrorInfo } from '../../lib/errors';
import { useProjectStore } from '../../store/project-store';
import { findDuplicates } from './import-plan';

/** Writes to the project store. */
export const set = useProjectStore.setState;
/** Reads the project store. */
export const get = useProjectStore.getState;

/** Shows a storage (or other import) failure above the classes; the project in memory is left as it is. */
export function reportError(error: unknown): void {
  set({ storageError: toErrorInfo(error) });
}

/** Recomputes the groups of identical photos (same bytes) after images were added, moved or removed. */
export function refreshDuplicates(): void {
  const groups = findDuplicates(get().images.map((im) => ({ hash: im.hash, classId: im.classId, path: im.path })));
  set({
    duplicates: groups.map((g) => ({
      hash: g.hash,
      paths: g.items.map((i) => i.path),
      classIds: g.items.map((i) => i.classId),
      crossClass: g.crossClass,
    })),
  });
}
