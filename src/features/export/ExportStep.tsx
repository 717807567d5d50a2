import { useState } from 'react';
import { StepHeader } from '../../ui/StepHeader';
import { useTrainingStore } from '../../store/training-store';
import { downloadModelFiles, downloadModelZip } from './export-actions';
import { downloadOnnxZip } from './onnx-actions';
import { OpenModel } from './OpenModel';
import { useOpenedModelStore } from './opened-model-store';
import { downloadTfliteFiles, downloadTfliteZip, tfliteBlocker } from './tflite-actions';
import { TfliteInt8 } from './TfliteInt8';

/** Step 4: download the model as TensorFlow.js files or TensorFlow Lite, or open one. */
export function ExportStep() {
  const model = useTrainingStore((s) => s.model);
  const opened = useOpenedModelStore((s) => s.opened);
  const [error, setError] = useState<string | null>(null);
  const [converting, setConverting] = useState(false);
  const run = (f: () => Promise<void>) => () => {
    setError(null);
    f().catch((e: unknown) => setError((e as Error).message));
  };
  const tflite = () => {
    setConverting(true);
    return downloadTfliteZip().finally(() => setConverting(false));
  };
  const onnx = () => {
    setConverting(true);
    return downloadOnnxZip().finally(() => setConverting(false));
  };
  const tfliteFiles = () => {
    setConverting(true);
    return downloadTfliteFiles().finally(() => setConverting(false));
  };
  const usingOpened = opened !== null && opened.model === model;
  const blocker = model ? tfliteBlocker(model.backboneId, usingOpened) : null;
  return (
    <section className="panel step" aria-labelledby="export-title">
      <StepHeader num={4} title="Export" id="export-title">
        <p className="hint">TensorFlow.js files that load with tf.loadLayersModel, in the browser or Node; TensorFlow Lite for Android, MediaPipe and Python; or ONNX.</p>
      </StepHeader>
      {model ? (
        <>
          <div className="actions actions--start">
            <button type="button" className="button" data-testid="download-model" onClick={run(downloadModelZip)}>
              Download model (.zip)
            </button>
            <button type="button" className="button button--ghost" data-testid="download-model-files" onClick={run(downloadModelFiles)}>
              Download as separate files
            </button>
            <button
              type="button"
              className="button button--ghost"
              data-testid="download-tflite"
              aria-describedby="tflite-note"
              disabled={blocker !== null || converting}
              onClick={run(tfliteFiles)}
            >
              {converting ? 'Converting…' : 'TensorFlow Lite (.tflite + labels)'}
            </button>
            <button
              type="button"
              className="button button--ghost"
              data-testid="download-tflite-zip"
              disabled={blocker !== null || converting}
              onClick={run(tflite)}
            >
              {converting ? 'Converting…' : 'TensorFlow Lite (.zip with README)'}
            </button>
            <button
              type="button"
              className="button button--ghost"
              data-testid="download-onnx"
              disabled={blocker !== null || converting}
              onClick={run(onnx)}
            >
              {converting ? 'Converting…' : 'ONNX (.zip with README)'}
            </button>
          </div>
          <p className="hint" id="tflite-note" data-testid="tflite-note">
            {blocker ??
              'TensorFlow Lite: model.tflite (float32, backbone and head as one graph from a 224x224 image to probabilities) with labels.txt, converted in this tab; its metadata (input normalization, labels) lets MediaPipe Tasks and the Android Task Library use it as is. ONNX: the same graph as model.onnx (opset 13) for onnxruntime.'}
          </p>
          {!blocker && <TfliteInt8 canCheck={!usingOpened && model.validationImageIds.length > 0} canCalibrate={!usingOpened} />}
        </>
      ) : (
        <p className="empty">Train a model first; then download it here as model.json, weights.bin and metadata.json, or as TensorFlow Lite.</p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <OpenModel />
    </section>
  );
}
