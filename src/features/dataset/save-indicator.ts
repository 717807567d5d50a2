import { pendingWrites, subscribeWrites } from './project-repo';

/** How long no write must be pending before the page says everything is saved. */
export const SETTLE_MS = 400;

/**
 * The Data step's "Saving…" / "Saved in this browser": saving from the moment a write is pending
 * until none has been for `settleMs`. It never says saved while a write is pending, and a job that
 * writes a batch every few hundred milliseconds (an import, embeddings being cached) shows one
 * "Saving…" instead of flipping twice per batch: each flip was a repaint, and without a GPU a
 * repaint costs tens of milliseconds of a core the job needs.
 */
export function createSaveIndicator(settleMs = SETTLE_MS): { subscribe: (listener: () => void) => () => void; saving: () => boolean } {
  const listeners = new Set<() => void>();
  let saving = pendingWrites() > 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = (next: boolean) => {
    if (next === saving) return;
    saving = next;
    listeners.forEach((l) => l());
  };
  subscribeWrites(() => {
    if (pendingWrites() > 0) {
      clearTimeout(timer);
      timer = undefined;
      show(true);
    } else if (timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        if (pendingWrites() === 0) show(false);
      }, settleMs);
    }
  });
  return {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    saving: () => saving,
  };
}

/** The page's one indicator. */
export const saveIndicator = createSaveIndicator();
