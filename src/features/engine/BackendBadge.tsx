import { backendFromSearch } from '../../lib/url-params';
import { useEngineStore } from '../../store/engine-store';

const CHOICES = [
  ['auto', 'Auto (fastest)'],
  ['webgl', 'WebGL (GPU)'],
  ['wasm', 'WebAssembly (CPU)'],
  ['cpu', 'Plain JavaScript (slowest)'],
] as const;

/** Shows the tfjs backend in use as a compact badge, why it was chosen behind a disclosure, and lets a person force another (reloads with ?backend=). */
export function BackendBadge() {
  const backend = useEngineStore((s) => s.backend);
  const host = useEngineStore((s) => s.host);
  const restarts = useEngineStore((s) => s.restarts);
  const restartReason = useEngineStore((s) => s.lastRestartReason);
  const choice = backendFromSearch(window.location.search) ?? 'auto';
  if (!backend) return <span className="badge">Starting…</span>;
  const software = backend.name === 'webgl' && backend.renderer && /swiftshader|llvmpipe|software/i.test(backend.renderer);
  return (
    <div className="backend">
      <div className="backend__row">
        <span className="badge" title={backend.renderer ?? ''}>
          Backend: <strong data-testid="backend-name">{backend.name}</strong>
          {host === 'main-thread' ? ' (main thread)' : ''}
        </span>
        <select
          aria-label="Compute backend"
          value={choice}
          onChange={(e) => {
            const url = new URL(window.location.href);
            if (e.target.value === 'auto') url.searchParams.delete('backend');
            else url.searchParams.set('backend', e.target.value);
            window.location.assign(url.href);
          }}
        >
          {CHOICES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {backend.autoReason && (
        <details className="hint backend__why" data-testid="backend-why">
          <summary>Why {backend.name.toUpperCase()}?</summary>
          <span>
            {' '}
            Auto picked {backend.name.toUpperCase()}: {backend.autoReason}.
          </span>
        </details>
      )}
      {backend.fallbackReason && (
        <p className="notice" role="status">
          {String(backend.requested).toUpperCase()} is not available here, so the app runs on {backend.name.toUpperCase()}, which is slower. ({backend.fallbackReason})
        </p>
      )}
      {restarts > 0 && (
        <p className="notice" role="status" data-testid="engine-restarted" data-value={restarts}>
          The compute engine stopped and was restarted{restarts > 1 ? ` (${restarts} times)` : ''}; no finished work was lost. ({restartReason})
        </p>
      )}
      {software && (
        <p className="notice notice--info" role="status">
          WebGL runs on a software renderer here ({backend.renderer}); it works, but slowly. Auto mode would use WebAssembly.
        </p>
      )}
    </div>
  );
}
