import { useEffect } from 'react';
import { BackendBadge } from '../features/engine/BackendBadge';
import { DataStep } from '../features/dataset/DataStep';
import { loadProject } from '../features/dataset/dataset-actions';
import { ExportStep } from '../features/export/ExportStep';
import { OpenModel } from '../features/export/OpenModel';
import { ProjectFile } from '../features/project-file/ProjectFile';
import { UseStep } from '../features/prediction/UseStep';
import { ProbeScreen } from '../features/probe/ProbeScreen';
import { InterruptedNotice } from '../features/session/InterruptedNotice';
import { collectInterruptedWork, reportInterruptedWork } from '../features/session/session-actions';
import { TrainStep } from '../features/training/TrainStep';
import { watchBackgroundEmbedding } from '../features/training/background-embed';
import { restoreModel } from '../features/training/train-actions';
import { describeError } from '../lib/errors';
import { useEngineStore } from '../store/engine-store';
import { startEngine } from '../engine/connection';
import { StepBoundary } from './StepBoundary';

/** The app: starts the engine and loads the project, then the shell, inside a last-resort error boundary. */
export function App() {
  // Here, outside the boundaries: a page that cannot render still loads the project it can save.
  useEffect(() => {
    void startEngine();
    const unwatch = watchBackgroundEmbedding();
    const interrupted = collectInterruptedWork();
    void loadProject()
      .then(restoreModel)
      .then(() => reportInterruptedWork(interrupted));
    return unwatch;
  }, []);
  return (
    <StepBoundary name="app" title="Transfer Studio">
      <Shell />
    </StepBoundary>
  );
}

/** The shell: header with engine status, the workspace (data, training, try-it side by side on a wide screen), then export; each step in its own error boundary. */
function Shell() {
  const error = useEngineStore((s) => s.error);
  return (
    <div className="app">
      <header className="app__header">
        <div>
          <h1>Transfer Studio</h1>
          <p className="tagline">Folders of photos in, an image classifier out. Everything stays in your browser.</p>
        </div>
        <BackendBadge />
      </header>
      <main className="app__main">
        {error && (
          <p className="error" role="alert">
            {describeError(error)}
            {error.message && error.message !== describeError(error) && <span className="hint"> ({error.message})</span>}
          </p>
        )}
        <InterruptedNotice />
        {/* At desktop widths these three sit side by side, each scrolling on its own (styles.css). */}
        <div className="workspace">
          <StepBoundary name="data" title="1 Data">
            <DataStep />
          </StepBoundary>
          <StepBoundary name="train" title="2 Train">
            <TrainStep />
          </StepBoundary>
          <StepBoundary name="use" title="3 Use">
            <UseStep />
          </StepBoundary>
        </div>
        {/* At desktop widths Export stands beside the project file, Open a model and the network probe. */}
        <div className="outputs">
          <StepBoundary name="export" title="4 Export">
            <ExportStep />
          </StepBoundary>
          <div className="outputs__side">
            <StepBoundary name="project-file" title="Project file">
              <ProjectFile />
            </StepBoundary>
            <StepBoundary name="open-model" title="Open a model">
              <OpenModel />
            </StepBoundary>
            <ProbeScreen />
          </div>
        </div>
      </main>
    </div>
  );
}
