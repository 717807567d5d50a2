import { useProjectStore } from '../../store/project-store';
import { useSessionStore } from '../../store/session-store';
import { useTrainingStore } from '../../store/training-store';
import { describeInterrupted, takeInterruptedWork, type WorkEntry } from './work-journal';

/** Reads (and clears) what the previous page left unfinished; call before any new work starts. */
export function collectInterruptedWork(): WorkEntry[] {
  return takeInterruptedWork();
}

/** Once the project and model are back from IndexedDB, tells the person what was interrupted. */
export function reportInterruptedWork(entries: readonly WorkEntry[]): void {
  if (entries.length === 0) return;
  const imagesNow = useProjectStore.getState().images.length;
  const hasModel = useTrainingStore.getState().model !== null;
  useSessionStore.setState({ interrupted: entries.map((e) => describeInterrupted(e, imagesNow, hasModel)) });
}
