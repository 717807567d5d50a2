/** When classified photos sit in folders named after classes, how many got their folder's class (from the summary). */
export function FolderAccuracy({ correct, labelled }: { correct: number; labelled: number }) {
  const accuracy = correct / labelled;
  return (
    <p className="result" data-testid="folder-accuracy" data-value={accuracy} aria-live="polite">
      Correct on labelled folders: <strong>{(accuracy * 100).toFixed(1)}%</strong>{' '}
      <span className="hint">
        ({correct} of {labelled} photos whose folder is named after a class)
      </span>
    </p>
  );
}
