import { usePredictionStore } from '../../store/prediction-store';
import { useTrainingStore } from '../../store/training-store';
import { folderAccuracy } from './folder-accuracy';

/** When classified photos sit in folders named after classes, how many got their folder's class. */
export function FolderAccuracy() {
  const rows = usePredictionStore((s) => s.rows);
  const names = useTrainingStore((s) => s.model?.classNames ?? []);
  const done = rows.filter((r) => r.status !== 'pending');
  const result = folderAccuracy(
    done.map((r) => ({ path: r.path, label: r.ranked[0] ? (names[r.ranked[0].classIndex] ?? null) : null })),
    names,
  );
  if (result.accuracy === null) return null;
  return (
    <p className="result" data-testid="folder-accuracy" data-value={result.accuracy} aria-live="polite">
      Correct on labelled folders: <strong>{(result.accuracy * 100).toFixed(1)}%</strong>{' '}
      <span className="hint">
        ({result.correct} of {result.labelled} photos whose folder is named after a class)
      </span>
    </p>
  );
}
