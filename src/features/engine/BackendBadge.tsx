import { useEngineStore } from '../../store/engine-store';

/** Shows the tfjs backend in use, and a notice when it is not the one asked for. */
export function BackendBadge() {
  const backend = useEngineStore((s) => s.backend);
  const host = useEngineStore((s) => s.host);
  if (!backend) return <span className="badge">Starting…</span>;
  const software = backend.renderer && /swiftshader|llvmpipe|software/i.test(backend.renderer);
  return (
    <div className="backend">
      <span className="badge" title={backend.renderer ?? ''}>
        Backend: <strong data-testid="backend-name">{backend.name}</strong>
        {host === 'main-thread' ? ' (main thread)' : ''}
      </span>
      {backend.fallbackReason && (
        <p className="notice" role="status">
          {backend.requested.toUpperCase()} is not available here, so the app runs on {backend.name.toUpperCase()},
          which is slower. ({backend.fallbackReason})
        </p>
      )}
      {software && (
        <p className="notice notice--info" role="status">
          WebGL runs on a software renderer here ({backend.renderer}); it works, but slowly.
        </p>
      )}
    </div>
  );
}
