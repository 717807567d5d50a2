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
import { tfliteReadme, type TfliteVariant } from './tflite-readme';
import type { TrainedModel } from '../../store/training-store';
import type { ImageInfo } from '../../store/project-store';

/** Why the model in use cannot be exported to TensorFlow Lite, or null when it can. */
export function tfliteBlocker(backboneId: string, opened: boolean): string | null {
  if (opened) return null;
  const spec = getBackboneSpec(backboneId);
  return spec.format === 'layers'
    ? null
    : `TensorFlow Lite export needs a layers backbone; ${spec.label} is a TF-Hub graph model. Pick another backbone in step 2 and train again.`;
}

const VARIANT_LABEL: Record<TfliteVariant, string> = { float: 'float32', 'int8-weights': 'int8 weights', 'full-int8': 'full integer int8' };

/** model.tflite, labels.txt and README.txt, by name, of one variant (full-int8 calibrates first). */
export async function buildTfliteFiles(variant: TfliteVariant = 'float', onProgress?: Progress): Promise<Record<string, Uint8Array>> {
  const model = useTrainingStore.getState().model;
  if (!model) throw new Error('Train a model first.');
  const opened = activeOpenedModel();
  const blocker = tfliteBlocker(model.backboneId, opened !== null);
  if (blocker) throw new Error(blocker);
  if (opened && variant === 'full-int8') throw new Error('The full-integer model calibrates on training photos: it is for a model trained here, not an opened one.');
  if (!opened) await ensureModelBackbone();
  const photos = variant === 'full-int8' ? await ensureFullInt8Calibration(model, onProgress) : 0;
  const bytes = await (await engine()).exportTflite([...model.classNames], { int8Weights: variant === 'int8-weights', fullInt8: variant === 'full-int8' });
  const spec = getBackboneSpec(model.backboneId);
  const label = `${opened ? `opened from ${opened.bundle.label}` : `${spec.label} (${spec.id}) + dense head`}${variant === 'float' ? '' : `, ${VARIANT_LABEL[variant]}`}`;
  const range = opened ? opened.metadata.inputRange : spec.inputRange;
  const card: Record<string, Uint8Array> = opened ? {} : { 'MODEL_CARD.md': strToU8(modelCard({ model, photoCounts: photoCountsOf(useProjectStore.getState().images), format: `TensorFlow Lite (model.tflite, ${VARIANT_LABEL[variant]}, with Model Metadata) + labels.txt` })) };
  return {
    ...card,
    'model.tflite': bytes,
    'labels.txt': strToU8(labelsTxt(model.classNames)),
    'README.txt': strToU8(tfliteReadme(label, model.classNames, range, variant, photos)),
  };
}

type Progress = (done: number, total: number) => void;

/** How many training photos the full-integer model calibrates on (TFLite suggests 100 to 500). */
export const CALIBRATION_PHOTOS = 100;
const CALIBRATION_BATCH = 8;

/**
 * The photos the full-integer calibration runs on: the model's training split (never its
 * validation photos, which measure it), taken in turn from each class in import order, at most `max`.
 */
export function calibrationHashes(model: Pick<TrainedModel, 'classIds' | 'validationImageIds'>, images: readonly ImageInfo[], max = CALIBRATION_PHOTOS): string[] {
  const validation = new Set(model.validationImageIds);
  const perClass = model.classIds.map((c) => images.filter((im) => im.classId === c && !validation.has(im.id)));
  const out: string[] = [];
  for (let k = 0; out.length < max && perClass.some((list) => k < list.length); k++) {
    for (const list of perClass) {
      const im = list[k];
      if (im && out.length < max) out.push(im.hash);
    }
  }
  return out;
}

/** Calibrates the engine's full-integer ranges for the current model unless it already has; returns the photos used. */
async function ensureFullInt8Calibration(model: TrainedModel, onProgress?: Progress): Promise<number> {
  const api = await engine();
  const known = await api.fullInt8Calibration();
  if (known > 0) return known;
  const hashes = calibrationHashes(model, useProjectStore.getState().images);
  let photos = 0;
  for (let start = 0; start < hashes.length; start += CALIBRATION_BATCH) {
    const blobs = (await repo.getPixelsMany(hashes.slice(start, start + CALIBRATION_BATCH))).filter((b): b is Blob => !!b);
    if (blobs.length) photos = await api.calibrateFullInt8(blobs, photos === 0);
    onProgress?.(Math.min(start + CALIBRATION_BATCH, hashes.length), hashes.length);
  }
  if (photos === 0) throw new Error('The full-integer model calibrates on your training photos, and none is stored: import photos and train again.');
  return photos;
}

