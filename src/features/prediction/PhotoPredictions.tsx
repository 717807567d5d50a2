import { memo, useMemo, useState } from 'react';
import { describeError } from '../../lib/errors';
import { filesFromDataTransfer, filesFromInput } from '../../platform/folder-walk';
import { useProjectStore } from '../../store/project-store';
import { usePredictionStore, type PredictionRow } from '../../store/prediction-store';
import { useTrainingStore } from '../../store/training-store';
import { DropZone } from '../../ui/DropZone';
import { FilePicker } from '../../ui/FilePicker';
import { PredictionSummaryView } from './PredictionSummaryView';
import { addToClass, classifyFiles, clearPredictions, downloadPredictionsCsv } from './predict-actions';

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

/** One classified photo; memoised, so a chunk of results re-renders its own rows, not all 1,000. */
const Row = memo(function Row({ row, names, threshold }: { row: PredictionRow; names: string[]; threshold: number }) {
  const classes = useProjectStore((s) => s.classes);
  // The class list fills the "Add to class" menu once a pointer or the keyboard comes near it:
  // 1,000 rows x every class as <option>s is a lot of DOM to build at once for a big folder.
  const [armed, setArmed] = useState(false);
  const model = useTrainingStore((s) => s.model);
  const top = row.ranked[0];
  const unsure = top !== undefined && top.probability < threshold;
  return (
    <li
      className="prediction"
      data-testid="prediction-row"
      data-file={row.path}
      data-label={top ? names[top.classIndex] : ''}
      data-confidence={top?.probability ?? ''}
      data-probabilities={JSON.stringify(row.ranked.slice().sort((a, b) => a.classIndex - b.classIndex).map((r) => r.probability))}
      data-status={row.status}
    >
      {row.previewUrl ? <img src={row.previewUrl} alt="" width={64} height={64} loading="lazy" decoding="async" /> : <span className="prediction__placeholder" aria-hidden="true" />}
      <div className="prediction__body">
        <p className="prediction__name">{row.path}</p>
        {row.status === 'pending' && <p className="hint">Classifying…</p>}
        {row.status === 'error' && row.error && <p className="error">{describeError(row.error)}</p>}
        {top && (
          <>
            <p className="prediction__top">
              {unsure ? (
                <span className="unsure">Not sure (best guess {names[top.classIndex]}, {pct(top.probability)})</span>
              ) : (
                <>
                  <strong>{names[top.classIndex]}</strong> {pct(top.probability)}
                </>
              )}
            </p>
            <p className="hint">
              {row.ranked
                .slice(1, 3)
                .map((r) => `${names[r.classIndex]} ${pct(r.probability)}`)
                .join(' · ')}
            </p>
            {model && (
              <select
                aria-label={`Add ${row.path} to a class`}
                value=""
                onPointerEnter={() => setArmed(true)}
                onFocus={() => setArmed(true)}
                onChange={(e) => e.target.value && void addToClass(row, e.target.value)}
              >
                <option value="">Add to class…</option>
                {(armed ? classes : []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </>
        )}
      </div>
    </li>
  );
});

/** Classify photos or whole folders; sort, filter, and download the results as CSV. */
export function PhotoPredictions() {
  const { rows, threshold, sortBy, filterClass } = usePredictionStore();
  const names = useTrainingStore((s) => s.model?.classNames ?? []);
  const set = usePredictionStore.setState;
  const shown = useMemo(
    () =>
      rows
        .filter((r) => filterClass === null || r.ranked[0]?.classIndex === filterClass)
        .slice()
        .sort((a, b) => {
          if (sortBy === 'input') return a.id - b.id;
          const d = (a.ranked[0]?.probability ?? -1) - (b.ranked[0]?.probability ?? -1);
          return sortBy === 'confidence-asc' ? d : -d;
        }),
    [rows, filterClass, sortBy],
  );
  return (
    <div className="photo-predictions">
      <DropZone label="Drop photos to classify" testId="predict-drop" onDrop={(d) => void filesFromDataTransfer(d).then(classifyFiles)}>
        <p className="drop-zone__title">Drop photos or a folder to classify them</p>
        <div className="actions">
          <FilePicker label="Classify photos" accept="image/*" testId="predict-input" onFiles={(l) => void classifyFiles(filesFromInput(l))} />
          <FilePicker label="Classify a folder" folder testId="predict-folder-input" variant="ghost" onFiles={(l) => void classifyFiles(filesFromInput(l))} />
        </div>
      </DropZone>
      <div className="toolbar">
        <label className="inline-field">
          “Not sure” below <strong>{pct(threshold)}</strong>
          <input type="range" min={0} max={0.99} step={0.01} value={threshold} data-testid="threshold" onChange={(e) => set({ threshold: Number(e.target.value) })} />
        </label>
        {rows.length > 0 && (
          <>
            <label className="inline-field">
              Sort
              <select value={sortBy} onChange={(e) => set({ sortBy: e.target.value as typeof sortBy })}>
                <option value="input">As added</option>
                <option value="confidence-desc">Most confident first</option>
                <option value="confidence-asc">Least confident first</option>
              </select>
            </label>
            <label className="inline-field">
              Show
              <select value={filterClass ?? ''} onChange={(e) => set({ filterClass: e.target.value === '' ? null : Number(e.target.value) })}>
                <option value="">All classes</option>
                {names.map((n, i) => (
                  <option key={n} value={i}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="button button--ghost" data-testid="download-predictions" onClick={downloadPredictionsCsv}>
              Download CSV
            </button>
            <button type="button" className="link" onClick={clearPredictions}>
              Clear
            </button>
          </>
        )}
      </div>
      <PredictionSummaryView />
      {/* Focusable when it scrolls on its own (phones), so the keyboard scrolls it too. */}
      <ul className={shown.length > 6 ? 'predictions predictions--many' : 'predictions'} aria-live="polite" aria-label="Classified photos" tabIndex={shown.length > 6 ? 0 : undefined}>
        {shown.map((r) => (
          <Row key={r.id} row={r} names={names} threshold={threshold} />
        ))}
      </ul>
    </div>
  );
}
