import { strToU8, zipSync } from 'fflate';
import { engine } from '../../engine/connection';
import { getBackboneSpec } from '../../ml/backbones/catalog';
import { downloadBlob } from '../../platform/download';
import { useTrainingStore } from '../../store/training-store';
import * as repo from '../dataset/project-repo';
import { ensureModelBackbone } from '../prediction/predict-actions';
import { labelsTxt } from './labels-txt';
import { modelCard, photoCountsOf } from './model-card';
import { useProjectStore } from '../../store/project-store';
import { activeOpenedModel } from './open-model-actions';
import { tfliteReadme } from './tflite-readme';

/** Why the model in use cannot be exported to TensorFlow Lite, or null when it can. */
export function tfliteBlocker(backboneId: string, opened: boolean): string | null {
  if (opened) return null;
  const spec = getBackboneSpec(backboneId);
  return spec.format === 'layers'
    ? null
    : `TensorFlow Lite export needs a layers backbone; ${spec.label} is a TF-Hub graph model. Pick another backbone in step 2 and train again.`;
}

/** model.tflite, labels.txt and README.txt, by name; with `int8Weights`, the weights are int8. */
export async function buildTfliteFiles(int8Weights = false): Promise<Record<string, Uint8Array>> {
  const model = useTrainingStore.getState().model;
  if (!model) throw new Error('Train a model first.');
  const opened = activeOpenedModel();
  const blocker = tfliteBlocker(model.backboneId, opened !== null);
  if (blocker) throw new Error(blocker);
  if (!opened) await ensureModelBackbone();
  const bytes = await (await engine()).exportTflite([...model.classNames], { int8Weights });
  const spec = getBackboneSpec(model.backboneId);
  const label = `${opened ? `opened from ${opened.bundle.label}` : `${spec.label} (${spec.id}) + dense head`}${int8Weights ? ', int8 weights' : ''}`;
  const range = opened ? opened.metadata.inputRange : spec.inputRange;
  const card: Record<string, Uint8Array> = opened ? {} : { 'MODEL_CARD.md': strToU8(modelCard({ model, photoCounts: photoCountsOf(useProjectStore.getState().images), format: `TensorFlow Lite (model.tflite${int8Weights ? ', int8 weights' : ', float32'}, with Model Metadata) + labels.txt` })) };
  return {
    ...card,
    'model.tflite': bytes,
    'labels.txt': strToU8(labelsTxt(model.classNames)),
    'README.txt': strToU8(tfliteReadme(label, model.classNames, range, int8Weights)),
  };
}

/** Downloads model.tflite and labels.txt as two files (what Android's assets/ folder takes as they are). */
export async function downloadTfliteFiles(): Promise<void> {
  const files = await buildTfliteFiles(false);
  for (const name of ['model.tflite', 'labels.txt']) {
    const data = files[name];
    if (data) downloadBlob(new Blob([data as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), name);
  }
}

/** Downloads the TensorFlow Lite model as one zip. */
export async function downloadTfliteZip(int8Weights = false): Promise<void> {
  const files = await buildTfliteFiles(int8Weights);
  const name = int8Weights ? 'transfer-studio-model-tflite-int8.zip' : 'transfer-studio-model-tflite.zip';
  downloadBlob(new Blob([zipSync(files, { level: 6 }) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), name);
}

/** Accuracy of the float model and of its int8-weights TFLite version on the same validation photos. */
export interface Int8Check {
  photos: number;
  floatAccuracy: number;
  int8Accuracy: number;
  /** Share of photos where both give the same top class. */
  agreement: number;
}

const CHECK_BATCH = 8;

/**
 * Runs the int8-weights TFLite graph on the validation split's training copies (the photos the
 * float model was evaluated on) and compares: both accuracies over the photos still stored.
 */
export async function checkInt8Accuracy(onProgress: (done: number, total: number) => void): Promise<Int8Check> {
  const model = useTrainingStore.getState().model;
  if (!model || activeOpenedModel()) throw new Error('Train a model first: the check uses its validation split.');
  const ids = model.validationImageIds;
  if (ids.length === 0) throw new Error('This model has no validation photos to check on.');
  await ensureModelBackbone();
  const api = await engine();
  const k = model.classIds.length;
  let photos = 0;
  let floatRight = 0;
  let int8Right = 0;
  let same = 0;
  for (let start = 0; start < ids.length; start += CHECK_BATCH) {
    const batch = ids.slice(start, start + CHECK_BATCH).map((id, j) => {
      const cut = id.lastIndexOf(':');
      return { truth: model.classIds.indexOf(id.slice(0, cut)), hash: id.slice(cut + 1), floatPredicted: model.validationPredicted[start + j] ?? -1 };
    });
    const blobs = await repo.getPixelsMany(batch.map((b) => b.hash));
    const present = batch.filter((b, j) => blobs[j] && b.truth >= 0);
    const probs = present.length ? await api.predictTfliteInt8(blobs.filter((b, j): b is Blob => !!b && (batch[j]?.truth ?? -1) >= 0)) : new Float32Array(0);
    present.forEach((b, j) => {
      const row = Array.from(probs.subarray(j * k, (j + 1) * k));
      const predicted = row.reduce((best, v, i) => (v > (row[best] ?? -Infinity) ? i : best), 0);
      photos++;
      if (predicted === b.truth) int8Right++;
      if (b.floatPredicted === b.truth) floatRight++;
      if (predicted === b.floatPredicted) same++;
    });
    onProgress(Math.min(start + CHECK_BATCH, ids.length), ids.length);
  }
  if (photos === 0) throw new Error('None of the validation photos is stored any more.');
  return { photos, floatAccuracy: floatRight / photos, int8Accuracy: int8Right / photos, agreement: same / photos };
}