/** Downloads model.tflite and labels.txt as two files (what Android's assets/ folder takes as they are). */
export async function downloadTfliteFiles(): Promise<void> {
  const files = await buildTfliteFiles('float');
  for (const name of ['model.tflite', 'labels.txt']) {
    const data = files[name];
    if (data) downloadBlob(new Blob([data as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), name);
  }
}

const ZIP_NAME: Record<TfliteVariant, string> = {
  float: 'transfer-studio-model-tflite.zip',
  'int8-weights': 'transfer-studio-model-tflite-int8.zip',
  'full-int8': 'transfer-studio-model-tflite-full-int8.zip',
};

/** Downloads the TensorFlow Lite model as one zip. */
export async function downloadTfliteZip(variant: TfliteVariant = 'float', onProgress?: Progress): Promise<void> {
  const files = await buildTfliteFiles(variant, onProgress);
  const name = ZIP_NAME[variant];
  downloadBlob(new Blob([zipSync(files, { level: 6 }) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), name);
}

/** Accuracy of the float model and of its int8 TFLite versions on the same validation photos. */
export interface Int8Check {
  photos: number;
  floatAccuracy: number;
  int8Accuracy: number;
  /** Share of photos where float and int8 weights give the same top class. */
  agreement: number;
  /** The full-integer model (calibrated on `calibrationPhotos` training photos). */
  fullInt8Accuracy: number;
  fullAgreement: number;
  calibrationPhotos: number;
}

const CHECK_BATCH = 8;

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}

/**
 * Calibrates the full-integer model if needed, then runs both int8 TFLite graphs on the
 * validation split's training copies (the photos the float model was evaluated on) and compares
 * the three accuracies over the photos still stored. `onProgress` says the phase.
 */
export async function checkInt8Accuracy(onProgress: (phase: 'calibrating' | 'checking', done: number, total: number) => void): Promise<Int8Check> {
  const model = useTrainingStore.getState().model;
  if (!model || activeOpenedModel()) throw new Error('Train a model first: the check uses its validation split.');
  const ids = model.validationImageIds;
  if (ids.length === 0) throw new Error('This model has no validation photos to check on.');
  await ensureModelBackbone();
  const calibrationPhotos = await ensureFullInt8Calibration(model, (d, t) => onProgress('calibrating', d, t));
  const api = await engine();
  const k = model.classIds.length;
  let photos = 0;
  const right = { float: 0, int8: 0, full: 0 };
  const same = { int8: 0, full: 0 };
  for (let start = 0; start < ids.length; start += CHECK_BATCH) {
    const batch = ids.slice(start, start + CHECK_BATCH).map((id, j) => {
      const cut = id.lastIndexOf(':');
      return { truth: model.classIds.indexOf(id.slice(0, cut)), hash: id.slice(cut + 1), floatPredicted: model.validationPredicted[start + j] ?? -1 };
    });
    const blobs = await repo.getPixelsMany(batch.map((b) => b.hash));
    const present = batch.filter((b, j) => blobs[j] && b.truth >= 0);
    const jpegs = blobs.filter((b, j): b is Blob => !!b && (batch[j]?.truth ?? -1) >= 0);
    const weights = present.length ? await api.predictTfliteInt8(jpegs, 'weights') : new Float32Array(0);
    const full = present.length ? await api.predictTfliteInt8(jpegs, 'full') : new Float32Array(0);
    present.forEach((b, j) => {
      const int8 = argmax(weights.subarray(j * k, (j + 1) * k));
      const whole = argmax(full.subarray(j * k, (j + 1) * k));
      photos++;
      if (b.floatPredicted === b.truth) right.float++;
      if (int8 === b.truth) right.int8++;
      if (whole === b.truth) right.full++;
      if (int8 === b.floatPredicted) same.int8++;
      if (whole === b.floatPredicted) same.full++;
    });
    onProgress('checking', Math.min(start + CHECK_BATCH, ids.length), ids.length);
  }
  if (photos === 0) throw new Error('None of the validation photos is stored any more.');
  return {
    photos,
    floatAccuracy: right.float / photos,
    int8Accuracy: right.int8 / photos,
    agreement: same.int8 / photos,
    fullInt8Accuracy: right.full / photos,
    fullAgreement: same.full / photos,
    calibrationPhotos,
  };
}
