import { FilePicker } from '../../ui/FilePicker';
import { openModel } from './open-model-actions';
import { useOpenedModelStore } from './opened-model-store';

/** "Open a model": load a downloaded model (ours or Teachable Machine's) and classify with it in step 3. */
export function OpenModel() {
  const { busy, error, opened } = useOpenedModelStore();
  return (
    <section className="panel open-model" data-testid="open-model" aria-labelledby="open-model-title">
      <h2 id="open-model-title">Open a model</h2>
      <p className="hint">
        Pick the .zip the app downloads, or model.json with weights.bin (and metadata.json for the class names). A Teachable Machine image model works too. Then
        classify photos with it in step 3.
      </p>
      <div className="actions actions--start">
        <FilePicker label={busy ? 'Opening…' : 'Open a model'} accept=".zip,.json,.bin,application/zip,application/json" testId="open-model-input" variant="ghost" disabled={busy} onFiles={(l) => void openModel(Array.from(l ?? []))} />
      </div>
      {error && (
        <p className="error" role="alert" data-testid="open-model-error">
          Could not open this model: {error}
        </p>
      )}
      {opened && !error && (
        <p className="notice notice--info" data-testid="open-model-status" data-classes={opened.labels.length}>
          In use: {opened.bundle.label} · {opened.labels.length} classes ({opened.labels.join(', ')}) · {(opened.params / 1e6).toFixed(2)} M weights
          {opened.metadata.note ? ` · ${opened.metadata.note}` : ''}
        </p>
      )}
    </section>
  );
}
