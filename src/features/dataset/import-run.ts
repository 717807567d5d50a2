import { engine, replaceEngine } from '../../engine/connection';
import { toErrorInfo } from '../../lib/errors';
import { SKIP_REASON_TEXT } from '../../platform/file-sniff';
import { imageId } from '../../platform/project-db';
import type { ImageInfo, ProjectState, SkippedInfo } from '../../store/project-store';
import { workEnded, workStarted } from '../session/work-journal';
import type { ImportedFile } from '../../worker/ml-api';
import type { ImportPlan, PlannedFile } from './import-plan';
import * as repo from './project-repo';
import { get, refreshDuplicates, reportError, set } from './project-sync';

/** Photos in flight at once (checked and decoded in the worker): enough to keep it busy, few enough to bound memory. */
export const IMPORT_CONCURRENCY = 8;
/** Images written to IndexedDB per transaction. */
const FLUSH_EVERY = 32;
/**
 * Shortest time between two progress updates: every update is a repaint, and without a GPU (a
 * software compositor) a repaint of the page costs tens of milliseconds of a core that the import
 * needs (200 ms before; hiding the page took a 300-photo import from ~2.9 to ~2.4 s here).
 */
const PROGRESS_MS = 500;
/** Shortest time between two updates of the listed photos (each re-renders the class cards that grew). */
const LIST_MS = 1000;

/** How an import reports itself. */
export interface ImportOptions {
  /** No progress bar, and skipped files join the current list instead of replacing it (webcam frames). */
  quiet?: boolean;
}

let queue: Promise<void> = Promise.resolve();

/** Runs imports one after another, so duplicate checks and progress never interleave. */
export function runImport(plan: ImportPlan, classIds: ReadonlyMap<string, string>, options: ImportOptions = {}): Promise<void> {
  const run = queue.then(() => importNow(plan, classIds, options));
  queue = run.catch(() => undefined);
  return run;
}

function skipReasonOf(error: unknown): { reason: SkippedInfo['reason']; detail: string } {
  const info = toErrorInfo(error);
  // The engine failed twice with this photo in flight: not known to be corrupt, just not imported.
  if (info.code === 'worker-failed') return { reason: 'not-saved', detail: `Not saved: the engine stopped while reading it (${info.message}). Add it again.` };
  const reason = info.code === 'too-large' ? 'too-large' : info.code === 'empty-file' ? 'empty' : 'corrupt';
  return { reason, detail: info.message };
}

/**
 * The engine's import step for one file. When the worker dies meanwhile (whichever photo it was
 * reading), the file is tried once more on the fresh engine instead of being listed as corrupt.
 */
async function importWithRecovery(file: Blob, name: string): Promise<ImportedFile> {
  const api = await engine();
  try {
    return await api.importFile(file, name);
  } catch (error) {
    if (toErrorInfo(error).code !== 'worker-failed') throw error;
    const fresh = await replaceEngine(api, `import: ${(error as Error).message}; the photos in flight were tried again`);
    return fresh.importFile(file, name);
  }
}

