interface ProgressBarProps {
  done: number;
  total: number;
  label: string;
  testId?: string;
  detail?: string;
}

/** A labelled progress bar with done/total, exposed to screen readers as a progressbar. */
export function ProgressBar({ done, total, label, testId, detail }: ProgressBarProps) {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  return (
    <div className="progress" data-testid={testId} data-done={done} data-total={total}>
      <div className="progress__text">
        <span>{label}</span>
        <span>
          {done.toLocaleString()} / {total.toLocaleString()}
          {detail ? ` · ${detail}` : ''}
        </span>
      </div>
      <div className="progress__track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
        <div className="progress__fill" style={{ transform: `scaleX(${fraction})` }} />
      </div>
    </div>
  );
}
