import { strToU8, zipSync } from 'fflate';
import { engine } from '../../engine/connection';
import { getBackboneSpec } from '../../ml/backbones/catalog';
import { downloadBlob } from '../../platform/download';
import { useTrainingStore } from '../../store/training-store';
import { ensureModelBackbone } from '../prediction/predict-actions';
import { labelsTxt } from './labels-txt';
import { modelCard, photoCountsOf } from './model-card';
import { useProjectStore } from '../../store/project-store';
import { onnxReadme } from './onnx-readme';
import { activeOpenedModel } from './open-model-actions';
import { tfliteBlocker } from './tflite-actions';

/** Why the model in use cannot be exported to ONNX (the same graph as TensorFlow Lite), or null. */
export function onnxBlocker(backboneId: string, opened: boolean): string | null {
  return tfliteBlocker(backboneId, opened)?.replace('TensorFlow Lite export', 'ONNX export') ?? null;
}

/** model.onnx, labels.txt and README.txt, by name. */
export async function buildOnnxFiles(): Promise<Record<string, Uint8Array>> {
  const model = useTrainingStore.getState().model;
  if (!model) throw new Error('Train a model first.');
  const opened = activeOpenedModel();
  const blocker = onnxBlocker(model.backboneId, opened !== null);
  if (blocker) throw new Error(blocker);
  if (!opened) await ensureModelBackbone();
  const bytes = await (await engine()).exportOnnx([...model.classNames]);
  const spec = getBackboneSpec(model.backboneId);
  const label = opened ? `opened from ${opened.bundle.label}` : `${spec.label} (${spec.id}) + dense head`;
  const range = opened ? opened.metadata.inputRange : spec.inputRange;
  const card: Record<string, Uint8Array> = opened ? {} : { 'MODEL_CARD.md': strToU8(modelCard({ model, photoCounts: photoCountsOf(useProjectStore.getState().images), format: 'ONNX (model.onnx, opset 13, float32) + labels.txt' })) };
  return {
    ...card,
    'model.onnx': bytes,
    'labels.txt': strToU8(labelsTxt(model.classNames)),
    'README.txt': strToU8(onnxReadme(label, model.classNames, range)),
  };
}

/** Downloads the ONNX model with its labels and README as one zip. */
export async function downloadOnnxZip(): Promise<void> {
  const files = await buildOnnxFiles();
  downloadBlob(new Blob([zipSync(files, { level: 6 }) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'transfer-studio-model-onnx.zip');
}