async function importNow(plan: ImportPlan, classIds: ReadonlyMap<string, string>, { quiet = false }: ImportOptions): Promise<void> {
  const skipped: SkippedInfo[] = [...(quiet ? get().skipped : []), ...plan.skipped];
  const items = plan.planned;
  const total = items.length;
  if (!quiet) set({ importing: { done: 0, total }, skipped, storageError: null });
  if (!quiet) workStarted('import', get().images.length, total);
  // "Saving…" from the first photo to the last write, not once per batch.
  const releaseWrites = repo.holdWrites();
  const known = new Set(get().images.map((im) => im.id));
  const pending: repo.ImageToStore[] = [];
  const notSaved: string[] = [];
  let failed = false;
  let cursor = 0;
  let done = 0;
  let lastTick = performance.now();
  let lastListed = lastTick;
  let shownSkipped = skipped.length;
  let finished = false;
  /** Saved in IndexedDB, not yet in the store's list (published at most every LIST_MS, and at the end). */
  let saved: ImageInfo[] = [];
  const listSaved = (): Partial<ProjectState> => {
    if (saved.length === 0) return {};
    const images = [...get().images, ...saved];
    saved = [];
    lastListed = performance.now();
    return { images };
  };

  const stop = (error: unknown, paths: readonly string[]) => {
    if (!failed) reportError(error);
    failed = true;
    notSaved.push(...paths);
  };

  const flush = async () => {
    const batch = pending.splice(0, pending.length);
    if (batch.length === 0) return;
    try {
      await repo.putImages(batch);
      saved.push(...batch.map((b) => b.image));
      if (quiet) set(listSaved());
    } catch (error) {
      for (const b of batch) known.delete(b.image.id);
      stop(error, batch.map((b) => b.image.path));
    }
  };

  const importOne = async (item: PlannedFile, importFile: (file: Blob, name: string) => Promise<ImportedFile>) => {
    const classId = classIds.get(item.className);
    if (classId === undefined) return;
    try {
      // Checked and prepared in the engine (a worker): this thread only schedules and stores.
      const imported = await importFile(item.file, item.file.name);
      if (!imported.ok) {
        skipped.push({ path: item.path, reason: imported.reason, detail: imported.detail });
        return;
      }
      const id = imageId(classId, imported.hash);
      if (known.has(id)) {
        skipped.push({ path: item.path, reason: 'duplicate', detail: SKIP_REASON_TEXT.duplicate });
        return;
      }
      known.add(id);
      pending.push({ image: { id, hash: imported.hash, classId, path: item.path, name: item.file.name }, jpeg: imported.jpeg, width: imported.width, height: imported.height });
    } catch (error) {
      skipped.push({ path: item.path, ...skipReasonOf(error) });
    }
  };

  /** A throttled update still lands: one slow photo (the others done) must not leave a stale count on screen. */
  let trailing: ReturnType<typeof setTimeout> | undefined;
  const tickLater = (ms: number) => {
    trailing ??= setTimeout(() => {
      trailing = undefined;
      if (!finished) tick();
    }, ms);
  };
  const tick = () => {
    if (quiet) return;
    const now = performance.now();
    if (now - lastTick < PROGRESS_MS && done < total) {
      tickLater(PROGRESS_MS - (now - lastTick));
      return;
    }
    lastTick = now;
    const patch = shownSkipped === skipped.length ? {} : { skipped: [...skipped] };
    shownSkipped = skipped.length;
    set({ importing: { done, total }, ...patch, ...(now - lastListed >= LIST_MS ? listSaved() : {}) });
    // Saved photos not yet listed: list them once LIST_MS has passed, even if no photo finishes by then.
    if (saved.length > 0) tickLater(LIST_MS - (now - lastListed));
  };

  try {
    await engine();
    const lane = async () => {
      while (!failed && cursor < total) {
        const item = items[cursor++];
        if (item) await importOne(item, importWithRecovery);
        done++;
        if (!failed && pending.length >= FLUSH_EVERY) await flush();
        tick();
      }
    };
    await Promise.all(Array.from({ length: Math.min(IMPORT_CONCURRENCY, Math.max(total, 1)) }, lane));
    if (!failed) await flush();
  } catch (error) {
    stop(error, []);
  } finally {
    finished = true;
    clearTimeout(trailing);
    releaseWrites();
    if (failed) {
      // Photos prepared but not written, and photos never reached: listed, so nothing is silently missing.
      const left = [...pending.splice(0).map((p) => p.image.path), ...items.slice(cursor).map((p) => p.path)];
      const detail = 'Not saved: the import stopped early (see the message above)';
      for (const path of [...notSaved, ...left]) skipped.push({ path, reason: 'not-saved', detail });
    }
    set({ skipped: [...skipped], ...listSaved(), ...(quiet ? {} : { importing: null }) });
    if (!quiet) workEnded('import');
    refreshDuplicates();
  }
}
