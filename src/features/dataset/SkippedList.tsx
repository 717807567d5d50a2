import { SKIP_REASON_TEXT, type SkipReason } from '../../platform/file-sniff';
import { useProjectStore } from '../../store/project-store';

/** Files the last import skipped, each with its reason (a scrollable list, one item per file). */
export function SkippedList() {
  const skipped = useProjectStore((s) => s.skipped);
  if (skipped.length === 0) return null;
  return (
    <div className="skipped" role="status">
      <p className="skipped__title">
        {skipped.length} file{skipped.length === 1 ? ' was' : 's were'} skipped; everything else was added.
      </p>
      <ul data-testid="skipped-files" className="skipped__list">
        {skipped.map((s) => (
          <li key={`${s.path}:${s.reason}`} data-file={s.path} data-reason={s.reason}>
            <code>{s.path}</code> — {SKIP_REASON_TEXT[s.reason as SkipReason] ?? s.detail}
          </li>
        ))}
      </ul>
    </div>
  );
}
