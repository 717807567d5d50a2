import { strToU8, zipSync } from 'fflate';
import { engine } from '../../engine/connection';
import { getBackboneSpec } from '../../ml/backbones/catalog';
import { downloadBlob } from '../../platform/download';
import { useTrainingStore } from '../../store/training-store';
import { ensureModelBackbone } from '../prediction/predict-actions';
import { buildMetadata } from './metadata';
import { modelCard, photoCountsOf } from './model-card';
import { useProjectStore } from '../../store/project-store';
import { activeOpenedModel } from './open-model-actions';
import type { ModelBundle } from './model-bundle';
import { exportReadme } from './readme-text';

/** The exported model's files, by name. */
export async function buildExportFiles(): Promise<Record<string, Uint8Array>> {
  const opened = activeOpenedModel();
  if (opened) return openedFiles(opened.bundle);
  const model = useTrainingStore.getState().model;
  if (!model) throw new Error('Train a model first.');
  await ensureModelBackbone();
  const files = await (await engine()).exportModel();
  const joined = getBackboneSpec(model.backboneId).format === 'layers';
  return {
    'model.json': strToU8(files.modelJson),
    'weights.bin': new Uint8Array(files.weights),
    'metadata.json': strToU8(JSON.stringify(buildMetadata(model, joined), null, 2)),
    'README.txt': strToU8(exportReadme(model.backboneId, model.classNames)),
    'MODEL_CARD.md': strToU8(modelCard({ model, photoCounts: photoCountsOf(useProjectStore.getState().images), format: 'TensorFlow.js layers model (model.json + weights.bin) with metadata.json' })),
  };
}

/** An opened model's files as they came (weights joined into one weights.bin). */
function openedFiles(bundle: ModelBundle): Record<string, Uint8Array> {
  const json = JSON.parse(bundle.modelJson) as { weightsManifest: { paths: string[]; weights: unknown[] }[] };
  json.weightsManifest = [{ paths: ['weights.bin'], weights: json.weightsManifest.flatMap((g) => g.weights) }];
  return {
    'model.json': strToU8(JSON.stringify(json)),
    'weights.bin': new Uint8Array(bundle.weights),
    ...(bundle.metadataJson ? { 'metadata.json': strToU8(bundle.metadataJson) } : {}),
  };
}

/** Downloads the model as one zip. */
export async function downloadModelZip(): Promise<void> {
  const files = await buildExportFiles();
  downloadBlob(new Blob([zipSync(files, { level: 6 }) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'transfer-studio-model.zip');
}

/** Downloads model.json, weights.bin and metadata.json as separate files. */
export async function downloadModelFiles(): Promise<void> {
  const files = await buildExportFiles();
  for (const name of ['model.json', 'weights.bin', 'metadata.json']) {
    const data = files[name];
    if (data) downloadBlob(new Blob([data as Uint8Array<ArrayBuffer>]), name);
  }
}
