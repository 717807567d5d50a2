import { engine, replaceEngine, selectBackbone } from '../../engine/connection';
import { toErrorInfo } from '../../lib/errors';
import type { PathedFile } from '../../platform/folder-walk';
import { downloadBlob } from '../../platform/download';
import { useEngineStore } from '../../store/engine-store';
import { usePredictionStore, type PredictionRow } from '../../store/prediction-store';
import { useTrainingStore } from '../../store/training-store';
import { importIntoClass } from '../dataset/dataset-actions';
import { predictionsCsv } from './csv';

/** Photos sent to the engine per call. */
const CHUNK = 8;
let nextId = 1;

const set = usePredictionStore.setState;
const get = usePredictionStore.getState;

/** Makes sure the engine runs the backbone the model was trained on. */
export async function ensureModelBackbone(): Promise<void> {
  const model = useTrainingStore.getState().model;
  if (model && useEngineStore.getState().backboneId !== model.backboneId) {
    await selectBackbone(model.backboneId as Parameters<typeof selectBackbone>[0]);
  }
}

/** Ranks probabilities, best first. */
export function rank(probabilities: Float32Array): { classIndex: number; probability: number }[] {
  return Array.from(probabilities, (probability, classIndex) => ({ classIndex, probability })).sort((a, b) => b.probability - a.probability);
}

/** Applies changes to several rows in one store update (one render for a whole chunk, not one per photo). */
function patchMany(changes: ReadonlyMap<number, Partial<PredictionRow>>): void {
  if (changes.size === 0) return;
  set({ rows: get().rows.map((r) => {
    const change = changes.get(r.id);
    return change ? { ...r, ...change } : r;
  }) });
}

/** Predictions for some files; when the worker dies meanwhile, once more on the fresh engine (which has the model again). */
async function predictWithRecovery(files: Blob[]) {
  const api = await engine();
  try {
    return await api.predictFiles(files);
  } catch (error) {
    if (toErrorInfo(error).code !== 'worker-failed') throw error;
    return (await replaceEngine(api, `prediction: ${(error as Error).message}`)).predictFiles(files);
  }
}

/** Classifies photos (picked, dropped or a whole folder), adding one row per photo. */
export async function classifyFiles(files: readonly PathedFile[]): Promise<void> {
  // A row's preview (an object URL) is made when its chunk is classified, not all at once: each
  // URL.createObjectURL is a round trip to the browser, and 1,000 of them held the page for ~0.5 s.
  const added: PredictionRow[] = files.map(({ file, path }) => ({ id: nextId++, path, previewUrl: '', status: 'pending', ranked: [], file }));
  set({ rows: [...get().rows, ...added] });
  await ensureModelBackbone();
  for (let i = 0; i < added.length; i += CHUNK) {
    const chunk = added.slice(i, i + CHUNK);
    const previews = new Map(chunk.map((r) => [r.id, URL.createObjectURL(r.file)]));
    try {
      const results = await predictWithRecovery(chunk.map((r) => r.file));
      const changes = new Map<number, Partial<PredictionRow>>(chunk.map((r) => [r.id, { previewUrl: previews.get(r.id) ?? '' }]));
      chunk.forEach((row, j) => {
        const r = results[j];
        if (!r) return;
        const previewUrl = previews.get(row.id) ?? '';
        changes.set(row.id, r.ok ? { previewUrl, status: 'done', ranked: rank(r.probabilities) } : { previewUrl, status: 'error', error: r.error });
      });
      patchMany(changes);
    } catch (error) {
      const failed = toErrorInfo(error);
      patchMany(new Map(chunk.map((row) => [row.id, { previewUrl: previews.get(row.id) ?? '', status: 'error' as const, error: failed }])));
    }
    // Rows cleared while their chunk ran: their previews have no row to free them.
    const kept = new Set(get().rows.map((r) => r.id));
    previews.forEach((url, id) => kept.has(id) || URL.revokeObjectURL(url));
  }
}

/** Clears the prediction list. */
export function clearPredictions(): void {
  get().rows.forEach((r) => r.previewUrl && URL.revokeObjectURL(r.previewUrl));
  set({ rows: [] });
}

/** Downloads every row as CSV (`file,label,confidence`); unreadable photos get an empty confidence. */
export function downloadPredictionsCsv(): void {
  const names = useTrainingStore.getState().model?.classNames ?? [];
  const rows = get().rows.map((r) => {
    const top = r.ranked[0];
    return top ? { file: r.path, label: names[top.classIndex] ?? '', confidence: top.probability } : { file: r.path, label: r.error ? `error: ${r.error.message}` : '', confidence: null };
  });
  downloadBlob(new Blob([predictionsCsv(rows)], { type: 'text/csv' }), 'predictions.csv');
}

/** Adds a classified photo to a class, ready for the next training. */
export async function addToClass(row: PredictionRow, classId: string): Promise<void> {
  await importIntoClass(classId, [{ file: row.file, path: row.path }]);
}
