import { useSessionStore } from '../../store/session-store';

/** Says what a reload or a crashed tab interrupted, and what of it was kept. */
export function InterruptedNotice() {
  const lines = useSessionStore((s) => s.interrupted);
  if (lines.length === 0) return null;
  return (
    <div className="notice interrupted" role="status" data-testid="interrupted-notice">
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
      <button type="button" className="button button--ghost" onClick={() => useSessionStore.setState({ interrupted: [] })}>
        Dismiss
      </button>
    </div>
  );
}
