import { usePredictionStore } from '../../store/prediction-store';
import { useTrainingStore } from '../../store/training-store';
import { FolderAccuracy } from './FolderAccuracy';
import { summarisePredictions } from './prediction-summary';

/** Beyond this many classes the folder confusion table is left out (the per-class counts stay). */
const MAX_MATRIX_CLASSES = 12;

/**
 * The model's verdict on what was classified, above the list: photos per predicted class (click
 * one to show only those), "not sure", unreadable files, and for folders named after classes the
 * accuracy and a confusion table. Hook: `prediction-summary`.
 */
export function PredictionSummaryView() {
  const rows = usePredictionStore((s) => s.rows);
  const threshold = usePredictionStore((s) => s.threshold);
  const filterClass = usePredictionStore((s) => s.filterClass);
  const names = useTrainingStore((s) => s.model?.classNames ?? []);
  if (rows.length === 0) return null;
  const s = summarisePredictions(
    rows.map((r) => ({ path: r.path, status: r.status, top: r.ranked[0] ?? null })),
    names,
    threshold,
  );
  const done = s.total - s.pending - s.errors;
  const filter = (i: number | null) => usePredictionStore.setState({ filterClass: i });
  return (
    <section
      className="prediction-summary"
      data-testid="prediction-summary"
      data-total={s.total}
      data-unsure={s.notSure}
      data-accuracy={s.folder ? s.folder.correct / s.folder.labelled : undefined}
      data-errors={s.errors}
      data-pending={s.pending}
      aria-label="Summary of the classified photos"
    >
      <p>
        <strong>{done.toLocaleString()}</strong> photo{done === 1 ? '' : 's'} classified
        {s.pending > 0 ? `, ${s.pending.toLocaleString()} to go` : ''}
        {s.errors > 0 ? `, ${s.errors.toLocaleString()} could not be read` : ''}
        {s.notSure > 0 ? `; ${s.notSure.toLocaleString()} not sure (below ${Math.round(threshold * 100)}%)` : ''}.
      </p>
      <ul className="summary-classes">
        {names.map((name, i) => (
          <li key={name}>
            <button
              type="button"
              className={`chip${filterClass === i ? ' chip--on' : ''}`}
              aria-pressed={filterClass === i}
              data-testid="prediction-summary-class"
              data-class={name}
              data-value={s.perClass[i] ?? 0}
              onClick={() => filter(filterClass === i ? null : i)}
            >
              {name}: <strong>{(s.perClass[i] ?? 0).toLocaleString()}</strong>
            </button>
          </li>
        ))}
      </ul>
      {s.folder && <FolderAccuracy correct={s.folder.correct} labelled={s.folder.labelled} />}
      {s.folder && names.length <= MAX_MATRIX_CLASSES && (
        <>
          {/* Above the table, not its caption: a caption scrolls sideways with a wide table and is cut off. */}
          <p className="hint" id="folder-confusion-title">
            Folder (rows) against the model&apos;s answer (columns)
          </p>
          <div className="table-scroll">
            <table className="folder-confusion" data-testid="prediction-summary-confusion" aria-labelledby="folder-confusion-title">
              <thead>
                <tr>
                  <th scope="col">folder \ answer</th>
                  {names.map((n) => (
                    <th key={n} scope="col">
                      {n}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {names.map((n, r) => (
                  <tr key={n}>
                    <th scope="row">{n}</th>
                    {names.map((m, c) => (
                      <td key={m} className={r === c ? 'diag' : undefined}>
                        {s.folder?.confusion[r]?.[c] ?? 0}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
