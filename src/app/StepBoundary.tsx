import { Component, useState, useSyncExternalStore, type ErrorInfo, type ReactNode } from 'react';
import { newProject } from '../features/dataset/dataset-actions';
import { saveProjectFile } from '../features/project-file/project-file-actions';
import { useProjectFileStore } from '../features/project-file/project-file-store';

/** The parts of the page that fail on their own: each step, the project-file panel, and the whole app as a last resort. */
export type BoundaryName = 'app' | 'data' | 'train' | 'use' | 'export' | 'project-file' | 'open-model';

// Render faults injected by tests through `?debug` (see debug-hooks.ts): a listed part throws while rendering.
const faults = new Set<BoundaryName>();
const listeners = new Set<() => void>();

/** Makes the part `name` throw during render (`on` false: stop); test hook only. */
export function injectRenderFault(name: BoundaryName, on = true): void {
  if (on) faults.add(name);
  else faults.delete(name);
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function RenderFault({ name }: { name: BoundaryName }) {
  const faulty = useSyncExternalStore(subscribe, () => faults.has(name));
  if (faulty) throw new Error(`Render fault injected into "${name}" (debug hook)`);
  return null;
}

/** What a person can still do when a part of the page cannot be shown: retry, save the project, or start over. */
function BoundaryFallback({ name, title, error, onReset }: { name: BoundaryName; title: string; error: Error; onReset: () => void }) {
  const { busy, error: saveError, notice } = useProjectFileStore();
  const [clearing, setClearing] = useState(false);
  const whole = name === 'app';
  return (
    <section className="panel step step-error" role="alert" data-testid="step-error" data-step={name} aria-labelledby={`step-error-${name}`}>
      <h2 id={`step-error-${name}`}>{title}: something went wrong</h2>
      <p>
        {whole ? 'The app could not show this page.' : 'This step could not be shown; the other steps still work.'} Your classes, photos and trained model
        are still stored in this browser. Try again, or download the project file to keep a copy, or start a new project if this keeps happening.
      </p>
      <details>
        <summary>Error details</summary>
        <code>{error.message}</code>
      </details>
      <div className="actions actions--start">
        <button type="button" className="button button--ghost" data-testid="step-error-retry" onClick={onReset}>
          Try again
        </button>
        <button type="button" className="button" data-testid="step-error-download" disabled={busy !== null} onClick={() => void saveProjectFile()}>
          Download the project file
        </button>
        <button
          type="button"
          className="button button--ghost button--danger"
          data-testid="step-error-new-project"
          disabled={clearing}
          onClick={() => {
            if (!window.confirm('Start a new project? This deletes every class, photo and trained model stored in this browser.')) return;
            setClearing(true);
            void newProject().finally(() => {
              setClearing(false);
              onReset();
            });
          }}
        >
          New project
        </button>
      </div>
      {busy && <p className="hint">{busy}</p>}
      {saveError && <p className="error">{saveError}</p>}
      {notice && !saveError && <p className="notice notice--info">{notice}</p>}
    </section>
  );
}

/**
 * An error boundary around one part of the page: a render error there shows `BoundaryFallback`
 * in its place instead of unmounting the whole app (React's default), which left the page blank
 * on every reload when the stored project was what made it fail.
 */
export class StepBoundary extends Component<{ name: BoundaryName; title: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`Transfer Studio: "${this.props.name}" failed to render`, error, info.componentStack);
  }

  private readonly reset = () => this.setState({ error: null });

  override render(): ReactNode {
    const { name, title, children } = this.props;
    const { error } = this.state;
    if (error && name === 'app') {
      // In the app's own frame: the shell that held it is what failed.
      return (
        <div className="app">
          <main className="app__main">
            <BoundaryFallback name={name} title={title} error={error} onReset={this.reset} />
          </main>
        </div>
      );
    }
    if (error) return <BoundaryFallback name={name} title={title} error={error} onReset={this.reset} />;
    return (
      <>
        <RenderFault name={name} />
        {children}
      </>
    );
  }
}
