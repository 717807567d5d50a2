import { toErrorInfo, type ErrorInfo } from '../../lib/errors';
import type { TrainedModel } from '../../store/training-store';
import * as repo from '../dataset/project-repo';

/** Tries to store the model; once more after a failure (a transaction aborted by another tab, a busy disk). */
const SAVE_ATTEMPTS = 2;

/**
 * Stores the trained (or fine-tuned) model in IndexedDB so a reload keeps it. Resolves with null
 * when it was saved, or with the `save-failed` error to show (the model stays in use on this page;
 * only a reload would lose it).
 */
export async function saveModel(model: TrainedModel): Promise<ErrorInfo | null> {
  let last: unknown = null;
  for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
    try {
      await repo.putMeta('model', model);
      return null;
    } catch (error) {
      last = error;
    }
  }
  const cause = toErrorInfo(last);
  const why = cause.code === 'quota-exceeded' ? 'the browser has no storage space left' : cause.message;
  return { code: 'save-failed', message: why };
}
