/** Above this many classes the full confusion matrix is unreadable (and slow): the worst pairs are listed instead. */
export const MATRIX_MAX_CLASSES = 30;
const PAIRS_SHOWN = 20;

/** The off-diagonal cells of a confusion matrix with the most photos, worst first. */
export function worstPairs(confusion: readonly (readonly number[])[], limit = PAIRS_SHOWN): { truth: number; predicted: number; n: number }[] {
  const pairs: { truth: number; predicted: number; n: number }[] = [];
  confusion.forEach((row, truth) => row.forEach((n, predicted) => n > 0 && truth !== predicted && pairs.push({ truth, predicted, n })));
  return pairs.sort((a, b) => b.n - a.n || a.truth - b.truth).slice(0, limit);
}

/** For many classes: the class pairs the model confuses most, each opening its photos. */
export function ConfusedPairs({ confusion, names, onPick }: { confusion: number[][]; names: readonly string[]; onPick: (cell: [number, number]) => void }) {
  const pairs = worstPairs(confusion);
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Most confused classes">
      <table className="metrics" data-testid="confused-pairs">
        <caption>
          Most confused classes ({names.length} classes: the full matrix is shown up to {MATRIX_MAX_CLASSES}). Click a row to see its photos.
        </caption>
        <thead>
          <tr>
            <th scope="col">True class</th>
            <th scope="col">Predicted as</th>
            <th scope="col">Photos</th>
          </tr>
        </thead>
        <tbody>
          {pairs.length === 0 && (
            <tr>
              <td colSpan={3}>No validation photo was confused with another class.</td>
            </tr>
          )}
          {pairs.map((p) => (
            <tr key={`${p.truth}-${p.predicted}`}>
              <th scope="row">{names[p.truth]}</th>
              <td>{names[p.predicted]}</td>
              <td>
                <button type="button" className="link" onClick={() => onPick([p.truth, p.predicted])}>
                  {p.n}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
