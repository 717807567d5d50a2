import { useState } from 'react';
import { loadSampleProject } from './sample-project';

/** On the empty Data step: one click loads the bundled sample photos (4 clothing classes x 25). */
export function SampleProject() {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  return (
    <div className="sample-project">
      <p className="hint">No photos at hand? Try it with ours: 4 kinds of clothing, 25 photos each (public domain).</p>
      <button
        type="button"
        className="button button--ghost"
        data-testid="sample-project"
        disabled={state.busy}
        onClick={() => {
          setState({ busy: true, error: null });
          loadSampleProject().then(
            () => setState({ busy: false, error: null }),
            (error: unknown) => setState({ busy: false, error: error instanceof Error ? error.message : String(error) }),
          );
        }}
      >
        {state.busy ? 'Loading the sample photos…' : 'Try the sample project'}
      </button>
      {state.error && (
        <p className="error" role="alert">
          {state.error} Reload the page and try again, or drop your own folder of photos.
        </p>
      )}
    </div>
  );
}
