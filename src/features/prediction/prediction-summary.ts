import { expectedClass, folderAccuracy } from './folder-accuracy';

/** One classified photo, as the summary needs it. */
export interface SummaryRow {
  path: string;
  status: 'pending' | 'done' | 'error';
  /** Top class index and its probability (done rows). */
  top: { classIndex: number; probability: number } | null;
}

/** What a folder of classified photos says about the model, before anyone scrolls the list. */
export interface PredictionSummary {
  total: number;
  pending: number;
  errors: number;
  /** Done rows whose top probability is below the threshold. */
  notSure: number;
  /** Done rows per top class (not-sure rows included: they still have a top class). */
  perClass: number[];
  /** Over done rows in folders named after a class: rows = that class, columns = the prediction. */
  folder: { labelled: number; correct: number; confusion: number[][] } | null;
}

/** Counts per predicted class, "not sure", errors, and the confusion against class-named folders. */
export function summarisePredictions(rows: readonly SummaryRow[], classNames: readonly string[], threshold: number): PredictionSummary {
  const k = classNames.length;
  const perClass = new Array<number>(k).fill(0);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let pending = 0;
  let errors = 0;
  let notSure = 0;
  for (const r of rows) {
    if (r.status === 'pending') pending++;
    if (r.status === 'error') errors++;
    if (r.status !== 'done' || !r.top || r.top.classIndex < 0 || r.top.classIndex >= k) continue;
    perClass[r.top.classIndex] = (perClass[r.top.classIndex] ?? 0) + 1;
    if (r.top.probability < threshold) notSure++;
    const expected = expectedClass(r.path, classNames);
    if (expected === null) continue;
    const row = confusion[classNames.indexOf(expected)];
    if (row) row[r.top.classIndex] = (row[r.top.classIndex] ?? 0) + 1;
  }
  // The accuracy is folderAccuracy's (the rule for "a folder named after a class" lives there).
  const done = rows.flatMap((r) => (r.status === 'done' && r.top ? [{ path: r.path, label: classNames[r.top.classIndex] ?? null }] : []));
  const { labelled, correct } = folderAccuracy(done, classNames);
  return { total: rows.length, pending, errors, notSure, perClass, folder: labelled > 0 ? { labelled, correct, confusion } : null };
}
