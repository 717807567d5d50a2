import { useEffect } from 'react';
import { BackbonePicker } from '../features/engine/BackbonePicker';
import { BackendBadge } from '../features/engine/BackendBadge';
import { ProbeScreen } from '../features/probe/ProbeScreen';
import { describeError } from '../lib/errors';
import { useEngineStore } from '../store/engine-store';
import { startEngine } from './engine';

/** The app shell: header with engine status, then the screens. */
export function App() {
  const error = useEngineStore((s) => s.error);
  useEffect(() => {
    void startEngine();
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
        <section className="panel">
          <BackbonePicker />
        </section>
        <ProbeScreen />
      </main>
    </div>
  );
}
