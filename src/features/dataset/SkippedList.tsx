import { SKIP_REASON_TEXT, type SkipReason } from '../../platform/file-sniff';
import { useProjectStore } from '../../store/project-store';
import { clearSkipped } from './dataset-actions';

/** Items shown; a 10,000-file mistake (say, the wrong folder) lists the first ones and a count. */
const SHOWN = 500;

/** Files the last import skipped, each with its reason (a scrollable list, one item per file). */
export function SkippedList() {
  const skipped = useProjectStore((s) => s.skipped);
  if (skipped.length === 0) return null;
  const hidden = skipped.length - SHOWN;
  // `merged-folders` entries are notes about folders, not skipped files.
  const files = skipped.filter((s) => s.reason !== 'merged-folders').length;
  return (
    <div className="skipped" role="status">
      <div className="skipped__head">
        <p className="skipped__title">
          {files === 0
            ? 'Every file was added; note:'
            : `${files.toLocaleString()} file${files === 1 ? ' was' : 's were'} skipped; everything else was added.`}
        </p>
        <button type="button" className="link" onClick={clearSkipped}>
          Hide this list
        </button>
      </div>
      <ul data-testid="skipped-files" className="skipped__list">
        {skipped.slice(0, SHOWN).map((s, i) => (
          <li key={`${i}:${s.path}`} data-file={s.path} data-reason={s.reason}>
            <code>{s.path}</code> — {SKIP_REASON_TEXT[s.reason as SkipReason] ?? s.detail}
          </li>
        ))}
      </ul>
      {hidden > 0 && <p className="hint">…and {hidden.toLocaleString()} more.</p>}
    </div>
  );
}
