import { strToU8, zipSync } from 'fflate';
import { engine } from '../../app/engine';
import { getBackboneSpec } from '../../ml/backbones/catalog';
import { downloadBlob } from '../../platform/download';
import { useTrainingStore } from '../../store/training-store';
import { ensureModelBackbone } from '../prediction/predict-actions';
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

/** model.tflite, labels.txt and README.txt, by name. */
export async function buildTfliteFiles(): Promise<Record<string, Uint8Array>> {
  const model = useTrainingStore.getState().model;
  if (!model) throw new Error('Train a model first.');
  const opened = activeOpenedModel();
  const blocker = tfliteBlocker(model.backboneId, opened !== null);
  if (blocker) throw new Error(blocker);
  if (!opened) await ensureModelBackbone();
  const bytes = await (await engine()).exportTflite([...model.classNames]);
  const spec = getBackboneSpec(model.backboneId);
  const label = opened ? `opened from ${opened.bundle.label}` : `${spec.label} (${spec.id}) + dense head`;
  const range = opened ? opened.metadata.inputRange : spec.inputRange;
  return {
    'model.tflite': bytes,
    'labels.txt': strToU8(`${model.classNames.join('\n')}\n`),
    'README.txt': strToU8(tfliteReadme(label, model.classNames, range)),
  };
}

/** Downloads the TensorFlow Lite model as one zip. */
export async function downloadTfliteZip(): Promise<void> {
  const files = await buildTfliteFiles();
  downloadBlob(new Blob([zipSync(files, { level: 6 }) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'transfer-studio-model-tflite.zip');
}
