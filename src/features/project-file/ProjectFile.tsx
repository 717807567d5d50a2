import { FilePicker } from '../../ui/FilePicker';
import { openProjectFile, saveProjectFile } from './project-file-actions';
import { useProjectFileStore } from './project-file-store';

/** Save the whole project as one file, or open one (replacing the project in this browser). */
export function ProjectFile() {
  const { busy, error, notice } = useProjectFileStore();
  return (
    <section className="panel project-file" aria-labelledby="project-file-title">
      <header className="step__head">
        <h2 id="project-file-title">Project file</h2>
        <p className="hint">
          One .zip with your classes, the photos' training copies, the computed embeddings, the settings and the trained model. Open it here or on another
          computer to keep working without computing embeddings again.
        </p>
      </header>
      <div className="actions actions--start">
        <button type="button" className="button button--ghost" data-testid="download-project" disabled={busy !== null} onClick={() => void saveProjectFile()}>
          Download project (.zip)
        </button>
        <FilePicker
          label="Open a project…"
          accept=".zip,application/zip"
          multiple={false}
          testId="open-project-input"
          variant="ghost"
          disabled={busy !== null}
          onFiles={(l) => {
            const file = l?.[0];
            if (file) void openProjectFile(file, (q) => window.confirm(q));
          }}
        />
      </div>
      {busy && (
        <p className="hint" data-testid="project-file-busy" aria-live="polite">
          {busy}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="project-file-error">
          {error}
        </p>
      )}
      {notice && !error && (
        <p className="notice notice--info" data-testid="project-file-notice">
          {notice}
        </p>
      )}
    </section>
  );
}
