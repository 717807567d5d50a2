import { useEffect, useState, type ReactNode } from 'react';
import { takeOverProject, tryOwnProject } from './tab-lock';

type Ownership = 'checking' | 'owner' | 'elsewhere' | 'taking-over';

/**
 * Renders the app only in the tab that owns the project (see tab-lock.ts); another tab says the
 * project is open elsewhere and offers to take it over. Nothing of the app (engine, project load,
 * interrupted-work report) starts in a tab that does not own the project.
 */
export function TabGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<Ownership>('checking');
  useEffect(() => {
    let live = true;
    tryOwnProject().then(
      (owner) => live && setState(owner ? 'owner' : 'elsewhere'),
      () => live && setState('owner'), // a lock API that throws protects nothing: behave as before
    );
    return () => {
      live = false;
    };
  }, []);
  if (state === 'owner') return children;
  if (state === 'checking') return null;
  return (
    <div className="app">
      <main className="app__main">
        <section className="panel tab-gate" data-testid="tab-elsewhere" aria-labelledby="tab-gate-title">
          <h1 id="tab-gate-title">Transfer Studio is open in another tab</h1>
          <p>
            One tab at a time works on your project, so that photos, classes and models are never mixed up between tabs. Switch to the other tab, or use
            the project here: the other tab stops what it is doing (an import or training in progress there is interrupted, and what it finished is kept).
          </p>
          <button
            type="button"
            className="button"
            data-testid="tab-take-over"
            disabled={state === 'taking-over'}
            onClick={() => {
              setState('taking-over');
              void takeOverProject().then(() => setState('owner'));
            }}
          >
            {state === 'taking-over' ? 'Waiting for the other tab…' : 'Use the project in this tab'}
          </button>
        </section>
      </main>
    </div>
  );
}
