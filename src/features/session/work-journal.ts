/**
 * A journal of long work in flight (import, embedding, training), kept in localStorage because it
 * is written synchronously: a reload or a crashed tab leaves the entry behind, and the next load
 * tells the person what was interrupted and what of it was kept (IndexedDB holds the finished part).
 */
export type WorkKind = 'import' | 'embedding' | 'training' | 'finetuning';

export interface WorkEntry {
  kind: WorkKind;
  /** Photos in the project when the work started (for "N of M were saved"). */
  imagesBefore: number;
  /** Photos the import was adding, or images being embedded / trained on. */
  total: number;
  startedAt: number;
}

const KEY = 'transfer-studio:work-in-flight';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled: the journal is a courtesy, never a failure
  }
}

function read(): WorkEntry[] {
  try {
    const raw = storage()?.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    return [];
  }
}

function write(entries: WorkEntry[]): void {
  try {
    if (entries.length) storage()?.setItem(KEY, JSON.stringify(entries));
    else storage()?.removeItem(KEY);
  } catch {
    // quota or disabled storage: nothing to do
  }
}

function isEntry(x: unknown): x is WorkEntry {
  const e = x as Partial<WorkEntry> | null;
  return !!e && (e.kind === 'import' || e.kind === 'embedding' || e.kind === 'training' || e.kind === 'finetuning') && typeof e.total === 'number' && typeof e.imagesBefore === 'number';
}

/** Notes that `kind` has started (replacing an older entry of the same kind). */
export function workStarted(kind: WorkKind, imagesBefore: number, total: number): void {
  write([...read().filter((e) => e.kind !== kind), { kind, imagesBefore, total, startedAt: Date.now() }]);
}

/** Notes that `kind` has ended, however it ended (done, stopped, failed). */
export function workEnded(kind: WorkKind): void {
  write(read().filter((e) => e.kind !== kind));
}

/** The work a previous page left unfinished; clears the journal. Call once at start-up. */
export function takeInterruptedWork(): WorkEntry[] {
  const entries = read();
  write([]);
  return entries;
}

/** What to tell the person about one interrupted piece of work, given the project as it came back. */
export function describeInterrupted(entry: WorkEntry, imagesNow: number, hasModel: boolean): string {
  switch (entry.kind) {
    case 'import': {
      const saved = Math.max(0, Math.min(entry.total, imagesNow - entry.imagesBefore));
      return `The page was closed during an import: ${saved} of ${entry.total} photos were saved. Add the same folder again to bring in the rest; photos already added are skipped.`;
    }
    case 'embedding':
      return `The page was closed while computing features for ${entry.total} photos. Those finished are kept; press Train to go on from there.`;
    case 'training':
      return hasModel
        ? 'The page was closed during training. The model from before is kept; press Train to run the training again.'
        : 'The page was closed during training. Its features are kept, so pressing Train runs it again quickly.';
    case 'finetuning':
      return 'The page was closed during fine-tuning. Nothing of that fine-tune was kept: the model from before it is back. Press Fine-tune to run it again.';
  }
}
