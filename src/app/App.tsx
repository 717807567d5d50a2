import { useEffect } from 'react';
import { BackendBadge } from '../features/engine/BackendBadge';
import { DataStep } from '../features/dataset/DataStep';
import { loadProject } from '../features/dataset/dataset-actions';
import { ExportStep } from '../features/export/ExportStep';
import { ProjectFile } from '../features/project-file/ProjectFile';
import { UseStep } from '../features/prediction/UseStep';
import { ProbeScreen } from '../features/probe/ProbeScreen';
import { InterruptedNotice } from '../features/session/InterruptedNotice';
import { collectInterruptedWork, reportInterruptedWork } from '../features/session/session-actions';
import { TrainStep } from '../features/training/TrainStep';
import { restoreModel } from '../features/training/train-actions';
import { describeError } from '../lib/errors';
import { useEngineStore } from '../store/engine-store';
import { startEngine } from './engine';

/** The app shell: header with engine status, then the four steps. */
export function App() {
  const error = useEngineStore((s) => s.error);
  useEffect(() => {
    void startEngine();
    const interrupted = collectInterruptedWork();
    void loadProject()
      .then(restoreModel)
      .then(() => reportInterruptedWork(interrupted));
  }, []);
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
            {describeError(error)} <span className="hint">({error.message})</span>
          </p>
        )}
        <InterruptedNotice />
        <DataStep />
        <TrainStep />
        <UseStep />
        <ExportStep />
        <ProjectFile />
        <ProbeScreen />
      </main>
    </div>
  );
}
