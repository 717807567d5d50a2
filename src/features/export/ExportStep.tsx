import { useState } from 'react';
import { getBackboneSpec } from '../../ml/backbones/catalog';
import { StepHeader } from '../../ui/StepHeader';
import { useTrainingStore } from '../../store/training-store';
import { downloadModelFiles, downloadModelZip } from './export-actions';
import { exportSnippet } from './export-snippets';
import { FormatRow } from './FormatRow';
import { downloadOnnxZip } from './onnx-actions';
import { useOpenedModelStore } from './opened-model-store';
import { downloadTfliteFiles, downloadTfliteZip, tfliteBlocker } from './tflite-actions';
import { TfliteInt8 } from './TfliteInt8';

/** Step 4: the model's export formats, one row each (what you get, download, how to load it). */
export function ExportStep() {
  const model = useTrainingStore((s) => s.model);
  const opened = useOpenedModelStore((s) => s.opened);
  const [error, setError] = useState<string | null>(null);
  const [converting, setConverting] = useState(false);
  const run = (f: () => Promise<void>) => () => {
    setError(null);
    f().catch((e: unknown) => setError((e as Error).message));
  };
  const converter = (f: () => Promise<void>) => () => {
    setConverting(true);
    return f().finally(() => setConverting(false));
  };
  const usingOpened = opened !== null && opened.model === model;
  const blocker = model ? tfliteBlocker(model.backboneId, usingOpened) : null;
  const range = usingOpened && opened ? opened.metadata.inputRange : model ? getBackboneSpec(model.backboneId).inputRange : ([-1, 1] as const);
  const convertLabel = (label: string) => (converting ? 'Converting…' : label);
  return (
    <section className="panel step" aria-labelledby="export-title">
      <StepHeader num={4} title="Export" id="export-title">
        <p className="hint">Pick a format: each row says what you get and how to load it. Everything is converted in this tab; nothing is uploaded.</p>
      </StepHeader>
      {model ? (
        <>
          <ul className="export-formats">
            <FormatRow
              id="tfjs"
              title="TensorFlow.js"
              what="model.json + weights.bin (backbone and head as one model), metadata.json with the labels, README.txt, MODEL_CARD.md. Loads with tf.loadLayersModel in the browser or Node."
              snippet={exportSnippet('tfjs', range)}
            >
              <button type="button" className="button" data-testid="download-model" onClick={run(downloadModelZip)}>
                Download .zip
              </button>
              <button type="button" className="button button--ghost" data-testid="download-model-files" onClick={run(downloadModelFiles)}>
                Separate files
              </button>
            </FormatRow>
            <FormatRow
              id="tflite"
              title="TensorFlow Lite"
              what={
                <span id="tflite-note" data-testid="tflite-note">
                  {blocker ??
                    'model.tflite (float32, one graph from a 224x224 image to probabilities) + labels.txt; its metadata (input normalization, labels) lets MediaPipe Tasks and the Android Task Library use it as is.'}
                </span>
              }
              snippet={blocker ? null : exportSnippet('tflite', range)}
            >
              <button type="button" className="button button--ghost" data-testid="download-tflite" aria-describedby="tflite-note" disabled={blocker !== null || converting} onClick={run(converter(downloadTfliteFiles))}>
                {convertLabel('.tflite + labels')}
              </button>
              <button type="button" className="button button--ghost" data-testid="download-tflite-zip" disabled={blocker !== null || converting} onClick={run(converter(() => downloadTfliteZip()))}>
                {convertLabel('.zip with README')}
              </button>
            </FormatRow>
            {!blocker && <TfliteInt8 canCheck={!usingOpened && model.validationImageIds.length > 0} canCalibrate={!usingOpened} range={range} />}
            <FormatRow
              id="onnx"
              title="ONNX"
              what={blocker ? 'Needs a layers backbone, like TensorFlow Lite.' : 'model.onnx (opset 13, the same float graph, NHWC input) + labels.txt + README.txt, for onnxruntime in Python, Node, C# or C++.'}
              snippet={blocker ? null : exportSnippet('onnx', range)}
            >
              <button type="button" className="button button--ghost" data-testid="download-onnx" disabled={blocker !== null || converting} onClick={run(converter(downloadOnnxZip))}>
                {convertLabel('Download .zip')}
              </button>
            </FormatRow>
          </ul>
        </>
      ) : (
        <p className="empty">Train a model first; then download it here as TensorFlow.js, TensorFlow Lite or ONNX.</p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
