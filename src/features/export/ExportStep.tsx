import { useState } from 'react';
import { StepHeader } from '../../ui/StepHeader';
import { useTrainingStore } from '../../store/training-store';
import { downloadModelFiles, downloadModelZip } from './export-actions';
import { OpenModel } from './OpenModel';

/** Step 4: download the model as TensorFlow.js files, or open one. */
export function ExportStep() {
  const model = useTrainingStore((s) => s.model);
  const [error, setError] = useState<string | null>(null);
  const run = (f: () => Promise<void>) => () => {
    setError(null);
    f().catch((e: unknown) => setError((e as Error).message));
  };
  return (
    <section className="panel step" aria-labelledby="export-title">
      <StepHeader num={4} title="Export" id="export-title">
        <p className="hint">TensorFlow.js files that load with tf.loadLayersModel, in the browser or Node.</p>
      </StepHeader>
      {model ? (
        <div className="actions actions--start">
          <button type="button" className="button" data-testid="download-model" onClick={run(downloadModelZip)}>
            Download model (.zip)
          </button>
          <button type="button" className="button button--ghost" data-testid="download-model-files" onClick={run(downloadModelFiles)}>
            Download as separate files
          </button>
        </div>
      ) : (
        <p className="empty">Train a model first; then download it here as model.json, weights.bin and metadata.json.</p>
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
